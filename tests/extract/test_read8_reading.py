"""Criterion facts as clinicians write them (issue #11, read8): each phrasing that must count beside a twin
that must not, in the helper's own words (not copied from a letter, a gold case or a held-out set)."""

import pytest

from .criterion_facts import fact

NORCO = "Norco 10/325 #60"


@pytest.mark.parametrize(("text", "want"), [
    # today's score on the drug against the score without it
    ("Norco 10/325 bid. Pain is 5/10 today. Without meds it is 8/10.", True),
    ("Norco 10/325 bid. Pain is 8/10 today. Without meds it is 8/10.", False),  # no difference: no relief
    # today's score is the pain before the dose when a lower one with medication follows
    ("Norco 10/325 bid. NRS 8/10 today; with meds it drops to 4/10.", True),
    ("Norco 10/325 bid. NRS 8/10 today.", None),
    # a hedged percent after the verb
    ('Norco 10/325 bid. She says her meds help, "somewhat, maybe 25%."', True),
    ('Norco 10/325 bid. She says her meds help her sleep.', None),
    # relief in words with the medicines as the subject
    ("Norco 10/325 bid. The medications reduce her pain a little.", True),
    ("Norco 10/325 bid. The medications do not reduce her pain.", None),
])
def test_relief_with_medication_from_a_score_of_today(text, want):
    assert fact(NORCO, "pain.relief_with_medication", text) is want


EMG = "EMG/NCV right lower extremity"


@pytest.mark.parametrize(("text", "want"), [
    ("Exam: right EHL 4/5, getting weaker since the prior exam, weakening over two months.", True),
    ("Exam: right EHL 4/5 (5/5 in March). Knee jerk now absent.", True),
    ("Exam: right EHL 4/5 (4/5 in March).", None),  # the same grade then: no change read
    ("Exam: right EHL 4/5, unchanged since her surgery.", False),
    ("Calf numbness, no new weakness; right EHL 4/5 as before.", None),  # a denied change is not a change
    ("Since the last study she has new numbness over the dorsum of the foot. Decreased sensation L5 on the right.", True),
    # a complaint of more of a symptom is not a deficit found to have grown
    ("She complains of increased weakness in the right leg. Right EHL 4/5.", None),
])
def test_a_deficit_that_changed_or_stayed(text, want):
    assert fact(EMG, "finding.progressive_neurologic_deficit", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Back pain, the symptoms same as at the time of the last MRI. Neuro intact.", False),
    ("Leg tingling and exam unchanged from prior. Neuro intact.", False),
    ("Leg tingling is worse, not unchanged. Neuro intact.", None),
    ("Low back pain 5/10. Neuro intact.", None),
])
def test_symptoms_written_as_the_same_as_before(text, want):
    assert fact("Lumbar MRI repeat", "symptoms.significant_change", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Norco 10/325 bid. UDS: 5/2016 as expected, 10/2016 as expected.", 2),
    ("Norco 10/325 bid. UDS 6/16 and 11/16 both as expected.", 2),  # month/year or month/day: the same month
    ("Norco 10/325 bid. UDS 6/16 as expected; next office visit 11/16.", 1),  # another clause's date is no screen
])
def test_screens_listed_after_one_mention(text, want):
    assert fact(NORCO, "uds.count_past_year", text) == want


@pytest.mark.parametrize(("text", "want"), [
    ("Norco 10/325 bid. On it he is able to do yard work.", True),
    ("Norco 10/325 bid. He was able to obtain a refill.", None),
])
def test_what_the_worker_is_able_to_do(text, want):
    assert fact(NORCO, "function.documented", text) is want
