"""The workflow rules as pure functions: eligibility, clock, reviewer matching, redaction, tokens."""

from __future__ import annotations

import copy
import datetime as dt

from service_helpers import CASE

from openimr.models.case import CaseFile
from openimr.models.request import ClassifiedRequest
from openimr.workflow.clock import ClockPolicy, clock_state
from openimr.workflow.eligibility import check_eligibility, item_keys
from openimr.workflow.matching import (
    Candidate,
    affiliation_conflicts,
    item_need,
    load_table,
    match,
    normalize_state,
)
from openimr.workflow.redaction import published_version
from openimr.workflow.security import hash_token, new_token, token_matches
from openimr.workflow.states import Status, can_move, parse_status

TODAY = dt.date(2026, 3, 2)


def case(**app) -> CaseFile:
    data = copy.deepcopy(CASE)
    data["application"].update(app)
    return CaseFile.model_validate(data)


def elig(cf: CaseFile, types=("ur_decision",), **kw):
    return check_eligibility(cf, types, TODAY, **kw)


def test_eligible_application_excludes_conditionally_non_certified_items():
    r = elig(case())
    assert r["outcome"] == "eligible" and r["eligible"]
    assert [i["eligible"] for i in r["items"]] == [True, False]
    assert "conditionally non-certified" in r["items"][1]["reason"]


def test_unsigned_application_is_ineligible():
    r = elig(case(signed=False))
    assert r["outcome"] == "ineligible"
    assert any("not signed" in x for x in r["reasons"])


def test_late_application_is_ineligible_and_window_is_configurable():
    late = case(received_date="2026-03-25", ur_decision_date="2026-02-20")  # 33 days
    assert elig(late)["outcome"] == "ineligible"
    assert any("33 days" in x for x in elig(late)["reasons"])
    assert elig(late, window_days=35)["outcome"] == "eligible"
    on_time = case(received_date="2026-03-22", ur_decision_date="2026-02-20")  # 30 days
    assert elig(on_time)["outcome"] == "eligible"
    assert elig(case(received_date="2026-02-10"))["outcome"] == "ineligible"  # before the UR decision


def test_missing_ur_decision_is_pending():
    cf = case(ur_decision_attached=False)
    r = check_eligibility(cf, ["progress_note"], TODAY)
    assert r["outcome"] == "pending" and any("UR decision is not attached" in x for x in r["reasons"])
    assert check_eligibility(cf, ["progress_note", "ur_decision"], TODAY)["outcome"] == "eligible"


def test_liability_disputed_defers():
    assert elig(case(liability_disputed=True))["outcome"] == "deferred"
    # ...but an unsigned application is ineligible whatever else is true
    assert elig(case(liability_disputed=True, signed=False))["outcome"] == "ineligible"


def test_duplicates_are_detected_per_item():
    cf = case()
    keys = item_keys(cf)
    assert keys[0] and keys[0] != keys[1]
    r = elig(cf, find_duplicate=lambda k: "c-earlier" if k == keys[0] else None)
    assert r["items"][0]["eligible"] is False and r["items"][0]["duplicate_of"] == "c-earlier"
    assert r["outcome"] == "ineligible"  # the only other item is conditionally non-certified
    # A different claim is not a duplicate; neither is the same claim's next UR decision.
    other = copy.deepcopy(CASE)
    other["parties"]["claim_number"] = "WC-1"
    assert item_keys(CaseFile.model_validate(other))[0] != keys[0]
    other = copy.deepcopy(CASE)
    other["application"]["ur_decision_date"] = "2026-02-21"
    assert item_keys(CaseFile.model_validate(other))[0] != keys[0]
    # Spelling and spacing of the item do not hide a duplicate.
    other = copy.deepcopy(CASE)
    other["disputed_items"][0]["request"] = "SOMA  350mg  #90"
    assert item_keys(CaseFile.model_validate(other))[0] == keys[0]


def test_clock_due_dates_and_flags():
    p = ClockPolicy()
    start = dt.date(2026, 3, 1)
    assert p.due_date(start, "standard") == dt.date(2026, 3, 31)
    assert p.due_date(start, "expedited") == dt.date(2026, 3, 4)
    due = p.due_date(start, "standard")
    assert clock_state(p, due, "standard", dt.date(2026, 3, 10), False).at_risk is False
    s = clock_state(p, due, "standard", dt.date(2026, 3, 26), False)
    assert s.at_risk and not s.overdue and s.days_remaining == 5
    s = clock_state(p, due, "standard", dt.date(2026, 4, 1), False)
    assert s.overdue and not s.at_risk and s.days_remaining == -1
    assert clock_state(p, due, "standard", dt.date(2026, 4, 1), True).overdue is False
    edue = p.due_date(start, "expedited")
    assert clock_state(p, edue, "expedited", dt.date(2026, 3, 2), False).at_risk is False
    assert clock_state(p, edue, "expedited", dt.date(2026, 3, 3), False).at_risk is True


def test_states():
    assert parse_status("Clinical Review") == Status.CLINICAL_REVIEW
    assert parse_status("clinical_review") == Status.CLINICAL_REVIEW
    assert parse_status("Notice of Assignment and Request for Information") == Status.NOTICE
    assert parse_status("nonsense") is None
    assert can_move(Status.CLINICAL_REVIEW, Status.CLOSED)
    assert not can_move(Status.RECORDS_REQUESTED, Status.CLOSED)
    assert not can_move(Status.CLOSED, Status.CLINICAL_REVIEW)


def fake_classify(table):
    def classify(text):
        return ClassifiedRequest(text=text, topic=table.get(text, (None, None))[0], category=table.get(text, (None, None))[1])
    return classify


