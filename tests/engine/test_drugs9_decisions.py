"""Issue #11 (drugs9): drug decisions by class. Each rule has a twin it must not break; the records are written here
in our own shorthand, none taken from a held-out set or a real letter."""

from __future__ import annotations

from one_note import criteria_met, first_item, one_note_case

from openimr.models.case import CaseFile


def _case(request: str, note: str, *, date: str = "2015-03-10", doi: str = "2012-04-02",
          extra_docs: list[dict] | None = None) -> CaseFile:
    return one_note_case(request, note, doi=doi, age=47, date=date, extra_docs=extra_docs, case_number="DR-1")


_criteria = criteria_met


# -- tramadol is an opioid: a first trial needs baseline pain and function (CPMTG steps before an opioid trial) --

TRAMADOL_NEW = "Clinic note. {body} Tried ibuprofen for 6 weeks without enough relief. Plan: start Ultram 50 mg bid #60."


def test_a_first_tramadol_trial_with_no_baseline_pain_or_function_is_not_supported():
    item = first_item(_case("Ultram 50mg #60", TRAMADOL_NEW.format(body="R elbow lateral epicondylitis.")))
    assert item.topic == "tramadol"
    assert _criteria(item)["tramadol.initiation.baseline-and-goals"] is None
    assert item.decision == "Upheld"


def test_a_first_tramadol_trial_with_baseline_pain_and_function_is_supported():
    body = "R elbow lateral epicondylitis, pain 7/10. Works modified duty, no lifting over 10 lbs."
    item = first_item(_case("Ultram 50mg #60", TRAMADOL_NEW.format(body=body)))
    assert _criteria(item)["tramadol.initiation.baseline-and-goals"] is True
    assert item.decision == "Overturned"


# -- continuing an opioid: a return to work counts (CPMTG "when to continue"); the aberrance side shown by monitoring --

NORCO = ("PR-2. Chronic neck pain since 2012. Norco 10/325 bid: pain 8/10 without, 4/10 with. {work} "
         "UDS 1/2015 consistent. CURES reviewed, single prescriber. {agreement} Plan: Norco 10/325 #60.")


def test_an_opioid_continued_for_a_worker_back_at_full_duty_with_monitoring_is_supported():
    note = NORCO.format(work="Returned full duty 11/2014 as a forklift driver.", agreement="Agreement on file.")
    item = first_item(_case("Norco 10/325mg #60", note))
    crit = _criteria(item)
    assert crit["opioids.ongoing.function"] is True
    assert crit["opioids.ongoing.adverse-effects-and-aberrance"] is True
    assert item.decision == "Overturned"


def test_an_opioid_continued_with_no_function_and_no_agreement_is_not_supported():
    note = NORCO.format(work="Remains off work.", agreement="")
    item = first_item(_case("Norco 10/325mg #60", note))
    crit = _criteria(item)
    assert crit["opioids.ongoing.function"] is not True
    assert crit["opioids.ongoing.adverse-effects-and-aberrance"] is None
    assert item.decision == "Upheld"


def test_an_inconsistent_screen_does_not_show_the_aberrance_side():
    note = NORCO.format(work="Returned full duty 11/2014.", agreement="Agreement on file.").replace(
        "UDS 1/2015 consistent", "UDS 1/2015 positive for cocaine")
    item = first_item(_case("Norco 10/325mg #60", note))
    assert _criteria(item)["opioids.ongoing.adverse-effects-and-aberrance"] is not True
    assert item.decision == "Upheld"


# -- an opioid for the pain of a surgery: acute pain, not a chronic trial; it follows a disputed surgery's decision --

from one_note import documents_case  # noqa: E402

OP_REPORT = ("operative_report", "2015-03-02", "OPERATIVE REPORT 3/2/15. Left knee arthroscopy, partial medial meniscectomy. "
             "No complications.")
POSTOP_NOTE = "Post-op visit, knee pain 6/10 at night, portals clean. Plan: Percocet 5/325 1 q6h prn #30, then Tylenol."


