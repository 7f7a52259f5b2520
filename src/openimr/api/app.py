"""The OpenIMR case service as a FastAPI app (OpenAPI at /openapi.json).

`create_app(database_url)` migrates the database to the current schema, creates the first admin from
`OPENIMR_BOOTSTRAP_TOKEN` when there are no users yet, and serves the `/api/v1` routes over
`openimr.workflow.service.CaseService`. Errors: 401 no/unknown token, 403 wrong role, 404 unknown id (or
a case outside the caller's scope), 409 a state conflict, 422 an invalid body, naming the field and the
problem.
"""

from __future__ import annotations

import contextlib
import logging
from typing import Annotated, Any, Literal

import anyio
from fastapi import Body, Depends, FastAPI, Header, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from openimr import __version__
from openimr.api import schemas
from openimr.api.bodycheck import StorableBody
from openimr.api.guard import CASE_IN_PATH, Guard, RateLimiter
from openimr.models.case import Application, CaseFile, DisputedItem
from openimr.models.case import Document as DocumentModel
from openimr.workflow import db
from openimr.workflow.eligibility import MAX_ITEMS
from openimr.workflow.migrate import upgrade
from openimr.workflow.security import Role
from openimr.workflow.service import Actor, CaseService, ServiceError
from openimr.workflow.settings import settings
from openimr.workflow.states import parse_status

log = logging.getLogger("openimr.api")

ID = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$", description="an id the service returned")]


# ---------------------------------------------------------------------- request bodies
class UserCreate(StorableBody):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    role: Role
    organization: str | None = Field(default=None, max_length=200,
                                     description="for a claims administrator: the organization whose cases it sees")


class UserCreated(BaseModel):
    id: str
    token: str = Field(description="the bearer token; shown once, stored only as a hash")
    name: str
    role: Role
    organization: str | None = None


class ReviewerCreate(StorableBody):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    user: str = Field(min_length=1, max_length=64, description="the id of the reviewer's user account (role reviewer)")
    licensure: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        min_length=1, max_length=60, description="US states of licensure (names or postal codes)")
    specialty: str = Field(min_length=1, max_length=200)
    board_certified: bool = False
    years_active: float = Field(ge=0, le=80, description="years in active clinical practice")
    hours_per_week: float = Field(ge=0, le=168, description="hours a week currently in active practice")
    affiliations: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(default_factory=list, max_length=200)


class CaseCreate(StorableBody, CaseFile):
    """The case file, with `parties` and the IMR `application` (required here)."""

    application: Application
    disputed_items: list[DisputedItem] = Field(min_length=1, max_length=MAX_ITEMS)
    records_complete: bool = Field(default=False, description="the medical records in `documents` are complete")


class DocumentsAdd(StorableBody):
    model_config = ConfigDict(extra="forbid")

    documents: list[DocumentModel] = Field(default_factory=list, max_length=500)
    records_complete: bool = Field(default=False, description="with these, the records are complete (starts the clock)")

    @model_validator(mode="after")
    def _something(self) -> DocumentsAdd:
        if not self.documents and not self.records_complete:
            raise PydanticCustomError("unstorable_text", "{problem}",
                                      {"field": "documents", "problem": "add at least one document, or set records_complete"})
        return self


class AssignmentRequest(StorableBody):
    model_config = ConfigDict(extra="forbid")

    reviewer: str | None = Field(default=None, max_length=64, description="a specific reviewer to check and assign")


class TransitionRequest(StorableBody):
    model_config = ConfigDict(extra="forbid")

    action: Literal["defer", "resume", "insufficient_records"]
    reason: str = Field(min_length=1, max_length=2000)


class AccessGrant(StorableBody):
    model_config = ConfigDict(extra="forbid")

    user: str = Field(min_length=1, max_length=64)


class ItemDecisionIn(StorableBody):
    model_config = ConfigDict(extra="forbid")

    request: str = Field(min_length=1, max_length=2000)
    decision: Literal["Upheld", "Overturned"]
    rationale: str | None = Field(default=None, max_length=20000)


class RationaleRequest(StorableBody):
    model_config = ConfigDict(extra="forbid")

    request: str = Field(min_length=1, max_length=2000, description="the disputed item, as in the case")
    decision: Literal["Upheld", "Overturned"] = Field(description="the outcome the rationale is to argue")


class RationaleOut(BaseModel):
    case: str
    request: str
    decision: Literal["Upheld", "Overturned"]
    rationale: str


