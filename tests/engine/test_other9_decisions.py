"""Issue #11 (other9): surgery, consultations, psychological care, imaging and electrodiagnostics as records
write them. Each rule has a twin it must not break; the records are written here in our own shorthand, none
taken from a held-out set or a real letter."""

from __future__ import annotations

from one_note import documents_case, first_item, one_note_case

from openimr.guidelines.classifier import classify
from openimr.guidelines.knowledge_base import default_knowledge_base


def _item(request: str, note: str, *, doi: str = "2015-02-02", date: str = "2015-03-02", age: int = 44,
          extra_docs: list[dict] | None = None):
    return first_item(one_note_case(request, note, doi=doi, date=date, age=age, extra_docs=extra_docs,
                                    case_number="OT-9"))


def _met(item, cid: str):
    return {c.id: c.met for c in item.criteria}.get(cid)


# -- x-rays of the ankle, wrist and elbow (ACOEM ch. 14, 11, 10) ---------------------------------------------------

ANKLE = ("Occ med 3/2/15. Twisted L ankle on a curb at work 2/20. {exam} Plan: XR L ankle.")


def test_ankle_xray_after_an_injury_with_bony_tenderness_and_no_weight_bearing_is_supported():
    item = _item("X-ray left ankle 3 views", ANKLE.format(
        exam="Cannot bear weight, using crutches. TTP medial malleolus posterior edge."), doi="2015-02-20")
    assert item.topic == "x-rays"
    assert item.decision == "Overturned"


def test_ankle_xray_after_a_mild_sprain_walking_normally_is_not_supported():
    item = _item("X-ray left ankle 3 views", ANKLE.format(
        exam="Walks normally, mild swelling, no bony tenderness."), doi="2015-02-20")
    assert item.topic == "x-rays"
    assert item.decision == "Upheld"


def test_wrist_xray_has_an_entry_now():
    item = _item("X-ray right wrist", "PR-2. R wrist pain 3 months, tried splint and naproxen x 6 wks, no better. "
                                     "Plan: XR R wrist.")
    assert item.topic == "x-rays"
    assert item.decision == "Overturned"
    twin = _item("X-ray right wrist", "PR-2. R wrist ache since yesterday, full ROM, no tenderness. Plan: XR R wrist.",
                 doi="2015-03-01")
    assert twin.topic == "x-rays"
    assert twin.decision == "Upheld"


# -- a trigger-finger injection written by its pulley ----------------------------------------------------------------

def test_an_injection_named_by_the_finger_and_pulley_is_a_hand_injection():
    kb = default_knowledge_base()
    assert classify("Steroid injection left middle finger A1 pulley", kb).topic == "hand-wrist-injections"
    assert classify("Cortisone injection flexor sheath R thumb", kb).topic == "hand-wrist-injections"
    # a finger named without an injection is not one
    assert classify("Splint left middle finger", kb).topic == "wrist-splints"


def test_a_finger_that_catches_and_locks_is_the_triggering_an_injection_treats():
    note = "Hand f/u. L middle finger catching and locking in the morning, tender nodule at the A1 pulley. Plan: CSI."
    item = _item("Steroid injection left middle finger A1 pulley", note)
    assert _met(item, "hand-inj.diagnosis") is True
    twin = _item("Steroid injection left middle finger A1 pulley",
                 "Hand f/u. L middle finger aches after typing, full motion, no nodule. Plan: CSI.")
    assert _met(twin, "hand-inj.diagnosis") is not True


# -- carpal tunnel release: the study's impression, and symptoms that persist despite care ---------------------------

def _ctr(study: str, note: str):
    case = documents_case(
        ["Right carpal tunnel release"],
        [("emg_report", "2015-01-10", study), ("progress_note", "2015-03-02", note)],
        doi="2014-10-01", rfa_date="2015-03-02", ur_date="2015-03-10", age=45, case_number="OT-9")
    from openimr.engine import review_case
    return review_case(case)[0].items[0]


CTR_NOTE = ("Hand surgery f/u. R hand numbness {course}. Tinel +, Phalen +. Plan: R CTR.")


