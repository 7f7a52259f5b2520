"""The statutory clock: when a determination is due, when the records are due, and which cases are at
risk or overdue.

Every constant is configurable (`ClockPolicy`) and cited in `CITATIONS`, with `verified` saying whether
the figure was read in the text of the law (a public copy of it) or not. Deadlines:

- determination, standard review: 30 days after the request for review and supporting documentation
  are received (Labor Code 4610.6(d)(1)(B));
- determination, expedited review: 3 days (Labor Code 4610.6(d)(2));
- determination, formulary dispute (a dispute over medication prescribed under the MTUS Drug
  Formulary): 5 working days (Labor Code 4610.6(d)(1)(A), as amended for formulary disputes); an
  expedited formulary dispute takes the earlier of the two;
- the claims administrator's records: 15 days after the notice of assignment is mailed, 12 days if it
  was sent electronically, 24 hours for an expedited review (8 CCR 9792.10.5(a)(1));
- the application: within 30 days of service of the written UR decision (8 CCR 9792.10.1(b)(1)).

"At risk" means due within `at_risk_days` (5 standard, 1 expedited, 2 formulary). Working days skip
Saturdays, Sundays and the dates in `holidays` (empty by default: California state holidays are not
encoded; an organization configures its own).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

NoticeDelivery = Literal["mail", "electronic"]

# constant -> (citation, verified, note)
CITATIONS: dict[str, tuple[str, bool, str]] = {
    "standard_days": ("Labor Code 4610.6(d)(1)(B)", False,
                      "30 days of receipt of the request and supporting documentation; read in an unofficial copy"),
    "expedited_days": ("Labor Code 4610.6(d)(2)", False, "3 days; not checked against the statute's text"),
    "formulary_working_days": ("Labor Code 4610.6(d)(1)(A)", False,
                               "5 working days for a dispute over medication prescribed under the drug formulary; "
                               "read in an unofficial copy of the statute as amended, not the official code"),
    "records_due_mail_days": ("8 CCR 9792.10.5(a)(1)", True, "15 days after the notice of assignment is mailed"),
    "records_due_electronic_days": ("8 CCR 9792.10.5(a)(1)", True, "12 days if the notice was sent electronically"),
    "records_due_expedited_hours": ("8 CCR 9792.10.5(a)(1)", True, "24 hours after receipt of the notice, expedited"),
    "application_window_days": ("8 CCR 9792.10.1(b)(1)", False,
                                "30 days of service of the written UR decision; read in a 2014 copy of the section"),
}


def add_working_days(start: dt.date, days: int, holidays: frozenset[dt.date] = frozenset()) -> dt.date:
    """The `days`-th working day after `start` (Saturdays, Sundays and `holidays` skipped)."""
    d = start
    left = days
    while left > 0:
        d += dt.timedelta(days=1)
        if d.weekday() < 5 and d not in holidays:
            left -= 1
    return d


@dataclass(frozen=True)
class ClockPolicy:
    standard_days: int = 30
    expedited_days: int = 3
    formulary_working_days: int = 5
    at_risk_standard_days: int = 5
    at_risk_expedited_days: int = 1
    at_risk_formulary_days: int = 2
    # The claims administrator's records (8 CCR 9792.10.5(a)(1)).
    records_due_mail_days: int = 15
    records_due_electronic_days: int = 12
    records_due_expedited_hours: int = 24
    notice_delivery: NoticeDelivery = "mail"  # how this organization sends the notice of assignment
    # Days after service of the written UR decision within which the application must be filed.
    application_window_days: int = 30
    holidays: frozenset[dt.date] = field(default_factory=frozenset)

    def due_date(self, records_complete: dt.date, priority: str, formulary: bool = False) -> dt.date:
        due = records_complete + dt.timedelta(days=self.expedited_days if priority == "expedited" else self.standard_days)
        if formulary:
            due = min(due, add_working_days(records_complete, self.formulary_working_days, self.holidays))
        return due

    def records_due(self, notice: dt.date, priority: str, delivery: NoticeDelivery | None = None) -> dt.date:
        if priority == "expedited":
            # 24 hours after receipt: on a calendar-day clock, the next day
            return notice + dt.timedelta(days=-(-self.records_due_expedited_hours // 24))
        electronic = (delivery or self.notice_delivery) == "electronic"
        return notice + dt.timedelta(days=self.records_due_electronic_days if electronic else self.records_due_mail_days)

    def application_deadline(self, ur_decision_served: dt.date) -> dt.date:
        return ur_decision_served + dt.timedelta(days=self.application_window_days)

    def clock_basis(self, priority: str, formulary: bool = False) -> str:
        """Which deadline rule a case's clock runs on, with its citation (for the case view)."""
        if formulary and priority == "expedited":
            return (f"expedited formulary dispute: the earlier of {self.expedited_days} days and "
                    f"{self.formulary_working_days} working days ({CITATIONS['expedited_days'][0]}; "
                    f"{CITATIONS['formulary_working_days'][0]})")
        if formulary:
            return f"formulary dispute: {self.formulary_working_days} working days ({CITATIONS['formulary_working_days'][0]})"
        if priority == "expedited":
            return f"expedited: {self.expedited_days} days ({CITATIONS['expedited_days'][0]})"
        return f"standard: {self.standard_days} days ({CITATIONS['standard_days'][0]})"


@dataclass(frozen=True)
class ClockState:
    due_date: dt.date | None
    days_remaining: int | None
    overdue: bool
    at_risk: bool


def clock_state(policy: ClockPolicy, due: dt.date | None, priority: str, today: dt.date, closed: bool,
                formulary: bool = False) -> ClockState:
    if due is None or closed:
        return ClockState(due, None if due is None or closed else (due - today).days, False, False)
    remaining = (due - today).days
    if priority == "expedited":
        limit = policy.at_risk_expedited_days
    elif formulary:
        limit = policy.at_risk_formulary_days
    else:
        limit = policy.at_risk_standard_days
    return ClockState(due, remaining, remaining < 0, 0 <= remaining <= limit)
