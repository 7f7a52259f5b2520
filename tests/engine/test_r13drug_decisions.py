"""Issue #11 (r13drug): drug decisions as clinicians write the record. Each rule has a twin it must not break; the
records are our own wording in several styles, none taken from a held-out set or a real letter."""

from __future__ import annotations

import pytest
from one_note import criterion_met, first_item, one_note_case

from openimr.models.case import CaseFile


def _case(request: str, note: str, *, date: str = "2015-03-11", doi: str = "2012-08-20") -> CaseFile:
    return one_note_case(request, note, doi=doi, age=47, date=date, case_number="RX-13")


def _relief(request: str, note: str):
    from openimr.engine.derive import FactResolver
    from openimr.extract import extract_facts
    from openimr.guidelines.classifier import classify
    from openimr.guidelines.knowledge_base import default_knowledge_base

    case = _case(request, note)
    kb = default_knowledge_base()
    req = classify(case.disputed_items[0].request, kb)
    r = FactResolver(facts=extract_facts(case), request=req, case=case, topic=kb.topic(req.topic))
    return r.value("pain.relief_with_medication")


# -- two scores out of ten joined by "to" (no "from"), the drug named in the sentence before (CPMTG p. 78: pain with
# -- and without the drug is the analgesia the ongoing review records) ----------------------------------------------

TEN_TO_NOTES = [
    # terse PR-2 shorthand
    ("Norco 10/325mg #60", "PR-2. Chronic LBP. Norco 10/325 bid prn. Lets her do housework; pain 7/10 to 3/10. "
                           "P: Norco 10/325 #60."),
    # SOAP
    ("Tramadol ER 100mg #30", "S: Knee pain, takes tramadol ER 100 mg each morning. VAS 8/10 to 4/10 after the dose. "
                              "O: Crepitus. A: Knee OA. P: tramadol ER 100mg #30."),
    # long dictation
    ("Percocet 5/325mg #45", "He continues Percocet 5/325, about one and a half tablets a day, for his neck pain. "
                             "He describes the aching as going 6/10 to a 2/10 within the hour. We will refill "
                             "Percocet 5/325 #45."),
]


@pytest.mark.parametrize(("request_", "note"), TEN_TO_NOTES)
def test_score_out_of_ten_to_a_lower_one_beside_the_drug_is_relief(request_, note):
    assert _relief(request_, note) is True


# the twins: a score that rises, and a count that is no score, are not relief
NOT_RELIEF_NOTES = [
    ("Norco 10/325mg #60", "PR-2. Chronic LBP. Norco 10/325 bid prn. Worse this month; pain 3/10 to 7/10. "
                           "P: Norco 10/325 #60."),
    ("Tramadol ER 100mg #30", "S: Knee pain, takes tramadol ER 100 mg each morning. Pain flares 2 to 3 times a week. "
                              "A: Knee OA. P: tramadol ER 100mg #30."),
]


@pytest.mark.parametrize(("request_", "note"), NOT_RELIEF_NOTES)
def test_a_rising_score_or_a_count_is_not_relief(request_, note):
    assert _relief(request_, note) is not True


# -- a consistent drug screen and aberrant behavior expressly denied answer the aberrance check of the ongoing review
# -- (CPMTG p. 78), without a second check ---------------------------------------------------------------------------

ABERRANCE_NOTES = [
    # terse PR-2 shorthand
    "PR-2. Chronic neck pain. Oxycodone 10 mg q8h: pain 7 -> 3/10. Walking 30 min daily, doing own shopping. "
    "{aberrance} UDS 1/2015 consistent w/ Rx. P: oxycodone 10mg #90.",
    # SOAP
    "S: Low back pain, on oxycodone 10 mg three times a day, pain 8/10 without and 4/10 with it. Able to cook and "
    "drive again. {aberrance} O: Lumbar ROM reduced. A: Chronic LBP. Urine toxicology in December was appropriate "
    "for the prescribed oxycodone. P: oxycodone 10mg #90.",
    # long dictation
    "She returns for her chronic shoulder pain. She takes oxycodone 10 mg three times daily, which brings the pain "
    "down from 8/10 to 4/10, and she has resumed light gardening and her daily walks. {aberrance} Her most recent "
    "urine drug screen was consistent with what is prescribed. We will renew oxycodone 10mg #90.",
]
DENIED = ["No early refills or lost scripts.", "Denies early refill requests, lost medication or other prescribers.",
          "She has made no early refill requests and has lost no prescriptions."]
PRESENT = ["Early refill x2 this quarter, lost Rx once.", "She requested two early refills and reported a lost script.",
           "There were two early refill requests and one lost prescription this quarter."]


