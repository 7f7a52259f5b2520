"""Issue #11, third pass: which document speaks, new vs continuing, post-operative care, lumbar supports.

Each general rule has a twin that the rule must not break. Records are written here in PR-2 shorthand;
none is taken from a held-out set or a real letter.
"""

from __future__ import annotations

from one_note import documents_case

from openimr.engine import review_case
from openimr.engine.derive import FactResolver
from openimr.extract import extract_facts
from openimr.guidelines.classifier import classify
from openimr.guidelines.knowledge_base import default_knowledge_base
from openimr.models.case import CaseFile


def _case(requests: list[str], docs: list[tuple[str, str, str]], doi: str = "2015-01-10") -> CaseFile:
    return documents_case(requests, docs, doi=doi, rfa_date="2015-06-02", ur_date="2015-06-09", age=44, case_number="TP-1")


def _fact(case: CaseFile, name: str, item: int = 0):
    kb = default_knowledge_base()
    req = classify(case.disputed_items[item].request, kb)
    r = FactResolver(facts=extract_facts(case), request=req, case=case, topic=kb.topic(req.topic), kb=kb)
    return r.value(name)


def _item(case: CaseFile, item: int = 0):
    return review_case(case)[0].items[item]


# -- the request restated by the RFA and the UR letter is not a drug taken or a course given -----------

NOTE_NAPROXEN_PLANNED = ("PR-2. Neck pain 6/10 since 3/2015. Tylenol 500 bid - little help. No hx GERD. "
                         "A: Cervical strain. P: NSAID trial per RFA. HEP.")
UR_NAPROXEN = "UR: PT x 8 - non-certified, can do HEP. Naproxen - non-certified. Reviewer: Orthopedics."


def test_a_drug_named_only_by_the_ur_letter_is_not_current():
    case = _case(["Naproxen 500mg #60"], [("progress_note", "2015-05-26", NOTE_NAPROXEN_PLANNED),
                                          ("ur_decision", "2015-06-09", UR_NAPROXEN)])
    assert _fact(case, "medication.current") is False
    assert "nsaids.ongoing.benefit" not in {c.id for c in _item(case).criteria}


def test_a_drug_the_clinical_note_says_is_taken_stays_current():
    note = NOTE_NAPROXEN_PLANNED.replace("Tylenol 500 bid - little help.", "Taking naproxen 500 mg bid since 1/2015.")
    assert note != NOTE_NAPROXEN_PLANNED
    case = _case(["Naproxen 500mg #60"], [("progress_note", "2015-05-26", note), ("ur_decision", "2015-06-09", UR_NAPROXEN)])
    assert _fact(case, "medication.current") is True


NOTE_CHIRO = ("Doctor's first report. LBP 5/10 lifting patients. Treatment to date included medications and "
              "6 PT visits with some help. Oswestry 34%. Plan: CMT 2x3 wks with re-eval.")


def test_a_ur_reviewer_named_chiropractor_is_not_a_prior_chiropractic_course():
    case = _case(["Chiropractic manipulation 2x/week x 3 weeks lumbar spine"],
                 [("consultation", "2015-05-26", NOTE_CHIRO),
                  ("ur_decision", "2015-06-09", "UR: Chiropractic 6 - non-certified, patient already had PT. Reviewer: Chiropractor.")])
    assert _fact(case, "request.is_repeat") is False


def test_a_chiropractic_course_in_the_clinical_note_is_still_prior():
    note = NOTE_CHIRO.replace("6 PT visits with some help", "chiropractic x 8 visits 3/2015-4/2015 with improved sitting tolerance")
    case = _case(["Chiropractic manipulation 2x/week x 3 weeks lumbar spine"], [("consultation", "2015-05-26", note)])
    assert _fact(case, "request.is_repeat") is True


# -- an explicit "not yet given" outweighs bare mentions; a first course adds no prior visits ----------

