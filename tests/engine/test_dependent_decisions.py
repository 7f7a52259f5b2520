"""Issue #11 (devdec): decisions that follow another disputed item, and three general reading/decision rules.

A service that exists only for a surgery (tests and clearance before it, an assistant, therapy, equipment or care
after it) follows the draft decision of the surgery disputed in the same case: the criterion
`associated.procedure-necessary` of its guideline entry, read on the engine's second pass. Each rule has a twin
it must not touch. The records are written here; none is taken from a letter or a held-out set.
"""

from __future__ import annotations

from openimr.engine import review_case
from openimr.models.case import CaseFile

ASSOC = "associated.procedure-necessary"


def _case(requests: list[str], note: str, *, doi: str = "2015-06-02", date: str = "2017-03-01",
          extra_docs: list[dict] | None = None) -> CaseFile:
    return CaseFile.model_validate({
        "case_number": "DD-1",
        "injured_worker": {"age": 52, "sex": "male", "date_of_injury": doi},
        "request_for_authorization": {"date": date},
        "utilization_review": {"date": date},
        "disputed_items": [{"request": r, "ur_decision": "non-certified"} for r in requests],
        "documents": [{"id": "d0", "type": "progress_note", "date": date, "text": note}, *(extra_docs or [])],
    })


def _items(case: CaseFile) -> dict[str, object]:
    return {it.request: it for it in review_case(case)[0].items}


def _assoc(item) -> bool | None | str:
    hits = [c for c in item.criteria if c.id.startswith(ASSOC)]
    return hits[0].met if hits else "not judged"


# A shoulder surgery the record does not support: no imaging, no trial of conservative care.
NOTE_WEAK_SURGERY = ("PR-2 3/1/17. R shoulder pain since lifting at work. O: mild TTP R shoulder, full ROM. "
                     "Assessment: Right shoulder strain. P: R shoulder arthroscopy with SAD, pre-op labs, post-op PT, "
                     "post-op cold therapy unit, post-op shoulder sling.")

# A shoulder surgery the record supports: full-thickness tear on MRI, weakness, months of failed care.
NOTE_STRONG_SURGERY = (
    "PR-2 3/1/17. R shoulder pain and weakness x 9 months after a fall at work. Failed 12 sessions of PT, "
    "a subacromial cortisone injection with 2 weeks of relief only, NSAIDs and activity modification. "
    "Night pain, cannot lift the arm overhead. O: positive drop-arm test, positive Neer and Hawkins, "
    "supraspinatus weakness 3+/5, painful arc. MRI R shoulder 12/5/16: full-thickness supraspinatus tear with "
    "retraction. Assessment: Full-thickness rotator cuff tear, right. P: R shoulder arthroscopy with rotator cuff "
    "repair and subacromial decompression; post-op PT 24 visits; pre-op labs; post-op shoulder sling.")

SURGERY = "Right shoulder arthroscopy with subacromial decompression"


def test_services_for_a_surgery_that_is_not_necessary_are_not_necessary():
    reqs = [SURGERY, "Post-op physical therapy 2x/week x 6 weeks, right shoulder", "Pre-operative labs: CBC, BMP",
            "Post-operative cold therapy unit, 7 day rental", "Post-op shoulder sling with abduction pillow"]
    items = _items(_case(reqs, NOTE_WEAK_SURGERY))
    assert items[SURGERY].decision == "Upheld"
    for r in reqs[1:]:
        it = items[r]
        assert it.decision == "Upheld", r
        assert _assoc(it) is False, r
        # the rationale says so, and names the surgery
        assert "accompanies the requested surgery" in it.rationale and SURGERY in it.rationale, r


def test_services_for_a_surgery_that_is_necessary_are_judged_on_their_own():
    reqs = [SURGERY.replace("subacromial decompression", "rotator cuff repair"),
            "Post-op physical therapy 2x/week x 6 weeks, right shoulder", "Post-op shoulder sling with abduction pillow"]
    items = _items(_case(reqs, NOTE_STRONG_SURGERY))
    assert items[reqs[0]].decision == "Overturned"
    for r in reqs[1:]:
        assert _assoc(items[r]) is True, r
        assert "accompanies the requested surgery" not in items[r].rationale


