"""Criterion facts as clinicians write them (issue #11, read9): each phrasing that must count beside a twin
that must not, in the helper's own words (not copied from a letter, a gold case or a held-out set)."""

import pytest

from .criterion_facts import fact

PRIOR_FN = "treatment.prior_same.functional_improvement"


@pytest.mark.parametrize(("request_text", "text", "want"), [
    # function regained, written as what the worker can now do
    ("Acupuncture 6 visits lumbar",
     "He completed 6 acupuncture visits in the spring, after which he can now mow the lawn.", True),
    ("Acupuncture 6 visits lumbar",
     "He completed 6 acupuncture visits in the spring, after which he still cannot mow the lawn.", None),
    ("Right knee corticosteroid injection",
     "Her last knee steroid injection in March gave 50% relief for two months; she was able to hike with her club again.",
     True),
    ("Right knee corticosteroid injection",
     "Her last knee steroid injection in March gave 50% relief for two months; she was unable to hike with her club.",
     None),
    # the unchanged state after a course, as written
    ("Acupuncture 6 visits lumbar",
     "He had 6 acupuncture sessions in May; he says they helped but could not name any change in his walking tolerance.",
     False),
    ("Cervical epidural steroid injection C6-7",
     "The March CESI gave him 50% relief for 4 weeks, but his tramadol use remained three a day and he stayed off work.",
     False),
    ("Cervical epidural steroid injection C6-7",
     "The March CESI gave him 50% relief for 4 weeks, and he cut his tramadol to one a day.", True),
    # motion alone beside function said to be unchanged is no functional improvement; motion alone is as before
    ("Chiropractic 8 visits lumbar",
     "Completed chiropractic 8 visits with improved lumbar ROM; however the Oswestry is unchanged at 40% and he is "
     "still on restricted duty.", False),
    ("Chiropractic 8 visits lumbar", "Completed chiropractic 8 visits with improved lumbar ROM.", True),
])
def test_prior_course_function_as_written(request_text, text, want):
    assert fact(request_text, PRIOR_FN, text) is want


@pytest.mark.parametrize(("text", "want"), [
    # the outcome told in the sentences after a course said to be completed, in the same paragraph
    ("Left shoulder. She has completed 12 PT visits since the repair. Feeling better. Can now fasten her bra behind "
     "her back.\nPlan: 8 more PT visits.", True),
    ("Left shoulder. She has completed 12 PT visits since the repair. Feeling better.\nPlan: 8 more PT visits. "
     "Goal: can now be expected to reach overhead.", None),  # a plan's line is not the course's outcome
    # a third sentence that says what the relief did not change
    ("Trigger point injections on 2/1 and 4/1. After each she had about 60% relief for 10 days. Her medication use is "
     "unchanged and she remains on TTD.", False),
    ("Trigger point injections on 2/1 and 4/1. After each she had about 60% relief for 10 days. She lives with her "
     "sister.", None),
])
def test_prior_course_outcome_in_the_next_sentences(text, want):
    req = "Physical therapy 8 visits left shoulder" if "PT" in text else "Trigger point injections x 3 trapezius"
    assert fact(req, PRIOR_FN, text) is want


@pytest.mark.parametrize(("text", "want"), [
    # a level range the tokenizer splits, before "RFA", is the ablation at those levels (its relief and function read)
    ("Seen 8 months after bilateral L3-4 RFA (3/2016). He had 70% relief lasting about 6 months; during that time he "
     "went back to full duty.", True),
    # "RFA" after a date is the request form, not an ablation done
    ("RFA submitted 3/2016 for physical therapy. He had 70% relief lasting about 6 months from the last PT.", None),
])
def test_ablation_named_after_a_split_level(text, want):
    assert fact("Bilateral L3-4 radiofrequency neurotomy (repeat)", PRIOR_FN, text) is want


def test_course_with_minimal_progress_is_no_functional_improvement():
    from openimr.engine.evaluate_criteria import resolver_for
    from openimr.extract import extract_facts
    from openimr.models.case import CaseFile

    def case(summary: str) -> CaseFile:
        return CaseFile.model_validate({
            "disputed_items": [{"request": "Additional physical therapy 2x3 cervical"}],
            "request_for_authorization": {"date": "2016-12-20"},
            "injured_worker": {"date_of_injury": "2016-01-05"},
            "documents": [{"id": "d1", "type": "physical_therapy_discharge", "date": "2016-12-01",
                           "text": f"PT DISCHARGE\nVisits attended: 10 of 10.\nNDI 30% at intake and 28% today. {summary}\n"}]})

    for summary, want in (("Assessment: minimal progress toward goals.", False), ("Assessment: goals reviewed.", None)):
        c = case(summary)
        assert resolver_for(c, extract_facts(c), None).value(PRIOR_FN) is want, summary


