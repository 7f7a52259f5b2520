"""Which document speaks (issue #11, third pass): a utilization reviewer's reading of the record is
not a clinical finding, neither for nor against the request; the treating physician's note governs."""

from __future__ import annotations

from openimr.engine import review_case
from openimr.extract import extract_facts
from openimr.extract.sources import is_ur_document, ur_zones
from openimr.models.case import CaseFile

NOTE = ("PR-2 DOS 02/02/2016\nS: Chronic LBP. LBP 8/10 w/o meds, 4/10 w/ meds. Norco allows him to walk 30 min and do "
        "dishes. No side effects. No aberrant behaviors. UDS 11/15/15 c/w prescribed meds. CURES reviewed 1/2016. "
        "Opioid agreement on file.\nP: Refill Norco 10/325 #120.\n")
UR = ("UTILIZATION REVIEW DETERMINATION 02/16/2016\nNorco 10/325 #120 - non-certified. Prior note from 10/2015 indicates "
      "8/10 pain with medications. There is no documentation of objective functional improvement. Weaning recommended.\n")


def _case(*docs: tuple[str, str, str]) -> CaseFile:
    return CaseFile.model_validate({
        "case_number": "DP-1",
        "injured_worker": {"age": 50, "sex": "male", "date_of_injury": "2014-05-02"},
        "request_for_authorization": {"date": "2016-02-03"},
        "utilization_review": {"date": "2016-02-16"},
        "disputed_items": [{"request": "Norco 10/325mg #120", "ur_decision": "non-certified"}],
        "documents": [{"id": f"d{i}", "type": t, "date": d, "text": x} for i, (t, d, x) in enumerate(docs)],
    })


def _findings(case: CaseFile) -> set[tuple[str, bool, str]]:
    return {(f.name, f.present, f.evidence[0].document) for f in extract_facts(case).findings}


def test_a_later_ur_letter_does_not_override_the_treating_note():
    case = _case(("progress_note", "2016-02-02", NOTE), ("ur_decision", "2016-02-16", UR))
    facts = extract_facts(case)
    assert all(p.evidence[0].document == "d0" for p in facts.pain)
    assert ("functional_improvement", False, "d1") not in _findings(case)
    item = review_case(case)[0].items[0]
    met = {c.id: c.met for c in item.criteria}
    assert met["opioids.ongoing.analgesia"] is True and met["opioids.ongoing.function"] is True
    assert item.decision == "Overturned"


def test_the_ur_opinion_is_not_evidence_for_the_request_either():
    # a UR letter that recounts good findings does not make a thin note sufficient
    thin = "PR-2 DOS 02/02/2016\nS: LBP. Refill Norco.\n"
    generous = ("UTILIZATION REVIEW DETERMINATION\nThe note documents pain 8/10 without medications and 4/10 with "
                "medications and that Norco allows him to walk 30 minutes. Non-certified for lack of a CURES report.\n")
    facts = extract_facts(_case(("progress_note", "2016-02-02", thin), ("ur_decision", "2016-02-16", generous)))
    assert facts.pain == []
    assert not [f for f in facts.findings if f.name == "functional_improvement"]


def test_a_sentence_reporting_the_reviewer_inside_a_note_or_summary():
    summary = ("The injured worker reports pain 7/10. Utilization review non-certified the request for Norco "
               "citing no documentation of functional improvement. According to the UR physician, the attending "
               "physician indicated that the pain was improved with Norco.")
    case = _case(("clinical_summary", "2016-02-20", summary))
    assert [p.score for p in extract_facts(case).pain] == [7.0]
    assert not [f for f in extract_facts(case).findings if f.name == "functional_improvement"]


def test_the_treating_physicians_own_negative_statement_still_counts():
    # the twin: "no functional improvement" written by the treating physician is a clinical finding
    note = "PR-2 DOS 02/02/2016\nS: LBP 8/10. No functional improvement with Norco. Refill Norco.\n"
    assert ("functional_improvement", False, "d0") in _findings(_case(("progress_note", "2016-02-02", note)))


def test_only_the_clause_naming_the_reviewer_is_the_reviewers():
    note = ("PR-2 DOS 02/02/2016\nShe completed 12 PT visits with 50% improvement in pain, and UR certified 6 more "
            "visits without documentation of functional gains.\n")
    zones = ur_zones(_case(("progress_note", "2016-02-02", note)))
    (start, end), = zones["d0"]
    assert "50% improvement" not in note[start:end] and "UR certified" in note[start:end]
    pt = [t for t in extract_facts(_case(("progress_note", "2016-02-02", note))).treatments if t.kind == "physical therapy"]
    assert pt and pt[0].response is not None and pt[0].response.percent_relief == 50


def test_what_the_ur_letter_records_about_the_request_is_kept():
    ur = "UR DETERMINATION\nThe request for physical therapy was modified to 6 visits, with 2 remaining.\n"
    facts = extract_facts(_case(("ur_decision", "2016-02-16", ur)))
    assert "partially_certified" in {c.name for c in facts.cues}


def test_ur_documents_by_type_or_heading():
    from openimr.models.case import Document

    assert is_ur_document(Document(id="a", type="ur_decision", text="Norco non-certified."))
    assert is_ur_document(Document(id="b", type="other", text="UTILIZATION REVIEW DETERMINATION\nNorco ..."))
    assert not is_ur_document(Document(id="c", type="progress_note", text="PR-2\nS: LBP. UR denied PT."))


def _pt_case(*docs: tuple[str, str, str]) -> CaseFile:
    return CaseFile.model_validate({
        "case_number": "DP-2",
        "injured_worker": {"age": 29, "sex": "male", "date_of_injury": "2014-11-03"},
        "request_for_authorization": {"date": "2014-12-16"},
        "utilization_review": {"date": "2014-12-26"},
        "disputed_items": [{"request": "Physical therapy lumbar spine 2x3 (6 visits)", "ur_decision": "non-certified"}],
        "documents": [{"id": f"d{i}", "type": t, "date": d, "text": x} for i, (t, d, x) in enumerate(docs)],
    })


def _is_repeat(case: CaseFile):
    item = review_case(case)[0].items[0]
    return next((c.facts["request.is_repeat"] for c in item.criteria if "request.is_repeat" in c.facts), "absent")


def test_a_course_only_the_reviewer_mentions_is_not_the_records_history():
    note = "PR-2 12/15/2014\nS: LBP 4/10 (was 7/10). Working mod duty.\nP: PT 2x3 w/ HEP instruction.\n"
    ur = "UR 12/26/2014\nPT 2x3 - Non-certified. Guidelines require documented benefit after prior ESIs and PT."
    facts = extract_facts(_pt_case(("progress_note", "2014-12-15", note), ("ur_decision", "2014-12-26", ur)))
    assert not [t for t in facts.treatments if t.status != "planned"]


def test_no_pt_yet_makes_a_first_course():
    note = "PR-2 12/15/2014\nS: LBP 4/10. Working mod duty. No PT yet.\nP: PT 2x3 w/ HEP instruction.\n"
    assert _is_repeat(_pt_case(("progress_note", "2014-12-15", note))) in (False, "absent")
    # the twin: PT given before makes it a repeat
    done = "PR-2 12/15/2014\nS: LBP 4/10. Completed 6 PT visits in 11/2014 with some help.\nP: PT 2x3.\n"
    assert _is_repeat(_pt_case(("progress_note", "2014-12-15", done))) is True
