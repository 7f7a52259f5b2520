"""The case service's response models: every endpoint declares one, so the OpenAPI spec is the contract
and a response that strays from it fails in the tests rather than at a client."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from openimr.models.case import Application, DisputedItem, Parties, RequestForAuthorization, UtilizationReview
from openimr.models.draft import Draft
from openimr.models.letter import InjuredWorker, ItemDecision
from openimr.workflow.security import Role


class Health(BaseModel):
    status: Literal["ok"]
    version: str


class UserDeactivated(BaseModel):
    id: str
    active: bool


class ReviewerOut(BaseModel):
    id: str
    user: str
    name: str
    licensure: list[str]
    specialty: str
    board_certified: bool
    years_active: float
    hours_per_week: float
    affiliations: list[str]
    active: bool
    open_cases: int = Field(description="open cases assigned to the reviewer")


class EligibilityCheck(BaseModel):
    check: str
    passed: bool | None = Field(description="null: not decidable yet")
    detail: str


class EligibilityItem(BaseModel):
    index: int
    request: str
    eligible: bool
    reason: str | None = None
    duplicate_of: str | None = None


class Eligibility(BaseModel):
    eligible: bool = False
    outcome: Literal["eligible", "ineligible", "deferred", "pending"] | None = None
    reasons: list[str] = Field(default_factory=list)
    checks: list[EligibilityCheck] = Field(default_factory=list)
    items: list[EligibilityItem] = Field(default_factory=list)
    window_days: int | None = None
    checked_on: dt.date | None = None
    warnings: list[str] = Field(default_factory=list, description="dates that look mistyped (future, UR before injury)")


class Clock(BaseModel):
    notice_date: dt.date | None = None
    records_due_date: dt.date | None = None
    records_complete_date: dt.date | None = None
    due_date: dt.date | None = None
    days_remaining: int | None = None
    overdue: bool = False
    at_risk: bool = False
    formulary_dispute: bool = Field(False, description="a formulary dispute, on its own decision clock")
    basis: str | None = Field(None, description="the rule the decision clock follows, with its citation")


class CaseSummary(BaseModel):
    id: str
    case_number: str | None = None
    status: str = Field(description="the status label")
    status_code: str
    status_reason: str | None = None
    priority: str
    assigned_reviewer: str | None = Field(None, description="the reviewer's id (staff and the reviewer only)")
    due_date: dt.date | None = None
    days_remaining: int | None = None
    overdue: bool = False
    at_risk: bool = False
    formulary_dispute: bool = False
    created_at: dt.datetime


class DocumentOut(BaseModel):
    id: str
    type: str
    date: dt.date | None = None
    text: str | None = Field(None, description="omitted for parties")


class DeterminationRef(BaseModel):
    id: str
    version: int
    signed_at: dt.datetime
    supersedes: str | None = None


class ItemNeedOut(BaseModel):
    request: str
    topic: str | None = None
    category: str | None = None
    specialties: list[str] = Field(default_factory=list)
    source: str | None = None


class ConsideredReviewer(BaseModel):
    reviewer: str
    name: str
    eligible: bool
    reasons: list[str]
    open_cases: int


class AssignmentInfo(BaseModel):
    reviewer: str | None = None
    reviewer_name: str | None = None
    why: list[str] = Field(default_factory=list)
    needs: list[ItemNeedOut] = Field(default_factory=list)
    considered: list[ConsideredReviewer] = Field(default_factory=list)
    assigned_at: dt.datetime | None = None
    previous: str | None = None


class AssignmentOut(AssignmentInfo):
    case: str
    status: str


class CaseView(CaseSummary):
    eligibility: Eligibility
    clock: Clock
    disputed_items: list[DisputedItem]
    injured_worker: InjuredWorker | None = None
    application: Application | None = None
    updated_at: dt.datetime
    documents: list[DocumentOut]
    parties: Parties | None = Field(None, description="staff, the reviewer and the claims administrator only")
    request_for_authorization: RequestForAuthorization | None = None
    utilization_review: UtilizationReview | None = None
    assignment: AssignmentInfo | None = Field(None, description="staff only")
    determinations: list[DeterminationRef]
    letter_available: bool


class CaseCreated(BaseModel):
    id: str
    status: str
    status_code: str
    eligibility: Eligibility
    case: CaseView


class AccessGranted(BaseModel):
    case: str
    user: str


class DraftOut(BaseModel):
    id: int
    case: str
    created_at: dt.datetime
    draft: Draft


class Change(BaseModel):
    request: str | None = Field(description="the item (null: the clinical case summary)")
    field: str
    to: Any = None
    from_: Any = Field(None, alias="from")

    model_config = ConfigDict(populate_by_name=True)


class DeterminationOut(BaseModel):
    case: str
    status: str
    signed: bool
    changes: list[Change]
    items: list[ItemDecision]
    determination: str | None = Field(None, description="the issued determination's id (signed only)")
    version: int | None = None
    supersedes: str | None = None
    signed_at: dt.datetime | None = None


class AuditEventOut(BaseModel):
    id: int
    at: dt.datetime
    actor: str | None = None
    role: Role | None = None
    action: str
    detail: dict[str, Any]


class PublishedOut(BaseModel):
    case: str
    determination: str
    version: int
    supersedes: str | None = None
    issued_at: dt.datetime
    published: dict[str, Any] = Field(description="the redacted Final Determination (the Determination's fields)")
    letter_text: str
