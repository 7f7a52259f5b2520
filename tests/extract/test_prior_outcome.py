"""What a prior treatment did, and why a drug is given (issue #11, prior): each phrasing that must count beside
a twin that must not, in this helper's own words (no letter, gold case or held-out case is copied)."""

import pytest

from openimr.engine.evaluate_criteria import resolver_for
from openimr.extract import extract_facts
from openimr.models.case import CaseFile


def fact(request: str, name: str, *texts: str):
    docs = [{"id": f"d{i}", "type": "progress_note", "date": f"2019-03-{10 + i:02d}", "text": t} for i, t in enumerate(texts)]
    case = CaseFile.model_validate({"disputed_items": [{"request": request}], "documents": docs,
                                    "request_for_authorization": {"date": "2019-03-20"},
                                    "injured_worker": {"date_of_injury": "2018-01-05"}})
    return resolver_for(case, extract_facts(case), None).value(name)


ESI = "Repeat left L4-5 transforaminal epidural steroid injection"
KNEE = "Right knee corticosteroid injection"
RFA = "Repeat bilateral L4-5 radiofrequency ablation"


@pytest.mark.parametrize(("text", "want"), [
    ("He is s/p left L4-5 TFESI on 11/02/2018. He got roughly 70% relief of the leg pain.", 70),
    ("Had a left L4-5 TFESI in 11/2018. Pain 7/10 today.", None),  # the injection, but no outcome stated
])
def test_an_abbreviated_epidural_is_a_prior_injection(text, want):
    assert fact(ESI, "treatment.prior_same.relief_percent", text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("Her last steroid shot in the right knee was in October. She says it gave her about half relief.", 50),
    ("Her last steroid shot in the right knee was in October. She says it did not change much.", None),
])
def test_half_relief_from_a_shot(text, want):
    assert fact(KNEE, "treatment.prior_same.relief_percent", text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("Trigger point injections were done 1/2019. About 40% relief, but it lasts only ~3 weeks.", 3.0),
    ("Trigger point injections were done 1/2019. About 40% relief.", None),
])
def test_how_long_relief_lasted_when_written_with_only(text, want):
    assert fact("Trigger point injections x3, lumbar paraspinals", "treatment.prior_same.relief_weeks", text) == want


@pytest.mark.parametrize(("text", "want"), [
    # the percent after the ablation belongs to the blocks named between them
    ("Lumbar RF ablation on 05/01/2018 after two medial branch blocks each with 90% relief. "
     "He reports 60% relief of back pain afterwards.", 60),
    ("Lumbar RF ablation on 05/01/2018 with 60% relief.", 60),
])
def test_a_percent_belongs_to_the_nearer_treatment(text, want):
    assert fact(RFA, "treatment.prior_same.relief_percent", text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("Lumbar RF ablation on 05/01/2018. He reports 60% relief lasting months. "
     "During that time he came off his tramadol and went back to full duty.", True),
    ("Lumbar RF ablation on 05/01/2018. He reports 60% relief lasting months. "
     "Tramadol 50 mg bid continues.", None),
    ("Facet injections were done 05/01/2018 with 20% relief. No change in walking tolerance.", False),
])
def test_what_the_relief_allowed_in_the_sentences_after(text, want):
    request = RFA if "RF" in text else "Repeat lumbar facet joint injections L4-5"
    assert fact(request, "treatment.prior_same.functional_improvement", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Subacromial injections in 6/2018 and 9/2018; after each she was able to go back to lifting for about 10 weeks.", 10.0),
    ("Subacromial injections in 6/2018 and 9/2018. She has had PT for 10 weeks.", None),  # a course's length, not the relief's
])
def test_weeks_of_benefit_stated_without_a_percent(text, want):
    assert fact("Right shoulder subacromial corticosteroid injection", "treatment.prior_same.relief_weeks", text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("Plan: meloxicam 15 mg daily for the epicondylitis.", True),
    ("Plan: meloxicam 15 mg daily.", None),
    ("Lower back spasticity controlled on tizanidine; continue tizanidine 4 mg.", True),
    ("Celecoxib 200 daily - pain 8 -> 4 with it.", True),
])
def test_a_drug_given_for_a_condition_or_its_effect(text, want):
    request = "Tizanidine 4 mg" if "tizanidine" in text else ("Celecoxib 200 mg" if "Celecoxib" in text else "Meloxicam 15 mg")
    assert fact(request, "medication.indication_documented", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Left ankle pain. Tried a lace-up brace and naproxen for 2 months without meaningful relief.", True),
    ("Left ankle pain. Tried a lace-up brace and naproxen for 2 months with good relief.", False),
    ("Both wrists numb at night. Wore wrist splints x 8 weeks and took naproxen; still waking twice a night.", True),
    ("Both wrists numb at night.", None),
])
def test_care_listed_then_its_outcome(text, want):
    request = "Left ankle MRI" if "ankle" in text else "EMG/NCV bilateral upper extremities"
    assert fact(request, "treatment.conservative_failed", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Assessment: right knee osteoarthritis.\nPlan: start diclofenac 1% gel to the right knee.", True),
    ("Assessment: right wrist sprain.\nPlan: start diclofenac 1% gel to the right wrist.", None),
])
def test_the_assessment_gives_the_reason(text, want):
    assert fact("Voltaren (diclofenac) 1% gel", "medication.indication_documented", text) is want


@pytest.mark.parametrize(("text", "want"), [
    # "back" after "go" is an adverb: the shoulder injection stays a shoulder injection
    ("Subacromial injection 4/2018 gave 60% relief; she could go back to overhead work.", 60),
    ("Low back injection 4/2018 gave 60% relief.", None),  # another region's injection
])
def test_back_as_an_adverb_is_not_a_region(text, want):
    assert fact("Right shoulder subacromial corticosteroid injection", "treatment.prior_same.relief_percent", text) == want


@pytest.mark.parametrize(("text", "want"), [
    # the spinal level places an older study's finding in the spine, though the sentence names a foot
    ("Chronic back pain (known L5-S1 stenosis on MRI 2017) and now his right foot drags.", True),
    ("Chronic back pain and now his right foot drags. MRI of the right foot 2017 showed a stress fracture.", False),
])
def test_a_spinal_level_places_a_prior_study(text, want):
    assert fact("MRI lumbar spine without contrast", "imaging.prior_same_region", text) is want
