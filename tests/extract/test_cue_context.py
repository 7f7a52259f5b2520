"""Sentence cues read with medspaCy ConText and the sectionizer (issue #11, third pass): a historical,
hypothetical or family mention, or one under a history header, is not a present finding, and history is
not plan; the twins (present, planned) still count."""

from __future__ import annotations

import pytest

from openimr.extract import extract_facts
from openimr.models.case import CaseFile


def _facts(text: str):
    case = CaseFile.model_validate({"case_number": "CX-1", "disputed_items": [{"request": "Home health aide"}],
                                    "documents": [{"id": "n", "type": "progress_note", "date": "2016-01-05", "text": text}]})
    return extract_facts(case)


def _cues(text: str) -> set[str]:
    return {c.name for c in _facts(text).cues if c.present}


@pytest.mark.parametrize("text,name", [
    ("Past medical history: She was homebound for 3 months after the 2014 surgery.\nPlan: home health.", "homebound"),
    ("He had constant pain in the past. Today he is comfortable.", "persistent_symptoms"),
    ("If pain persists despite therapy, would consider injections.", "persistent_symptoms"),
    ("His mother is homebound and he cares for her.", "homebound"),
    ("Previously, a lumbar fusion was recommended by Dr. Lee in 2012.", "plan_surgery"),
    ("No diffuse pain.", "diffuse_pain"),
])
def test_not_a_present_statement_or_plan(text, name):
    assert name not in _cues(text)


@pytest.mark.parametrize("text,name", [
    ("She is homebound since the fall and cannot leave the house without assistance.", "homebound"),
    ("He has constant pain despite therapy.", "persistent_symptoms"),
    ("Plan: a lumbar fusion at L4-5 is recommended.", "plan_surgery"),
    ("Would consider radiofrequency neurotomy if the blocks are positive.", "plan_neurotomy"),  # a plan is hypothetical
    ("No diffuse pain, focal tenderness at L4-5.", "focal_pain"),  # the negation ends at the comma
])
def test_the_present_and_the_planned_still_count(text, name):
    assert name in _cues(text)


def test_a_wrapped_line_is_one_sentence():
    text = "He reports 50% relief of pain with medications\nand is able to walk for 30 minutes."
    assert ("functional_improvement", True) in {(f.name, f.present) for f in _facts(text).findings}


def test_a_hypothetical_gain_is_not_a_finding():
    text = "Goal: with medications he would be able to walk 30 min."
    assert ("functional_improvement", True) not in {(f.name, f.present) for f in _facts(text).findings}


def _cue_values(text: str, name: str) -> list:
    return [c.value for c in _facts(text).cues if c.name == name]


def test_a_blocks_relief_is_not_a_drugs_concentration():
    assert _cue_values("Right L4-5 MBB with 0.5 mL 0.5% bupivacaine per level, no steroid.", "block_result") == []
    assert _cue_values("s/p R L4-5/L5-S1 MBB x2: lidocaine ~80% x ~2-4 hrs; bupivacaine ~85% x ~6-7 hrs.",
                       "block_result") == [80.0]


@pytest.mark.parametrize("text", [
    "Acupuncture has not been tried.",
    "Tx: PT x 10, ibuprofen. No injections to date.",
    "She has had no chiropractic so far.",
])
def test_care_never_given_is_a_first_course(text):
    assert "no_prior_course" in {c.name for c in _facts(text).cues}


def test_care_never_given_is_not_a_course_given():
    kinds = {t.kind for t in _facts("Acupuncture has not been tried. PT helped.").treatments if t.status == "completed"}
    assert "acupuncture" not in kinds and "physical therapy" in kinds


def test_plan_rf_after_positive_blocks():
    assert "plan_neurotomy" in _cues("P: Bilat L4-5 diagnostic MBB; if >=70-80% relief will consider RF.")
    assert "plan_neurotomy" not in _cues("P: Bilat L4-5 diagnostic MBB. Patient declines RF.")


@pytest.mark.parametrize("text,name", [
    ("Psychology: BDI-II 22, PCS 30, FABQ-W 34.", "psych_evaluation_done"),
    ("Pt states \"I want to get back to some kind of work.\"", "motivated"),
    ("Spine surgeon re-eval 12/2015: no further surgical indication.", "surgery_not_planned"),
])
def test_frp_statements_as_written(text, name):
    assert name in {c.name for c in _facts(text).cues}


def test_a_requested_psychological_evaluation_is_not_one_done():
    assert "psych_evaluation_done" not in _cues("Psychological evaluation requested prior to SCS trial.")


def test_a_psych_evaluation_that_cleared_the_worker_is_done_and_not_cancelled_by_its_findings():
    text = "Psych eval for SCS (Dr. Osei, 3/15/16): no untreated depression, no substance misuse - cleared for trial."
    assert "psych_evaluation_done" in _cues(text)
    assert "psych_evaluation_done" not in _cues("No psych eval has been done; it is pending.")


def test_a_surgeon_is_not_a_plan_to_operate():
    assert "plan_surgery" not in _cues("Spine surgeon 8/2015: not a candidate for further surgery.")
    assert "surgery_not_planned" in {c.name for c in _facts("Spine surgeon 8/2015: not a candidate for further surgery.").cues}


def test_a_soap_letter_starts_a_sentence():
    text = "PR-2 DOE 09/09/2015\nPt L.A., 56 F, retired on disability since 2014\nS: LBP + L leg pain returning over the past 2-3 wks.\n"
    cue = next(c for c in _facts(text).cues if c.name == "persistent_symptoms")
    assert cue.text.startswith("S: LBP")
