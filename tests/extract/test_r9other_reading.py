"""Readings of non-drug requests as clinicians chart them (issue #11, r9other): each phrasing that must count
beside a twin that must not, in the helper's own words (not copied from a letter, a gold case or a held-out set)."""

import pytest

from openimr.extract import facts as F

from .criterion_facts import fact

PRIOR_FN = "treatment.prior_same.functional_improvement"


@pytest.mark.parametrize(("text", "want"), [
    ("Tramadol use went from 3 tabs/day to 1 tab/day over the month.", True),
    ("Tramadol use went from 1 tab/day to 3 tabs/day over the month.", False),  # a rise is no reduction
    ("Ibuprofen dropped from 3 a day to 1.", True),
    ("Ibuprofen went from 2 to 2.", False),
])
def test_a_drug_given_before_and_after_is_compared(text, want):
    assert F._med_reduced(text) is want


@pytest.mark.parametrize(("text", "want"), [
    # a home unit trial whose effect on the drug is told in the sentence after it
    ("He finished a one-month home TENS trial in May. Pain scores with TENS 8/10 -> 5/10 for a few hours. "
     "Tramadol use went from 3 tabs/day to 1 tab/day during the trial.", True),
    ("He finished a one-month home TENS trial in May. Pain scores with TENS 8/10 -> 5/10 for a few hours. "
     "Tramadol use went from 1 tab/day to 3 tabs/day during the trial.", None),
])
def test_a_trial_that_cut_the_drug_improved_function(text, want):
    assert fact("TENS unit purchase", PRIOR_FN, text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Elbow flexion has improved from 90 to 125 degrees.", True),
    ("AROM: abduction 70 -> 110, ER 15 -> 40.", True),
    ("Elbow flexion 90 to 125 degrees today.", None),  # an arc measured once, not a gain
    ("Elbow flexion went from 125 to 90 degrees.", None),  # motion lost
    ("Flexion improved from 90 to 125 degrees, but the Oswestry is unchanged at 40%.", None),
])
def test_motion_measured_again_and_larger(text, want):
    assert F._function_improved(text) is want


@pytest.mark.parametrize(("text", "want"), [
    # a completed post-operative course, its outcome charted under a motion label in the lines after it
    ("s/p left elbow arthroscopy 10/20/2016. Completed 10 PT visits. Incisions healed.\n"
     "PROM: flexion 90 -> 130, extension -30 -> -10.", True),
    ("s/p left elbow arthroscopy 10/20/2016. Completed 10 PT visits. Incisions healed.\n"
     "PROM: flexion 130 -> 90.", None),
])
def test_post_operative_course_outcome_under_a_motion_label(text, want):
    assert fact("Additional post-operative physical therapy x 8 visits, left elbow", PRIOR_FN, text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("s/p R TKA 10/4/2016, now 10 weeks out. Completed 12 PT visits.", "knee arthroplasty"),
    ("s/p R knee arthroscopy 10/4/2016, now 10 weeks out. Completed 12 PT visits.", "knee arthroscopy"),
])
def test_a_joint_replacement_by_its_abbreviation(text, want):
    assert fact("Additional post-operative physical therapy 2x6 right knee", "treatment.surgery.type", text) == want