def test_an_opioid_a_week_after_a_documented_operation_is_a_post_operative_course():
    case = documents_case(["Percocet 5/325mg #30"], [OP_REPORT, ("progress_note", "2015-03-09", POSTOP_NOTE)],
                          doi="2014-11-03", rfa_date="2015-03-09", ur_date="2015-03-16", age=44, case_number="DR-2")
    item = first_item(case)
    crit = _criteria(item)
    assert "opioids.initiation.first-line" not in crit  # the chronic trial's step does not apply
    assert crit["opioids.initiation.indication"] is True
    assert item.decision == "Overturned"


def test_an_opioid_months_after_the_operation_is_a_chronic_trial_again():
    late = ("progress_note", "2015-09-09", POSTOP_NOTE.replace("Post-op visit", "Six months after surgery"))
    case = documents_case(["Percocet 5/325mg #30"], [OP_REPORT, late],
                          doi="2014-11-03", rfa_date="2015-09-09", ur_date="2015-09-16", age=44, case_number="DR-3")
    item = first_item(case)
    assert "opioids.initiation.first-line" in _criteria(item)
    assert item.decision == "Upheld"


def test_a_surgery_named_in_todays_note_without_its_report_is_not_an_operation_of_today():
    note = "Chronic LBP, s/p L4-5 fusion 2011. Norco helps some. Plan: start Percocet 5/325 #30."
    item = first_item(_case("Percocet 5/325mg #30", note))
    assert "opioids.initiation.first-line" in _criteria(item)


SURGERY_NOTE = ("Spine consult. Axial low back pain 5 months, no leg symptoms. MRI: mild L4-5 disc desiccation, no "
                "instability, no stenosis. {plan}")


def test_a_post_operative_opioid_follows_a_disputed_surgery_that_is_not_supported():
    note = SURGERY_NOTE.format(plan="Plan: L4-5 fusion; Norco 10/325 #60 for post-op pain.")
    case = documents_case(["Lumbar fusion L4-5", "Norco 10/325mg #60 post-operative"],
                          [("progress_note", "2015-03-10", note)], doi="2014-10-01", rfa_date="2015-03-10",
                          ur_date="2015-03-20", age=50, case_number="DR-4")
    draft = review_case_items(case)
    assert draft[0].decision == "Upheld"
    norco = draft[1]
    assert _criteria(norco)["associated.procedure-necessary"] is False
    assert norco.decision == "Upheld"


def test_an_opioid_disputed_beside_a_surgery_without_post_operative_words_is_judged_on_its_own():
    note = SURGERY_NOTE.format(plan="Plan: L4-5 fusion; Norco 10/325 #60.")
    case = documents_case(["Lumbar fusion L4-5", "Norco 10/325mg #60"],
                          [("progress_note", "2015-03-10", note)], doi="2014-10-01", rfa_date="2015-03-10",
                          ur_date="2015-03-20", age=50, case_number="DR-5")
    norco = review_case_items(case)[1]
    assert "associated.procedure-necessary" not in _criteria(norco)


def review_case_items(case):
    from openimr.engine import review_case

    return review_case(case)[0].items


# -- sleep: the hypnotics' short-term limit, and a sedating antidepressant for insomnia with depression (ODG) --

SLEEP = ("PR-2. Chronic low back pain since 2012. {dx} Sleeps 4 h, wakes at 3 AM, tired at work. {drug} nightly since "
         "6/2013, sleep up to 6 h on it. Plan: refill {drug} #30.")


def test_trazodone_for_insomnia_with_depression_is_not_held_to_the_hypnotic_weeks():
    note = SLEEP.format(dx="Major depressive disorder, on sertraline with the psychiatrist; insomnia.", drug="Trazodone 50 mg")
    item = first_item(_case("Trazodone 50mg #30", note))
    assert "sleep-aids.short-term-only" not in _criteria(item)
    assert item.decision == "Overturned"


def test_zolpidem_for_the_same_worker_is_still_held_to_the_hypnotic_weeks():
    note = SLEEP.format(dx="Major depressive disorder, on sertraline with the psychiatrist; insomnia.", drug="Ambien 10 mg")
    item = first_item(_case("Ambien 10mg #30", note))
    assert _criteria(item)["sleep-aids.short-term-only"] is False
    assert item.decision == "Upheld"


