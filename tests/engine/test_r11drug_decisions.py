"""Issue #11 (r11drug): drug decisions as clinicians write the record. Each rule has a twin it must not break; the
records are our own shorthand, none taken from a held-out set or a real letter."""

from __future__ import annotations

from one_note import criteria_met, criterion_met, first_item, one_note_case

from openimr.engine.derive import FactResolver
from openimr.extract import extract_facts
from openimr.guidelines.classifier import classify
from openimr.guidelines.knowledge_base import default_knowledge_base
from openimr.models.case import CaseFile


def _case(request: str, note: str, *, date: str = "2017-03-14", doi: str = "2014-06-10") -> CaseFile:
    return one_note_case(request, note, doi=doi, age=44, date=date, case_number="RX-11")


def _value(case: CaseFile, fact: str):
    kb = default_knowledge_base()
    req = classify(case.disputed_items[0].request, kb)
    r = FactResolver(facts=extract_facts(case), request=req, case=case, topic=kb.topic(req.topic))
    return r.value(fact)


# -- the aberrance side of the 4 A's: a consistent screen and a CURES review, aberrance expressly denied ---------------

MONITORED = ("Pain f/u. Chronic neck pain. Oxycodone 10 mg bid since 2015, pain 7 -> 4 with it, works full duty as a "
             "driver. UDS 12/2016 consistent. CURES reviewed 3/2017. {aberrance} P: oxycodone 10 #60.")


def test_a_consistent_screen_and_cures_with_no_aberrant_behavior_address_the_four_as():
    item = first_item(_case("Oxycodone 10mg #60", MONITORED.format(aberrance="No aberrant behavior.")))
    assert criterion_met(item, "opioids.ongoing.adverse-effects-and-aberrance") is True


def test_the_same_checks_with_aberrance_not_mentioned_are_not_enough_alone():
    item = first_item(_case("Oxycodone 10mg #60", MONITORED.format(aberrance="")))
    assert criterion_met(item, "opioids.ongoing.adverse-effects-and-aberrance") is not True


def test_an_early_refill_is_not_outweighed_by_the_checks():
    item = first_item(_case("Oxycodone 10mg #60", MONITORED.format(aberrance="Early refill x2 this year.")))
    assert criterion_met(item, "opioids.ongoing.adverse-effects-and-aberrance") is not True


# -- a screening score with the day between the scale and the score ---------------------------------------------------

def test_a_phq9_written_with_today_before_its_score_is_depression():
    note = "F/u chronic LBP, mood worse. PHQ-9 today 16. Plan: start duloxetine 30 mg then 60 mg daily."
    assert _value(_case("Duloxetine 60mg #30", note), "finding.depression") is True


def test_a_low_phq9_written_the_same_way_is_not_depression():
    note = "F/u chronic LBP. PHQ-9 today 3. Plan: start duloxetine 30 mg then 60 mg daily."
    assert _value(_case("Duloxetine 60mg #30", note), "finding.depression") is not True


# -- an opioid for the pain of a fresh injury: not a trial of chronic therapy ----------------------------------------

ACUTE = ("Occ med visit. Fell off a step 6 days ago, L ankle: XR nondisplaced lateral malleolus fx, CAM boot. Pain 8/10 "
         "despite naproxen and acetaminophen. CURES checked - no prior opioids. Plan: hydrocodone/APAP 5/325 1 q6h prn "
         "severe pain #20, no refills.")


def test_prn_severe_pain_names_the_indication():
    case = _case("Hydrocodone/APAP 5/325mg #20", ACUTE, date="2016-10-12", doi="2016-10-06")
    assert _value(case, "medication.indication_documented") is True


def test_a_plan_with_no_reason_names_no_indication():
    note = "Occ med visit. L ankle. Plan: hydrocodone/APAP 5/325 1 q6h #20."
    case = _case("Hydrocodone/APAP 5/325mg #20", note, date="2016-10-12", doi="2016-10-06")
    assert _value(case, "medication.indication_documented") is not True


def test_a_short_opioid_supply_for_a_fresh_injury_is_not_held_to_the_chronic_trials_goals():
    item = first_item(_case("Hydrocodone/APAP 5/325mg #20", ACUTE, date="2016-10-12", doi="2016-10-06"))
    met = criteria_met(item)
    assert "opioids.initiation.baseline-and-goals" not in met or met["opioids.initiation.baseline-and-goals"] is None
    assert criterion_met(item, "opioids.initiation.baseline-and-goals") in ("not judged", None)
    assert item.decision == "Overturned"


def test_a_first_opioid_months_after_the_injury_still_needs_baseline_function_and_goals():
    item = first_item(_case("Hydrocodone/APAP 5/325mg #20", ACUTE, date="2017-04-12", doi="2016-10-06"))
    assert criterion_met(item, "opioids.initiation.baseline-and-goals") is not True
    assert item.decision == "Upheld"


