"""The case service's speed work (issue 15), as properties rather than timings: pure ASGI middleware, no
thread hop for a cached token, a case view in one SELECT that equals the ORM view for every role, every
read audited, drafts run in a separate process and stored, writers queued across processes."""

from __future__ import annotations

import inspect
import os

import pytest
from fastapi.testclient import TestClient
from service_helpers import make_reviewer, make_user
from sqlalchemy import event, func, select
from starlette.middleware.base import BaseHTTPMiddleware

from openimr.api.app import create_app, current_actor
from openimr.api.guard import Guard
from openimr.workflow import db
from openimr.workflow.migrate import upgrade
from openimr.workflow.service import CaseService
from openimr.workflow.writelock import WriteLock

fcntl = pytest.importorskip("fcntl")


def _selects(engine):
    """Collect the SELECT statements run on `engine` (other than a connection ping)."""
    seen: list[str] = []

    def on_execute(_conn, _cursor, statement, *_args):
        s = statement.strip().upper()
        if s.startswith("SELECT") and s != "SELECT 1":
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", on_execute)
    return seen, lambda: event.remove(engine, "before_cursor_execute", on_execute)


def _audit(service, action: str, case_id: str) -> int:
    with service.Session() as s:
        return s.scalar(select(func.count()).select_from(db.AuditEvent)
                        .where(db.AuditEvent.action == action, db.AuditEvent.case_id == case_id))


def test_middleware_is_pure_asgi_and_the_actor_dependency_is_async(client):
    stack = client.app.user_middleware
    assert any(m.cls is Guard for m in stack)
    assert not any(isinstance(m.cls, type) and issubclass(m.cls, BaseHTTPMiddleware) for m in stack)
    # a sync dependency would cost a thread-pool hop on every request
    assert inspect.iscoroutinefunction(current_actor)
    assert inspect.iscoroutinefunction(Guard.__call__)


@pytest.fixture
def issued(client, service, admin, intake, case_body):
    """A case with records, an assigned reviewer and two issued versions; and users of every role."""
    rid, reviewer = make_reviewer(client, admin)
    _, ca = make_user(client, admin, "Adjuster", "claims_administrator", organization="Golden State Claims Services")
    party_id, party = make_user(client, admin, "Worker's attorney", "party")
    _, other_reviewer = make_reviewer(client, admin, name="Reviewer B")
    cid = client.post("/api/v1/cases", json={**case_body, "records_complete": True}, headers=intake).json()["id"]
    assert client.post(f"/api/v1/cases/{cid}/assignment", headers=intake, json={"reviewer": rid}).status_code == 200
    assert client.post(f"/api/v1/cases/{cid}/access", headers=intake, json={"user": party_id}).status_code == 201
    assert client.post(f"/api/v1/cases/{cid}/draft", headers=reviewer).status_code == 201
    det = {"items": [{"request": "Soma 350mg #90", "decision": "Upheld", "rationale": "Not supported here."}]}
    assert client.post(f"/api/v1/cases/{cid}/determination", json=det, headers=reviewer).status_code == 200
    corr = {**det, "correction_reason": "clerical error"}
    assert client.post(f"/api/v1/cases/{cid}/determination", json=corr, headers=reviewer).status_code == 200
    roles = {"admin": admin, "intake": intake, "reviewer": reviewer, "claims_administrator": ca, "party": party}
    return cid, roles, other_reviewer


def test_case_view_in_one_select_equals_the_orm_view_for_every_role(service, client, issued):
    cid, roles, _ = issued
    for role, headers in roles.items():
        actor = service.authenticate(headers["Authorization"].split()[1])
        fast = service.get_case(actor, cid)
        with service.rtx() as s:
            orm = service._view(s, actor, s.get(db.Case, cid))
        assert fast == orm, role
        assert len(fast["documents"]) == 2 and [d["version"] for d in fast["determinations"]] == [1, 2], role
        assert ("text" in fast["documents"][0]) == (role != "party"), role
        # through HTTP, with the token already cached: one SELECT in all (no token query, one for the view)
        client.get(f"/api/v1/cases/{cid}", headers=headers)
        seen, stop = _selects(service.read_engine)
        try:
            r = client.get(f"/api/v1/cases/{cid}", headers=headers)
        finally:
            stop()
        assert r.status_code == 200, (role, r.text)
        assert len(seen) == 1, (role, seen)