NOTE_NO_PT = ("PR-2 5/26/15. 40F bank teller, neck pain since 3/2015. Tx so far: ergo adjustment, Tylenol - little help. "
              "No PT yet. O: C-ROM decr rotation, TTP upper trap. Neuro intact. A: Cervical strain. "
              "P: PT 2x4 (McKenzie, ROM, strengthening, HEP).")


def test_no_pt_yet_makes_a_first_course_whatever_the_plan_line_reads_as():
    case = _case(["Physical therapy 2x/week x 4 weeks cervical spine"], [("progress_note", "2015-05-26", NOTE_NO_PT)])
    assert _fact(case, "request.is_repeat") is False
    assert _fact(case, "request.total_sessions") == 8
    assert _item(case).decision == "Overturned"


def test_a_completed_course_with_a_response_stays_a_repeat():
    note = NOTE_NO_PT.replace("No PT yet.", "Completed PT x 8 in 4/2015 with improved ROM. No chiro yet.")
    case = _case(["Physical therapy 2x/week x 4 weeks cervical spine"], [("progress_note", "2015-05-26", note)])
    assert _fact(case, "request.is_repeat") is True


# -- a drug started with the request is not yet a first-line trial --------------------------------------

NOTE_START_GABA = ("PR-2. L5 radiculopathy. Burning down L leg 7/10. Decr sens L5 dermatome. No prior antidepressant or "
                   "anticonvulsant. Ibuprofen helps the back some. Plan: 1. Start gabapentin 300 mg tid. "
                   "2. Lidoderm patch 1 daily to low back.")


def test_a_drug_started_at_this_visit_is_not_a_first_line_trial():
    case = _case(["Lidoderm 5% patch #30", "Gabapentin 300mg #90"],
                 [("progress_note", "2015-05-26", NOTE_START_GABA),
                  ("rfa", "2015-06-02", "RFA: Gabapentin 300 mg #90 (new). Lidoderm 5% patch #30. Dx: lumbar radiculopathy."),
                  ("ur_decision", "2015-06-09", "UR: Lidoderm - non-certified. Gabapentin 300 #90 - non-certified.")])
    assert _fact(case, "medication.neuropathic_first_line_tried") is False
    assert _fact(case, "medication.current", item=1) is False


def test_a_drug_taken_for_months_is_a_first_line_trial():
    note = NOTE_START_GABA.replace("Start gabapentin 300 mg tid", "Continue gabapentin 300 mg tid, taken since 10/2014")
    case = _case(["Lidoderm 5% patch #30"], [("progress_note", "2015-05-26", note)])
    assert _fact(case, "medication.neuropathic_first_line_tried") is True


# -- post-operative care follows the surgery disputed with it --------------------------------------------

NOTE_CTR = ("Hand Surgery consultation f/u. R hand numbness, nocturnal waking. Tx so far: night splint since 8/2014, NSAIDs, "
            "OT x 8, steroid injection 11/2014 - 6 wks relief then recurred. Tinel + R wrist, Phalen +. "
            "Imp: R CTS, moderate-severe, failed conservative tx. Plan: R open CTR. Post-op OT.")


def test_post_op_therapy_takes_the_type_of_the_surgery_requested_with_it():
    case = _case(["Right carpal tunnel release", "Post-operative occupational therapy 12 sessions right wrist"],
                 [("progress_note", "2015-05-26", NOTE_CTR)])
    assert _fact(case, "treatment.surgery.type", item=1) == "carpal tunnel release"
    assert _fact(case, "request.is_repeat", item=1) is False  # pre-operative OT is not a post-operative course
    item = _item(case, 1)
    assert item.decision == "Upheld"
    assert {c.id: c.met for c in item.criteria}.get("pst.visits.carpal-tunnel") is False


def test_post_op_therapy_within_the_course_for_the_surgery_is_supported():
    case = _case(["Right carpal tunnel release", "Post-operative occupational therapy 4 sessions right wrist"],
                 [("progress_note", "2015-05-26", NOTE_CTR)])
    item = _item(case, 1)
    assert {c.id: c.met for c in item.criteria}.get("pst.visits.carpal-tunnel") is True


