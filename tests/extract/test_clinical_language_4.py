"""Clinical language as clinicians write it (issue #11, fourth pass): what a continuing drug lets the worker do,
written after the drug or after "on"/"with" it, a whole shift worked, an activity taken up again, and pain on
a patch; each with the twins that must not count (negated, an exam, an aid, a goal, a fall)."""

from __future__ import annotations

import pytest

from openimr.extract import extract_facts
from openimr.models.case import CaseFile


def _case(*texts: str) -> CaseFile:
    return CaseFile.model_validate({
        "case_number": "CL-4",
        "injured_worker": {"age": 50, "sex": "female", "date_of_injury": "2013-05-02"},
        "request_for_authorization": {"date": "2016-02-03"},
        "disputed_items": [{"request": "Tramadol 50 mg #120", "ur_decision": "non-certified"}],
        "documents": [{"id": f"d{i}", "type": "progress_note", "date": "2016-02-02", "text": t}
                      for i, t in enumerate(texts)],
    })


def _function(text: str) -> set[bool]:
    return {f.present for f in extract_facts(_case(text)).findings if f.name == "functional_improvement"}


@pytest.mark.parametrize("text", [
    "S: VAS 8/10 w/o meds, 4/10 w/ meds. With Norco he can walk ~40 min w/ dog and do yardwork in short bouts.",
    "S: Shoulder ache 7/10 w/o meds. On tramadol able to sleep through night, do laundry, carry groceries.",
    "On tramadol ER 150 daily, he is able to work 4-hr shifts.",
    "Naproxen 550 BID from 2012-2013 brought pain down to 3-4/10 and let her finish shifts.",
    "Naproxen 500 BID - brings pain to 3-4/10, can do full shift on light line, cook dinner.",
    "Using Lidoderm samples x 6 wks: able to wear work belt & do full 8h shift, sleeping through night.",
    "With Norco he tolerates his modified-duty shift (dispatch desk, 6 hrs).",
    "Started duloxetine in 3/2016: mood better, back to walking 20 min daily and church on Sundays.",
])
def test_function_on_a_continuing_drug(text):
    assert True in _function(text)


@pytest.mark.parametrize("text", [
    "On exam able to heel and toe walk.",  # an exam, not a drug
    "With assistance she can walk 10 feet.",  # an aid
    "On Mondays he can walk to the store.",  # a time
    "Unable to do a full shift even with Norco.",
    "He cannot complete a full shift.",
    "Not able to do full shift.",
    "Not back to walking yet.",
    "Pain back to baseline 8/10.",
    "Does not tolerate full shifts.",
])
def test_what_is_not_function_on_the_drug(text):
    assert True not in _function(text)


def _pain(text: str) -> list[tuple[float, str | None]]:
    return [(p.score, p.context) for p in extract_facts(_case(text)).pain]


def test_pain_on_and_off_a_patch():
    assert _pain("R groin burning pain 6/10 w/ patch, 8/10 w/o.") == [(6.0, "with medication"), (8.0, "without medication")]


def _courses(text: str) -> list[tuple[str, int | None, bool | None]]:
    return [(t.kind, t.sessions, t.response.symptoms_improved if t.response else None)
            for t in extract_facts(_case(text)).treatments]


@pytest.mark.parametrize("text,kind", [
    ("Completed 12 PT 2013 and another 8 in 2014 (last 10/2014) - \"helped while doing it\".", "physical therapy"),
    ("Tried chiropractic 6 visits 2014, no lasting change.", "chiropractic"),
    ("Had 24 chiro visits 2013 - felt better for a day or two after each.", "chiropractic"),
    ("Acupuncture x 6: relief lasts \"a day or two\".", "acupuncture"),
])
def test_help_that_lasted_only_while_it_was_given_is_a_course_that_failed(text, kind):
    assert (kind, False) in {(k, s) for k, _, s in _courses(text)}


@pytest.mark.parametrize("text,kind", [
    ("PT x 12 in 2014 helped a lot, back to full duty.", "physical therapy"),
    ("Diagnostic MBB L4-5: 80% relief for 6 hours.", "medial branch block"),  # a block is read in hours
])
def test_twins_help_that_lasted(text, kind):
    assert (kind, False) not in {(k, s) for k, _, s in _courses(text)}


def test_occupational_therapy_and_chiro_as_written():
    kinds = {(k, n) for k, n, _ in _courses("Prior tx: OT 18 visits incl desensitization; 24 chiro visits 2013.")}
    assert ("physical therapy", 18) in kinds and ("chiropractic", 24) in kinds


def test_a_total_count_after_a_colon():
    assert ("chiropractic", 36) in {(k, n) for k, n, _ in _courses(
        "Total chiro visits since 2011: 36 (last course 3/2015-5/2015).")}
    # twins: a date or a time after the colon is not a count
    assert all(n is None for _, n, _ in _courses("PT visits: 12/2015 to 2/2016."))


