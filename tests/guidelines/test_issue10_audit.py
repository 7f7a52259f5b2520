"""Issue 10: editions by date, the clinical audit's corrections, thresholds as parameters, no letter-shaped rules."""

from __future__ import annotations

import datetime as dt
import inspect
import textwrap

import pytest

from openimr.engine import derive
from openimr.engine.evaluate import evaluate_condition
from openimr.errors import GuidelineDataError
from openimr.guidelines.classifier import classify
from openimr.guidelines.hierarchy import EditionNotEncoded, resolve
from openimr.guidelines.knowledge_base import default_knowledge_base, load_knowledge_base, load_topic_file

CPMTG = "Chronic Pain Medical Treatment Guidelines"
ACOEM = "ACOEM Occupational Medicine Practice Guidelines"


class Facts:
    def __init__(self, **facts):
        self.facts = facts

    def value(self, name):
        return self.facts.get(name)


@pytest.fixture(scope="module")
def kb():
    return default_knowledge_base()


def _criterion(kb, topic, cid, on=dt.date(2015, 6, 1)):
    for g in kb.topics[topic].guidelines:
        if g.in_force(on):
            for c in g.criteria:
                if c.id == cid:
                    return c
    raise AssertionError(f"{topic}: {cid} not in force on {on}")


# --- editions by date (8 CCR 9792.24.2, 9792.24.4, 9792.23) ------------------------------------------

def test_edition_dates(kb):
    for t in kb.topics.values():
        for g in t.guidelines:
            if g.document == CPMTG and g.edition == "2009":
                assert (g.effective_from, g.effective_to) == (dt.date(2009, 7, 18), dt.date(2016, 7, 27)), t.id
            elif g.edition == "2016":
                assert (g.effective_from, g.effective_to) == (dt.date(2016, 7, 28), dt.date(2017, 11, 30)), t.id
            else:
                assert g.effective_to == dt.date(2017, 11, 30), (t.id, g.document)
            if g.document == ACOEM and "2004" in g.edition:
                assert g.effective_from == dt.date(2007, 6, 15)


@pytest.mark.parametrize("topic", ["carisoprodol", "physical-therapy", "chiropractic", "topical-analgesics", "tens"])
def test_cpmtg_2009_until_2016_07_27_then_2016(kb, topic):
    before = [r.entry for r in resolve(kb, topic, dt.date(2016, 7, 27)) if r.entry.document == CPMTG]
    after = [r.entry for r in resolve(kb, topic, dt.date(2016, 7, 28)) if r.entry.document == CPMTG]
    assert before and {e.edition for e in before} == {"2009"}
    assert after and {e.edition for e in after} == {"2016"}


@pytest.mark.parametrize("topic", ["opioids", "tramadol", "buprenorphine", "methadone", "fentanyl-transdermal"])
def test_opioids_treatment_guidelines_from_2016_07_28(kb, topic):
    assert {r.entry.document for r in resolve(kb, topic, dt.date(2016, 7, 27)) if r.mtus} == {CPMTG}
    assert {r.entry.document for r in resolve(kb, topic, dt.date(2016, 12, 1)) if r.mtus} == {"Opioids Treatment Guidelines"}


def test_acoem_2004_ends_2017_11_30_and_later_dates_are_not_encoded(kb):
    assert resolve(kb, "mri-lumbar", dt.date(2017, 11, 30))[0].entry.document == ACOEM
    with pytest.raises(EditionNotEncoded, match="guideline edition not encoded"):
        resolve(kb, "mri-lumbar", dt.date(2017, 12, 1))


# --- the audit's corrections ----------------------------------------------------------------------------

def test_rotator_cuff_repair_is_40_visits_initial_20(kb):
    visits = _criterion(kb, "postsurgical-physical-therapy", "pst.visits.rotator-cuff-repair")
    initial = _criterion(kb, "postsurgical-physical-therapy", "pst.initial.rotator-cuff-repair")
    assert visits.test.value == 40 and initial.test.value == 20
    decompression = _criterion(kb, "postsurgical-physical-therapy", "pst.visits.shoulder")
    assert decompression.test.value == 24 and "rotator cuff repair" not in decompression.applies_when.value


@pytest.mark.parametrize("facts,met", [
    ({"request.levels_count": 1}, True),
    ({"request.levels_count": 2, "request.approach": "transforaminal"}, True),
    ({"request.levels_count": 2, "request.approach": "interlaminar"}, False),
    ({"request.levels_count": 2}, None),
    ({"request.levels_count": 3, "request.approach": "transforaminal"}, False),
])
def test_interlaminar_esi_is_one_level(kb, facts, met):
    c = _criterion(kb, "epidural-steroid-injections", "esi.levels")
    assert evaluate_condition(c.test, Facts(**facts)) is met


