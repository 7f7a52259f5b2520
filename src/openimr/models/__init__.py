"""The typed models shared by every stage: the single source of truth for validation and schemas."""

from openimr.models.case import (
    Application,
    CaseFile,
    DisputedItem,
    Document,
    Parties,
    RequestForAuthorization,
    UtilizationReview,
)
from openimr.models.facts import (
    CaseFacts,
    Diagnosis,
    Evidence,
    Finding,
    InjuredWorkerFacts,
    Medication,
    PainScore,
    Statement,
    StudyFinding,
    Treatment,
    TreatmentResponse,
)
from openimr.models.knowledge import Condition, Criterion, GuidelineEntry, RationaleText, Topic
from openimr.models.letter import (
    Citation,
    Determination,
    Guideline,
    InjuredWorker,
    ItemDecision,
    ReviewerCredentials,
)

__all__ = [
    "Application", "CaseFacts", "CaseFile", "Citation", "Condition", "Criterion", "Determination",
    "Diagnosis", "DisputedItem", "Document", "Evidence", "Finding", "Guideline", "GuidelineEntry",
    "InjuredWorker", "InjuredWorkerFacts", "ItemDecision", "Medication", "PainScore", "Parties",
    "RationaleText", "RequestForAuthorization", "ReviewerCredentials", "Statement", "StudyFinding",
    "Topic", "Treatment", "TreatmentResponse", "UtilizationReview",
]
