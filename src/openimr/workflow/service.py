"""The IMR case service: lifecycle, eligibility, clock, reviewer assignment, draft, sign-off, publication.

`CaseService` is the whole workflow over a database; the FastAPI app (`openimr.api`) is a thin layer
over it. Every method takes the acting user (`Actor`), checks the role and the actor's scope (a claims
administrator sees only its own cases, a reviewer only cases assigned to them, a party only cases it was
granted), and writes an audit event for every read and write of case data in the same transaction as
the change. Logs carry ids only, never names or clinical text.

Collaborators are injected so the service can be exercised alone: `drafter(CaseFile) -> Draft` (default
`openimr.engine.draft_case`), `writer` (default `openimr.letters.writer`: render_text/html/pdf),
`classifier(text) -> ClassifiedRequest` (default `openimr.guidelines.classifier.classify`), and `today()`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import queue
import re
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from openimr.models.case import CaseFile
from openimr.models.case import Document as DocumentModel
from openimr.models.draft import Draft, DraftItem, EngineInfo
from openimr.models.letter import Determination, Guideline, ItemDecision, ReviewerCredentials
from openimr.workflow import caseview, db
from openimr.workflow.clock import ClockPolicy, clock_state
from openimr.workflow.draftpool import DraftPool
from openimr.workflow.eligibility import MAX_ITEMS, check_eligibility, identity, item_keys, normalize_request
from openimr.workflow.matching import Candidate, item_need, match, normalize_state
from openimr.workflow.redaction import published_version
from openimr.workflow.security import Role, hash_token, new_token, token_matches
from openimr.workflow.settings import check_bootstrap_token, fallback
from openimr.workflow.states import ACCEPTS_RECORDS, ASSIGNABLE, TERMINAL, Status, can_move
from openimr.workflow.textcheck import find_problem
from openimr.workflow.tokencache import DEFAULT_TTL, TokenCache
from openimr.workflow.writelock import WriteLock

log = logging.getLogger("openimr.service")

STAFF = {Role.ADMIN, Role.INTAKE}

# What each guarded action is, in words (403 messages read "a user with role intake may not sign a
# determination", not "may not case determine").
ACTION_TEXT = {
    "access.grant": "grant access to a case", "audit.read": "read a case's audit trail",
    "case.assign": "assign a reviewer", "case.create": "create a case", "case.determine": "decide or sign a determination",
    "case.draft": "draft a determination", "documents.add": "add records to a case",
    "draft.rationale": "regenerate a rationale", "reviewer.create": "add a panel reviewer",
    "reviewer.list": "list the reviewer panel", "user.create": "create users", "user.deactivate": "deactivate users",
    "case.defer": "defer a case", "case.resume": "resume a case", "case.insufficient_records": "mark records insufficient",
}


class ServiceError(Exception):
    status = 400

    def __init__(self, detail: Any):
        super().__init__(str(detail))
        self.detail = detail
        self.denial: tuple[Actor, str, str | None] | None = None  # audited after the rollback


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409


class Invalid(ServiceError):
    """422 naming the field and the problem."""

    status = 422

    def __init__(self, field: str, problem: str):
        super().__init__({"detail": "invalid request", "errors": [{"field": field, "problem": problem}]})
        self.field, self.problem = field, problem


def _storable(data: Any, prefix: str = "") -> None:
    """422 for text no database stores faithfully (see workflow/textcheck.py), naming the field."""
    found = find_problem(data)
    if found:
        field, problem = found
        raise Invalid(f"{prefix}{field}" if field != "body" else (prefix.rstrip(".") or "body"), problem)


class Unavailable(ServiceError):
    status = 503


@dataclass(frozen=True)
class Actor:
    id: str | None
    role: Role | None
    name: str = ""
    organization: str | None = None

    @classmethod
    def public(cls) -> Actor:
        return cls(None, None, "public")


class AuditWriter:
    """Commits audit events of read requests in batches (group commit): a reader hands its events
    over and waits until they are durable, so concurrent reads share one commit instead of one each."""

    def __init__(self, engine: Engine, lock):
        self.engine = engine
        self.lock = lock
        self.queue: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def write(self, events: list[dict[str, Any]], timeout: float = 120) -> None:
        if not events:
            return
        if self._thread is None or not self._thread.is_alive():
            with self._start_lock:
                if self._thread is None or not self._thread.is_alive():
                    self._thread = threading.Thread(target=self._run, name="openimr-audit", daemon=True)
                    self._thread.start()
        done: Future = Future()
        self.queue.put((events, done))
        done.result(timeout=timeout)

    def close(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self.queue.put(None)
            self._thread.join(timeout=10)

    def _run(self) -> None:
        while True:
            first = self.queue.get()
            if first is None:
                return
            batch = [first]
            while len(batch) < 500:
                try:
                    batch.append(self.queue.get_nowait())
                except queue.Empty:
                    break
            try:
                # one INSERT for the batch (Core executemany: no ORM unit of work), one commit
                with self.lock, self.engine.begin() as conn:
                    conn.execute(insert(db.AuditEvent.__table__), [e for events, _ in batch for e in events])
            except Exception as exc:  # the readers fail with it: nothing unaudited goes out
                for _, done in batch:
                    done.set_exception(exc)
            else:
                for _, done in batch:
                    done.set_result(None)


def _visible(actor: Actor, case: Any, my_reviewer: Callable[[], str | None], granted: Callable[[], bool]) -> bool:
    """May `actor` see `case`? `my_reviewer()` (the actor's panel reviewer id) and `granted()` (an access
    grant for this case) are asked only when the role needs them."""
    if actor.role in STAFF:
        return True
    if actor.role == Role.REVIEWER:
        r = my_reviewer()
        return bool(r and case.assigned_reviewer_id == r)
    if actor.role == Role.CLAIMS_ADMINISTRATOR:
        own = _org_key(actor.organization or actor.name)
        if own and case.claims_administrator_key == own:
            return True
    if actor.role in {Role.CLAIMS_ADMINISTRATOR, Role.PARTY}:
        return granted()
    return False


def _org_key(name: str | None) -> str | None:
    k = re.sub(r"[^a-z0-9]+", " ", (name or "").lower()).strip()
    return k or None


def _default_drafter(case: CaseFile):
    from openimr.engine import draft_case

    return draft_case(case)


def _default_classifier() -> Callable[[str], Any] | None:
    try:
        from openimr.guidelines.classifier import classify
    except ImportError as exc:
        fallback("classifier", "request classifier unavailable (%s): reviewer matching uses the default specialties",
                 type(exc).__name__)
        return None
    return classify


def _default_writer():
    from openimr.letters import writer

    return writer


def _kb_topic_specialties(topic_id: str) -> tuple[str | None, list[str]]:
    try:
        from openimr.guidelines.knowledge_base import default_knowledge_base

        topic = default_knowledge_base().topic(topic_id)
    except Exception as exc:  # a knowledge base that fails to load must not block assignment
        fallback("kb.specialties", "knowledge base not loaded for reviewer matching (%s): topic specialties unused",
                 type(exc).__name__)
        return None, []
    return (topic.category, list(topic.specialties)) if topic else (None, [])


def _default_loaded_packs() -> list[dict[str, Any]] | None:
    """The guideline packs this process has loaded (name, version, hash), or None if the knowledge base
    cannot be loaded (then no draft made with a pack can be signed)."""
    try:
        from openimr.guidelines.knowledge_base import default_knowledge_base

        return [p.model_dump(mode="json") for p in default_knowledge_base().pack_refs()]
    except Exception:
        return None


def _missing_packs(draft: dict[str, Any], loaded: list[dict[str, Any]] | None) -> list[str]:
    """The packs a stored draft was made with that are not loaded now (by name and content hash)."""
    have = {(p.get("name"), p.get("content_hash")) for p in loaded or []}
    return [f"{p.get('name')} {p.get('version')} ({p.get('content_hash')})" for p in draft.get("guideline_packs") or []
            if (p.get("name"), p.get("content_hash")) not in have]


def _california_today() -> dt.date:
    """IMR deadlines run in California calendar days."""
    try:
        from zoneinfo import ZoneInfo

        return dt.datetime.now(ZoneInfo("America/Los_Angeles")).date()
    except Exception as exc:  # no time-zone database on this machine
        fallback("tz", "no America/Los_Angeles time zone (%s): deadlines use the UTC date", type(exc).__name__)
        return dt.datetime.now(dt.UTC).date()


def _engine_rationale(case: CaseFile, request: str, decision: str) -> str | None:
    """The engine's rationale for `decision` on `request`: its own judgement of the guideline's criteria,
    with the conclusion the reviewer chose (openimr.engine.rationale.build_rationale, not a copy)."""
    import dataclasses

    from openimr.engine.core import review_case
    from openimr.engine.rationale import build_rationale

    _, outcomes = review_case(case)
    for o in outcomes:
        if normalize_request(o.item.request) == normalize_request(request) and o.judgement is not None:
            passed_over = any("passed over" in h for h in o.item.hierarchy)
            return build_rationale(o.item.request, dataclasses.replace(o.judgement, decision=decision),
                                   passed_over_mtus=passed_over)
    return None


def other_label(decision: str) -> str:
    return "that the request is medically necessary" if decision == "Overturned" else \
        "that the request is not medically necessary"


def _concludes(rationale: str, request: str, decision: str) -> bool:
    """Does the rationale end on the engine's conclusion sentence for `decision`?"""
    from openimr.engine.rationale import conclusion

    return " ".join(conclusion(request, decision).split()).lower() in " ".join(rationale.split()).lower()


