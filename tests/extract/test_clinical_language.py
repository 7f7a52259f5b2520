"""Clinical language as clinicians write it (issue #11, third pass): function on a drug, function that a
course of care restored, each with the twins that must not count (negated, a fall, a goal, an aid)."""

from __future__ import annotations

import pytest

from openimr.extract import extract_facts
from openimr.models.case import CaseFile


def _case(*texts: str, types: tuple[str, ...] = ()) -> CaseFile:
    return CaseFile.model_validate({
        "case_number": "CL-1",
        "injured_worker": {"age": 50, "sex": "female", "date_of_injury": "2013-05-02"},
        "request_for_authorization": {"date": "2016-02-03"},
        "disputed_items": [{"request": "Norco 10/325mg #120", "ur_decision": "non-certified"}],
        "documents": [{"id": f"d{i}", "type": (types[i] if i < len(types) else "progress_note"), "date": "2016-02-02",
                       "text": t} for i, t in enumerate(texts)],
    })


def _function(text: str) -> set[bool]:
    return {f.present for f in extract_facts(_case(text)).findings if f.name == "functional_improvement"}


@pytest.mark.parametrize("text", [
    "Meds allow her to do light housework, grocery shopping, walk daily.",
    "On his current regimen he works part time (20 hours a week), drives his wife to dialysis and walks 20 minutes daily.",
    "Function with current regimen: works 32 hr/wk as a dispatcher; walks 25-30 min daily.",
    "Without Nucynta (ran out over a holiday weekend) she \"could not get out of bed\" and missed 2 shifts.",
    "Working full duty. Without it she \"can't finish a shift\".",
    "Walks 30-40 min daily, does housework; without it she \"stays in bed\".",
    "Able to do own shopping, cooks, back at work 4 h/day (modified).",
    "Works full time (sitting tolerance 45-60 min w/ breaks, was 20).",
    "Walking 45 min (was 10-15).",
    "Walking tolerance rose from 10 to 30 minutes.",
])
def test_function_on_the_drug_as_pr2_notes_write_it(text):
    assert True in _function(text)


@pytest.mark.parametrize("text", [
    "Without assistance she cannot walk.",  # an aid, not a drug
    "Walking tolerance falling again, 20 min (was 45).",  # a fall
    "Sitting tolerance 20 min, previously 60.",
    "Not back at work.",
    "He is not able to work on his current regimen.",
])
def test_what_is_not_function_gained(text):
    assert True not in _function(text)


def _response(*texts: str, kind: str):
    ts = [t for t in extract_facts(_case(*texts)).treatments if t.kind == kind and t.response is not None]
    return ts[0].response if ts else None


def test_a_reevaluation_note_reports_its_course_outcome():
    note = ("CHIROPRACTIC RE-EVALUATION after 6 visits (10/20-11/10/14)\n"
            "Initial (10/20): LBP 7/10, Oswestry 48%, sitting tolerance 20 min, off work (TTD).\n"
            "Today: LBP 3/10, Oswestry 28%, sitting 60 min. Returned to modified duty as cashier 11/3/14. "
            "Ibuprofen use down from 800 tid to prn 1-2/wk.\nPlan: continue CMT 2x4 wks.\n")
    r = _response(note, kind="chiropractic")
    assert r is not None and r.function_improved is True and r.medication_reduced is True


def test_the_same_words_far_from_a_course_in_an_ordinary_note_are_not_its_outcome():
    # the twin: a progress note whose first line names chiropractic in passing does not make a later, unrelated
    # return to work the course's result
    note = ("PR-2 2/2/16. Chiropractic was tried in 2014.\nS: LBP 6/10.\nO: TTP L4-S1.\n"
            "Work: returned to modified duty after the knee surgery.\n")
    r = _response(note, kind="chiropractic")
    assert r is None or r.function_improved is not True


def test_a_physicians_progress_report_is_not_a_reevaluation_of_every_course_it_names():
    note = ("PRIMARY TREATING PHYSICIAN'S PROGRESS REPORT - completed 6 PT visits 2015\nS: LBP 6/10.\n"
            "Work: returned to modified duty after the knee surgery.\n")
    r = _response(note, kind="physical therapy")
    assert r is None or r.function_improved is not True


