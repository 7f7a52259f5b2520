"""The Final Determination letter as data: what every party in California IMR already works with."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_serializer

from openimr.models.packs import PackRef

Decision = Literal["Upheld", "Overturned"]
Sex = Literal["male", "female"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Citation(_Model):
    """One guideline reference as reviewers write it.

    `source` is "MTUS", "ODG", "ACOEM" or another named source; `sections` and `pages` are kept as
    cited ("Carisoprodol (Soma)", "29, 63-66").
    """

    source: str
    document: str | None = None
    edition_or_year: str | None = None
    chapter: str | None = None
    sections: list[str] = Field(default_factory=list)
    pages: str | None = None


class Guideline(_Model):
    """The guideline basis of one decision: whether it rests on the MTUS, its citations, and the
    sentence as written in the letter."""

    mtus: bool
    citations: list[Citation] = Field(default_factory=list)
    text: str = ""


class ReviewerCredentials(_Model):
    """What a letter discloses about the expert reviewer (never the name)."""

    licensure: list[str] = Field(default_factory=list)
    specialty: str | None = None
    board_certified: bool = False


class InjuredWorker(_Model):
    age: int | None = Field(default=None, ge=0, le=120)
    sex: Sex | None = None
    date_of_injury: dt.date | None = None


class ItemDecision(_Model):
    """One disputed item/service and the reviewer's decision on it."""

    request: str
    decision: Decision
    # Partial certification: the request as made, and the part the claims administrator authorized;
    # `request` is then the remaining IMR-eligible portion the reviewer decided.
    original_request: str | None = None
    authorized: str | None = None
    claims_administrator_guideline: Guideline | None = None
    imr_guideline: Guideline | None = None
    rationale: str = ""


class UndecidedItem(_Model):
    """A disputed item a draft leaves to the reviewer, and why (added, issue 14)."""

    request: str
    reason: str = ""


class Determination(_Model):
    """A Final Determination: reviewer, worker, the clinical case summary and one decision per item.

    The header fields are those of the letters' case block (2016-2017 layout: Case Number, Date
    Assigned, Decision Date, Priority, Date of Injury, UR Denial Date, Application Received); null
    when the letter has no such block."""

    case_number: str | None = None
    date_assigned: dt.date | None = None
    decision_date: dt.date | None = None
    priority: str | None = None  # as written: "Standard", "Expedited"
    ur_denial_date: dt.date | None = None
    application_received: dt.date | None = None
    organization: str = "MAXIMUS Federal Services"
    reviewer: ReviewerCredentials = Field(default_factory=ReviewerCredentials)
    injured_worker: InjuredWorker = Field(default_factory=InjuredWorker)
    clinical_case_summary: str = ""
    items: list[ItemDecision] = Field(default_factory=list)
    status: Literal["final", "draft"] = "final"
    # added (issue 14), neither printed in nor read from a letter: in a draft, the disputed items the
    # engine did not decide (listed in the letter as undecided, for the reviewer); in an issued
    # determination, the guideline packs its draft was made with
    undecided: list[UndecidedItem] = Field(default_factory=list)
    guideline_packs: list[PackRef] = Field(default_factory=list)

    @model_serializer(mode="wrap")
    def _omit_empty_additions(self, handler):
        # Letters of every period serialize as before: the added lists appear only when they hold something.
        data = handler(self)
        if isinstance(data, dict):
            for key in ("undecided", "guideline_packs"):
                if key in data and not data[key]:
                    del data[key]
        return data
