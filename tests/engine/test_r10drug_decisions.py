"""Issue #11 (r10drug): new versus continuing drug requests, read as clinicians write them. Each rule has a twin it
must not break; the records are our own shorthand, none taken from a held-out set or a real letter."""

from __future__ import annotations

from one_note import criteria_met, first_item, one_note_case

from openimr.engine.derive import FactResolver
from openimr.extract import extract_facts
from openimr.guidelines.classifier import classify
from openimr.guidelines.knowledge_base import default_knowledge_base
from openimr.models.case import CaseFile


def _case(request: str, note: str, *, date: str = "2016-08-15", doi: str = "2015-02-03",
          extra_docs: list[dict] | None = None) -> CaseFile:
    return one_note_case(request, note, doi=doi, age=52, date=date, extra_docs=extra_docs, case_number="RD-1")


def _value(case: CaseFile, fact: str):
    kb = default_knowledge_base()
    req = classify(case.disputed_items[0].request, kb)
    r = FactResolver(facts=extract_facts(case), request=req, case=case, topic=kb.topic(req.topic))
    return r.value(fact)


# -- "while starting X": the present participle of this visit's plan is a first prescription --------------------------

STARTING = ("Follow-up. Chronic neck pain with L C6 radicular pain, numbness L thumb. Pregabalin 75 bid x 4 mo, "
            "no benefit, pain 7/10. P: {plan}")


def test_a_drug_the_plan_is_starting_is_not_already_taken():
    case = _case("Amitriptyline 10mg #30", STARTING.format(plan="Pregabalin 75 #60 (cont while starting amitriptyline). "
                                                           "Amitriptyline 10 qhs #30."))
    assert _value(case, "medication.current") is False


def test_a_drug_taken_since_it_was_started_is_still_a_continuation():
    note = ("Follow-up. Chronic neck pain with L C6 radicular pain. Since starting amitriptyline 10 qhs in January, "
            "sleeps 6 h, pain 7/10. P: Amitriptyline 10 qhs #30.")
    assert _value(_case("Amitriptyline 10mg #30", note), "medication.current") is True


# -- a post-operative drug for a surgery the record plans: the pre-operative note's order is a new prescription --------

PRE_OP = ("Pre-operative visit. R shoulder full-thickness supraspinatus tear on MRI. Arthroscopic rotator cuff repair "
          "scheduled 8/24/16 (authorized). Post-op orders: Norco 5/325 1 q6h prn x 5 days #30; sling. {history}")


def test_a_post_operative_opioid_for_a_planned_surgery_is_judged_as_acute_pain():
    item = first_item(_case("Norco 5/325mg #30 (post-operative)", PRE_OP.format(history="No prior opioids. CURES reviewed.")))
    assert item.topic == "opioids"
    assert not any(c.id.startswith("opioids.ongoing") for c in item.criteria)
    assert item.decision == "Overturned"


def test_an_opioid_taken_before_the_note_planning_the_surgery_is_still_a_continuation():
    earlier = {"id": "d1", "type": "progress_note", "date": "2016-06-02",
               "text": "Follow-up. R shoulder pain 7/10. Norco 5/325 1 tid, taking daily for 6 months."}
    case = _case("Norco 5/325mg #30 (post-operative)", PRE_OP.format(history=""), extra_docs=[earlier])
    assert _value(case, "medication.current") is True


def test_a_post_operative_request_with_no_surgery_in_the_record_is_not_read_as_post_operative():
    note = "Follow-up. R shoulder pain 6/10. Norco 5/325 1 q6h prn #30."
    assert _value(_case("Norco 5/325mg #30 (post-operative)", note), "request.post_operative") is not True


# -- a pain score that falls on the drug, then what the worker now does, in the present tense -------------------------

ON_DRUG = "Pain f/u. Chronic LBP s/p L5-S1 fusion. On Nucynta ER 50 bid since 2015: pain 7 -> 3, {after}. UDS c/w. P: refill."


def test_what_the_worker_does_after_a_pain_fall_is_functional_improvement():
    case = _case("Nucynta ER 50mg #60", ON_DRUG.format(after="walks 2 miles daily, works part-time at a bakery"))
    assert _value(case, "finding.functional_improvement") is True


def test_an_aid_after_a_pain_fall_is_not_functional_improvement():
    case = _case("Nucynta ER 50mg #60", ON_DRUG.format(after="walks with a cane, still off work"))
    assert _value(case, "finding.functional_improvement") is not True


# -- buprenorphine for chronic pain after other opioids: the KB statement's third indication -------------------------

_criteria = criteria_met


def test_buprenorphine_after_a_rotation_from_another_opioid_has_its_indication():
    note = ("Pain f/u. Chronic LBP. Percocet 2014-2015 with poor relief, rotated to Butrans 10 mcg/hr 1/2016. "
            "UDS c/w. P: Butrans 10 mcg/hr #4.")
    item = first_item(_case("Butrans 10mcg/hr #4", note))
    assert _criteria(item)["bup.indication"] is True


def test_buprenorphine_with_no_other_opioid_in_the_record_has_no_indication_from_it():
    note = "Pain f/u. Chronic LBP. Butrans 10 mcg/hr since 1/2016. UDS c/w. P: Butrans 10 mcg/hr #4."
    item = first_item(_case("Butrans 10mcg/hr #4", note))
    assert _criteria(item)["bup.indication"] is not True
