"""Issue #11 (letters9): general rules found reading the dev letters' misses, each with a twin.

Records are written here in our own words; none is taken from a letter or a held-out set.
"""

from __future__ import annotations

from one_note import criterion_met, first_item, one_note_case

from openimr.models.case import CaseFile


def _case(request: str, note: str, *, doi: str = "2016-11-02", date: str = "2017-01-10") -> CaseFile:
    return one_note_case(request, note, doi=doi, age=52, date=date, case_number="L9-1")


_met = criterion_met


# -- a retrospective request's own service is not a prior course -------------------------------------------------

KNEE_INJECTED = (
    "Progress note 12/12/16. R knee pain since a fall from a ladder at work, 9/10. Treatment so far has included "
    "physical therapy, ibuprofen and a cortisone injection. O: medial joint line tenderness, crepitus, reduced flexion. "
    "X-rays: medial joint space narrowing with osteophytes. Assessment: R knee osteoarthritis, aggravated. "
    "{injection}"
)


def test_a_retrospective_injection_named_in_the_care_to_date_is_not_a_repeat():
    note = KNEE_INJECTED.format(injection="The right knee was injected with a corticosteroid at today's visit.")
    item = first_item(_case("Retrospective corticosteroid injection, right knee (DOS 12/12/16)", note))
    assert _met(item, "knee-inj.repeat-response") == "not judged"
    assert item.decision == "Overturned"


def test_a_prospective_injection_after_one_already_given_is_still_a_repeat():
    note = KNEE_INJECTED.format(injection="Plan: repeat cortisone injection of the right knee.")
    item = first_item(_case("Corticosteroid injection, right knee", note))
    assert _met(item, "knee-inj.repeat-response") is None
    assert item.decision == "Upheld"


def test_a_retrospective_injection_with_an_earlier_dated_one_is_still_a_repeat():
    note = KNEE_INJECTED.format(
        injection="A cortisone injection on 8/15/16 gave no lasting relief. The knee was injected again today.")
    item = first_item(_case("Retrospective corticosteroid injection, right knee (DOS 12/12/16)", note))
    assert _met(item, "knee-inj.repeat-response") is not True
    assert item.decision == "Upheld"


# -- a neurologic sign speaks for the limb it is found in --------------------------------------------------------

NECK = (
    "Progress note 1/10/17. Neck pain since a fall at work, 7/10, worse with turning. Six weeks of physical therapy "
    "and home exercise have failed to help. {sign} O: paraspinal tenderness, cervical rotation limited to 45 degrees. "
    "Assessment: cervical strain. Plan: MRI of the cervical spine."
)


def test_tingling_in_the_toes_is_no_neurologic_sign_for_a_neck_mri():
    item = first_item(_case("MRI cervical spine without contrast", NECK.format(sign="She also reports tingling in the toes.")))
    assert _met(item, "mri-c.objective-findings") is None
    assert item.decision == "Upheld"


def test_tingling_in_the_fingers_is_a_neurologic_sign_for_a_neck_mri():
    item = first_item(_case("MRI cervical spine without contrast", NECK.format(sign="She also reports tingling in the fingers.")))
    assert _met(item, "mri-c.objective-findings") is True
    assert item.decision == "Overturned"


# -- carpal tunnel syndrome that comes on with a wrist fracture ---------------------------------------------------

WRIST = (
    "Operative note {date}. Fell from a loading dock onto the outstretched left hand today. {dx} Gross deformity and "
    "swelling of the wrist; he reports dense numbness of the thumb and index finger since the fall. {plan}"
)


def test_median_numbness_with_a_fresh_wrist_fracture_is_acute_compression():
    note = WRIST.format(date="12/20/16", dx="X-rays: displaced fracture of the left distal radius.",
                        plan="Open reduction internal fixation with release of the carpal tunnel was done the same day.")
    item = first_item(_case("Retrospective left open carpal tunnel release (DOS 12/20/16)", note,
                            doi="2016-12-20", date="2017-01-09"))
    assert _met(item, "ctr.acute-compression") is True
    assert _met(item, "ctr.electrodiagnostic") == "not judged"
    assert item.decision == "Overturned"