def test_ctr_with_a_study_consistent_with_cts_and_symptoms_persisting_despite_care_is_supported():
    item = _ctr("NCS: R median distal latencies prolonged, consistent with moderate right CTS.",
                CTR_NOTE.format(course="persistent despite night splints x 8 wks and a steroid injection"))
    assert _met(item, "ctr.electrodiagnostic") is True
    assert _met(item, "ctr.conservative-failed") is True
    assert item.decision == "Overturned"


def test_ctr_with_a_normal_study_is_not_supported():
    item = _ctr("NCS: R median latencies within normal limits. Normal study.",
                CTR_NOTE.format(course="persistent despite night splints x 8 wks and a steroid injection"))
    assert _met(item, "ctr.electrodiagnostic") is not True
    assert item.decision == "Upheld"


def test_care_that_helped_is_not_failed_care():
    item = _ctr("NCS: R median distal latencies prolonged, consistent with moderate right CTS.",
                CTR_NOTE.format(course="much better with night splints x 8 wks, now rare"))
    assert _met(item, "ctr.conservative-failed") is not True


# -- EMG/NCV: care tried and "no better" -----------------------------------------------------------------------------

EDX = ("New pt, 5 wk hx of R hand numbness in median distribution. Tinel + R. {course} Plan: EMG/NCV RUE.")


def test_care_listed_then_no_better_is_failed_care():
    item = _item("EMG/NCV right upper extremity", EDX.format(course="Tried wrist splint and naproxen x 3 wks, no better."),
                 doi="2015-02-10")
    assert _met(item, "edx-upper.duration") is True
    twin = _item("EMG/NCV right upper extremity", EDX.format(course="Tried wrist splint and naproxen x 3 wks, much better."),
                 doi="2015-02-24")
    assert _met(twin, "edx-upper.duration") is not True


# -- knee replacement: a radiograph read as joint space loss ---------------------------------------------------------

TKA = ("Ortho 3/2/15. 66M R knee pain for years, night pain, walks 1 block. Failed PT, NSAIDs, CSI x2. Plan: R TKA.")


def test_tka_with_bone_on_bone_films_and_failed_care_is_supported():
    xr = {"id": "x1", "type": "imaging_report", "date": "2015-01-05", "text": "R knee standing XR: bone on bone medial compartment, osteophytes."}
    item = _item("Right total knee arthroplasty", TKA, age=66, doi="2013-01-01", extra_docs=[xr])
    assert _met(item, "knee-arthroplasty.advanced-osteoarthritis") is True
    assert item.decision == "Overturned"


def test_tka_with_mild_joint_space_narrowing_is_not_supported():
    xr = {"id": "x1", "type": "imaging_report", "date": "2015-01-05", "text": "R knee standing XR: mild joint space narrowing medially."}
    item = _item("Right total knee arthroplasty", TKA, age=66, doi="2013-01-01", extra_docs=[xr])
    assert _met(item, "knee-arthroplasty.advanced-osteoarthritis") is False
    assert item.decision == "Upheld"


# -- psychological care: screening scores, an evaluation before an implant, a course's measured outcome --------------

def test_a_phq9_score_documents_depression_for_cbt():
    note = "PR-2. Chronic neck pain 2 yrs, PT x 12 limited gains. PHQ-9 16, poor sleep. Plan: CBT x 4 with pain psychologist."
    item = _item("Cognitive behavioral therapy x4 sessions", note, doi="2013-01-10")
    assert _met(item, "psych.indication") is True
    twin = _item("Cognitive behavioral therapy x4 sessions",
                 "PR-2. Chronic neck pain 2 yrs, PT x 12 limited gains. PHQ-9 3. Plan: CBT x 4 with pain psychologist.",
                 doi="2013-01-10")
    assert _met(twin, "psych.indication") is not True


def test_a_psychological_evaluation_before_a_stimulator_trial_has_its_indication():
    note = "Pain mgmt. Failed back surgery syndrome, failed PT, meds and ESIs. Plan: SCS trial; psych eval for SCS clearance."
    item = _item("Psychological evaluation for spinal cord stimulator clearance", note, doi="2010-01-10")
    assert _met(item, "psych.indication") is True
    assert item.decision == "Overturned"
    twin = _item("Psychological evaluation", "Pain mgmt. Back pain. Plan: psych eval.", doi="2015-02-25")
    assert _met(twin, "psych.indication") is not True


