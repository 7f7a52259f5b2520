"""Issue #11 (inj9): injections, therapy and equipment as records write them. A therapy course years before a new
flare is an earlier episode; a steroid injection written "CSI" is not a prior hyaluronic acid series; a plan written
after a quoted remark is still the plan; a physician agreeing with proposed care has not given it; a note denying any
prior course outweighs the reviewer's partial certification. Each rule has a twin it must not break; the records are
written here in our own shorthand, none taken from a held-out set or a real letter."""

from __future__ import annotations

from one_note import criteria_met, first_item, one_note_case

from openimr.extract import extract_facts
from openimr.models.case import CaseFile


def _case(request: str, note: str, *, date: str = "2016-09-12", extra_docs: list[dict] | None = None) -> CaseFile:
    return one_note_case(request, note, doi="2010-03-15", age=55, date=date, extra_docs=extra_docs, case_number="IJ-1")


_crit = criteria_met


# -- a therapy course of an earlier episode -------------------------------------------------------------------------
PT_FLARE = ("PR-2. Chronic low back pain, L4-5 disc disease. {prior} {now} Exam: lumbar spasm, flexion 40 deg, neuro "
            "intact. Plan: PT 2x4 then home program.")
NEW_FLARE = "Since August a new flare after lifting at work: pain 7/10 from 3/10, off work 2 days."


def test_a_course_years_before_a_new_flare_is_an_earlier_episode():
    note = PT_FLARE.format(prior="Last PT 2013 (12 visits, did well, back to full duty).", now=NEW_FLARE)
    item = first_item(_case("Physical therapy 2x4 lumbar (8 visits)", note))
    assert item.topic == "physical-therapy"
    assert _crit(item).get("pt.visit-limit") is True
    assert item.decision == "Overturned"


def test_a_course_in_the_same_year_as_the_flare_still_counts():
    note = PT_FLARE.format(prior="Last PT 4/2016 (12 visits, did well).", now=NEW_FLARE)
    item = first_item(_case("Physical therapy 2x4 lumbar (8 visits)", note))
    assert _crit(item).get("pt.visit-limit") is False
    assert item.decision == "Upheld"


def test_an_old_course_without_a_new_flare_still_counts():
    note = PT_FLARE.format(prior="Last PT 2013 (12 visits, did well).", now="Pain unchanged at 4/10, stable.")
    item = first_item(_case("Physical therapy 2x4 lumbar (8 visits)", note))
    assert _crit(item).get("pt.visit-limit") is False
    assert item.decision == "Upheld"


def _pt_dates(note: str) -> list[list[str]]:
    case = _case("Physical therapy 2x4 lumbar", note)
    return [t.dates for t in extract_facts(case).treatments if t.kind == "physical therapy" and t.status == "completed"]


def test_a_course_dated_by_its_year_alone_keeps_the_year():
    assert _pt_dates("Hx: PT in 2012 x 10 visits, helped some.") == [["2012"]]
    assert _pt_dates("Had PT 3/2012 x 10 visits.") == [["2012-03"]]


def test_a_number_after_a_course_that_is_not_a_year_is_not_a_date():
    assert _pt_dates("Had PT x 10 visits, walks 2000 steps a day.") == [[]]
    assert _pt_dates("Had PT 1000 mg ibuprofen daily.") in ([[]], [])


# -- the injectate of a prior joint injection ------------------------------------------------------------------------
KNEE = ("Ortho f/u R knee. Severe R knee OA, bone-on-bone on standing films. {prior} Exam: effusion, crepitus, ROM "
        "0-95. Not a TKA candidate this year (cardiac). Plan: hyaluronic acid series x3 R knee.")


def test_steroid_injections_written_csi_are_not_a_prior_hyaluronic_series():
    note = KNEE.format(prior="Failed PT, NSAIDs and CSI x2 (short relief each).")
    item = first_item(_case("Synvisc series x3 right knee", note))
    assert item.topic == "knee-injections"
    assert "ha.repeat-response" not in _crit(item)
    assert item.decision == "Overturned"


def test_a_prior_hyaluronic_series_is_still_a_repeat():
    note = KNEE.format(prior="Failed PT and NSAIDs; Synvisc series 2015, helped a little.")
    item = first_item(_case("Synvisc series x3 right knee", note))
    assert "ha.repeat-response" in _crit(item)
    assert item.decision == "Upheld"


