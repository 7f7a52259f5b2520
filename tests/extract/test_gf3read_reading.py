"""Twin tests (our own words) for gf3read's readings: prior course visit counts and full strength."""

from __future__ import annotations

import pytest

from openimr.engine.evaluate_criteria import resolver_for
from openimr.extract import extract_facts
from openimr.models.case import CaseFile

from .criterion_facts import fact


def _case(request: str, *docs: tuple[str, str]) -> CaseFile:
    return CaseFile.model_validate({
        "disputed_items": [{"request": request}], "request_for_authorization": {"date": "2017-03-20"},
        "documents": [{"id": f"d{i}", "type": t, "date": f"2017-03-{10 + i:02d}", "text": x} for i, (t, x) in enumerate(docs)]})


def _sessions(request: str, *docs: tuple[str, str]):
    case = _case(request, *docs)
    return resolver_for(case, extract_facts(case), None).value("treatment.prior_same.sessions")


def test_one_course_told_by_the_therapist_and_the_physician_is_counted_once():
    therapist = ("pt_progress", "PT RE-ASSESSMENT, visit 8 of 8. Gait improved, pain 4/10.")
    physician = ("progress_note", "Low back pain. She has completed 8 PT visits with gains in walking. Plan: PT 2x4 more.")
    assert _sessions("Physical therapy lumbar 2x4", therapist, physician) == 8


def test_two_courses_in_one_note_are_added():
    note = ("progress_note", "Neck pain. She had 6 PT visits in 2014 and another 8 PT visits in 2016. Plan: PT 2x3.")
    assert _sessions("Physical therapy cervical 2x3", note) == 14


@pytest.mark.parametrize(("text", "want"), [
    ("CHIRO RE-EXAM\nVisits to date: 2/1, 2/3, 2/8, 2/10, 2/15.\nLow back pain 4/10, ODI unchanged.", 5),
    ("CHIRO RE-EXAM\nVisits to date: 7.\nLow back pain 4/10, ODI unchanged.", 7),
])
def test_visits_listed_by_their_dates_are_counted(text, want):
    assert _sessions("Chiropractic 2x3", ("chiro_note", text)) == want


@pytest.mark.parametrize(("text", "want"), [
    ("RE-ASSESSMENT (visit 8 of 8 approved). Neck Disability Index 36% -> 18%.", 8),
    ("PHYSICAL THERAPY DAILY NOTE - Visit #15\nPain 2/10, lifting 30 lb.", 15),
    ("Initial evaluation. Plan: 8 visits (visit 1 of 8 is today's evaluation) then re-assess.", None),
])
def test_a_therapists_heading_counts_its_visits(text, want):
    kind = "chiro_note" if "Neck" in text else "pt_progress"
    request = "Chiropractic 2x4" if kind == "chiro_note" else "Physical therapy 2x4"
    assert _sessions(request, (kind, text)) == want


def test_no_therapy_to_date_is_zero_sessions_and_silence_stays_unknown():
    assert fact("Physical therapy right knee 2x6", "treatment.prior_same.sessions",
                "Right knee sprain. She has not had any therapy to date. Plan: PT 2x6.") == 0
    assert fact("Physical therapy right knee 2x6", "treatment.prior_same.sessions",
                "Right knee sprain. Plan: PT 2x6.") is None


@pytest.mark.parametrize(("text", "want"), [
    ("Lumbar exam: tender L4-5. Hamstrings 5/5 bilaterally. SLR negative.", False),
    ("Lumbar exam: tender L4-5. Ankle dorsiflexion 4/5 on the left. SLR positive.", True),
    ("Lumbar exam: tender L4-5. Neurologic exam normal.", False),
    ("Lumbar exam: tender L4-5. Neurovascularly intact distally.", None),
    ("Lumbar exam: tender L4-5. SLR negative.", None),
])
def test_full_strength_is_read_from_a_graded_muscle_or_a_normal_neuro_exam(text, want):
    assert fact("MRI lumbar spine", "finding.motor_weakness", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Low back pain. Prior L4-5 TFESI 3/2016 gave 60% relief lasting roughly 10 weeks. Plan: repeat TFESI.", 10),
    ("Low back pain. Prior L4-5 TFESI 3/2016 gave 60% relief lasting around 3 months. Plan: repeat TFESI.", 13),
    ("Low back pain. Prior L4-5 TFESI 3/2016 gave 60% relief; she was roughly 10 weeks out at the last visit.", None),
])
def test_relief_weeks_read_through_a_hedge_and_months_in_whole_weeks(text, want):
    assert fact("Repeat L4-5 transforaminal epidural steroid injection", "treatment.prior_same.relief_weeks", text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("Neck pain. On Norco 5/325 bid she can now use a vacuum for 20 minutes. Plan: refill.", True),
    ("Neck pain. On Norco 5/325 bid she has been able to resume gardening. Plan: refill.", True),
    ("Neck pain. The Norco lets her wear a backpack to work. Plan: refill.", True),
    ("Neck pain. On Norco 5/325 bid, standing tolerance 15 min -- unchanged. Plan: refill.", False),
    ("Neck pain. On Norco 5/325 bid she cannot now use a vacuum. Plan: refill.", None),
    ("Neck pain. She resumed taking Norco 5/325 bid. Plan: refill.", None),
])
def test_function_regained_or_unchanged_as_written(text, want):
    assert fact("Norco 5/325 #60", "finding.functional_improvement", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Low back pain 6/10, non-radiating. Plan: PT.", False),
    ("Low back pain 6/10, radiating down the left leg. Plan: PT.", True),
    ("Low back pain 6/10. Plan: PT.", None),
])
def test_non_radiating_pain_is_radicular_pain_denied(text, want):
    assert fact("MRI lumbar spine", "finding.radicular_pain", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Knee OA. Last knee cortisone shot 3/2016 gave 60% relief for 10 weeks; she put the cane away. Plan: repeat.", True),
    ("Knee OA. Last knee cortisone shot 3/2016 gave 60% relief for 10 weeks; she was able to resume bowling. Plan: repeat.", True),
    ("Knee OA. Last knee cortisone shot 3/2016 gave 60% relief for 10 weeks; she was unable to resume bowling. Plan: repeat.", None),
])
def test_what_the_relief_allowed_told_in_the_past(text, want):
    assert fact("Left knee intra-articular corticosteroid injection", "treatment.prior_same.functional_improvement", text) is want
