"""Reading at the level criteria use (issue #11, goldread): each phrasing that must count beside a twin that
must not, written in the helper's own words (not copied from a letter, a gold case or a held-out set)."""

import pytest

from openimr.engine.evaluate_criteria import resolver_for
from openimr.extract import extract_facts
from openimr.models.case import CaseFile

from .criterion_facts import fact

NORCO = "Norco 10/325 #60"


@pytest.mark.parametrize(("text", "want"), [
    ("Burning pain down the right arm into the thumb.", True),
    ("Pain shoots down the left leg to the foot.", True),
    ("He describes aching into both thighs when he stands.", True),
    ("No pain down the legs.", False),
    ("She has pain into the left shoulder blade.", None),  # not a limb
    ("Low back pain into the right buttock.", None),  # buttock pain is not radicular by itself
])
def test_radicular_pain_written_as_where_it_goes(text, want):
    assert fact("Lumbar ESI L5-S1", "finding.radicular_pain", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Pain scale: 9 w/o meds, 5 w/ meds. Norco 10/325 bid.", True),
    ("Tramadol takes his pain from 7/10 down to 3/10. Norco 10/325 bid.", True),
    ("Her medications lower the pain from 9/10 to 4/10. Norco 10/325 bid.", True),
    ("Pain climbs from 4/10 to 8/10 by evening. Norco 10/325 bid.", None),  # a rise is not relief
    ("After PT her pain went from 8/10 to 5/10. Norco 10/325 bid.", None),  # another care's effect
    ("Norco reduces her pain by about 40%. Norco 10/325 bid.", True),
    ("Pain 6/10. Norco 10/325 bid.", None),
])
def test_medication_relief_from_before_and_after_values(text, want):
    assert fact(NORCO, "pain.relief_with_medication", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("The medication lets her continue working her regular shifts. Norco 10/325 bid.", True),
    ("Norco has improved his ability to do yard work. Norco 10/325 bid.", True),
    ("She can vacuum and cook with the help of Norco. She is able to cook with the help of Norco.", True),
    ("She is able to cook with the help of her daughter. Norco 10/325 bid.", None),  # a person's help, not the drug's
    ("Nothing has improved his ability to work. Norco 10/325 bid.", None),
    ("Norco 10/325 bid. Pain 6/10.", None),
])
def test_function_the_drug_keeps_up(text, want):
    assert fact(NORCO, "finding.functional_improvement", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("She finished 10 sessions of physical therapy, which improved her ability to kneel and climb stairs.", True),
    ("After 10 physical therapy visits she can now drive to work, which she could not do before.", True),
    ("Physical therapy x 10 helped, allowing her to return to modified duty.", True),
    ("She finished 10 sessions of physical therapy; nothing improved her ability to kneel.", False),
    ("She finished 10 sessions of physical therapy.", None),
])
def test_function_a_prior_course_improved(text, want):
    assert fact("Physical therapy x 6", "treatment.prior_same.functional_improvement", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("The lumbar ESI in May reduced her pain by about 60% for two months.", 60),
    ("The lumbar ESI in May improved her pain 50% for six weeks.", 50),
    ("The lumbar ESI in May, with 2% lidocaine, was well tolerated.", None),
])
def test_percent_relief_written_after_the_change(text, want):
    assert fact("Lumbar ESI L4-5", "treatment.prior_same.relief_percent", text) == want


def test_prior_block_with_less_medication_is_functional_improvement():
    text = "Transforaminal ESI at L4-5 in May gave 60% relief for 8 weeks; during that time she cut her Norco to one a day."
    assert fact("Lumbar ESI L4-5", "treatment.prior_same.functional_improvement", text) is True
    twin = "Transforaminal ESI at L4-5 in May gave 60% relief for 8 weeks."
    assert fact("Lumbar ESI L4-5", "treatment.prior_same.functional_improvement", twin) is None


@pytest.mark.parametrize(("text", "want"), [
    ("He has not gotten better with therapy, anti-inflammatories or rest.", True),
    ("There was no relief from the NSAIDs or the chiropractic care.", True),
    ("She got better with physical therapy and is back at work.", False),
    ("If she does not improve with therapy we will consider an injection.", None),
])
def test_conservative_care_that_did_not_help(text, want):
    assert fact("MRI lumbar spine", "treatment.conservative_failed", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("A TENS unit is requested to reduce pain flares and cut down on oral medication.", True),
    ("The lumbar brace is requested for support when she lifts at work.", True),
    ("TENS unit requested.", None),
])
def test_the_purpose_of_a_device(text, want):
    request = "TENS unit purchase" if "TENS" in text else "Lumbar brace"
    assert fact(request, "request.reason_stated", text) is want


