"""Issue #11 (rehab): therapy, surgery and block decisions read as the guidelines state them.

Each change has twins: a record that meets the criterion and one that does not. The records are written here in
our own words; none is taken from a held-out set or a real letter.
"""

from __future__ import annotations

from one_note import criteria_met, documents_case

from openimr.engine import review_case
from openimr.models.case import CaseFile


def _case(requests: list[str], docs: list[tuple[str, str, str]], doi: str = "2015-03-01") -> CaseFile:
    return documents_case(requests, docs, doi=doi, rfa_date="2016-05-02", ur_date="2016-05-09", age=52, case_number="RH-1")


def _items(case: CaseFile):
    return {it.request: it for it in review_case(case)[0].items}


_met = criteria_met


# -- subacromial decompression: the MRI lesion of impingement is an impinging acromion, bursitis, tendinosis ----

SAD = "Left shoulder arthroscopy with subacromial decompression"
SAD_NOTE = ("Ortho PR-2 4/20/16: L shoulder pain since 3/2015 reaching overhead at work. Has had 14 PT visits, home "
            "exercise, meloxicam and two subacromial cortisone injections (6/2015, 11/2015) with only temporary relief. "
            "O: Hawkins pos, Neer pos, painful arc. A: L shoulder impingement. P: L shoulder scope with SAD.")


def test_decompression_is_supported_when_the_mri_shows_the_lesion_of_impingement():
    mri = "MRI L shoulder: downsloping acromion with subacromial bursitis and supraspinatus tendinopathy. No cuff tear."
    case = _case([SAD], [("imaging_report", "2015-12-10", mri), ("progress_note", "2016-04-20", SAD_NOTE)])
    item = _items(case)[SAD]
    assert _met(item)["shoulder-scope.imaging"] is True
    assert item.decision == "Overturned"


def test_decompression_is_not_supported_when_the_mri_shows_no_lesion():
    mri = "MRI L shoulder: unremarkable study. No cuff tear, no bursal fluid."
    case = _case([SAD], [("imaging_report", "2015-12-10", mri), ("progress_note", "2016-04-20", SAD_NOTE)])
    item = _items(case)[SAD]
    assert _met(item)["shoulder-scope.imaging"] is False
    assert item.decision == "Upheld"


# -- more postsurgical therapy: the re-evaluation's measured gain is the functional improvement -----------------

PST = "Additional postoperative physical therapy right knee 8 visits"
OP = ("operative_report", "2016-02-01", "Operative report 2/1/16: right total knee replacement for tricompartmental OA.")
SURGEON = ("progress_note", "2016-04-25", "Ortho f/u: 12 wks s/p R TKA, incision healed, flexion 110. Request PT x8 more.")


def _reeval(scale: str) -> tuple[str, str, str]:
    return ("pt_note", "2016-04-20", f"Physical therapy progress note, visit 12: R knee AROM 3-110. {scale} "
            "Goal: stairs without rail. Plan 2x4.")


def test_more_postsurgical_therapy_is_supported_when_the_functional_scale_rose():
    case = _case([PST], [OP, _reeval("LEFS 31 -> 49 since the initial evaluation."), SURGEON])
    item = _items(case)[PST]
    assert _met(item)["pst.functional-improvement.knee-arthroplasty"] is True
    assert item.decision == "Overturned"


def test_more_postsurgical_therapy_is_not_supported_when_the_functional_scale_did_not_rise():
    case = _case([PST], [OP, _reeval("LEFS 49 -> 41 since the initial evaluation."), SURGEON])
    item = _items(case)[PST]
    assert _met(item)["pst.functional-improvement.knee-arthroplasty"] is not True
    assert item.decision == "Upheld"


# -- the initial course (half the general course) needs no proof of improvement, even on a second request ------

CUFF = ("operative_report", "2016-03-01", "OPERATIVE NOTE\nProcedure: L shoulder arthroscopic rotator cuff repair, "
        "two suture anchors.\nPlan: sling 6 weeks, therapy per protocol.")


def _cuff_note(done: int, more: int) -> tuple[str, str, str]:
    return ("progress_note", "2016-04-28", f"Ortho PR-2: 8 wks s/p L shoulder cuff repair. {done} PT visits done so far. "
            f"PROM flexion 120. Request PT {more} more visits, 2x/wk.")


def test_a_second_request_within_the_initial_postsurgical_course_needs_no_proof_of_improvement():
    req = "Postoperative physical therapy left shoulder 12 visits"
    case = _case([req], [CUFF, _cuff_note(6, 12)])
    item = _items(case)[req]
    met = _met(item)
    assert met.get("pst.visits.rotator-cuff-repair") is True  # the type read from the operative note's words
    assert "pst.functional-improvement.rotator-cuff-repair" not in met
    assert item.decision == "Overturned"


