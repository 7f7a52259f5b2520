"""Browser sessions for the web interface: a user's bearer token exchanged for a session.

The session token (random, shown only to the browser as a cookie) is stored as its SHA-256, like the
bearer tokens. A session ends at sign-out, at its absolute expiry, after `idle` without a request, or
as soon as its user is deactivated (every lookup re-checks the user). Starting and ending a session is
audited. No HTTP here: `openimr.ui` sets the cookie.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import DateTime, ForeignKey, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column

from openimr.workflow import db
from openimr.workflow.security import Role, hash_token
from openimr.workflow.service import Actor, CaseService

# A request refreshes `last_seen_at` at most this often: reads stay reads.
_TOUCH_EVERY = dt.timedelta(seconds=60)


class WebSession(db.Base):
    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


@dataclass(frozen=True)
class SessionPolicy:
    lifetime: dt.timedelta = dt.timedelta(hours=8)
    idle: dt.timedelta = dt.timedelta(minutes=30)


def start_session(svc: CaseService, bearer_token: str, policy: SessionPolicy) -> tuple[str, Actor] | None:
    """A new session for the user whose bearer token this is, or None for an unknown or revoked token."""
    actor = svc.authenticate(bearer_token)
    if actor is None:
        return None
    token = "oimrs_" + secrets.token_urlsafe(32)  # not a bearer token: a distinct prefix
    now = db.utcnow()
    with svc.tx() as s:
        # Housekeeping: sessions that expired a day ago are of no use to anyone (sign-ins are rare).
        s.execute(delete(WebSession).where(WebSession.expires_at < now - dt.timedelta(days=1)))
        s.add(WebSession(token_hash=hash_token(token), user_id=actor.id, created_at=now, last_seen_at=now,
                         expires_at=now + policy.lifetime))
        svc._audit(s, actor, "session.start", None)
    return token, actor


def session_actor(svc: CaseService, token: str, policy: SessionPolicy) -> Actor | None:
    """The signed-in user of a live session, or None (unknown, ended, expired, idle, or user deactivated)."""
    if not token:
        return None
    h = hash_token(token)
    now = db.utcnow()
    with svc.ReadSession() as s:
        row = s.execute(select(WebSession, db.User).join(db.User, db.User.id == WebSession.user_id)
                        .where(WebSession.token_hash == h)).first()
    if row is None:
        return None
    ws, user = row
    if ws.ended_at is not None or now >= ws.expires_at or now - ws.last_seen_at >= policy.idle or not user.active:
        return None
    if now - ws.last_seen_at >= _TOUCH_EVERY:
        with svc.tx() as s:
            live = s.get(WebSession, h)
            if live is not None:
                live.last_seen_at = now
    return Actor(user.id, Role(user.role), user.name, user.organization)


def end_session(svc: CaseService, token: str) -> bool:
    """Sign out: the session can no longer be used. False when there was no live session."""
    if not token:
        return False
    with svc.tx() as s:
        ws = s.get(WebSession, hash_token(token))
        if ws is None or ws.ended_at is not None:
            return False
        ws.ended_at = db.utcnow()
        user = s.get(db.User, ws.user_id)
        svc._audit(s, Actor(user.id, Role(user.role)), "session.end", None)
    return True
