"""Issue #11 (r10drug): new versus continuing drug requests, read as clinicians write them. Each rule has a twin it
must not break; the records are our own shorthand, none taken from a held-out set or a real letter."""

from __future__ import annotations

from one_note import first_item, one_note_case

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
