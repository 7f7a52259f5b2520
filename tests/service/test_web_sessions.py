"""Browser sessions of the web interface (openimr.workflow.sessions) on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update

from openimr.workflow import db
from openimr.workflow.security import Role
from openimr.workflow.service import Actor
from openimr.workflow.sessions import SessionPolicy, WebSession, end_session, session_actor, start_session

POLICY = SessionPolicy(lifetime=dt.timedelta(hours=8), idle=dt.timedelta(minutes=30))


def test_session_lifecycle(service):
    service.bootstrap("boot-token-" + "x" * 32)
    admin = service.authenticate("boot-token-" + "x" * 32)
    made = service.create_user(admin, "Dr. Reyes", Role.REVIEWER)
    assert start_session(service, "oimr_not-a-token", POLICY) is None
    token, actor = start_session(service, made["token"], POLICY)
    assert token.startswith("oimrs_") and actor == Actor(made["id"], Role.REVIEWER, "Dr. Reyes", None)
    assert service.authenticate(token) is None  # a session token is not a bearer token
    assert session_actor(service, token, POLICY) == actor
    with service.Session.begin() as s:  # only the hash is stored
        rows = s.scalars(select(WebSession)).all()
        assert [r.token_hash for r in rows] != [token] and len(rows) == 1
        s.execute(update(WebSession).values(last_seen_at=db.utcnow() - dt.timedelta(minutes=5)))
    assert session_actor(service, token, POLICY) == actor  # a request refreshes last_seen_at
    with service.Session.begin() as s:
        assert db.utcnow() - s.scalar(select(WebSession.last_seen_at)) < dt.timedelta(minutes=1)
    assert end_session(service, token) is True
    assert session_actor(service, token, POLICY) is None
    assert end_session(service, token) is False
    with service.Session.begin() as s:
        actions = s.scalars(select(db.AuditEvent.action).where(db.AuditEvent.actor_id == made["id"])).all()
    assert actions == ["session.start", "session.end"]


def test_expired_sessions_are_cleared_at_the_next_sign_in(service):
    service.bootstrap("boot-token-" + "x" * 32)
    admin = service.authenticate("boot-token-" + "x" * 32)
    made = service.create_user(admin, "Ivy", Role.INTAKE)
    old, _ = start_session(service, made["token"], POLICY)
    with service.Session.begin() as s:
        s.execute(update(WebSession).values(expires_at=db.utcnow() - dt.timedelta(days=2)))
    assert session_actor(service, old, POLICY) is None
    start_session(service, made["token"], POLICY)
    with service.Session.begin() as s:
        assert len(s.scalars(select(WebSession)).all()) == 1