# -- the plan after a quoted remark; a physician agreeing with care ---------------------------------------------------
def _injection_status(note: str) -> list[str]:
    case = _case("Subacromial injection right shoulder", note)
    return [t.status for t in extract_facts(case).treatments if t.kind == "injection"]


def test_a_plan_written_after_a_quoted_remark_is_the_plan():
    note = "R shoulder impingement, PT x 8 no help. Pt says 'it just aches.' Plan: subacromial CSI R shoulder."
    assert _injection_status(note) == ["planned"]


def test_an_injection_given_after_a_quoted_remark_is_still_given():
    note = "R shoulder impingement. Pt says 'it just aches.' Had subacromial CSI 3/2016, good relief."
    assert _injection_status(note) == ["completed"]


def _acupuncture_status(note: str) -> list[str]:
    case = _case("Acupuncture x6 lumbar", note)
    return [t.status for t in extract_facts(case).treatments if t.kind == "acupuncture"]


def test_agreeing_with_proposed_care_is_not_having_had_it():
    assert _acupuncture_status("LBP improving. Agree w/ chiro + acupuncture.") == ["planned"]
    assert _acupuncture_status("LBP improving. I agree with acupuncture as an adjunct.") == ["planned"]


def test_care_the_note_says_was_given_stays_given():
    assert _acupuncture_status("LBP improving. Had chiro + acupuncture last year.") == ["completed"]


# -- a note denying any prior course, and the reviewer's partial certification ----------------------------------------
ACU = ("PR2. Chronic neck pain, myofascial. {hx} NSAIDs cause dyspepsia. HEP daily. Plan: trial acupuncture x 6 to "
       "reduce meds.")
UR_PART = {"id": "u1", "type": "ur_determination", "date": "2016-09-20", "text": "UR: Acupuncture x6 - certified x 4 (modified)."}


def test_no_prior_acupuncture_makes_a_partly_certified_request_a_first_trial():
    item = first_item(_case("Acupuncture 6 sessions cervical", ACU.format(hx="No prior acupuncture."), extra_docs=[UR_PART]))
    assert item.topic == "acupuncture"
    assert _crit(item).get("acu.initial-trial") is True
    assert item.decision == "Overturned"


def test_a_partly_certified_request_with_no_word_on_prior_care_is_still_a_continuation():
    item = first_item(_case("Acupuncture 6 sessions cervical", ACU.format(hx=""), extra_docs=[UR_PART]))
    assert "acu.initial-trial" not in _crit(item)
    assert item.decision == "Upheld"


# -- TENS for radiculopathy shown on examination and imaging ----------------------------------------------------------
TENS_NOTE = ("PR-2. Neck and shoulder pain 4 months after a lifting strain. {sx} PT x 12 done, HEP, naproxen - partial. "
             "Exam: {exam} MRI C-spine: {mri} Plan: TENS 30-day home trial with HEP, log use.")


def test_tens_for_radiculopathy_on_exam_corroborated_by_imaging():
    note = TENS_NOTE.format(sx="Now R hand numbness.", exam="Spurling + R, decreased sensation R thumb and index finger.",
                            mri="C5-6 R foraminal stenosis impinging the C6 root.")
    item = first_item(_case("TENS unit 30-day rental", note))
    assert item.topic == "tens"
    assert _crit(item).get("tens.indication") is True


def test_tens_for_neck_pain_without_radicular_findings_is_not_indicated_by_them():
    note = TENS_NOTE.format(sx="No arm symptoms.", exam="Spurling neg, neuro intact both arms.",
                            mri="mild C5-6 disc desiccation, no stenosis.")
    item = first_item(_case("TENS unit 30-day rental", note))
    assert _crit(item).get("tens.indication") is not True
    assert item.decision == "Upheld"


# -- the reviewer's specialty is not a planned operation ---------------------------------------------------------------
def _surgery_plans(ur_text: str) -> list[str]:
    ur = {"id": "u1", "type": "ur_determination", "date": "2016-09-20", "text": ur_text}
    case = _case("LSO brace", "Chronic LBP 2 years. Plan: LSO brace for driving.", extra_docs=[ur])
    return [p.text for p in extract_facts(case).plans if p.kind == "surgery"]


def test_a_reviewers_qualified_specialty_is_not_a_surgery_plan():
    assert _surgery_plans("LSO brace non-certified. Reviewer: Board certified Orthopedic Surgery.") == []
    assert _surgery_plans("LSO brace non-certified. Specialty: Spine Surgery.") == []