def test_trazodone_for_insomnia_without_depression_is_held_to_the_hypnotic_weeks():
    note = SLEEP.format(dx="Insomnia due to pain; mood good, no depression.", drug="Trazodone 50 mg")
    item = first_item(_case("Trazodone 50mg #30", note))
    assert _criteria(item)["sleep-aids.short-term-only"] is False
    assert item.decision == "Upheld"


# -- NSAIDs: a contraindication the record names; benefit asked once pain is chronic; a sign is a symptom --

NSAID = "PR-2. Chronic low back pain since 2012, 6/10. {pmh} Naproxen 500 bid helps, pain 7 -> 4 on it. Plan: naproxen 550 #60."


def test_an_nsaid_for_a_worker_with_chronic_kidney_disease_is_not_supported():
    item = first_item(_case("Naproxen 550mg #60", NSAID.format(pmh="PMH: CKD stage 3, followed by nephrology.")))
    assert _criteria(item)["nsaids.no-contraindication"] is False
    assert item.decision == "Upheld"


def test_an_nsaid_for_a_worker_on_an_anticoagulant_is_not_supported():
    item = first_item(_case("Naproxen 550mg #60", NSAID.format(pmh="On warfarin for atrial fibrillation.")))
    assert _criteria(item)["nsaids.no-contraindication"] is False
    assert item.decision == "Upheld"


def test_an_nsaid_with_none_of_them_documented_is_supported():
    item = first_item(_case("Naproxen 550mg #60", NSAID.format(pmh="PMH: HTN, controlled. No kidney disease.")))
    assert _criteria(item)["nsaids.no-contraindication"] is True
    assert item.decision == "Overturned"


ACUTE = ("PR-2. Neck strain in a rear-end collision 2 weeks ago. Neck pain, stiffness, no arm symptoms. Took OTC ibuprofen "
         "200 for a few days. Plan: ibuprofen 800 tid #90, PT.")


def test_an_nsaid_in_the_first_weeks_after_an_injury_is_not_asked_for_the_benefit_of_a_chronic_course():
    item = first_item(_case("Ibuprofen 800mg #90", ACUTE, doi="2015-02-24", date="2015-03-10"))
    assert "nsaids.ongoing.benefit" not in _criteria(item)
    assert item.decision == "Overturned"


def test_an_nsaid_taken_for_years_is_still_asked_for_its_benefit():
    note = ACUTE.replace("in a rear-end collision 2 weeks ago", "since a 2011 collision").replace(
        "Took OTC ibuprofen 200 for a few days", "On ibuprofen 800 tid since 2012")
    item = first_item(_case("Ibuprofen 800mg #90", note, doi="2011-02-24", date="2015-03-10"))
    assert _criteria(item)["nsaids.ongoing.benefit"] is None
    assert item.decision == "Upheld"


def test_a_complaint_and_signs_without_a_pain_score_are_the_symptoms_an_nsaid_treats():
    note = "PR-2. c/o LBP R > L into the buttock. SLR + R at 45 deg, facet loading +. Plan: naproxen 550 bid #60."
    item = first_item(_case("Naproxen 550mg #60", note))
    assert _criteria(item)["nsaids.indication"] is True


def test_a_note_with_no_complaint_sign_or_diagnosis_gives_an_nsaid_no_indication():
    note = "PR-2. Here for a medication refill. Plan: naproxen 550 bid #60."
    item = first_item(_case("Naproxen 550mg #60", note))
    assert _criteria(item)["nsaids.indication"] is not True


def test_nsaid_refills_commit_to_use_before_reassessment():
    item = first_item(_case("Naproxen 550mg #60 with 3 refills", NSAID.format(pmh="PMH: HTN, controlled.")))
    assert _criteria(item)["nsaids.supply-reassessed"] is False
    assert item.decision == "Upheld"


def test_a_single_nsaid_supply_is_not_held_to_refills():
    item = first_item(_case("Naproxen 550mg #60", NSAID.format(pmh="PMH: HTN, controlled.")))
    assert _criteria(item)["nsaids.supply-reassessed"] is True
