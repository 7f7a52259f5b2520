"""Issue #11, third pass: which document speaks, new vs continuing, post-operative care, lumbar supports.

Each general rule has a twin that the rule must not break. Records are written here in PR-2 shorthand;
none is taken from a held-out set or a real letter.
"""

from __future__ import annotations

from openimr.engine import review_case
from openimr.engine.derive import FactResolver
from openimr.extract import extract_facts
from openimr.guidelines.classifier import classify
from openimr.guidelines.knowledge_base import default_knowledge_base
from openimr.models.case import CaseFile


def _case(requests: list[str], docs: list[tuple[str, str, str]], doi: str = "2015-01-10") -> CaseFile:
    return CaseFile.model_validate({
        "case_number": "TP-1",
        "injured_worker": {"age": 44, "sex": "female", "date_of_injury": doi},
        "request_for_authorization": {"date": "2015-06-02"},
        "utilization_review": {"date": "2015-06-09"},
        "disputed_items": [{"request": r, "ur_decision": "non-certified"} for r in requests],
        "documents": [{"id": f"d{n}", "type": kind, "date": date, "text": text} for n, (kind, date, text) in enumerate(docs)],
    })


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
