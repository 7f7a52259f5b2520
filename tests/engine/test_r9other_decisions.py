"""Decisions on the topics issue #11 (r9other) added, each beside a twin that must go the other way; records in the
helper's own words."""

from one_note import first_item, one_note_case

_NECK = ("Neck and right arm pain for 14 months. {exam} MRI cervical 3/2016: C5-6 disc "
         "herniation compressing the right C6 nerve root. Despite 12 PT visits, gabapentin and an epidural injection his "
         "arm pain persists at 7/10.\nPlan: C5-6 ACDF.")


def test_cervical_fusion_with_root_signs_and_imaging_is_overturned():
    note = _NECK.format(exam="Exam: right biceps 4/5, absent right brachioradialis reflex, decreased pinprick right C6.")
    item = first_item(one_note_case("C5-6 anterior cervical discectomy and fusion", note, doi="2015-03-01",
                                    date="2016-05-10"))
    assert item.topic == "cervical-spine-surgery"
    assert item.decision == "Overturned"


def test_cervical_fusion_without_neural_compromise_is_upheld():
    note = _NECK.format(exam="Exam: strength 5/5 throughout, reflexes 2+ and symmetric, sensation intact.")
    item = first_item(one_note_case("C5-6 anterior cervical discectomy and fusion", note, doi="2015-03-01",
                                    date="2016-05-10"))
    assert item.decision == "Upheld"


_HIP = ("Left groin pain with walking and stairs, 7/10. X-ray left hip: {xr}. Dx: {dx}. Completed 8 PT visits and a home program; "
        "naproxen gives partial help only, pain persists.\nPlan: L hip intra-articular steroid injection under fluoroscopy.")


def test_hip_injection_for_osteoarthritis_after_failed_care_is_overturned():
    item = first_item(one_note_case("Left hip intra-articular corticosteroid injection",
                                    _HIP.format(xr="moderate osteoarthritis with joint space narrowing", dx="left hip osteoarthritis"),
                                    doi="2015-06-01", date="2016-04-12"))
    assert item.topic == "hip-injections"
    assert item.decision == "Overturned"


def test_hip_injection_without_osteoarthritis_is_upheld():
    item = first_item(one_note_case("Left hip intra-articular corticosteroid injection",
                                    _HIP.format(xr="normal joint spaces", dx="left hip strain"),
                                    doi="2015-06-01", date="2016-04-12"))
    assert item.decision == "Upheld"


def _collar_criteria(surgery: str) -> dict:
    from one_note import documents_case

    from openimr.engine import review_case

    note = _NECK.format(exam="Exam: right biceps 4/5, absent right brachioradialis reflex, decreased pinprick right C6.")
    case = documents_case([surgery, "Post-operative cervical collar"], [("progress_note", "2016-05-10", note)],
                          doi="2015-03-01", rfa_date="2016-05-10", ur_date="2016-05-17", age=47, case_number="T-collar")
    collar = next(i for i in review_case(case)[0].items if "collar" in i.request)
    return {c.id: c.met for c in collar.criteria}


def test_collar_after_single_level_acdf_is_not_recommended():
    assert _collar_criteria("C5-6 anterior cervical discectomy and fusion")["collar.not-after-single-level-acdf"] is False


def test_collar_after_two_level_acdf_is_not_judged_by_that_criterion():
    assert "collar.not-after-single-level-acdf" not in _collar_criteria("C5-7 anterior cervical discectomy and fusion")
