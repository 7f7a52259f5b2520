"""Issue #11 (dme8): a joint replacement's indication read from imaging of its region, a study's severity read
from its own words, a hand splint protecting a recent operation. Each rule has a twin it must not break; the
records are written here in our own shorthand, none taken from a held-out set or a real letter."""

from __future__ import annotations

from one_note import first_item, one_note_case

from openimr.models.case import CaseFile


def _case(request: str, note: str, *, age: int = 61, date: str = "2016-05-02",
          extra_docs: list[dict] | None = None) -> CaseFile:
    return one_note_case(request, note, doi="2011-06-01", age=age, date=date, extra_docs=extra_docs, case_number="DM-1")


_item = first_item


HIP = ("Ortho note 5/2/16. L hip pain for years, 7/10, wakes at night, walks half a block. Tried NSAIDs, PT x 10 and a "
       "hip steroid injection - failed. Exam: antalgic gait, IR 5 deg. XR pelvis/L hip: {xr}. Plan: L THA.")


def test_hip_replacement_with_bone_on_bone_imaging_and_failed_care_is_supported():
    item = _item(_case("Left total hip replacement", HIP.format(xr="bone-on-bone joint space loss, large osteophytes")))
    assert item.topic == "hip-arthroplasty"
    assert item.decision == "Overturned"


def test_hip_replacement_with_mild_imaging_is_not_supported():
    item = _item(_case("Left total hip replacement", HIP.format(xr="mild joint space narrowing, small osteophytes")))
    assert item.topic == "hip-arthroplasty"
    assert item.decision == "Upheld"


SPLINT = ("Hand clinic 8/20/15. {hx} Plan: custom dorsal blocking splint, hand therapy.")


def test_a_splint_protecting_a_recent_hand_operation_is_indicated():
    note = SPLINT.format(hx="Two weeks after repair of the flexor tendons of the R middle finger (surgery 8/6/15).")
    item = _item(_case("Custom dorsal blocking splint", note, date="2015-08-20"))
    assert item.topic == "wrist-splints"
    assert item.decision == "Overturned"


def test_a_hand_splint_with_no_condition_it_treats_is_not_indicated():
    note = SPLINT.format(hx="Chronic neck pain, no hand complaints, no surgery.")
    item = _item(_case("Custom dorsal blocking splint", note, date="2015-08-20"))
    assert item.topic == "wrist-splints"
    assert item.decision == "Upheld"


TENS = ("PR-2 6/1/16. DOI 2012. {dx} Home TENS trial x 30 days with HEP: pain 8->4 with use, walks 30 min instead of "
        "10, ibuprofen use halved. Plan: purchase TENS unit, continue HEP.")


def _tens_indication(note: str):
    item = _item(_case("TENS unit purchase", note, date="2016-06-01"))
    return {c.id: c.met for c in item.criteria}.get("tens.indication")


def test_tens_for_radicular_pain_is_for_a_neuropathic_condition():
    assert _tens_indication(TENS.format(dx="Chronic L5 radiculopathy R leg, decreased sensation L5.")) is True


def test_tens_for_plain_axial_back_strain_has_no_indication():
    assert _tens_indication(TENS.format(dx="Lumbar strain, axial low back pain, no leg symptoms.")) is not True


ESI = ("PR-2 11/2/15. L S1 radiculopathy, MRI L5-S1 HNP. SLR + L, dec sens L S1, ankle jerk absent L. {hx} "
       "Plan: {plan} HEP.")
ESI_PROC = {"id": "d1", "type": "procedure_note", "date": "2015-08-10",
            "text": "PROCEDURE 8/10/15: left L5-S1 transforaminal ESI under fluoroscopy. No complications."}


def _esi_conservative(note: str, request: str, docs=None):
    item = _item(_case(request, note, date="2015-11-02", extra_docs=docs))
    return {c.id: c.met for c in item.criteria}.get("esi.conservative-failed")


def test_a_repeat_esi_is_not_asked_again_to_show_conservative_care_failed():
    note = ESI.format(hx="TFESI 8/10/15 gave 70% relief for 9 weeks, Norco halved; pain now back.",
                      plan="repeat L L5-S1 TFESI.")
    assert _esi_conservative(note, "Repeat left L5-S1 transforaminal ESI", [ESI_PROC]) is True


def test_a_first_esi_still_needs_conservative_care_to_have_failed():
    note = ESI.format(hx="New complaint, no treatment tried yet.", plan="left L5-S1 TFESI.")
    assert _esi_conservative(note, "Left L5-S1 transforaminal ESI") is not True
