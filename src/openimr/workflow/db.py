"""The case service's tables (SQLAlchemy 2) and database connections.

The schema itself is created and changed only by the Alembic migrations in
`openimr.workflow.migrations` (`openimr db upgrade`, run automatically by `openimr serve`); these
classes mirror it for the ORM. SQLite (a file, the embedded default) and PostgreSQL are supported.

Issued determinations are immutable: the migration installs database triggers that refuse any UPDATE or
DELETE of a `determinations` row, and a correction is a new row linked by `supersedes_id`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker

from openimr.workflow.settings import DEFAULT_DATABASE_URL, settings  # noqa: E402,F401


def utcnow() -> dt.datetime:
    """Naive UTC (stored the same way on SQLite and PostgreSQL)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def new_id() -> str:
    return uuid.uuid4().hex


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    organization: Mapped[str | None] = mapped_column(String(200), nullable=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Reviewer(Base):
    __tablename__ = "reviewers"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    licensure: Mapped[list[Any]] = mapped_column(JSON, default=list)
    specialty: Mapped[str] = mapped_column(String(200))
    board_certified: Mapped[bool] = mapped_column(Boolean, default=False)
    years_active: Mapped[float] = mapped_column(Float)
    hours_per_week: Mapped[float] = mapped_column(Float)
    affiliations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    case_number: Mapped[str | None] = mapped_column(String(100), nullable=True)
    status: Mapped[str] = mapped_column(String(40), index=True)
    status_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    priority: Mapped[str] = mapped_column(String(20), default="standard")
    # The case file as received, without its documents (those are rows of `documents`).
    case_file: Mapped[dict[str, Any]] = mapped_column(JSON)
    eligibility: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    claims_administrator_key: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    received_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    ur_decision_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    notice_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    records_due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    records_complete_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    due_date: Mapped[dt.date | None] = mapped_column(Date, nullable=True, index=True)
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    assigned_reviewer_id: Mapped[str | None] = mapped_column(ForeignKey("reviewers.id"), nullable=True, index=True)
    assignment: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # why this reviewer
    working_determination: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class CaseAccess(Base):
    """A party's user account granted access to one case."""

    __tablename__ = "case_access"

    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)


class ItemKey(Base):
    """A fingerprint (sha256, no PHI) of one disputed item of one application, for duplicate detection."""

    __tablename__ = "item_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), index=True)


class Document(Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("case_id", "doc_id", name="uq_documents_case_doc"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    doc_id: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(100))
    date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    text: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class DraftRow(Base):
    __tablename__ = "drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    created_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    draft: Mapped[dict[str, Any]] = mapped_column(JSON)


class DeterminationRow(Base):
    """An issued Final Determination. Never updated or deleted (database triggers refuse it)."""

    __tablename__ = "determinations"
    __table_args__ = (UniqueConstraint("case_id", "version", name="uq_determinations_case_version"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    supersedes_id: Mapped[str | None] = mapped_column(ForeignKey("determinations.id"), nullable=True)
    correction_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    reviewer_id: Mapped[str] = mapped_column(ForeignKey("reviewers.id"))
    signed_by: Mapped[str] = mapped_column(ForeignKey("users.id"))
    signed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    determination: Mapped[dict[str, Any]] = mapped_column(JSON)
    changes: Mapped[list[Any]] = mapped_column(JSON, default=list)  # reviewer's changes to the draft
    letter_text: Mapped[str] = mapped_column(Text)
    letter_html: Mapped[str] = mapped_column(Text)
    letter_pdf: Mapped[bytes] = mapped_column(LargeBinary)
    published: Mapped[dict[str, Any]] = mapped_column(JSON)  # the redacted version for public release


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    case_id: Mapped[str] = mapped_column(ForeignKey("cases.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class AuditEvent(Base):
    """Who did what to which case, when. `detail` holds ids, field names and statuses."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_case_at", "case_id", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    actor_role: Mapped[str | None] = mapped_column(String(32), nullable=True)
    action: Mapped[str] = mapped_column(String(60))
    case_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine for `url`.

    SQLite files get WAL, foreign keys, a busy timeout and `synchronous=FULL` (an acknowledged commit
    survives a power loss; `OPENIMR_SQLITE_SYNCHRONOUS=NORMAL` trades that for speed and still survives
    a killed process). Write transactions on SQLite begin IMMEDIATE, so they take the write lock up front
    and queue instead of failing on a lock upgrade; `read_only=True` gives an engine whose transactions
    begin DEFERRED (WAL readers never wait for the writer).
    """
    if url.startswith("sqlite"):
        # hide_parameters: a failed statement's error (and any SQL log) never carries the bound values,
        # which are record text, names and identifiers.
        # A connection per request thread (the thread pool runs up to 40): with SQLAlchemy's default of
        # 5 + 10 overflow, busy moments opened and closed connections, each with its PRAGMAs (issue 15).
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 60}, hide_parameters=True,
                               **({} if ":memory:" in url or url.rstrip("/") == "sqlite:" else
                                  {"pool_size": 40, "max_overflow": 40}))
        sync = settings().sqlite_synchronous
        begin = "BEGIN" if read_only else "BEGIN IMMEDIATE"

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised by every SQLite test
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA synchronous={sync}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=60000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _on_begin(conn):  # pragma: no cover
            conn.exec_driver_sql(begin)

        return engine
    return create_engine(url, pool_size=20, max_overflow=40, pool_pre_ping=True, hide_parameters=True)


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False)
