"""Twin tests (our own words) for gf4read's readings: functional change and adverse effects as clinicians write them."""

from __future__ import annotations

import pytest

from .criterion_facts import fact

_FI = "finding.functional_improvement"
_AE = "finding.adverse_effects"


@pytest.mark.parametrize("text", [
    "Using the ketoprofen cream daily, letting him get through a day at the office.",
    "Tramadol 50 bid. Back to attending church on Sundays since it was started.",
    "Norco 5/325 bid. She is walking her dog and doing laundry; she couldn't do either without her medications.",
    "Hand therapy x 8: grip strength rose from 12 to 25 kg on the right.",
    "Lifting tolerance 30 lbs today, was 10 lbs in March.",
])
def test_function_gained_is_read(text):
    assert fact("Tramadol 50mg #60", _FI, text) is True


@pytest.mark.parametrize("text", [
    "On Skelaxin for 8 months. No objective change noted on exam or in ADLs.",
    "Norco 10/325 qid. No measurable improvement since the last visit.",
    "MS Contin 15 bid. He spends most of his days in a recliner watching TV.",
])
def test_function_unchanged_is_read(text):
    assert fact("Tramadol 50mg #60", _FI, text) is False


@pytest.mark.parametrize("text", [
    "Tried Robaxin in 2015 which made her drowsy, stopped after a week. Now on ibuprofen only.",
    "Nortriptyline was tried - too sedated in the morning, d/c'd. Motrin 600 prn.",
    "Previously tried Lyrica (dizziness) and Cymbalta (nausea). Using Aleve.",
    "Oral NSAIDs not tolerated (nausea). Acetaminophen prn.",
])
def test_effects_of_a_drug_given_up_are_not_the_regimens(text):
    assert fact("Lidoderm 5% patch #30", _AE, text) is None


@pytest.mark.parametrize("text", [
    "Zanaflex 4 mg hs. Little help for the spasm, and it makes him groggy at work.",
    "Gabapentin 300 tid: no change in the burning but it causes dizziness in the mornings.",
    "Baclofen gives her mental fogginess in the afternoon.",
])
def test_an_effect_the_drug_causes_is_read_past_an_earlier_no(text):
    assert fact("Tizanidine 4mg #30", _AE, text) is True


def test_a_caused_effect_denied_stays_denied():
    assert fact("Tizanidine 4mg #30", _AE, "Tizanidine 4 mg hs: helps the spasm and does not make him drowsy.") is False


def test_an_effect_now_gone_is_not_the_regimens():
    assert fact("Cymbalta 30mg #30", _AE, "Cymbalta 30 since May: dizziness the first week, now gone. Mood better.") is None