class DeterminationRequest(StorableBody):
    model_config = ConfigDict(extra="forbid")

    items: list[ItemDecisionIn] = Field(min_length=1, max_length=MAX_ITEMS)
    sign: bool = Field(default=True, description="sign and issue the Final Determination (false: save edits only)")
    correction_reason: str | None = Field(default=None, max_length=2000,
                                          description="issue a corrected version of an issued determination")
    clinical_case_summary: str | None = Field(default=None, max_length=50000)


# ---------------------------------------------------------------------- error shapes (documented in the spec)
class FieldProblem(BaseModel):
    field: str = Field(description="the field (dotted path; query./header. prefixed for non-body inputs)")
    problem: str


class InvalidRequest(BaseModel):
    detail: str = "invalid request"
    errors: list[FieldProblem]


class ErrorDetail(BaseModel):
    model_config = ConfigDict(extra="allow")

    detail: str


AUTH_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorDetail, "description": "no bearer token, or an unknown one"},
    403: {"model": ErrorDetail, "description": "the caller's role may not do this"},
    422: {"model": InvalidRequest, "description": "an invalid input: the field and the problem"},
}
CASE_ERRORS: dict[int | str, dict[str, Any]] = {
    **AUTH_ERRORS,
    404: {"model": ErrorDetail, "description": "no such case (or not in the caller's scope)"},
    409: {"model": ErrorDetail, "description": "the case's state does not allow this"},
}


# ---------------------------------------------------------------------- authentication
class _Unauthorized(Exception):
    pass


bearer = HTTPBearer(auto_error=False, description="a token from POST /api/v1/users (or OPENIMR_BOOTSTRAP_TOKEN)")


