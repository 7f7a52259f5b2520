"""The guideline knowledge base as typed data.

Topics live as YAML under `openimr/guidelines/data/` (one file per topic), in the spirit of OpenFisca
parameters: effective-dated, and every recommendation and criterion carries a citation to its source.
These models validate those files; the engine consumes them.

A criterion's `test` is a small condition over named facts (see `openimr.models.vocabulary`),
evaluated in three-valued logic: True (met), False (unmet), None (the record does not document it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from openimr.models.letter import Citation

Op = Literal[
    "is_true", "is_false", "eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "documented", "undocumented"
]

RecommendationStatus = Literal[
    "recommended",  # recommended for the indication, subject to the criteria
    "recommended_with_criteria",  # only when the criteria are met
    "limited",  # recommended only in narrow circumstances / short term
    "not_recommended",  # the guideline recommends against it
    "insufficient_evidence",  # guideline finds insufficient evidence to recommend
]

Category = Literal[
    "drug",
    "injection",
    "imaging",
    "electrodiagnostics",
    "therapy",
    "dme",
    "surgery",
    "evaluation_and_management",
    "program",
    "home_services",
    "laboratory",
    "other",
]


class Condition(BaseModel):
    """A test over facts. Exactly one of: `fact` (with `op` and maybe `value`), `all`, `any`, `not`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    fact: str | None = None
    op: Op = "is_true"
    value: Any = None
    all: list[Condition] | None = None
    any: list[Condition] | None = None
    not_: Condition | None = Field(default=None, alias="not")

    @model_validator(mode="after")
    def _one_form(self) -> Condition:
        forms = [self.fact is not None, self.all is not None, self.any is not None, self.not_ is not None]
        if sum(forms) != 1:
            raise ValueError("a condition has exactly one of: fact, all, any, not")
        if self.fact is not None and self.op in {"eq", "ne", "lt", "le", "gt", "ge", "in", "not_in"} and self.value is None:
            raise ValueError(f"op {self.op!r} needs a value")
        return self

    def facts(self) -> list[str]:
        """Every fact name this condition reads, in order, without repeats."""
        names: list[str] = []
        if self.fact is not None:
            names.append(self.fact)
        for sub in (self.all or []) + (self.any or []) + ([self.not_] if self.not_ else []):
            names.extend(n for n in sub.facts() if n not in names)
        return list(dict.fromkeys(names))


class RationaleText(BaseModel):
    """What a rationale says when the criterion is met, unmet, or not documented.

    Text may name facts in braces ("{medication.duration_days}"); the engine fills them in.
    """

    model_config = ConfigDict(extra="forbid")

    met: str
    unmet: str
    undocumented: str


class Criterion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$")
    statement: str = Field(min_length=10)  # in our own words, never pasted guideline text
    # A criterion with no test states the guideline's recommendation itself (e.g. "not recommended"):
    # it is met exactly when the guideline's status supports the request.
    test: Condition | None = None
    applies_when: Condition | None = None  # criterion only judged when this holds (else skipped)
    documentation: str | None = None  # what a treating physician would document to satisfy it
    rationale: RationaleText
    citation: Citation
    verified: bool = True  # False: we are not sure of the threshold or the page; say so

    def facts(self) -> list[str]:
        return self.test.facts() if self.test else []


class GuidelineEntry(BaseModel):
    """One guideline document's position on a topic, for the editions in force between two dates."""

    model_config = ConfigDict(extra="forbid")

    source: str  # "MTUS", "ODG", "ACOEM", ...
    mtus: bool
    document: str
    edition: str
    effective_from: dt.date
    effective_to: dt.date | None = None  # inclusive; None while in force
    chapter: str | None = None
    sections: list[str] = Field(default_factory=list)
    pages: str | None = None
    status: RecommendationStatus
    summary: str = Field(min_length=10)  # what the guideline says of the topic, in our own words
    applies_when: Condition | None = None
    criteria: list[Criterion] = Field(min_length=1)
    verified: bool = True

    def citation(self) -> Citation:
        return Citation(
            source=self.source,
            document=self.document,
            edition_or_year=self.edition,
            chapter=self.chapter,
            sections=list(self.sections),
            pages=self.pages,
        )

    def in_force(self, on: dt.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


class ParameterValue(BaseModel):
    """One dated value of a clinical parameter (OpenFisca style): in force between two dates, cited."""

    model_config = ConfigDict(extra="forbid")

    effective_from: dt.date
    effective_to: dt.date | None = None  # inclusive; None while in force
    value: Any
    citation: Citation
    verified: bool = True

    def in_force(self, on: dt.date | None) -> bool:
        if on is None:
            return self.effective_to is None
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


class Parameter(BaseModel):
    """A number (or list) the engine uses to derive a fact, e.g. the relief that makes a diagnostic block
    positive. Engine code holds no clinical numbers: it reads them here, by name and date."""

    model_config = ConfigDict(extra="forbid")

    description: str = Field(min_length=10)
    unit: str | None = None
    values: list[ParameterValue] = Field(default_factory=list)

    def value_on(self, on: dt.date | None) -> ParameterValue | None:
        """The value in force on `on` (no date: the latest value)."""
        if on is None:
            return max(self.values, key=lambda v: v.effective_from) if self.values else None
        return next((v for v in self.values if v.in_force(on)), None)


class Topic(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$")
    name: str
    category: Category
    subcategory: str | None = None  # drug class, injection type, body region ...
    synonyms: list[str] = Field(default_factory=list)  # brand/generic names, wordings, abbreviations
    generics: list[str] = Field(default_factory=list)  # for drugs: normalized generic names
    body_regions: list[str] = Field(default_factory=list)
    specialties: list[str] = Field(default_factory=list)  # reviewer specialties that fit (matching table)
    # added (KB procedures): diagnoses/conditions (lower case) the guideline names as indications for the
    # treatment; the engine may match them against the record's diagnoses to derive diagnosis.specific_indication
    indications: list[str] = Field(default_factory=list)
    # added (issue 11, drugs9): conditions (lower case) the guideline names as reasons not to give the treatment; the
    # engine matches them against the diagnoses and comorbidities to derive diagnosis.contraindication
    contraindications: list[str] = Field(default_factory=list)
    guidelines: list[GuidelineEntry] = Field(min_length=1)
    # added (issue 10): clinical numbers the engine uses for this topic, cited and dated
    parameters: dict[str, Parameter] = Field(default_factory=dict)