def test_the_next_sentence_about_a_drug_is_not_the_courses_outcome():
    # "decreases pain" belongs to meloxicam, not to the chiropractic course named before it
    assert ("chiropractic", 6, True) not in _courses("Chiro x 6 2012. Meloxicam 7.5 qd - decreases pain ~2 pts (7->5).")
    # the twin: the next sentence about the same course still reports its outcome
    assert ("chiropractic", 6, True) in _courses("Chiro x 6 in 2012. Chiropractic helped a lot.")


def _course(text: str, kind: str):
    ts = [t for t in extract_facts(_case(text)).treatments if t.kind == kind and t.response is not None]
    return ts[0].response if ts else None


def test_a_psychologists_progress_report_on_the_course_it_names():
    note = ("Psychology progress report (CBT for chronic pain), sessions 1-4 (8/8 - 8/29/17)\n"
            "Baseline 8/8: BDI-II 32, PCS 36; walking <10 min, not working.\n"
            "Session 4: BDI-II 21, PCS 24. Using pacing. Resumed part-time work 4 h/d (modified) 8/28.\n")
    r = _course(note, "cognitive behavioral therapy")
    assert r is not None and r.function_improved is True


def test_an_acupuncturists_summary_with_its_scores():
    note = ("Acupuncture progress summary (L.Ac.) - 6 of 6 tx completed 8/25-9/29/15.\n"
            "Pre: VAS 7/10, walk 15 min. Post: VAS 4/10, walk 30 min. Oswestry 48% -> 32%.\n")
    r = _course(note, "acupuncture")
    assert r is not None and r.function_improved is True


def test_a_physicians_progress_report_still_is_not_the_courses_report():
    # the twin: a treating physician's report names a course in passing; a later return to work is not its result
    note = ("PR-2 progress report (PTP) - had 6 acupuncture sessions 2014\nS: LBP 6/10.\n"
            "Work: resumed part-time work after the knee surgery.\n")
    r = _course(note, "acupuncture")
    assert r is None or r.function_improved is not True


def test_a_drug_cut_down_after_the_course():
    r = _course("Finished 6 acupuncture visits. Pt reports he has cut down Norco from 4/day to 2/day.", "acupuncture")
    assert r is not None and r.medication_reduced is True


def _cue(text: str, name: str) -> set[bool]:
    return {c.present for c in extract_facts(_case(text)).cues if c.name == name}


@pytest.mark.parametrize("text", [
    "P: MRI R shoulder - ortho referral if tear.",
    "Plan: refer to spine surgeon for evaluation.",
    "P: Urgent repeat MRI L-spine. Neurosurgery consult.",
])
def test_a_referral_to_a_surgeon_is_surgery_considered(text):
    assert True in _cue(text, "plan_surgery")


@pytest.mark.parametrize("text", [
    "No ortho referral needed.",
    "Orthopedic surgeon's note reviewed.",  # a surgeon named, not a referral
    "Referred to PT.",
])
def test_twins_not_a_surgical_referral(text):
    assert True not in _cue(text, "plan_surgery")


def test_rfa_the_ablation_beside_a_side_or_after_a_procedure_word():
    done = _courses("After RFA 4/2016: ~70% relief through ~11/2016 (7 mo), stopped Norco entirely.")
    assert ("radiofrequency ablation", None, None) in done
    t = next(t for t in extract_facts(_case("After RFA 4/2016: ~70% relief through ~11/2016 (7 mo).")).treatments
             if t.kind == "radiofrequency ablation")
    assert t.status == "completed" and t.response is not None and t.response.percent_relief == 70
    proc = [t.status for t in extract_facts(_case("RFA R C4, C5, C6 medial branches. 80C x 90 s. Uncomplicated.")).treatments
            if t.kind == "radiofrequency ablation"]
    assert proc == ["completed"]


@pytest.mark.parametrize("text", [
    "RFA (DWC Form RFA) submitted 3/2/16.",  # the Request for Authorization form
    "Submitting RFA concurrently to save time.",
    "RFA dated 5/12/14 received.",
])
def test_twins_rfa_the_request_form(text):
    assert not [t for t in extract_facts(_case(text)).treatments if t.kind == "radiofrequency ablation"]


def test_a_confirmatory_block_result():
    cues = [c for c in extract_facts(_case("Dx MBB R C4-5, C5-6, 2% lidocaine. Confirmatory bupivacaine block 3/16: 80% x 6 h.")).cues
            if c.name == "block_result"]
    assert cues and cues[0].value == 80.0
    # the twin: a confirmatory block planned is no result
    assert not [c for c in extract_facts(_case("Will schedule a confirmatory block if 80% relief.")).cues
                if c.name == "block_result"]


@pytest.mark.parametrize("text,counts", [
    ("Pain 7/10 w/o tramadol, 3-4/10 with. Full duty driving; mows lawn, helps w/ grandkids.", True),
    ("Work: full duty as a driver.", True),
    ("Works full duty.", True),
    ("Goal: return to full duty.", False),
    ("Not working full duty.", False),
    ("Cleared for full duty next month if improved.", False),
])
def test_working_full_duty(text, counts):
    assert (True in _function(text)) is counts