def test_a_surgery_named_in_a_plan_is_still_planned():
    assert _surgery_plans("LSO brace non-certified. The surgeon plans lumbar fusion surgery next month.") != []


# -- a walking distance of a block or less ----------------------------------------------------------------------------
WALKER = "Ortho. R knee pain, 8/10. {walk} ROM 5-90. Plan: front-wheeled walker."


def test_walking_less_than_a_block_is_impaired_walking():
    item = first_item(_case("Front-wheeled walker", WALKER.format(walk="Night pain, walks < 1 block.")))
    assert item.topic == "walking-aids"
    assert _crit(item).get("walking-aid.impaired-walking") is True


def test_walking_many_blocks_is_not_impaired_walking():
    item = first_item(_case("Front-wheeled walker", WALKER.format(walk="Night pain, walks 10 blocks daily.")))
    assert _crit(item).get("walking-aid.impaired-walking") is not True


# -- the request's own word: an initial course, a retrospective service ---------------------------------------------------
def _is_repeat(request: str, note: str):
    from openimr.engine.evaluate_criteria import resolver_for

    case = _case(request, note)
    return resolver_for(case, extract_facts(case), None).value("request.is_repeat")


def test_an_initial_course_requested_beside_another_items_additional_course_is_a_first_course():
    note = "Neck strain. The physician requested initial acupuncture x 6 and additional physical therapy x 6 for the neck."
    assert _is_repeat("Initial acupuncture x 6 for the neck", note) is False


def test_an_additional_course_requested_beside_it_is_still_a_repeat():
    note = "Neck strain. The physician requested initial acupuncture x 6 and additional physical therapy x 6 for the neck."
    assert _is_repeat("Additional physical therapy x 6 for the neck", note) is True


RETRO = ("Knee sprain after a fall 6 weeks ago, pain 8/10, medial joint line tender. Treatment to date includes PT, "
         "{inj}, medications. Plan: continue PT.")


def test_a_retrospective_injection_mentioned_as_given_is_the_service_not_a_prior_one():
    assert _is_repeat("Retrospective corticosteroid injection right knee", RETRO.format(inj="corticosteroid injection")) is False


def test_a_retrospective_injection_after_an_earlier_one_with_its_relief_is_a_repeat():
    note = RETRO.format(inj="corticosteroid injection 3/2016 with 50% relief for 3 weeks")
    assert _is_repeat("Retrospective corticosteroid injection right knee", note) is True


# -- the surgery a post-operative course follows --------------------------------------------------------------------
def _pst_case(request: str, op_text: str, note: str) -> CaseFile:
    op = {"id": "op", "type": "operative_report", "date": "2016-09-01", "text": op_text}
    return _case(request, note, date="2016-09-02", extra_docs=[op])


def _surgery_facts(case: CaseFile, *names: str) -> list:
    from openimr.engine.evaluate_criteria import resolver_for

    r = resolver_for(case, extract_facts(case), None)
    return [r.value(n) for n in names]


def test_an_arthroscopy_with_no_region_written_is_on_the_requests_region():
    case = _pst_case("Post-op physical therapy right shoulder x12", "Procedure: arthroscopy, decompression, debridement.",
                     "POD 1 after R shoulder scope. Plan: post-op PT 2x6.")
    assert _surgery_facts(case, "treatment.surgery.type") == ["shoulder arthroscopy"]


def test_an_arthroscopy_of_another_named_region_keeps_its_own():
    case = _pst_case("Post-op physical therapy right shoulder x12", "Procedure: right knee arthroscopy, chondroplasty.",
                     "POD 1. Plan: post-op PT 2x6.")
    assert _surgery_facts(case, "treatment.surgery.type") != ["shoulder arthroscopy"]


def test_a_fracture_fixation_written_orif_is_a_surgery():
    note = "6 wks s/p ORIF L distal radius fx. Stiff wrist. No PT yet. Plan: PT 2x3 L wrist."
    kinds = [(t.kind, t.status) for t in extract_facts(_case("Post-operative physical therapy 2x3 left wrist", note)).treatments]
    assert ("surgery", "completed") in kinds


def test_a_fracture_treated_in_a_cast_is_not_a_surgery():
    note = "6 wks after L distal radius fx treated closed in a cast. Stiff wrist. Plan: PT 2x3 L wrist."
    kinds = [t.kind for t in extract_facts(_case("Physical therapy 2x3 left wrist", note)).treatments]
    assert "surgery" not in kinds