@pytest.mark.parametrize("text,improved,reduced", [
    ("S: better w/ acupuncture; back at work (mod). Norco down to 1-2/d.", True, True),
    ("After 6 acupuncture visits RTW mod duty and walking 30 min.", True, None),
    ("Completed 6 acupuncture visits; Oswestry 44% -> 26%.", True, None),
    ("Completed 6 acupuncture visits; goal is to return to full duty.", None, None),
    ("Completed 6 acupuncture visits; has not returned to work.", False, None),
    ("Completed 6 acupuncture visits; pain down to 3/10.", None, None),  # pain is not a medication
])
def test_course_outcomes(text, improved, reduced):
    r = _response(text, kind="acupuncture")
    assert (r.function_improved if r else None) is improved
    assert (r.medication_reduced if r else None) is reduced


def _pain(text: str) -> list[tuple[float, str | None]]:
    return [(p.score, p.context) for p in extract_facts(_case(text)).pain]


@pytest.mark.parametrize("text,expected", [
    ("Celebrex 200 qd since 2013 - knee pain 7->4, stairs tolerable.", [(7.0, "without medication"), (4.0, "with medication")]),
    ("Lidoderm samples past 4 wks: pain 6->3, can walk through full shift.", [(6.0, "without medication"), (3.0, "with medication")]),
    ("Switched to naproxen 500 bid last wk, better tolerated, helps (pain 6->4).", [(6.0, "without medication"), (4.0, "with medication")]),
    ("Before gabapentin his arm pain was 9-10/10; with gabapentin he rates arm pain 5-6/10 on average.",
     [(9.5, "without medication"), (5.5, "with medication")]),
    # twins: a change after other care, or with no drug named, is not the drug's effect
    ("Pain 8->4 after the injection.", [(8.0, None), (4.0, None)]),
    ("Naproxen bid; after PT pain 8->4.", [(8.0, None), (4.0, None)]),
    ("Before PT his pain was 8/10.", [(8.0, None)]),
])
def test_a_drugs_effect_on_pain_as_written(text, expected):
    assert _pain(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("L leg burning 8/10 before Lyrica, now 4/10.", [(8.0, "without medication"), (4.0, "with medication")]),
    ("On Cymbalta 60 since 3/2015 - arm burning down from 8 to 4/10, mood better.",
     [(8.0, "without medication"), (4.0, "with medication")]),
    ("Knee/hand pain 6/10 without Celebrex, 3/10 with.", [(6.0, "without medication"), (3.0, "with medication")]),
    # twins: a range is one score; a change with no drug named stays without context
    ("Pain ranges from 6 to 8/10.", [(7.0, None)]),
    ("Pain improved from 8 to 4/10 since last visit.", [(8.0, None), (4.0, None)]),
])
def test_before_the_drug_and_now(text, expected):
    assert _pain(text) == expected


def _names(text: str) -> set[tuple[str, bool]]:
    return {(f.name, f.present) for f in extract_facts(_case(text)).findings}


@pytest.mark.parametrize("text,finding", [
    ("O: L SLR + 50 deg. Decr sens L5 dermatome L. EHL 4+/5.", ("dermatomal_sensory_loss", True)),
    ("S: L leg burning 8/10, worse at night.", ("neuropathic_pain", True)),
    ("S: Burning R arm since the fall.", ("neuropathic_pain", True)),
    ("S: burning/shooting pain R groin.", ("neuropathic_pain", True)),
])
def test_exam_and_symptom_shorthand(text, finding):
    assert finding in _names(text)


@pytest.mark.parametrize("text,name", [
    ("O: Sensation intact. No decr sens.", "dermatomal_sensory_loss"),
    ("S: Denies leg burning or numbness.", "neuropathic_pain"),
])
def test_negated_shorthand_is_not_a_finding(text, name):
    assert (name, True) not in _names(text)


@pytest.mark.parametrize("text", [
    "PT x 10 in 2014 - did help some; neck pain persists.",
    "PT 2013 x 12 (mild help), neck pain persists.",
])
def test_partial_help_is_not_a_course_that_worked(text):
    r = _response(text, kind="physical therapy")
    assert r is not None and r.symptoms_improved is False


@pytest.mark.parametrize("text", [
    "Reports re-engaging w/ family, coaching son's team again.",
    "On his current regimen he drives his wife to dialysis three times a week.",
    "Driving again since the last visit.",
])
def test_activities_taken_up_again(text):
    assert True in _function(text)


