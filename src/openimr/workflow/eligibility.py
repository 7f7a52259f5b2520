"""Eligibility of an IMR application, as pure functions over the case file.

Checks: the application is signed; it arrived within the window (30 days by default) after the UR
decision; the UR decision is attached; liability is not disputed (else the case is deferred); and per
item: conditionally non-certified items are excluded (UR asked for more information; there is no
decision to review), and items already under review in another application are excluded as duplicates.

Outcome precedence: ineligible > deferred > pending (the UR decision is missing) > eligible.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from openimr.models.case import CaseFile

UR_DOCUMENT_TYPES = {"ur_decision", "utilization_review", "ur", "ur_letter", "ur_determination"}
# The most disputed items one application may carry: the case service refuses more at intake, and a
# determination accepts as many, so every eligible case can be signed.
MAX_ITEMS = 100
# Characters that only separate the parts of a claim number ("Q7-11-2", "Q7 11 2", "Q7/11/2"): any run
# of them is one separator. They are not erased: "Q7-11-2" and "Q7-1-12" are different claims.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212/._]+")


def normalize_request(text: str) -> str:
    t = text.lower()
    t = re.sub(r"[^a-z0-9/#.%]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def _norm(text: str | None) -> str:
    """A name as a comparison key: Unicode-aware (NFKC, case-folded, letters and digits of any script),
    so "Núñez" and "NÚÑEZ" are one key and "王小明" is a key at all."""
    t = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join("".join(ch if ch.isalnum() else " " for ch in t).split())


def normalize_claim_number(text: str | None) -> str:
    """A claim number as compared for duplicates: NFKC, upper case, each run of separators one "-",
    none at the ends. Letters, digits and where the separators fall are kept."""
    t = unicodedata.normalize("NFKC", text or "").strip().upper()
    return _SEPARATORS.sub("-", t).strip("-")


def identity(case: CaseFile) -> str | None:
    """Who and which claim the application is about (never stored: only hashed into item keys)."""
    p = case.parties
    if p and p.claim_number and normalize_claim_number(p.claim_number):
        return "claim:" + normalize_claim_number(p.claim_number)
    doi = case.injured_worker.date_of_injury if case.injured_worker else None
    if p and p.worker_name and _norm(p.worker_name):
        return f"worker:{_norm(p.worker_name)}:{doi or ''}"
    return None


def ur_decision_date(case: CaseFile) -> dt.date | None:
    if case.application and case.application.ur_decision_date:
        return case.application.ur_decision_date
    return case.utilization_review.date if case.utilization_review else None


def item_key(ident: str, ur_date: dt.date | None, request: str) -> str:
    raw = f"{ident}|{ur_date or ''}|{normalize_request(request)}"
    return hashlib.sha256(raw.encode()).hexdigest()


def item_keys(case: CaseFile) -> list[str | None]:
    ident = identity(case)
    ur_date = ur_decision_date(case)
    return [item_key(ident, ur_date, it.request) if ident else None for it in case.disputed_items]


def check_eligibility(
    case: CaseFile,
    document_types: Iterable[str],
    today: dt.date,
    window_days: int = 30,
    find_duplicate: Callable[[str], str | None] = lambda _key: None,
) -> dict[str, Any]:
    """The eligibility result: outcome, reasons, each check and each item's eligibility.

    `find_duplicate(key)` returns the id of an earlier case holding the same item, or None.
    """
    app = case.application
    checks: list[dict[str, Any]] = []
    ineligible: list[str] = []
    pending: list[str] = []

    signed = bool(app and app.signed)
    checks.append({"check": "signed", "passed": signed, "detail": "application signed" if signed else "application not signed"})
    if not signed:
        ineligible.append("the application is not signed")

    received = (app.received_date if app else None) or today
    ur_date = ur_decision_date(case)
    if ur_date is None:
        checks.append({"check": "timely", "passed": None, "detail": "UR decision date unknown"})
        pending.append("the UR decision date is unknown")
    else:
        days = (received - ur_date).days
        if days < 0:
            checks.append({"check": "timely", "passed": False, "detail": "received before the UR decision date"})
            ineligible.append("the application is dated before the UR decision")
        elif days > window_days:
            checks.append({"check": "timely", "passed": False, "detail": f"received {days} days after the UR decision (limit {window_days})"})
            ineligible.append(f"the application was received {days} days after the UR decision (limit {window_days} days)")
        else:
            checks.append({"check": "timely", "passed": True, "detail": f"received {days} days after the UR decision (limit {window_days})"})

    types = {t.lower() for t in document_types}
    attached = bool(app and app.ur_decision_attached) or bool(types & UR_DOCUMENT_TYPES)
    checks.append({"check": "ur_decision_attached", "passed": attached,
                   "detail": "UR decision attached" if attached else "UR decision not attached"})
    if not attached:
        pending.append("the UR decision is not attached")

    disputed = bool(app and app.liability_disputed)
    checks.append({"check": "liability", "passed": not disputed,
                   "detail": "liability disputed: review deferred" if disputed else "liability not disputed"})

    ident = identity(case)
    items: list[dict[str, Any]] = []
    dupes = 0
    for i, (it, key) in enumerate(zip(case.disputed_items, item_keys(case), strict=True)):
        entry: dict[str, Any] = {"index": i, "request": it.request, "eligible": True, "reason": None}
        if it.ur_decision == "conditionally non-certified":
            entry.update(eligible=False, reason="conditionally non-certified: UR requested more information and made no decision to review")
        elif key is not None:
            other = find_duplicate(key)
            if other:
                dupes += 1
                entry.update(eligible=False, reason=f"duplicate: the same item of the same UR decision is already under review in case {other}", duplicate_of=other)
        items.append(entry)
    checks.append({"check": "duplicate", "passed": dupes == 0 if ident else None,
                   "detail": f"{dupes} item(s) already under review" if ident else "not checked: no claim number or worker name given"})
    if not any(e["eligible"] for e in items):
        ineligible.append("no disputed item is eligible for IMR")

    # Possible but probably mistyped: said, never decided on.
    warnings: list[str] = []
    doi = case.injured_worker.date_of_injury if case.injured_worker else None
    for field, d in (("injured_worker.date_of_injury", doi), ("application.ur_decision_date", ur_date),
                     ("application.received_date", app.received_date if app else None)):
        if d is not None and d > today:
            warnings.append(f"{field}: {d} is in the future")
    if doi is not None and ur_date is not None and ur_date < doi:
        warnings.append(f"the UR decision ({ur_date}) is dated before the injury ({doi})")

    if ineligible:
        outcome, reasons = "ineligible", ineligible
    elif disputed:
        outcome, reasons = "deferred", ["liability for the claim is disputed"]
    elif pending:
        outcome, reasons = "pending", pending
    else:
        outcome, reasons = "eligible", []
    return {
        "eligible": outcome == "eligible",
        "outcome": outcome,
        "reasons": reasons,
        "checks": checks,
        "items": items,
        "window_days": window_days,
        "checked_on": today.isoformat(),
        "warnings": warnings,
    }
