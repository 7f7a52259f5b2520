"""A one-item case built around one progress note: the shape most engine regression tests need."""

from __future__ import annotations

from openimr.engine import review_case
from openimr.models.case import CaseFile


def one_note_case(request: str, note: str, *, doi: str, date: str, age: int = 48, case_number: str = "T-1",
                  extra_docs: list[dict] | None = None) -> CaseFile:
    """`request` disputed (non-certified) on `date`, with `note` as the progress note of that day."""
    return CaseFile.model_validate({
        "case_number": case_number,
        "injured_worker": {"age": age, "sex": "female", "date_of_injury": doi},
        "request_for_authorization": {"date": date},
        "utilization_review": {"date": date},
        "disputed_items": [{"request": request, "ur_decision": "non-certified"}],
        "documents": [{"id": "d0", "type": "progress_note", "date": date, "text": note}, *(extra_docs or [])],
    })


def first_item(case: CaseFile):
    return review_case(case)[0].items[0]


def criteria_met(item) -> dict[str, bool | None]:
    """Each judged criterion's `met` in a drafted item, by criterion id."""
    return {c.id: c.met for c in item.criteria}


def criterion_met(item, cid: str):
    """The `met` of criterion `cid` in a drafted item (True / False / None), or "not judged" when the item has none."""
    hits = [c for c in item.criteria if c.id == cid]
    return hits[0].met if hits else "not judged"


def documents_case(requests: list[str], docs: list[tuple[str, str, str]], *, doi: str, rfa_date: str, ur_date: str,
                   age: int, case_number: str) -> CaseFile:
    """Several requests disputed together, with documents given as (type, date, text)."""
    return CaseFile.model_validate({
        "case_number": case_number,
        "injured_worker": {"age": age, "sex": "female", "date_of_injury": doi},
        "request_for_authorization": {"date": rfa_date},
        "utilization_review": {"date": ur_date},
        "disputed_items": [{"request": r, "ur_decision": "non-certified"} for r in requests],
        "documents": [{"id": f"d{n}", "type": kind, "date": date, "text": text} for n, (kind, date, text) in enumerate(docs)],
    })