H_WAVE = "Home H-wave unit 30-day trial"


@pytest.mark.parametrize(("text", "want"), [
    # an active program listed under the plan heading, with no plan word of its own
    ("Low back pain 5/10.\nPLAN: Refill naproxen. Stationary bike 20 minutes a day.", True),
    ("Low back pain 5/10.\nPLAN: Refill naproxen.", None),
    # the same program outside the plan is history, not plan
    ("Low back pain 5/10. Stationary bike last year did not help.\nPLAN: Refill naproxen.", None),
    # an active course under way beside the request
    ("Low back pain 5/10. PT x 4 (still attending). PLAN: trial of H-wave at home.", True),
    ("Low back pain 5/10. PT x 4 last spring. PLAN: trial of H-wave at home.", None),
    ("Neck pain. He is attending his CBT sessions weekly. PLAN: trial of H-wave at home.", True),
])
def test_active_therapy_as_a_plan_lists_it(text, want):
    assert fact(H_WAVE, "plan.active_therapy", text) is want


@pytest.mark.parametrize(("request_text", "text", "want"), [
    # a study named as done with its date, or as an earlier one, and no result beside it
    ("MRI right shoulder", "Right shoulder pain since the fall. Right shoulder MRI 3/2015 at an outside facility.", True),
    ("MRI right shoulder", "Right shoulder pain since the fall. Outside MRI of the shoulder reviewed.", True),
    ("MRI right shoulder", "Right shoulder pain since the fall. No MRI of the shoulder to date.", False),
    ("MRI right shoulder", "Right shoulder pain since the fall. Will order a shoulder MRI 12/2016 if no better.", False),
    # no region in the sentence: counts only when every region the record names is the request's
    ("MRI left knee", "Left knee pain after the meniscectomy. Pre-op MRI 2/2015. Knee exam: joint line tenderness.", True),
    ("MRI left knee", "Left knee pain and low back pain. Pre-op MRI 2/2015. Lumbar spasm on exam.", False),
    # a study of another modality is imaging of the region all the same (gf4read; not a prior MRI: prior_same_study)
    ("MRI right shoulder", "Right shoulder pain since the fall. Right shoulder x-rays 3/2015.", True),
])
def test_prior_study_named_without_a_result(request_text, text, want):
    assert fact(request_text, "imaging.prior_same_region", text) is want


@pytest.mark.parametrize(("text", "want"), [
    # a drug's effects as PR-2s name them, and their absence
    ("Meloxicam 15 mg daily. It upsets her stomach some days.", True),
    ("Meloxicam 15 mg daily. No GI upset.", False),
    ("Meloxicam 15 mg daily. Denies GI sx.", False),
    ("Meloxicam 15 mg daily. Tizanidine at night makes him drowsy the next morning.", True),
    ("Meloxicam 15 mg daily. Has gained 10 lbs since starting it.", True),
    # an effect that led to a switch, or went away, is not an effect of the drug taken now
    ("Previous heartburn on ibuprofen; now on meloxicam 15 mg daily.", None),
    ("Meloxicam 15 mg daily. The heartburn in the first week went away.", None),
])
def test_adverse_effects_as_written(text, want):
    assert fact("Meloxicam 15 mg #30", "finding.adverse_effects", text) is want


def test_stomach_complaints_stay_gi_symptoms():
    # the same words still answer the GI question a proton pump inhibitor is judged on
    assert fact("Omeprazole 20 mg #30", "finding.gi_symptoms", "Naproxen 500 bid. It upsets his stomach.") is True
    assert fact("Omeprazole 20 mg #30", "finding.gi_symptoms", "Naproxen 500 bid. No GI sx.") is False