# -- a lumbar support is not approved on the date of injury alone ----------------------------------------


def test_a_lumbar_support_in_the_acute_phase_needs_a_stated_purpose():
    blank = _case(["Back support"], [("progress_note", "2015-05-26", "The patient was seen today.")], doi="2015-05-12")
    assert _item(blank).decision == "Upheld"
    told = _case(["Back support"], [("progress_note", "2015-05-26",
                  "Acute low back strain 2 weeks ago lifting boxes, pain 7/10. Back support to help him "
                  "return to modified duty while the acute symptoms settle.")], doi="2015-05-12")
    item = _item(told)
    assert {c.id: c.met for c in item.criteria}.get("lso.purpose") is True
    assert item.decision == "Overturned"


def test_the_ur_determinations_reasons_are_not_the_requesters():
    text = ("Acute low back strain 2 weeks ago. A prior determination found the back support not medically "
            "necessary due to no documentation of instability.")
    case = _case(["Back support"], [("clinical_summary", "2015-05-26", text)], doi="2015-05-12")
    assert _fact(case, "request.reason_stated") is None


# -- second batch: plans in shorthand, screens by date, pain as an NSAID indication, evaluations ----------


def test_consider_rf_is_a_planned_neurotomy():
    note = ("Axial LBP 6/10 worse with extension. TTP bilat L4-5, L5-S1 facets, facet loading +. SLR neg. "
            "P: Diagnostic MBB bilat L4-5, L5-S1; if >=70% relief consider RF.")
    case = _case(["Bilateral L4-5 and L5-S1 medial branch blocks"], [("progress_note", "2015-05-26", note)])
    assert _fact(case, "plan.neurotomy") is True


def test_a_block_without_any_word_of_neurotomy_has_no_plan():
    note = "Axial LBP 6/10 worse with extension. TTP bilat L4-5 facets. P: Diagnostic MBB bilat L4-5. RTC 4 wks."
    case = _case(["Bilateral L4-5 medial branch blocks"], [("progress_note", "2015-05-26", note)])
    assert _fact(case, "plan.neurotomy") is None


def test_one_screen_mentioned_in_two_notes_is_one_screen():
    earlier = "Norco 10/325 qid. UDS 11/20/14 c/w rx. Low risk."
    note = "Norco 10/325 qid. Last UDS 11/20/14 c/w rx. CURES ok. P: UDS today (random) - last one >6 mo ago."
    case = _case(["Urine drug screen"], [("progress_note", "2015-03-02", earlier), ("progress_note", "2015-05-26", note),
                                         ("ur_decision", "2015-06-09", "Urine drug screen - NON-CERTIFIED. Opioid not certified, therefore UDS not needed.")])
    assert _fact(case, "uds.count_past_year") <= 1
    assert _item(case).decision == "Overturned"


def test_three_screens_named_by_date_are_three():
    note = "Tramadol 50 tid. Opioid agreement 2013. UDS 2/10/15, 4/14/15, 5/20/15 - all c/w rx. Low risk. P: UDS monthly x 6."
    case = _case(["Urine drug screen monthly x 6"], [("progress_note", "2015-05-26", note)])
    assert _fact(case, "uds.count_past_year") == 3
    assert _item(case).decision == "Upheld"


def test_a_first_nsaid_for_documented_neck_pain_has_its_indication():
    note = ("The applicant presented with complaints of neck, shoulder, and arm pain. 5/10 pain complaints were noted. "
            "The request was framed as a first-time request for Naprosyn.")
    case = _case(["Naproxen 500mg #60"], [("clinical_summary", "2015-05-26", note)])
    item = _item(case)
    assert {c.id: c.met for c in item.criteria}.get("nsaids.indication") is True
    assert item.decision == "Overturned"


def test_a_blank_record_gives_no_nsaid_indication():
    case = _case(["Naproxen 500mg #60"], [("clinical_summary", "2015-05-26", "The patient was seen today.")])
    assert _item(case).decision == "Upheld"