def _cbt_more(outcome: str):
    case = documents_case(
        ["Additional CBT x 4 sessions"],
        [("psych_note", "2015-03-01", f"Psychology progress: completed 4 of 4 authorized CBT sessions. {outcome}"),
         ("progress_note", "2015-03-02", "PR-2. Chronic LBP. Depression. Support more CBT per psych.")],
        doi="2013-01-10", rfa_date="2015-03-02", ur_date="2015-03-10", age=44, case_number="OT-9")
    from openimr.engine import review_case
    return review_case(case)[0].items[0]


def test_a_falling_depression_score_is_the_outcome_of_a_cbt_course():
    item = _cbt_more("BDI-II 27 -> 15. Uses pacing daily.")
    assert _met(item, "psych.functional-improvement") is True
    twin = _cbt_more("BDI-II 27 -> 29. No change.")
    assert _met(twin, "psych.functional-improvement") is not True


def test_a_course_the_psychologist_recommends_as_initial_is_a_first_course():
    case = documents_case(
        ["Psychotherapy (CBT) x 4 sessions"],
        [("psych_evaluation", "2015-02-20", "Psychological evaluation. BDI-II 25. Recommendations: CBT (initial 4 sessions)."),
         ("progress_note", "2015-03-02", "PTP: reviewed psych eval. Authorize CBT x4.")],
        doi="2014-09-10", rfa_date="2015-03-02", ur_date="2015-03-10", age=44, case_number="OT-9")
    from openimr.engine import review_case
    item = review_case(case)[0].items[0]
    assert _met(item, "psych.initial-trial") is True
    assert item.decision == "Overturned"


# -- consultations: a psychiatric referral for depression, a referral's stated purpose --------------------------------

def test_a_psychiatric_referral_for_documented_depression_has_its_reason():
    note = "PR-2. Chronic wrist pain. PHQ-9 20 on sertraline, passive SI, no plan. Plan: psychiatric consultation."
    item = _item("Psychiatric consultation", note, doi="2013-01-10")
    assert _met(item, "consult.reason") is True
    twin = _item("Psychiatric consultation", "PR-2. Chronic wrist pain. Mood good, PHQ-9 2. Plan: psychiatric consultation.",
                 doi="2013-01-10")
    assert _met(twin, "consult.reason") is not True


def test_a_referral_for_opioid_management_states_its_reason():
    note = "PR-2. Chronic LBP on Norco 8/day, early refills. Plan: pain management consult for opioid management and taper."
    item = _item("Pain management consultation", note, doi="2013-01-10")
    assert _met(item, "consult.reason") is True
    twin = _item("Pain management consultation", "PR-2. Chronic LBP on Norco. Plan: pain management consult.", doi="2013-01-10")
    assert _met(twin, "consult.reason") is not True


# -- a functional restoration program evaluation is the first step, not the program ---------------------------------

FRP = ("PR-2. Chronic LBP 3 yrs. Failed PT x 24, chiro, ESI x2 with limited relief. Not a surgical candidate per spine "
       "surgeon. Motivated to return to work. Plan: {plan}.")


def test_an_frp_evaluation_is_not_held_to_the_programs_admission_criteria():
    item = _item("Functional restoration program evaluation", FRP.format(plan="FRP evaluation"), doi="2012-01-10")
    assert "frp.evaluation" not in {c.id for c in item.criteria}
    assert item.decision == "Overturned"
    twin = _item("Functional restoration program 160 hours", FRP.format(plan="FRP 160 hours"), doi="2012-01-10")
    assert "frp.evaluation" in {c.id for c in twin.criteria}
    assert twin.decision == "Upheld"


def test_a_surgical_referral_after_failed_care_with_a_lesion_on_examination_has_its_reason():
    note = ("PR-2. R knee twisted at work 3 months ago, locks and catches weekly. Completed PT x 8 and NSAIDs - still "
            "limping. Exam: McMurray + medially, joint line TTP. Plan: ortho surgery consult.")
    item = _item("Orthopedic surgery consultation, right knee", note, doi="2014-12-01")
    assert _met(item, "consult.reason") is True
    assert item.decision == "Overturned"
    twin = _item("Orthopedic surgery consultation, right knee",
                 "PR-2. R knee twisted at work 3 months ago, much better with PT x 8, no locking. Exam: McMurray neg. "
                 "Plan: ortho surgery consult.", doi="2014-12-01")
    assert _met(twin, "consult.reason") is not True