@pytest.mark.parametrize(("text", "want"), [
    # a home program as written
    ("Lumbar strain. Continues her home stretching program daily.", True),
    ("Shoulder impingement. Working with bands at home most evenings.", True),
    ("Knee sprain. Home strengthening every day per PT.", True),
    # a program stopped or not done, or one still to be taught
    ("Lumbar strain. He quit doing his home exercises in the spring.", False),
    ("Lumbar strain. Stretching program at home - not doing it.", False),
    ("Lumbar strain.\nPlan: PT 6 visits with HEP instruction.", None),
])
def test_home_exercise_program_as_written(text, want):
    assert fact("Physical therapy 6 visits lumbar", "finding.home_exercise_program", text) is want


@pytest.mark.parametrize(("request_text", "text", "want"), [
    # a named reflex with a low grade, or absent; a normal grade; low but equal on both sides (an ankle reflex speaks
    # for a low-back request: a sign in the other limb says nothing of the neck, letters9)
    ("Cervical epidural steroid injection C6-7", "Exam: right triceps 1+, left 2+. Strength 5/5.", True),
    ("Lumbar epidural steroid injection L5-S1", "Exam: right ankle jerk fine; left Achilles absent.", True),
    ("Cervical epidural steroid injection C6-7", "Exam: triceps 2+ and equal. Strength 5/5.", False),
    ("Cervical epidural steroid injection C6-7", "Exam: reflexes symmetric 1+ throughout.", False),
])
def test_reflexes_as_graded(request_text, text, want):
    assert fact(request_text, "finding.reflex_change", text) is want


@pytest.mark.parametrize(("text", "want"), [
    # the limb's pain written with where it ends
    ("Low back and right leg pain to the big toe since the fall.", True),
    ("Neck and left arm numbness into the little finger at night.", True),
    ("Low back and right leg pain to the knee since the fall.", None),  # not past the knee: no distal end named
    ("Low back pain. Denies leg pain to the foot.", False),
])
def test_radicular_pain_by_where_it_ends(text, want):
    assert fact("Lumbar epidural steroid injection L5-S1", "finding.radicular_pain", text) is want


TRAMADOL = "Tramadol 50 mg #60"


@pytest.mark.parametrize(("text", "want"), [
    # function regained on the drug, as written
    ("Tramadol 50 bid. He can climb the stairs to his apartment again.", True),
    ("Tramadol 50 bid. He cannot climb the stairs to his apartment.", None),
    ("Tramadol 50 bid. On it she is able to go back to her choir practice.", True),
    ("Tramadol 50 bid. Dressing easier on it.", True),
    ("Tramadol 50 bid. He now walks to the store, which he could not do before starting it.", True),
    # function lost on the regimen
    ("Tramadol 50 bid. He stopped walking his dog and spends most of the day in bed.", False),
])
def test_functional_improvement_on_a_drug_as_written(text, want):
    assert fact(TRAMADOL, "finding.functional_improvement", text) is want


@pytest.mark.parametrize(("text", "want"), [
    # relief against the score before the drug, or as a share in words
    ("Tramadol 50 bid. Her pain is down to 4/10 from 8/10 before starting it.", True),
    ("Tramadol 50 bid. She says it cuts the pain by a little more than half.", True),
    # a drug said to give none
    ("Tramadol 50 bid. He says the tramadol does not really help anymore.", False),
    ("Tramadol 50 bid. She cannot tell any difference with it.", False),
    ("Tramadol 50 bid. Pain 7/10 regardless of whether he takes it.", False),
    # "does not help" said of something else is not the drug's
    ("Tramadol 50 bid. Ice does not help.", None),
])
def test_relief_with_medication_as_written(text, want):
    assert fact(TRAMADOL, "pain.relief_with_medication", text) is want


@pytest.mark.parametrize(("text", "want"), [
    # care listed with a terse note that the symptoms persist
    ("Right SI pain. PT 10 visits with core work, NSAIDs - persisting.", True),
    ("Right SI pain. PT 10 visits with core work, NSAIDs - helpful.", False),
])
def test_conservative_care_failed_written_tersely(text, want):
    assert fact("Right sacroiliac joint injection", "treatment.conservative_failed", text) is want


@pytest.mark.parametrize(("text", "want"), [
    # a present finding naming one of the drug's own indications is its reason
    ("Chronic low back pain. Cyclobenzaprine 10 mg qhs. Exam: lumbar paraspinal spasm.", True),
    ("Chronic low back pain. Cyclobenzaprine 10 mg qhs. Exam: no paraspinal spasm.", None),
])
def test_drug_reason_from_a_finding_it_treats(text, want):
    assert fact("Cyclobenzaprine 10 mg #30", "medication.indication_documented", text) is want
