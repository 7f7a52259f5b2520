"""The canonical case file that `openimr review`, `openimr extract` and the case service take.

Everything is optional except `disputed_items` and `documents`. Structured fields, where given, win
over what the document text says. The JSON Schema in `schemas/case-file.schema.json` is generated
from these models (`openimr schema case-file`).
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from openimr.models.letter import InjuredWorker, ReviewerCredentials

URDecision = Literal["non-certified", "modified", "conditionally non-certified"]
Priority = Literal["standard", "expedited"]


class DisputedItem(BaseModel):
    """An item the UR decision denied or modified and the worker disputes.

    The item under review is `request` as the treating physician made it, never `ur_modification`.
    """

    model_config = ConfigDict(extra="forbid")

    request: str = Field(min_length=1, max_length=2000)
    ur_decision: URDecision = "non-certified"
    ur_modification: str | None = None


class Document(BaseModel):
    """One record in the case file. Character offsets in evidence refer to `text` exactly."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1, max_length=200)
    type: str = "progress_note"  # progress_note, clinical_summary, rfa, ur_decision, imaging, emg, ...
    date: dt.date | None = None
    text: str


class RequestForAuthorization(BaseModel):
    model_config = ConfigDict(extra="allow")

    date: dt.date | None = None
    treating_physician: str | None = None


class UtilizationReview(BaseModel):
    model_config = ConfigDict(extra="allow")

    date: dt.date | None = None
    organization: str | None = None


class Parties(BaseModel):
    """Who is party to the case; the reviewer matcher refuses anyone affiliated with any of them."""

    model_config = ConfigDict(extra="allow")

    employer: str | None = None
    claims_administrator: str | None = None
    insurer: str | None = None
    treating_physician: str | None = None
    providers: list[str] = Field(default_factory=list)
    facilities: list[str] = Field(default_factory=list)
    applicant_attorney: str | None = None
    # Added for the case service (redaction of the published version, duplicate detection):
    worker_name: str | None = None  # the injured worker's name, never shown in a published version
    claim_number: str | None = None  # the claims administrator's claim number


class Application(BaseModel):
    """The IMR application as the IMR organization received it."""

    model_config = ConfigDict(extra="allow")

    received_date: dt.date | None = None
    ur_decision_date: dt.date | None = None
    signed: bool = False
    ur_decision_attached: bool = False
    priority: Priority = "standard"
    # Added for the case service: the claims administrator disputes liability for the claim or body
    # part, so IMR is deferred until liability is resolved.
    liability_disputed: bool = False
    # Added (issue 14): a dispute over medication prescribed under the MTUS Drug Formulary; it runs on
    # its own decision clock (Labor Code 4610.6(d)(1)(A), see openimr.workflow.clock).
    formulary_dispute: bool = False


class CaseFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_number: str | None = None
    priority: Priority = "standard"
    injured_worker: InjuredWorker | None = None
    request_for_authorization: RequestForAuthorization | None = None
    utilization_review: UtilizationReview | None = None
    disputed_items: list[DisputedItem] = Field(min_length=1)
    documents: list[Document]
    parties: Parties | None = None
    application: Application | None = None
    reviewer: ReviewerCredentials | None = None

    def request_date(self) -> dt.date | None:
        """The date criteria are judged at: the RFA date, else the UR date, else the latest record."""
        if self.request_for_authorization and self.request_for_authorization.date:
            return self.request_for_authorization.date
        if self.utilization_review and self.utilization_review.date:
            return self.utilization_review.date
        dates = [d.date for d in self.documents if d.date]
        return max(dates) if dates else None
