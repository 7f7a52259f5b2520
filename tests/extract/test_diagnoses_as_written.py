"""Diagnoses and comorbidities as clinicians write them (issue #11, dxread). Each reading has a twin that must
not count: negated, ruled out, a relative's, a risk to screen for, or the wrong words. Written in our own words;
nothing here is taken from a letter or a held-out set."""

from __future__ import annotations

import pytest

from openimr.extract import extract_facts
from openimr.lexicon.abbreviations import expand_abbreviations
from openimr.lexicon.comorbidities import comorbidities_in
from openimr.lexicon.regions import laterality_of
from openimr.models.case import CaseFile


def _facts(text: str, doc_type: str = "progress_note"):
    case = CaseFile.model_validate({
        "case_number": "DX-1",
        "injured_worker": {"age": 52, "sex": "male", "date_of_injury": "2014-03-02"},
        "request_for_authorization": {"date": "2016-04-05"},
        "disputed_items": [{"request": "Front-wheeled walker", "ur_decision": "non-certified"}],
        "documents": [{"id": "d0", "type": doc_type, "date": "2016-04-01", "text": text}],
    })
    return extract_facts(case)


def _dx(text: str, doc_type: str = "progress_note") -> list[tuple[str, str | None, str | None]]:
    return [(d.text, d.body_region, d.laterality) for d in _facts(text, doc_type).diagnoses]


def _comorb(text: str) -> set[str]:
    return {d.text for d in _facts(text).comorbidities}


# -- diagnoses on the identification line, an ICD-10 line, a dash assessment --------------------------------

def test_the_identification_line_names_the_diagnoses_with_region_and_side():
    dx = _dx("PR-2 4/1/16\n64F, R knee OA, L CTS. Here for f/u, pain 6/10.")
    texts = {t for t, _, _ in dx}
    assert ("R knee OA", "knee", "right") in dx
    assert ("L CTS", "wrist/hand", "left") in dx
    assert not any("pain" in t for t in texts)


def test_the_identification_line_with_a_rule_out_or_a_complaint_only_names_no_diagnosis():
    assert _dx("PR-2 4/1/16\n64F, r/o L CTS, here for f/u.") == []
    assert _dx("PR-2 4/1/16\n64F, low back pain and R knee pain, here for f/u.") == []


def test_a_sentence_giving_age_and_diagnosis_in_prose():
    dx = _dx("Mr. X is a 59 year old warehouse worker with bilateral hip DJD and lumbar radic after a fall at work.")
    assert any(t.endswith("hip DJD") and region == "hip" and side == "bilateral" for t, region, side in dx)
    assert any("lumbar radic" in t and region == "lumbar" for t, region, _ in dx)


def test_a_prior_diagnosis_in_history_on_the_identification_line_is_not_current():
    dx = _dx("59 yo M with history of L ankle fracture in 1998, now here for neck pain.")
    assert not any("fracture" in t for t, _, _ in dx)


def test_icd10_lines_keep_their_text_region_and_side():
    dx = _dx("Diagnoses:\n1. M17.12 Unilateral primary osteoarthritis, left knee\n2. M54.16 Radiculopathy, lumbar region")
    assert ("M17.12 Unilateral primary osteoarthritis, left knee", "knee", "left") in [(t, r, s) for t, r, s in dx]


def test_an_icd10_code_outside_a_header_is_read_too_but_not_in_an_imaging_report():
    assert any("G56.02" in t for t, _, _ in _dx("Working dx G56.02 carpal tunnel syndrome, left upper limb."))
    assert _dx("Working dx G56.02 carpal tunnel syndrome, left upper limb.", doc_type="emg_report") == []


def test_a_dash_assessment_reads_its_line_only():
    dx = _dx("S- twisted ankle on stairs.\nA- L ankle sprain grade III, ATFL tear\nP- boot, then PT. Modified duty seated.")
    texts = {t for t, _, _ in dx}
    assert "L ankle sprain grade III" in texts and "ATFL tear" in texts
    assert not any("duty" in t or "boot" in t for t in texts)


def test_a_dash_that_is_not_an_assessment_header_is_no_diagnosis():
    assert _dx("A-P and lateral views obtained.\nPlan- PT.") == []


# -- comorbidities -----------------------------------------------------------------------------------------

def test_a_past_medical_history_in_shorthand():
    assert _comorb("PMH: HTN on lisinopril, DM2 (A1c 7.4), OSA on CPAP, CKD 3. BMI 41.") == {
        "hypertension", "diabetes mellitus", "obstructive sleep apnea", "chronic kidney disease (renal insufficiency)", "obesity",
        "morbid obesity"}