def test_every_screen_a_note_lists_is_counted():
    text = "Urine drug screen 4/2016 was consistent. Urine drug screen 10/2016 was also consistent. Norco 10/325 bid."
    assert fact(NORCO, "uds.count_past_year", text) == 2
    one = "Urine drug screen 10/2016 was consistent; it was discussed again at this visit. Norco 10/325 bid."
    assert fact(NORCO, "uds.count_past_year", one) == 1


@pytest.mark.parametrize(("text", "want"), [
    ("Low back pain. Plan: request 8 additional visits of chiropractic care.", True),
    ("Low back pain. Further chiropractic treatment is recommended.", True),
    ("Low back pain. Chiropractic care is recommended.", None),
])
def test_more_of_a_course_asked_for_in_the_record(text, want):
    assert fact("Chiropractic 2x4", "request.is_repeat", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Her last ESI gave 70% relief for about a month.", 4.3),
    ("Her last ESI gave 70% relief for a couple of weeks.", 2.0),
    ("Her last ESI gave 70% relief.", None),
])
def test_relief_lasting_a_month_or_a_couple_of_weeks(text, want):
    assert fact("Lumbar ESI L4-5", "treatment.prior_same.relief_weeks", text) == want


@pytest.mark.parametrize(("name", "text", "want"), [
    ("finding.adverse_effects", "Norco 10/325 bid. No SE reported.", False),
    ("finding.adverse_effects", "Norco 10/325 bid. SE: none.", False),
    ("finding.adverse_effects", "Norco 10/325 bid, tolerating the medications well.", False),
    ("finding.adverse_effects", "Norco 10/325 bid. Pain 6/10.", None),
    ("finding.aberrant_behavior", "Norco 10/325 bid. No ADRBs noted.", False),
    ("finding.aberrant_behavior", "Norco 10/325 bid. He takes his medications as prescribed.", False),
    ("finding.aberrant_behavior", "Norco 10/325 bid. She ran out early this month.", True),
    ("finding.aberrant_behavior", "Norco 10/325 bid. Pain 6/10.", None),
    ("finding.cures_reviewed", "Norco 10/325 bid. I looked at the prescription monitoring database today.", True),
    ("finding.functional_improvement", "Norco 10/325 bid. Meds improve her ADLs.", True),
    ("finding.functional_improvement", "Norco 10/325 bid. ADLs: independent with meds.", True),
    ("finding.functional_improvement", "Norco 10/325 bid. No change in her function since the last visit.", False),
    ("finding.functional_improvement", "Norco 10/325 bid. Function remains unchanged.", False),
    ("finding.functional_improvement", "Norco 10/325 bid. Her husband helps with her ADLs.", None),
])
def test_the_four_as_in_pr2_shorthand(name, text, want):
    assert fact(NORCO, name, text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Norco 10/325 bid. Pain 9/10 before meds and 6/10 after.", True),
    ("Norco 10/325 bid. Pain 8/10, 5/10 after taking Norco.", True),
    ("Norco 10/325 bid. Pain 8/10 before PT and 5/10 after.", None),  # the course's effect, not the drug's
])
def test_before_and_after_the_medication(text, want):
    assert fact(NORCO, "pain.relief_with_medication", text) is want


@pytest.mark.parametrize(("request_", "text", "want"), [
    ("Gabapentin 600mg #90", "Gabapentin 600 tid for 3 months; tingling in the hand about 30% less.", True),
    ("Gabapentin 600mg #90", "Gabapentin 600 tid: arm burning 7->3 since the dose went up.", True),
    ("Gabapentin 600mg #90", "Gabapentin 600 tid - arm pain down ~40% on it.", True),
    ("Naproxen 500mg #60", "Knee 4/10 today; naproxen helps (7->4).", True),
    ("Norco 10/325 #90", "Norco 10/325 tid. Without meds 9/10, with 5/10.", True),
    ("Norco 10/325 #90", "Norco 10/325 tid. Norco 4->2 a day over the month.", None),  # doses, not scores
    ("Gabapentin 600mg #90", "Gabapentin 600 tid. Her tingling is 30% worse.", None),
    ("AEs and aberrancy", "", None),
])
def test_a_drugs_effect_on_a_symptom_as_value_and_direction(request_, text, want):
    if not text:  # the PR-2 abbreviations of the four A's
        assert fact(NORCO, "finding.adverse_effects", "Norco 10/325 tid. No AEs.") is False
        assert fact(NORCO, "finding.aberrant_behavior", "Norco 10/325 tid. No aberrancy.") is False
        assert fact(NORCO, "finding.aberrant_behavior", "Norco 10/325 tid. Pain 6/10.") is None
        return
    assert fact(request_, "pain.relief_with_medication", text) is want