def test_neck_imaging_after_three_to_four_weeks(kb):
    c = _criterion(kb, "x-rays", "xray-c.indication")
    assert "three to four weeks" in c.statement and "six" not in c.statement


def test_manipulation_not_recommended_regions(kb):
    c = _criterion(kb, "chiropractic", "chiro.region")
    assert set(c.test.value) == {"knee", "ankle/foot", "wrist/hand"}
    assert evaluate_condition(c.test, Facts(**{"request.body_region": "elbow"})) is True
    assert c.citation.pages == "58-59"


def test_capsaicin_alone_is_an_option_after_other_treatments(kb):
    assert classify("Capsaicin 0.075% cream").topic == "capsaicin"
    c = _criterion(kb, "capsaicin", "capsaicin.other-treatments-failed")
    assert evaluate_condition(c.test, Facts(**{"medication.first_line_tried": True})) is True
    assert "112" in c.citation.pages
    # a compound containing capsaicin and a non-recommended drug stays a compound
    assert classify("Flurbiprofen 20%/Capsaicin 0.025% cream").topic == "topical-analgesics"


def test_glucosamine_is_recommended_for_knee_osteoarthritis_not_a_medical_food(kb):
    assert classify("Glucosamine sulfate 500mg #90").topic == "glucosamine"
    g = [e for e in kb.topics["glucosamine"].guidelines if e.edition == "2009"][0]
    assert g.status == "recommended_with_criteria" and g.pages == "50" and "osteoarthritis" in kb.topics["glucosamine"].indications


def test_nmes_is_not_tens_and_a_combination_unit_fails_with_it(kb):
    for text in ("NMES unit", "EMS unit", "EMS/TENS unit", "TENS/EMS unit"):
        assert classify(text).topic == "neuromuscular-electrical-stimulation", text
    assert classify("TENS unit").topic == "tens"
    g = [e for e in kb.topics["neuromuscular-electrical-stimulation"].guidelines if e.edition == "2009"][0]
    assert g.status == "not_recommended" and g.pages == "121"
    assert not any(s in kb.topics["tens"].synonyms for s in ("nmes", "ems unit", "tens/ems unit"))


def test_traction_and_inversion_tables_are_not_exercise_equipment(kb):
    for text in ("Inversion table", "Home traction unit", "Cervical traction unit"):
        assert classify(text).topic == "traction", text
    assert not {"inversion table", "home traction unit"} & set(kb.topics["home-exercise-equipment"].synonyms)


def test_menthol_is_not_a_salicylate():
    assert classify("Biofreeze gel").topic != "topical-salicylates"
    assert classify("Menthoderm gel 120gm").topic == "topical-salicylates"  # methyl salicylate with menthol


@pytest.mark.parametrize("facts,met", [
    ({"uds.count_past_year": 1}, True),
    ({"uds.count_past_year": 2}, None),  # risk not documented: undecided, never approved by default
    ({"uds.count_past_year": 2, "opioid.risk_level": "low", "finding.aberrant_behavior": False}, False),
    ({"uds.count_past_year": 2, "opioid.risk_level": "moderate"}, True),
    ({"uds.count_past_year": 5, "opioid.risk_level": "high"}, True),
    ({"uds.count_past_year": 4, "finding.aberrant_behavior": True}, True),
])
def test_urine_drug_testing_frequency_is_risk_based(kb, facts, met):
    c = _criterion(kb, "urine-drug-testing", "uds.frequency")
    assert c.citation.source == "ODG"
    assert evaluate_condition(c.test, Facts(**facts)) is met


def test_scs_50_percent_and_work_conditioning_limits_are_odg(kb):
    assert _criterion(kb, "spinal-cord-stimulation", "scs.successful-trial").citation.source == "ODG"
    assert _criterion(kb, "work-conditioning", "wc.visit-limit").citation.source == "ODG"


def test_request_specified_criteria_cite_the_rfa_rules(kb):
    found = 0
    for t in kb.topics.values():
        for g in t.guidelines:
            for c in g.criteria:
                if c.id.endswith("request-specified"):
                    found += 1
                    assert c.citation.source == "CCR" and "9792.6.1" in " ".join(c.citation.sections), (t.id, c.id)
    assert found >= 19


# --- rules, not letters -----------------------------------------------------------------------------------

