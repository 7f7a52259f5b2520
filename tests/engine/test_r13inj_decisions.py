"""Issue #11 (r13inj): injections read as clinicians chart the care before them, and hyaluronic acid in the shoulder.

Twins in our own words (no held-out or real record): a record that meets the criterion and one that does not,
differing only in the fact the change reads.
"""

from __future__ import annotations

import pytest
from one_note import criterion_met, first_item, one_note_case

from openimr.extract.facts import _symptoms_improved


def _item(request: str, note: str):
    return first_item(one_note_case(request, note, doi="2013-02-11", date="2015-06-09"))


# -- benefit called small is benefit that did not last: the same class as "minimal relief" ------------------------------
@pytest.mark.parametrize("text", [
    "PT x 10 with modest benefit",
    "chiropractic 8 visits: marginal improvement",
    "therapy gave mild relief",
    "Acupuncture x6, slight improvement only",
])
def test_a_small_benefit_is_not_a_course_that_helped(text):
    assert _symptoms_improved(text) is False


# -- help with one complaint while the one treated persists ---------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "PT helped the back pain but persistent leg numbness",
    "therapy improved her neck pain, but she still has radiating arm pain",
    "chiro relieved some symptoms; however he continues to report shooting pain",
    "good relief of the low back, yet the sciatica persists",
])
def test_help_with_the_rest_still_there_is_partial(text):
    assert _symptoms_improved(text) is False


@pytest.mark.parametrize("text", [
    "PT helped a great deal and she is back to full duty",
    "therapy improved her pain, and he continues to work full duty",
    "chiropractic relieved the symptoms",
])
def test_help_without_a_residue_still_helped(text):
    assert _symptoms_improved(text) is True


_ESI_NOTE = ("PM&R 6/9/15. Neck pain radiating to L forearm and thumb, numb. {care} Meloxicam daily. Exam: Spurling + L, "
             "dec pinprick L C6, L brachioradialis 1+, wrist ext 4/5. MRI C-spine 3/2015: C5-6 disc-osteophyte, L foraminal "
             "stenosis. A: L C6 radiculopathy. P: L C5-6 interlaminar CESI. No prior injections.")


@pytest.mark.parametrize("care", [
    "PT x 12 earlier this year: neck better but arm symptoms persist.",
    "Finished 10 PT sessions, modest benefit.",
    "Physical therapy 12 visits helped the neck pain, but he still has numbness in the thumb.",
])
def test_therapy_that_left_the_radicular_pain_is_failed_conservative_care(care):
    item = _item("Cervical epidural steroid injection C5-6", _ESI_NOTE.format(care=care))
    assert criterion_met(item, "esi.conservative-failed") is True
    assert item.decision == "Overturned"


def test_therapy_that_resolved_the_arm_pain_has_not_failed():
    care = "PT x 12 earlier this year helped a lot, arm pain much improved."
    item = _item("Cervical epidural steroid injection C5-6", _ESI_NOTE.format(care=care))
    assert criterion_met(item, "esi.conservative-failed") is not True
    assert item.decision == "Upheld"


# -- hyaluronic acid in the shoulder: ODG, not ACOEM's corticosteroid criteria -------------------------------------------
_SHOULDER_NOTE = ("Ortho 6/9/15: R shoulder pain, painful arc, night pain. PT x 10, HEP, naproxen. Exam: + Neer, + Hawkins. "
                  "MRI: cuff tendinosis, mild GH arthritis. P: {plan}")


@pytest.mark.parametrize("request_text", [
    "Orthovisc injections x 3 right shoulder",
    "Hyaluronic acid injection R shoulder",
    "Viscosupplementation injection, right shoulder",
])
def test_hyaluronic_acid_in_the_shoulder_is_decided_by_odg(request_text):
    item = _item(request_text, _SHOULDER_NOTE.format(plan="hyaluronic acid injections R shoulder."))
    assert criterion_met(item, "shoulder-ha.recommendation") is False
    assert criterion_met(item, "shoulder-inj.diagnosis") == "not judged"
    assert item.decision == "Upheld"


def test_a_steroid_injection_in_the_same_shoulder_keeps_acoems_criteria():
    item = _item("Subacromial corticosteroid injection right shoulder",
                 _SHOULDER_NOTE.format(plan="subacromial cortisone injection R shoulder."))
    assert criterion_met(item, "shoulder-ha.recommendation") == "not judged"
    assert criterion_met(item, "shoulder-inj.diagnosis") is True
    assert item.decision == "Overturned"
