"""Issue #11 (other9): surgery, consultations, psychological care, imaging and electrodiagnostics as records
write them. Each rule has a twin it must not break; the records are written here in our own shorthand, none
taken from a held-out set or a real letter."""

from __future__ import annotations

from one_note import documents_case, first_item, one_note_case

from openimr.guidelines.classifier import classify
from openimr.guidelines.knowledge_base import default_knowledge_base


def _item(request: str, note: str, *, doi: str = "2015-02-02", date: str = "2015-03-02", age: int = 44,
          extra_docs: list[dict] | None = None):
    return first_item(one_note_case(request, note, doi=doi, date=date, age=age, extra_docs=extra_docs,
                                    case_number="OT-9"))


def _met(item, cid: str):
    return {c.id: c.met for c in item.criteria}.get(cid)


# -- x-rays of the ankle, wrist and elbow (ACOEM ch. 14, 11, 10) ---------------------------------------------------

ANKLE = ("Occ med 3/2/15. Twisted L ankle on a curb at work 2/20. {exam} Plan: XR L ankle.")


def test_ankle_xray_after_an_injury_with_bony_tenderness_and_no_weight_bearing_is_supported():
    item = _item("X-ray left ankle 3 views", ANKLE.format(
        exam="Cannot bear weight, using crutches. TTP medial malleolus posterior edge."), doi="2015-02-20")
    assert item.topic == "x-rays"
    assert item.decision == "Overturned"


def test_ankle_xray_after_a_mild_sprain_walking_normally_is_not_supported():
    item = _item("X-ray left ankle 3 views", ANKLE.format(
        exam="Walks normally, mild swelling, no bony tenderness."), doi="2015-02-20")
    assert item.topic == "x-rays"
    assert item.decision == "Upheld"


def test_wrist_xray_has_an_entry_now():
    item = _item("X-ray right wrist", "PR-2. R wrist pain 3 months, tried splint and naproxen x 6 wks, no better. "
                                     "Plan: XR R wrist.")
    assert item.topic == "x-rays"
    assert item.decision == "Overturned"
    twin = _item("X-ray right wrist", "PR-2. R wrist ache since yesterday, full ROM, no tenderness. Plan: XR R wrist.",
                 doi="2015-03-01")
    assert twin.topic == "x-rays"
    assert twin.decision == "Upheld"


# -- a trigger-finger injection written by its pulley ----------------------------------------------------------------

def test_an_injection_named_by_the_finger_and_pulley_is_a_hand_injection():
    kb = default_knowledge_base()
    assert classify("Steroid injection left middle finger A1 pulley", kb).topic == "hand-wrist-injections"
    assert classify("Cortisone injection flexor sheath R thumb", kb).topic == "hand-wrist-injections"
    # a finger named without an injection is not one
    assert classify("Splint left middle finger", kb).topic == "wrist-splints"


def test_a_finger_that_catches_and_locks_is_the_triggering_an_injection_treats():
    note = "Hand f/u. L middle finger catching and locking in the morning, tender nodule at the A1 pulley. Plan: CSI."
    item = _item("Steroid injection left middle finger A1 pulley", note)
    assert _met(item, "hand-inj.diagnosis") is True
    twin = _item("Steroid injection left middle finger A1 pulley",
                 "Hand f/u. L middle finger aches after typing, full motion, no nodule. Plan: CSI.")
    assert _met(twin, "hand-inj.diagnosis") is not True


# -- carpal tunnel release: the study's impression, and symptoms that persist despite care ---------------------------

def _ctr(study: str, note: str):
    case = documents_case(
        ["Right carpal tunnel release"],
        [("emg_report", "2015-01-10", study), ("progress_note", "2015-03-02", note)],
        doi="2014-10-01", rfa_date="2015-03-02", ur_date="2015-03-10", age=45, case_number="OT-9")
    from openimr.engine import review_case
    return review_case(case)[0].items[0]


CTR_NOTE = ("Hand surgery f/u. R hand numbness {course}. Tinel +, Phalen +. Plan: R CTR.")


def test_ctr_with_a_study_consistent_with_cts_and_symptoms_persisting_despite_care_is_supported():
    item = _ctr("NCS: R median distal latencies prolonged, consistent with moderate right CTS.",
                CTR_NOTE.format(course="persistent despite night splints x 8 wks and a steroid injection"))
    assert _met(item, "ctr.electrodiagnostic") is True
    assert _met(item, "ctr.conservative-failed") is True
    assert item.decision == "Overturned"


def test_ctr_with_a_normal_study_is_not_supported():
    item = _ctr("NCS: R median latencies within normal limits. Normal study.",
                CTR_NOTE.format(course="persistent despite night splints x 8 wks and a steroid injection"))
    assert _met(item, "ctr.electrodiagnostic") is not True
    assert item.decision == "Upheld"


def test_care_that_helped_is_not_failed_care():
    item = _ctr("NCS: R median distal latencies prolonged, consistent with moderate right CTS.",
                CTR_NOTE.format(course="much better with night splints x 8 wks, now rare"))
    assert _met(item, "ctr.conservative-failed") is not True


# -- EMG/NCV: care tried and "no better" -----------------------------------------------------------------------------

EDX = ("New pt, 5 wk hx of R hand numbness in median distribution. Tinel + R. {course} Plan: EMG/NCV RUE.")


def test_care_listed_then_no_better_is_failed_care():
    item = _item("EMG/NCV right upper extremity", EDX.format(course="Tried wrist splint and naproxen x 3 wks, no better."),
                 doi="2015-02-10")
    assert _met(item, "edx-upper.duration") is True
    twin = _item("EMG/NCV right upper extremity", EDX.format(course="Tried wrist splint and naproxen x 3 wks, much better."),
                 doi="2015-02-24")
    assert _met(twin, "edx-upper.duration") is not True


# -- knee replacement: a radiograph read as joint space loss ---------------------------------------------------------

TKA = ("Ortho 3/2/15. 66M R knee pain for years, night pain, walks 1 block. Failed PT, NSAIDs, CSI x2. Plan: R TKA.")


def test_tka_with_bone_on_bone_films_and_failed_care_is_supported():
    xr = {"id": "x1", "type": "imaging_report", "date": "2015-01-05", "text": "R knee standing XR: bone on bone medial compartment, osteophytes."}
    item = _item("Right total knee arthroplasty", TKA, age=66, doi="2013-01-01", extra_docs=[xr])
    assert _met(item, "knee-arthroplasty.advanced-osteoarthritis") is True
    assert item.decision == "Overturned"


def test_tka_with_mild_joint_space_narrowing_is_not_supported():
    xr = {"id": "x1", "type": "imaging_report", "date": "2015-01-05", "text": "R knee standing XR: mild joint space narrowing medially."}
    item = _item("Right total knee arthroplasty", TKA, age=66, doi="2013-01-01", extra_docs=[xr])
    assert _met(item, "knee-arthroplasty.advanced-osteoarthritis") is False
    assert item.decision == "Upheld"