def test_a_request_beyond_the_initial_postsurgical_course_needs_proof_of_improvement():
    req = "Postoperative physical therapy left shoulder 12 visits"
    case = _case([req], [CUFF, _cuff_note(16, 12)])
    item = _items(case)[req]
    met = _met(item)
    assert "pst.functional-improvement.rotator-cuff-repair" in met and met["pst.functional-improvement.rotator-cuff-repair"] is None
    assert item.decision == "Upheld"


# -- a recent injury whose record starts at the injury: the course requested is the first ------------------------

PT_WRIST = "Physical therapy left wrist 6 visits"
WRIST_NOTE = ("PR-2: 44F cashier, FOOSH onto L wrist at work. Wrist sprain, XR neg for fx. Grip 30 lb L vs 60 R, "
              "TTP dorsal wrist, ROM decr. Plan: PT 2x3 for ROM and grip, HEP, wrist brace. Modified duty.")


def test_therapy_for_a_recent_injury_documented_from_its_start_is_a_first_course():
    case = _case([PT_WRIST], [("progress_note", "2016-04-04", "Clinic visit 4/4/16: fell on L wrist at work today. "
                               "Swelling, splint, ice."), ("progress_note", "2016-04-28", WRIST_NOTE)], doi="2016-04-04")
    item = _items(case)[PT_WRIST]
    assert "pt.functional-improvement" not in _met(item)
    assert item.decision == "Overturned"


def test_therapy_for_an_old_injury_with_a_record_that_starts_late_is_not_assumed_to_be_a_first_course():
    case = _case([PT_WRIST], [("progress_note", "2016-04-28", WRIST_NOTE)], doi="2015-04-04")
    item = _items(case)[PT_WRIST]
    met = _met(item)
    assert "pt.functional-improvement" in met and met["pt.functional-improvement"] is None
    assert item.decision == "Upheld"


# -- carpal tunnel release: the study's impression as electromyographers write it ------------------------------

def _ncs(impression: str) -> tuple[str, str, str]:
    return ("emg_report", "2016-01-12", f"NCS/EMG 1/12/16: R median distal sensory latency measured. Impression: {impression}")


def test_a_median_neuropathy_at_the_wrist_is_a_carpal_tunnel_study():
    case = _case(["Right carpal tunnel release"], [_ncs("right median neuropathy at the wrist, moderate.")])
    assert _met(_items(case)["Right carpal tunnel release"])["ctr.electrodiagnostic"] is True


def test_a_study_with_a_normal_median_nerve_is_not_a_carpal_tunnel_study():
    case = _case(["Right carpal tunnel release"], [_ncs("normal study; no ulnar or radial neuropathy.")])
    assert _met(_items(case)["Right carpal tunnel release"])["ctr.electrodiagnostic"] is False


# -- facet blocks: a note that says the pain does not radiate establishes non-radicular pain -------------------

MBB = "Bilateral L3-4 and L4-5 medial branch blocks"


def _facet_note(radiation: str) -> tuple[str, str, str]:
    return ("progress_note", "2016-04-20", f"Pain PR-2: 61F, low back pain since 2013, worse with standing and twisting. "
            f"{radiation} Had PT x 12, chiro x 8, meloxicam, HEP - no lasting relief. O: TTP over L3-4, L4-5 facets "
            "bilat, facet loading pos bilat. Plan: diagnostic MBB L3-4, L4-5 bilat; RF neurotomy if positive.")


def test_medial_branch_blocks_for_pain_that_does_not_radiate_are_for_non_radicular_pain():
    case = _case([MBB], [_facet_note("Denies radiating leg pain.")])
    assert _met(_items(case)[MBB])["mbb.non-radicular"] is True


def test_medial_branch_blocks_for_pain_that_radiates_are_not_for_non_radicular_pain():
    case = _case([MBB], [_facet_note("Pain radiates down the L leg to the foot.")])
    assert _met(_items(case)[MBB])["mbb.non-radicular"] is not True


# -- neurotomy: the joint levels count, not the branches that supply them -----------------------------------

def test_joint_levels_named_with_their_medial_branches_count_as_the_joints():
    from openimr.lexicon.levels import count_levels

    assert count_levels(["L4-L5", "L5-S1", "L3", "L4", "L5"]) == 2
    assert count_levels(["L2-L3", "L3-L4", "L4-L5"]) == 3  # three joints are three levels, branches or not
    assert count_levels(["L3", "L4", "L5"]) == 3  # without a joint level, single levels are the levels


# -- an AED's indication named as a diagnosis: fibromyalgia ------------------------------------------------------

LYRICA = "Pregabalin 50mg #90"