def test_pain_with_the_drug_beside_the_pain_without_it_is_relief():
    note = "Knee pain 6/10 without Celebrex, 3/10 with. Can garden 1 hr. Meds: Celebrex 200 daily since 2013."
    case = _case(["Celebrex 200mg #30"], [("progress_note", "2015-05-26", note)])
    assert _fact(case, "pain.relief_with_medication") is True


def test_a_creams_amount_in_grams_specifies_the_request():
    case = _case(["Capsaicin 0.025% cream (Zostrix) 60 g"], [("progress_note", "2015-05-26", "Hand OA pain 5/10.")])
    assert _fact(case, "request.specified") is True
    assert classify("Tylenol 1 g").drug.quantity is None  # a strength in grams is not an amount


def test_a_psychological_evaluation_before_a_stimulator_is_the_evaluation():
    kb = default_knowledge_base()
    assert classify("Psychological evaluation (pre-SCS), 1 session with testing", kb).topic == "psychological-treatment"
    assert classify("Spinal cord stimulator trial (percutaneous, 2 leads)", kb).topic == "spinal-cord-stimulation"


def test_a_psychological_evaluation_needs_the_pain_not_the_symptoms_it_looks_for():
    note = "Failed back surgery syndrome, L leg burning pain 7/10 since 2012 despite PT, meds and ESI. SCS trial planned."
    case = _case(["Psychological evaluation (pre-SCS), 1 session with testing"],
                 [("progress_note", "2015-05-26", note)], doi="2012-03-01")
    assert _fact(case, "request.evaluation") is True
    assert {c.id: c.met for c in _item(case).criteria}.get("psych.indication") is True
    therapy = _case(["Cognitive behavioral therapy 4 sessions"], [("progress_note", "2015-05-26", note)], doi="2012-03-01")
    assert _fact(therapy, "request.evaluation") is False
    assert {c.id: c.met for c in _item(therapy).criteria}.get("psych.indication") is not True


# -- third batch: knowledge-base criteria and topics ------------------------------------------------------


def test_shoulder_mri_after_failed_therapy_needs_surgery_in_view():
    note = ("R shoulder pain 7/10 since 10/2016 despite PT x 8 and meds. Apprehension testing positive. "
            "Strength 5/5. No red flags.")
    case = _case(["MRI of the right shoulder without contrast"], [("progress_note", "2017-01-05", note)], doi="2016-10-20")
    assert _item(case).decision == "Upheld"
    surgical = note + " Orthopedic surgeon is considering arthroscopic repair if a tear is confirmed."
    case = _case(["MRI of the right shoulder without contrast"], [("progress_note", "2017-01-05", surgical)], doi="2016-10-20")
    assert {c.id: c.met for c in _item(case).criteria}.get("mri-s.failed-program-or-surgery") is True


def test_a_locking_knee_meets_the_surgical_tear_criterion():
    note = ("Twisted R knee at work 3 wks ago. Pain, locking and giving way. Medial joint line tenderness, "
            "McMurray positive, effusion.")
    case = _case(["MRI of the right knee without contrast"], [("progress_note", "2015-05-26", note)], doi="2015-05-01")
    assert {c.id: c.met for c in _item(case).criteria}.get("mri-k.surgery-or-failed-care") is True


def test_a_painful_knee_without_derangement_signs_still_needs_failed_care_or_surgery():
    note = "Knee pain 5/10 after kneeling at work 3 wks ago. Full ROM, no effusion, McMurray negative."
    case = _case(["MRI of the right knee without contrast"], [("progress_note", "2015-05-26", note)], doi="2015-05-01")
    assert {c.id: c.met for c in _item(case).criteria}.get("mri-k.surgery-or-failed-care") is not True


def test_an_oral_steroid_taper_is_decided_not_left_undecided():
    kb = default_knowledge_base()
    assert classify("Methylprednisolone (Medrol Dosepak) 4 mg #21", kb).topic == "oral-corticosteroids"
    assert classify("Depo-Medrol 80 mg injection", kb).topic != "oral-corticosteroids"
    case = _case(["Methylprednisolone (Medrol Dosepak) 4 mg #21"], [("progress_note", "2015-05-26", "LBP 6/10 flare.")])
    assert _item(case).decision == "Upheld"


