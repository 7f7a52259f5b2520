"""Regression tests: every case a new user found (issue #11), in the clinicians' own register.

Each case is a small record written as a treating physician would write it; each test asserts the
draft decision and the criterion that decided it, so a fix cannot pass by luck of the default.
"""

from __future__ import annotations

from openimr.engine import review_case
from openimr.models.case import CaseFile


def _case(request: str, docs: list[tuple[str, str, str]], rfa: str = "2016-03-10") -> CaseFile:
    return CaseFile.model_validate({
        "case_number": "NU-1",
        "injured_worker": {"age": 52, "sex": "female", "date_of_injury": "2014-05-02"},
        "request_for_authorization": {"date": rfa},
        "utilization_review": {"date": "2016-03-17"},
        "disputed_items": [{"request": request, "ur_decision": "non-certified"}],
        "documents": [{"id": f"d{i}", "type": t, "date": d, "text": text} for i, (t, d, text) in enumerate(docs)],
    })


def _item(case: CaseFile):
    draft, outcomes = review_case(case)
    return draft.items[0], outcomes[0]


def _criterion(outcome, cid_part: str):
    hits = [c for c in outcome.item.criteria if cid_part in c.id]
    assert hits, f"no criterion {cid_part!r} in {[c.id for c in outcome.item.criteria]}"
    return hits[0]


def test_mild_osteoarthritis_does_not_meet_severe_osteoarthritis_for_viscosupplementation():
    case = _case("Synvisc-One injection right knee", [("progress_note", "2016-03-01", (
        "S: R knee pain 6/10, worse with stairs. Tried naproxen and HEP x 4 months, steroid inj 10/2015 helped 2 wks.\n"
        "O: R knee mild crepitus, no effusion, ROM 0-125.\n"
        "X-ray R knee 01/2016: mild medial joint space narrowing.\n"
        "A: Mild osteoarthritis of the right knee.\n"
        "P: Request Synvisc-One R knee."))])
    item, outcome = _item(case)
    assert item.decision == "Upheld"
    assert _criterion(outcome, "severe-oa").met is not True


def test_severe_osteoarthritis_meets_the_indication():
    case = _case("Synvisc-One injection right knee", [("progress_note", "2016-03-01", (
        "S: R knee pain 8/10. Failed naproxen, PT x 12, HEP; cortisone inj 10/2015 lasted 2 wks.\n"
        "O: R knee crepitus, bony enlargement, effusion.\n"
        "X-ray R knee: bone-on-bone medial compartment.\n"
        "A: Severe osteoarthritis of the right knee.\n"
        "P: Request Synvisc-One R knee."))])
    _, outcome = _item(case)
    assert _criterion(outcome, "severe-oa").met is True


def test_quadriceps_weakness_is_not_a_neurologic_deficit_when_the_neurologic_exam_is_normal():
    case = _case("Lumbar epidural steroid injection L4-L5", [("progress_note", "2016-03-01", (
        "S: LBP 7/10 radiating to the R buttock. s/p R knee scope, doing PT.\n"
        "O: Lumbar paraspinal tenderness. R quadriceps weakness from disuse after knee surgery. "
        "Neurologic exam normal: sensation intact, DTRs 2+ and symmetric.\n"
        "MRI L-spine 12/2015: L4-5 disc bulge without stenosis.\n"
        "P: Request L4-5 ESI."))])
    item, outcome = _item(case)
    assert item.decision == "Upheld"
    facts = {k: v for c in outcome.item.criteria for k, v in c.facts.items()}
    assert facts.get("radiculopathy.corroborated") is not True
    from openimr.extract import extract_facts

    weakness = [f for f in extract_facts(case).findings if f.name == "motor_weakness"]
    assert weakness and not any(f.present for f in weakness)


def test_graded_myotomal_weakness_stays_a_neurologic_finding():
    from openimr.extract import extract_facts

    case = _case("Lumbar epidural steroid injection L4-L5", [("progress_note", "2016-03-01", (
        "O: EHL weakness 4/5 on the left. Decreased sensation L5 dermatome. Neuro otherwise intact.\n"))])
    assert any(f.present for f in extract_facts(case).findings if f.name == "motor_weakness")