def test_without_a_disputed_surgery_the_criterion_is_not_judged():
    note = ("PR-2 3/1/17. S/p R shoulder arthroscopy with SAD 2/1/17. Post-op, ROM improving. "
            "P: post-op PT 2x/week x 6 weeks.")
    items = _items(_case(["Post-op physical therapy 2x/week x 6 weeks, right shoulder"], note))
    assert _assoc(next(iter(items.values()))) == "not judged"


def test_equipment_that_does_not_say_it_is_for_the_surgery_is_judged_on_its_own():
    # a knee brace asked beside an unsupported shoulder surgery is not the surgery's equipment
    note = NOTE_WEAK_SURGERY + " L knee giving way, positive Lachman. Assessment: L ACL insufficiency. P: hinged knee brace."
    items = _items(_case([SURGERY, "Hinged knee brace, left"], note))
    assert items[SURGERY].decision == "Upheld"
    assert _assoc(items["Hinged knee brace, left"]) == "not judged"


def test_equipment_named_as_post_operative_follows_the_surgery():
    items = _items(_case([SURGERY, "Post-operative TENS unit, 30 day rental"], NOTE_WEAK_SURGERY))
    assert _assoc(items["Post-operative TENS unit, 30 day rental"]) is False
    assert items["Post-operative TENS unit, 30 day rental"].decision == "Upheld"


def test_the_same_equipment_not_named_as_post_operative_is_judged_on_its_own():
    items = _items(_case([SURGERY, "TENS unit, 30 day rental"], NOTE_WEAK_SURGERY))
    assert _assoc(items["TENS unit, 30 day rental"]) == "not judged"


# -- an inpatient stay after surgery: a topic of its own, decided with its surgery -------------------------------

TKA = "Right total knee arthroplasty"
NOTE_TKA = ("PR-2 3/1/17. {age}-year-old with R knee pain for years, worse with stairs and walking more than one block. "
            "Failed PT 12 visits, 3 cortisone injections, Synvisc series, NSAIDs and a knee brace. O: varus deformity, "
            "crepitus, ROM 5-95. X-ray R knee 1/12/17: {xray}. Assessment: {dx}. P: R TKA, inpatient stay 3 days.")


def _tka(age: int, xray: str, dx: str, stay: str = "Inpatient hospital stay 3 days"):
    note = NOTE_TKA.format(age=age, xray=xray, dx=dx)
    case = _case([TKA, stay], note)
    case.injured_worker.age = age
    return _items(case)


def test_a_stay_for_a_supported_knee_replacement_is_supported():
    items = _tka(66, "severe tricompartmental osteoarthritis, bone-on-bone medial compartment",
                 "Severe primary osteoarthritis, right knee")
    assert items[TKA].decision == "Overturned"
    stay = items["Inpatient hospital stay 3 days"]
    assert stay.topic == "inpatient-hospital-stay"
    assert _assoc(stay) is True
    assert stay.decision == "Overturned"


def test_a_stay_for_a_knee_replacement_that_is_not_supported_is_not():
    items = _tka(44, "mild medial joint space narrowing", "Mild osteoarthritis, right knee")
    assert items[TKA].decision == "Upheld"
    stay = items["Inpatient hospital stay 3 days"]
    assert _assoc(stay) is False
    assert stay.decision == "Upheld"


def test_a_stay_longer_than_the_usual_needs_a_complication():
    items = _tka(66, "severe tricompartmental osteoarthritis, bone-on-bone medial compartment",
                 "Severe primary osteoarthritis, right knee", stay="Inpatient hospital stay 7 days")
    assert items[TKA].decision == "Overturned"
    assert items["Inpatient hospital stay 7 days"].decision == "Upheld"


def test_a_service_for_another_part_of_the_body_does_not_follow_the_surgery():
    # post-operative therapy for a knee operated on last year is not the disputed shoulder surgery's therapy
    note = NOTE_WEAK_SURGERY + " S/p L knee arthroscopy 1/5/17, post-op PT helping."
    items = _items(_case([SURGERY, "Post-op physical therapy 2x/week x 4 weeks, left knee"], note))
    assert items[SURGERY].decision == "Upheld"
    assert _assoc(items["Post-op physical therapy 2x/week x 4 weeks, left knee"]) == "not judged"
