"""What the engine drafts for a reviewer: one `DraftItem` per disputed item, and the draft letter.

A draft is not a determination: a licensed reviewer decides and signs (see `openimr.workflow`).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from openimr.models.facts import Evidence
from openimr.models.formulary import FormularyAssessment
from openimr.models.letter import Citation, Guideline
from openimr.models.packs import GoverningGuideline, PackRef
from openimr.models.precedent import ItemPrecedents

DraftDecision = Literal["Upheld", "Overturned", "Ineligible"]


class CriterionResult(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    statement: str
    met: bool | None  # None: the record does not document what the criterion needs
    evidence: list[Evidence] = Field(default_factory=list)
    citation: Citation | None = None
    facts: dict[str, Any] = Field(default_factory=dict)  # the fact values the test read
    verified: bool = True


class DraftItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request: str
    topic: str | None
    # None when the engine cannot decide (unclassifiable request, no encoded guideline, edition not
    # encoded): `unable_to_decide` then says why, and the reviewer decides unaided.
    decision: DraftDecision | None
    unable_to_decide: str | None = None
    ur_decision: str | None = None
    ur_modification: str | None = None
    guideline: Guideline | None = None
    hierarchy: list[str] = Field(default_factory=list)
    criteria: list[CriterionResult] = Field(default_factory=list)
    missing_documentation: list[str] = Field(default_factory=list)
    rationale: str = ""
    confidence: float = Field(default=0.0, ge=0.0, le=1.0)
    # added (issue 14): for a request dated after the shipped MTUS, the guideline that governs it and
    # whether its criteria are loaded; for a drug item, the MTUS Drug Formulary facts
    governing: GoverningGuideline | None = None
    formulary: FormularyAssessment | None = None


class SummarySentence(BaseModel):
    """One sentence of the clinical case summary and what it was built from (added by the engine)."""

    model_config = ConfigDict(extra="forbid")

    text: str
    sources: list[str] = Field(default_factory=list)  # fact kinds used: "injured_worker", "medications", ...
    evidence: list[Evidence] = Field(default_factory=list)


class EngineInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: str
    knowledge_base: str  # content hash of the knowledge base used


class Draft(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_number: str | None = None
    status: Literal["draft"] = "draft"
    engine: EngineInfo
    clinical_case_summary: str = ""
    # added by the engine: each summary sentence with the facts and evidence it was built from
    summary_sentences: list[SummarySentence] = Field(default_factory=list)
    items: list[DraftItem] = Field(default_factory=list)
    letter: str = ""
    # added (issue 14): the guideline packs (name, version, content hash) the draft was made with
    guideline_packs: list[PackRef] = Field(default_factory=list)
    # added for precedents: when a letter corpus is configured, one entry per item (same order), shown
    # beside the decisions and never used by them; None when no corpus is configured
    precedents: list[ItemPrecedents] | None = None
