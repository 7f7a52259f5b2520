"""Issue #11 (rehab): reading added for therapy, surgery and block decisions, each with its twin."""

from __future__ import annotations

from openimr.extract import extract_facts
from openimr.models.case import CaseFile, DisputedItem, Document


def _facts(text: str):
    return extract_facts(CaseFile(disputed_items=[DisputedItem(request="Right carpal tunnel release")],
                                  documents=[Document(id="d0", date="2016-10-01", type="progress_note", text=text)]))


def _injection_status(text: str) -> set[str]:
    return {t.status for t in _facts(text).treatments if t.kind == "injection"}


def test_modified_duty_in_a_list_of_care_tried_does_not_make_the_next_item_a_plan():
    text = "Care so far: wrist splints, ibuprofen, modified duty, R carpal tunnel steroid injection 3/2016, relief 5 wks."
    assert _injection_status(text) == {"completed"}


def test_a_reviewer_modification_still_makes_the_item_a_plan():
    text = "UR modified the request to one steroid injection of the R carpal tunnel."
    assert "completed" not in _injection_status(text)
