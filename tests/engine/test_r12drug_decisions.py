"""Issue #11 (r12drug): drug decisions as clinicians write the record. Each rule has a twin it must not break; the
records are our own wording in several styles, none taken from a held-out set or a real letter."""

from __future__ import annotations

import pytest
from one_note import criterion_met, first_item, one_note_case

from openimr.models.case import CaseFile


def _case(request: str, note: str, *, date: str = "2016-02-09", doi: str = "2013-05-02") -> CaseFile:
    return one_note_case(request, note, doi=doi, age=51, date=date, case_number="RX-12")


# -- buprenorphine continued like any opioid: a return to work counts as function, one check of appropriate use is
# -- monitoring (CPMTG pp. 26-27, 78, 80) ------------------------------------------------------------------------------

BUP_NOTES = [
    # terse PR-2 shorthand
    "PR-2. Chronic LBP s/p fusion. Hx opioid misuse, detoxed 2014. Butrans 15 mcg/hr q7d since 1/2015: pain 8 -> 5. "
    "RTW modified duty 6 hrs/d. {monitor} P: Butrans 15mcg/hr #4.",
    # SOAP
    "S: Neck pain, on buprenorphine patch 15 mcg/hr since last spring after a taper off oxycodone. Pain 7/10 without, "
    "4/10 with. Returned to work full duty in January. O: ROM limited. A: Chronic neck pain. {monitor} "
    "P: Continue Butrans 15mcg/hr #4.",
    # long dictation
    "The patient is seen in follow-up for chronic low back pain. After detoxification from hydrocodone she was changed "
    "to transdermal buprenorphine, currently 15 micrograms per hour, and she reports her pain has come down from 8/10 "
    "to 5/10 on it. She has gone back to work at her regular job as a cashier. {monitor} We will continue Butrans "
    "15mcg/hr #4.",
]


@pytest.mark.parametrize("note", BUP_NOTES)
def test_buprenorphine_with_relief_work_and_one_check_is_supported(note):
    item = first_item(_case("Butrans 15mcg/hr patch #4", note.format(monitor="Urine drug screen 12/2015 consistent.")))
    assert criterion_met(item, "bup.function") is True
    assert criterion_met(item, "bup.monitoring") is True


@pytest.mark.parametrize("note", BUP_NOTES)
def test_buprenorphine_with_no_check_of_appropriate_use_is_not_monitored(note):
    item = first_item(_case("Butrans 15mcg/hr patch #4", note.format(monitor="")))
    assert criterion_met(item, "bup.monitoring") is not True


def test_buprenorphine_without_work_or_function_is_not_continued_on_relief_alone():
    note = ("PR-2. Chronic LBP. Butrans 15 mcg/hr since 1/2015: pain 8 -> 5. Remains off work, TTD. UDS 12/2015 "
            "consistent. P: Butrans 15mcg/hr #4.")
    assert criterion_met(first_item(_case("Butrans 15mcg/hr patch #4", note)), "bup.function") is not True


# -- relief in words, and a percent given as a range (CPMTG p. 60: benefit from each medication is recorded; pp. 16-17:
# -- about 30% relief is a moderate response to an anti-epilepsy drug) -----------------------------------------------

RELIEF_NOTES = [
    ("Naproxen 500mg #60", "PR-2. Chronic R hip OA. Naproxen 500 bid - good relief, no GI sx. P: refill naproxen 500mg #60."),
    ("Naproxen 500mg #60", "S: Hip pain. She says the naproxen is helping and lets her garden. A: Hip OA. "
                           "P: Continue naproxen 500mg #60."),
    ("Naproxen 500mg #60", "He has continued naproxen twice daily for his hip arthritis, with moderate pain relief "
                           "that keeps him at work. We will refill naproxen 500mg #60."),
    ("Gabapentin 300mg #90", "F/u. R L5 radiculopathy. Gabapentin 300 tid since 6/2015 - helps the leg burning ~40-50%. "
                             "P: gabapentin 300mg #90."),
    ("Gabapentin 300mg #90", "S: Leg pain. Gabapentin gives 30 to 40% relief of the burning. A: L5 radiculopathy. "
                             "P: Continue gabapentin 300mg #90."),
]


@pytest.mark.parametrize(("request_", "note"), RELIEF_NOTES)
def test_relief_in_words_or_as_a_range_is_relief_with_medication(request_, note):
    from openimr.engine.derive import FactResolver
    from openimr.extract import extract_facts
    from openimr.guidelines.classifier import classify
    from openimr.guidelines.knowledge_base import default_knowledge_base

    case = _case(request_, note)
    kb = default_knowledge_base()
    req = classify(case.disputed_items[0].request, kb)
    r = FactResolver(facts=extract_facts(case), request=req, case=case, topic=kb.topic(req.topic))
    assert r.value("pain.relief_with_medication") is True


