"""New versus continuing treatment, read from extracted facts (issue #11, second pass).

Each rule has a twin the fix must not break: the request under dispute is not a prior course, but a
course the record says was given still is; a list of the care so far without the requested therapy
makes a first course, but a list naming it does not; utilization review certifying part of a request
makes the rest a continuation.
"""

from __future__ import annotations

from openimr.engine import review_case
from openimr.engine.derive import FactResolver
from openimr.extract import extract_facts
from openimr.guidelines.classifier import classify
from openimr.guidelines.knowledge_base import default_knowledge_base
from openimr.models.case import CaseFile


def _case(request: str, text: str) -> CaseFile:
    return CaseFile.model_validate({
        "case_number": "NC-1",
        "injured_worker": {"age": 41, "sex": "male", "date_of_injury": "2016-10-25"},
        "request_for_authorization": {"date": "2017-01-03"},
        "utilization_review": {"date": "2017-01-09"},
        "disputed_items": [{"request": request, "ur_decision": "non-certified"}],
        "documents": [{"id": "d0", "type": "progress_note", "date": "2016-12-27", "text": text}],
    })


def _is_repeat(case: CaseFile):
    kb = default_knowledge_base()
    req = classify(case.disputed_items[0].request, kb)
    r = FactResolver(facts=extract_facts(case), request=req, case=case, topic=kb.topic(req.topic))
    return r.value("request.is_repeat")


def _pt_statuses(case: CaseFile) -> list[str]:
    return [t.status for t in extract_facts(case).treatments if t.kind == "physical therapy"]


FIRST_COURSE = (
    "The injured worker was evaluated for low back pain rated 6/10 with difficulty putting on shoes. "
    "Objective findings included tenderness of the lumbar spine and flexion to 60 degrees. "
    "Treatment to date included activity modifications, diagnostic imaging, and medications. "
    "On 1-9-17, utilization review determined physical therapy six visits for the lumbar spine was not medically necessary."
)


def test_the_disputed_request_named_in_a_ur_sentence_is_not_a_prior_course():
    case = _case("Six physical therapy visits for the lumbar", FIRST_COURSE)
    assert "completed" not in _pt_statuses(case)
    assert _is_repeat(case) is False


def test_a_course_given_before_the_ur_denial_is_still_a_prior_course():
    text = FIRST_COURSE.replace("Treatment to date included activity modifications,",
                                "He completed 12 sessions of physical therapy; UR denied more. Treatment to date included")
    case = _case("Six physical therapy visits for the lumbar", text)
    assert "completed" in _pt_statuses(case)
    assert _is_repeat(case) is True


def test_a_first_course_is_not_held_to_continuation_criteria():
    item = review_case(_case("Six physical therapy visits for the lumbar", FIRST_COURSE))[0].items[0]
    assert item.decision == "Overturned"
    ids = {c.id: c.met for c in item.criteria}
    assert "pt.functional-improvement" not in ids and "pt.goals" not in ids


def test_a_treatment_list_naming_the_therapy_is_not_a_first_course():
    text = FIRST_COURSE.replace("diagnostic imaging, and medications", "physical therapy and medications")
    assert _is_repeat(_case("Six physical therapy visits for the lumbar", text)) is not False


def test_no_documentation_of_prior_therapy_is_a_first_course():
    text = ("Neck and back pain 7/10 with tenderness and decreased flexion. "
            "There is no documentation of attendance of physical therapy sessions.")
    assert _is_repeat(_case("Physical therapy three times a week for two weeks for the lumbar", text)) is False


def test_silence_about_prior_therapy_stays_unknown():
    text = "Neck and back pain 7/10 with tenderness and decreased flexion."
    assert _is_repeat(_case("Physical therapy three times a week for two weeks for the lumbar", text)) is None


def test_a_treatment_list_does_not_make_a_drug_a_first_start():
    # "medications" in a treatment list may be the requested drug: the rule is for therapies only
    text = "Low back pain 6/10. Treatment to date included medications."
    assert _is_repeat(_case("Norco 10/325mg #120", text)) is not False


def test_the_rest_of_a_partly_certified_request_is_a_continuation():
    text = ("Low back pain with left leg numbness. Treatment to date included medications. "
            "The request for physical therapy 3x4 was modified by utilization review to 10 sessions of physical therapy, "
            "with 2 remaining sessions eligible for review.")
    case = _case("2 sessions of physical therapy", text)
    assert _is_repeat(case) is True
    item = review_case(case)[0].items[0]
    assert item.decision == "Upheld"  # continuing needs the trial's functional improvement, not documented


def test_modified_duty_is_not_a_partial_certification():
    text = ("Low back pain 6/10; he returned to modified duty and physical therapy was recommended; the doctor "
            "approved 6 weeks off heavy lifting. Treatment to date included medications.")
    assert _is_repeat(_case("Six physical therapy visits for the lumbar", text)) is False


def test_a_post_operative_cold_unit_is_judged_as_equipment_not_as_therapy():
    text = ("Right shoulder full-thickness rotator cuff tear on MRI. Failed PT and injection. "
            "Plan: right shoulder arthroscopic rotator cuff repair, scheduled 03/10/2017.")
    week = review_case(_case("Post-operative cold therapy unit, 7 day rental", text))[0].items[0]
    month = review_case(_case("Post-operative cold therapy unit, 30 day rental", text))[0].items[0]
    assert week.topic == month.topic == "cold-therapy-units"
    assert (week.decision, month.decision) == ("Overturned", "Upheld")
