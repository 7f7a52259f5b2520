"""Reading at the level criteria use (issue #11, read10): each phrasing that must count beside a twin that must not,
written in the helper's own words (not copied from a letter, a gold case or a held-out set)."""

import pytest

from .criterion_facts import fact


@pytest.mark.parametrize(("text", "want"), [
    # the nerve-root tension tests document radicular pain either way
    ("Exam: straight leg raise negative on both sides. Motor 5/5.", False),
    ("Exam: SLR neg bil. Gait normal.", False),
    ("Exam: SLR positive on the right at 30 degrees.", True),
    ("Spurling's test positive on the left.", True),
    ("Spurling negative. Neck ROM limited.", False),
    # a limb pain stated beside a negative test still counts
    ("Pain radiates down the left leg to the foot. SLR negative.", True),
    # a test that is not a nerve-root test says nothing of it
    ("McMurray negative. Knee effusion.", None),
])
def test_nerve_tension_tests_read_as_radicular_pain(text, want):
    assert fact("Lumbar ESI L4-5", "finding.radicular_pain", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Since the discectomy his leg pain has resolved.", False),
    ("Arm symptoms resolved after the injection.", False),
    ("Buttock ache that is not below the knee.", False),
    ("She gets pain shooting from the hip over the right lateral thigh.", True),
    ("Shooting pain down the left lateral thigh to the knee.", True),
    ("Aching over the right shoulder blade.", None),
])
def test_radicular_pain_gone_stopping_short_or_reaching_far(text, want):
    assert fact("Lumbar ESI L4-5", "finding.radicular_pain", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("Exam: sensory loss over the left L5 dermatome.", True),
    ("Exam: diminished light touch over the right lateral calf.", True),
    ("Exam: no loss of sensation in either leg.", False),
    # numbness in a stocking pattern or one peripheral nerve's territory is not a root's
    ("Numbness of both feet in a stocking pattern.", False),
    ("Decreased sensation in a peroneal nerve distribution, left foot.", False),
    ("Decreased sensation in the left C6 dermatome.", True),
])
def test_dermatomal_sensory_loss_as_written(text, want):
    assert fact("EMG/NCV bilateral lower extremities", "finding.dermatomal_sensory_loss", text) is want


@pytest.mark.parametrize(("text", "want"), [
    # the specialty seen is not an operation done
    ("Orthopedic surgery follow-up. Persistent numbness despite splinting. Plan: right carpal tunnel release.", None),
    ("Hand surgery re-evaluation today. Plan: right carpal tunnel release.", None),
    # an operation done on the same part is
    ("S/p right carpal tunnel release 2013, symptoms recurred. Plan: revision right carpal tunnel release.", True),
])
def test_surgical_specialty_is_not_a_prior_surgery(text, want):
    assert fact("Right carpal tunnel release", "request.is_repeat", text) is want


@pytest.mark.parametrize(("text", "want"), [
    # a deficit getting worse is a red flag even where bowel and bladder are normal
    ("Left L5 radiculopathy. EHL 3/5 on the left, down from 4/5 last month: progressive weakness. Bladder function normal.", True),
    ("Cervical stenosis. Grip 4/5 bilaterally (5/5 in March). No bowel or bladder change.", True),
    # a shoulder muscle weaker after a cuff re-tear is not a nerve's red flag
    ("Rotator cuff re-tear. Supraspinatus 3/5 (5/5 in March).", None),
    # a deficit that is steady is not
    ("EHL 4/5 on the left, unchanged. No bowel or bladder change.", False),
])
def test_progressive_deficit_is_a_red_flag(text, want):
    assert fact("MRI lumbar spine without contrast", "finding.red_flags", text) is want


@pytest.mark.parametrize(("text", "want"), [
    # the prescribed opioid missing from the screen is an inconsistent result
    ("Norco 10/325 bid. UDS 11/2016: negative for hydrocodone.", False),
    ("Norco 10/325 bid. UDS 11/2016: consistent with prescribed hydrocodone.", True),
])
def test_screen_missing_the_prescribed_opioid_is_inconsistent(text, want):
    assert fact("Norco 10/325 #60", "finding.uds_consistent", text) is want


@pytest.mark.parametrize(("text", "want"), [
    # a screen dated by a year long past is not one of the past year
    ("Norco 10/325 bid. A urine drug screen was last done in 2013 and was consistent.", 0),
    ("Norco 10/325 bid. UDS 10/2016 consistent.", 1),
])
def test_screen_dated_by_its_year(text, want):
    assert fact("Norco 10/325 #60", "uds.count_past_year", text) == want


@pytest.mark.parametrize(("text", "want"), [
    # straight leg raises done as an exercise are a home program, not the examiner's test
    ("He does quad sets and straight leg raises at home every day.", True),
    ("Continue hamstring strengthening at home.", True),
    ("She stopped her home exercises in the spring.", False),
])
def test_home_program_as_written(text, want):
    assert fact("Right knee intra-articular injection", "finding.home_exercise_program", text) is want


@pytest.mark.parametrize(("text", "want"), [
    ("He does quad sets and straight leg raises at home every day.", None),
    ("Exam: straight leg raise positive on the left at 45 degrees.", True),
])
def test_straight_leg_raise_exercise_is_not_the_test(text, want):
    assert fact("Lumbar ESI L4-5", "finding.radicular_pain", text) is want


@pytest.mark.parametrize(("text", "want"), [
    # a plain analgesic is given for the pain the note places or explains
    ("Fell on the outstretched hand. XR: nondisplaced distal radius fx. Pain 8/10. Plan: acetaminophen 500 mg #60.", True),
    ("Assessment: lumbar strain. Pain 7/10. Plan: acetaminophen 500 mg #60.", True),
    # a bare score names no condition; nor does a fracture ruled out
    ("F/U. Pain 5/10. Plan: acetaminophen 500 mg #60.", None),
    ("X-ray negative for fx. Pain 5/10. Plan: acetaminophen 500 mg #60.", None),
])
def test_analgesic_indication_is_the_documented_painful_condition(text, want):
    assert fact("Acetaminophen 500 mg #60", "medication.indication_documented", text) is want


def test_opioid_indication_asks_more_than_a_painful_condition():
    assert fact("Norco 5/325 #20", "medication.indication_documented",
                "Assessment: lumbar strain. Pain 7/10. Plan: Norco 5/325 #20.") is None


@pytest.mark.parametrize(("text", "want"), [
    # a grade below full beside a full one is weakness
    ("Exam: EHL 4/5 on the left, 5/5 on the right.", True),
    ("Exam: plantarflexion 4/5 (5/5 in March).", True),
    ("Exam: strength 5/5 in both legs.", False),
])
def test_grade_below_full_beside_a_full_one_is_weakness(text, want):
    assert fact("EMG/NCV bilateral lower extremities", "finding.motor_weakness", text) is want