def test_comorbidities_in_prose_and_anticoagulation():
    assert _comorb("He has a history of CAD with a stent in 2012 and takes Eliquis daily for a-fib.") >= {
        "coronary artery disease", "arrhythmia (atrial fibrillation)", "anticoagulation"}


@pytest.mark.parametrize("text", [
    "PMH: no h/o DM.",
    "Denies HTN, DM.",
    "FHx: CAD (father), DM (mother).",
    "Family history:\nHTN, COPD",
    "Mother with DM and HTN.",
    "Labs to screen for diabetes.",
    "r/o OSA, sleep study ordered.",
    "BMI 24. A1c 5.4.",
])
def test_what_is_not_the_workers_comorbidity(text):
    assert _comorb(text) == set()


def test_a_comorbidity_stated_in_a_utilization_review_letter_is_not_read():
    assert {d.text for d in _facts("UR DETERMINATION\nPatient has HTN.", doc_type="ur_determination").comorbidities} == set()


# -- the lexicon --------------------------------------------------------------------------------------------

def test_shorthand_is_expanded_and_capitals_still_matter():
    assert "radiculopathy" in expand_abbreviations("lumbar radic")
    assert {"joint", "dysfunction"} <= set(expand_abbreviations("SI jt dysfn").replace("(", " ").replace(")", " ").split())
    assert "hypertension" in expand_abbreviations("HTN") and "hypertension" not in expand_abbreviations("htn")
    assert "radiculopathy" not in expand_abbreviations("radical")


def test_laterality_is_not_a_spinal_level():
    assert laterality_of("L CTS") == "left" and laterality_of("R S1 radiculopathy") == "right"
    assert laterality_of("L4-5 HNP") is None and laterality_of("bilat knee OA") == "bilateral"


def test_lexicon_names_what_the_knowledge_base_names():
    assert [c for c, _, _ in comorbidities_in("IDDM, s/p CABG")] == ["diabetes mellitus", "coronary artery disease"]
    assert comorbidities_in("dm pain, mi casa") == []  # lower-case "dm", "mi" are not the abbreviations


# -- diagnoses after side / region / level words, in a list after the complaint -------------------------------

def test_a_diagnosis_after_the_complaint_or_a_number_counts():
    texts = {t for t, _, _ in _dx("Neck pain, L CTS, no radiculopathy.")}
    assert texts == {"L CTS"}
    dx = _dx("Follow-up 4/1/16\n47M roofer. (1) lumbar radic L>R, (2) R shoulder RCT, partial.")
    assert {r for _, r, _ in dx} >= {"lumbar", "shoulder"}
    assert ("L4-5 HNP", "lumbar", None) in _dx("Seen 4/1/16: L4-5 HNP, failed conservative care.")


def test_a_diagnosis_word_after_other_words_an_imaging_line_or_a_plan_is_not_read():
    assert _dx("The patient has a tear according to her.") == []
    assert _dx("MRI: L4-5 disc protrusion, mild canal narrowing.") == []
    assert _dx("Seen today.\nP: R CTS release next month.") == []


def test_a_dx_written_without_a_colon():
    assert any("plantar fasciitis" in t and r == "ankle/foot" for t, r, _ in _dx("Dx plantar fasciitis bilat. Rx orthotics."))
    assert _dx("Dx pending further workup.") == []


def test_a_long_impression_keeps_the_diagnosis_before_its_explanation():
    long = ("Impression: Alcohol use disorder, mild (DSM-5 criteria reviewed in detail with the patient today, including "
            "tolerance, craving, use in hazardous situations and unsuccessful attempts to cut down over the last year)")
    assert any(t.startswith("Alcohol use disorder") for t, _, _ in _dx(long))


def test_morbid_obesity_needs_a_bmi_of_forty():
    assert _comorb("BMI today 44.") == {"obesity", "morbid obesity"}
    assert _comorb("BMI 34.") == {"obesity"}


def test_arthritis_on_a_radiograph_is_an_imaging_finding_not_a_nerve_study():
    f = _facts("XR R knee standing: severe medial joint space narrowing, bone-on-bone, osteophytes.", doc_type="imaging_report")
    assert any(s.finding == "joint space narrowing" and s.severity == "severe" for s in f.imaging)
    g = _facts("EMG/NCS of the R arm was requested. Films showed acromioclavicular osteoarthritis.")
    assert not any(s.finding == "osteoarthritis" for s in g.electrodiagnostics)


def test_a_negated_list_reaches_past_its_commas_but_not_past_but():
    assert _comorb("There is no history of TIA, CVA or seizure disorder.") == set()
    assert _comorb("No HTN, but DM2 on metformin since 2010.") == {"diabetes mellitus"}
