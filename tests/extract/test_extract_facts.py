"""extract_facts: evidence offsets, ConText (negation, historical, hypothetical), dates, no PHI in logs."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from openimr.extract import extract_facts
from openimr.extract.facts import _chunks
from openimr.models.case import CaseFile, DisputedItem, Document, RequestForAuthorization
from openimr.models.letter import InjuredWorker
from openimr.models.vocabulary import FINDINGS, TREATMENT_KINDS


def case_of(*texts: str, request_date: str | None = None, **kw) -> CaseFile:
    return CaseFile(
        disputed_items=[DisputedItem(request="Soma 350mg #90")],
        documents=[Document(id=f"d{i}", text=t) for i, t in enumerate(texts)],
        request_for_authorization=RequestForAuthorization(date=dt.date.fromisoformat(request_date)) if request_date else None,
        **kw,
    )


def findings(facts) -> set[tuple[str, bool]]:
    return {(f.name, f.present) for f in facts.findings}


def all_evidence(facts):
    iw = facts.injured_worker
    yield from iw.evidence
    for group in (facts.diagnoses, facts.medications, facts.treatments, facts.findings, facts.imaging,
                  facts.electrodiagnostics, facts.pain, facts.function, facts.work_status, facts.plans):  # fmt: skip
        for f in group:
            assert f.evidence, f"{type(f).__name__} without evidence: {f}"
            yield from f.evidence


def test_negation() -> None:
    facts = extract_facts(case_of(
        "Negative straight leg raise. There are no indications of muscle spasms. She denies numbness. "
        "Sacral compression test negative. FABER positive on the right. No side effects."
    ))  # fmt: skip
    got = findings(facts)
    assert ("straight_leg_raise", False) in got and ("straight_leg_raise", True) not in got
    assert ("muscle_spasm", False) in got and ("muscle_spasm", True) not in got
    assert ("dermatomal_sensory_loss", False) in got
    assert ("si_compression", False) in got and ("si_faber", True) in got
    assert ("adverse_effects", False) in got


def test_hypothetical_and_historical_are_not_current_findings() -> None:
    facts = extract_facts(case_of(
        "If pain worsens, would consider a facet neurotomy. He has a history of muscle spasms. "
        "Should radicular pain develop, an EMG would be ordered."
    ))  # fmt: skip
    names = {f.name for f in facts.findings if f.present}
    assert "muscle_spasm" not in names and "radicular_pain" not in names
    assert [p.kind for p in facts.plans] == ["radiofrequency ablation"]
    assert all(t.status == "planned" for t in facts.treatments if t.kind == "radiofrequency ablation")


def test_history_of_gi_bleed_is_a_risk_factor() -> None:
    facts = extract_facts(case_of("History of a bleeding gastric ulcer in 2006. No dyspepsia."))
    assert ("gi_risk_factors", True) in findings(facts)
    assert ("gi_symptoms", False) in findings(facts)


def test_since_applies_to_each_drug_of_a_list_and_duration() -> None:
    text = ("The injured worker's current medications were noted to include Oxycodone, Soma, and Restoril, all "
            "prescribed since at least 12-8-2014. Current medications include Flexeril, Ambien (since 01/2015), and Mobic.")  # fmt: skip
    facts = extract_facts(case_of(text, request_date="2015-09-10"))
    meds = {m.generic: m for m in facts.medications}
    for g in ("oxycodone", "carisoprodol", "temazepam"):
        assert meds[g].since == "2014-12-08"
        assert meds[g].duration_days == (dt.date(2015, 9, 10) - dt.date(2014, 12, 8)).days
    assert meds["zolpidem"].since == "2015-01"
    assert meds["cyclobenzaprine"].since is None and meds["meloxicam"].since is None


def test_medication_status_strength_frequency() -> None:
    facts = extract_facts(case_of(
        "Medications: Norco 10/325 mg every 6 hours as needed. Ibuprofen was discontinued due to stomach upset. "
        "Plan: start a trial of Lyrica 75 mg twice daily. The request for Soma 350 mg #60 was non-certified."
    ))  # fmt: skip
    meds = {m.generic: m for m in facts.medications}
    norco = meds["hydrocodone/acetaminophen"]
    assert (norco.status, norco.strength, norco.brand) == ("current", "10/325", "Norco")
    assert norco.frequency and "6 hours" in norco.frequency
    assert meds["ibuprofen"].status == "past"
    assert meds["pregabalin"].status == "planned"
    assert meds["carisoprodol"].status == "requested"


def test_pain_scores_with_context() -> None:
    facts = extract_facts(case_of(
        "He rates his pain with medication as 4 and without medication as 8 on a scale of 0 to 10. "
        "Least pain 2/10, average 5/10, worst 9/10. Left shoulder pain rated 6/10. Date of injury 10/10/2008."
    ))  # fmt: skip
    got = [(p.score, p.context) for p in facts.pain]
    assert got == [(4, "with medication"), (8, "without medication"), (2, "least"), (5, "average"), (9, "worst"), (6, None)]
    assert facts.pain[-1].body_region == "shoulder"


def test_treatments_sessions_response_and_plans() -> None:
    facts = extract_facts(case_of(
        "She has completed 24 sessions of physical therapy and 6 visits of acupuncture. An L4-5 epidural steroid "
        "injection on 03/03/2014 gave 50% relief for 3 months with reduced Norco use. "
        "Plan: recommendation for a caudal epidural steroid injection. Surgery is being considered."
    ))  # fmt: skip
    tx = {(t.kind, t.status): t for t in facts.treatments}
    assert tx[("physical therapy", "completed")].sessions == 24
    assert tx[("acupuncture", "completed")].sessions == 6
    esi = tx[("epidural steroid injection", "completed")]
    assert esi.dates == ["2014-03-03"] and esi.levels == ["L4-L5"]
    assert esi.response and esi.response.percent_relief == 50 and esi.response.duration_weeks == pytest.approx(13.0, abs=0.1)
    assert esi.response.medication_reduced is True
    assert {p.kind for p in facts.plans} >= {"epidural steroid injection", "surgery"}
    assert all(k in TREATMENT_KINDS for k, _ in tx)


def test_imaging_and_electrodiagnostics() -> None:
    facts = extract_facts(case_of(
        "MRI of the lumbar spine showed a 4 mm disc protrusion at L4-L5 compressing the left L5 nerve root, "
        "with no stenosis at L3-L4. EMG/NCV showed a chronic left S1 radiculopathy."
    ))  # fmt: skip
    img = {(s.finding, s.level, s.present) for s in facts.imaging}
    assert ("disc protrusion", "L4-L5", True) in img and ("stenosis", "L3-L4", False) in img
    roots = {s.nerve_root for s in facts.imaging if s.finding == "nerve root compression"}
    assert roots == {"L5"}
    (edx,) = facts.electrodiagnostics
    assert (edx.modality, edx.finding, edx.nerve_root, edx.present) == ("EMG/NCV", "radiculopathy", "S1", True)


def test_injured_worker_and_structured_fields_win() -> None:
    text = "The injured worker is a 58 year old female, who sustained an industrial injury on 04-25-2009."
    facts = extract_facts(case_of(text))
    iw = facts.injured_worker
    assert (iw.age, iw.sex, iw.date_of_injury) == (58, "female", dt.date(2009, 4, 25))
    structured = extract_facts(case_of(text, injured_worker=InjuredWorker(age=59, date_of_injury=dt.date(2009, 4, 26))))
    assert structured.injured_worker.age == 59 and structured.injured_worker.date_of_injury == dt.date(2009, 4, 26)
    assert structured.injured_worker.sex == "female"  # not given in the structured fields: from the text


def test_work_status_and_function() -> None:
    facts = extract_facts(case_of(
        "The injured worker is currently temporarily partially disabled. Activities of daily living are limited. "
        "He returned to modified duty last month."
    ))  # fmt: skip
    assert {w.kind for w in facts.work_status} == {"temporarily partially disabled", "modified duty"}
    assert "activities of daily living" in {f.kind for f in facts.function}
    assert ("return_to_work", True) in findings(facts)


def test_every_fact_has_exact_evidence_and_known_names() -> None:
    texts = [
        "Date of injury: 03/14/2012. 52 year old male. Low back pain radiating to the left leg, 7/10 without "
        "medications and 4/10 with medications. Norco 10/325 mg since 01/2014. Diagnoses: 1. Lumbar radiculopathy "
        "M54.16\n2. Lumbar disc protrusion.\nMRI showed a disc protrusion at L4-5. Work status: modified duty.",
        "Tenderness over the right SI joint, FABER positive, Gaenslen negative. UDS 02/2015 consistent. CURES reviewed.",
    ]
    case = case_of(*texts)
    facts = extract_facts(case)
    by_id = {d.id: d.text for d in case.documents}
    n = 0
    for e in all_evidence(facts):
        assert e.quote == by_id[e.document][e.start : e.end]
        n += 1
    assert n > 15
    assert all(f.name in FINDINGS for f in facts.findings)
    assert any(d.icd10 == "M54.16" for d in facts.diagnoses)


def test_chunks_cover_the_text_exactly() -> None:
    text = ("Pain is 5/10. The patient reports spasm.\n" * 400) + "x" * 7000 + "\nEnd."
    pieces = list(_chunks(text, size=3000))
    assert "".join(p for _, p in pieces) == text
    assert all(text[o : o + len(p)] == p for o, p in pieces)
    assert len(pieces) > 5


def test_long_record_offsets_stay_exact() -> None:
    block = "Progress note. Pain is rated 6/10 with medications. Straight leg raise is positive on the left.\n"
    text = block * 600  # ~57,000 characters: processed in several blocks
    facts = extract_facts(case_of(text))
    assert len(facts.pain) == 600
    for p in facts.pain:
        (e,) = p.evidence
        assert text[e.start : e.end] == e.quote == "6/10"


def test_no_record_text_in_logs(caplog: pytest.LogCaptureFixture) -> None:
    from loguru import logger

    seen: list[str] = []
    sink = logger.add(lambda m: seen.append(str(m)), level="DEBUG")
    try:
        with caplog.at_level(logging.DEBUG):
            extract_facts(case_of("Zebrafinch Quixote reports straight leg raise positive and pain 7/10."))
    finally:
        logger.remove(sink)
    assert not any("Zebrafinch" in s for s in seen)
    assert "Zebrafinch" not in caplog.text


def test_plans_stated_after_the_treatment() -> None:
    facts = extract_facts(case_of(
        "Right L4-5 facet neurotomy planned. Lumbar fusion surgery was considered by the spine surgeon. "
        "Physical therapy, 12 sessions, completed in 2014."
    ))  # fmt: skip
    kinds = {p.kind for p in facts.plans}
    assert {"radiofrequency ablation", "surgery"} <= kinds
    assert "physical therapy" not in kinds
    pt = [t for t in facts.treatments if t.kind == "physical therapy"]
    assert pt and pt[0].status == "completed" and pt[0].sessions == 12


def test_an_imperative_start_is_a_new_prescription_not_current_use():
    from openimr.extract import extract_facts
    from openimr.models import CaseFile

    case = CaseFile.model_validate({
        "disputed_items": [{"request": "Ibuprofen 800mg #90"}],
        "documents": [{"id": "pn", "text": "Current medications: He was started on Norco 10/325mg in 2014 and takes it "
                       "twice daily.\n\nTreatment plan: Start ibuprofen 800mg three times daily for knee pain, #90."}],
    })
    status = {m.generic: m.status for m in extract_facts(case).medications}
    assert status["ibuprofen"] == "planned"
    assert status["hydrocodone/acetaminophen"] == "current"