def _lyrica_note(dx: str) -> tuple[str, str, str]:
    return ("progress_note", "2016-04-20", f"PR-2: 50F, diffuse aching neck, back and arms since 2012. {dx} "
            "Pregabalin 50 TID since 2014: pain 8/10 -> 4/10 on it, works 6 h/day. Plan: refill pregabalin 50mg #90.")


def test_a_neuropathic_drug_for_diagnosed_fibromyalgia_has_its_indication():
    case = _case([LYRICA], [_lyrica_note("Rheumatology dx: fibromyalgia.")])
    assert _met(_items(case)[LYRICA])["antiepileptics.neuropathic-pain"] is True


def test_a_neuropathic_drug_for_a_muscle_strain_has_no_indication():
    case = _case([LYRICA], [_lyrica_note("Dx: cervical strain.")])
    assert _met(_items(case)[LYRICA])["antiepileptics.neuropathic-pain"] is not True


# -- a block the record calls diagnostic is the step before a neurotomy -----------------------------------------

DX_MBB = "Diagnostic medial branch blocks bilateral L4-5 and L5-S1"


def _axial_note(plan: str) -> tuple[str, str, str]:
    return ("progress_note", "2016-04-20", "Spine PR-2: 58M, axial low back pain since 2014, no leg pain. Failed PT x 10, "
            "chiro x 6, naproxen, HEP. O: tenderness over bilateral L4-5, L5-S1 facets; pain with extension-rotation "
            f"bilat; SLR neg; neuro intact. A: lumbar facet pain. P: {plan}")


def test_a_diagnostic_block_is_the_step_before_a_neurotomy_and_the_exam_signs_are_read():
    item = _items(_case([DX_MBB], [_axial_note("diagnostic MBB bilateral L4-5, L5-S1, lidocaine only.")]))[DX_MBB]
    met = _met(item)
    assert met["mbb.diagnostic-for-neurotomy"] is True
    assert met["mbb.facet-signs"] is True
    assert item.decision == "Overturned"


def test_a_block_with_no_neurotomy_to_follow_is_not_that_step():
    note = _axial_note("diagnostic MBB bilateral L4-5, L5-S1. Pt declines RF neurotomy; not a candidate for ablation.")
    item = _items(_case([DX_MBB], [note]))[DX_MBB]
    assert _met(item)["mbb.diagnostic-for-neurotomy"] is not True
    assert item.decision == "Upheld"


# -- a neurotomy after a block whose note records the pain before and after it -----------------------------------

RFA = "Radiofrequency neurotomy left L4-5 and L5-S1"


def _rfa_case(scores: str) -> CaseFile:
    proc = ("procedure_note", "2016-03-10", "PROCEDURE: L L4-5 and L5-S1 medial branch blocks, 0.5 ml 2% lidocaine each. "
            f"{scores} No complications.")
    note = ("progress_note", "2016-04-20", "PR-2: L axial LBP, no radicular sx, neuro intact. Cont HEP and walking. "
            "P: RF neurotomy L L4-5, L5-S1 with continued home exercise.")
    return _case([RFA], [proc, note])


def test_a_block_whose_pain_fell_from_eight_to_one_is_positive():
    assert _met(_items(_rfa_case("Pre-procedure pain 8/10; post 1/10 at 30 min."))[RFA])["rfa.positive-diagnostic-block"] is True


def test_a_block_whose_pain_fell_from_eight_to_six_is_not_positive():
    assert _met(_items(_rfa_case("Pre-procedure pain 8/10; post 6/10 at 30 min."))[RFA])["rfa.positive-diagnostic-block"] is False


# -- conservative care failed: the neurologic signs the surgeon still finds after it ----------------------------

CTR = "Left carpal tunnel release"
CTR_NCS = ("emg_report", "2016-01-12", "NCS 1/12/16. Impression: left median neuropathy at the wrist, moderate.")


def _ctr_note(exam: str) -> tuple[str, str, str]:
    return ("progress_note", "2016-04-20", "Hand surgery f/u: 47F packer. Care so far: night splints since 10/2015, NSAIDs, "
            f"steroid injection 12/2015 with relief x 4 wks. {exam} Plan: L open carpal tunnel release.")


def test_neurologic_signs_found_after_conservative_care_show_it_failed():
    case = _case([CTR], [CTR_NCS, _ctr_note("Exam: Tinel + L wrist, Phalen + at 20 s, APB 4/5 L.")])
    assert _met(_items(case)[CTR])["ctr.conservative-failed"] is True


def test_without_signs_or_complaints_after_conservative_care_its_failure_is_not_shown():
    case = _case([CTR], [CTR_NCS, _ctr_note("Exam: skin intact, full wrist ROM.")])
    assert _met(_items(case)[CTR])["ctr.conservative-failed"] is not True
