"""End to end: case file -> facts -> per-item drafts -> letter (with the real KB, classifier, extractor)."""

import json
import re
from pathlib import Path

import pytest

from openimr.engine import check_case, draft_case
from openimr.extract.caseio import load_case
from openimr.models.case import CaseFile

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "case.json"


@pytest.fixture(scope="module")
def example_case() -> CaseFile:
    return load_case(EXAMPLE)


@pytest.fixture(scope="module")
def example_draft(example_case):
    return draft_case(example_case)


def test_example_case_drafts_every_item(example_draft, example_case):
    d = example_draft
    assert d.status == "draft" and d.engine.knowledge_base.startswith("sha256:")
    assert [i.request for i in d.items] == [i.request for i in example_case.disputed_items]
    by = {i.request: i for i in d.items}
    assert by["Norco 10/325mg #120"].decision == "Overturned"
    assert by["Soma 350mg #60"].decision == "Upheld"
    assert by["Lumbar epidural steroid injection L4-L5"].decision == "Upheld"
    for it in d.items:
        assert it.topic and it.guideline and it.guideline.citations
        assert it.criteria and all(c.citation is not None for c in it.criteria)
        assert 0.0 < it.confidence <= 1.0
        assert it.hierarchy and "relied on" in " ".join(it.hierarchy)
        ending = "is medically necessary." if it.decision == "Overturned" else "is not medically necessary."
        assert it.rationale.endswith(f"The request for {it.request} {ending}")
        if it.decision == "Upheld":
            assert it.missing_documentation or any(c.met is False for c in it.criteria)


def test_ur_modification_reviews_the_request_as_made(example_draft):
    norco = example_draft.items[0]
    assert norco.ur_decision == "modified" and "#60" in norco.ur_modification
    assert "#120" in norco.rationale and "#60" not in norco.rationale


def test_criterion_evidence_points_into_the_record(example_draft, example_case):
    texts = {d.id: d.text for d in example_case.documents}
    seen = 0
    for it in example_draft.items:
        for c in it.criteria:
            for e in c.evidence:
                assert texts[e.document][e.start:e.end] == e.quote
                seen += 1
    assert seen > 5


def test_every_summary_sentence_is_built_from_facts(example_draft, example_case):
    texts = {d.id: d.text for d in example_case.documents}
    sents = example_draft.summary_sentences
    assert len(sents) >= 6
    assert " ".join(s.text for s in sents) == example_draft.clinical_case_summary
    for s in sents:
        assert s.sources, s.text
        for e in s.evidence:
            assert texts[e.document][e.start:e.end] == e.quote
    assert sents[0].text.startswith("The injured worker is a 54 year old male")
    assert any("Utilization Review" in s.text and "08-19-2015" in s.text for s in sents)
    assert any("since at least" in s.text for s in sents)


def test_letter_is_a_marked_draft_with_every_decided_item(example_draft):
    letter = example_draft.letter
    assert "DRAFT" in letter.splitlines()[0]
    for it in example_draft.items:
        assert f"{it.request}: {it.decision}" in letter
    assert "State(s) of Licensure: California" in letter  # the case's assigned reviewer
    assert "CLINICAL CASE SUMMARY" in letter and "IMR ISSUES, DECISIONS AND RATIONALES" in letter


def test_same_case_same_bytes(example_case):
    a = draft_case(example_case).model_dump_json()
    b = draft_case(load_case(EXAMPLE)).model_dump_json()
    assert a == b


def _case(items, text="Progress note. Low back pain 6/10. Diagnoses: Lumbar strain.", date="2015-06-01"):
    return CaseFile.model_validate({
        "utilization_review": {"date": date},
        "disputed_items": items,
        "documents": [{"id": "n1", "date": date, "text": text}],
    })


def test_conditionally_non_certified_is_ineligible_never_decided():
    d = draft_case(_case([{"request": "Caudal epidural steroid injection", "ur_decision": "conditionally non-certified"},
                          {"request": "Soma 350mg #60"}]))
    esi, soma = d.items
    assert esi.decision == "Ineligible" and not esi.criteria
    assert soma.decision == "Upheld"
    assert "Caudal epidural steroid injection: Ineligible" not in d.letter
    assert "not eligible for IMR" in d.letter


def test_unclassifiable_and_unencoded_items_are_not_decided():
    d = draft_case(_case([{"request": "Zzyzx frobnication of the quux"}]))
    it = d.items[0]
    assert it.decision is None and it.unable_to_decide.startswith("unable to decide")
    assert it.criteria == [] and it.guideline is None
    old = draft_case(_case([{"request": "Soma 350mg #60"}], date="2003-01-15")).items[0]
    assert old.decision is None and "not encoded" in old.unable_to_decide
    assert old.topic == "carisoprodol"


def test_each_item_decided_on_its_own():
    text = ("Progress note. Low back pain 8/10 without medication and 4/10 with medication. "
            "Current medications: Gabapentin 300mg three times daily for neuropathic pain (since 01/2015). "
            "Burning radicular pain down the left leg. Diagnoses: Lumbar radiculopathy.")
    d = draft_case(_case([{"request": "Gabapentin 300mg #90"}, {"request": "Soma 350mg #60"}], text=text))
    assert [i.decision for i in d.items] == ["Overturned", "Upheld"]


def test_check_lists_what_would_satisfy_each_criterion(example_case):
    items = check_case(example_case)
    by = {i.request: i for i in items}
    esi = by["Lumbar epidural steroid injection L4-L5"]
    assert esi.draft_decision == "Upheld" and esi.needs
    assert all(n.documentation and n.status in ("unmet", "undocumented") for n in esi.needs)
    assert any("radiculopathy" in n.id for n in esi.needs)
    assert by["Norco 10/325mg #120"].needs == []
    json.dumps([i.model_dump() for i in items])  # serializable for --json
    assert re.search(r"MTUS", esi.needs[0].citation)


@pytest.mark.parametrize("request_text", ["x", "12345", "Ωmega cream", "MRI", "PT", "Norco", "follow up", "Caudal ESI"])
def test_odd_requests_never_crash_and_never_guess(request_text):
    d = draft_case(CaseFile.model_validate({"disputed_items": [{"request": request_text}], "documents": []}))
    it = d.items[0]
    assert (it.decision is None) == (it.topic is None or it.unable_to_decide is not None)
    if it.decision is None:
        assert it.unable_to_decide.startswith("unable to decide")
    else:
        assert it.criteria