@pytest.mark.parametrize(("text", "want"), [
    # care so far is medication only: the therapy requested is a first course
    ("Shoulder strain two weeks ago. Treated with ice and ibuprofen 600 tid. Plan: physical therapy 2x3.", False),
    # a general denial of therapy
    ("Wrist sprain. No therapy so far. Plan: occupational therapy 2x3.", False),
    # a prior course stays a prior course
    ("Shoulder strain. Completed 8 physical therapy visits in March. Ibuprofen 600 tid. Plan: more physical therapy.", True),
    # nothing about care given: unknown, never a first course by default
    ("Shoulder strain. Plan: physical therapy 2x3.", None),
])
def test_first_course_from_the_care_given_so_far(text, want):
    assert fact("Physical therapy 2x3", "request.is_repeat", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Knee pain. Ibuprofen 600 tid. Plan: switch to naproxen 550 bid.", False),  # another drug, this one new
    ("Knee pain. Naproxen 550 bid for a year, helps. Refill naproxen.", True),  # a refill
    ("Knee pain. Took naproxen in 2022, stopped for heartburn. Ibuprofen 600 tid now. Resume naproxen 550 bid.", True),
    ("Knee pain. Plan: naproxen 550 bid.", False),  # first named in the plan, no continuation word
    ("Knee pain, follow-up in 2 weeks.", None),  # no drug named at all
])
def test_a_drug_request_repeats_a_drug_taken_before(text, want):
    assert fact("Naproxen 550mg #60", "request.is_repeat", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Neck pain. PT x 8 done, HEP, ibuprofen - partial.", True),
    ("Neck pain. Chiro x 6: minimal help.", True),
    ("Neck pain. PT x 8 - good response.", False),
    ("Neck pain. Acupuncture - no.", None),  # not given, not failed
])
def test_terse_outcome_of_conservative_care(text, want):
    assert fact("TENS unit 30-day rental", "treatment.conservative_failed", text) is want


@pytest.mark.parametrize(("name", "text", "want"), [
    ("finding.radicular_pain", "Low back pain, axial. No leg pain or numbness.", False),
    ("finding.radicular_pain", "Buttock pain that does not go below the knee.", False),
    ("finding.red_flags", "Denies fever, weight loss or bowel/bladder changes.", False),
    ("finding.red_flags", "Exam consistent with cervical myelopathy.", True),
    ("finding.adverse_effects", "Feels groggy in the morning after the dose.", True),
    ("finding.adverse_effects", "No dizziness, no dry mouth.", False),
    ("finding.home_exercise_program", "She does her stretching routine at home daily.", True),
    ("finding.uds_consistent", "UDS 5/1/24 positive for oxycodone as prescribed.", True),
    ("finding.uds_consistent", "UDS 5/1/24: oxycodone present; diazepam present, not prescribed.", False),
    ("finding.uds_consistent", "No urine drug screen on file.", None),  # no screen: neither result
])
def test_findings_written_as_denials_lists_and_shorthand(name, text, want):
    assert fact(NORCO, name, text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Robaxin 750 bid prn spasm.", True),
    ("Start Robaxin 750 bid; it addresses the spasm that wakes her.", True),
    ("On Robaxin the spasms are much less.", True),
    ("Robaxin 750 bid - refill.", None),
])
def test_the_reason_for_a_drug_in_shorthand(text, want):
    assert fact("Robaxin 750mg #60", "medication.indication_documented", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Tylenol 650 tid gives her maybe 30% relief. Plan: start diclofenac gel.", True),  # any medication's relief
    ("Ibuprofen takes about 25% off the pain. Plan: start diclofenac gel.", True),
    ("Without his meds the pain is about an eight; with them it comes down to around a four.", True),
    ("Norco 5/325 bid; pain 8/10 w/o, 5/10 w/ it.", True),
    ("Plan: start diclofenac gel. Pain 6/10.", None),
])
def test_relief_with_any_medication(text, want):
    assert fact("Voltaren 1% gel 100g", "pain.relief_with_medication", text) is want


def test_sessions_are_zero_when_the_record_says_none_were_given():
    assert fact("Acupuncture x 6", "treatment.prior_same.sessions", "Neck pain. She has never had acupuncture.") == 0
    assert fact("Acupuncture x 6", "treatment.prior_same.sessions", "Neck pain. Plan: acupuncture x 6.") is None


def _typed_case(request: str, dtype: str, text: str) -> CaseFile:
    return CaseFile.model_validate({"disputed_items": [{"request": request}], "request_for_authorization": {"date": "2016-12-20"},
                                    "documents": [{"id": "d0", "type": dtype, "date": "2016-12-10", "text": text}]})