def test_cpm_after_knee_replacement_within_17_days():
    note = "POD 7 s/p R total knee arthroplasty 5/19/15. ROM 5-70. Stiffness. P: home CPM."
    short = _case(["Continuous passive motion (CPM) machine rental 14 days"], [("progress_note", "2015-05-26", note)])
    long = _case(["Continuous passive motion (CPM) machine rental 21 days"], [("progress_note", "2015-05-26", note)])
    assert {c.id: c.met for c in _item(short).criteria}.get("cpm.duration") is True
    assert {c.id: c.met for c in _item(long).criteria}.get("cpm.duration") is False
    assert _item(long).decision == "Upheld"


def test_an_initial_request_outweighs_bare_mentions_of_the_program():
    note = "Functional restoration program evaluation completed; psychology and PT baseline testing done."
    case = _case(["Functional restoration program, initial 2 weeks (80 hours)"], [("progress_note", "2015-05-26", note)])
    assert _fact(case, "request.is_repeat") is False
    assert {c.id: c.met for c in _item(case).criteria}.get("frp.duration") is True


def test_refills_of_a_short_term_drug_exceed_short_term_use():
    note = "Insomnia since injury: difficulty falling asleep, 4 hrs/night, daytime fatigue. Sleep hygiene reviewed."
    refills = _case(["Ambien CR 12.5mg #30 with 5 refills"], [("progress_note", "2015-05-26", note)])
    assert _fact(refills, "request.refills") == 5
    assert {c.id: c.met for c in _item(refills).criteria}.get("sleep-aids.supply-short-term") is False
    assert _item(refills).decision == "Upheld"
    single = _case(["Ambien 5mg #10"], [("progress_note", "2015-05-26", note)])
    assert _fact(single, "request.refills") == 0
    assert {c.id: c.met for c in _item(single).criteria}.get("sleep-aids.supply-short-term") is True


def test_a_drug_started_months_ago_and_continued_is_current():
    older = "L leg burning 6/10. Start Lyrica 75 bid for L leg burning. Norco 10/325 tid cont."
    latest = "Lyrica 75 mg twice daily was started in October 2014; leg burning about the same. Plan: Continue Lyrica 75 mg bid #60."
    case = _case(["Pregabalin (Lyrica) 75 mg #60"], [("progress_note", "2014-10-12", older), ("progress_note", "2015-05-26", latest)])
    assert _fact(case, "medication.current") is True
    assert "antiepileptics.ongoing.response" in {c.id for c in _item(case).criteria}


def test_the_ur_reviewers_initiate_weaning_is_not_a_first_prescription():
    note = "Norco 10/325 tid since 2013; pain 8/10 without, 4/10 with. Works part time. UDS c/w. CURES ok. Agreement on file."
    case = _case(["Norco 10/325 mg #90"], [("progress_note", "2015-05-26", note),
                                          ("ur_decision", "2015-06-09", "Norco 10/325 #90 - MODIFIED to #45 to initiate weaning.")])
    assert _fact(case, "medication.current") is True


def test_a_post_operative_opioid_requested_with_its_surgery_names_its_indication():
    note = ("L buttock/leg pain 8/10. Failed PT x 10, naproxen, gabapentin. MRI: L5-S1 extrusion compressing S1. "
            "Plan: L5-S1 microdiscectomy. Norco 10/325 #60 post-op.")
    case = _case(["Left L5-S1 microdiscectomy", "Norco 10/325 mg #60, post-operative"],
                 [("progress_note", "2015-05-26", note)])
    assert _fact(case, "medication.indication_documented", item=1) is True
    alone = _case(["Norco 10/325 mg #60, post-operative"], [("progress_note", "2015-05-26", "Back pain 6/10.")])
    assert _fact(alone, "medication.indication_documented") is not True  # no surgery in the case