def test_median_numbness_without_a_fracture_is_judged_as_elective_carpal_tunnel_syndrome():
    note = WRIST.format(date="12/20/16", dx="X-rays: no fracture or dislocation; wrist sprain.",
                        plan="Plan: left carpal tunnel release.")
    item = first_item(_case("Left open carpal tunnel release", note, doi="2016-12-20", date="2017-01-09"))
    assert _met(item, "ctr.acute-compression") == "not judged"
    assert _met(item, "ctr.electrodiagnostic") is None
    assert item.decision == "Upheld"


def test_median_numbness_months_after_a_wrist_fracture_is_judged_as_elective():
    note = WRIST.format(date="12/20/16", dx="Healed fracture of the left distal radius, fixed in June.",
                        plan="Plan: left carpal tunnel release.")
    item = first_item(_case("Left open carpal tunnel release", note, doi="2016-06-02", date="2017-01-09"))
    assert _met(item, "ctr.acute-compression") == "not judged"
    assert item.decision == "Upheld"


# -- "initial" in the request outweighs another treatment's "additional" in the record -----------------------------

LOW_BACK_PLAN = (
    "Progress note 1/6/17. Low back pain 6/10 after lifting at work; NSAIDs upset her stomach and she has cut them down. "
    "She has had 8 sessions of physical therapy and does her home exercises daily. O: lumbar paraspinal tenderness. "
    "Assessment: lumbar strain. The physician requested {plan}."
)


def test_an_initial_acupuncture_request_is_a_first_course_beside_additional_therapy():
    note = LOW_BACK_PLAN.format(plan="initial acupuncture for 6 visits and additional physical therapy for 6 visits")
    item = first_item(_case("Initial acupuncture x6, lumbar", note))
    assert _met(item, "acu.functional-improvement") == "not judged"
    assert _met(item, "acu.initial-trial") is True


def test_additional_acupuncture_in_the_record_still_makes_a_plain_request_a_repeat():
    note = LOW_BACK_PLAN.format(plan="additional acupuncture for 6 visits")
    item = first_item(_case("Acupuncture x6, lumbar", note))
    assert _met(item, "acu.functional-improvement") is None
    assert item.decision == "Upheld"


# -- skilled care at home in the weeks after a major surgery ------------------------------------------------------

ABDOMEN = (
    "Progress note 1/5/17. Seen in his post-op visit after an exploratory laparotomy for a crush injury to the abdomen. "
    "{wound} He walks with a walker and tires quickly. Plan: {plan}."
)


def test_wound_care_nursing_after_a_major_surgery_is_supported_without_a_homebound_statement():
    note = ABDOMEN.format(wound="The incision is healing with two small areas of opening and a drain in place.",
                          plan="home nursing visits three times a week for dressing changes")
    item = first_item(_case("Home health nursing visits 3x/week x 4 weeks for wound care", note))
    assert _met(item, "hh.post-acute-skilled-care.mtus") is True
    assert _met(item, "hh.homebound") == "not judged"
    assert item.decision == "Overturned"


def test_homemaker_help_after_a_major_surgery_is_still_not_medical_treatment():
    note = ABDOMEN.format(wound="The incision is healing with two small areas of opening and a drain in place.",
                          plan="a home aide for cleaning, shopping and laundry")
    item = first_item(_case("Home health aide 4 hours/day x 4 weeks for cleaning, shopping and laundry", note))
    assert _met(item, "hh.medical-treatment") is False
    assert item.decision == "Upheld"


def test_nursing_visits_long_after_recovery_still_need_a_homebound_worker():
    note = ("Progress note 1/5/17. Chronic low back pain since a lifting injury two years ago; she drives to her "
            "appointments. Plan: home nursing visits twice a week for medication management.")
    item = first_item(_case("Home health nursing visits 2x/week x 6 weeks", note, doi="2014-12-01"))
    assert _met(item, "hh.post-acute-skilled-care.mtus") == "not judged"
    assert _met(item, "hh.homebound") is not True
    assert item.decision == "Upheld"
