"""The statutory clock: when a determination is due, and which cases are at risk or overdue.

A standard review is due 30 days after the records are complete, an expedited one 3 days after
(calendar days; both configurable). "At risk" means due within `at_risk_days` (5 standard, 1 expedited).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class ClockPolicy:
    standard_days: int = 30
    expedited_days: int = 3
    at_risk_standard_days: int = 5
    at_risk_expedited_days: int = 1
    # Days the claims administrator has to send records after the notice (configurable; see docs).
    records_due_standard_days: int = 15
    records_due_expedited_days: int = 1
    # Days after the UR decision within which the application must arrive.
    application_window_days: int = 30

    def due_date(self, records_complete: dt.date, priority: str) -> dt.date:
        days = self.expedited_days if priority == "expedited" else self.standard_days
        return records_complete + dt.timedelta(days=days)

    def records_due(self, notice: dt.date, priority: str) -> dt.date:
        days = self.records_due_expedited_days if priority == "expedited" else self.records_due_standard_days
        return notice + dt.timedelta(days=days)


@dataclass(frozen=True)
class ClockState:
    due_date: dt.date | None
    days_remaining: int | None
    overdue: bool
    at_risk: bool


def clock_state(policy: ClockPolicy, due: dt.date | None, priority: str, today: dt.date, closed: bool) -> ClockState:
    if due is None or closed:
        return ClockState(due, None if due is None or closed else (due - today).days, False, False)
    remaining = (due - today).days
    limit = policy.at_risk_expedited_days if priority == "expedited" else policy.at_risk_standard_days
    return ClockState(due, remaining, remaining < 0, 0 <= remaining <= limit)
