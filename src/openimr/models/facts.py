"""Clinical facts extracted from a case file, each tied to the text that supports it.

Like spaCy's annotations, every fact carries `evidence`: the document id and the character offsets
into that document's `text`, with the quoted text. Nothing enters a draft decision without it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from openimr.models.letter import Sex


class Evidence(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    document: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    quote: str


class Fact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    evidence: list[Evidence] = Field(default_factory=list)
    document_date: dt.date | None = None  # date of the document the fact was read from


class InjuredWorkerFacts(Fact):
    age: int | None = None
    sex: Sex | None = None
    date_of_injury: dt.date | None = None


class Diagnosis(Fact):
    text: str
    icd10: str | None = None
    body_region: str | None = None
    laterality: Literal["left", "right", "bilateral"] | None = None


class Medication(Fact):
    generic: str  # lower case, same normalization as the request classifier
    brand: str | None = None
    strength: str | None = None
    frequency: str | None = None
    since: str | None = None  # ISO date "2015-02-17" or month "2014-01"
    duration_days: int | None = None  # how long taken at the request date, when `since` is known
    status: Literal["current", "past", "planned", "requested"] = "current"


class TreatmentResponse(BaseModel):
    model_config = ConfigDict(extra="forbid")

    percent_relief: int | None = None
    duration_weeks: float | None = None
    medication_reduced: bool | None = None
    function_improved: bool | None = None
    symptoms_improved: bool | None = None  # "helped", "improved her symptoms"; False: no or passing benefit


class Treatment(Fact):
    kind: str  # "physical therapy", "chiropractic", "acupuncture", "injection", "surgery", ...
    detail: str | None = None  # e.g. "epidural steroid injection", "L4-L5 laminectomy"
    sessions: int | None = None
    dates: list[str] = Field(default_factory=list)
    levels: list[str] = Field(default_factory=list)
    body_region: str | None = None
    response: TreatmentResponse | None = None
    status: Literal["completed", "ongoing", "planned"] = "completed"


class Finding(Fact):
    """A named clinical finding from the documented vocabulary (`openimr.models.vocabulary.FINDINGS`)."""

    name: str
    present: bool
    text: str = ""
    body_region: str | None = None
    laterality: str | None = None
    level: str | None = None


class StudyFinding(Fact):
    """An imaging or electrodiagnostic result."""

    modality: str  # "MRI", "CT", "x-ray", "EMG/NCV"
    body_region: str | None = None
    level: str | None = None
    finding: str  # "disc protrusion", "stenosis", "tear", "radiculopathy", "normal", ...
    nerve_root: str | None = None
    severity: str | None = None
    present: bool = True


PainContext = Literal["with medication", "without medication", "least", "average", "worst", "current"]


class PainScore(Fact):
    score: float
    scale_max: int = 10
    context: PainContext | None = None
    body_region: str | None = None


class Statement(Fact):
    """A free-text fact kept with its kind: function, work status, or a plan."""

    kind: str  # function: "improved"/"limited"/...; work status: "full duty"/...; plan: "neurotomy"/"surgery"/...
    text: str


class Cue(Fact):
    """A sentence that states something a criterion needs (`openimr.models.vocabulary.CUES`): a goal, a
    plan, motivation, MMI, a block's relief ... `present` False when the sentence states its absence."""

    name: str
    present: bool = True
    text: str
    value: float | None = None  # a number the sentence gives (a block's percent relief)


class CaseFacts(BaseModel):
    model_config = ConfigDict(extra="forbid")

    injured_worker: InjuredWorkerFacts = Field(default_factory=InjuredWorkerFacts)
    diagnoses: list[Diagnosis] = Field(default_factory=list)
    # conditions of the past medical history (HTN, DM2, CAD, OSA, obesity, anticoagulation ...), each named as
    # the knowledge base names an indication; the record's words are the evidence (issue #11, dxread)
    comorbidities: list[Diagnosis] = Field(default_factory=list)
    medications: list[Medication] = Field(default_factory=list)
    treatments: list[Treatment] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    imaging: list[StudyFinding] = Field(default_factory=list)
    electrodiagnostics: list[StudyFinding] = Field(default_factory=list)
    pain: list[PainScore] = Field(default_factory=list)
    function: list[Statement] = Field(default_factory=list)
    work_status: list[Statement] = Field(default_factory=list)
    plans: list[Statement] = Field(default_factory=list)
    cues: list[Cue] = Field(default_factory=list)
