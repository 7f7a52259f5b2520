"""Precedents: how earlier decided items like a request were decided, shown beside a draft.

A precedent is one decided item of a letter corpus (real letters, or an organization's issued
determinations). Precedents never feed a decision: they sit next to the engine's draft so the
reviewer can see how requests like this one went before, and look twice when the draft goes the
other way.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from openimr.models.letter import Decision


class Precedent(BaseModel):
    """One decided item of the corpus, as the precedent index holds it."""

    model_config = ConfigDict(extra="forbid")

    letter: str  # the letter it comes from (case number or file stem)
    request: str
    topic: str | None = None
    decision: Decision
    date: dt.date | None = None  # decision date, when the letter states it
    guideline: str | None = None  # the IMR guideline cited, shortened ("MTUS CPMTG 2009, Carisoprodol, p. 29")
    reason: str = ""  # the rationale's sentence about this case
    similarity: float = Field(default=0.0, ge=0.0, le=1.0)
    same_topic: bool = True


class PrecedentCounts(BaseModel):
    """How every corpus item of the same kind was decided (same topic and the same key parts: drug
    and strength, or body region)."""

    model_config = ConfigDict(extra="forbid")

    label: str  # e.g. "carisoprodol 350mg", "mri-lumbar lumbar"
    decided: int = 0
    upheld: int = 0
    overturned: int = 0
    top_guideline: str | None = None
    top_guideline_count: int = 0


class ItemPrecedents(BaseModel):
    """The precedents of one draft item, beside (never inside) its decision."""

    model_config = ConfigDict(extra="forbid")

    request: str
    topic: str | None = None
    precedents: list[Precedent] = Field(default_factory=list)
    share_upheld: float | None = None  # among the same-topic precedents shown; None when there are none
    counts: PrecedentCounts | None = None
    # Set when the draft decision goes against a strong precedent majority: the reviewer looks twice.
    against_precedent: bool = False
    note: str | None = None
