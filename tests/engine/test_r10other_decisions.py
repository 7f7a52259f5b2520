"""Issue #11 (r10other): postsurgical therapy read as surgeons and therapists chart it.

Twins: a record that meets the criterion and one that does not, written here in our own words (no held-out or real
record). The measure written "now (was/from then)" is read as a change; the repair charted by its abbreviation is
the surgery the therapy follows.
"""

from __future__ import annotations

import pytest
from one_note import documents_case

from openimr.engine import review_case
from openimr.extract.facts import _function_improved
from openimr.models.case import CaseFile


def _case(requests: list[str], docs: list[tuple[str, str, str]]) -> CaseFile:
    return documents_case(requests, docs, doi="2015-03-01", rfa_date="2016-05-02", ur_date="2016-05-09", age=47,
                          case_number="RO-1")


def _item(case: CaseFile, request: str):
    return {it.request: it for it in review_case(case)[0].items}[request]


@pytest.mark.parametrize(("text", "expected"), [
    ("Lower extremity functional scale 44/80 (from 27/80 at the first visit).", True),
    ("Lower extremity functional scale 27/80 (from 44/80 at the first visit).", None),
    ("Quick DASH today 41 (was 66).", True),
    ("Quick DASH today 66 (was 41).", None),
    ("Knee AROM 0-118 (was 5-90 at six weeks).", True),
    ("Knee AROM 0-90 (was 0-118 at six weeks).", None),
    ("Shoulder abduction 140 deg, initially 80.", True),
])
def test_a_measure_written_now_then_before_is_a_change(text: str, expected: bool | None):
    assert _function_improved(text) is expected


PST = "Additional post-operative physical therapy left shoulder 2x4"


def _note(measure: str) -> tuple[str, str, str]:
    return ("progress_note", "2016-04-28",
            f"Ortho f/u 4/28/16: s/p L shoulder arthroscopic RCR 2/10/16, 11 wks post-op. PT visits done: 16. {measure} "
            "Plan: PT 2x4 more for strengthening.")


def test_more_postsurgical_therapy_after_a_charted_rcr_with_a_measured_gain_is_supported():
    item = _item(_case([PST], [_note("AROM flexion 135 (was 85 at 6 wks).")]), PST)
    met = {c.id: c.met for c in item.criteria}
    assert met["pst.functional-improvement.rotator-cuff-repair"] is True
    assert item.decision == "Overturned"


def test_more_postsurgical_therapy_after_a_charted_rcr_without_a_gain_is_not_supported():
    item = _item(_case([PST], [_note("AROM flexion 85 (was 135 at 6 wks).")]), PST)
    met = {c.id: c.met for c in item.criteria}
    assert met.get("pst.functional-improvement.rotator-cuff-repair") is not True
    assert item.decision == "Upheld"


# -- a knee replacement: ODG's body-mass index limit, judged only where a note states the index ----------------

TKA = "Left total knee arthroplasty"


def _tka_note(bmi: str) -> tuple[str, str, str]:
    return ("progress_note", "2016-04-28",
            "Ortho PR-2 4/28/16: 61 yo M, L knee OA. Pain 7/10 with night pain. Failed PT 2015, meloxicam, two steroid "
            f"injections. {bmi} Exam: L knee ROM 5-100, varus, crepitus. XR: L knee bone-on-bone medial compartment. "
            "Plan: L TKA.")


def _tka_met(bmi: str) -> tuple[dict[str, bool | None], str | None]:
    case = documents_case([TKA], [_tka_note(bmi)], doi="2015-03-01", rfa_date="2016-05-02", ur_date="2016-05-09",
                          age=61, case_number="RO-2")
    item = _item(case, TKA)
    return {c.id: c.met for c in item.criteria}, item.decision


def test_a_knee_replacement_with_a_stated_bmi_under_the_limit_meets_it():
    met, _ = _tka_met("Wt 205 lb, BMI 31.2.")
    assert met["knee-arthroplasty.bmi"] is True


def test_a_knee_replacement_with_a_stated_bmi_over_the_limit_is_not_supported():
    met, decision = _tka_met("Wt 290 lb, body mass index of 44.")
    assert met["knee-arthroplasty.bmi"] is False
    assert decision == "Upheld"


def test_a_knee_replacement_record_silent_about_bmi_is_not_judged_on_it():
    met, _ = _tka_met("")
    assert "knee-arthroplasty.bmi" not in met


# -- hardware removal (ODG): painful or broken hardware over a healed fracture ---------------------------------

HWR = "Removal of hardware right wrist (volar plate)"


def _hwr(exam: str, imaging: str) -> tuple[str | None, dict[str, bool | None]]:
    note = ("progress_note", "2016-04-28",
            f"Hand surgery f/u 4/28/16: s/p ORIF R distal radius fx 6/2015 with volar plate. {exam} "
            f"XR 4/2016: {imaging} Plan: removal of hardware.")
    case = documents_case([HWR], [note], doi="2015-06-01", rfa_date="2016-05-02", ur_date="2016-05-09", age=44,
                          case_number="RO-3")
    item = _item(case, HWR)
    return item.decision, {c.id: c.met for c in item.criteria}


def test_hardware_removal_requests_classify_to_their_own_topic():
    case = documents_case([HWR], [("progress_note", "2016-04-28", "Wrist pain.")], doi="2015-06-01",
                          rfa_date="2016-05-02", ur_date="2016-05-09", age=44, case_number="RO-3")
    assert _item(case, HWR).topic == "hardware-removal"


def test_hardware_removal_is_supported_for_painful_hardware_over_a_healed_fracture():
    decision, met = _hwr("Tender directly over the plate, irritates flexor tendons.", "fracture healed, plate intact.")
    assert met["hardware-removal.symptomatic"] is True
    assert met["hardware-removal.other-causes-excluded"] is True
    assert decision == "Overturned"


def test_hardware_removal_is_not_supported_when_the_fracture_is_not_healed():
    decision, met = _hwr("Tender directly over the plate.", "fracture line still visible, not yet healed.")
    assert met["hardware-removal.other-causes-excluded"] is not True
    assert decision == "Upheld"


def test_hardware_removal_is_not_supported_without_symptoms_from_the_hardware():
    decision, met = _hwr("Wrist stiff, grip weak, no tenderness.", "fracture healed, plate intact.")
    assert met["hardware-removal.symptomatic"] is not True
    assert decision == "Upheld"
