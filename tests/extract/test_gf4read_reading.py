"""Twin tests (our own words) for gf4read's readings: functional change and adverse effects as clinicians write them."""

from __future__ import annotations

import pytest

from .criterion_facts import fact

_FI = "finding.functional_improvement"
_AE = "finding.adverse_effects"


@pytest.mark.parametrize("text", [
    "Using the ketoprofen cream daily, letting him get through a day at the office.",
    "Tramadol 50 bid. Back to attending church on Sundays since it was started.",
    "Norco 5/325 bid. She is walking her dog and doing laundry; she couldn't do either without her medications.",
    "Hand therapy x 8: grip strength rose from 12 to 25 kg on the right.",
    "Lifting tolerance 30 lbs today, was 10 lbs in March.",
])
def test_function_gained_is_read(text):
    assert fact("Tramadol 50mg #60", _FI, text) is True


@pytest.mark.parametrize("text", [
    "On Skelaxin for 8 months. No objective change noted on exam or in ADLs.",
    "Norco 10/325 qid. No measurable improvement since the last visit.",
    "MS Contin 15 bid. He spends most of his days in a recliner watching TV.",
])
def test_function_unchanged_is_read(text):
    assert fact("Tramadol 50mg #60", _FI, text) is False


@pytest.mark.parametrize("text", [
    "Tried Robaxin in 2015 which made her drowsy, stopped after a week. Now on ibuprofen only.",
    "Nortriptyline was tried - too sedated in the morning, d/c'd. Motrin 600 prn.",
    "Previously tried Lyrica (dizziness) and Cymbalta (nausea). Using Aleve.",
    "Oral NSAIDs not tolerated (nausea). Acetaminophen prn.",
])
def test_effects_of_a_drug_given_up_are_not_the_regimens(text):
    assert fact("Lidoderm 5% patch #30", _AE, text) is None


@pytest.mark.parametrize("text", [
    "Zanaflex 4 mg hs. Little help for the spasm, and it makes him groggy at work.",
    "Gabapentin 300 tid: no change in the burning but it causes dizziness in the mornings.",
    "Baclofen gives her mental fogginess in the afternoon.",
])
def test_an_effect_the_drug_causes_is_read_past_an_earlier_no(text):
    assert fact("Tizanidine 4mg #30", _AE, text) is True


def test_a_caused_effect_denied_stays_denied():
    assert fact("Tizanidine 4mg #30", _AE, "Tizanidine 4 mg hs: helps the spasm and does not make him drowsy.") is False


def test_an_effect_now_gone_is_not_the_regimens():
    assert fact("Cymbalta 30mg #30", _AE, "Cymbalta 30 since May: dizziness the first week, now gone. Mood better.") is None


@pytest.mark.parametrize(("request_text", "texts", "region", "study"), [
    # plain films before an MRI: imaging of the region, but the MRI repeats nothing
    ("MRI left knee", ["Left knee pain since the fall. Left knee x-rays 2/2016: no fracture."], True, False),
    ("MRI cervical spine", ["Neck pain. C-spine x-rays in 3/2016 showed DDD at C6-7. No MRI yet."], True, False),
    # a radiograph report headed by its count of views
    ("MRI lumbar spine", ["Low back pain. PLAN: MRI.", "LUMBOSACRAL SPINE, 2 VIEWS: Mild facet arthropathy L4-S1. No fracture."],
     True, False),
    # an earlier MRI named by its disc level only is a prior MRI of that spine
    ("Repeat MRI lumbar spine", ["Back and leg pain. MRI 3/2015: L4-5 central protrusion. PLAN: new MRI."], True, True),
    ("MRI cervical spine", ["Arm pain. MRI: C5-6 disc osteophyte complex, mild foraminal narrowing."], True, True),
    # a study taken today with its result
    ("MRI right ankle", ["Right ankle sprain at work. X-rays today: no fracture. PLAN: MRI if no better."], True, False),
])
def test_prior_imaging_of_the_region_and_a_prior_study_of_the_same_kind(request_text, texts, region, study):
    assert fact(request_text, "imaging.prior_same_region", *texts) is region
    assert fact(request_text, "imaging.prior_same_study", *texts) is study


@pytest.mark.parametrize(("text", "want"), [
    ("She says the naproxen takes her back pain from a 6 to a 2 on most days.", True),
    ("Naproxen 500 bid: pain drops from 7/10 to 4/10 about an hour after a dose.", True),
    ("Naproxen 500 bid since March. No real benefit from the naproxen per the patient.", False),
    ("Naproxen 500 bid. Pt says it feels like nothing; refill requested anyway.", False),
    ("Naproxen 500 bid. Back pain unchanged at 5/10 with or without it.", False),
])
def test_relief_with_the_drug_as_written(text, want):
    assert fact("Naproxen 500mg #60", "pain.relief_with_medication", text) is want


def test_an_effect_that_made_the_worker_stop_the_drug_asked_for_again_is_read():
    text = "Tizanidine: he stopped it in May because it made him too drowsy at work. Plan: retry tizanidine 2 mg hs."
    assert fact("Tizanidine 2mg #30", _AE, text) is True


@pytest.mark.parametrize("text", [
    "Past meds: duloxetine 30 (stopped, nausea); ibuprofen prn now.",
    "Meds tried: pregabalin 75 bid, discontinued 3/2016 due to dizziness. Ibuprofen prn now.",
])
def test_a_stop_tagged_in_a_medication_list_is_a_drug_given_up(text):
    assert fact("Lidoderm 5% patch #30", _AE, text) is None


@pytest.mark.parametrize("text", [
    "On Lyrica 75 bid since June with no relief and dizziness most mornings.",
    "Lyrica 75 bid: no real benefit but constipation, per patient.",
])
def test_an_effect_joined_to_no_relief_is_present(text):
    assert fact("Lyrica 75mg #60", _AE, text) is True


@pytest.mark.parametrize("text", [
    "Right knee OA. Cortisone injection 3/2016 gave ~70% relief x 10 weeks; she stopped taking her Aleve during that time.",
    "Right knee OA. Cortisone injection 3/2016 gave ~70% relief x 10 weeks; her Mobic use was cut from daily to twice a week.",
])
def test_a_drug_given_up_during_the_relief_is_a_functional_gain_of_the_course(text):
    assert fact("Right knee corticosteroid injection", "treatment.prior_same.functional_improvement", text) is True


@pytest.mark.parametrize(("text", "want"), [
    ("Oxycodone 10 q6h. PDMP shows scripts from three other prescribers since spring.", True),
    ("Oxycodone 10 q6h. CURES checked: another prescriber filled #60 in May.", True),
    ("Oxycodone 10 q6h. CURES reviewed, no other prescribers. No drug seeking behavior observed.", False),
    ("Oxycodone 10 q6h. Staff note drug seeking behavior at the front desk.", True),
])
def test_aberrant_behavior_as_written(text, want):
    assert fact("Oxycodone 10mg #120", "finding.aberrant_behavior", text) is want


@pytest.mark.parametrize(("request_text", "text", "want"), [
    ("Lyrica 50mg #90", "Foot burning. Gabapentin 600 tid tried for 3 months in 2015, stopped: no help. Start Lyrica.", True),
    ("Naproxen 500mg #60", "Knee OA. Ibuprofen 800 tid for a year gave some relief. Switch to naproxen.", True),
    ("Naproxen 500mg #60", "Knee OA. Naproxen 500 bid since May. Refill naproxen.", None),
])
def test_another_drug_of_the_same_class_is_a_first_line_trial(request_text, text, want):
    assert fact(request_text, "medication.first_line_tried", text) is want