NO_RELIEF_NOTES = [
    ("Naproxen 500mg #60", "PR-2. Chronic R hip OA. Naproxen 500 bid - no relief. P: refill naproxen 500mg #60."),
    ("Naproxen 500mg #60", "S: Hip pain, not helped by naproxen, which is not effective. P: Continue naproxen 500mg #60."),
    ("Gabapentin 300mg #90", "F/u. R L5 radiculopathy. PT helps some. Pain 7/10. P: gabapentin 300mg #90."),
]


@pytest.mark.parametrize(("request_", "note"), NO_RELIEF_NOTES)
def test_relief_denied_or_from_another_treatment_is_not_relief_with_medication(request_, note):
    from openimr.engine.derive import FactResolver
    from openimr.extract import extract_facts
    from openimr.guidelines.classifier import classify
    from openimr.guidelines.knowledge_base import default_knowledge_base

    case = _case(request_, note)
    kb = default_knowledge_base()
    req = classify(case.disputed_items[0].request, kb)
    r = FactResolver(facts=extract_facts(case), request=req, case=case, topic=kb.topic(req.topic))
    assert r.value("pain.relief_with_medication") is not True


# -- wakefulness agents: a sleep disorder they are approved for, not the fatigue of opioids (ODG Pain) -------------------

@pytest.mark.parametrize(("request_", "note"), [
    ("Nuvigil 150mg #30", "PR-2. Chronic LBP. Dx: obstructive sleep apnea on PSG 2015, on CPAP, still sleepy by day. "
                          "P: Nuvigil 150mg qam #30."),
    ("Provigil 100mg #30", "S: Nights on the loading dock; diagnosed with shift work sleep disorder by sleep medicine. "
                           "A: SWSD. P: Provigil 100mg #30."),
    ("Modafinil 100mg #30", "Narcolepsy, confirmed on MSLT, predates the injury. We will continue modafinil 100mg #30."),
])
def test_a_wakefulness_agent_for_a_sleep_disorder_it_is_approved_for(request_, note):
    item = first_item(_case(request_, note))
    assert item.topic == "wakefulness-agents"
    assert criterion_met(item, "wakefulness-agents.sleep-disorder") is True


@pytest.mark.parametrize(("request_", "note"), [
    ("Nuvigil 150mg #30", "PR-2. On oxycodone 10 tid; drowsy afternoons. P: add Nuvigil 150mg qam #30 for fatigue."),
    ("Provigil 100mg #30", "S: Tired all day since the fentanyl patch went up. A: Opioid-induced sedation. "
                           "P: Provigil 100mg #30."),
])
def test_a_wakefulness_agent_to_counter_opioid_sedation_is_not_supported(request_, note):
    item = first_item(_case(request_, note))
    assert item.topic == "wakefulness-agents"
    assert criterion_met(item, "wakefulness-agents.sleep-disorder") is not True
    assert item.decision == "Upheld"


# -- insomnia as notes measure and describe it (ODG Pain, Insomnia treatment: the sleep complaint characterized) --------

def _insomnia(note: str):
    from openimr.engine.derive import FactResolver
    from openimr.extract import extract_facts
    from openimr.guidelines.classifier import classify
    from openimr.guidelines.knowledge_base import default_knowledge_base

    case = _case("Trazodone 50mg #30", note + " P: trazodone 50mg qhs #30.")
    kb = default_knowledge_base()
    req = classify(case.disputed_items[0].request, kb)
    return FactResolver(facts=extract_facts(case), request=req, case=case, topic=kb.topic(req.topic)).value("finding.insomnia")


@pytest.mark.parametrize("note", [
    "S/O: Sleeping 4-5 hrs, mood low.",
    "She says she averages about 4 hours of sleep and is exhausted at work.",
    "Sleep is broken; wakes up from the leg burning most nights.",
    "Woken by spasms, up 2-3x/night.",
    "Sleep: fragmented.",
])
def test_short_or_broken_sleep_is_insomnia(note):
    assert _insomnia(note) is True


@pytest.mark.parametrize("note", [
    "Sleeps 7-8 hrs, no problems.",
    "Sleep is good; wakes up rested.",
    "Sleep 8 hours nightly.",
])
def test_a_full_night_of_sleep_is_not_insomnia(note):
    assert _insomnia(note) is not True