def test_si_and_facet_entries_have_no_letter_shaped_conditions(kb):
    for g in kb.topics["sacroiliac-joint-injections"].guidelines:
        assert g.applies_when is None
    for g in kb.topics["facet-injections"].guidelines:
        assert g.applies_when is None or g.applies_when.facts() == ["request.body_region"]


def test_engine_holds_no_clinical_numbers():
    src = inspect.getsource(derive)
    for needle in (">= 70", "> 365", "len(regions) >= 3", "CONSERVATIVE_KINDS", "MME_FACTORS"):
        assert needle not in src, needle


def test_parameters_are_cited_and_dated(kb):
    for name in ("diagnostic_block_positive_relief_percent", "uds_count_window_days", "conservative_care_kinds",
                 "morphine_equivalent_factors"):
        p = kb.parameter(name)
        assert p is not None, name
        v = p.value_on(dt.date(2016, 1, 1))
        assert v is not None and v.citation.document, name
        assert p.value_on(dt.date(2018, 1, 1)) is None  # nothing encoded after 2017-11-30
    assert kb.parameter("diagnostic_block_positive_relief_percent").value_on(dt.date(2016, 1, 1)).value == 70


def test_a_topic_parameter_overrides_the_shared_one(kb):
    assert kb.parameter("preoperative_risk_age_years", "preoperative-medical-clearance").value_on(dt.date(2016, 1, 1)).value == 65
    assert kb.parameter("preoperative_risk_age_years") is None


# --- the loader ---------------------------------------------------------------------------------------------

def _topic_yaml(criteria: str) -> str:
    return textwrap.dedent("""\
        id: widgets
        name: Widgets
        category: other
        guidelines:
          - source: ODG
            mtus: false
            document: ODG
            edition: "2015"
            effective_from: 2015-01-01
            status: recommended
            summary: A summary of the widget guideline.
            criteria:
        """) + textwrap.indent(textwrap.dedent(criteria), "      ")


def test_loader_refuses_an_entry_whose_every_criterion_is_conditional(tmp_path):
    path = tmp_path / "widgets.yaml"
    path.write_text(_topic_yaml("""\
        - id: w.c1
          statement: Only judged for repeats of the widget.
          test: {fact: request.specified, op: is_true}
          applies_when: {fact: request.is_repeat, op: is_true}
          rationale: {met: ok, unmet: not ok, undocumented: not documented}
          citation: {source: ODG, document: ODG, sections: [Widgets]}
        """))
    with pytest.raises(GuidelineDataError, match="every criterion is conditional"):
        load_topic_file(path)
    path.write_text(_topic_yaml("""\
        - id: w.c1
          statement: Always judged for the widget request.
          test: {fact: request.specified, op: is_true}
          rationale: {met: ok, unmet: not ok, undocumented: not documented}
          citation: {source: ODG, document: ODG, sections: [Widgets]}
        """))
    assert load_topic_file(path).id == "widgets"


def test_bad_parameters_file_is_one_line(tmp_path):
    (tmp_path / "_parameters.yaml").write_text("parameters:\n  x:\n    description: too short\n")
    with pytest.raises(GuidelineDataError):
        load_knowledge_base(tmp_path)


@pytest.mark.parametrize("topic", ["nsaids", "physical-therapy"])
def test_acute_care_side_of_acoem_is_encoded_after_the_cpmtg(kb, topic):
    chain = resolve(kb, topic, dt.date(2016, 12, 1))
    assert chain[0].entry.document == CPMTG and chain[0].entry.edition == "2016"
    acoem = [r.entry for r in chain if r.entry.document == ACOEM]
    assert acoem and acoem[0].chapter == "Chapter 3 Initial Approaches to Treatment" and acoem[0].pages


@pytest.mark.parametrize("topic,chapter", [
    ("mri-thoracic", "Chapter 8"), ("mri-wrist-hand", "Chapter 11"), ("mri-ankle-foot", "Chapter 14"),
    ("ct-spine", "Chapter 12"), ("bone-scan", "Chapter 14"), ("mri-lower-extremity", "Chapter 13"),
])
def test_special_studies_of_every_region(kb, topic, chapter):
    first = resolve(kb, topic, dt.date(2016, 12, 1))[0].entry
    assert first.document == ACOEM and first.chapter.startswith(chapter) and "Special Studies" in " ".join(first.sections)


def test_no_date_uses_the_newest_editions_across_documents(kb):
    # the 2009 CPMTG opioid entries are superseded by the 2016 Opioids Treatment Guidelines (another document)
    assert {r.entry.document for r in resolve(kb, "opioids", None)} == {"Opioids Treatment Guidelines"}
    assert {r.entry.edition for r in resolve(kb, "carisoprodol", None)} == {"2016"}
