"""The API's rules: authentication, roles and scope, bad input, idempotency, clock listing, matching
conflicts, deferral and records states. Each test runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

from service_helpers import auth, make_reviewer, make_user


def create(client, headers, body, **kw):
    r = client.post("/api/v1/cases", json=body, headers=headers, **kw)
    assert r.status_code == 201, r.text
    return r.json()


def test_authentication_and_roles(client, admin, intake, case_body):
    assert client.get("/api/v1/cases").status_code == 401
    r = client.get("/api/v1/cases", headers=auth("not-a-token"))
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    # only an admin creates users; intake cannot
    r = client.post("/api/v1/users", json={"name": "x", "role": "admin"}, headers=intake)
    assert r.status_code == 403
    # a reviewer cannot create cases
    _, reviewer = make_reviewer(client, admin)
    assert client.post("/api/v1/cases", json=case_body, headers=reviewer).status_code == 403
    assert client.get("/health").json()["status"] == "ok"
    # revocation: the token stops working at once; the reviewer leaves the panel
    rid = client.get("/api/v1/reviewers", headers=admin).json()[0]
    assert client.post(f"/api/v1/users/{rid['user']}/deactivate", headers=intake).status_code == 403
    assert client.post(f"/api/v1/users/{rid['user']}/deactivate", headers=admin).status_code == 200
    assert client.get("/api/v1/cases", headers=reviewer).status_code == 401
    assert client.get("/api/v1/reviewers", headers=admin).json()[0]["active"] is False


def test_invalid_bodies_name_the_field(client, admin, intake, case_body):
    r = client.post("/api/v1/users", json={"name": "x", "role": "wizard"}, headers=admin)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "role"
    bad = {**case_body, "disputed_items": [{"request": ""}]}
    r = client.post("/api/v1/cases", json=bad, headers=intake)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "disputed_items.0.request"
    assert "at least 1 character" in r.json()["errors"][0]["problem"]
    no_app = {k: v for k, v in case_body.items() if k != "application"}
    r = client.post("/api/v1/cases", json=no_app, headers=intake)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "application"
    uid, _ = make_user(client, admin, "Dr Who", "reviewer")
    r = client.post("/api/v1/reviewers", headers=admin, json={
        "name": "Dr Who", "user": uid, "licensure": ["Gallifrey"], "specialty": "PM&R",
        "years_active": 10, "hours_per_week": 30})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "licensure.0"
    r = client.post("/api/v1/cases", content=b'{"disputed_items": [', headers={**intake, "content-type": "application/json"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body"
    assert "invalid JSON" in r.json()["errors"][0]["problem"]
    r = client.get("/api/v1/cases", params={"status": "Limbo"}, headers=intake)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "query.status"
    assert client.get("/api/v1/cases/nope", headers=intake).status_code == 404
    assert client.get("/api/v1/published/nope").status_code == 404


def test_scope_claims_administrator_reviewer_party(client, admin, intake, case_body):
    mine = create(client, intake, case_body)["id"]
    other_body = {**case_body, "parties": {**case_body["parties"], "claims_administrator": "Other Claims Co",
                                            "claim_number": "X-2"}}
    theirs = create(client, intake, other_body)["id"]
    _, ca = make_user(client, admin, "Adjuster", "claims_administrator", organization="golden state claims services")
    ids = [c["id"] for c in client.get("/api/v1/cases", headers=ca).json()]
    assert ids == [mine]
    assert client.get(f"/api/v1/cases/{theirs}", headers=ca).status_code == 404
    assert client.get(f"/api/v1/cases/{mine}", headers=ca).status_code == 200
    # a reviewer sees only assigned cases
    _, reviewer = make_reviewer(client, admin)
    assert client.get("/api/v1/cases", headers=reviewer).json() == []
    assert client.get(f"/api/v1/cases/{mine}", headers=reviewer).status_code == 404
    # a party sees only cases it was granted, without document text
    pid, party = make_user(client, admin, "Worker", "party")
    assert client.get(f"/api/v1/cases/{mine}", headers=party).status_code == 404
    assert client.post(f"/api/v1/cases/{mine}/access", json={"user": pid}, headers=intake).status_code == 201
    r = client.get(f"/api/v1/cases/{mine}", headers=party)
    assert r.status_code == 200 and "text" not in r.json()["documents"][0] and "parties" not in r.json()
    assert client.get(f"/api/v1/cases/{mine}/audit", headers=party).status_code == 403
    # refused reads are audited too
    trail = client.get(f"/api/v1/cases/{theirs}/audit", headers=admin).json()
    assert any(e["action"] == "denied" and e["detail"]["attempted"] == "case.read" for e in trail)


def test_idempotent_case_creation(client, intake, case_body):
    h = {**intake, "Idempotency-Key": "abc-123"}
    a = client.post("/api/v1/cases", json=case_body, headers=h)
    b = client.post("/api/v1/cases", json=case_body, headers=h)
    assert a.status_code == b.status_code == 201
    assert a.json()["id"] == b.json()["id"] and b.headers.get("idempotent-replayed") == "true"
    assert len(client.get("/api/v1/cases", headers=intake).json()) == 1
    changed = {**case_body, "case_number": "CM-other"}
    assert client.post("/api/v1/cases", json=changed, headers=h).status_code == 409
    # Without the key, the same application again is a duplicate: ineligible, not a second review.
    again = create(client, intake, case_body)
    assert again["status"] == "Ineligible"
    assert again["eligibility"]["items"][0]["duplicate_of"] == a.json()["id"]


def test_ineligible_pending_and_deferred(client, intake, case_body):
    unsigned = create(client, intake, {**case_body, "application": {**case_body["application"], "signed": False}})
    assert unsigned["status"] == "Ineligible" and unsigned["case"]["status_reason"]
    body = {**case_body, "parties": {**case_body["parties"], "claim_number": "P-1"},
            "application": {**case_body["application"], "ur_decision_attached": False},
            "documents": [d for d in case_body["documents"] if d["type"] != "ur_decision"]}
    pending = create(client, intake, body)
    assert pending["status"] == "Eligibility Review" and pending["eligibility"]["outcome"] == "pending"
    r = client.post(f"/api/v1/cases/{pending['id']}/documents", headers=intake, json={
        "documents": [{"id": "ur", "type": "ur_decision", "text": "UR decision letter"}]})
    assert r.json()["status"] == "Notice of Assignment and Request for Information"
    # pending with complete records: once the UR decision arrives, straight to clinical review, clock on
    body["parties"] = {**body["parties"], "claim_number": "P-2"}
    pending = create(client, intake, {**body, "records_complete": True})
    assert pending["status"] == "Eligibility Review"
    r = client.post(f"/api/v1/cases/{pending['id']}/documents", headers=intake, json={
        "documents": [{"id": "ur", "type": "ur_decision", "text": "UR decision letter"}]})
    assert r.json()["status"] == "Clinical Review" and r.json()["clock"]["due_date"]
    body = {**case_body, "parties": {**case_body["parties"], "claim_number": "D-1"},
            "application": {**case_body["application"], "liability_disputed": True}}
    deferred = create(client, intake, body)
    assert deferred["status"] == "Deferred"
    assert create(client, intake, body)["status"] == "Ineligible"  # a duplicate of the deferred application
    cid = deferred["id"]
    r = client.post(f"/api/v1/cases/{cid}/transitions", json={"action": "resume", "reason": "liability accepted"},
                    headers=intake)
    assert r.status_code == 200 and r.json()["status"] == "Notice of Assignment and Request for Information"
    r = client.post(f"/api/v1/cases/{cid}/transitions", json={"action": "resume", "reason": "again"}, headers=intake)
    assert r.status_code == 409


def test_records_and_insufficient_records(client, admin, intake, case_body):
    _, reviewer = make_reviewer(client, admin)
    cid = create(client, intake, case_body)["id"]
    r = client.post(f"/api/v1/cases/{cid}/documents", headers=intake,
                    json={"documents": [{"id": "n2", "text": "partial records"}]})
    assert r.json()["status"] == "Records Requested" and r.json()["clock"]["due_date"] is None
    assert client.post(f"/api/v1/cases/{cid}/assignment", headers=intake).status_code == 200
    assert client.post(f"/api/v1/cases/{cid}/draft", headers=reviewer).status_code == 409  # records incomplete
    r = client.post(f"/api/v1/cases/{cid}/documents", headers=intake,
                    json={"documents": [{"id": "n3", "text": "the rest"}], "records_complete": True})
    assert r.json()["status"] == "Clinical Review"
    r = client.post(f"/api/v1/cases/{cid}/transitions", headers=reviewer,
                    json={"action": "insufficient_records", "reason": "no imaging report"})
    assert r.json()["status"] == "Insufficient Records"
    dup = client.post(f"/api/v1/cases/{cid}/documents", headers=intake,
                      json={"documents": [{"id": "n3", "text": "again"}]})
    assert dup.status_code == 409
    r = client.post(f"/api/v1/cases/{cid}/documents", headers=intake,
                    json={"documents": [{"id": "mri", "type": "imaging", "text": "MRI report"}], "records_complete": True})
    assert r.json()["status"] == "Clinical Review"


def test_clock_overdue_and_at_risk_listing(client, intake, case_body, clock):
    std = create(client, intake, {**case_body, "records_complete": True})["id"]
    exp_body = {**case_body, "records_complete": True,
                "parties": {**case_body["parties"], "claim_number": "E-1"},
                "application": {**case_body["application"], "priority": "expedited"}}
    exp = create(client, intake, exp_body)["id"]
    assert client.get("/api/v1/cases", params={"overdue": "true"}, headers=intake).json() == []
    clock.day += dt.timedelta(days=2)  # expedited due in 1 day: at risk
    risky = client.get("/api/v1/cases", params={"at_risk": "true"}, headers=intake).json()
    assert [c["id"] for c in risky] == [exp]
    clock.day += dt.timedelta(days=2)  # expedited overdue
    assert [c["id"] for c in client.get("/api/v1/cases?overdue=true", headers=intake).json()] == [exp]
    clock.day += dt.timedelta(days=24)  # standard: 2 days left
    risky = client.get("/api/v1/cases", params={"at_risk": "true"}, headers=intake).json()
    assert [c["id"] for c in risky] == [std] and risky[0]["days_remaining"] == 2
    clock.day += dt.timedelta(days=3)
    over = client.get("/api/v1/cases?overdue=true", headers=intake).json()
    assert {c["id"] for c in over} == {std, exp}
    assert client.get(f"/api/v1/cases/{std}", headers=intake).json()["clock"]["overdue"] is True


def test_no_eligible_reviewer_is_409_with_reasons(client, admin, intake, case_body):
    make_reviewer(client, admin, "Junior", years=4)
    make_reviewer(client, admin, "Part Timer", hours=10)
    make_reviewer(client, admin, "Conflicted", affiliations=["Golden State Claims Services"])
    cid = create(client, intake, case_body)["id"]
    r = client.post(f"/api/v1/cases/{cid}/assignment", headers=intake)
    assert r.status_code == 409
    out = r.json()
    assert out["detail"] == "no eligible reviewer"
    reasons = {c["name"]: " ".join(c["reasons"]) for c in out["reviewers"]}
    assert "more than 5" in reasons["Junior"]
    assert "at least 24" in reasons["Part Timer"]
    assert "claims administrator" in reasons["Conflicted"]
    rid, _ = make_reviewer(client, admin, "Fits")
    r = client.post(f"/api/v1/cases/{cid}/assignment", headers=intake)
    assert r.status_code == 200 and r.json()["reviewer"] == rid


def test_assignment_balances_caseload(client, admin, intake, case_body):
    a, _ = make_reviewer(client, admin, "A")
    b, _ = make_reviewer(client, admin, "B")
    got = []
    for i in range(4):
        body = {**case_body, "parties": {**case_body["parties"], "claim_number": f"B-{i}"}}
        cid = create(client, intake, body)["id"]
        got.append(client.post(f"/api/v1/cases/{cid}/assignment", headers=intake).json()["reviewer"])
    assert sorted(got) == sorted([a, a, b, b])


def test_reviewer_edits_are_recorded_before_signing(client, admin, intake, case_body):
    _, reviewer = make_reviewer(client, admin)
    cid = create(client, intake, {**case_body, "records_complete": True})["id"]
    client.post(f"/api/v1/cases/{cid}/assignment", headers=intake)
    draft = client.post(f"/api/v1/cases/{cid}/draft", headers=reviewer).json()["draft"]
    drafted = draft["items"][0]["decision"]
    flipped = "Overturned" if drafted != "Overturned" else "Upheld"
    body = {"items": [{"request": "Soma 350mg #90", "decision": flipped, "rationale": "My own rationale."}], "sign": False}
    r = client.post(f"/api/v1/cases/{cid}/determination", json=body, headers=reviewer)
    assert r.status_code == 200 and r.json()["signed"] is False
    assert {c["field"] for c in r.json()["changes"]} == {"decision", "rationale"}
    assert client.get(f"/api/v1/cases/{cid}/letter", headers=intake).status_code == 409  # not signed
    bad = {"items": [{"request": "Something else", "decision": "Upheld", "rationale": "x"}]}
    r = client.post(f"/api/v1/cases/{cid}/determination", json=bad, headers=reviewer)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "items.0.request"
    trail = client.get(f"/api/v1/cases/{cid}/audit", headers=admin).json()
    changes = [e["detail"] for e in trail if e["action"] == "determination.change"]
    assert {"request": "Soma 350mg #90", "field": "decision", "from": drafted, "to": flipped} in changes


def test_specialty_matching_through_the_real_classifier(client, admin, intake, case_body):
    """Spine injection + drug: PM&R fits both, family practice only the drug; psychotherapy needs psych."""
    fp, _ = make_reviewer(client, admin, "Dr Family", specialty="Family Practice")
    body = {**case_body, "disputed_items": [{"request": "Soma 350mg #90"},
                                            {"request": "Left L4-L5 lumbar epidural steroid injection"}]}
    cid = create(client, intake, body)["id"]
    r = client.post(f"/api/v1/cases/{cid}/assignment", headers=intake)
    assert r.status_code == 409
    (fam,) = r.json()["reviewers"]
    assert "epidural" in " ".join(fam["reasons"]) and "Soma" not in " ".join(fam["reasons"])
    pmr, _ = make_reviewer(client, admin, "Dr Physiatrist", specialty="Physical Medicine & Rehabilitation")
    r = client.post(f"/api/v1/cases/{cid}/assignment", headers=intake)
    assert r.status_code == 200 and r.json()["reviewer"] == pmr
    needs = {n["request"]: n for n in r.json()["needs"]}
    assert needs["Left L4-L5 lumbar epidural steroid injection"]["topic"] == "epidural-steroid-injections"
    psych_body = {**case_body, "parties": {**case_body["parties"], "claim_number": "PS-1"},
                  "disputed_items": [{"request": "Cognitive behavioral therapy 6 sessions"}]}
    cid = create(client, intake, psych_body)["id"]
    assert client.post(f"/api/v1/cases/{cid}/assignment", headers=intake).status_code == 409
    psy, _ = make_reviewer(client, admin, "Dr Psych", specialty="Psychology")
    r = client.post(f"/api/v1/cases/{cid}/assignment", headers=intake)
    assert r.status_code == 200 and r.json()["reviewer"] == psy


def test_concurrent_retries_and_duplicates_make_one_case(service, client, intake, case_body):
    """The same Idempotency-Key (and, separately, the same application without a key) sent by 8
    threads at once: one case is created; the others replay it or are found duplicates."""
    from concurrent.futures import ThreadPoolExecutor

    from openimr.models.case import CaseFile

    actor = service.authenticate(intake["Authorization"].split()[1])
    cf = CaseFile.model_validate(case_body)
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: service.create_case(actor, cf, idempotency_key="same-key"), range(8)))
    assert len({view["id"] for view, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    other = CaseFile.model_validate({**case_body, "parties": {**case_body["parties"], "claim_number": "CC-1"}})
    with ThreadPoolExecutor(8) as pool:
        views = [v for v, _ in pool.map(lambda _: service.create_case(actor, other), range(8))]
    statuses = sorted(v["status"] for v in views)
    assert statuses.count("Notice of Assignment and Request for Information") == 1
    assert statuses.count("Ineligible") == 7