def test_a_finger_is_a_hand_region_on_a_finding():
    note = "Hand f/u. R ring finger catching and locking, CSI 6 wks ago ~50% better x 3 wks, now recurring. Plan: hand surgery consult."
    item = _item("Hand surgery consultation", note)
    assert _met(item, "consult.symptoms") is True
    assert _met(item, "consult.reason") is True


# -- electrodiagnostics: what a study is ordered to tell apart, roots a study says are free, NCS for presumed roots --

UE = ("PR-2. Bilat hand numbness R>L and neck pain to R forearm, 6 wks. Tinel + R, Spurling equivocal. Splints x 6 wks "
      "+ ibuprofen - little change. P: EMG/NCV bilat UE {purpose}.")


def test_the_question_a_study_is_ordered_to_answer_is_not_its_result():
    item = _item("EMG/NCV bilateral upper extremities", UE.format(purpose="to differentiate CTS vs cervical radiculopathy"),
                 doi="2014-06-30")
    assert item.decision == "Overturned"
    assert _met(item, "edx-upper.not-already-obvious") is not False


LOWER = ("PR-2. LBP + L calf numbness 4 mo. PT x10, NSAIDs. SLR equivocal L, strength 5/5, reflexes sym. MRI 6/15: "
         "L4-5 disc bulge {mri}. {pmh} A/P: ?L L5 radiculopathy. EMG/NCV BLE to clarify before ESI.")


def test_a_bulge_without_root_compression_does_not_corroborate_a_radiculopathy():
    exam = ("PR-2. LBP + L calf numbness 4 mo. PT x10, NSAIDs failed. SLR + L at 40 deg, decreased sensation L5 dermatome. "
            "MRI 6/15: L4-5 disc bulge {mri}. EMG/NCV BLE to clarify before ESI.")
    item = _item("EMG bilateral lower extremities", exam.format(mri="w/o nerve root compression"),
                 doi="2014-12-01", date="2015-04-14")
    assert _met(item, "edx-lower.not-already-obvious") is not False
    assert item.decision == "Overturned"
    twin = _item("EMG bilateral lower extremities", exam.format(mri="with compression of the L5 nerve root"),
                 doi="2014-12-01", date="2015-04-14")
    assert _met(twin, "edx-lower.not-already-obvious") is False
    assert twin.decision == "Upheld"


def test_a_queried_diagnosis_after_a_study_is_not_the_studys_result():
    item = _item("EMG bilateral lower extremities", LOWER.format(mri="w/o nerve root compression", pmh="No DM."),
                 doi="2014-12-01", date="2015-04-14")
    assert _met(item, "edx-lower.not-already-obvious") is not False
    assert item.decision == "Overturned"


def test_nerve_conduction_studies_alone_for_presumed_radicular_leg_symptoms_are_not_supported():
    item = _item("NCV bilateral lower extremities", LOWER.format(mri="w/o nerve root compression", pmh="No DM."),
                 doi="2014-12-01", date="2015-04-14")
    assert _met(item, "edx-lower.ncs-peripheral") is False
    assert item.decision == "Upheld"
    twin = _item("NCV bilateral lower extremities", LOWER.format(mri="w/o nerve root compression",
                                                                 pmh="Dx: diabetic peripheral neuropathy suspected."),
                 doi="2014-12-01", date="2015-04-14")
    assert _met(twin, "edx-lower.ncs-peripheral") is True


def test_symmetric_graded_reflexes_and_a_negative_slr_with_its_side_are_normal():
    from openimr.extract import extract_facts

    def facts(exam: str):
        case = one_note_case("EMG bilateral lower extremities", f"PR-2. Chronic LBP. Exam: {exam} Plan: EMG BLE.",
                             doi="2013-01-01", date="2015-03-02")
        return {(f.name, f.present) for f in extract_facts(case).findings}

    normal = facts("SLR neg bilat. DTRs 2+ knees, 1+ ankles sym.")
    assert ("straight_leg_raise", True) not in normal and ("reflex_change", True) not in normal
    abnormal = facts("SLR pos L at 40 deg. DTRs 2+ knees, L ankle 0, R ankle 2+.")
    assert ("straight_leg_raise", True) in abnormal and ("reflex_change", True) in abnormal


