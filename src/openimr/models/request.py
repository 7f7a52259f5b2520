"""A disputed-item string read into its parts by the request classifier."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class DrugRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    generic: str | None = None  # lower case; combinations as "hydrocodone/acetaminophen"
    brand: str | None = None
    strength: str | None = None  # as normalized, e.g. "350mg", "10/325mg"
    quantity: int | None = None  # dispensed units; None when unknown
    frequency: str | None = None  # e.g. "tid", "q6h prn"
    drug_class: str | None = None


class Candidate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    topic: str
    score: float


class ClassifiedRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    topic: str | None  # None: not recognized; see `candidates`, never a silent guess
    category: str | None = None
    drug: DrugRequest | None = None
    laterality: str | None = None  # "left" / "right" / "bilateral"
    levels: list[str] = Field(default_factory=list)  # "L4-L5", "L5-S1", "C5-C6", or a range "L3-S1"
    body_region: str | None = None
    sessions: int | None = None  # for visit-based services: total visits (2x6 -> 12)
    frequency: str | None = None  # for visit-based services: as written, e.g. "2x6"
    candidates: list[Candidate] = Field(default_factory=list)
