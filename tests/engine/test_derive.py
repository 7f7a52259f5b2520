import datetime as dt

from engine_helpers import ev, facts, soma_request

from openimr.engine.derive import FactResolver, count_levels, derivable, parse_partial_date
from openimr.guidelines.knowledge_base import default_knowledge_base
from openimr.models.request import ClassifiedRequest
from openimr.models.vocabulary import FACTS, FINDINGS, TREATMENT_KINDS


def resolver(case, f, req=None, topic=None):
    kb = default_knowledge_base()
    return FactResolver(facts=f, request=req or soma_request(), case=case, topic=topic or kb.topic("carisoprodol"))


def test_every_vocabulary_name_is_derivable():
    names = list(FACTS) + [f"finding.{n}" for n in FINDINGS] + ["finding.si_positive_count"]
    names += [f"treatment.{k.replace(' ', '_')}.{w}" for k in TREATMENT_KINDS for w in ("tried", "sessions")]
    assert [n for n in names if not derivable(n)] == []


def test_every_fact_the_knowledge_base_reads_is_derivable(case):
    kb = default_knowledge_base()
    used = set()
    for t in kb.topics.values():
        for g in t.guidelines:
            if g.applies_when:
                used.update(g.applies_when.facts())
            for c in g.criteria:
                used.update(c.facts())
                if c.applies_when:
                    used.update(c.applies_when.facts())
    assert used, "the knowledge base reads no facts?"
    assert sorted(n for n in used if not derivable(n)) == []
    r = resolver(case, facts())
    for name in sorted(used):  # and each derives without error on an empty record
        r.get(name)


def test_medication_current_and_duration_from_since(case):
    f = facts(medications=[{"generic": "carisoprodol", "brand": "Soma", "since": "2015-02-17", "evidence": [ev()]}])
    r = resolver(case, f)
    assert r.value("medication.current") is True
    assert r.value("medication.duration_days") == (dt.date(2015, 8, 13) - dt.date(2015, 2, 17)).days
    assert r.get("medication.current").evidence[0].document == "n1"


def test_medication_not_current_when_other_drugs_listed(case):
    f = facts(medications=[{"generic": "ibuprofen"}])
    r = resolver(case, f)
    assert r.value("medication.current") is False
    assert r.value("medication.duration_days") is None
    assert r.value("medication.nsaid_current") is True
    assert resolver(case, facts()).value("medication.current") is None


def test_request_specified_needs_strength_and_quantity_or_frequency(case):
    assert resolver(case, facts()).value("request.specified") is True
    r = resolver(case, facts(), req=soma_request(strength=None))
    assert r.value("request.specified") is False
    r = resolver(case, facts(), req=soma_request(quantity=None))
    assert r.value("request.specified") is False
    r = resolver(case, facts(), req=soma_request(quantity=None, frequency="tid"))
    assert r.value("request.specified") is True


def test_pain_relief_with_medication(case):
    f = facts(pain=[{"score": 4, "context": "with medication"}, {"score": 8, "context": "without medication"}])
    assert resolver(case, f).value("pain.relief_with_medication") is True
    f = facts(pain=[{"score": 8, "context": "with medication"}, {"score": 8, "context": "without medication"}])
    assert resolver(case, f).value("pain.relief_with_medication") is False
    assert resolver(case, facts(pain=[{"score": 7}])).value("pain.relief_with_medication") is None


def test_four_as_and_monitoring(case):
    base = {
        "pain": [{"score": 4, "context": "with medication"}, {"score": 8, "context": "without medication"}],
        "function": [{"kind": "improved", "text": "walks 30 minutes"}],
        "findings": [
            {"name": "adverse_effects", "present": False},
            {"name": "aberrant_behavior", "present": False},
            {"name": "opioid_agreement", "present": True},
            {"name": "cures_reviewed", "present": True},
        ],
    }
    r = resolver(case, facts(**base))
    assert r.value("opioid.four_as_documented") is True
    assert r.value("opioid.monitoring_documented") is True
    thin = dict(base, findings=[])
    r = resolver(case, facts(**thin))
    assert r.value("opioid.four_as_documented") is None
    assert r.value("opioid.monitoring_documented") is None


def test_finding_latest_document_wins(case):
    f = facts(findings=[
        {"name": "muscle_spasm", "present": True, "document_date": "2015-01-01"},
        {"name": "muscle_spasm", "present": False, "document_date": "2015-07-30"},
    ])
    r = resolver(case, f)
    assert r.value("finding.muscle_spasm") is False
    assert r.value("finding.acute_exacerbation") is None


def test_si_positive_count(case):
    f = facts(findings=[
        {"name": "si_faber", "present": True},
        {"name": "si_gaenslen", "present": True},
        {"name": "si_thigh_thrust", "present": False},
        {"name": "si_tenderness", "present": True},
    ])
    assert resolver(case, f).value("finding.si_positive_count") == 2
    assert resolver(case, facts()).value("finding.si_positive_count") is None


def test_prior_same_treatment_matches_topic(case):
    kb = default_knowledge_base()
    topic = kb.topic("carisoprodol").model_copy(update={"id": "physical-therapy", "category": "therapy"})
    f = facts(treatments=[
        {"kind": "physical therapy", "sessions": 12, "response": {"function_improved": True, "percent_relief": 30}},
        {"kind": "chiropractic", "sessions": 6},
    ])
    req = ClassifiedRequest(text="PT 2x6", topic="physical-therapy", sessions=12, frequency="2x6")
    r = resolver(case, f, req=req, topic=topic)
    assert r.value("treatment.prior_same.sessions") == 12
    assert r.value("treatment.prior_same.functional_improvement") is True
    assert r.value("treatment.prior_same.relief_percent") == 30
    assert r.value("request.is_repeat") is True
    assert r.value("request.specified") is True
    assert r.value("treatment.chiropractic.tried") is True
    assert r.value("treatment.chiropractic.sessions") == 6
    assert r.value("treatment.acupuncture.tried") is None


def test_levels_and_dates():
    assert count_levels(["L3-S1"]) == 3
    assert count_levels(["L4-L5"]) == 1
    assert count_levels(["L4-5", "L5-S1"]) == 2
    assert count_levels([]) is None
    assert parse_partial_date("2014-01") == dt.date(2014, 1, 1)
    assert parse_partial_date("soon") is None


def test_text_facts_carry_evidence(case):
    from openimr.extract.cues import extract_cues

    r = resolver(case, facts(cues=extract_cues(case)))
    v = r.get("medication.indication_documented")
    assert v.value is True
    assert v.evidence[0].quote.startswith("Soma is prescribed for muscle spasm")
    doc = case.documents[0].text
    e = v.evidence[0]
    assert doc[e.start:e.end] == e.quote
    assert r.value("pain.localized") is False
