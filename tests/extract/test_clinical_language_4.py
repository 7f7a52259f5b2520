"""Clinical language as clinicians write it (issue #11, fourth pass): what a continuing drug lets the worker do,
written after the drug or after "on"/"with" it, a whole shift worked, an activity taken up again, and pain on
a patch; each with the twins that must not count (negated, an exam, an aid, a goal, a fall)."""

from __future__ import annotations

import pytest

from openimr.extract import extract_facts
from openimr.models.case import CaseFile


def _case(*texts: str) -> CaseFile:
    return CaseFile.model_validate({
        "case_number": "CL-4",
        "injured_worker": {"age": 50, "sex": "female", "date_of_injury": "2013-05-02"},
        "request_for_authorization": {"date": "2016-02-03"},
        "disputed_items": [{"request": "Tramadol 50 mg #120", "ur_decision": "non-certified"}],
        "documents": [{"id": f"d{i}", "type": "progress_note", "date": "2016-02-02", "text": t}
                      for i, t in enumerate(texts)],
    })


def _function(text: str) -> set[bool]:
    return {f.present for f in extract_facts(_case(text)).findings if f.name == "functional_improvement"}


@pytest.mark.parametrize("text", [
    "S: VAS 8/10 w/o meds, 4/10 w/ meds. With Norco he can walk ~40 min w/ dog and do yardwork in short bouts.",
    "S: Shoulder ache 7/10 w/o meds. On tramadol able to sleep through night, do laundry, carry groceries.",
    "On tramadol ER 150 daily, he is able to work 4-hr shifts.",
    "Naproxen 550 BID from 2012-2013 brought pain down to 3-4/10 and let her finish shifts.",
    "Naproxen 500 BID - brings pain to 3-4/10, can do full shift on light line, cook dinner.",
    "Using Lidoderm samples x 6 wks: able to wear work belt & do full 8h shift, sleeping through night.",
    "With Norco he tolerates his modified-duty shift (dispatch desk, 6 hrs).",
    "Started duloxetine in 3/2016: mood better, back to walking 20 min daily and church on Sundays.",
])
def test_function_on_a_continuing_drug(text):
    assert True in _function(text)


@pytest.mark.parametrize("text", [
    "On exam able to heel and toe walk.",  # an exam, not a drug
    "With assistance she can walk 10 feet.",  # an aid
    "On Mondays he can walk to the store.",  # a time
    "Unable to do a full shift even with Norco.",
    "He cannot complete a full shift.",
    "Not able to do full shift.",
    "Not back to walking yet.",
    "Pain back to baseline 8/10.",
    "Does not tolerate full shifts.",
])
def test_what_is_not_function_on_the_drug(text):
    assert True not in _function(text)


def _pain(text: str) -> list[tuple[float, str | None]]:
    return [(p.score, p.context) for p in extract_facts(_case(text)).pain]


def test_pain_on_and_off_a_patch():
    assert _pain("R groin burning pain 6/10 w/ patch, 8/10 w/o.") == [(6.0, "with medication"), (8.0, "without medication")]