# -- bone growth stimulators (ODG) -----------------------------------------------------------------------------------

def test_a_bone_growth_stimulator_is_for_a_fracture_that_is_not_uniting():
    item = _item("Bone growth stimulator", "Ortho. 5 months s/p ORIF R tibia fx. XR today: no bridging callus. "
                                           "Dx: delayed union R tibia. Smoker. Plan: bone growth stimulator.",
                 doi="2014-09-01")
    assert item.topic == "bone-growth-stimulators"
    assert item.decision == "Overturned"
    twin = _item("Bone growth stimulator", "Ortho. 6 wks s/p ORIF L distal radius fx. XR today: healing callus, "
                                           "alignment maintained. Nonsmoker. Plan: bone growth stimulator to speed healing.",
                 doi="2015-01-15")
    assert twin.topic == "bone-growth-stimulators"
    assert twin.decision == "Upheld"


# -- drug testing: confirmation, listed screens, aberrant behavior as written ------------------------------------------

UDS = ("PR-2. Chronic LBP on Norco 10/325 bid for 2 yrs. Pain 7 -> 4 w/ meds, walks 30 min. {screens} Agreement signed. "
       "P: Norco #60. {plan}")


def test_routine_confirmatory_testing_after_consistent_screens_is_not_supported():
    note = UDS.format(screens="UDS 1/2015 consistent.", plan="UDS with LC/MS confirmation of all analytes.")
    item = _item("Urine drug test with quantitative LC/MS confirmation", note, doi="2012-01-01")
    assert _met(item, "uds.confirmation") is False
    assert item.decision == "Upheld"
    twin = _item("Urine drug test with quantitative LC/MS confirmation",
                 UDS.format(screens="UDS 1/2015 inconsistent: positive for oxycodone, not prescribed.",
                            plan="LC/MS confirmation of the screen."), doi="2012-01-01")
    assert _met(twin, "uds.confirmation") is True


def test_screens_listed_with_semicolons_each_count():
    screens = "UDS: 4/2014 consistent; 7/2014 consistent; 10/2014 consistent; 1/2015 consistent. Low risk on ORT."
    item = _item("Urine drug screen", UDS.format(screens=screens, plan="UDS today."), doi="2012-01-01")
    assert _met(item, "uds.frequency") is not True
    assert item.decision == "Upheld"
    twin = _item("Urine drug screen", UDS.format(screens="UDS: 4/2014 consistent. Low risk on ORT.", plan="UDS today."),
                 doi="2012-01-01")
    assert _met(twin, "uds.frequency") is True


def test_running_out_early_and_a_lost_prescription_are_aberrant_behavior():
    note = ("F/u. Norco 10/325 q6h. Took extra, ran out 8 days early; Rx lost last month. No UDS on file. "
            "Plan: Norco; UDS today.")
    item = _item("Urine toxicology screen", note, doi="2012-01-01")
    assert _met(item, "uds.frequency") is True
    twin = _item("Urine toxicology screen", "F/u. Norco 10/325 q6h as prescribed, no early refills. UDS 1/2015 c/w, "
                                            "UDS 2/2015 c/w. Plan: Norco; UDS today.", doi="2012-01-01")
    assert _met(twin, "uds.frequency") is not True


def test_a_screen_with_confirmation_kept_for_unexpected_results_is_a_screen():
    kb_item = _item("Urine drug screen (point of care, with confirmatory testing of unexpected results)",
                    UDS.format(screens="UDS 1/2014 consistent.", plan="UDS today."), doi="2012-01-01")
    assert "uds.confirmation" not in {c.id for c in kb_item.criteria}
    twin = _item("Urine drug screen with quantitative LC/MS confirmation",
                 UDS.format(screens="UDS 1/2014 consistent.", plan="UDS today."), doi="2012-01-01")
    assert "uds.confirmation" in {c.id for c in twin.criteria}