@dataclass(frozen=True)
class BaseItem:
    """What a reviewer's decision on an item is compared with: a draft item or an issued one."""

    request: str
    decision: str | None
    rationale: str
    topic: str | None
    guideline: Guideline | None

    @classmethod
    def of(cls, item: DraftItem | ItemDecision) -> BaseItem:
        if isinstance(item, DraftItem):
            return cls(item.request, item.decision, item.rationale, item.topic, item.guideline)
        return cls(item.request, item.decision, item.rationale, None, item.imr_guideline)


def request_hash(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


class CaseService:
    def __init__(
        self,
        engine: Engine,
        *,
        drafter: Callable[[CaseFile], Any] | None = None,
        writer: Any = None,
        classifier: Callable[[str], Any] | None | bool = True,
        topic_specialties: Callable[[str], tuple[str | None, list[str]]] | None = _kb_topic_specialties,
        policy: ClockPolicy | None = None,
        today: Callable[[], dt.date] | None = None,
        organization: str | None = None,
        loaded_packs: Callable[[], list[dict[str, Any]] | None] | None = None,
        rationale_builder: Callable[[CaseFile, str, str], str | None] | None = None,
        precedents: Any = None,
        token_cache_ttl: float = DEFAULT_TTL,
        draft_processes: int = 0,
        draft_nice: int = 5,
    ):
        self.engine = engine
        self.rationale_builder = rationale_builder or _engine_rationale
        self.Session = db.session_factory(engine)
        self.sqlite = engine.dialect.name == "sqlite"
        # Reads that write no audit row (token lookup, classification input) use a DEFERRED engine on
        # SQLite; on a server database the same engine serves both.
        self.read_engine = db.make_engine(engine.url.render_as_string(hide_password=False), read_only=True) \
            if self.sqlite else engine
        self.ReadSession = db.session_factory(self.read_engine)
        # SQLite has one writer at a time: queue this process's writers on a lock rather than on
        # SQLite's busy-wait (which is unfair and gives long tails under load).
        # Across worker processes too (issue 15): see workflow/writelock.py.
        path = engine.url.database if self.sqlite and engine.url.database not in (None, "", ":memory:") else None
        self._write_lock = WriteLock(path) if self.sqlite else contextlib.nullcontext()
        self.audit_writer = AuditWriter(engine, self._write_lock)
        self.drafter = drafter or _default_drafter
        self._writer = writer
        self._classifier = classifier
        self.topic_specialties = topic_specialties
        self.policy = policy or ClockPolicy()
        self.today = today or _california_today
        self.organization = organization
        self.loaded_packs = loaded_packs or _default_loaded_packs
        # openimr.precedents.service.ServicePrecedents, or None: precedents shown beside each draft
        self.precedents = precedents
        self.token_cache = TokenCache(token_cache_ttl)
        # issue 15: drafts in their own process(es), so reads never wait on the engine (workflow/draftpool.py);
        # 0 runs the drafter on the request thread (tests, and injected drafters that cannot be pickled)
        self.draft_pool = DraftPool(draft_processes, draft_nice) if draft_processes > 0 else None

    def warm_up(self) -> float:
        """Load the engine's and classifier's models now (a probe draft), so that the first reviewer
        does not wait for them. Returns the seconds taken; failures are logged, not raised."""
        import time

        t = time.perf_counter()
        probe = CaseFile.model_validate({
            "disputed_items": [{"request": "Soma 350mg #90"}],
            "documents": [{"id": "probe", "type": "progress_note", "text": "Chronic low back pain, 6/10. Soma 350mg daily."}],
        })
        try:
            if self.classifier is not None:
                self.classifier("Soma 350mg #90")
            self._run_drafter(probe)
        except Exception as exc:  # the service still runs; drafting will report its own error
            log.warning("engine warm-up failed: %s", type(exc).__name__)
        took = time.perf_counter() - t
        log.info("engine warm-up %.1f s", took)
        return took

    def close(self) -> None:
        """Stop the audit writer and release the database connections."""
        self.audit_writer.close()
        if self.draft_pool is not None:
            self.draft_pool.close()
        if isinstance(self._write_lock, WriteLock):
            self._write_lock.close()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()
        self.engine.dispose()

    # ------------------------------------------------------------------ plumbing
    @contextmanager
    def tx(self) -> Iterator[Session]:
        """One transaction. A refused access is audited after the rollback, in its own transaction."""
        try:
            with self._write_lock, self.Session.begin() as s:
                yield s
        except ServiceError as exc:
            if exc.denial is not None:
                actor, action, case_id = exc.denial
                with self._write_lock, self.Session.begin() as s:
                    self._audit(s, actor, "denied", case_id, attempted=action)
            raise

    @property
    def writer(self):
        if self._writer is None:
            try:
                self._writer = _default_writer()
            except ImportError as exc:
                raise Unavailable({"detail": "the letter writer is not available"}) from exc
        return self._writer

    @property
    def classifier(self) -> Callable[[str], Any] | None:
        if self._classifier is True:
            self._classifier = _default_classifier()
        return self._classifier or None

    def _audit(self, s: Session, actor: Actor, action: str, case_id: str | None, **detail: Any) -> None:
        event = {"actor_id": actor.id, "actor_role": str(actor.role) if actor.role else None,
                 "action": action, "case_id": case_id, "detail": detail, "at": db.utcnow()}
        buffer = s.info.get("audit_buffer")
        if buffer is not None:  # a read transaction: committed by the audit writer before returning
            buffer.append(event)
        else:
            s.add(db.AuditEvent(**event))

    @contextmanager
    def rtx(self) -> Iterator[Session]:
        """A read transaction (no write lock). Its audit events are committed, group-committed with
        other readers' by the audit writer, before the caller returns: no read goes out unaudited."""
        buffer: list[dict[str, Any]] = []
        try:
            with self.ReadSession.begin() as s:
                s.info["audit_buffer"] = buffer
                yield s
        except ServiceError as exc:
            if exc.denial is not None:
                actor, action, case_id = exc.denial
                self.audit_writer.write([{"actor_id": actor.id, "actor_role": str(actor.role) if actor.role else None,
                                          "action": "denied", "case_id": case_id, "detail": {"attempted": action},
                                          "at": db.utcnow()}])
            raise
        self.audit_writer.write(buffer)

    def _deny(self, actor: Actor, action: str, case_id: str | None) -> None:
        with self.tx() as s:
            # Recorded against a case only if it exists: a caller cannot seed an arbitrary id's trail.
            known = case_id if case_id and s.get(db.Case, case_id) is not None else None
            self._audit(s, actor, "denied", known, attempted=action)

    def audit_unauthenticated(self, reason: str, case_id: str | None, client: str) -> None:
        """A request refused 401 (the API rate-limits these per client before calling)."""
        with self.tx() as s:
            known = case_id if case_id and s.get(db.Case, case_id) is not None else None
            self._audit(s, Actor.public(), "unauthenticated", known, reason=reason, client=client)

    def audit_refusal(self, actor: Actor, status: int, case_id: str | None, action: str) -> None:
        """A request refused for the case's state (409): who tried what, on which case."""
        with self.tx() as s:
            known = case_id if case_id and s.get(db.Case, case_id) is not None else None
            self._audit(s, actor, "conflict", known, attempted=action, status=status)

    def _require_role(self, actor: Actor, roles: set[Role], action: str, case_id: str | None = None) -> None:
        if actor.role not in roles:
            self._deny(actor, action, case_id)
            raise Forbidden({"detail": f"a user with role {actor.role} may not {ACTION_TEXT.get(action, action)}",
                             "allowed_roles": sorted(str(r) for r in roles)})

    def _reviewer_of(self, s: Session, actor: Actor) -> db.Reviewer | None:
        if actor.role != Role.REVIEWER:
            return None
        return s.scalar(select(db.Reviewer).where(db.Reviewer.user_id == actor.id))

    def _visible(self, s: Session, actor: Actor, case: db.Case) -> bool:
        return _visible(actor, case, lambda: (r.id if (r := self._reviewer_of(s, actor)) else None),
                        lambda: s.get(db.CaseAccess, (case.id, actor.id)) is not None)

    def _case(self, s: Session, actor: Actor, case_id: str, action: str, lock: bool = False) -> db.Case:
        """The case, if the actor may see it (else 404, audited). `lock`: FOR UPDATE on a server database."""
        case = s.get(db.Case, case_id, with_for_update=lock and not self.sqlite)
        if case is None:
            raise NotFound({"detail": f"case {case_id} not found"})
        if not self._visible(s, actor, case):
            err = NotFound({"detail": f"case {case_id} not found"})
            err.denial = (actor, action, case_id)
            raise err
        return case

    def _move(self, s: Session, actor: Actor, case: db.Case, dst: Status, reason: str | None = None) -> None:
        src = Status(case.status)
        if src == dst:
            return
        if not can_move(src, dst):
            raise Conflict({"detail": f"a case in {src.label!r} cannot move to {dst.label!r}"})
        case.status = dst.value
        case.status_reason = reason
        case.updated_at = db.utcnow()
        if dst in TERMINAL:
            case.closed_at = db.utcnow()
        self._audit(s, actor, "status.change", case.id, **{"from": src.label, "to": dst.label, "reason": reason})
        log.info("case %s status %s -> %s", case.id, src.value, dst.value)

    def _case_file(self, s: Session, case: db.Case) -> CaseFile:
        docs = s.scalars(select(db.Document).where(db.Document.case_id == case.id).order_by(db.Document.id)).all()
        data = dict(case.case_file)
        data["documents"] = [{"id": d.doc_id, "type": d.type, "date": d.date, "text": d.text} for d in docs]
        return CaseFile.model_validate(data)

    # ------------------------------------------------------------------ users
    def bootstrap(self, token: str | None) -> bool:
        """Create the first admin from OPENIMR_BOOTSTRAP_TOKEN when there are no users yet."""
        if not token:
            return False
        check_bootstrap_token(token)  # ValueError: a short token would be a guessable admin password
        with self.tx() as s:
            if s.scalar(select(func.count()).select_from(db.User)):
                return False
            user = db.User(name="bootstrap admin", role=Role.ADMIN.value, token_hash=hash_token(token), active=True)
            s.add(user)
            s.flush()
            self._audit(s, Actor(user.id, Role.ADMIN), "user.bootstrap", None, user=user.id)
        log.info("bootstrap admin created")
        return True

    def cached_actor(self, token: str) -> Actor | None:
        """The actor of a token checked in the last `token_cache.ttl` seconds, from memory (no database:
        safe on the event loop); None when it must be checked with `authenticate`."""
        return self.token_cache.get(hash_token(token))

    def authenticate(self, token: str) -> Actor | None:
        h = hash_token(token)
        cached = self.token_cache.get(h)  # issue 15: see openimr.workflow.tokencache for the bound
        if cached is not None:
            return cached
        with self.ReadSession() as s:
            user = s.scalar(select(db.User).where(db.User.token_hash == h))
            if user is None or not user.active or not token_matches(token, user.token_hash):
                return None
            actor = Actor(user.id, Role(user.role), user.name, user.organization)
        self.token_cache.put(h, actor)
        return actor

    def create_user(self, actor: Actor, name: str, role: Role, organization: str | None = None) -> dict[str, Any]:
        self._require_role(actor, {Role.ADMIN}, "user.create")
        _storable({"name": name, "organization": organization})
        if Role(role) == Role.CLAIMS_ADMINISTRATOR and not (organization or "").strip():
            raise Invalid("organization", "required for a claims_administrator: the organization whose cases it sees")
        token = new_token()
        with self.tx() as s:
            user = db.User(name=name, role=Role(role).value, organization=organization,
                           token_hash=hash_token(token), active=True)
            s.add(user)
            s.flush()
            self._audit(s, actor, "user.create", None, user=user.id, role=user.role)
        return {"id": user.id, "token": token, "name": name, "role": user.role, "organization": organization}

    def deactivate_user(self, actor: Actor, user_id: str) -> dict[str, Any]:
        """Revoke a user's token (and take a reviewer off the panel). Admins cannot lock themselves out."""
        self._require_role(actor, {Role.ADMIN}, "user.deactivate")
        if user_id == actor.id:
            raise Conflict({"detail": "an admin cannot deactivate their own account"})
        with self.tx() as s:
            user = s.get(db.User, user_id)
            if user is None:
                raise NotFound({"detail": f"user {user_id} not found"})
            user.active = False
            self.token_cache.forget_user(user.id)
            reviewer = s.scalar(select(db.Reviewer).where(db.Reviewer.user_id == user.id))
            if reviewer is not None:
                reviewer.active = False
            self._audit(s, actor, "user.deactivate", None, user=user.id)
            return {"id": user.id, "active": False}

    # ------------------------------------------------------------------ reviewers
    def create_reviewer(self, actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
        self._require_role(actor, {Role.ADMIN}, "reviewer.create")
        _storable(data)
        licensure = []
        for i, st in enumerate(data.get("licensure") or []):
            norm = normalize_state(st)
            if norm is None:
                raise Invalid(f"licensure.{i}", f"{st!r} is not a US state")
            licensure.append(norm)
        with self.tx() as s:
            user = s.get(db.User, data["user"])
            if user is None:
                raise Invalid("user", f"no user with id {data['user']!r}")
            if user.role != Role.REVIEWER.value:
                raise Invalid("user", f"user {user.id} has role {user.role!r}, not 'reviewer'")
            if s.scalar(select(db.Reviewer).where(db.Reviewer.user_id == user.id)):
                raise Conflict({"detail": f"user {user.id} is already a panel reviewer"})
            r = db.Reviewer(
                user_id=user.id, name=data["name"], licensure=licensure, specialty=data["specialty"],
                board_certified=bool(data.get("board_certified")), years_active=float(data["years_active"]),
                hours_per_week=float(data["hours_per_week"]), affiliations=list(data.get("affiliations") or []),
                active=True,
            )
            s.add(r)
            s.flush()
            self._audit(s, actor, "reviewer.create", None, reviewer=r.id)
            return self._reviewer_view(r, 0)

    def _reviewer_view(self, r: db.Reviewer, open_cases: int) -> dict[str, Any]:
        return {"id": r.id, "user": r.user_id, "name": r.name, "licensure": r.licensure, "specialty": r.specialty,
                "board_certified": r.board_certified, "years_active": r.years_active,
                "hours_per_week": r.hours_per_week, "affiliations": r.affiliations, "active": r.active,
                "open_cases": open_cases}

    def _caseloads(self, s: Session) -> dict[str, int]:
        rows = s.execute(
            select(db.Case.assigned_reviewer_id, func.count())
            .where(db.Case.assigned_reviewer_id.is_not(None), db.Case.status.not_in([t.value for t in TERMINAL]))
            .group_by(db.Case.assigned_reviewer_id)
        ).all()
        return {rid: n for rid, n in rows}

    def list_reviewers(self, actor: Actor) -> list[dict[str, Any]]:
        self._require_role(actor, STAFF, "reviewer.list")
        with self.tx() as s:
            loads = self._caseloads(s)
            rs = s.scalars(select(db.Reviewer).order_by(db.Reviewer.created_at, db.Reviewer.id)).all()
            self._audit(s, actor, "reviewer.list", None, count=len(rs))
            return [self._reviewer_view(r, loads.get(r.id, 0)) for r in rs]

    # ------------------------------------------------------------------ cases
    def create_case(self, actor: Actor, case_file: CaseFile, records_complete: bool = False,
                    idempotency_key: str | None = None) -> tuple[dict[str, Any], bool]:
        """Create a case, check eligibility, and (if eligible) issue the notice. Returns (view, created).

        With an `idempotency_key`, a retry of the same request returns the first response (created=False);
        the same key with a different body is a 409.
        """
        self._require_role(actor, STAFF, "case.create")
        _storable(case_file.model_dump(mode="json"))
        if len(case_file.disputed_items) > MAX_ITEMS:
            raise Invalid("disputed_items", f"{len(case_file.disputed_items)} items: at most {MAX_ITEMS} per application")
        if case_file.application is None:
            raise Invalid("application", "required: the IMR application (received_date, ur_decision_date, signed, ...)")
        seen: set[str] = set()
        for i, d in enumerate(case_file.documents):
            if d.id in seen:
                raise Invalid(f"documents.{i}.id", f"duplicate document id {d.id!r}")
            seen.add(d.id)
        payload = case_file.model_dump(mode="json")
        rhash = request_hash({"case": payload, "records_complete": records_complete})
        try:
            with self.tx() as s:
                if idempotency_key:
                    prior = s.get(db.IdempotencyKey, (actor.id, idempotency_key))
                    if prior is not None:
                        return self._replay(s, actor, prior, rhash), False
                case = db.Case(status=Status.RECEIVED.value, priority=self._priority(case_file),
                               case_number=case_file.case_number, case_file={}, eligibility={},
                               created_by=actor.id, created_at=db.utcnow(), updated_at=db.utcnow())
                stored = {k: v for k, v in payload.items() if k != "documents"}
                case.case_file = stored
                parties = case_file.parties
                case.claims_administrator_key = _org_key(parties.claims_administrator if parties else None)
                app = case_file.application
                case.received_date = app.received_date or self.today()
                case.ur_decision_date = app.ur_decision_date or (
                    case_file.utilization_review.date if case_file.utilization_review else None)
                s.add(case)
                s.flush()
                if idempotency_key:
                    # Inserted first: a concurrent retry with the same key waits on (then fails) this row.
                    s.add(db.IdempotencyKey(user_id=actor.id, key=idempotency_key, request_hash=rhash,
                                            case_id=case.id, created_at=db.utcnow()))
                    s.flush()
                for d in case_file.documents:
                    s.add(db.Document(case_id=case.id, doc_id=d.id, type=d.type, date=d.date, text=d.text,
                                      added_by=actor.id, added_at=db.utcnow()))
                self._audit(s, actor, "case.create", case.id, documents=len(case_file.documents),
                            items=len(case_file.disputed_items), idempotency_key=bool(idempotency_key))
                self._audit(s, actor, "status.change", case.id, **{"from": None, "to": Status.RECEIVED.label})
                self._run_eligibility(s, actor, case, case_file)
                if records_complete and Status(case.status) == Status.NOTICE:
                    self._records_complete(s, actor, case)
                elif records_complete and Status(case.status) == Status.ELIGIBILITY_REVIEW:
                    # eligibility pending (e.g. the UR decision): records are in; the clock starts once eligible
                    case.status_reason = (case.status_reason or "") + "; records complete"
                    case.records_complete_date = self.today()
                s.flush()
                view = self._view(s, actor, case)
            log.info("case %s created status=%s", case.id, case.status)
            return view, True
        except IntegrityError:
            if not idempotency_key:
                raise
            with self.tx() as s:  # a concurrent request with the same key won the race
                prior = s.get(db.IdempotencyKey, (actor.id, idempotency_key))
                if prior is None:
                    raise
                return self._replay(s, actor, prior, rhash), False

    def _replay(self, s: Session, actor: Actor, prior: db.IdempotencyKey, rhash: str) -> dict[str, Any]:
        if prior.request_hash != rhash:
            raise Conflict({"detail": "Idempotency-Key was already used with a different request body"})
        case = s.get(db.Case, prior.case_id)
        self._audit(s, actor, "case.create.replay", case.id)
        return self._view(s, actor, case)

    @staticmethod
    def _priority(cf: CaseFile) -> str:
        if cf.application and cf.application.priority == "expedited":
            return "expedited"
        return cf.priority

    def _run_eligibility(self, s: Session, actor: Actor, case: db.Case, cf: CaseFile) -> None:
        self._move(s, actor, case, Status.ELIGIBILITY_REVIEW)
        ident = identity(cf)
        if ident and not self.sqlite:
            # Two applications for the same claim checked at once must see each other (SQLite already
            # runs one writer at a time): serialize them on a transaction-scoped advisory lock.
            lock_key = int.from_bytes(hashlib.sha256(ident.encode()).digest()[:8], "big", signed=True)
            s.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key})
        types = s.scalars(select(db.Document.type).where(db.Document.case_id == case.id)).all()

        def find_duplicate(key: str) -> str | None:
            return s.scalar(
                select(db.ItemKey.case_id).join(db.Case, db.Case.id == db.ItemKey.case_id)
                .where(db.ItemKey.key_hash == key, db.ItemKey.case_id != case.id,
                       db.Case.status != Status.INELIGIBLE.value)
                .order_by(db.Case.created_at).limit(1)
            )

        result = check_eligibility(cf, types, self.today(), self.policy.application_window_days, find_duplicate)
        case.eligibility = result
        self._audit(s, actor, "eligibility.check", case.id, outcome=result["outcome"],
                    checks={c["check"]: c["passed"] for c in result["checks"]},
                    excluded=[i["index"] for i in result["items"] if not i["eligible"]])
        outcome = result["outcome"]
        # The items of a live application (eligible, pending or deferred) block duplicates of them.
        s.execute(db.ItemKey.__table__.delete().where(db.ItemKey.case_id == case.id))
        if outcome != "ineligible":
            for item, key in zip(result["items"], item_keys(cf), strict=True):
                if item["eligible"] and key:
                    s.add(db.ItemKey(case_id=case.id, key_hash=key))
        if outcome == "ineligible":
            self._move(s, actor, case, Status.INELIGIBLE, "; ".join(result["reasons"]))
        elif outcome == "deferred":
            self._move(s, actor, case, Status.DEFERRED, "; ".join(result["reasons"]))
        elif outcome == "pending":
            case.status_reason = "; ".join(result["reasons"])
        else:
            if case.notice_date is None:
                case.notice_date = self.today()
                case.records_due_date = self.policy.records_due(case.notice_date, case.priority)
            self._move(s, actor, case, Status.NOTICE, "eligible: notice of assignment issued and records requested")
            if case.records_complete_date is not None:
                if case.due_date is None:
                    case.records_complete_date = max(case.records_complete_date, case.notice_date)
                    case.due_date = self.policy.due_date(case.records_complete_date, case.priority,
                                                         formulary=self._formulary(case))
                    self._audit(s, actor, "clock.start", case.id, records_complete=str(case.records_complete_date),
                                due=str(case.due_date))
                self._move(s, actor, case, Status.CLINICAL_REVIEW, "records complete")

    def _records_complete(self, s: Session, actor: Actor, case: db.Case) -> None:
        if case.records_complete_date is None:
            case.records_complete_date = self.today()
            case.due_date = self.policy.due_date(case.records_complete_date, case.priority,
                                                 formulary=self._formulary(case))
            self._audit(s, actor, "clock.start", case.id, records_complete=str(case.records_complete_date),
                        due=str(case.due_date))
        if Status(case.status) in {Status.NOTICE, Status.RECORDS_REQUESTED, Status.INSUFFICIENT_RECORDS}:
            self._move(s, actor, case, Status.CLINICAL_REVIEW, "records complete")

    @staticmethod
    def _formulary(case: db.Case) -> bool:
        """A formulary dispute (its own decision clock: Labor Code 4610.6(d)(1)(A))."""
        return bool(((case.case_file or {}).get("application") or {}).get("formulary_dispute"))

    def _clock(self, case: db.Case) -> dict[str, Any]:
        formulary = self._formulary(case)
        st = clock_state(self.policy, case.due_date, case.priority, self.today(), Status(case.status) in TERMINAL,
                         formulary=formulary)
        return {"notice_date": case.notice_date, "records_due_date": case.records_due_date,
                "records_complete_date": case.records_complete_date, "due_date": st.due_date,
                "days_remaining": st.days_remaining, "overdue": st.overdue, "at_risk": st.at_risk,
                "formulary_dispute": formulary, "basis": self.policy.clock_basis(case.priority, formulary)}

    def _summary(self, case: db.Case) -> dict[str, Any]:
        clock = self._clock(case)
        st = Status(case.status)
        return {"id": case.id, "case_number": case.case_number, "status": st.label, "status_code": st.value,
                "status_reason": case.status_reason, "priority": case.priority,
                "assigned_reviewer": case.assigned_reviewer_id, "due_date": clock["due_date"],
                "days_remaining": clock["days_remaining"], "overdue": clock["overdue"], "at_risk": clock["at_risk"],
                "formulary_dispute": clock["formulary_dispute"], "created_at": case.created_at}

    def _view(self, s: Session, actor: Actor, case: db.Case) -> dict[str, Any]:
        docs = s.execute(select(db.Document.doc_id.label("id"), db.Document.type, db.Document.date, db.Document.text)
                         .where(db.Document.case_id == case.id).order_by(db.Document.id)).mappings().all()
        R = db.DeterminationRow  # only the columns the view shows (not the letters)
        dets = s.execute(select(R.id, R.version, R.signed_at, R.supersedes_id.label("supersedes"))
                         .where(R.case_id == case.id).order_by(R.version)).mappings().all()
        return self._view_of(actor, case, docs, dets)

    def _view_of(self, actor: Actor, case: Any, docs: Any, dets: Any) -> dict[str, Any]:
        """The case view from the case row, its documents [{id, type, date, text}] and determinations
        [{id, version, signed_at, supersedes}], as `actor` may see it."""
        st = Status(case.status)
        cf = case.case_file
        view = self._summary(case)
        if actor.role not in STAFF | {Role.REVIEWER}:
            view["assigned_reviewer"] = None  # the reviewer's identity is not disclosed to the parties
        view.update({
            "eligibility": case.eligibility,
            "clock": self._clock(case),
            "disputed_items": cf.get("disputed_items", []),
            "injured_worker": cf.get("injured_worker"),
            "application": cf.get("application"),
            "updated_at": case.updated_at,
        })
        full = actor.role in {Role.ADMIN, Role.INTAKE, Role.REVIEWER, Role.CLAIMS_ADMINISTRATOR}
        view["documents"] = [
            {"id": d["id"], "type": d["type"], "date": d["date"], **({"text": d["text"]} if full else {})} for d in docs
        ]
        if full:
            view["parties"] = cf.get("parties")
            for k in ("request_for_authorization", "utilization_review"):
                view[k] = cf.get(k)
        if actor.role in STAFF:
            view["assignment"] = case.assignment
        view["determinations"] = [{"id": d["id"], "version": d["version"], "signed_at": d["signed_at"],
                                   "supersedes": d["supersedes"]} for d in dets]
        view["letter_available"] = bool(dets)
        view["status_code"] = st.value
        return view

    def list_cases(self, actor: Actor, status: Status | None = None, overdue: bool | None = None,
                   at_risk: bool | None = None, limit: int = 100, offset: int = 0) -> list[dict[str, Any]]:
        if actor.role is None:
            raise Forbidden({"detail": "authentication required"})
        with self.rtx() as s:
            q = select(db.Case)
            if status is not None:
                q = q.where(db.Case.status == status.value)
            if overdue is True or at_risk is True:
                q = q.where(db.Case.due_date.is_not(None), db.Case.status.not_in([t.value for t in TERMINAL]))
            if overdue is True:
                q = q.where(db.Case.due_date < self.today())
            if actor.role == Role.REVIEWER:
                r = self._reviewer_of(s, actor)
                q = q.where(db.Case.assigned_reviewer_id == (r.id if r else "-"))
            elif actor.role in {Role.CLAIMS_ADMINISTRATOR, Role.PARTY}:
                granted = select(db.CaseAccess.case_id).where(db.CaseAccess.user_id == actor.id)
                own = _org_key(actor.organization or actor.name) if actor.role == Role.CLAIMS_ADMINISTRATOR else None
                cond = db.Case.id.in_(granted)
                if own:
                    cond = cond | (db.Case.claims_administrator_key == own)
                q = q.where(cond)
            q = q.order_by(db.Case.due_date.is_(None), db.Case.due_date, db.Case.created_at, db.Case.id)
            rows = s.scalars(q).all()
            out = [self._summary(c) for c in rows]
            if actor.role not in STAFF | {Role.REVIEWER}:
                for c in out:
                    c["assigned_reviewer"] = None
            if overdue is not None:
                out = [c for c in out if c["overdue"] == overdue]
            if at_risk is not None:
                out = [c for c in out if c["at_risk"] == at_risk]
            out = out[offset:offset + limit]
            for c in out:  # every read of case data is audited, listing included
                self._audit(s, actor, "case.list", c["id"])
            return out

    def get_case(self, actor: Actor, case_id: str) -> dict[str, Any]:
        """The case view: one SELECT (`workflow/caseview.py`), then the read's audit event, durable
        (group-committed with other readers') before the view is returned."""
        stmt = caseview.statement(self.read_engine.dialect.name, reviewer=actor.role == Role.REVIEWER,
                                  access=actor.role in {Role.CLAIMS_ADMINISTRATOR, Role.PARTY})
        with self.read_engine.connect() as conn:
            row = conn.execute(stmt, {"case_id": case_id, "actor_id": actor.id}).first()
        if row is None:
            raise NotFound({"detail": f"case {case_id} not found"})
        event = {"actor_id": actor.id, "actor_role": str(actor.role) if actor.role else None,
                 "case_id": case_id, "at": db.utcnow()}
        if not _visible(actor, row, lambda: row.my_reviewer, lambda: bool(row.granted)):
            self.audit_writer.write([{**event, "action": "denied", "detail": {"attempted": "case.read"}}])
            raise NotFound({"detail": f"case {case_id} not found"})
        view = self._view_of(actor, row, caseview.documents(row), caseview.determinations(row))
        self.audit_writer.write([{**event, "action": "case.read", "detail": {}}])
        return view

    def add_documents(self, actor: Actor, case_id: str, documents: list[DocumentModel],
                      records_complete: bool = False) -> dict[str, Any]:
        self._require_role(actor, STAFF | {Role.CLAIMS_ADMINISTRATOR}, "documents.add", case_id)
        _storable([d.model_dump(mode="json") for d in documents], "documents.")
        with self.tx() as s:
            case = self._case(s, actor, case_id, "documents.add", lock=True)
            st = Status(case.status)
            if st not in ACCEPTS_RECORDS:
                raise Conflict({"detail": f"the case is {st.label!r}: records can no longer be added"})
            existing = set(s.scalars(select(db.Document.doc_id).where(db.Document.case_id == case.id)).all())
            for i, d in enumerate(documents):
                if d.id in existing:
                    raise Conflict({"detail": f"documents.{i}.id: document {d.id!r} is already in the case"})
                existing.add(d.id)
                s.add(db.Document(case_id=case.id, doc_id=d.id, type=d.type, date=d.date, text=d.text,
                                  added_by=actor.id, added_at=db.utcnow()))
            s.flush()
            self._audit(s, actor, "documents.add", case.id, documents=[d.id for d in documents],
                        records_complete=records_complete)
            case.updated_at = db.utcnow()
            if st == Status.ELIGIBILITY_REVIEW:  # e.g. the missing UR decision arrived
                if records_complete:
                    case.records_complete_date = case.records_complete_date or self.today()
                self._run_eligibility(s, actor, case, self._case_file(s, case))
            elif records_complete and st != Status.DEFERRED:
                self._records_complete(s, actor, case)
            elif st in {Status.NOTICE, Status.INSUFFICIENT_RECORDS}:
                self._move(s, actor, case, Status.RECORDS_REQUESTED, "records received; more requested")
            return self._view(s, actor, case)

    def grant_access(self, actor: Actor, case_id: str, user_id: str) -> dict[str, Any]:
        self._require_role(actor, STAFF, "access.grant", case_id)
        with self.tx() as s:
            case = self._case(s, actor, case_id, "access.grant", lock=True)
            user = s.get(db.User, user_id)
            if user is None:
                raise Invalid("user", f"no user with id {user_id!r}")
            if user.role not in {Role.PARTY.value, Role.CLAIMS_ADMINISTRATOR.value}:
                raise Invalid("user", f"access grants are for party and claims_administrator users, not {user.role!r}")
            if s.get(db.CaseAccess, (case.id, user.id)) is None:
                s.add(db.CaseAccess(case_id=case.id, user_id=user.id))
            self._audit(s, actor, "access.grant", case.id, user=user.id)
            return {"case": case.id, "user": user.id}

    def transition(self, actor: Actor, case_id: str, action: str, reason: str) -> dict[str, Any]:
        roles = STAFF | ({Role.REVIEWER} if action == "insufficient_records" else set())
        self._require_role(actor, roles, f"case.{action}", case_id)
        _storable({"reason": reason})
        with self.tx() as s:
            case = self._case(s, actor, case_id, f"case.{action}", lock=True)
            st = Status(case.status)
            if action == "defer":
                self._move(s, actor, case, Status.DEFERRED, f"liability disputed: {reason}")
            elif action == "resume":
                if st != Status.DEFERRED:
                    raise Conflict({"detail": f"only a deferred case can be resumed (this one is {st.label!r})"})
                data = dict(case.case_file)
                data["application"] = {**(data.get("application") or {}), "liability_disputed": False}
                case.case_file = data
                self._audit(s, actor, "case.resume", case.id, reason_given=bool(reason))
                self._run_eligibility(s, actor, case, self._case_file(s, case))
            elif action == "insufficient_records":
                self._move(s, actor, case, Status.INSUFFICIENT_RECORDS, reason)
            else:  # pragma: no cover - the API validates the action
                raise Invalid("action", f"unknown action {action!r}")
            return self._view(s, actor, case)

    # ------------------------------------------------------------------ assignment
    def _eligible_items(self, case: db.Case) -> list[dict[str, Any]]:
        items = (case.eligibility or {}).get("items") or []
        return [i for i in items if i.get("eligible")]

    def _party_names(self, cf: dict[str, Any]) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for k, v in (cf.get("parties") or {}).items():
            if k == "claim_number":
                continue
            vals = v if isinstance(v, list) else [v]
            names = [x for x in vals if isinstance(x, str) and x.strip()]
            if names:
                out[k] = names
        rfa = cf.get("request_for_authorization") or {}
        if rfa.get("treating_physician"):
            out.setdefault("treating_physician", []).append(rfa["treating_physician"])
        ur = cf.get("utilization_review") or {}
        if ur.get("organization"):
            out["utilization_review_organization"] = [ur["organization"]]
        return out

    def assign(self, actor: Actor, case_id: str, reviewer_id: str | None = None) -> dict[str, Any]:
        self._require_role(actor, STAFF, "case.assign", case_id)
        # Classify outside the write transaction (it may load language models).
        with self.ReadSession() as s:
            case = s.get(db.Case, case_id)
            items = self._eligible_items(case) if case else []
        needs = [item_need(i["request"], self.classifier, self.topic_specialties) for i in items]
        with self.tx() as s:
            case = self._case(s, actor, case_id, "case.assign", lock=True)
            st = Status(case.status)
            if st not in ASSIGNABLE:
                raise Conflict({"detail": f"the case is {st.label!r}: a reviewer can be assigned only once it is eligible and open"})
            q = select(db.Reviewer).order_by(db.Reviewer.id)
            if reviewer_id is not None:
                q = q.where(db.Reviewer.id == reviewer_id)
            reviewers = s.scalars(q).all()
            if reviewer_id is not None and not reviewers:
                raise Invalid("reviewer", f"no reviewer with id {reviewer_id!r}")
            loads = self._caseloads(s)
            if case.assigned_reviewer_id:
                loads[case.assigned_reviewer_id] = loads.get(case.assigned_reviewer_id, 1) - 1
            cands = [Candidate(r.id, r.name, r.specialty, list(r.licensure), r.years_active, r.hours_per_week,
                               list(r.affiliations), loads.get(r.id, 0), r.active) for r in reviewers]
            result = match(cands, needs, self._party_names(case.case_file))
            if result.chosen is None:
                self._audit(s, actor, "assignment.none", case.id,
                            considered=[{"reviewer": c["reviewer"], "reasons": c["reasons"]} for c in result.considered])
                failed = {"detail": "no eligible reviewer", "reviewers": result.considered,
                          "needs": [n.as_dict() for n in needs]}
            else:
                failed = None
                previous = case.assigned_reviewer_id
                case.assigned_reviewer_id = result.chosen.id
                case.assignment = {**result.as_dict(), "assigned_at": db.utcnow().isoformat(), "previous": previous}
                case.updated_at = db.utcnow()
                self._audit(s, actor, "assignment", case.id, reviewer=result.chosen.id, previous=previous)
                log.info("case %s assigned to reviewer %s", case.id, result.chosen.id)
                view = {"case": case.id, "status": Status(case.status).label, **case.assignment}
        if failed:
            raise Conflict(failed)
        return view

    # ------------------------------------------------------------------ draft and sign-off
    def _assigned_case(self, s: Session, actor: Actor, case_id: str, action: str) -> tuple[db.Case, db.Reviewer]:
        case = self._case(s, actor, case_id, action, lock=True)
        reviewer = self._reviewer_of(s, actor)
        if reviewer is None or case.assigned_reviewer_id != reviewer.id:  # pragma: no cover - _case hides it
            raise NotFound({"detail": f"case {case_id} not found"})
        return case, reviewer

    def _engine_case(self, s: Session, case: db.Case, reviewer: db.Reviewer) -> CaseFile:
        cf = self._case_file(s, case)
        eligible = {i["index"] for i in self._eligible_items(case)}
        return cf.model_copy(update={
            "disputed_items": [it for i, it in enumerate(cf.disputed_items) if i in eligible],
            "reviewer": ReviewerCredentials(licensure=list(reviewer.licensure), specialty=reviewer.specialty,
                                            board_certified=reviewer.board_certified),
        })

    def draft(self, actor: Actor, case_id: str) -> dict[str, Any]:
        self._require_role(actor, {Role.REVIEWER}, "case.draft", case_id)
        with self.tx() as s:
            case, reviewer = self._assigned_case(s, actor, case_id, "case.draft")
            st = Status(case.status)
            if st != Status.CLINICAL_REVIEW:
                raise Conflict({"detail": f"the case is {st.label!r}: a draft is made in Clinical Review (records complete)"})
            engine_case = self._engine_case(s, case, reviewer)
            self._audit(s, actor, "draft.request", case.id)
        try:
            draft = self._run_drafter(engine_case)
        except Exception as exc:
            log.error("case %s draft failed: %s", case_id, type(exc).__name__)
            raise Unavailable({"detail": f"the engine could not draft this case ({type(exc).__name__})"}) from exc
        self._attach_precedents(draft, engine_case, case_id)
        data = Draft.model_validate(draft if isinstance(draft, Draft) else
                                    draft.model_dump() if hasattr(draft, "model_dump") else dict(draft)).model_dump(mode="json")
        with self.tx() as s:
            row = db.DraftRow(case_id=case_id, created_by=actor.id, draft=data, created_at=db.utcnow())
            s.add(row)
            s.flush()
            self._audit(s, actor, "draft.create", case_id, draft=row.id,
                        engine=(data.get("engine") or {}).get("version"),
                        knowledge_base=(data.get("engine") or {}).get("knowledge_base"))
            return {"id": row.id, "case": case_id, "created_at": row.created_at, "draft": data}

    def _run_drafter(self, case: CaseFile) -> Any:
        return self.draft_pool.run(self.drafter, case) if self.draft_pool is not None else self.drafter(case)

    def _attach_precedents(self, draft: Any, engine_case: CaseFile, case_id: str) -> None:
        """Precedents beside the draft, never inside it: the organization's issued determinations plus
        any loaded letters. Their failure never fails the draft."""
        if self.precedents is None or not hasattr(draft, "precedents"):
            return
        try:
            with self.ReadSession() as s:
                rows = s.execute(
                    select(db.DeterminationRow.id, db.DeterminationRow.case_id, db.Case.case_number,
                           db.DeterminationRow.version, db.DeterminationRow.signed_at,
                           db.DeterminationRow.determination)
                    .join(db.Case, db.Case.id == db.DeterminationRow.case_id)
                    .where(db.DeterminationRow.signed_at >= self.precedents.since)).all()
            self.precedents.attach(draft, engine_case, rows, exclude_case=case_id)
        except Exception as exc:  # noqa: BLE001
            log.warning("case %s: precedents unavailable (%s)", case_id, type(exc).__name__)

    def determine(self, actor: Actor, case_id: str, items: list[dict[str, Any]], sign: bool = True,
                  correction_reason: str | None = None, clinical_case_summary: str | None = None) -> dict[str, Any]:
        """The assigned reviewer's decisions; with `sign`, the Final Determination is issued.

        Every change from the draft (or, for a correction, from the version it corrects) is recorded.
        """
        self._require_role(actor, {Role.REVIEWER}, "case.determine", case_id)
        _storable({"items": items, "correction_reason": correction_reason, "clinical_case_summary": clinical_case_summary})
        with self.tx() as s:
            case, reviewer = self._assigned_case(s, actor, case_id, "case.determine")
            st = Status(case.status)
            prior = s.scalar(select(db.DeterminationRow).where(db.DeterminationRow.case_id == case.id)
                             .order_by(db.DeterminationRow.version.desc()).limit(1))
            if st == Status.CLOSED and prior is not None:
                if not correction_reason:
                    raise Conflict({"detail": "the Final Determination is issued and immutable; a correction needs correction_reason"})
                if not sign:
                    raise Invalid("sign", "a correction is issued when signed")
            elif st != Status.CLINICAL_REVIEW:
                raise Conflict({"detail": f"the case is {st.label!r}: decisions are made in Clinical Review"})
            elif correction_reason:
                raise Invalid("correction_reason", "only an issued determination can be corrected")
            draft_row = s.scalar(select(db.DraftRow).where(db.DraftRow.case_id == case.id)
                                 .order_by(db.DraftRow.id.desc()).limit(1))
            if sign and prior is None and draft_row is not None:
                # Sign-off checks the draft against the knowledge base loaded now: a draft made with a
                # guideline pack that is no longer loaded (removed, or changed since) is refused.
                missing = _missing_packs(draft_row.draft, self.loaded_packs())
                if missing:
                    raise Conflict({"detail": "the draft was made with guideline pack(s) no longer loaded: "
                                              f"{'; '.join(missing)}; draft the case again before signing",
                                    "missing_packs": missing})
            # The base the reviewer edits: the issued version being corrected, else the latest draft,
            # both read back into their models (a stored row that no longer fits them fails loudly here).
            base_det = Determination.model_validate(prior.determination) if prior is not None else None
            base_draft = Draft.model_validate(draft_row.draft) if draft_row is not None else None
            base_items: dict[str, BaseItem] = {}
            # The packs the draft (or the issued version being corrected) was made with go on the letter.
            packs = list(base_det.guideline_packs if base_det is not None
                         else base_draft.guideline_packs if base_draft is not None else [])
            base_summary = ""
            if base_det is not None:
                base_items = {normalize_request(i.request): BaseItem.of(i) for i in base_det.items}
                base_summary = base_det.clinical_case_summary
            elif base_draft is not None:
                base_items = {normalize_request(i.request): BaseItem.of(i) for i in base_draft.items}
                base_summary = base_draft.clinical_case_summary
            eligible = self._eligible_items(case)
            wanted = {normalize_request(i["request"]): i["request"] for i in eligible}
            decided: dict[str, int] = {}
            changes: list[dict[str, Any]] = []
            reviewed: list[DraftItem] = []
            for n, it in enumerate(items):
                key = normalize_request(it["request"])
                if key not in wanted:
                    raise Invalid(f"items.{n}.request", "not an eligible disputed item of this case")
                if key in decided:
                    raise Invalid(f"items.{n}.request", f"decided twice (also items.{decided[key]})")
                decided[key] = n
                base = base_items.get(key)
                rationale = self._rationale_for(n, wanted[key], it, base)
                if base is not None:
                    for fld, old, new in (("decision", base.decision, it["decision"]), ("rationale", base.rationale, rationale)):
                        if old != new:
                            changes.append({"request": wanted[key], "field": fld, "from": old, "to": new})
                reviewed.append(DraftItem(request=wanted[key], topic=base.topic if base else None, decision=it["decision"],
                                          guideline=base.guideline if base else None, rationale=rationale))
            missing = [r for k, r in wanted.items() if k not in decided]
            if missing:
                raise Invalid("items", f"no decision for: {'; '.join(missing)}")
            summary = clinical_case_summary if clinical_case_summary is not None else base_summary
            if clinical_case_summary is not None and base_summary and summary != base_summary:
                changes.append({"request": None, "field": "clinical_case_summary", "from": "(draft)", "to": "(edited)"})
            for ch in changes:
                self._audit(s, actor, "determination.change", case.id, **ch)
            cf = CaseFile.model_validate({**case.case_file, "documents": []})
            det = self._final_determination(cf, reviewer, base_draft, summary, reviewed, packs)
            if not sign:
                case.working_determination = {"items": [i.model_dump(mode="json") for i in det.items],
                                              "clinical_case_summary": summary, "changes": changes,
                                              "saved_at": db.utcnow().isoformat()}
                case.updated_at = db.utcnow()
                self._audit(s, actor, "determination.save", case.id, changes=len(changes))
                return {"case": case.id, "status": Status(case.status).label, "signed": False, "changes": changes,
                        "items": case.working_determination["items"]}
            version = (prior.version + 1) if prior is not None else 1
            prior_id = prior.id if prior is not None else None
            reviewer_id = reviewer.id
        # Render outside the transaction; the (case, version) unique key stops a double issue.
        writer = self.writer
        try:
            text, html, pdf = writer.render_text(det), writer.render_html(det), writer.render_pdf(det)
        except Exception as exc:
            log.error("case %s letter rendering failed: %s", case_id, type(exc).__name__)
            raise Unavailable({"detail": f"the letter could not be rendered ({type(exc).__name__})"}) from exc
        det_json = det.model_dump(mode="json")
        published = published_version(cf, det_json, text)
        try:
            with self.tx() as s:
                self._still_signable(s, actor, case_id, reviewer_id, prior_id)
                case = s.get(db.Case, case_id)
                row = db.DeterminationRow(
                    case_id=case_id, version=version, supersedes_id=prior_id, correction_reason=correction_reason,
                    reviewer_id=reviewer_id, signed_by=actor.id, signed_at=db.utcnow(), determination=det_json,
                    changes=changes, letter_text=text, letter_html=html, letter_pdf=pdf, published=published,
                )
                s.add(row)
                s.flush()
                if Status(case.status) != Status.CLOSED:
                    self._move(s, actor, case, Status.CLOSED, "Final Determination issued")
                case.working_determination = None
                case.updated_at = db.utcnow()
                self._audit(s, actor, "determination.issue", case_id, determination=row.id, version=version,
                            supersedes=prior_id, changes=len(changes))
        except IntegrityError as exc:
            raise Conflict({"detail": "the determination was issued concurrently; reload the case"}) from exc
        log.info("case %s determination v%d issued", case_id, version)
        return {"case": case_id, "status": Status.CLOSED.label, "signed": True, "determination": row.id,
                "version": version, "supersedes": prior_id, "changes": changes, "signed_at": row.signed_at,
                "items": det_json["items"]}

    def _final_determination(self, cf: CaseFile, reviewer: db.Reviewer, base_draft: Draft | None, summary: str,
                             items: list[DraftItem], packs: list | None = None) -> Determination:
        """The reviewer's decisions as the Final Determination, through the engine's one draft-to-letter
        mapping (openimr.engine.determination_from_draft): the service keeps no second one."""
        from openimr.engine.core import determination_from_draft

        engine = base_draft.engine if base_draft is not None else EngineInfo(version="-", knowledge_base="-")
        reviewed = Draft(case_number=cf.case_number, engine=engine, clinical_case_summary=summary, items=items,
                         guideline_packs=packs or [])
        creds = ReviewerCredentials(licensure=list(reviewer.licensure), specialty=reviewer.specialty,
                                    board_certified=reviewer.board_certified)
        det = determination_from_draft(reviewed, cf.model_copy(update={"reviewer": creds}))
        return det.model_copy(update={"status": "final", **({"organization": self.organization} if self.organization else {})})

    def _still_signable(self, s: Session, actor: Actor, case_id: str, reviewer_id: str, prior_id: str | None) -> None:
        """Re-check, inside the transaction that inserts, what was checked before the letter was rendered:
        the case is still assigned to this reviewer, the reviewer and the user are still active, and the
        case has not moved on. The rows are locked (FOR UPDATE / FOR SHARE on PostgreSQL; SQLite's
        transaction already holds the database's write lock: BEGIN IMMEDIATE), so a reassignment or a
        deactivation either commits before this check or waits until the determination is in."""
        share = {"read": True} if not self.sqlite else False
        case = s.get(db.Case, case_id, with_for_update=not self.sqlite, populate_existing=True)
        reviewer = s.get(db.Reviewer, reviewer_id, with_for_update=share, populate_existing=True)
        user = s.get(db.User, actor.id, with_for_update=share, populate_existing=True)
        if case is None or case.assigned_reviewer_id != reviewer_id:
            raise Conflict({"detail": "the case was reassigned while the determination was being signed; nothing was issued"})
        if reviewer is None or not reviewer.active or user is None or not user.active:
            raise Conflict({"detail": "the reviewer was deactivated while the determination was being signed; nothing was issued"})
        latest = s.scalar(select(db.DeterminationRow.id).where(db.DeterminationRow.case_id == case_id)
                          .order_by(db.DeterminationRow.version.desc()).limit(1))
        if latest != prior_id:
            raise Conflict({"detail": "the determination was issued concurrently; reload the case"})

    def _rationale_for(self, n: int, request: str, it: dict[str, Any], base: BaseItem | None) -> str:
        """The rationale to sign for item `n`. A drafted (or previously issued) rationale is kept only for
        the decision it was written for; a changed decision needs its own (422 naming the item)."""
        decision = it["decision"]
        given = (it.get("rationale") or "").strip()
        base_rationale = (base.rationale if base else "").strip()
        base_decision = base.decision if base else None
        other = "Upheld" if decision == "Overturned" else "Overturned"
        hint = ("write one, or regenerate it from the criteria: "
                "POST /api/v1/cases/{id}/draft/rationale {request, decision}")
        if not given:
            if not base_rationale:
                raise Invalid(f"items.{n}.rationale", "required: there is no drafted rationale to keep")
            if base_decision != decision:
                raise Invalid(f"items.{n}.rationale", f"{request}: the decision was changed from {base_decision} to "
                              f"{decision}, and the kept rationale argues for {base_decision}: {hint}")
            return base_rationale
        if base_decision == other and given == base_rationale:
            raise Invalid(f"items.{n}.rationale", f"{request}: this rationale was written for {other}, not {decision}: {hint}")
        if _concludes(given, request, other) and not _concludes(given, request, decision):
            raise Invalid(f"items.{n}.rationale", f"{request}: the rationale concludes {other_label(other)}, "
                          f"which contradicts the decision {decision}: {hint}")
        return given

    def regenerate_rationale(self, actor: Actor, case_id: str, request: str, decision: str) -> dict[str, Any]:
        """The rationale for `decision` on one item, rebuilt from the engine's judged criteria (the same
        text builder as the draft's), for a reviewer who decides the other way from the draft."""
        self._require_role(actor, {Role.REVIEWER}, "draft.rationale", case_id)
        with self.tx() as s:
            case, reviewer = self._assigned_case(s, actor, case_id, "draft.rationale")
            st = Status(case.status)
            if st not in {Status.CLINICAL_REVIEW, Status.CLOSED}:
                raise Conflict({"detail": f"the case is {st.label!r}: rationales are written in Clinical Review"})
            wanted = {normalize_request(i["request"]): i["request"] for i in self._eligible_items(case)}
            key = normalize_request(request)
            if key not in wanted:
                raise Invalid("request", "not an eligible disputed item of this case")
            engine_case = self._engine_case(s, case, reviewer)
            self._audit(s, actor, "draft.rationale", case.id, decision=decision)
        try:
            text_ = self.rationale_builder(engine_case, wanted[key], decision)
        except Exception as exc:
            log.error("case %s rationale failed: %s", case_id, type(exc).__name__)
            raise Unavailable({"detail": f"the engine could not build the rationale ({type(exc).__name__})"}) from exc
        if not text_:
            raise Conflict({"detail": f"{wanted[key]}: the engine judged no guideline criteria for this item "
                                      "(unable to decide or ineligible): the reviewer writes the rationale"})
        return {"case": case_id, "request": wanted[key], "decision": decision, "rationale": text_}

    # ------------------------------------------------------------------ letters, audit, publication
    def letter(self, actor: Actor, case_id: str, fmt: str, version: int | None = None) -> str | bytes:
        with self.rtx() as s:
            case = self._case(s, actor, case_id, "letter.read")
            q = select(db.DeterminationRow).where(db.DeterminationRow.case_id == case.id)
            q = q.where(db.DeterminationRow.version == version) if version else q.order_by(db.DeterminationRow.version.desc())
            row = s.scalar(q.limit(1))
            if row is None:
                if version:
                    raise NotFound({"detail": f"case {case_id} has no determination version {version}"})
                raise Conflict({"detail": f"no Final Determination has been issued yet (the case is {Status(case.status).label!r})"})
            self._audit(s, actor, "letter.read", case.id, determination=row.id, format=fmt)
            return {"txt": row.letter_text, "html": row.letter_html, "pdf": row.letter_pdf}[fmt]

    def audit_trail(self, actor: Actor, case_id: str) -> list[dict[str, Any]]:
        self._require_role(actor, {Role.ADMIN}, "audit.read", case_id)
        with self.tx() as s:
            case = self._case(s, actor, case_id, "audit.read")
            self._audit(s, actor, "audit.read", case.id)
            s.flush()
            rows = s.scalars(select(db.AuditEvent).where(db.AuditEvent.case_id == case.id).order_by(db.AuditEvent.id)).all()
            return [{"id": r.id, "at": r.at, "actor": r.actor_id, "role": r.actor_role, "action": r.action,
                     "detail": r.detail} for r in rows]

    def published(self, ident: str) -> dict[str, Any]:
        """The redacted latest version, by case id or determination id (public: no PHI in it)."""
        with self.rtx() as s:
            row = s.get(db.DeterminationRow, ident)
            if row is None:
                row = s.scalar(select(db.DeterminationRow).where(db.DeterminationRow.case_id == ident)
                               .order_by(db.DeterminationRow.version.desc()).limit(1))
            if row is None:
                raise NotFound({"detail": f"no published determination {ident}"})
            self._audit(s, Actor.public(), "published.read", row.case_id, determination=row.id)
            return {"case": row.case_id, "determination": row.id, "version": row.version,
                    "supersedes": row.supersedes_id, "issued_at": row.signed_at,
                    "published": row.published["determination"], "letter_text": row.published["letter_text"]}

    def health(self) -> bool:
        with self.engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        return True
