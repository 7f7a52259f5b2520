"""Regression tests for the findings of the security test of the case service (issue #12, findings 1-9).
Each runs on SQLite and on PostgreSQL where a database is involved."""

from __future__ import annotations

import asyncio
import copy
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from service_helpers import auth, make_reviewer, make_user
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from openimr.api.app import create_app
from openimr.workflow import db
from openimr.workflow.service import CaseService, Conflict


def create(client, headers, body):
    r = client.post("/api/v1/cases", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


def ready_case(client, admin, intake, body):
    """A case in Clinical Review, assigned; returns (case id, reviewer id, reviewer headers)."""
    rid, reviewer = make_reviewer(client, admin)
    cid = create(client, intake, {**body, "records_complete": True})["id"]
    assert client.post(f"/api/v1/cases/{cid}/assignment", headers=intake).status_code == 200
    return cid, rid, reviewer


# ---------------------------------------------------------------- 1. body limit, auth before body
def _asgi_post(app, path: str, token: str, chunks, content_length: int | None = None):
    """POST through the ASGI app with a streamed (chunked) body; returns (status, bytes the app pulled)."""
    pulled = 0
    it = iter(chunks)

    async def receive():
        nonlocal pulled
        try:
            chunk = next(it)
        except StopIteration:
            return {"type": "http.request", "body": b"", "more_body": False}
        pulled += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    headers = [(b"authorization", f"Bearer {token}".encode()), (b"content-type", b"application/json"),
               (b"host", b"test")]
    if content_length is not None:
        headers.append((b"content-length", str(content_length).encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "headers": headers,
             "client": ("127.0.0.1", 5555), "server": ("test", 80), "root_path": ""}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], pulled


def _endless(chunk_size=1024 * 1024, total=400 * 1024 * 1024):
    chunk = b"x" * chunk_size
    for _ in range(total // chunk_size):
        yield chunk


def test_chunked_body_with_a_garbage_token_is_refused_before_any_byte_is_read(service, monkeypatch):
    monkeypatch.setenv("OPENIMR_MAX_BODY_MB", "1")
    app = create_app(service=service, bootstrap_token="")
    status, pulled = _asgi_post(app, "/api/v1/cases", "garbage", _endless())
    assert status == 401 and pulled == 0


def test_chunked_body_over_the_limit_stops_at_the_limit(service, intake, client, monkeypatch):
    monkeypatch.setenv("OPENIMR_MAX_BODY_MB", "1")
    app = create_app(service=service, bootstrap_token="")
    token = intake["Authorization"].split()[1]
    status, pulled = _asgi_post(app, "/api/v1/cases", token, _endless(64 * 1024))
    assert status == 413
    assert pulled <= 1024 * 1024 + 64 * 1024  # never more than the limit and one chunk
    # A declared Content-Length over the limit: refused without reading.
    status, pulled = _asgi_post(app, "/api/v1/cases", token, _endless(), content_length=400 * 1024 * 1024)
    assert status == 413 and pulled == 0


def test_oversized_body_is_refused_after_authentication(service, monkeypatch, case_body, client, intake):
    monkeypatch.setenv("OPENIMR_MAX_BODY_MB", "0.01")
    with TestClient(create_app(service=service, bootstrap_token="")) as c:
        big = {**case_body, "documents": [{"id": "x", "text": "y" * 20000}]}
        assert c.post("/api/v1/cases", json=big).status_code == 401
        assert c.post("/api/v1/cases", json=big, headers=intake).status_code == 413


# ---------------------------------------------------------------- 2 and 8. unstorable text, logs
def test_engine_never_logs_bound_parameters(service, caplog):
    assert service.engine.hide_parameters is True
    caplog.set_level(logging.DEBUG)
    secret = "Jane Roe SSN 123-45-6789"
    with pytest.raises(DBAPIError) as err, service.engine.begin() as conn:
        conn.execute(text("INSERT INTO users (id, name, role, token_hash, active, created_at) "
                          "VALUES (:i, :n, 'admin', :h, true, CURRENT_TIMESTAMP)"), [
            {"i": "dup", "n": secret, "h": "a"}, {"i": "dup", "n": secret, "h": "b"}])
    assert secret not in str(err.value)
    assert secret not in caplog.text


@pytest.mark.parametrize("where,value,field", [
    ("doc", "note\x00with a NUL", "documents.0.text"),
    ("doc", "lone \ud800 surrogate", "documents.0.text"),
    ("worker", "Jo\x00e", "parties.worker_name"),
])
def test_unstorable_text_is_a_422_naming_the_field(client, intake, case_body, caplog, where, value, field):
    caplog.set_level(logging.DEBUG)
    body = copy.deepcopy(case_body)
    if where == "doc":
        body["documents"][0]["text"] = value + " DOB 01/02/1957"
    else:
        body["parties"]["worker_name"] = value
    import json as _json

    raw = _json.dumps(body).encode()  # ensure_ascii: "\ud800" travels as an escape, as an attacker sends it
    r = client.post("/api/v1/cases", content=raw, headers={**intake, "content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == field
    assert "01/02/1957" not in caplog.text


def test_deep_nesting_is_a_4xx(client, intake, case_body):
    deep: dict = {}
    node = deep
    for _ in range(400):
        node["x"] = {}
        node = node["x"]
    body = {**case_body, "parties": {**case_body["parties"], "extra": deep}}
    import json as _json
    import sys

    old = sys.getrecursionlimit()
    sys.setrecursionlimit(5000)  # the test client's own encoder must get the body out
    try:
        raw = _json.dumps(body).encode()
    finally:
        sys.setrecursionlimit(old)
    r = client.post("/api/v1/cases", content=raw, headers={**intake, "content-type": "application/json"})
    assert r.status_code == 422, r.text
    assert "nested" in r.json()["errors"][0]["problem"]
    assert r.json()["errors"][0]["field"].startswith("parties.extra")


# ---------------------------------------------------------------- 3. the sign race
class _SlowWriter:
    """The real letter writer, with something done by someone else while the letter renders."""

    def __init__(self, during):
        from openimr.letters import writer

        self.w, self.during, self.done = writer, during, False

    def render_text(self, det):
        if not self.done:
            self.done = True
            self.during()
        return self.w.render_text(det)

    def render_html(self, det):
        return self.w.render_html(det)

    def render_pdf(self, det):
        return self.w.render_pdf(det)


DET = {"items": [{"request": "Soma 350mg #90", "decision": "Upheld", "rationale": "Not supported by the records."}]}


@pytest.mark.parametrize("what", ["reassign", "deactivate"])
def test_sign_rechecks_assignment_and_standing_inside_the_transaction(service, client, admin, intake, case_body, what):
    cid, rid, reviewer = ready_case(client, admin, intake, case_body)
    rid2, _ = make_reviewer(client, admin, "Reviewer B")
    admin_actor = service.authenticate(admin["Authorization"].split()[1])
    actor = service.authenticate(reviewer["Authorization"].split()[1])

    def interfere():
        if what == "reassign":
            service.assign(admin_actor, cid, rid2)
        else:
            service.deactivate_user(admin_actor, actor.id)

    service._writer = _SlowWriter(interfere)
    with pytest.raises(Conflict) as err:
        service.determine(actor, cid, DET["items"])
    assert ("reassigned" if what == "reassign" else "deactivated") in str(err.value.detail)
    with service.Session() as s:
        assert s.scalar(select(func.count()).select_from(db.DeterminationRow)) == 0


def test_twenty_concurrent_signs_issue_exactly_one(service, client, admin, intake, case_body):
    cid, _, reviewer = ready_case(client, admin, intake, case_body)
    actor = service.authenticate(reviewer["Authorization"].split()[1])
    barrier = threading.Barrier(20)

    def sign(_):
        barrier.wait()
        try:
            return service.determine(actor, cid, DET["items"])["version"]
        except Conflict:
            return None

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(sign, range(20)))
    assert results.count(1) == 1 and results.count(None) == 19
    with service.Session() as s:
        assert s.scalar(select(func.count()).select_from(db.DeterminationRow)) == 1


# ---------------------------------------------------------------- 4. a changed decision, its own rationale
def test_changed_decision_needs_its_own_rationale(client, admin, intake, case_body):
    cid, _, reviewer = ready_case(client, admin, intake, case_body)
    r = client.post(f"/api/v1/cases/{cid}/draft", headers=reviewer)
    assert r.status_code == 201, r.text
    drafted = r.json()["draft"]["items"][0]
    assert drafted["decision"] in ("Upheld", "Overturned")
    other = "Overturned" if drafted["decision"] == "Upheld" else "Upheld"
    # Decision changed, rationale kept (omitted, or pasted back): refused, naming the item.
    for item in ({"request": "Soma 350mg #90", "decision": other},
                 {"request": "Soma 350mg #90", "decision": other, "rationale": drafted["rationale"]}):
        r = client.post(f"/api/v1/cases/{cid}/determination", json={"items": [item]}, headers=reviewer)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "items.0.rationale"
        assert "Soma 350mg #90" in r.json()["errors"][0]["problem"]
    # The draft regenerates the rationale for the chosen outcome from the same criteria.
    r = client.post(f"/api/v1/cases/{cid}/draft/rationale", headers=reviewer,
                    json={"request": "Soma 350mg #90", "decision": other})
    assert r.status_code == 200, r.text
    regenerated = r.json()["rationale"]
    necessary = "is medically necessary." if other == "Overturned" else "is not medically necessary."
    assert regenerated.endswith(necessary) and regenerated != drafted["rationale"]
    r = client.post(f"/api/v1/cases/{cid}/determination", headers=reviewer,
                    json={"items": [{"request": "Soma 350mg #90", "decision": other, "rationale": regenerated}]})
    assert r.status_code == 200, r.text
    letter = client.get(f"/api/v1/cases/{cid}/letter", headers=intake).text
    assert necessary in letter
    wrong = "is not medically necessary." if other == "Overturned" else "is medically necessary."
    assert f"Soma 350mg #90 {wrong}" not in letter


def test_unchanged_decision_keeps_the_drafted_rationale(client, admin, intake, case_body):
    cid, _, reviewer = ready_case(client, admin, intake, case_body)
    drafted = client.post(f"/api/v1/cases/{cid}/draft", headers=reviewer).json()["draft"]["items"][0]
    r = client.post(f"/api/v1/cases/{cid}/determination", headers=reviewer,
                    json={"items": [{"request": "Soma 350mg #90", "decision": drafted["decision"]}]})
    assert r.status_code == 200, r.text
    assert r.json()["items"][0]["rationale"] == drafted["rationale"]


# ---------------------------------------------------------------- 6 and 7. duplicates, item cap
def test_claim_numbers_keep_their_separators(client, intake, case_body):
    first = {**case_body, "parties": {**case_body["parties"], "claim_number": "Q7-1-12"}}
    assert create(client, intake, first)["eligibility"]["outcome"] == "eligible"
    other = {**case_body, "parties": {**case_body["parties"], "claim_number": "Q7-11-2"}}
    assert create(client, intake, other)["eligibility"]["outcome"] == "eligible"
    same = {**case_body, "parties": {**case_body["parties"], "claim_number": " q7 1 12 "}}
    assert create(client, intake, same)["eligibility"]["outcome"] == "ineligible"


def test_item_cap_is_the_same_at_intake_and_at_sign_off(service, client, admin, intake, case_body):
    from openimr.workflow.eligibility import MAX_ITEMS

    many = [{"request": f"Soma 350mg #{n}", "ur_decision": "non-certified"} for n in range(1, MAX_ITEMS + 2)]
    r = client.post("/api/v1/cases", json={**case_body, "disputed_items": many}, headers=intake)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "disputed_items"
    body = {**case_body, "disputed_items": many[:MAX_ITEMS], "records_complete": True}
    rid, reviewer = make_reviewer(client, admin)
    service.classifier  # noqa: B018 - loaded once
    cid = create(client, intake, body)["id"]
    assert client.post(f"/api/v1/cases/{cid}/assignment", headers=intake,
                       json={"reviewer": rid}).status_code == 200
    items = [{"request": i["request"], "decision": "Upheld", "rationale": "Not supported."} for i in many[:MAX_ITEMS]]
    r = client.post(f"/api/v1/cases/{cid}/determination", headers=reviewer, json={"items": items})
    assert r.status_code == 200, r.text


# ---------------------------------------------------------------- 9. the smaller findings
def test_short_bootstrap_token_is_refused(database_url):
    from openimr.workflow.migrate import upgrade

    engine = db.make_engine(database_url)
    upgrade(engine)
    svc = CaseService(engine)
    try:
        with pytest.raises(ValueError, match="too short"):
            svc.bootstrap("x")
        with svc.Session() as s:
            assert s.scalar(select(func.count()).select_from(db.User)) == 0
    finally:
        svc.close()


def _audit(service, case_id):
    with service.Session() as s:
        return [(e.action, e.detail) for e in s.scalars(select(db.AuditEvent).where(db.AuditEvent.case_id == case_id))]


def test_401_and_409_are_audited_and_denials_need_a_real_case(service, client, admin, intake, case_body):
    cid = create(client, intake, case_body)["id"]
    assert client.get(f"/api/v1/cases/{cid}", headers=auth("garbage")).status_code == 401
    assert client.get(f"/api/v1/cases/{cid}/letter", headers=intake).status_code == 409
    actions = [a for a, _ in _audit(service, cid)]
    assert "unauthenticated" in actions and "conflict" in actions
    _, party = make_user(client, admin, "Party", "party")
    fake = "f" * 64
    assert client.post(f"/api/v1/cases/{fake}/assignment", headers=party).status_code == 403
    assert client.get(f"/api/v1/cases/{fake}", headers=party).status_code == 404
    assert _audit(service, fake) == []


def test_published_reads_are_rate_limited(service, client, admin, intake, case_body, monkeypatch):
    monkeypatch.setenv("OPENIMR_PUBLIC_READS_PER_MINUTE", "3")
    with TestClient(create_app(service=service, bootstrap_token="")) as c:
        codes = [c.get("/api/v1/published/nothing-here").status_code for _ in range(6)]
    assert codes[:3] == [404] * 3 and codes[3:] == [429] * 3


def test_records_responses_are_not_cached(client, intake, case_body):
    cid = create(client, intake, case_body)["id"]
    assert client.get(f"/api/v1/cases/{cid}", headers=intake).headers["cache-control"] == "no-store"
    assert client.get("/api/v1/cases", headers=intake).headers["cache-control"] == "no-store"


def test_claims_administrator_needs_an_organization(client, admin):
    r = client.post("/api/v1/users", json={"name": "Adjuster", "role": "claims_administrator"}, headers=admin)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "organization"


def test_records_complete_without_new_documents(client, intake, case_body):
    cid = create(client, intake, case_body)["id"]
    r = client.post(f"/api/v1/cases/{cid}/documents", json={"documents": [], "records_complete": True}, headers=intake)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "Clinical Review"
    r = client.post(f"/api/v1/cases/{cid}/documents", json={"documents": []}, headers=intake)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "documents"


def test_parties_do_not_see_the_reviewer(client, admin, intake, case_body):
    cid, rid, _ = ready_case(client, admin, intake, case_body)
    pid, party = make_user(client, admin, "Party", "party")
    assert client.post(f"/api/v1/cases/{cid}/access", json={"user": pid}, headers=intake).status_code == 201
    assert client.get(f"/api/v1/cases/{cid}", headers=intake).json()["assigned_reviewer"] == rid
    assert client.get(f"/api/v1/cases/{cid}", headers=party).json()["assigned_reviewer"] is None
    assert rid not in client.get(f"/api/v1/cases/{cid}", headers=party).text
    assert rid not in client.get("/api/v1/cases", headers=party).text


# ---------------------------------------------------------------- 12. typed responses, one mapping
def test_every_endpoint_declares_a_response_model(client):
    spec = client.get("/openapi.json").json()
    untyped = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            ok = next((v for k, v in op["responses"].items() if k.startswith("2")), None)
            content = (ok or {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if path.endswith("/letter"):
                continue  # the letter itself: text, HTML or PDF
            if not schema or schema == {} or schema.get("additionalProperties") is True or (
                    schema.get("type") == "object" and "properties" not in schema and "$ref" not in schema) or schema.get("type") == "array" and "$ref" not in schema.get("items", {}):
                untyped.append(f"{method.upper()} {path}")
    assert untyped == []


def test_sign_off_uses_the_engines_one_draft_to_determination_mapping(client, admin, intake, case_body, monkeypatch):
    import openimr.engine.core as core

    calls = []
    real = core.determination_from_draft

    def spy(draft, case, facts=None):
        calls.append(draft)
        return real(draft, case, facts)

    monkeypatch.setattr(core, "determination_from_draft", spy)
    cid, _, reviewer = ready_case(client, admin, intake, case_body)
    r = client.post(f"/api/v1/cases/{cid}/determination", json=DET, headers=reviewer)
    assert r.status_code == 200, r.text
    assert calls and calls[-1].items[0].rationale == DET["items"][0]["rationale"]


def test_migration_recomputes_fingerprints_made_before_the_claim_number_change(database_url, case_body):
    """A case filed before the upgrade (fingerprint with separators erased) is still found as a
    duplicate of an application filed after it."""
    import hashlib

    from openimr.models.case import CaseFile
    from openimr.workflow.eligibility import normalize_request
    from openimr.workflow.migrate import upgrade

    engine = db.make_engine(database_url)
    upgrade(engine, "0001")
    svc = CaseService(engine)
    try:
        svc.bootstrap("boot-" + "x" * 40)
        admin = svc.authenticate("boot-" + "x" * 40)
        view, _ = svc.create_case(admin, CaseFile.model_validate(case_body))
        with engine.begin() as conn:  # what the service before #12 stored: every separator erased
            old = hashlib.sha256(f"claim:wc88231a|2026-02-20|{normalize_request('Soma 350mg #90')}".encode()).hexdigest()
            conn.execute(text("UPDATE item_keys SET key_hash = :h WHERE case_id = :c"), {"h": old, "c": view["id"]})
        upgrade(engine)
        again, _ = svc.create_case(admin, CaseFile.model_validate(case_body))
        assert again["eligibility"]["outcome"] == "ineligible"
        assert again["eligibility"]["items"][0]["duplicate_of"] == view["id"]
    finally:
        svc.close()


def test_the_service_itself_refuses_unstorable_text(service, intake, case_body):
    """Callers other than the API (the web UI) get the same 422, before the database."""
    from openimr.models.case import CaseFile
    from openimr.workflow.service import Invalid

    actor = service.authenticate(intake["Authorization"].split()[1])
    body = copy.deepcopy(case_body)
    body["documents"][1]["text"] = "UR decision\x00 Jane Roe"
    with pytest.raises(Invalid) as err:
        service.create_case(actor, CaseFile.model_validate(body))
    assert err.value.field == "documents.1.text"