CLS = fake_classify({
    "Lumbar ESI L4-5": ("epidural-steroid-injections", "injection"),
    "Soma 350mg #90": ("carisoprodol", "drug"),
    "Psychotherapy x6": ("psychological-treatment", "therapy"),
    "Mystery widget": (None, None),
})


def cand(i, specialty, years=10, hours=30, lic=("NY",), aff=(), load=0):
    return Candidate(f"r{i}", f"R{i}", specialty, list(lic), years, hours, list(aff), load)


def test_specialty_table_fits():
    t = load_table()
    esi = item_need("Lumbar ESI L4-5", CLS, None, t)
    assert "physical medicine and rehabilitation" in esi.specialties and "anesthesiology" in esi.specialties
    assert esi.fits(t, t.parts("PM&R")) and esi.fits(t, t.parts("Pain Management"))
    assert not esi.fits(t, t.parts("Family Practice"))
    drug = item_need("Soma 350mg #90", CLS, None, t)
    assert drug.fits(t, t.parts("Family Practice")) and drug.fits(t, t.parts("Emergency Medicine"))
    assert not drug.fits(t, t.parts("Chiropractic")) and not drug.fits(t, t.parts("Psychology"))
    psych = item_need("Psychotherapy x6", CLS, None, t)
    assert psych.fits(t, t.parts("Psychology")) and psych.fits(t, t.parts("Psychiatry"))
    assert not psych.fits(t, t.parts("Orthopedic Surgery"))
    unknown = item_need("Mystery widget", CLS, None, t)
    assert unknown.source.startswith("default") and unknown.fits(t, t.parts("Internal Medicine"))
    # the topic file's own specialties join the table's
    extra = item_need("Soma 350mg #90", CLS, lambda _t: ("drug", ["Pharmacy"]), t)
    assert extra.fits(t, t.parts("Clinical Pharmacy"))


def test_matching_rules_and_caseload_balance():
    t = load_table()
    needs = [item_need("Lumbar ESI L4-5", CLS, None, t)]
    parties = {"employer": ["Big Box Warehouse Inc"], "claims_administrator": ["Golden State Claims"]}
    cands = [
        cand(1, "Family Practice"),                      # specialty
        cand(2, "PM&R", years=5),                        # exactly 5 years: not more than 5
        cand(3, "Anesthesiology", hours=20),             # hours
        cand(4, "Orthopedic Surgery", aff=["big box warehouse"]),  # affiliation, case-insensitive
        cand(5, "PM&R", lic=()),                          # no licence
        cand(6, "Pain Medicine", load=3),
        cand(7, "PM&R", lic=("North Carolina",), load=1),  # not CA-licensed: fine
    ]
    r = match(cands, needs, parties, t)
    assert r.chosen.id == "r7"
    assert any("lowest caseload" in w for w in r.why)
    by = {c["reviewer"]: c for c in r.considered}
    assert "does not fit" in by["r1"]["reasons"][0]
    assert "more than 5" in by["r2"]["reasons"][0]
    assert "at least 24" in by["r3"]["reasons"][0]
    assert "employer" in by["r4"]["reasons"][0]
    assert "licence" in by["r5"]["reasons"][0]
    assert by["r6"]["eligible"] and by["r7"]["eligible"]
    none = match(cands[:5], needs, parties, t)
    assert none.chosen is None and all(c["reasons"] for c in none.considered)


def test_affiliation_matching():
    parties = {"treating_physician": ["Dr. Alan Treat"], "facilities": ["St. Mary's Medical Center"]}
    assert affiliation_conflicts(["ALAN TREAT MD"], parties)
    assert affiliation_conflicts(["St Marys Medical Center"], parties) or affiliation_conflicts(["St. Mary's Medical Center"], parties)
    assert not affiliation_conflicts(["Kaiser Permanente"], parties)


def test_states_of_licensure():
    assert normalize_state("ca") == "California" and normalize_state("North Carolina") == "North Carolina"
    assert normalize_state("NEW YORK") == "New York" and normalize_state("Atlantis") is None


def test_redaction():
    cf = CaseFile.model_validate({**copy.deepcopy(CASE), "documents": []})
    det = {"clinical_case_summary": "Jane Roe (DOB: 01/02/1957), claim no. WC-88231-A, employed by Big Box "
           "Warehouse Inc, treated by Dr. Treat at Acme Spine Clinic; Ms. Roe is 58. Call (555) 123-4567.",
           "items": [{"rationale": "Golden State Claims Services denied it."}]}
    out = published_version(cf, det, det["clinical_case_summary"])
    text = str(out)
    for secret in ("Jane", "Roe", "01/02/1957", "WC-88231-A", "Big Box", "Treat", "Acme", "Golden State", "555"):
        assert secret not in text, secret
    assert "[injured worker]" in text and "[employer]" in text and "[claim number]" in text
    assert "58" in text  # age stays


def test_tokens_are_random_and_hashed():
    a, b = new_token(), new_token()
    assert a != b and len(a) > 40
    h = hash_token(a)
    assert len(h) == 64 and a not in h
    assert token_matches(a, h) and not token_matches(b, h)


def test_redaction_keeps_ordinary_words_that_are_also_names():
    data = {**copy.deepcopy(CASE), "documents": []}
    data["parties"]["worker_name"] = "May Green"
    cf = CaseFile.model_validate(data)
    out = published_version(cf, {"clinical_case_summary": "May Green was seen on May 5, 2015; Ms. Green improved."}, "")
    text = out["determination"]["clinical_case_summary"]
    assert "May Green" not in text and "Ms. Green" not in text and "May 5, 2015" in text
