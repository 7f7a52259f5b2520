"""The MTUS Drug Formulary (8 CCR 9792.27.1-9792.27.23) as typed data: a drug list row, a
prescription as the rules read it, and the facts the rules report per drug item.

Each fact names the section it relies on and says `verified: false` where the rule's wording was not
checked against the regulation's text.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FormularyStatus = Literal["exempt", "non-exempt", "unlisted", "not-applicable", "no-list"]


class DrugListEntry(BaseModel):
    """One row of DWC's MTUS Drug List (8 CCR 9792.27.15)."""

    model_config = ConfigDict(extra="forbid")

    active_ingredient: str
    drug_class: str = ""
    reference_in_guidelines: str = ""
    exempt: bool
    special_fill: bool = False
    special_fill_days: int | None = None  # the supply limit the list sets; None when not stated
    perioperative_fill: bool = False
    perioperative_fill_days: int | None = None
    version: str
    effective_date: dt.date


class Prescription(BaseModel):
    """A disputed drug item as the formulary rules read it. Unknown stays None (never guessed)."""

    model_config = ConfigDict(extra="forbid")

    drug: str  # active ingredient(s); combinations as "hydrocodone/acetaminophen"
    dispensed_on: dt.date  # chooses the drug list version (and whether the formulary applies)
    prescribed_on: dt.date | None = None  # the visit date; default: dispensed_on
    date_of_injury: dt.date | None = None
    initial_visit: bool | None = None  # prescribed at the single initial treatment visit after the injury
    surgery_date: dt.date | None = None
    surgery: bool | None = None  # False: the record shows no surgery near the prescription
    days_supply: int | None = None
    brand_name: bool | None = None  # a brand name drug was prescribed
    generic_available: bool | None = None  # a less costly therapeutically equivalent generic exists
    brand_need_documented: bool | None = None  # the physician documents why the brand is medically needed
    physician_dispensed: bool = False
    compounded: bool = False
    per_mtus: bool | None = None  # prescribed in accordance with the MTUS Treatment Guidelines (reviewer's call)


class FormularyFact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rule: str  # e.g. "special_fill.window"
    statement: str
    holds: bool | None  # None: the record does not say
    section: str  # e.g. "8 CCR 9792.27.12(b)(1), (c)"
    verified: bool = True


class FormularyAssessment(BaseModel):
    """Whether the prescription needed authorization through prospective review, and why."""

    model_config = ConfigDict(extra="forbid")

    drug: str
    status: FormularyStatus
    list_version: str | None = None
    list_effective_date: dt.date | None = None
    entry: DrugListEntry | None = None
    # True: prospective review was needed; False: it was not (an exempt, special fill or perioperative
    # fill path applies); None: the record does not say enough (see the facts)
    prospective_review_required: bool | None = None
    route: str | None = None  # the path that exempts it: "exempt", "special_fill", "perioperative_fill"
    facts: list[FormularyFact] = Field(default_factory=list)