# -- "Dx" written as a word; a job held open; a condition the surgeon calls non-surgical ------------------------------------
def _dx_texts(note: str) -> list[str]:
    return [d.text for d in extract_facts(_case("Custom foot orthotics bilateral", note)).diagnoses]


def test_a_diagnosis_after_a_line_that_names_a_study_is_still_read():
    texts = _dx_texts("Heel pain 10 mo, first-step pain. Windlass +. XR neg for fx.\nDx plantar fasciitis bilat. Rx orthotics.")
    assert any("plantar fasciitis" in t for t in texts)


def test_a_studys_own_finding_is_still_not_a_diagnosis():
    assert not any("plantar fasciitis" in t for t in _dx_texts("Heel pain 10 mo. MRI foot: plantar fasciitis. Rx orthotics."))


WH = ("PT discharge: 12 visits for R shoulder strain{surg}. Plateaued: lifts 30 lb floor-waist; job needs 70 lb. {job} "
      "Motivated. Plan: work hardening 10 sessions.")


def test_a_job_held_open_and_a_non_surgical_condition_meet_work_hardening_goals():
    item = first_item(_case("Work hardening program x 10 sessions",
                            WH.format(surg=" (non-surgical per ortho)", job="Employer has job waiting.")))
    assert item.topic == "work-conditioning"
    assert _crit(item).get("wc.rtw-goal") is True
    assert _crit(item).get("wc.no-surgery") is True


def test_no_job_leaves_the_goal_undocumented_and_no_word_on_surgery_is_no_exclusion():
    item = first_item(_case("Work hardening program x 10 sessions", WH.format(surg="", job="Was let go in May.")))
    assert _crit(item).get("wc.rtw-goal") is not True
    # strict (issue 11): "not a candidate where surgery would clearly be warranted" is an exclusion; silence is no plan
    assert _crit(item).get("wc.no-surgery") is True
    assert item.decision == "Upheld"


# -- a splint after a carpal tunnel release -----------------------------------------------------------------------------
CTS_NOTE = ("Hand clinic. R hand numbness median distribution, waking nightly. NCS: moderate R CTS. Failed night splints "
            "3 mo, NSAIDs, one cortisone injection. Tinel +, Phalen +.\n{plan}")


def _splint_items(requests: list[str], plan: str):
    from one_note import documents_case

    from openimr.engine import review_case

    case = documents_case(requests, [("progress_note", "2016-09-12", CTS_NOTE.format(plan=plan))], doi="2015-01-10",
                          rfa_date="2016-09-14", ur_date="2016-09-20", age=50, case_number="IJ-2")
    return {i.request: i for i in review_case(case)[0].items}


def test_a_splint_for_the_course_after_a_carpal_tunnel_release_is_not_supported():
    items = _splint_items(["Right open carpal tunnel release", "Post-operative wrist splint"],
                          "P: R open carpal tunnel release. Post-op wrist splint x 2 wks.")
    splint = items["Post-operative wrist splint"]
    assert _crit(splint).get("wrist-splint.after-carpal-tunnel-release") is False
    assert splint.decision == "Upheld"


def test_a_night_splint_for_carpal_tunnel_syndrome_with_no_release_is_still_supported():
    items = _splint_items(["Right wrist cock-up splint (night)"], "P: new R cock-up night splint, HEP.")
    splint = items["Right wrist cock-up splint (night)"]
    assert "wrist-splint.after-carpal-tunnel-release" not in _crit(splint)
    assert splint.decision == "Overturned"


# -- a one-letter SOAP heading written inline ----------------------------------------------------------------------------
def _pt_status(note: str) -> list[tuple[str, int | None]]:
    case = _case("Physical therapy 2x3 lumbar", note)
    return [(t.status, t.sessions) for t in extract_facts(case).treatments if t.kind == "physical therapy"]


def test_an_inline_p_heading_makes_the_therapy_after_it_planned():
    assert ("planned", 6) in _pt_status("Lumbar strain 3 mo, improving. Ibuprofen prn working. P: PT 2x3, HEP.")
    assert ("completed", 6) not in _pt_status("Lumbar strain 3 mo, improving. Ibuprofen prn working. P: PT 2x3, HEP.")


def test_therapy_given_before_the_heading_stays_given():
    assert ("completed", 6) in _pt_status("Lumbar strain 3 mo. Had PT x 6 with gains. P: HEP.")