@pytest.mark.parametrize(("note", "aberrance"), list(zip(ABERRANCE_NOTES, DENIED, strict=True)))
def test_consistent_screen_and_denied_aberrance_address_aberrance(note, aberrance):
    item = first_item(_case("Oxycodone 10mg #90", note.format(aberrance=aberrance)))
    assert criterion_met(item, "opioids.ongoing.adverse-effects-and-aberrance") is True


@pytest.mark.parametrize(("note", "aberrance"), list(zip(ABERRANCE_NOTES, PRESENT, strict=True)))
def test_consistent_screen_with_aberrance_present_does_not_address_aberrance(note, aberrance):
    item = first_item(_case("Oxycodone 10mg #90", note.format(aberrance=aberrance)))
    assert criterion_met(item, "opioids.ongoing.adverse-effects-and-aberrance") is not True


@pytest.mark.parametrize("note", ABERRANCE_NOTES)
def test_consistent_screen_with_aberrance_not_mentioned_is_not_enough(note):
    item = first_item(_case("Oxycodone 10mg #90", note.format(aberrance="")))
    assert criterion_met(item, "opioids.ongoing.adverse-effects-and-aberrance") is not True


# -- buprenorphine started to rotate off another opioid is judged on its indication; the monitoring of ongoing use is
# -- asked of buprenorphine the worker is already on (CPMTG pp. 26-27, 78) -------------------------------------------

ROTATION_NOTES = [
    # terse PR-2 shorthand
    "PR-2. Chronic LBP s/p laminectomy. MS Contin 60 mg bid (120 MED), poor effect. Plan: convert to Butrans 10 "
    "mcg/hr weekly, wean MS Contin over 3 wks. P: Butrans 10mcg/hr #4.",
    # SOAP
    "S: Neck and arm pain on hydrocodone 10/325 six a day for years, little benefit. A: Chronic cervical radiculitis. "
    "P: Begin buprenorphine patch 10 mcg/hr, taper hydrocodone off over a month. Butrans 10mcg/hr #4.",
    # long dictation
    "He has been maintained on high-dose oxycodone, 30 mg four times a day, with diminishing benefit. We will start "
    "transdermal buprenorphine, Butrans 10 mcg/hr, four patches, and reduce and stop the oxycodone over the coming "
    "weeks.",
]


@pytest.mark.parametrize("note", ROTATION_NOTES)
def test_buprenorphine_started_to_rotate_off_another_opioid_is_judged_on_its_indication(note):
    item = first_item(_case("Butrans 10mcg/hr patch #4", note))
    assert criterion_met(item, "bup.indication") is True
    assert criterion_met(item, "bup.monitoring") == "not judged"


# the twin: buprenorphine the worker is already on, with no check of appropriate use, is still asked for monitoring
CONTINUED_NOTES = [
    "PR-2. Chronic LBP. Butrans 10 mcg/hr q7d since 3/2014 after taper off MS Contin: pain 7 -> 4. Walking daily. "
    "P: Butrans 10mcg/hr #4.",
    "S: Neck pain, on buprenorphine patch 10 mcg/hr since last year, which replaced hydrocodone; pain 6/10 without, "
    "3/10 with. A: Chronic neck pain. P: Continue Butrans 10mcg/hr #4.",
    "He has now used transdermal buprenorphine for eight months since coming off oxycodone and says it cuts the pain "
    "by about half. We will continue Butrans 10 mcg/hr, four patches.",
]


@pytest.mark.parametrize("note", CONTINUED_NOTES)
def test_buprenorphine_already_in_use_is_still_asked_for_monitoring(note):
    item = first_item(_case("Butrans 10mcg/hr patch #4", note))
    assert criterion_met(item, "bup.monitoring") is None


# the other twin: a start in a worker on no opioid now (a restart after one was stopped) is still asked for monitoring
RESTART_NOTES = [
    "PR-2. Chronic LBP. Oxycodone stopped 2013. Now ibuprofen only, pain 7/10. P: Butrans 10mcg/hr #4.",
    "S: Neck pain; she came off hydrocodone last year and takes acetaminophen now. A: Chronic neck pain. "
    "P: Start Butrans 10mcg/hr #4.",
    "He was weaned from Norco two years ago and uses only naproxen at present. We would like to begin transdermal "
    "buprenorphine, Butrans 10 mcg/hr, four patches.",
]


@pytest.mark.parametrize("note", RESTART_NOTES)
def test_buprenorphine_started_in_a_worker_on_no_opioid_is_still_asked_for_monitoring(note):
    item = first_item(_case("Butrans 10mcg/hr patch #4", note))
    assert criterion_met(item, "bup.monitoring") is None
