"""PR-2 and consult notes mark their parts with letters and short headings (issue #11, extract5): the
diagnoses are read from every common assessment form ("Dx" on its own line, "A/P:", "Assessment/Plan:",
numbered and ICD-10-coded lists), the plan part is the plan, and history parts are not; each with the
twins that must not count (a ruled-out diagnosis, a plan line inside a diagnosis list, a past treatment)."""

from __future__ import annotations

import pytest

from openimr.extract import extract_facts
from openimr.models.case import CaseFile


def _facts(text: str):
    return extract_facts(CaseFile.model_validate({
        "case_number": "PR2-L",
        "injured_worker": {"age": 50, "sex": "female", "date_of_injury": "2013-05-02"},
        "request_for_authorization": {"date": "2016-02-03"},
        "disputed_items": [{"request": "Lumbar ESI L5-S1", "ur_decision": "non-certified"}],
        "documents": [{"id": "d0", "type": "progress_note", "date": "2016-02-02", "text": text}],
    }))


def _dx(text: str) -> list[str]:
    return [d.text.lower() for d in _facts(text).diagnoses]


@pytest.mark.parametrize(("text", "expected"), [
    ("S: LBP.\nDx\nM54.16 lumbar radiculopathy\nM51.26 lumbar disc displacement\n\nP: ESI L5-S1.",
     ["m54.16 lumbar radiculopathy", "m51.26 lumbar disc displacement"]),
    ("Diagnoses\n1. L4-5 HNP w/ L5 radic\n2. Lumbar facet arthropathy\nPlan:\n1. L5-S1 ESI",
     ["l4-5 hnp w/ l5 radic", "lumbar facet arthropathy"]),
    ("Assessment/Plan: 1. Lumbar radiculopathy - ESI L5-S1. 2. Cervical strain - PT.",
     ["lumbar radiculopathy", "cervical strain"]),
    ("A/P: Lumbar radiculopathy. Plan ESI.", ["lumbar radiculopathy"]),
    ("Diagnoses: lumbar radiculopathy; cervical strain.\nRecs: PT 2x6.", ["lumbar radiculopathy", "cervical strain"]),
    ("DX: M54.16 lumbar radiculopathy; M51.26 disc displacement\nPlan: ESI",
     ["m54.16 lumbar radiculopathy", "m51.26 disc displacement"]),
])
def test_diagnoses_from_every_assessment_form(text, expected):
    assert _dx(text) == expected


def test_icd10_code_is_kept():
    d = _facts("Dx\nM54.16 lumbar radiculopathy\n\nP: ESI").diagnoses
    assert [x.icd10 for x in d] == ["M54.16"]
    assert d[0].evidence[0].quote == "M54.16 lumbar radiculopathy"


@pytest.mark.parametrize("text", [
    "A: r/o lumbar radiculopathy.",
    "Dx: rule out CRPS.",
    "Assessment/Plan: 1. Rule out lumbar radiculopathy - EMG.",
    "PMH: HTN, DM2, s/p appendectomy.\nP: PT x 6.",  # history, no assessment
])
def test_what_is_not_an_asserted_diagnosis(text):
    assert not any(("radiculopathy" in d or "crps" in d or "htn" in d) for d in _dx(text))


def test_no_plan_line_read_as_a_diagnosis():
    assert not any(d.startswith(("plan", "recs", "cont")) for d in _dx(
        "A/P: Lumbar strain. Plan ESI.\nA: cervical strain; cont Norco"))


def test_recs_part_is_the_plan():
    f = _facts("Meds: gabapentin 300 tid.\nRecs: TENS unit trial.")
    assert [t.status for t in f.treatments if t.kind == "tens"] == ["planned"]
    assert any(p.kind == "tens" for p in f.plans)


def test_history_part_is_not_the_plan():
    f = _facts("Hx: PT x 12 in 2014 without benefit.\nP: lumbar ESI.")
    assert {p.kind for p in f.plans} == {"epidural steroid injection"}
    assert [t.status for t in f.treatments if t.kind == "physical therapy"] != ["planned"]
