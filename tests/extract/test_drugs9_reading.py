"""Drug facts as PR-2s write them (issue #11, drugs9): each phrasing that must count beside a twin that must not, in
the helper's own words (not copied from a letter, a gold case or a held-out set)."""

import pytest

from .criterion_facts import fact

NORCO = "Norco 10/325 #60"


@pytest.mark.parametrize(("text", "want"), [
    # the agreement named bare in the monitoring line
    ("Norco bid. Agreement on file.", True),
    ("Norco bid. Pain agreement signed 2014.", True),
    ("Norco bid. Agreement updated 1/2015.", True),
    ("Norco bid. She is in agreement with the plan.", None),
    ("Norco bid. No signed agreement.", False),
    # a result stated as fine ends the negation of a list
    ("Norco bid. No aberrant behavior, CURES ok 2/2015, agreement signed.", True),
])
def test_opioid_agreement_as_written(text, want):
    assert fact(NORCO, "finding.opioid_agreement", text) is want


def test_the_negated_head_of_the_list_stays_negated():
    assert fact(NORCO, "finding.aberrant_behavior", "Norco bid. No aberrant behavior, CURES ok 2/2015, agreement signed.") is False


@pytest.mark.parametrize(("text", "want"), [
    # a score and the lower one it comes to, in the drug's sentence or the one after it
    ("On Norco 10 bid he reports pain of 8/10 reduced to 4/10.", True),
    ("Norco 10 bid. Pain 7 -> 3.", True),
    ("Norco 10 bid. Pain 3 -> 7.", None),  # a rise is no relief
    # the without/with pair written as bare numbers
    ("Norco 10/325 q12h. VAS 8 w/o, 3-4 w/.", True),
    ("Norco 10/325 q12h. VAS 8 w/o, 8 w/.", None),
    # a hedged percent
    ("On Norco she reports the pain reduced roughly 30%.", True),
    # another treatment's effect beside the drug is not the drug's
    ("Norco bid. After the injection pain 7 -> 3 for two weeks.", None),
])
def test_relief_with_medication_as_a_falling_score(text, want):
    assert fact(NORCO, "pain.relief_with_medication", text) is want


PPI = "Omeprazole 20mg #30"


@pytest.mark.parametrize(("text", "want"), [
    # a drug named only to deny it is not taken, alone or at the head of a list
    ("Meloxicam daily, no GI upset. No ASA/steroids/anticoag.", None),
    ("Naproxen 500 bid, no ulcer history, no aspirin.", False),  # the denied ulcer history is read as such
    ("Naproxen 500 bid. Denies aspirin or steroid use.", None),
    # the twins: the drug taken
    ("Naproxen 500 bid. Takes ASA 81 daily for her heart.", True),
    ("Naproxen 500 bid. On warfarin for atrial fibrillation.", True),
])
def test_a_denied_drug_is_no_gi_risk_factor(text, want):
    # the fact is None when nothing states a risk factor: never True for a drug named only to deny it
    assert fact(PPI, "finding.gi_risk_factors", text) is want


def test_no_relief_with_a_drug_still_names_it_as_taken():
    assert fact(NORCO, "medication.current", "No relief with Norco, continues it bid.") is True


@pytest.mark.parametrize(("request_", "text", "want"), [
    # a start verb starts the drug it governs, not another drug of the same topic later in the sentence
    ("Ambien 10mg #30", "On Ambien 10 nightly since 2013. Begin trazodone 50 qhs, with goal to taper off Ambien; "
                       "Ambien 10 #30 for this month.", True),
    ("Trazodone 50mg #30", "On Ambien 10 nightly since 2013. Begin trazodone 50 qhs, with goal to taper off Ambien.", False),
    # the twins: the drug started, or started beside another
    ("Lyrica 75mg #60", "Gabapentin failed. Start Lyrica 75 bid.", False),
    ("Lyrica 75mg #60", "On gabapentin 600 tid. Start Lyrica 75 bid, taper off gabapentin.", False),
    ("Lyrica 75mg #60", "On Lyrica 75 bid since May. Start Cymbalta, continue Lyrica.", True),
])
def test_which_drug_a_start_verb_starts(request_, text, want):
    assert fact(request_, "medication.current", text) is want


@pytest.mark.parametrize(("text", "want"), [
    # the prescriber's stated total when the regimen's own figures do not give it
    ("Fentanyl patch q72 + Percocet several a day. MED ~ 270.", 270.0),
    ("Regimen unchanged (MED 90).", 90.0),
    ("Taper done, MED 120 -> 60.", 60.0),
    ("Med refill today, regimen unchanged.", None),  # "med" for medication is no figure
])
def test_a_stated_morphine_equivalent_total(text, want):
    assert fact("Naloxone nasal spray 4mg", "medication.daily_med", text) == want


@pytest.mark.parametrize(("text", "want"), [
    # a symptom's score from one figure to a lower one, a symptom reduced by a percent
    ("Gabapentin 600 tid since 2015. Reports leg burning decreased from 8/10 to 4-5/10 on it.", True),
    ("She takes gabapentin 600 tid, which reduces the burning in her arm by about 30%.", True),
    ("Gabapentin 600 tid. Burning went from 3 to 7 since the fall.", None),  # a rise
    # a dose titrated up beside a pain score that falls: the pain's pair decides
    ("Gabapentin titrated 300 -> 600 tid in March; LBP 7->5 since.", True),
    ("Gabapentin titrated 300 -> 600 tid in March.", None),
])
def test_relief_of_a_neuropathic_symptom_as_written(text, want):
    assert fact("Gabapentin 600mg #90", "pain.relief_with_medication", text) is want


@pytest.mark.parametrize(("text", "want"), [
    # what the worker does on the drug, in the present tense
    ("Knee pain 5/10 with tramadol, 8/10 without. With tramadol ER she walks about 20 min, does her own shopping.", True),
    ("With a cane she walks 10 min.", None),  # an aid, not a drug
    # a falling score and what the worker is able to do
    ("Ultram 50 tid - pain 7->4, able to do laundry, cook, drive 20 min to PT.", True),
    ("Ultram 50 tid - pain 7->4.", None),
    ("Ultram 50 tid. Pain 7->4, unable to do laundry.", None),
])
def test_function_on_a_drug_as_written(text, want):
    assert fact("Tramadol ER 150mg #30", "finding.functional_improvement", text) is want