def test_an_operative_report_dates_the_surgery():
    case = _case("Post-operative physical therapy 12 visits right shoulder", [
        ("operative_report", "2016-01-20", (
            "OPERATIVE REPORT\nPreoperative diagnosis: Right rotator cuff tear.\n"
            "Procedure: Right shoulder arthroscopic rotator cuff repair and subacromial decompression.\n")),
        ("progress_note", "2016-03-01", (
            "S: Post-op R shoulder, 6 wks. Pain 5/10. Sling d/c'd.\nO: R shoulder flexion 90, abduction 70.\n"
            "P: Start post-op PT 2x6 R shoulder."))])
    _, outcome = _item(case)
    facts = {k: v for c in outcome.item.criteria for k, v in c.facts.items()}
    assert facts.get("treatment.surgery.days_since") == 50


def test_ibuprofen_does_not_meet_failed_antidepressants_and_anticonvulsants_for_terocin():
    case = _case("Terocin patches #30", [("progress_note", "2016-03-01", (
        "S: Neck pain 6/10 radiating to the L arm with burning and tingling. Ibuprofen 800 mg TID helps some.\n"
        "O: C-spine tenderness. Decreased sensation L C6 dermatome.\n"
        "Meds: Ibuprofen 800 mg TID.\n"
        "P: Terocin patches #30 for neuropathic pain."))])
    item, outcome = _item(case)
    assert item.decision == "Upheld"
    assert _criterion(outcome, "neuropathic-after-first-line").met is not True


def test_gabapentin_and_amitriptyline_trials_meet_the_first_line_requirement():
    case = _case("Terocin patches #30", [("progress_note", "2016-03-01", (
        "S: Neck pain radiating to the L arm with burning. Gabapentin 300 mg TID caused somnolence, d/c'd. "
        "Amitriptyline 25 mg qhs no benefit, stopped.\n"
        "O: Decreased sensation L C6 dermatome.\n"
        "P: Terocin patches #30 for neuropathic pain."))])
    _, outcome = _item(case)
    facts = {k: v for c in outcome.item.criteria for k, v in c.facts.items()}
    assert facts.get("medication.neuropathic_first_line_tried") is True


def test_eighteen_sessions_of_therapy_with_temporary_relief_is_failed_conservative_care():
    case = _case("Lumbar epidural steroid injection L5-S1", [
        ("mri", "2016-01-15", "MRI LUMBAR SPINE\nImpression: L5-S1 disc extrusion compressing the left S1 nerve root."),
        ("progress_note", "2016-03-01", (
            "S: LBP radiating down the L leg to the foot, 8/10. Has had 18 sessions of physical therapy, "
            "chiropractic x 6 and naproxen, with temporary relief only.\n"
            "O: SLR positive on the left at 40 degrees. Decreased sensation L S1 dermatome. L Achilles reflex absent.\n"
            "A: L S1 radiculopathy.\nP: Request L5-S1 ESI."))])
    _, outcome = _item(case)
    facts = {k: v for c in outcome.item.criteria for k, v in c.facts.items()}
    assert facts.get("treatment.conservative_failed") is True


def test_a_psychological_evaluation_is_not_held_to_the_therapy_visit_cap():
    case = _case("Psychological evaluation", [("progress_note", "2016-03-01", (
        "S: Chronic LBP, depressed mood, poor sleep, fear of reinjury. Beck Depression Inventory 24.\n"
        "P: Refer for psychological evaluation."))])
    item, outcome = _item(case)
    ids = [c.id for c in outcome.item.criteria]
    assert not any("session" in i or "visit" in i for i in ids), ids
    assert item.decision == "Overturned"  # MTUS: psychological evaluations are recommended for chronic pain


def test_no_applicable_criterion_is_unable_to_decide_never_overturned():
    """A real entry whose every criterion is conditional on a repeat course: for a first course no
    criterion applies and there is no decision; when new vs continuing is unknown they may apply."""
    from openimr.engine.evaluate import judge
    from openimr.guidelines.knowledge_base import default_knowledge_base
    from openimr.models.knowledge import Condition

    entry = default_knowledge_base().topic("knee-injections").guidelines[-1]
    cond = Condition.model_validate({"fact": "request.is_repeat", "op": "is_true"})
    entry = entry.model_copy(update={"criteria": [c.model_copy(update={"applies_when": cond}) for c in entry.criteria]})

    class _FirstCourse:  # the record says it is not a repeat; nothing else
        def value(self, name):
            return False if name == "request.is_repeat" else None

        def get(self, name):
            raise AssertionError("criteria that do not apply read no evidence")

    j = judge(entry, _FirstCourse())
    assert j.decision is None and not j.judged

    class _Unknown(_FirstCourse):  # whether it is a repeat is unknown: the criteria may apply, undocumented
        def value(self, name):
            return None

        def get(self, name):
            from openimr.engine.derive import NONE

            return NONE

    j = judge(entry, _Unknown())
    assert j.decision == "Upheld" and j.judged and all(c.result.met is None for c in j.judged)


