"""Drug benefit as notes write it (issue #11, r9drug): each phrasing that must count beside a twin that must not, in
the helper's own words (not copied from a letter, a gold case or a held-out set)."""

import pytest

from .criterion_facts import fact

MOBIC = "Meloxicam 15mg #30"
ELAVIL = "Nortriptyline 25mg #30"
OXY = "Oxycodone 10mg #90"


@pytest.mark.parametrize(("text", "want"), [
    # the drug that helps, and the scores it brings
    ("Back ache 6/10. Meloxicam helps when it flares, 6 -> 3/10. Plan: meloxicam 15 daily.", True),
    ("Back ache 6/10. Meloxicam helps when it flares, 3 -> 6/10. Plan: meloxicam 15 daily.", None),  # a rise
    ("Back ache 6/10. Meloxicam, 6/10. Plan: meloxicam 15 daily.", None),
])
def test_a_drug_that_helps_with_the_scores_it_brings(text, want):
    assert fact(MOBIC, "pain.relief_with_medication", text) is want


@pytest.mark.parametrize(("text", "want"), [
    # the lower score first, the earlier one after "from", in the sentence after the drug's
    ("Nortriptyline 25 mg started in May. Since then foot burning is a bit lower (5/10 from 7/10).", True),
    ("Nortriptyline 25 mg started in May. Since then foot burning is a bit lower (7/10 from 5/10).", None),  # a rise
    ("Nortriptyline 25 mg started in May. Foot burning 7/10.", None),
])
def test_the_lower_score_written_before_the_earlier_one(text, want):
    assert fact(ELAVIL, "pain.relief_with_medication", text) is want


@pytest.mark.parametrize(("text", "want"), [
    # a disability index lower than it was
    ("Oxycodone 10 tid. Oswestry 28% (was 50% before starting opioids).", True),
    ("Oxycodone 10 tid. NDI down from 44 to 26.", True),
    ("Oxycodone 10 tid. Oswestry 50% (was 28% last year).", None),  # worse function is no gain
    ("Oxycodone 10 tid. Oswestry 40%.", None),
    # more work than before
    ("Oxycodone 10 tid. Works full time on the loading dock (was part time until spring).", True),
    ("Oxycodone 10 tid. Works part time on the loading dock.", None),
])
def test_function_gained_on_a_scale_or_at_work(text, want):
    assert fact(OXY, "finding.functional_improvement", text) is want


RELISTOR = "Relistor 12mg/0.6mL #7"


@pytest.mark.parametrize(("text", "want"), [
    # a first-line laxative taken, the constipation not kept in check by it
    ("Oxycodone 10 tid. Docusate 100 bid for 2 months, still constipated. Plan: Relistor.", True),
    # the constipation held by the first-line laxative: no failure
    ("Oxycodone 10 tid. Constipation managed with docusate 100 bid. Plan: Relistor.", False),
    ("Oxycodone 10 tid. Constipation not controlled with docusate 100 bid. Plan: Relistor.", True),
    # no first-line laxative in the medication list: no trial
    ("Oxycodone 10 tid, gabapentin 300 tid. Plan: Relistor.", False),
])
def test_first_line_laxative_failed(text, want):
    assert fact(RELISTOR, "medication.laxative_first_line_failed", text) is want


def test_a_first_line_laxative_request_is_not_second_line():
    assert fact("Docusate 100mg #60", "request.second_line_laxative", "Oxycodone 10 tid. Constipated.") is False
    assert fact(RELISTOR, "request.second_line_laxative", "Oxycodone 10 tid. Constipated.") is True


@pytest.mark.parametrize(("text", "want"), [
    # relief from another drug beside doubt about the requested one: the requested drug's own statement
    ("Ibuprofen helps on bad days 6 -> 3/10. Gabapentin 300 tid since June - unsure it does anything.", False),
    ("Ibuprofen helps on bad days 6 -> 3/10. Gabapentin 300 tid since June.", True),
])
def test_another_drugs_relief_does_not_outweigh_doubt_about_the_requested_one(text, want):
    assert fact("Gabapentin 300mg #90", "pain.relief_with_medication", text) is want


OXY_Q6 = "Oxycodone 10mg #120"


@pytest.mark.parametrize(("name", "text", "want"), [
    # the 4 A's as headed lines
    ("finding.aberrant_behavior", "Oxycodone f/u. Aberrant behavior -- none; one pharmacy. Plan: oxycodone #120.", False),
    ("finding.aberrant_behavior", "Oxycodone f/u. Aberrant behavior: early refill twice. Plan: oxycodone #120.", True),
    ("finding.adverse_effects", "Oxycodone f/u. Adverse effects -- denies sedation or nausea. Plan: oxycodone #120.", False),
    ("finding.adverse_effects", "Oxycodone f/u. Adverse effects -- mild sedation. Plan: oxycodone #120.", True),
    # a prescribed drug absent from the screen
    ("finding.uds_consistent", "Oxycodone 10 q6h prn. Urine drug screen 3/1: oxycodone not detected. Plan: refill.", False),
    ("finding.uds_consistent", "Oxycodone 10 q6h prn. Urine drug screen 3/1: oxycodone detected, as prescribed. Plan: refill.", True),
    # aberrance as written
    ("finding.aberrant_behavior", "Oxycodone 10 q6h. A: unsanctioned use of a relative's clonazepam. Plan: refill.", True),
    ("finding.aberrant_behavior", "Oxycodone 10 q6h. Pharmacy report shows fills from outside prescribers. Plan: refill.", True),
    ("finding.aberrant_behavior", "Oxycodone 10 q6h. This is a violation of his opioid contract. Plan: refill.", True),
    ("finding.aberrant_behavior", "Oxycodone 10 q6h. No violation of the opioid contract. Plan: refill.", False),
])
def test_opioid_monitoring_as_written(name, text, want):
    assert fact(OXY_Q6, name, text) is want


@pytest.mark.parametrize(("text", "want"), [
    # a topical's local reaction is an adverse effect of it
    ("Diclofenac gel to the knee for 6 weeks, helps. Some redness under the gel, settles when she moves it. Plan: refill.", True),
    ("Diclofenac gel to the knee for 6 weeks, helps. Denies redness under the gel. Plan: refill.", False),
])
def test_a_topicals_local_reaction(text, want):
    assert fact("Voltaren gel 1% 100g", "finding.adverse_effects", text) is want