# -- pharmacogenetic testing: its own topic, not the drug it names ---------------------------------------------------

def test_a_genetic_test_about_opioids_is_classified_as_the_test():
    kb = default_knowledge_base()
    assert classify("Genetic testing for opioid metabolism (CYP2D6 panel)", kb).topic == "pharmacogenetic-testing"
    assert classify("Cytochrome P450 genotyping", kb).topic == "pharmacogenetic-testing"


def test_the_drug_and_the_drug_screen_keep_their_topics():
    kb = default_knowledge_base()
    assert classify("Hydrocodone/APAP 10/325 #60", kb).topic == "opioids"
    assert classify("Urine drug screen", kb).topic == "urine-drug-testing"


def test_pharmacogenetic_testing_is_not_supported_without_an_exception():
    note = "Pain f/u. Chronic LBP on tramadol. Plan: CYP450 genetic panel to guide future opioid dosing."
    item = first_item(_case("CYP450 genetic panel", note))
    assert item.decision == "Upheld"


# -- the score now, then in brackets what it was, and what the worker does -------------------------------------------

SWITCHED = "Pain f/u. Rotated from Percocet to Butrans 10 mcg/hr in 2016. Since then pain {now} (was {then} on Percocet), {after}."


def test_a_lower_score_than_before_with_what_the_worker_does_is_relief_and_function():
    case = _case("Butrans 10mcg/hr #4", SWITCHED.format(now="4/10", then="8/10", after="walks 40 min daily, does yard work"))
    assert _value(case, "pain.relief_with_medication") is True
    assert _value(case, "finding.functional_improvement") is True


def test_a_higher_score_than_before_is_no_relief():
    case = _case("Butrans 10mcg/hr #4", SWITCHED.format(now="8/10", then="5/10", after="mostly in bed"))
    assert _value(case, "pain.relief_with_medication") is not True
    assert _value(case, "finding.functional_improvement") is not True


# -- oral antibiotics: an infection the record documents, not a course after a clean operation ----------------------

def test_an_antibiotic_course_after_a_clean_operation_is_not_supported():
    note = ("Ortho pre-op visit. R knee medial meniscus tear, arthroscopic partial meniscectomy scheduled. "
            "Plan: cephalexin 500 mg qid x 5 days post-op to prevent infection.")
    item = first_item(_case("Cephalexin 500mg #20 (post-operative)", note))
    assert item.topic == "antibiotics"
    assert item.decision == "Upheld"


def test_an_antibiotic_for_a_documented_wound_infection_is_supported():
    note = ("Wound check 10 days after R knee arthroscopy. Portal site erythema 3 cm with purulent drainage, T 100.6. "
            "A: superficial surgical site infection, cellulitis R knee portal. P: cephalexin 500 mg qid x 7 days, "
            "culture sent.")
    item = first_item(_case("Cephalexin 500mg #28", note))
    assert criterion_met(item, "antibiotics.infection") is True
    assert item.decision == "Overturned"


def test_an_infection_the_note_rules_out_is_no_indication():
    note = ("Wound check 10 days after R knee arthroscopy. Portals healing well, no erythema, no drainage, no cellulitis. "
            "P: cephalexin 500 mg qid x 7 days.")
    item = first_item(_case("Cephalexin 500mg #28", note))
    assert criterion_met(item, "antibiotics.infection") is not True
    assert item.decision == "Upheld"


# -- an antidepressant's effect on mood or sleep, which the CPMTG counts beside pain and function ---------------------

ON_SNRI = "F/u chronic neck pain with depressive sx. On duloxetine 60 daily since March: {effect}. P: continue duloxetine 60 #30."


def test_mood_written_as_better_on_an_antidepressant_is_a_response():
    item = first_item(_case("Duloxetine 60mg #30", ON_SNRI.format(effect="mood somewhat better, sleeping better")))
    assert criterion_met(item, "antidepressants.ongoing.response") is True


def test_mood_written_as_no_better_is_no_response():
    item = first_item(_case("Duloxetine 60mg #30", ON_SNRI.format(effect="mood no better, sleep not improved")))
    assert criterion_met(item, "antidepressants.ongoing.response") is not True


# -- work written by its hours or as part / full time ----------------------------------------------------------------

def test_work_written_by_its_hours_is_a_return_to_work():
    note = "PR-2. Chronic LBP on oxycodone 10 bid, VAS 7 w/o, 3 w/. Working 30 h/wk as a cashier. P: refill."
    assert _value(_case("Oxycodone 10mg #60", note), "finding.return_to_work") is True


def test_work_denied_in_the_same_words_is_not_a_return_to_work():
    note = "PR-2. Chronic LBP on oxycodone 10 bid, VAS 7 w/o, 3 w/. Not working part-time anymore, off since May. P: refill."
    assert _value(_case("Oxycodone 10mg #60", note), "finding.return_to_work") is not True
