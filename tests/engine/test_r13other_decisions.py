"""Issue #11 (r13other): soft-tissue "release" that is not surgery, and a hospital stay measured against the
operation it serves.

Twins: a record that meets the criterion and one that does not, written here in our own words (no held-out or real
record). Each pair differs only in the fact the change reads.
"""

from __future__ import annotations

import pytest
from one_note import criterion_met, documents_case, first_item, one_note_case

from openimr.engine import review_case


def _item(request: str, note: str, *, doi: str = "2015-06-01", date: str = "2015-08-20"):
    return first_item(one_note_case(request, note, doi=doi, date=date))


# -- "myofascial release" / "active release technique" are manual therapy, not a planned operation -------------------
_BACK = ("DC re-exam. Low back pain 5/10 since lifting injury, no leg symptoms. ODI 34%. Lumbar flex 50/90, "
         "paraspinal spasm, SLR neg bilat. Dx lumbar strain. Plan: {plan}")


@pytest.mark.parametrize("plan", [
    "CMT 2x/wk x 4 wks, myofascial release, HEP. Back brace for work.",
    "Spinal manipulation and myofascial release to lumbar paraspinals; LSO for support.",
    "Will continue ART (active release) to QL and glutes, core program; lumbar support at work.",
])
def test_manual_release_techniques_do_not_plan_surgery(plan):
    item = _item("LSO brace", _BACK.format(plan=plan))
    # with no operation planned the MTUS acute-phase criterion decides: eleven weeks out is past the acute phase
    assert criterion_met(item, "lso.acute-phase") is False
    assert item.decision == "Upheld"


@pytest.mark.parametrize("plan", [
    "Surgical consult; plan L4-5 fusion next month. LSO brace post-op.",
    "Scheduled for L5-S1 decompression and fusion; LSO for after surgery.",
])
def test_a_planned_operation_still_counts(plan):
    item = _item("LSO brace", _BACK.format(plan=plan))
    assert criterion_met(item, "lso.acute-phase") == "not judged"


# -- a hospital stay is measured against ODG's usual stay for the operation it serves ------------------------------------
_SPINE = ("Spine surgery consult. L leg pain > back pain 7/10 for 9 months, to the foot. Failed PT 12, naproxen, "
          "gabapentin and an L5-S1 TFESI (brief relief). Exam: L EHL 4-/5, decreased L L5 sensation, SLR + L 35 deg. "
          "MRI: large L L4-5 extrusion compressing the traversing L5 root. Plan: {plan}")


def _stay_item(surgery: str, stay: str, plan: str):
    case = documents_case([surgery, stay], [("progress_note", "2016-04-11", _SPINE.format(plan=plan))],
                          doi="2015-07-01", rfa_date="2016-04-12", ur_date="2016-04-19", age=50, case_number="T-13")
    return [i for i in review_case(case)[0].items if i.request == stay][0]


@pytest.mark.parametrize("surgery, stay, plan", [
    ("L4-5 microdiscectomy left", "Inpatient stay x 3 days", "L L4-5 microdiscectomy, 3 days inpatient."),
    ("Left L4-5 hemilaminectomy and discectomy", "Hospital stay 4 days", "hemilaminotomy/discectomy L4-5; admit 4 days."),
    ("Lumbar laminectomy L4-5", "Inpatient admission 3 days", "Decompressive laminectomy L4-5 with a 3-day inpatient stay."),
])
def test_a_long_stay_after_a_decompression_alone_exceeds_odg(surgery, stay, plan):
    item = _stay_item(surgery, stay, plan)
    assert criterion_met(item, "los.days.decompression") is False
    assert item.decision == "Upheld"


@pytest.mark.parametrize("surgery, stay, plan", [
    ("L4-5 microdiscectomy left", "Inpatient stay x 1 day", "L L4-5 microdiscectomy, overnight admission (1 day)."),
    ("Lumbar laminectomy L4-5", "Inpatient admission 2 days", "Decompressive laminectomy L4-5 with a 2-day inpatient stay."),
])
def test_a_short_stay_after_a_decompression_is_within_odg(surgery, stay, plan):
    item = _stay_item(surgery, stay, plan)
    assert criterion_met(item, "los.days.decompression") is True
    assert criterion_met(item, "los.days") == "not judged"


# -- a fracture suspected after an injury is the red flag for plain films, whatever bone and however it is charted -----
_FALL = ("Occ med visit. Fell from a ladder 10 days ago onto the R shoulder. Pain 7/10 with reaching. Ibuprofen helps "
         "some. Exam: {exam} Abduction 80 deg active. NV intact. {dx} Plan: x-rays R shoulder, sling prn, modified duty.")


