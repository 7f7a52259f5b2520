"""Issue #11 (r12other): injections, consultations and programs read as clinicians chart them.

Twins: a record that meets the criterion and one that does not, written here in our own words (no held-out or real
record). Each pair differs only in the fact the change reads.
"""

from __future__ import annotations

import pytest
from one_note import criterion_met, first_item, one_note_case

from openimr.extract.facts import extract_facts


def _item(request: str, note: str, *, doi: str = "2012-03-05", date: str = "2015-09-14", extra=None):
    return first_item(one_note_case(request, note, doi=doi, date=date, extra_docs=extra))


# -- a steroid injection charted by its product and dose is the steroid injection hyaluronic acid asks for first --------
_HA_NOTE = ("Ortho f/u 9/14/15. L knee medial pain 6/10, worse on stairs, walks 2 blocks. {care} PT 8 visits 2014, no lasting benefit. Ibuprofen, then "
            "naproxen: partial relief. HEP. Exam: crepitus, medial joint line tenderness, ROM 0-110. X-rays: severe "
            "medial joint space loss, bone on bone, KL 4. A: severe L knee OA. P: {plan}")


@pytest.mark.parametrize("care", [
    "Depo-Medrol 80mg L knee 3/2015, helped about 5 weeks.",
    "Had triamcinolone 40 mg IA L knee in April 2015, short-lived relief.",
    "Kenalog 40 L knee 02/2015 - wore off in 6 wks.",
])
def test_an_injectable_steroid_with_its_dose_is_a_prior_steroid_injection(care):
    item = _item("Orthovisc injections L knee x3", _HA_NOTE.format(care=care, plan="Orthovisc series L knee."))
    assert criterion_met(item, "ha.conservative-failed") is True
    assert item.decision == "Overturned"


def test_with_no_steroid_injection_charted_the_ha_criterion_stays_undocumented():
    item = _item("Orthovisc injections L knee x3", _HA_NOTE.format(care="", plan="Orthovisc series L knee."))
    assert criterion_met(item, "ha.conservative-failed") is None
    assert item.decision == "Upheld"


# -- a visit booked after a care is a plan, not a prior course of that care ---------------------------------------------
@pytest.mark.parametrize("followup", [
    "RTC after injection.",
    "F/u 2 wks post injection.",
    "Will see her back after the injection.",
    "Return to clinic following injection for recheck.",
])
def test_a_follow_up_after_the_injection_does_not_make_the_request_a_repeat(followup):
    care = "Kenalog 40 mg L knee 3/2015, relief about 6 weeks."
    item = _item("Synvisc-One injection L knee", _HA_NOTE.format(care=care, plan=f"Synvisc-One L knee. {followup}"))
    assert criterion_met(item, "ha.repeat-response") == "not judged"
    assert item.decision == "Overturned"


@pytest.mark.parametrize("sentence, status", [
    ("RTC after injection.", "planned"),
    ("Follow-up in 2 weeks post injection.", "planned"),
    ("F/u after injection 3/2015: 50% relief.", "completed"),
    ("Seen for follow-up after the injection, which gave good relief.", "completed"),
])
def test_a_follow_up_with_a_result_or_a_date_reports_a_given_injection(sentence, status):
    case = one_note_case("Synvisc-One injection L knee", f"Ortho f/u 9/14/15. L knee pain 6/10. {sentence}",
                         doi="2012-03-05", date="2015-09-14")
    shots = [t for t in extract_facts(case).treatments if t.kind == "injection"]
    assert [t.status for t in shots] == [status]


# -- a deficit called new with its side or limb between ("new R foot drop") is a progressive deficit ---------------------
_CONSULT_NOTE = ("PR-2 9/14/15: low back and R leg pain 8/10 after 6 weeks of PT and NSAIDs. {exam} SLR + R at 40. "
                 "No bowel or bladder change. Plan: neurosurgery consult.")


@pytest.mark.parametrize("exam", [
    "New R foot drop this week, ankle DF 3/5.",
    "Worsening left leg weakness, EHL 4-/5.",
    "New-onset rt foot numbness in the L5 distribution, EHL 4/5.",
])
def test_a_new_deficit_named_with_its_side_is_a_reason_for_the_consultation(exam):
    item = _item("Neurosurgical consultation", _CONSULT_NOTE.format(exam=exam))
    assert criterion_met(item, "consult.reason") is True
    assert item.decision == "Overturned"


def test_a_steady_deficit_is_no_such_reason():
    item = _item("Neurosurgical consultation", _CONSULT_NOTE.format(exam="R EHL 4/5, unchanged for a year."))
    assert criterion_met(item, "consult.reason") is None


# -- a list of care tried before a program: "RFA" is the ablation, a bracketed outcome is its own item's -----------------
@pytest.mark.parametrize("history", [
    "Care so far: PT 24 visits, chiro, lumbar RFA 2013 (relief 4 months), meds.",
    "Prior tx: acupuncture x12; PT x20; L4-5 facet RFA 3/2014 (good benefit for a few months).",
    "Has tried physical therapy, chiropractic, TENS, RFA L4-5 in 2014 (helped about 3 months).",
])
def test_care_listed_beside_an_ablation_is_care_given_and_the_ablations_outcome_is_not_theirs(history):
    case = one_note_case("Functional restoration program x 80 hours", f"FRP evaluation 9/14/15: chronic low back pain. {history}",
                         doi="2012-03-05", date="2015-09-14")
    care = {t.kind: t for t in extract_facts(case).treatments if t.kind in ("physical therapy", "chiropractic", "acupuncture")}
    assert care and all(t.status == "completed" for t in care.values())
    assert all(t.response is None or not t.response.symptoms_improved for t in care.values())