def test_an_additional_course_is_a_repeat_and_no_history_is_unknown():
    from openimr.engine.derive import FactResolver
    from openimr.guidelines.classifier import classify
    from openimr.guidelines.knowledge_base import default_knowledge_base
    from openimr.models.facts import CaseFacts

    kb = default_knowledge_base()
    case = _case("Additional physical therapy 6 visits lumbar", [("progress_note", "2016-03-01", "LBP.")])
    for text, expected in (("Additional physical therapy 6 visits lumbar", True), ("Physical therapy 6 visits lumbar", None),
                           ("Initial trial of physical therapy 6 visits lumbar", False)):
        req = classify(text, kb)
        r = FactResolver(facts=CaseFacts(), request=req, case=case, topic=kb.topic(req.topic))
        assert r.value("request.is_repeat") is expected, text


PR2_OPIOID = """PR-2 PROGRESS REPORT  DOS 02/02/2016
S: Chronic LBP w/ radiation to L leg. VAS 8/10 w/o meds, 4/10 w/ meds. Norco lets him walk 30 min and do dishes.
No side effects other than mild constipation, controlled w/ Colace. No aberrant behaviors. UDS 11/15/15 c/w prescribed meds.
CURES reviewed 1/2016, appropriate. Pain contract on file.
Meds: Norco 10/325 mg 1 PO q6h prn #120. Naproxen 550 mg BID - helps w/ inflammation, decreases pain 3 points.
O: Lumbar paraspinal tenderness, ROM flex 40 deg. SLR + L at 45 deg.
A: Lumbar DDD; L L5 radiculopathy.
P: Refill Norco 10/325 #120. Refill naproxen 550 #60. Continue HEP. RTC 4 wks.
"""


def _pr2_case(text: str) -> CaseFile:
    return _case("Norco 10/325mg #120", [("progress_note", "2016-02-02", text)], rfa="2016-02-03").model_copy(
        update={"disputed_items": [*_case("Norco 10/325mg #120", []).disputed_items,
                                   *_case("Naproxen 550mg #60", []).disputed_items]})


def test_the_four_as_in_pr2_shorthand_support_continuing_norco_and_naproxen():
    draft, _ = review_case(_pr2_case(PR2_OPIOID))
    assert [i.decision for i in draft.items] == ["Overturned", "Overturned"]


def test_the_same_note_without_the_four_as_does_not():
    bare = ("PR-2 PROGRESS REPORT  DOS 02/02/2016\nS: Chronic LBP w/ radiation to L leg.\n"
            "Meds: Norco 10/325 mg 1 PO q6h prn #120. Naproxen 550 mg BID.\nP: Refill Norco 10/325 #120. Refill naproxen 550 #60.\n")
    draft, _ = review_case(_pr2_case(bare))
    assert [i.decision for i in draft.items] == ["Upheld", "Upheld"]


def test_a_met_rationale_states_only_what_the_deciding_facts_say():
    """Met through the drug-screen branch: the rationale must not claim the record documents no aberrance."""
    text = ("S: LBP. VAS 7/10 w/o meds, 3/10 w/ meds. Norco lets him walk 30 min. Denies side effects. "
            "UDS 11/15/15 c/w prescribed meds. CURES reviewed. Pain contract on file.\n"
            "Meds: Norco 10/325 mg q6h #120.\nP: Refill Norco 10/325 #120.\n")
    draft, outcomes = review_case(_case("Norco 10/325mg #120", [("progress_note", "2016-02-02", text)], rfa="2016-02-03"))
    crit = [c for c in outcomes[0].judgement.criteria if c.criterion.id.endswith("adverse-effects-and-aberrance")][0]
    assert crit.result.met is True
    assert "document no aberrant" not in crit.text and "aberrant drug-related behavior: not mentioned" in crit.text


def test_a_first_time_prescription_is_not_held_to_continuation_criteria():
    text = ("S: Neck and arm pain 6/10. Not using any medications.\nP: Naprosyn 500 mg BID #60, a first-time "
            "prescription of Naprosyn for neck pain.\n")
    _, outcome = _item(_case("Naproxen 500mg #60", [("progress_note", "2016-03-01", text)]))
    ids = [c.id for c in outcome.item.criteria]
    assert "nsaids.ongoing.benefit" not in ids, ids
