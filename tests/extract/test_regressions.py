"""Regressions found while integrating the extractor with the engine (one test per bug)."""

from __future__ import annotations

import pytest

from openimr.extract import extract_facts
from openimr.models.case import CaseFile, DisputedItem, Document


def facts_of(*texts: str):
    return extract_facts(
        CaseFile(
            disputed_items=[DisputedItem(request="Soma 350mg #90")],
            documents=[Document(id=f"d{i}", text=t) for i, t in enumerate(texts)],
        )
    )


# 1. a negated statement of functional improvement is never functional improvement -------------------


@pytest.mark.parametrize(
    "text",
    [
        "He completed 12 sessions of physical therapy without functional improvement.",
        "She completed 8 sessions of physical therapy without improvement in function.",
        "He attended 6 chiropractic visits with no functional gains.",
        "He completed 12 sessions of physical therapy. There was no objective functional improvement.",
        "She completed 10 acupuncture sessions that failed to produce functional gains.",
    ],
)
def test_negated_functional_improvement(text: str) -> None:
    facts = facts_of(text)
    fi = {f.present for f in facts.findings if f.name == "functional_improvement"}
    assert True not in fi
    assert False in fi
    responses = [t.response for t in facts.treatments if t.response is not None]
    assert all(r.function_improved is not True for r in responses)
    assert any(r.function_improved is False for r in responses)


def test_stated_functional_improvement_still_counts() -> None:
    facts = facts_of("He completed 12 sessions of physical therapy with functional improvement and 50% relief.")
    assert ("functional_improvement", True) in {(f.name, f.present) for f in facts.findings}
    pt = [t for t in facts.treatments if t.kind == "physical therapy"]
    assert pt and pt[0].response is not None and pt[0].response.function_improved is True


# 2. a date is not a pain score ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Date of service: 06/10/2015",
        "DOS 7/10/2015. Follow-up visit.",
        "He was seen on 3/10/15 for follow up.",
        "Seen on 06/10 for follow up.",
        "DOS 6/10 2015: follow-up.",
    ],
)
def test_dates_are_not_pain_scores(text: str) -> None:
    assert facts_of(text).pain == []


@pytest.mark.parametrize(
    ("text", "score"),
    [("Date of service: 06/10/2015. Low back pain 6/10.", 6.0), ("Patient rated 6/10.", 6.0), ("DOS 7/10/2015: pain 4-5/10.", 4.5)],
)
def test_genuine_scores_next_to_dates(text: str, score: float) -> None:
    assert [p.score for p in facts_of(text).pain] == [score]


# 3. start dates in ISO month, ISO day and month-name forms -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "since"),
    [
        ("Medications: Norco 10/325 mg twice daily (since 2014-02).", "2014-02"),
        ("Medications: Norco 10/325 mg twice daily since 2014-02-17.", "2014-02-17"),
        ("She has been taking Norco since February 2014.", "2014-02"),
        ("She has been taking Norco since Feb 2014.", "2014-02"),
        ("Norco 10/325 #60, since February of 2014.", "2014-02"),
        ("Norco since 01/2014.", "2014-01"),
        ("Norco since at least 02-17-2015.", "2015-02-17"),
    ],
)
def test_medication_since(text: str, since: str) -> None:
    meds = facts_of(text).medications
    assert [(m.generic, m.since) for m in meds] == [("hydrocodone/acetaminophen", since)]


# 4. a drug named in a plan without a continuation cue is a new prescription ---------------------------------


@pytest.mark.parametrize(
    ("text", "generic"),
    [
        ("Exam: spasm noted. Plan: cyclobenzaprine 7.5mg at night for spasms. Follow up in 4 weeks.", "cyclobenzaprine"),
        ("Assessment: lumbar strain. Treatment plan: Lidoderm patches to the low back.", "lidocaine"),
        ("Impression: lumbar strain.\n\nPlan:\n- Lidoderm patches", "lidocaine"),
        ("ASSESSMENT/PLAN:\n- Lidoderm patches", "lidocaine"),
    ],
)
def test_plan_drug_is_planned(text: str, generic: str) -> None:
    assert [(m.generic, m.status) for m in facts_of(text).medications] == [(generic, "planned")]


def test_plan_continuation_and_current_use_stay_current() -> None:
    meds = {m.generic: m.status for m in facts_of("Plan: continue Norco 10/325. Lidoderm patches.").medications}
    assert meds == {"hydrocodone/acetaminophen": "current", "lidocaine": "planned"}
    # the same drug taken now, elsewhere in the document: current wins
    meds = facts_of("Plan: cyclobenzaprine 7.5mg at night for spasms. Medications: cyclobenzaprine 7.5 mg qhs.").medications
    assert [(m.generic, m.status) for m in meds] == [("cyclobenzaprine", "current")]
    meds = facts_of("Medications: Norco 10/325 bid.\n\nPlan:\n- Lidoderm patches\n- Norco 10/325 bid").medications
    assert {m.generic: m.status for m in meds} == {"hydrocodone/acetaminophen": "current", "lidocaine": "planned"}


# 5. a negated mention is not a diagnosis -----------------------------------------------------------------------


def test_negated_diagnoses_dropped() -> None:
    facts = facts_of(
        "Diagnoses:\n1. Lumbar strain\n2. No spondylolisthesis\n3. Negative for fracture\n\n"
        "Impression: Negative for fracture. Mild degenerative disc disease.\n\n"
        "Assessment: Cervical strain, no evidence of radiculopathy, negative for fracture."
    )
    texts = [d.text for d in facts.diagnoses]
    assert "Lumbar strain" in texts and "Mild degenerative disc disease" in texts and "Cervical strain" in texts
    assert not [t for t in texts if "spondylolisthesis" in t.lower() or "fracture" in t.lower() or "radiculopathy" in t.lower()]
    for d in facts.diagnoses:  # evidence still quotes the kept text
        assert d.evidence[0].quote.replace("\n", " ") == d.text


def test_inline_plan_header_makes_treatment_planned() -> None:
    facts = facts_of("Exam: tenderness. Plan: physical therapy 2x4 for the low back.")
    assert [(t.kind, t.status, t.sessions) for t in facts.treatments] == [("physical therapy", "planned", 8)]
    assert [p.kind for p in facts.plans] == ["physical therapy"]