def test_an_outcome_written_after_the_whole_list_still_reads_for_each_item():
    note = "FRP evaluation 9/14/15: low back pain. Has tried PT, chiropractic and acupuncture, all without lasting benefit."
    case = one_note_case("Functional restoration program x 80 hours", note, doi="2012-03-05", date="2015-09-14")
    pt = [t for t in extract_facts(case).treatments if t.kind == "physical therapy"]
    assert pt and pt[0].response is not None and pt[0].response.symptoms_improved is False


_FRP_NOTE = ("Multidisciplinary FRP evaluation 9/14/15. 49 y/o warehouse lead, DOI 3/5/12. {pain} Treated with PT "
             "(~24 visits), chiropractic, acupuncture 8, lumbar ESI x2, medications. Spine surgery consult: not a surgical "
             "candidate. Baseline: ODI 52%, sits 20 min, walks 10 min. BDI 20. Motivated to return to work; signed program "
             "goals. Off work 14 months. Recommendation: FRP 80 hours.")


@pytest.mark.parametrize("pain", [
    "Chronic low back pain.",
    "Low back pain, chronic since the injury.",
    "Has chronic, daily axial back pain.",
])
def test_pain_that_outlasts_the_care_listed_is_care_that_failed(pain):
    item = _item("Functional restoration program x 80 hours", _FRP_NOTE.format(pain=pain))
    assert criterion_met(item, "frp.prior-methods-failed") is True


def test_no_word_on_how_the_pain_fared_leaves_it_undocumented():
    item = _item("Functional restoration program x 80 hours", _FRP_NOTE.format(pain="Low back pain."))
    assert criterion_met(item, "frp.prior-methods-failed") is None


def test_brackets_of_dates_leave_the_outcome_after_them_to_the_whole_list():
    note = ("Shoulder f/u 9/14/15. Tx to date: PT 16 visits, 2 subacromial steroid injections (2/15, 6/15) - brief relief "
            "only, NSAIDs, HEP.")
    case = one_note_case("Right shoulder arthroscopic subacromial decompression", note, doi="2012-03-05", date="2015-09-14")
    pt = [t for t in extract_facts(case).treatments if t.kind == "physical therapy"]
    assert pt and pt[0].response is not None and pt[0].response.symptoms_improved is False


# -- a deficit the previous examination found absent has progressed, by the notes' own dates ---------------------------
_EARLIER = "PR-2 8/20/15: neck pain radiating to the R arm 5/10. {exam} Spurling + R. Cont PT."
_LATER = "PR-2 9/14/15: neck and R arm pain 8/10 despite PT and NSAIDs. {exam} Spurling + R. Plan: spine surgery consult."


@pytest.mark.parametrize("before, now", [
    ("Strength 5/5 throughout both arms, sensation intact.", "R biceps 4-/5, decreased sensation R C6."),
    ("Neuro: motor and sensory exam normal, DTRs 2+ symmetric.", "Grip weak on the R, 4/5; numbness R thumb and index finger."),
    ("Motor 5/5 BUE.", "Weakness R wrist extensors 3+/5."),
])
def test_a_deficit_absent_at_the_previous_visit_is_a_progressive_one(before, now):
    assert _progressive(before, now)


def _progressive(before: str, now: str) -> bool:
    earlier = [{"id": "d1", "type": "progress_note", "date": "2015-08-20", "text": _EARLIER.format(exam=before)}]
    case = one_note_case("Spine surgery consultation", _LATER.format(exam=now), doi="2012-03-05", date="2015-09-14",
                         extra_docs=earlier)
    return any(f.name == "progressive_neurologic_deficit" and f.present for f in extract_facts(case).findings)


def test_a_deficit_already_there_at_the_previous_visit_is_not_called_progressive():
    assert _progressive("Motor 5/5 BUE.", "Weakness R wrist extensors 3+/5.")
    assert not _progressive("Weakness R wrist extensors 4/5.", "Weakness R wrist extensors 4/5.")


def test_a_reviewers_letter_is_not_an_earlier_examination():
    ur = [{"id": "d2", "type": "ur_determination", "date": "2015-08-25", "text": "UR 8/25/15: neurologic exam intact, motor 5/5."}]
    case = one_note_case("Spine surgery consultation", _LATER.format(exam="Weakness R wrist extensors 4/5."),
                         doi="2012-03-05", date="2015-09-14", extra_docs=ur)
    assert not any(f.name == "progressive_neurologic_deficit" and f.present for f in extract_facts(case).findings)


@pytest.mark.parametrize("prior", [
    "Seen for f/u after hyaluronic acid injection 10/2014: relief about 2 months.",
    "Had a Euflexxa injection series 10/2014, some help.",
    "Viscosupplement injection 10/2014, helped a while.",
])
def test_a_prior_hyaluronic_injection_beside_a_steroid_one_is_its_own_course(prior):
    care = f"Kenalog 40 mg L knee 3/2015, relief about 6 weeks. {prior}"
    item = _item("Synvisc-One injection L knee", _HA_NOTE.format(care=care, plan="Synvisc-One L knee."))
    assert criterion_met(item, "ha.repeat-response") != "not judged"


def test_a_steroid_injection_alone_leaves_the_hyaluronic_request_a_first_one():
    care = "Kenalog 40 mg L knee 3/2015, relief about 6 weeks. Cortisone injection L knee 10/2014, helped a while."
    item = _item("Synvisc-One injection L knee", _HA_NOTE.format(care=care, plan="Synvisc-One L knee."))
    assert criterion_met(item, "ha.repeat-response") == "not judged"
