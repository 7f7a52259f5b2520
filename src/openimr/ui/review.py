"""The review screen's content: per eligible item, the draft beside the reviewer's current choice.

The base a decision is compared with is the latest issued version when correcting one, else the
engine's draft. When the reviewer picks the other outcome, the form asks for a rationale of their own:
the drafted one argues for the drafted outcome (the workflow refuses it at sign-off as well).
"""

from __future__ import annotations

from typing import Any

from openimr.ui.records import Records
from openimr.workflow.eligibility import normalize_request

DECISIONS = ("Upheld", "Overturned")


def _state(met: bool | None) -> str:
    return "met" if met is True else "unmet" if met is False else "undocumented"


def build(data: dict[str, Any], form: dict[str, str] | None = None,
          errors: dict[int, str] | None = None) -> dict[str, Any]:
    """Items, summary and records for review.html. `form`: values posted back (re-shown on an error)."""
    case = data["case"]
    draft = data.get("draft") or {}
    issued = data.get("issued")
    working = data.get("working") or {}
    records = Records(case.get("documents") or [])
    by = {normalize_request(i["request"]): i for i in draft.get("items", [])}
    saved = {normalize_request(i["request"]): i for i in working.get("items", [])}
    final = {normalize_request(i["request"]): i for i in (issued or {}).get("items", [])}
    errors = errors or {}
    items = []
    for n, request in enumerate(data.get("eligible_items") or []):
        key = normalize_request(request)
        d = by.get(key)
        base = final.get(key) if issued else d
        base_decision = (base or {}).get("decision")
        base_rationale = (base or {}).get("rationale") or ""
        current = saved.get(key) or final.get(key) or {}
        decision = current.get("decision") or (d or {}).get("decision")
        rationale = current.get("rationale") if current else (d or {}).get("rationale", "")
        if form is not None:
            decision = form.get(f"decision-{n}") or None
            rationale = form.get(f"rationale-{n}", "")
        criteria = []
        for c in (d or {}).get("criteria", []):
            criteria.append({**c, "state": _state(c.get("met")), "spans": records.register(c.get("evidence") or [])})
        items.append({
            "n": n, "request": request, "draft": d, "criteria": criteria,
            "base_decision": base_decision if base_decision in DECISIONS else None,
            "base_rationale": base_rationale,
            "decision": decision if decision in DECISIONS else None,
            "rationale": rationale or "", "error": errors.get(n),
        })
    sentences = [{"text": s.get("text", ""), "spans": records.register(s.get("evidence") or [])}
                 for s in draft.get("summary_sentences", [])]
    base_summary = (issued or {}).get("clinical_case_summary") if issued else draft.get("clinical_case_summary", "")
    summary = working.get("clinical_case_summary") or base_summary or ""
    if form is not None:
        summary = form.get("clinical_case_summary", summary)
    docs = [{**doc, "marked": records.marked(doc["id"])} for doc in case.get("documents") or []]
    return {"items": items, "sentences": sentences, "summary": summary, "base_summary": base_summary or "",
            "documents": docs}


def check(items: list[dict[str, Any]], form: dict[str, str]) -> dict[int, str]:
    """The form's own requirements, per item: a decision, and a new rationale for a changed one."""
    errors: dict[int, str] = {}
    for it in items:
        n = it["n"]
        decision = form.get(f"decision-{n}")
        rationale = (form.get(f"rationale-{n}") or "").strip()
        if decision not in DECISIONS:
            errors[n] = "Choose a decision: Upheld or Overturned."
        elif it["base_decision"] and decision != it["base_decision"] and (
                not rationale or rationale == it["base_rationale"].strip()):
            errors[n] = (f"You changed the decision from {it['base_decision']} to {decision}: write the rationale "
                         f"for {decision} (the drafted one argues for {it['base_decision']}).")
        elif not rationale:
            errors[n] = "Write a rationale."
    return errors