@pytest.mark.parametrize("text", [
    "Walking tolerance falling again, 20 min.",
    "Having pain again at night.",
    "Not driving again until cleared.",
])
def test_what_is_not_an_activity_taken_up(text):
    assert True not in _function(text)


def test_relief_that_came_back_and_its_duration():
    r = _response("Steroid injection R carpal tunnel 10/2013 - 6 wks better then recurred.", kind="injection")
    assert r is not None and r.symptoms_improved is False
    r = _response("ESI 6/17 - pt estimates 60-70% better until late Aug (approx 10 wks).", kind="epidural steroid injection")
    assert r is not None and r.percent_relief == 70 and r.duration_weeks == 10.0


def test_a_drug_screen_with_nothing_unexpected_is_consistent():
    names = {(f.name, f.present) for f in extract_facts(_case("UDS 5/2015 - tapentadol +, nothing unexpected.")).findings}
    assert ("uds_consistent", True) in names and ("uds_consistent", False) not in names


def test_an_evaluation_for_a_program_is_not_the_program():
    text = "MULTIDISCIPLINARY FUNCTIONAL RESTORATION EVALUATION 02/10/2016\nFailed PT, ESI x3.\n"
    kinds = {t.kind for t in extract_facts(_case(text)).treatments}
    assert "functional restoration program" not in kinds
    done = "She completed a functional restoration program in 2014 with little benefit."
    assert "functional restoration program" in {t.kind for t in extract_facts(_case(done)).treatments}


def test_a_courses_relief_as_a_change_in_the_score_and_what_it_allowed():
    text = ("After TPIs 12/15 pain down from 7/10 to 2-3/10 for ~8 wks, now creeping back to 6/10. During that time he "
            "stopped ibuprofen, worked full duty without restrictions, and resumed gym 3x/wk.")
    r = _response(text, kind="trigger point injection")
    assert r is not None and r.percent_relief == 64 and r.duration_weeks == 8.0
    assert r.medication_reduced is True and r.function_improved is True


def test_the_next_sentence_about_something_else_is_not_the_courses_outcome():
    text = "After TPIs 12/15 pain down from 7/10 to 3/10. He stopped ibuprofen because of dyspepsia."
    r = _response(text, kind="trigger point injection")
    assert r is not None and r.percent_relief == 57 and r.medication_reduced is None


def test_a_reviewers_specialty_is_not_care_given():
    ur = "UR: TENS purchase - non-certified. Chiropractic 6 - non-certified. Reviewer: Chiropractor."
    facts = extract_facts(_case(ur, types=("ur_decision",)))
    assert not [t for t in facts.treatments if t.kind == "chiropractic" and t.status == "completed"]


@pytest.mark.parametrize("text,kept", [
    ("DOCTOR'S FIRST REPORT / INITIAL CHIROPRACTIC EVALUATION 8/12/14\nLBP. Plan: CMT 2x3.", False),
    ("FUNCTIONAL RESTORATION PROGRAM MULTIDISCIPLINARY EVALUATION\nBaseline: sitting 20 min.", False),
    ("He had a PT evaluation and treatment x 12 visits in 2014.", True),
])
def test_an_evaluation_visit_is_not_a_course(text, kept):
    done = [t for t in extract_facts(_case(text)).treatments if t.status == "completed"
            and t.kind in ("chiropractic", "functional restoration program", "physical therapy")]
    assert bool(done) is kept


def test_mechanical_symptoms_and_symptoms_that_persist_as_written():
    text = ("S: L knee - still catches and \"locks\" 2-3x/wk. Recurrent swelling after shifts. Completed PT x 8 (6/2014) - "
            "strength better, mechanical sx persist.")
    facts = extract_facts(_case(text))
    assert ("mechanical_symptoms", True) in {(f.name, f.present) for f in facts.findings}
    assert "persistent_symptoms" in {c.name for c in facts.cues}


@pytest.mark.parametrize("text", [
    "Denies locking or catching.",
    "Returned to work; pain 2/10.",
])
def test_twins_of_mechanical_and_persistent(text):
    facts = extract_facts(_case(text))
    assert ("mechanical_symptoms", True) not in {(f.name, f.present) for f in facts.findings}
    assert "persistent_symptoms" not in {c.name for c in facts.cues}
