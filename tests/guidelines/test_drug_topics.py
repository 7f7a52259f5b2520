"""The drug topics of the guideline knowledge base: they load, cite, and behave as IMR reviewers do.

The small three-valued evaluator below mirrors the shared decision semantics (docs: brief / engine) so
that the criteria can be checked for realism without depending on the engine.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from openimr.guidelines.knowledge_base import DATA_DIR, load_knowledge_base, load_topic_file
from openimr.models.knowledge import Condition, GuidelineEntry, Topic

DRUG_TOPICS = [
    "opioids",
    "tramadol",
    "carisoprodol",
    "muscle-relaxants",
    "benzodiazepines",
    "sleep-aids",
    "nsaids",
    "ppis",
    "antiepileptics",
    "antidepressants",
    "topical-analgesics",
    "lidocaine-patch",
    "topical-salicylates",
    "topical-nsaids",
    "medical-foods",
    "acetaminophen",
    "antiemetics",
]
SUPPORTIVE = {"recommended", "recommended_with_criteria", "limited"}


def _topic(topic_id: str) -> Topic:
    return load_topic_file(DATA_DIR / f"{topic_id}.yaml")


# --- three-valued evaluation (True met, False unmet, None undocumented) -------------------------


def _eval(cond: Condition | None, facts: dict) -> bool | None:
    if cond is None:
        return True
    if cond.all is not None:
        vals = [_eval(c, facts) for c in cond.all]
        return False if False in vals else (None if None in vals else True)
    if cond.any is not None:
        vals = [_eval(c, facts) for c in cond.any]
        return True if True in vals else (None if None in vals else False)
    if cond.not_ is not None:
        v = _eval(cond.not_, facts)
        return None if v is None else not v
    value = facts.get(cond.fact)
    if cond.op == "documented":
        return value is not None
    if cond.op == "undocumented":
        return value is None
    if value is None:
        return None
    ops = {
        "is_true": lambda: value is True,
        "is_false": lambda: value is False,
        "eq": lambda: value == cond.value,
        "ne": lambda: value != cond.value,
        "lt": lambda: value < cond.value,
        "le": lambda: value <= cond.value,
        "gt": lambda: value > cond.value,
        "ge": lambda: value >= cond.value,
        "in": lambda: value in cond.value,
        "not_in": lambda: value not in cond.value,
    }
    return ops[cond.op]()


def _entry(topic: Topic, facts: dict) -> GuidelineEntry:
    for g in topic.guidelines:
        if _eval(g.applies_when, facts) is not False:
            return g
    raise AssertionError(f"no applicable entry in {topic.id}")


def _decide(topic_id: str, facts: dict) -> tuple[str, dict[str, bool | None]]:
    topic = _topic(topic_id)
    entry = _entry(topic, facts)
    results: dict[str, bool | None] = {}
    for c in entry.criteria:
        if c.applies_when is not None and _eval(c.applies_when, facts) is not True:
            continue
        results[c.id] = (entry.status in SUPPORTIVE) if c.test is None else _eval(c.test, facts)
    decision = "Overturned" if all(v is True for v in results.values()) else "Upheld"
    return decision, results


# --- structure and citations ----------------------------------------------------------------------


def test_every_drug_topic_loads_with_the_whole_knowledge_base():
    kb = load_knowledge_base()
    for topic_id in DRUG_TOPICS:
        assert topic_id in kb.topics, topic_id
        assert kb.topics[topic_id].category == "drug"


@pytest.mark.parametrize("topic_id", DRUG_TOPICS)
def test_drug_topic_shape(topic_id):
    topic = _topic(topic_id)
    assert topic.specialties == ["any physician"]
    assert topic.generics and topic.synonyms
    for name in topic.synonyms + topic.generics:
        assert name == name.lower() and name.strip() == name and name, name
    assert 1 <= len(topic.guidelines) <= 4
    # MTUS entries come first; ODG is used only where the MTUS is silent (or as a secondary entry)
    flags = [g.mtus for g in topic.guidelines]
    assert flags == sorted(flags, reverse=True)
    for g in topic.guidelines:
        assert g.mtus == (g.source == "MTUS")
        assert 2 <= len(g.criteria) <= 6
        assert g.sections
        if g.mtus:
            # editions by date (issue 10): CPMTG 2009 to 2016-07-27; CPMTG 2016 / Opioids 2016 to 2017-11-30
            span = (g.effective_from, g.effective_to)
            if g.document == "ACOEM Occupational Medicine Practice Guidelines":
                # the acute-care side (ACOEM ch. 3 initial approaches), listed after the CPMTG
                assert g.chapter.startswith("Chapter 3") and g.pages and g is not topic.guidelines[0]
                assert span == (dt.date(2007, 6, 15), dt.date(2017, 11, 30))
            elif g.edition == "2009":
                assert g.document == "Chronic Pain Medical Treatment Guidelines" and g.pages
                assert span == (dt.date(2009, 7, 18), dt.date(2016, 7, 27))
            else:
                assert g.edition == "2016" and span == (dt.date(2016, 7, 28), dt.date(2017, 11, 30))
                assert g.document in ("Chronic Pain Medical Treatment Guidelines", "Opioids Treatment Guidelines")
        else:
            assert g.source == "ODG" and g.chapter
            assert (g.effective_from, g.effective_to) == (dt.date(2009, 7, 18), dt.date(2017, 11, 30))
    ids = [c.id for g in topic.guidelines for c in g.criteria]
    # (drugs9) the criterion every service that exists only for a surgery shares keeps its shared id
    assert all(i.startswith(topic_id + ".") or i == "associated.procedure-necessary" for i in ids), ids


@pytest.mark.parametrize("topic_id", DRUG_TOPICS)
def test_every_criterion_has_a_full_citation_and_rationale(topic_id):
    topic = _topic(topic_id)
    for g in topic.guidelines:
        for c in g.criteria:
            cit = c.citation
            if c.id.endswith("request-specified"):
                # what a request must name is set by the RFA rules, not the CPMTG (issue 10 audit)
                assert cit.source == "CCR" and any("9792.6.1" in sec for sec in cit.sections), c.id
                continue
            if c.id == "associated.procedure-necessary":
                # (drugs9) a post-operative drug follows its surgery: the MTUS regulations' definition, as for every
                # dependent service (devdec)
                assert cit.source == "MTUS" and any("9792.20" in sec for sec in cit.sections), c.id
                continue
            assert cit.source == g.source and cit.document and cit.sections, c.id
            if cit.source == "MTUS":
                assert cit.edition_or_year == g.edition, c.id
                assert cit.pages or cit.document == "Opioids Treatment Guidelines", c.id
            else:
                assert cit.chapter, c.id
            assert c.documentation, c.id
            for text in (c.rationale.met, c.rationale.unmet, c.rationale.undocumented):
                assert len(text) > 20, c.id


@pytest.mark.parametrize("topic_id", DRUG_TOPICS)
def test_every_drug_topic_judges_whether_the_request_is_specified(topic_id):
    topic = _topic(topic_id)
    for g in topic.guidelines:
        tested = [c for c in g.criteria if c.test is not None and c.test.facts() == ["request.specified"]]
        assert len(tested) == 1, (topic_id, g.sections)
        assert tested[0].verified is False  # reviewers' practice, not the guideline's own words


def test_synonyms_and_generics_do_not_collide_between_drug_topics():
    seen: dict[str, str] = {}
    for topic_id in DRUG_TOPICS:
        topic = _topic(topic_id)
        for name in set(topic.synonyms) | set(topic.generics):
            assert seen.setdefault(name, topic_id) == topic_id, (name, seen[name], topic_id)


def test_drug_topic_files_have_no_yaml_comment_truncation():
    # a bare " #90" in an unquoted YAML value silently starts a comment
    for topic_id in DRUG_TOPICS:
        topic = _topic(topic_id)
        for g in topic.guidelines:
            for c in g.criteria:
                assert (c.documentation or "").count("(") == (c.documentation or "").count(")"), c.id
        assert "tylenol" not in topic.synonyms or topic_id == "acetaminophen"


# --- the seed letters' citations, reproduced exactly ---------------------------------------------


def _cites(topic_id: str) -> set[tuple[str, str]]:
    topic = _topic(topic_id)
    pairs = set()
    for g in topic.guidelines:
        for s in g.sections:
            pairs.add((s, g.pages))
        for c in g.criteria:
            for s in c.citation.sections:
                pairs.add((s, c.citation.pages))
    return pairs


def test_seed_citations_are_reproduced():
    assert ("Carisoprodol (Soma)", "29") in _cites("carisoprodol")
    caris = _topic("carisoprodol").guidelines[0]
    assert caris.sections[:2] == ["Carisoprodol (Soma)", "Muscle relaxants (for pain)"] and caris.pages == "29, 63-66"
    mr = _topic("muscle-relaxants").guidelines[0]
    assert (mr.sections, mr.pages) == (["Muscle relaxants (for pain)"], "63-66")
    bz = _topic("benzodiazepines").guidelines[0]
    assert (bz.sections, bz.pages) == (["Benzodiazepines"], "24")
    op = _topic("opioids").guidelines[0]
    assert (op.sections, op.pages) == (["Opioids, criteria for use"], "76-80")
    assert op.citation().document == "Chronic Pain Medical Treatment Guidelines"


@pytest.mark.parametrize(
    ("topic_id", "section", "pages"),
    [
        ("ppis", "NSAIDs, GI symptoms & cardiovascular risk", "68-69"),
        ("antiepileptics", "Anti-epilepsy drugs (AEDs)", "16-22"),
        ("antidepressants", "Antidepressants for chronic pain", "13-16"),
        ("topical-analgesics", "Topical Analgesics", "111-113"),
        ("lidocaine-patch", "Lidoderm (lidocaine patch)", "56-57"),
        ("topical-salicylates", "Salicylate topicals", "105"),
        ("tramadol", "Opioids, criteria for use", "78"),
        ("acetaminophen", "Acetaminophen (APAP)", "11-12"),
        ("opioids", "Opioids for chronic pain", "80-82"),
    ],
)
def test_reviewer_citations_are_reproduced(topic_id, section, pages):
    assert (section, pages) in _cites(topic_id)


def test_non_mtus_topics_cite_the_odg_pain_chapter():
    for topic_id, section in [
        ("sleep-aids", "Insomnia treatment"),
        ("medical-foods", "Medical food"),
        ("antiemetics", "Antiemetics (for opioid nausea)"),
    ]:
        g = _topic(topic_id).guidelines[0]
        assert not g.mtus and g.chapter == "Pain (Chronic)" and section in g.sections


# --- realism: thin records are upheld, well-documented requests are overturned --------------------


def test_seed_like_soma_for_ongoing_pain_is_upheld():
    facts = {"medication.current": True, "medication.duration_days": 180, "request.specified": True}
    decision, results = _decide("carisoprodol", facts)
    assert decision == "Upheld" and results["carisoprodol.recommendation"] is False


def test_seed_like_unspecified_oxycodone_without_functional_benefit_is_upheld():
    facts = {
        "medication.current": True,
        "pain.relief_with_medication": True,
        "opioid.monitoring_documented": True,
        "finding.cures_reviewed": True,
        "finding.opioid_agreement": True,
        "request.specified": False,
    }
    decision, results = _decide("opioids", facts)
    assert decision == "Upheld"
    assert results["opioids.ongoing.function"] is None
    assert results["opioids.request-specified"] is False
    assert results["opioids.ongoing.monitoring"] is True


def test_well_documented_opioid_refill_is_overturned_and_high_dose_is_not():
    facts = {
        "medication.current": True,
        "pain.relief_with_medication": True,
        "finding.functional_improvement": True,
        "finding.adverse_effects": False,
        "finding.aberrant_behavior": False,
        "finding.uds_consistent": True,
        "medication.daily_med": 60.0,
        "request.specified": True,
    }
    assert _decide("opioids", facts)[0] == "Overturned"
    assert _decide("opioids", {**facts, "medication.daily_med": 200.0})[0] == "Upheld"
    assert _decide("opioids", {**facts, "finding.aberrant_behavior": True})[0] == "Upheld"


def test_opioid_initiation_uses_the_initiation_entry():
    facts = {
        "medication.current": False,
        "medication.first_line_tried": True,
        "pain.documented": True,
        "function.documented": True,
        "medication.indication_documented": True,
        "request.specified": True,
        "request.post_operative": False,  # (drugs9) a chronic trial: the first-line step applies
    }
    topic = _topic("opioids")
    assert _entry(topic, facts).pages == "76-77"
    assert _decide("opioids", facts)[0] == "Overturned"
    assert _decide("opioids", {**facts, "medication.first_line_tried": False})[0] == "Upheld"


def test_restoril_for_months_is_upheld_and_a_short_course_is_not():
    long_use = {"medication.current": True, "medication.duration_days": 270, "finding.insomnia": True, "request.specified": True,
                "request.refills": 0}
    assert _decide("benzodiazepines", long_use)[0] == "Upheld"
    assert _decide("benzodiazepines", {**long_use, "medication.duration_days": 14})[0] == "Overturned"


def test_muscle_relaxant_needs_a_flare_and_a_short_course():
    flare = {"finding.acute_exacerbation": True, "medication.current": False, "request.specified": True, "request.refills": 0}
    assert _decide("muscle-relaxants", flare)[0] == "Overturned"
    chronic = {"finding.acute_exacerbation": False, "finding.muscle_spasm": False, "medication.current": True, "medication.duration_days": 200,
               "medication.antispasticity_indication": False, "request.specified": True}
    decision, results = _decide("muscle-relaxants", chronic)
    assert decision == "Upheld" and results["muscle-relaxants.short-course"] is False


def test_ppi_needs_an_nsaid_and_gi_risk():
    base = {"medication.nsaid_current": True, "finding.gi_symptoms": True, "request.specified": True}
    assert _decide("ppis", base)[0] == "Overturned"
    assert _decide("ppis", {**base, "finding.gi_symptoms": False, "finding.gi_risk_factors": False, "patient.age": 50})[0] == "Upheld"
    assert _decide("ppis", {**base, "finding.gi_symptoms": None, "patient.age": 70})[0] == "Overturned"
    assert _decide("ppis", {**base, "medication.nsaid_current": False})[0] == "Upheld"


def test_gabapentin_for_radiculopathy_with_relief_is_overturned():
    facts = {"diagnosis.radiculopathy": True, "medication.current": True, "pain.relief_with_medication": True, "request.specified": True}
    assert _decide("antiepileptics", facts)[0] == "Overturned"
    assert _decide("antiepileptics", {**facts, "pain.relief_with_medication": None})[0] == "Upheld"


def test_compounds_medical_foods_are_never_supported_by_the_guideline():
    everything = {"medication.first_line_tried": True, "finding.neuropathic_pain": True, "request.specified": True, "diagnosis.specific_indication": True}
    assert _decide("topical-analgesics", everything)[0] == "Upheld"
    assert _decide("medical-foods", everything)[0] == "Upheld"


def test_lidoderm_after_failed_first_line_for_neuropathic_pain_is_overturned():
    facts = {"finding.neuropathic_pain": True, "medication.neuropathic_first_line_tried": True, "medication.current": False, "request.specified": True}
    assert _decide("lidocaine-patch", facts)[0] == "Overturned"
    assert _decide("lidocaine-patch", {**facts, "medication.neuropathic_first_line_tried": None})[0] == "Upheld"


def test_data_dir_is_the_package_folder():
    assert Path(DATA_DIR).is_dir() and (Path(DATA_DIR) / "opioids.yaml").is_file()


def test_consistent_drug_screen_stands_in_for_unmentioned_aberrant_behavior():
    facts = {
        "medication.current": True,
        "pain.relief_with_medication": True,
        "finding.functional_improvement": True,
        "finding.adverse_effects": False,
        "finding.uds_consistent": True,
        "request.specified": True,
    }
    assert _decide("opioids", facts)[0] == "Overturned"
    assert _decide("tramadol", facts)[0] == "Overturned"
    assert _decide("opioids", {**facts, "finding.uds_consistent": None, "finding.cures_reviewed": True})[0] == "Upheld"
    assert _decide("opioids", {**facts, "finding.aberrant_behavior": True})[0] == "Upheld"
