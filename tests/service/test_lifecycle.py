"""The whole lifecycle through the API, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

from service_helpers import make_reviewer, make_user


def test_lifecycle_end_to_end(client, admin, intake, case_body, clock):
    rid, reviewer = make_reviewer(client, admin)
    _, ca = make_user(client, admin, "Adjuster", "claims_administrator", organization="Golden State Claims Services")

    r = client.post("/api/v1/cases", json=case_body, headers=intake)
    assert r.status_code == 201, r.text
    body = r.json()
    cid = body["id"]
    assert body["status"] == "Notice of Assignment and Request for Information"
    assert body["eligibility"]["eligible"] is True
    items = body["eligibility"]["items"]
    assert items[0]["eligible"] is True
    assert items[1]["eligible"] is False and "conditionally non-certified" in items[1]["reason"]

    # The claims administrator sends the records; they are complete: clinical review, clock running.
    r = client.post(f"/api/v1/cases/{cid}/documents", headers=ca, json={
        "documents": [{"id": "note-2", "type": "progress_note", "date": "2015-08-10",
                       "text": "Follow-up: low back pain persists; Soma continued."}],
        "records_complete": True})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "Clinical Review"
    assert r.json()["clock"]["due_date"] == str(clock.day + dt.timedelta(days=30))

    # Not yet assigned: the reviewer cannot see it.
    assert client.post(f"/api/v1/cases/{cid}/draft", headers=reviewer).status_code == 404

    r = client.post(f"/api/v1/cases/{cid}/assignment", headers=intake)
    assert r.status_code == 200, r.text
    assert r.json()["reviewer"] == rid
    assert any("fits every item" in w for w in r.json()["why"])

    # Letter before issue: 409.
    assert client.get(f"/api/v1/cases/{cid}/letter", headers=intake).status_code == 409

    r = client.post(f"/api/v1/cases/{cid}/draft", headers=reviewer)
    assert r.status_code == 201, r.text
    draft = r.json()["draft"]
    assert [i["request"] for i in draft["items"]] == ["Soma 350mg #90"]

    # Only the assigned reviewer may sign.
    det = {"items": [{"request": "Soma 350mg #90", "decision": "Overturned",
                      "rationale": "The reviewer finds the short course supported on these records."}]}
    assert client.post(f"/api/v1/cases/{cid}/determination", json=det, headers=intake).status_code == 403
    r = client.post(f"/api/v1/cases/{cid}/determination", json=det, headers=reviewer)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["signed"] is True and out["version"] == 1 and out["status"] == "Closed"
    changed = {c["field"] for c in out["changes"]}
    if draft["items"][0]["decision"] != "Overturned":
        assert "decision" in changed

    for fmt, ctype, probe in (("txt", "text/plain", b"Overturned"), ("html", "text/html", b"Overturned"),
                              ("pdf", "application/pdf", b"%PDF")):
        r = client.get(f"/api/v1/cases/{cid}/letter", params={"format": fmt}, headers=ca)
        assert r.status_code == 200, r.text
        assert r.headers["content-type"].startswith(ctype)
        assert probe in r.content

    # Immutable: signing again is a conflict; a correction is a new linked version.
    assert client.post(f"/api/v1/cases/{cid}/determination", json=det, headers=reviewer).status_code == 409
    corr = {**det, "items": [{**det["items"][0], "decision": "Upheld", "rationale": "Corrected: not supported."}],
            "correction_reason": "clerical error in the decision"}
    r = client.post(f"/api/v1/cases/{cid}/determination", json=corr, headers=reviewer)
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2 and r.json()["supersedes"] == out["determination"]
    v1 = client.get(f"/api/v1/cases/{cid}/letter", params={"version": 1}, headers=intake).text
    v2 = client.get(f"/api/v1/cases/{cid}/letter", headers=intake).text
    assert "Overturned" in v1 and "Upheld" in v2

    assert client.get(f"/api/v1/cases/{cid}/letter", params={"version": 9}, headers=intake).status_code == 404

    # Published version: no names, no claim number, no date of birth; by case id (latest) or version id.
    first = client.get(f"/api/v1/published/{out['determination']}").json()
    assert first["version"] == 1 and "Overturned" in first["letter_text"]
    r = client.get(f"/api/v1/published/{cid}")
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 2 and r.json()["supersedes"] == out["determination"]
    pub = r.text
    for secret in ("Jane Roe", "Golden State", "Big Box", "Alan Treat", "Acme Spine", "WC-88231-A", "01/02/1957"):
        assert secret not in pub

    # Audit: who did what, reads included.
    r = client.get(f"/api/v1/cases/{cid}/audit", headers=admin)
    assert r.status_code == 200
    actions = [e["action"] for e in r.json()]
    for a in ("case.create", "eligibility.check", "documents.add", "assignment", "draft.create",
              "determination.issue", "letter.read", "published.read", "status.change"):
        assert a in actions, a
    assert all(e["at"] and (e["actor"] or e["action"] == "published.read") for e in r.json())
    r = client.get(f"/api/v1/cases/{cid}", headers=intake)
    assert r.json()["status"] == "Closed" and len(r.json()["determinations"]) == 2


def test_immutable_in_the_database(service, client, admin, intake, case_body):
    """The database itself refuses to change an issued determination."""
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    _, reviewer = make_reviewer(client, admin)
    cid = client.post("/api/v1/cases", json={**case_body, "records_complete": True}, headers=intake).json()["id"]
    assert client.post(f"/api/v1/cases/{cid}/assignment", headers=intake).status_code == 200
    assert client.post(f"/api/v1/cases/{cid}/draft", headers=reviewer).status_code == 201
    det = {"items": [{"request": "Soma 350mg #90", "decision": "Upheld"}]}
    assert client.post(f"/api/v1/cases/{cid}/determination", json=det, headers=reviewer).status_code == 200
    with pytest.raises(DBAPIError), service.engine.begin() as conn:
        conn.execute(text("UPDATE determinations SET letter_text = 'x'"))
    with pytest.raises(DBAPIError), service.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events"))


def test_no_phi_in_logs(client, admin, intake, case_body, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    _, reviewer = make_reviewer(client, admin)
    cid = client.post("/api/v1/cases", json={**case_body, "records_complete": True}, headers=intake).json()["id"]
    client.post(f"/api/v1/cases/{cid}/assignment", headers=intake)
    client.post(f"/api/v1/cases/{cid}/draft", headers=reviewer)
    client.post(f"/api/v1/cases/{cid}/determination", headers=reviewer,
                json={"items": [{"request": "Soma 350mg #90", "decision": "Upheld"}]})
    client.get(f"/api/v1/cases/{cid}", headers=intake)
    assert cid in caplog.text  # the service does log, by id
    for phi in ("Jane Roe", "WC-88231-A", "Golden State", "Alan Treat", "01/02/1957", "paraspinal"):
        assert phi not in caplog.text, phi
