"""Which part of a note speaks (issue #11, third pass): the SOAP letters of a PR-2 note are sections
("P:" is a plan, "S:" is history), a request for authorization lists requests, and a drug the utilization
reviewer names is the request under review, not a drug the record shows taken."""

from __future__ import annotations

import pytest

from openimr.extract import extract_facts
from openimr.models.case import CaseFile


def _status(text: str, generic: str, doc_type: str = "progress_note", *more: tuple[str, str]) -> set[str]:
    docs = [{"id": "d0", "type": doc_type, "date": "2015-02-10", "text": text}]
    docs += [{"id": f"d{i + 1}", "type": t, "date": "2015-02-20", "text": x} for i, (t, x) in enumerate(more)]
    case = CaseFile.model_validate({"case_number": "SS-1", "disputed_items": [{"request": f"{generic} #60"}], "documents": docs})
    return {m.status for m in extract_facts(case).medications if m.generic == generic}


@pytest.mark.parametrize("text,generic,expected", [
    ("PR-2 2/24/15\nS: Knee pain 5/10. Tylenol only - insufficient.\nO: Lachman 2+.\nP: Hinged knee brace. Motrin 800 tid prn.\n",
     "ibuprofen", {"planned"}),
    ("PR-2\nS: LBP 6/10.\nP: Lidoderm 5% 1 patch 12 h on/12 h off to area.\n", "lidocaine", {"planned"}),
    # twins: continued under P:, or taken in S:, is current
    ("PR-2\nS: LBP 6/10.\nP: Cont Motrin 800 tid #90.\n", "ibuprofen", {"current"}),
    ("PR-2\nS: LBP 6/10 on Motrin 800 tid, helps.\nO: TTP.\n", "ibuprofen", {"current"}),
])
def test_soap_sections(text, generic, expected):
    assert _status(text, generic) == expected


def test_an_rfa_lists_requests_and_its_history_stays_history():
    assert _status("RFA: Gabapentin 300 mg #90 (new). Dx: lumbar radiculopathy.", "gabapentin", "rfa") == {"requested"}
    assert _status("Request for authorization. Soma has been prescribed since 06/2015 for spasm.", "carisoprodol", "rfa") == {"current"}
    assert _status("Request for authorization. Prior treatment: medications (meloxicam).", "meloxicam", "rfa") == {"past"}


def test_a_drug_named_by_the_reviewer_is_the_request_not_a_current_drug():
    note = "PR-2\nS: LBP 6/10.\nP: Start naproxen 500 bid.\n"
    ur = "UR: PT x 8 - non-certified. Naproxen - non-certified. Reviewer: Orthopedics."
    assert _status(note, "naproxen", "progress_note", ("ur_decision", ur)) == {"planned", "requested"}
    # the twin: the treating note says she takes it
    taken = "PR-2\nS: LBP 6/10. Takes naproxen 500 bid, helps.\n"
    assert "current" in _status(taken, "naproxen", "progress_note", ("ur_decision", ur))


def _dx(text: str) -> list[str]:
    case = CaseFile.model_validate({"case_number": "SS-2", "disputed_items": [{"request": "Celebrex 200mg #30"}],
                                    "documents": [{"id": "d0", "type": "progress_note", "date": "2015-02-10", "text": text}]})
    return [d.text for d in extract_facts(case).diagnoses]


def test_a_diagnosis_list_ends_at_the_plan():
    note = "PR-2\nS: knee pain.\nImp: severe OA L knee.\nPlan: Synvisc-One L knee. Cont Celebrex, HEP.\nR. Kim MD\n"
    assert _dx(note) == ["severe OA L knee"]


def test_an_assessment_heading_without_a_colon():
    note = ("OBJECTIVE\nKnees: crepitus.\nASSESSMENT\n1. Lumbar DDD, chronic pain. 2. Bilateral knee OA.\n"
            "PLAN\nCelebrex 200 mg qd #30.\n")
    assert _dx(note) == ["Lumbar DDD, chronic pain", "Bilateral knee OA"]


def test_abbreviated_diagnoses_name_their_indication():
    from openimr.lexicon import expand_abbreviations

    assert expand_abbreviations("severe OA L knee") == "severe OA (osteoarthritis) L knee"
    assert expand_abbreviations("Lumbar DDD; R CTS") == "Lumbar DDD (degenerative disc disease); R CTS (carpal tunnel syndrome)"
    # whole words as written only: "oa" inside a word, or lower-case "ra", is not an abbreviation
    assert expand_abbreviations("koala; ra-diating pain") == "koala; ra-diating pain"


@pytest.mark.parametrize("text,generic,expected", [
    ("Tx to date: PT x 10; Flexeril 5 mg short course 3/2014 (helped), none since.", "cyclobenzaprine", {"past"}),
    ("Mild flare. Restart naproxen 550 bid #60 (previously helped w/o SE).", "naproxen", {"planned"}),
    # twins: taken now
    ("Flexeril 5 mg qhs, takes it nightly since 3/2014.", "cyclobenzaprine", {"current"}),
    ("Naproxen 550 bid, restarted last month, helps.", "naproxen", {"current"}),
])
def test_a_course_that_ended_and_a_restart(text, generic, expected):
    assert _status(text, generic) == expected