async def current_actor(request: Request, creds: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Actor:
    # async (issue 15): a sync dependency costs a thread-pool hop on every request, for a lookup the
    # Guard has already done
    found = getattr(request.state, "actor", None)  # authenticated by the Guard before the body was read
    if isinstance(found, Actor):
        return found
    if creds is None or not creds.credentials:
        raise _Unauthorized("missing bearer token")
    found = await anyio.to_thread.run_sync(request.app.state.service.authenticate, creds.credentials)
    if found is None:
        raise _Unauthorized("unknown or revoked token")
    return found


Who = Annotated[Actor, Depends(current_actor)]


# ---------------------------------------------------------------------- app
def _field(loc: tuple[Any, ...]) -> str:
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[1:]
    return ".".join(str(p) for p in parts) or "body"


def create_app(
    database_url: str | None = None,
    *,
    service: CaseService | None = None,
    migrate: bool = True,
    bootstrap_token: str | None = None,
    **service_kwargs: Any,
) -> FastAPI:
    """The app over `database_url` (default $OPENIMR_DATABASE_URL, else sqlite:///openimr.db)."""
    cfg = settings()
    if service is None:
        engine = db.make_engine(database_url or cfg.database_url)
        if migrate:
            upgrade(engine)
        service = CaseService(engine, **service_kwargs)
    if bootstrap_token is None and cfg.bootstrap_token is not None:
        bootstrap_token = cfg.bootstrap_token.get_secret_value()
    service.bootstrap(bootstrap_token)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        if service.draft_pool is not None:  # the engine processes end with the server (issue 15)
            await anyio.to_thread.run_sync(service.draft_pool.close)

    app = FastAPI(
        lifespan=lifespan,
        title="OpenIMR case service",
        version=__version__,
        description="California workers' compensation Independent Medical Review: cases, eligibility, "
        "reviewer assignment, drafts, sign-off and letters. A licensed reviewer decides and signs.",
    )
    app.state.service = service
    app.state.settings = cfg
    app.add_middleware(
        Guard, max_body=cfg.max_body, authenticate=service.authenticate, cached=service.cached_actor,
        on_unauthorized=service.audit_unauthenticated,
        limiter=RateLimiter(cfg.auth_failures_per_minute), public_limiter=RateLimiter(cfg.public_reads_per_minute),
    )

    @app.exception_handler(ServiceError)
    async def _service_error(req: Request, exc: ServiceError) -> JSONResponse:
        actor = getattr(req.state, "actor", None)
        if exc.status == 409 and isinstance(actor, Actor):  # a refused state change is audited too
            m = CASE_IN_PATH.match(req.url.path)
            await anyio.to_thread.run_sync(service.audit_refusal, actor, 409, m.group(1) if m else None,
                                           f"{req.method} {req.scope.get('route').path if req.scope.get('route') else '?'}")
        detail = exc.detail if isinstance(exc.detail, dict) else {"detail": exc.detail}
        return JSONResponse(detail, status_code=exc.status)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_req: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for e in exc.errors():
            loc = tuple(e.get("loc", ()))
            if e.get("type") == "json_invalid":  # loc is ("body", character offset)
                detail = (e.get("ctx") or {}).get("error", "")
                errors.append({"field": "body", "problem": f"invalid JSON at character {loc[-1]}" + (f" ({detail})" if detail else "")})
            elif e.get("type") == "unstorable_text":  # names the field inside the body itself
                ctx = e.get("ctx") or {}
                errors.append({"field": ctx.get("field", _field(loc)), "problem": ctx.get("problem", e.get("msg"))})
            else:
                errors.append({"field": _field(loc), "problem": e.get("msg", "invalid")})
        return JSONResponse({"detail": "invalid request", "errors": errors}, status_code=422)

    @app.exception_handler(_Unauthorized)
    async def _unauth(_req: Request, exc: _Unauthorized) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=401, headers={"WWW-Authenticate": "Bearer"})

    @app.get("/health", response_model=schemas.Health, tags=["service"])
    def health() -> dict[str, str]:
        service.health()
        return {"status": "ok", "version": __version__}

    @app.post("/api/v1/users", status_code=201, response_model=UserCreated, tags=["users"], responses=AUTH_ERRORS)
    def create_user(body: UserCreate, who: Who) -> dict[str, Any]:
        return service.create_user(who, body.name, body.role, body.organization)

    @app.post("/api/v1/users/{user_id}/deactivate", response_model=schemas.UserDeactivated, tags=["users"],
              responses={**AUTH_ERRORS, 404: {"model": ErrorDetail, "description": "no such user"}})
    def deactivate_user(user_id: ID, who: Who) -> dict[str, Any]:
        """Revoke the user's token; a reviewer also leaves the panel (no new assignments)."""
        return service.deactivate_user(who, user_id)

    @app.post("/api/v1/reviewers", status_code=201, response_model=schemas.ReviewerOut, tags=["reviewers"],
              responses=AUTH_ERRORS)
    def create_reviewer(body: ReviewerCreate, who: Who) -> dict[str, Any]:
        return service.create_reviewer(who, body.model_dump())

    @app.get("/api/v1/reviewers", response_model=list[schemas.ReviewerOut], tags=["reviewers"], responses=AUTH_ERRORS)
    def list_reviewers(who: Who) -> list[dict[str, Any]]:
        return service.list_reviewers(who)

    @app.post("/api/v1/cases", status_code=201, response_model=schemas.CaseCreated, response_model_exclude_unset=True, tags=["cases"], responses=CASE_ERRORS)
    def create_case(
        body: CaseCreate,
        who: Who,
        response: Response,
        idempotency_key: Annotated[str | None, Header(min_length=1, max_length=200)] = None,
    ) -> dict[str, Any]:
        cf = CaseFile.model_validate(body.model_dump(exclude={"records_complete"}))
        view, created = service.create_case(who, cf, body.records_complete, idempotency_key)
        if not created:
            response.headers["Idempotent-Replayed"] = "true"
        return {"id": view["id"], "status": view["status"], "status_code": view["status_code"],
                "eligibility": view["eligibility"], "case": view}

    @app.get("/api/v1/cases", response_model=list[schemas.CaseSummary], tags=["cases"], responses=CASE_ERRORS)
    def list_cases(
        who: Who,
        status: Annotated[str | None, Query(max_length=80, description="a status label or code")] = None,
        overdue: bool | None = None,
        at_risk: bool | None = None,
        limit: Annotated[int, Query(ge=1, le=500)] = 100,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> list[dict[str, Any]]:
        st = None
        if status is not None:
            st = parse_status(status)
            if st is None:
                raise _Invalid("query.status", f"unknown status {status!r}")
        return service.list_cases(who, st, overdue, at_risk, limit, offset)

    @app.get("/api/v1/cases/{case_id}", response_model=schemas.CaseView, response_model_exclude_unset=True, tags=["cases"], responses=CASE_ERRORS)
    def get_case(case_id: ID, who: Who) -> dict[str, Any]:
        return service.get_case(who, case_id)

    @app.post("/api/v1/cases/{case_id}/documents", response_model=schemas.CaseView, response_model_exclude_unset=True, tags=["cases"], responses=CASE_ERRORS)
    def add_documents(case_id: ID, body: DocumentsAdd, who: Who) -> dict[str, Any]:
        seen: set[str] = set()
        for i, d in enumerate(body.documents):
            if d.id in seen:
                raise _Invalid(f"documents.{i}.id", f"duplicate document id {d.id!r}")
            seen.add(d.id)
        return service.add_documents(who, case_id, body.documents, body.records_complete)

    @app.post("/api/v1/cases/{case_id}/transitions", response_model=schemas.CaseView, response_model_exclude_unset=True, tags=["cases"], responses=CASE_ERRORS)
    def transition(case_id: ID, body: TransitionRequest, who: Who) -> dict[str, Any]:
        return service.transition(who, case_id, body.action, body.reason)

    @app.post("/api/v1/cases/{case_id}/access", status_code=201, response_model=schemas.AccessGranted, tags=["cases"],
              responses=CASE_ERRORS)
    def grant_access(case_id: ID, body: AccessGrant, who: Who) -> dict[str, Any]:
        return service.grant_access(who, case_id, body.user)

    @app.post("/api/v1/cases/{case_id}/assignment", response_model=schemas.AssignmentOut, tags=["cases"], responses=CASE_ERRORS)
    def assign(case_id: ID, who: Who, body: Annotated[AssignmentRequest | None, Body()] = None) -> dict[str, Any]:
        return service.assign(who, case_id, body.reviewer if body else None)

    @app.post("/api/v1/cases/{case_id}/draft", status_code=201, response_model=schemas.DraftOut, tags=["review"],
              responses=CASE_ERRORS)
    def draft(case_id: ID, who: Who) -> dict[str, Any]:
        return service.draft(who, case_id)

    @app.post("/api/v1/cases/{case_id}/draft/rationale", response_model=RationaleOut, tags=["review"],
              responses=CASE_ERRORS)
    def regenerate_rationale(case_id: ID, body: RationaleRequest, who: Who) -> dict[str, Any]:
        """The rationale for the outcome the reviewer chose, rebuilt from the engine's judged criteria."""
        return service.regenerate_rationale(who, case_id, body.request, body.decision)

    @app.post("/api/v1/cases/{case_id}/determination", response_model=schemas.DeterminationOut, tags=["review"],
              responses=CASE_ERRORS)
    def determine(case_id: ID, body: DeterminationRequest, who: Who) -> dict[str, Any]:
        return service.determine(who, case_id, [i.model_dump() for i in body.items], body.sign,
                                 body.correction_reason, body.clinical_case_summary)

    @app.get(
        "/api/v1/cases/{case_id}/letter",
        tags=["review"],
        responses={**CASE_ERRORS, 200: {"content": {"text/plain": {}, "text/html": {}, "application/pdf": {}}}},
        response_class=Response,
    )
    def letter(
        case_id: ID,
        who: Who,
        format: Literal["txt", "html", "pdf"] = "txt",
        version: Annotated[int | None, Query(ge=1, le=10_000)] = None,
    ) -> Response:
        body = service.letter(who, case_id, format, version)
        media = {"txt": "text/plain; charset=utf-8", "html": "text/html; charset=utf-8", "pdf": "application/pdf"}[format]
        return Response(content=body, media_type=media)

    @app.get("/api/v1/cases/{case_id}/audit", response_model=list[schemas.AuditEventOut], tags=["cases"], responses=CASE_ERRORS)
    def audit(case_id: ID, who: Who) -> list[dict[str, Any]]:
        return service.audit_trail(who, case_id)

    @app.get("/api/v1/published/{ident}", response_model=schemas.PublishedOut, tags=["publication"],
             responses={404: {"model": ErrorDetail, "description": "nothing published under this id"}})
    def published(ident: ID) -> dict[str, Any]:
        """The redacted Final Determination for public release (no token needed)."""
        return service.published(ident)

    from openimr.ui import mount_ui  # the reviewer's workbench at /ui, over the same service

    mount_ui(app)
    return app


class _Invalid(ServiceError):
    status = 422

    def __init__(self, field: str, problem: str):
        super().__init__({"detail": "invalid request", "errors": [{"field": field, "problem": problem}]})



def app_from_env() -> FastAPI:
    """The app for a uvicorn worker process (`openimr serve --workers N`): configured by environment
    (OPENIMR_DATABASE_URL, OPENIMR_ORGANIZATION); the parent process has migrated and bootstrapped."""
    cfg = settings()
    kwargs: dict[str, Any] = {"organization": cfg.organization} if cfg.organization else {}
    kwargs.update(draft_processes=cfg.draft_processes, draft_nice=cfg.draft_nice)  # issue 15
    app = create_app(cfg.database_url, migrate=False, bootstrap_token="", **kwargs)
    app.state.service.warm_up()
    return app
