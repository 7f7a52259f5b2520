"""Issue #11 (dxread): criteria that find diagnoses, comorbidities and gait as PR-2s write them, each with a twin
that must not count. Records are written here in our own words; none is taken from a letter or a held-out set."""

from __future__ import annotations

import pytest
from one_note import criterion_met

from openimr.engine import review_case
from openimr.models.case import CaseFile


def _item(request: str, note: str, age: int = 54):
    case = CaseFile.model_validate({
        "case_number": "DXR-1",
        "injured_worker": {"age": age, "sex": "male", "date_of_injury": "2015-02-10"},
        "request_for_authorization": {"date": "2016-06-01"},
        "utilization_review": {"date": "2016-06-08"},
        "disputed_items": [{"request": request, "ur_decision": "non-certified"}],
        "documents": [{"id": "d0", "type": "progress_note", "date": "2016-05-30", "text": note}],
    })
    return review_case(case)[0].items[0]


_met = criterion_met


CLEARANCE = ("Spine surgery f/u 5/30/16. R leg pain, failed PT and ESI. {pmh}\n"
             "A: R L5 radiculopathy, L4-5 HNP.\nP: R L4-5 microdiscectomy; pre-op medical clearance.")


@pytest.mark.parametrize("pmh", ["PMH: HTN, NIDDM on metformin.", "Past medical hx: OSA on CPAP, BMI 43."])
def test_a_comorbidity_in_the_past_history_supports_a_preoperative_clearance(pmh):
    item = _item("Pre-operative medical clearance", CLEARANCE.format(pmh=pmh))
    assert _met(item, "preop-clearance.risk-documented") is True


@pytest.mark.parametrize("pmh", ["PMH: none. No h/o HTN or DM.", "FHx: CAD, DM2 (father).", "Denies HTN, DM."])
def test_no_comorbidity_or_a_relatives_does_not(pmh):
    item = _item("Pre-operative medical clearance", CLEARANCE.format(pmh=pmh))
    assert _met(item, "preop-clearance.risk-documented") is False


def test_a_cardiac_risk_factor_in_shorthand_supports_an_ecg_and_a_rule_out_does_not():
    yes = _item("Pre-op EKG", CLEARANCE.format(pmh="PMH: CAD s/p stent 2011, HTN."))
    no = _item("Pre-op EKG", CLEARANCE.format(pmh="Chest pain r/o CAD last year, workup negative."))
    assert _met(yes, "ekg.cardiac-indication") is True
    assert _met(no, "ekg.cardiac-indication") is not True


WALKER = "PR-2 5/30/16\n{line}\nP: front-wheeled walker."


@pytest.mark.parametrize("line", [
    "68M, L hip pain after fall at work. Antalgic, unsteady gait, fell x2 since March.",
    "68M, L hip pain after fall at work. Ambulates w/ single-point cane, can walk ~50 ft before resting.",
    "68M, bilat knee DJD, here for f/u.",
])
def test_an_impaired_gait_or_a_knee_diagnosis_supports_a_walking_aid(line):
    item = _item("Front-wheeled walker", WALKER.format(line=line), age=68)
    assert _met(item, "walking-aid.impaired-walking") is True


@pytest.mark.parametrize("line", [
    "68M, L hip pain after fall at work. Normal gait, no falls, walks independently.",
    "68M, L hip pain after fall at work. Denies falls; no antalgic gait.",
])
def test_a_normal_gait_does_not(line):
    item = _item("Front-wheeled walker", WALKER.format(line=line), age=68)
    assert _met(item, "walking-aid.impaired-walking") is not True


def test_severity_as_a_kellgren_lawrence_grade():
    from openimr.engine.derive import _NOT_SEVERE, _SEVERE

    assert _SEVERE.search("R knee OA (K-L 4)") and not _SEVERE.search("R knee OA (K-L 2)")
    assert _NOT_SEVERE.search("R knee OA (KL grade 2)") and not _NOT_SEVERE.search("R knee OA (K-L 4)")


def test_an_opioid_use_disorder_is_an_indication_for_buprenorphine_and_back_pain_alone_is_not():
    yes = _item("Suboxone 8/2 mg film #60", "Addiction medicine 5/30/16. Impression: Opioid use disorder, moderate. "
                "Plan: office-based buprenorphine induction.")
    no = _item("Suboxone 8/2 mg film #60", "Addiction medicine 5/30/16. Impression: Chronic low back pain. "
               "Plan: office-based buprenorphine induction.")
    assert _met(yes, "bup.indication") is True
    assert _met(no, "bup.indication") is not True


def test_shoulder_impingement_without_syndrome_is_the_injections_indication_and_frozen_shoulder_pain_is_not():
    yes = _item("Right subacromial corticosteroid injection", "Ortho 5/30/16\nR shoulder impingement since 1/2016. Neer +, Hawkins +.")
    no = _item("Right subacromial corticosteroid injection", "Ortho 5/30/16\nR shoulder pain since 1/2016. Neer neg, Hawkins neg.")
    assert _met(yes, "shoulder-inj.diagnosis") is True
    assert _met(no, "shoulder-inj.diagnosis") is not True
