"""Issue #11 (r14surg): surgeries drafted Upheld because the record's proof of the surgical criteria was not read.

Three classes: the carpal compression (Durkan) test is an examination finding of carpal tunnel syndrome like Tinel
and Phalen; care said to have "changed nothing" in the symptoms failed; before a knee replacement the joint injection is
conservative care, and one whose relief lasted a week or two failed. Twins are written here in our own words (no
held-out or real record); each pair differs only in the fact the change reads.
"""

from __future__ import annotations

import pytest
from one_note import criterion_met, first_item, one_note_case


def _item(request: str, note: str):
    return first_item(one_note_case(request, note, doi="2015-01-10", date="2015-06-20"))


# -- carpal compression (Durkan) test: an examination finding of CTS --------------------------------------------------
_CTS = ("Hand surgery visit. Right hand tingling in the thumb, index and middle fingers for 5 months. {exam} "
        "NCS: moderate right median neuropathy across the wrist. Night splints 10 weeks and job rotation without "
        "relief. Plan: right carpal tunnel release.")


@pytest.mark.parametrize("exam", [
    "Exam: + Durkan on the R.",
    "On examination, Durkan's test is positive at the right wrist.",
    "PE: positive carpal compression test R, 2PD 5 mm.",
])
def test_carpal_compression_test_is_a_cts_finding(exam):
    item = _item("Right carpal tunnel release", _CTS.format(exam=exam))
    assert criterion_met(item, "ctr.clinical") is True


@pytest.mark.parametrize("exam", [
    "Exam: grip strong, 2PD 5 mm.",
    "On examination the wrist is not tender, full motion.",
    "PE: skin intact, radial pulse 2+.",
])
def test_no_provocative_test_no_cts_finding(exam):
    item = _item("Right carpal tunnel release", _CTS.format(exam=exam))
    assert criterion_met(item, "ctr.clinical") is not True


# -- care that changed nothing in the symptoms: the care failed ----------------------------------------------------------
_KNEE = ("Ortho visit. Left knee twisted at work in January. Locking 2x a week. {hx} Exam: medial joint line tenderness, "
         "positive McMurray. MRI: bucket-handle tear of the medial meniscus. Plan: left knee arthroscopy, partial "
         "meniscectomy.")


@pytest.mark.parametrize("hx", [
    "Had PT x 10 and ibuprofen - no change in the locking.",
    "She completed eight physical therapy visits and took naproxen, without any change in her knee symptoms.",
    "PT 12, Motrin; no real change in sx.",
])
def test_care_that_changed_nothing_failed(hx):
    item = _item("Left knee arthroscopy with partial medial meniscectomy", _KNEE.format(hx=hx))
    assert criterion_met(item, "knee-scope.conservative-failed") is True


@pytest.mark.parametrize("hx", [
    "Had PT x 10 and ibuprofen - no change in medications.",
    "She completed eight physical therapy visits and took naproxen.",
    "PT 12 and Motrin in the spring.",
])
def test_care_alone_or_an_unrelated_no_change_is_not_failure(hx):
    item = _item("Left knee arthroscopy with partial medial meniscectomy", _KNEE.format(hx=hx))
    assert criterion_met(item, "knee-scope.conservative-failed") is not True


# -- before a knee replacement, a joint injection whose relief lasted a week or two is failed conservative care -----------
_OA = ("Ortho re-check, 60-year-old. Right knee arthritis. {hx} Standing films: bone-on-bone medial compartment. "
       "BMI 29. Plan: right total knee arthroplasty.")


@pytest.mark.parametrize("hx", [
    "Knee cortisone shot in March gave about one week of relief.",
    "Steroid inj R knee 2/2015 (2 wks relief).",
    "An intra-articular corticosteroid injection helped for 1-2 weeks only.",
])
def test_a_short_lived_joint_injection_failed_before_replacement(hx):
    item = _item("Right total knee arthroplasty", _OA.format(hx=hx))
    assert criterion_met(item, "knee-arthroplasty.conservative-failed") is True


@pytest.mark.parametrize("hx", [
    "Knee cortisone shot in March gave about four months of relief.",
    "Steroid inj R knee 2/2015 with good lasting relief.",
    "No injections so far.",
])
def test_a_lasting_or_absent_injection_is_not_failure(hx):
    item = _item("Right total knee arthroplasty", _OA.format(hx=hx))
    assert criterion_met(item, "knee-arthroplasty.conservative-failed") is not True
