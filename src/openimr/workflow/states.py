"""Case lifecycle states and the transitions between them.

    Received -> Eligibility Review -> Ineligible (closed, with the reason)
                                   -> Deferred (liability disputed) -> (resumed) Eligibility Review
                                   -> Notice of Assignment and Request for Information
    Notice of Assignment ... -> Records Requested (some records in, more requested)
                             -> Clinical Review (records complete: the clock runs)
    Clinical Review -> Insufficient Records (the reviewer needs more) -> Records Requested / Clinical Review
    Clinical Review -> Closed (Final Determination issued)
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    RECEIVED = "received"
    ELIGIBILITY_REVIEW = "eligibility_review"
    INELIGIBLE = "ineligible"
    NOTICE = "notice_of_assignment"
    RECORDS_REQUESTED = "records_requested"
    CLINICAL_REVIEW = "clinical_review"
    CLOSED = "closed"
    INSUFFICIENT_RECORDS = "insufficient_records"
    DEFERRED = "deferred"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS: dict[Status, str] = {
    Status.RECEIVED: "Received",
    Status.ELIGIBILITY_REVIEW: "Eligibility Review",
    Status.INELIGIBLE: "Ineligible",
    Status.NOTICE: "Notice of Assignment and Request for Information",
    Status.RECORDS_REQUESTED: "Records Requested",
    Status.CLINICAL_REVIEW: "Clinical Review",
    Status.CLOSED: "Closed",
    Status.INSUFFICIENT_RECORDS: "Insufficient Records",
    Status.DEFERRED: "Deferred",
}

# States in which the case is finished (no clock, no caseload).
TERMINAL = {Status.INELIGIBLE, Status.CLOSED}
# States in which a reviewer may be assigned.
ASSIGNABLE = {Status.NOTICE, Status.RECORDS_REQUESTED, Status.CLINICAL_REVIEW, Status.INSUFFICIENT_RECORDS}
# States in which records may be added.
ACCEPTS_RECORDS = {
    Status.ELIGIBILITY_REVIEW, Status.NOTICE, Status.RECORDS_REQUESTED, Status.CLINICAL_REVIEW,
    Status.INSUFFICIENT_RECORDS, Status.DEFERRED,
}

# Liability can come into dispute at any point before the determination: every open state may defer.
ALLOWED: dict[Status, set[Status]] = {
    Status.RECEIVED: {Status.ELIGIBILITY_REVIEW},
    Status.ELIGIBILITY_REVIEW: {Status.INELIGIBLE, Status.DEFERRED, Status.NOTICE},
    Status.DEFERRED: {Status.ELIGIBILITY_REVIEW},
    Status.NOTICE: {Status.RECORDS_REQUESTED, Status.CLINICAL_REVIEW, Status.DEFERRED},
    Status.RECORDS_REQUESTED: {Status.CLINICAL_REVIEW, Status.DEFERRED},
    Status.CLINICAL_REVIEW: {Status.CLOSED, Status.INSUFFICIENT_RECORDS, Status.DEFERRED},
    Status.INSUFFICIENT_RECORDS: {Status.RECORDS_REQUESTED, Status.CLINICAL_REVIEW, Status.DEFERRED},
    Status.INELIGIBLE: set(),
    Status.CLOSED: set(),
}


def parse_status(text: str) -> Status | None:
    """Accept a label ("Clinical Review") or a code ("clinical_review"), any case."""
    t = text.strip().lower().replace("-", "_")
    for s in Status:
        if t in {s.value, s.label.lower(), s.label.lower().replace(" ", "_")}:
            return s
    if t in {"notice", "noa"}:
        return Status.NOTICE
    return None


def can_move(src: Status, dst: Status) -> bool:
    return dst in ALLOWED[src]