def test_every_read_is_audited_and_a_hidden_case_is_a_denial(service, client, issued):
    cid, roles, other_reviewer = issued
    before = _audit(service, "case.read", cid)
    for _ in range(3):
        assert client.get(f"/api/v1/cases/{cid}", headers=roles["intake"]).status_code == 200
    assert _audit(service, "case.read", cid) == before + 3
    denied = _audit(service, "denied", cid)
    assert client.get(f"/api/v1/cases/{cid}", headers=other_reviewer).status_code == 404
    assert _audit(service, "denied", cid) == denied + 1
    assert _audit(service, "case.read", cid) == before + 3
    assert client.get("/api/v1/cases/no-such-case", headers=roles["intake"]).status_code == 404


def test_a_cached_token_needs_no_database_query(service, client, intake):
    assert client.get("/api/v1/reviewers", headers=intake).status_code == 200
    seen, stop = _selects(service.read_engine)
    try:
        assert client.get("/api/v1/reviewers", headers=intake).status_code == 200
    finally:
        stop()
    assert not [s for s in seen if "FROM users" in s], seen


def test_a_draft_runs_in_the_pool_process_and_is_stored(tmp_path, drafter, case_body):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'pool.db'}")
    upgrade(engine)
    service = CaseService(engine, draft_processes=1)  # the default drafter: the real engine
    boot = "boot-" + "p" * 40
    admin = {"Authorization": f"Bearer {boot}"}
    try:
        with TestClient(create_app(service=service, bootstrap_token=boot)) as client:
            child = service.draft_pool.run(os.getpid)
            assert child != os.getpid()  # a separate process
            _, reviewer = make_reviewer(client, admin)
            _, intake = make_user(client, admin, "Intake", "intake")
            cid = client.post("/api/v1/cases", json={**case_body, "records_complete": True}, headers=intake).json()["id"]
            assert client.post(f"/api/v1/cases/{cid}/assignment", headers=intake).status_code == 200
            done = service.draft_pool.jobs_done
            r = client.post(f"/api/v1/cases/{cid}/draft", headers=reviewer)
            assert r.status_code == 201, r.text
            assert service.draft_pool.jobs_done == done + 1
            with service.Session() as s:
                row = s.get(db.DraftRow, r.json()["id"])
                assert row is not None and row.case_id == cid and row.draft == r.json()["draft"]
            assert _audit(service, "draft.request", cid) == 1 and _audit(service, "draft.create", cid) == 1
            # the same decisions as the engine run in this process
            with service.rtx() as s:
                case = s.get(db.Case, cid)
                reviewer_row = s.get(db.Reviewer, case.assigned_reviewer_id)
                local = drafter(service._engine_case(s, case, reviewer_row))
            assert [(i["request"], i["decision"]) for i in r.json()["draft"]["items"]] == \
                [(i.request, i.decision) for i in local.items]
        assert not _alive(child)  # the app's shutdown closed the pool
    finally:
        service.close()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


ORPHAN = """
import os, sys, time
from openimr.workflow.draftpool import DraftPool
pool = DraftPool(1, nice=0)
print(pool.run(os.getpid), flush=True)
time.sleep(600)
"""


def test_draft_processes_end_when_the_server_is_killed(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    server = subprocess.Popen([sys.executable, "-c", ORPHAN], stdout=subprocess.PIPE, text=True)
    try:
        child = int(server.stdout.readline())
        assert _alive(child)
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
    for _ in range(200):  # the pool process checks its parent every second
        if not _alive(child):
            break
        time.sleep(0.1)
    assert not _alive(child)


def test_write_lock_excludes_other_processes(tmp_path):
    lock = WriteLock(str(tmp_path / "x.db"))
    other = os.open(tmp_path / "x.db.writelock", os.O_RDWR | os.O_CREAT)  # another open file: as another process
    try:
        with lock, pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released on exit
        fcntl.flock(other, fcntl.LOCK_UN)
    finally:
        os.close(other)
        lock.close()
    assert WriteLock(None).path is None  # an in-memory database: the thread lock alone
