"""Guideline packs: a named, versioned, hashed bundle of topic YAML (see docs/guidelines.md, "Packs").

The shipped MTUS 2009-2017 is one pack; a licensed organization adds others (a folder, or an installed
Python package through the `openimr.guideline_packs` entry point group). Every draft and every issued
determination records the packs it was made with (`PackRef`), so a signature can be refused when the
knowledge base a draft relied on is no longer loaded.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field, model_validator

PACK_MANIFEST = "pack.yaml"


class PackManifest(BaseModel):
    """`pack.yaml` at the root of a pack folder."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_.\-]*$", max_length=100)
    version: str = Field(min_length=1, max_length=50)
    title: str = Field(min_length=3)
    # Who may use the content and on what terms (e.g. "licensed from <publisher> to <organization>,
    # internal use only"). Required: a pack without a licence position is refused.
    licence: str = Field(min_length=10)
    # The dates the pack's guideline entries may be in force: every entry must lie inside them.
    effective_from: dt.date
    effective_to: dt.date | None = None  # inclusive; None while in force
    example: bool = False  # an example/test pack: not clinical content, never for real reviews
    description: str | None = None

    @model_validator(mode="after")
    def _dates(self) -> PackManifest:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self


class PackRef(BaseModel):
    """Which pack a draft or a determination was made with: name, version and content hash."""

    model_config = ConfigDict(extra="forbid")

    name: str
    version: str
    content_hash: str  # "sha256:..." over the manifest and every topic file (name and bytes)
    source: str = "folder"  # "shipped" | "folder" | "entry point <name>"
    example: bool = False

    def key(self) -> tuple[str, str]:
        return (self.name, self.content_hash)


class GoverningGuideline(BaseModel):
    """For a request dated after the shipped MTUS: the ACOEM-based MTUS guideline and edition that
    governs it, and whether any loaded pack holds criteria for it (see docs/guidelines.md)."""

    model_config = ConfigDict(extra="forbid")

    guideline: str  # e.g. "ACOEM Low Back Disorders Guideline"
    edition: str  # e.g. "update effective 2021-11-23"
    effective_from: dt.date
    regulation: str  # the 8 CCR section that adopts it
    basis: str  # why this guideline: "topic acupuncture", "body region lumbar", "drug class opioid" ...
    criteria_loaded: bool = False
    verified: bool = False