# -- a tricyclic for chronic pain that disturbs sleep, neuropathic or not (CPMTG p. 13; ODG Pain, Insomnia treatment) ---

TCA_NOTES = [
    "PR-2. Chronic mechanical LBP x 2 yrs, no radicular sx. Sleeping 4 hrs, wakes w/ pain. P: start {drug} qhs #30.",
    "S: Neck and shoulder-girdle pain since a 2014 injury; sleep poor. O: Neuro intact. A: Chronic cervical strain. "
    "P: {drug} at bedtime #30.",
    "This gentleman has had knee and hip pain for well over a year since his fall and tells me he is up 3-4 times a "
    "night with it. Strength and sensation are normal. I will start {drug} #30 at night.",
]


@pytest.mark.parametrize("note", TCA_NOTES)
def test_a_tricyclic_for_chronic_pain_with_poor_sleep_has_an_indication(note):
    item = first_item(_case("Amitriptyline 10mg #30", note.format(drug="amitriptyline 10mg"), doi="2014-01-06"))
    assert criterion_met(item, "antidepressants.indication") is True


@pytest.mark.parametrize("note", TCA_NOTES)
def test_an_snri_for_the_same_pain_is_not_read_as_a_tricyclic(note):
    item = first_item(_case("Venlafaxine 37.5mg #30", note.format(drug="venlafaxine 37.5mg"), doi="2014-01-06"))
    assert criterion_met(item, "antidepressants.indication") is not True


def test_a_tricyclic_for_chronic_pain_without_a_sleep_complaint_needs_another_indication():
    note = "PR-2. Chronic mechanical LBP x 2 yrs, no radicular sx. Sleeps well. P: start amitriptyline 10mg qhs #30."
    item = first_item(_case("Amitriptyline 10mg #30", note, doi="2014-01-06"))
    assert criterion_met(item, "antidepressants.indication") is not True


def test_a_tricyclic_for_pain_of_a_few_weeks_with_poor_sleep_needs_another_indication():
    note = "PR-2. LBP since lifting 3 weeks ago, no radicular sx. Sleeping 4 hrs. P: start amitriptyline 10mg qhs #30."
    item = first_item(_case("Amitriptyline 10mg #30", note, doi="2016-01-19"))
    assert criterion_met(item, "antidepressants.indication") is not True


# -- a short opioid supply for severe subacute pain is a short course, not a chronic trial (ACOEM 2004 ch. 3, 12) -------

SHORT_COURSE = [
    ("Norco 5/325mg #20", "PR-2. LBP + L leg pain since lifting 6 wks ago, 8/10 despite ibuprofen and PT. New L EHL "
                          "weakness 4/5. P: MRI. Norco 5/325 1 q6h prn severe pain #20, no refills."),
    ("Tramadol 50mg #30", "S: Neck and R arm pain since the 2/2016 crash, 9/10 at night, naproxen not enough. "
                          "O: Spurling + R. A: C6 radiculitis. P: tramadol 50mg q8h prn #30, no refill; spine consult."),
    ("Hydrocodone/APAP 5/325mg #15", "Seen for his shoulder injury from 7 weeks ago; pain is severe (8/10) despite "
                                     "the meloxicam and he is awaiting surgery. Start hydrocodone/APAP 5/325mg "
                                     "#15 with no refills for the pain until surgery."),
]


@pytest.mark.parametrize(("request_", "note"), SHORT_COURSE)
def test_a_short_supply_for_subacute_pain_is_not_held_to_the_chronic_trial(request_, note):
    item = first_item(_case(request_, note, date="2016-04-20", doi="2016-03-03"))
    topic = item.topic.replace("opioids", "opioids.initiation").replace("tramadol", "tramadol.initiation")
    assert criterion_met(item, f"{topic}.baseline-and-goals") == "not judged"
    assert item.decision == "Overturned"


@pytest.mark.parametrize(("request_", "note"), [
    ("Norco 5/325mg #90", SHORT_COURSE[0][1].replace("#20, no refills", "#90")),
    ("Norco 5/325mg #20", SHORT_COURSE[0][1].replace("since lifting 6 wks ago", "since lifting in 2014")),
])
def test_a_larger_supply_or_chronic_pain_is_still_a_trial(request_, note):
    doi = "2014-03-03" if "2014" in note else "2016-03-03"
    item = first_item(_case(request_, note, date="2016-04-20", doi=doi))
    assert criterion_met(item, "opioids.initiation.baseline-and-goals") != "not judged"
