"""PR-2 shorthand for an opioid's analgesia and the function it allows (issue #11, second pass).

Each way of writing pain with and without the drug, and what the drug lets the worker do, must meet
the continuation criteria where the note states it; the twins (no pair of scores, an aid rather than a
drug) must not.
"""

from __future__ import annotations

import pytest

from openimr.engine import review_case
from openimr.extract import extract_facts
from openimr.models.case import CaseFile

NOTE = ("PR-2 DOS 02/02/2016\nS: Chronic LBP. {A}\nNo side effects. No aberrant behaviors. UDS 11/15/15 c/w prescribed meds. "
        "CURES reviewed 1/2016.\nMeds: Norco 10/325 mg 1 PO q6h prn #120.\nP: Refill Norco 10/325 #120.\n")


def _case(text: str) -> CaseFile:
    return CaseFile.model_validate({
        "case_number": "OS-1",
        "injured_worker": {"age": 50, "sex": "male", "date_of_injury": "2014-05-02"},
        "request_for_authorization": {"date": "2016-02-03"},
        "utilization_review": {"date": "2016-02-10"},
        "disputed_items": [{"request": "Norco 10/325mg #120", "ur_decision": "non-certified"}],
        "documents": [{"id": "d0", "type": "progress_note", "date": "2016-02-02", "text": text}],
    })


def _pain(text: str) -> list[tuple[float, str | None]]:
    return [(p.score, p.context) for p in extract_facts(_case(NOTE.replace("{A}", text))).pain]


@pytest.mark.parametrize("shorthand", [
    "VAS 8/10 w/o, 4/10 w/. Norco allows him to walk 30 min and do dishes.",
    "Pain 8->4 with meds. Meds allow him to work full duty.",
    "Pain 8 -> 4 w/ Norco; allows her to walk 30 min.",
    "Pain reduced from 8/10 to 4/10 with medications, allows him to work full duty.",
    "VAS 8/10 w/o, 4/10 w/ meds. Able to work full duty with meds.",
    "Pain 8/10 without meds, 4/10 with meds. With Norco he is able to do dishes.",
])
def test_pr2_analgesia_and_function_meet_the_continuation_criteria(shorthand):
    item = review_case(_case(NOTE.replace("{A}", shorthand)))[0].items[0]
    met = {c.id: c.met for c in item.criteria}
    assert met["opioids.ongoing.analgesia"] is True and met["opioids.ongoing.function"] is True
    assert item.decision == "Overturned"


def test_pain_pairs_read_with_and_without_medication():
    assert _pain("VAS 8/10 w/o, 4/10 w/.") == [(8.0, "without medication"), (4.0, "with medication")]
    assert _pain("Pain 8 -> 4 w/ Norco.") == [(8.0, "without medication"), (4.0, "with medication")]


def test_a_change_without_medication_named_is_not_analgesia():
    # the twin: a score that fell, with no word tying it to the drug
    assert all(ctx is None for _, ctx in _pain("Pain went from 8/10 to 4/10 since last visit."))
    item = review_case(_case(NOTE.replace("{A}", "Pain went from 8/10 to 4/10 since last visit. Walks 30 min.")))[0].items[0]
    assert {c.id: c.met for c in item.criteria}["opioids.ongoing.analgesia"] is not True


def test_an_aid_is_not_a_drug_that_allows_function():
    facts = extract_facts(_case(NOTE.replace("{A}", "With assistance he is able to walk to the mailbox.")))
    assert not any(f.name == "functional_improvement" and f.present for f in facts.findings)