@pytest.mark.parametrize("exam, dx", [
    ("Point tender distal clavicle, slight step-off.", "A: R shoulder sprain, r/o AC separation vs clavicle fx."),
    ("Bruising lateral arm, tender proximal humerus.", "Impression: contusion; rule out sprain or proximal humerus fracture."),
    ("TTP over the greater tuberosity, guarding.", "Dx: shoulder contusion, possible humeral fx."),
])
def test_a_suspected_fracture_after_a_fall_supports_shoulder_films(exam, dx):
    item = _item("X-ray right shoulder 2 views", _FALL.format(exam=exam, dx=dx), doi="2016-03-01", date="2016-03-11")
    assert criterion_met(item, "xray-s.indication") is True
    assert item.decision == "Overturned"


@pytest.mark.parametrize("exam, dx", [
    ("Mild diffuse tenderness, no deformity.", "A: R shoulder strain."),
    ("Tender trapezius, full passive ROM.", "Dx: shoulder sprain, fracture ruled out clinically."),
    ("No bony tenderness.", "Impression: contusion, no fx suspected."),
])
def test_without_a_suspected_fracture_early_shoulder_films_are_not_supported(exam, dx):
    item = _item("X-ray right shoulder 2 views", _FALL.format(exam=exam, dx=dx), doi="2016-03-01", date="2016-03-11")
    assert criterion_met(item, "xray-s.indication") is not True
    assert item.decision == "Upheld"


# -- "continue <care> x N" in a plan is the N visits asked for, not N visits given ---------------------------------------
@pytest.mark.parametrize("plan", [
    "Plan: continue CBT x 6.",
    "P: Continue with pain psychology for 6 more sessions.",
    "Recommend: continue cognitive behavioral therapy 1x/wk x 6 wks.",
])
def test_a_count_after_continue_is_not_counted_as_sessions_given(plan):
    from openimr.extract.facts import extract_facts
    note = ("Pain psych f/u. Finished 4 sessions of CBT last month after the psych eval; uses pacing, walks 20 min "
            f"daily now (was 5), back to volunteering 2 mornings/wk. BDI 24 -> 15. {plan}")
    case = one_note_case("Cognitive behavioral therapy x6 sessions", note, doi="2014-02-01", date="2016-02-10")
    counted = [t.sessions for t in extract_facts(case).treatments
               if t.kind == "cognitive behavioral therapy" and t.status != "planned" and t.sessions is not None]
    assert counted == [4]


@pytest.mark.parametrize("plan", [
    "Plan: continue PT, has had 8 visits to date.",
    "Continue CBT; completed 8 sessions so far.",
])
def test_a_count_of_visits_done_after_continue_still_counts(plan):
    from openimr.extract.facts import extract_facts
    case = one_note_case("Physical therapy x6", f"Re-eval. Neck pain better. {plan}", doi="2014-02-01", date="2016-02-10")
    counted = [t.sessions for t in extract_facts(case).treatments if t.status != "planned" and t.sessions is not None]
    assert 8 in counted


# -- an outcome line labelled "Current:", "Now:", "Progress:" after a completed course reports that course's outcome ------
_PSYCH = ("Pain psychology progress note. Chronic neck and arm pain since 2014 with depression (BDI 29) and high fear-avoidance. "
          "She has completed 4 sessions of CBT since the psych eval. {outcome} Recommend 4 more sessions, total 8.")


@pytest.mark.parametrize("outcome", [
    "Current: BDI 17; ODI 40% -> 28%.",
    "Now: has returned to work modified duty, 4 hrs/day.",
    "Progress: sitting tolerance up from 20 to 45 minutes; now able to drive to the store.",
])
def test_a_labelled_outcome_line_reports_the_course(outcome):
    item = _item("Cognitive behavioral therapy x4 sessions", _PSYCH.format(outcome=outcome), doi="2014-05-01", date="2016-02-10")
    assert criterion_met(item, "psych.functional-improvement") is True
    assert item.decision == "Overturned"


@pytest.mark.parametrize("outcome", [
    "Current: BDI 27; still walks only 10 minutes, off work.",
    "Progress: no change in activity level; pain unchanged.",
])
def test_a_labelled_line_without_a_gain_does_not_show_improvement(outcome):
    item = _item("Cognitive behavioral therapy x4 sessions", _PSYCH.format(outcome=outcome), doi="2014-05-01", date="2016-02-10")
    assert criterion_met(item, "psych.functional-improvement") is not True
    assert item.decision == "Upheld"