@pytest.mark.parametrize(("dtype", "text", "sessions", "improved"), [
    ("acupuncture_note", "RE-EVALUATION\nVisits completed: 6.\nNeck Disability Index 40% -> 22%.\nBack to full duty.", 6, True),
    ("pt_note", "Progress note. 10 of 12 visits attended. Pain unchanged, function unchanged.", None, None),  # PT, not acupuncture
    ("progress_note", "RE-EVALUATION\nVisits completed: 6.\nNeck Disability Index 40% -> 22%.", None, None),  # whose visits?
    ("acupuncture_note", "Initial evaluation. Plan: 6 visits, then re-evaluate.", None, None),
])
def test_a_therapists_note_counts_its_own_course(dtype, text, sessions, improved):
    case = _typed_case("Acupuncture x 6", dtype, text)
    r = resolver_for(case, extract_facts(case), None)
    assert r.value("treatment.prior_same.sessions") == sessions
    assert r.value("treatment.prior_same.functional_improvement") is improved


def test_a_pt_note_counts_pt_visits():
    case = _typed_case("Physical therapy x 6", "pt_note", "Progress note. 10 of 12 visits attended. Function unchanged.")
    r = resolver_for(case, extract_facts(case), None)
    assert r.value("treatment.prior_same.sessions") == 10
    assert r.value("treatment.prior_same.functional_improvement") is False
    assert r.value("request.is_repeat") is True


@pytest.mark.parametrize(("text", "want"), [
    ("He stopped his naproxen a month ago because of heartburn.\nMedications (from last visit): naproxen 500 bid, lisinopril.", False),
    ("She ran out of naproxen three weeks ago and has not restarted.\nMeds: naproxen 500 bid.", False),
    ("He stopped naproxen for two weeks before surgery. He is back on naproxen 500 bid now.", True),  # a pause
    ("Meds: naproxen 500 bid, lisinopril.", True),
])
def test_a_stop_in_the_narrative_beats_a_copied_medication_list(text, want):
    assert fact("Naproxen 500mg #60", "medication.current", text) is want


@pytest.mark.parametrize(("name", "text", "want"), [
    ("function.goals_documented", "Goals: tolerate a 10-hour shift, RTW full duty.", True),
    ("function.goals_documented", "Goals of care discussed with the family.", None),
    ("plan.active_therapy", "Plan: lumbar ESI. Continue daily walking program.", True),
    ("plan.active_therapy", "Plan: lumbar ESI. Water aerobics encouraged.", True),
    ("plan.active_therapy", "Plan: lumbar ESI.", None),
])
def test_goals_and_active_programs_as_written(name, text, want):
    assert fact("Lumbar ESI L4-5", name, text) is want


def test_no_illicit_drugs_is_a_consistent_screen():
    assert fact(NORCO, "finding.uds_consistent", "UDS 11/2/16: hydrocodone present, no illicit drugs, c/w Rx.") is True
    assert fact(NORCO, "finding.uds_consistent", "UDS 11/2/16: hydrocodone present; illicit methamphetamine found.") is False


@pytest.mark.parametrize(("text", "want"), [
    ("S - Mid back spasm after lifting.\nO - Paraspinal spasm.\nA - Thoracic strain.\nP - Robaxin 750 bid prn spasm.", False),
    ("S - Mid back spasm, on Robaxin 750 bid for a month.\nP - Continue Robaxin 750 bid.", True),
])
def test_soap_letters_written_with_a_dash(text, want):
    assert fact("Robaxin 750mg #60", "medication.current", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Ibuprofen 600 prn - takes the edge off. Plan: start diclofenac gel.", True),
    ("Tylenol cuts her knee pain by about half. Plan: start diclofenac gel.", True),
    ("Tylenol 650 prn. The weather takes a toll. Plan: start diclofenac gel.", None),
])
def test_relief_in_words(text, want):
    assert fact("Voltaren 1% gel 100g", "pain.relief_with_medication", text) is want


@pytest.mark.parametrize(("name", "text", "want"), [
    ("finding.opioid_agreement", "Norco 10/325 bid. Opioid tx agreement signed 2015, on file.", True),
    ("finding.opioid_agreement", "Norco 10/325 bid. Treatment agreement re-signed today.", True),
    ("finding.opioid_agreement", "Norco 10/325 bid. Treatment plan discussed.", None),
])
def test_agreements_as_written(name, text, want):
    assert fact(NORCO, name, text) is want


@pytest.mark.parametrize(("request_", "name", "text", "want"), [
    ("Chiropractic 2x3 initial trial", "treatment.prior_same.sessions", "Low back pain. No prior chiropractic or PT.", 0),
    ("Chiropractic 2x3 initial trial", "treatment.prior_same.sessions", "Low back pain.", None),
    ("Right shoulder injection", "treatment.conservative_tried", "Shoulder pain. Ibuprofen 600 tid and ice.", True),
    ("Right shoulder injection", "treatment.conservative_tried", "Shoulder pain since a fall.", None),
])
def test_care_so_far(request_, name, text, want):
    assert fact(request_, name, text) == want if isinstance(want, int) and not isinstance(want, bool) else fact(request_, name, text) is want
