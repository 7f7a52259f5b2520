"""The routes of the reviewer's workbench under /ui. Each calls the workflow as the signed-in user.

GET pages are plain `def` handlers (FastAPI runs them in its thread pool, like the API's); POST
handlers read the form (async), check its CSRF token, then call the workflow in the thread pool.
"""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from openimr.errors import InputError
from openimr.ui import intake, review
from openimr.ui.web import (
    LETTER_CSP,
    PREFIX,
    SESSION_COOKIE,
    SIGNIN_COOKIE,
    UIFailure,
    Web,
    check_csrf,
    failure,
    headers,
    new_signin_token,
    page,
    policy,
    redirect,
    safe_next,
    secure,
    signed_in,
)
from openimr.workflow import sessions, workbench
from openimr.workflow.service import CaseService, Invalid, ServiceError
from openimr.workflow.states import ASSIGNABLE, Status, parse_status

router = APIRouter(prefix=PREFIX, include_in_schema=False)
Signed = Annotated[Web, Depends(signed_in)]
FILTERS = ("all", "overdue", "at_risk")


def _svc(request: Request) -> CaseService:
    return request.app.state.service


def _call(web: Web | None, fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except ServiceError as exc:
        raise failure(exc, web) from None


# A form without uploads is small (five long rationales are ~100 KB); it must say its length, so that
# an anonymous sign-in post cannot make the server read a large body. Uploads come only from a
# signed-in user (checked before the body is read) and are bounded by the service's body limit.
MAX_PLAIN_FORM = 1024 * 1024


async def _form(request: Request, web: Web | None = None, files: int = 0):
    if not files:
        length = request.headers.get("content-length", "")
        if not length.isdigit() or int(length) > MAX_PLAIN_FORM:
            raise UIFailure(413, "Form too large", "The form is larger than 1 MB (or does not say its length).", web)
    form = await request.form(max_files=files, max_fields=400)
    if web is not None:
        check_csrf(web, form)
    return form


def _text(form) -> dict[str, str]:
    return {k: v for k, v in form.multi_items() if isinstance(v, str)}


# ---------------------------------------------------------------------- sign-in, sign-out
@router.get("")
def home() -> Response:
    return redirect(PREFIX + "/queue")


@router.get("/sign-in")
def sign_in_form(request: Request, next: str | None = None, ended: str | None = None) -> Response:
    token = new_signin_token()
    resp = page(request, "sign_in.html", signin_csrf=token, next=safe_next(next), ended=ended, error=None)
    resp.set_cookie(SIGNIN_COOKIE, token, max_age=1800, httponly=True, samesite="strict",
                    secure=secure(request), path=PREFIX)
    return resp


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    form = await _form(request)
    sent, expected = form.get("csrf_token"), request.cookies.get(SIGNIN_COOKIE)
    if not expected or not isinstance(sent, str) or sent != expected:
        raise UIFailure(403, "Form refused", "The sign-in form did not carry a valid security (CSRF) token. "
                        "Reload the sign-in page and try again.", None)
    token = str(form.get("token") or "").strip()
    started = await run_in_threadpool(sessions.start_session, _svc(request), token, policy(request)) if token else None
    if started is None:
        fresh = new_signin_token()
        resp = page(request, "sign_in.html", code=200, signin_csrf=fresh, next=safe_next(str(form.get("next") or "")),
                    ended=None, error="That token is not valid, or its account is deactivated.")
        resp.set_cookie(SIGNIN_COOKIE, fresh, max_age=1800, httponly=True, samesite="strict",
                        secure=secure(request), path=PREFIX)
        return resp
    session_token, _actor = started
    previous = request.cookies.get(SESSION_COOKIE)
    if previous:  # signing in again replaces the browser's earlier session rather than leaving it alive
        await run_in_threadpool(sessions.end_session, _svc(request), previous)
    resp = redirect(safe_next(str(form.get("next") or "")))
    resp.set_cookie(SESSION_COOKIE, session_token, max_age=int(policy(request).lifetime.total_seconds()),
                    httponly=True, samesite="strict", secure=secure(request), path=PREFIX)
    resp.delete_cookie(SIGNIN_COOKIE, path=PREFIX, httponly=True, samesite="strict", secure=secure(request))
    return resp


@router.post("/sign-out")
async def sign_out(request: Request, web: Signed) -> Response:
    await _form(request, web)
    await run_in_threadpool(sessions.end_session, _svc(request), web.session_token)
    resp = redirect(PREFIX + "/sign-in?ended=signed-out")
    resp.delete_cookie(SESSION_COOKIE, path=PREFIX, httponly=True, samesite="strict", secure=secure(request))
    return resp


# ---------------------------------------------------------------------- queue
@router.get("/queue")
def queue(request: Request, web: Signed,
          status: Annotated[str | None, Query(max_length=80)] = None,
          flag: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    st = parse_status(status) if status else None
    flag = flag if flag in FILTERS else "all"
    cases = _call(web, _svc(request).list_cases, web.actor, st, True if flag == "overdue" else None,
                  True if flag == "at_risk" else None, 500, 0)
    return page(request, "queue.html", cases=cases, statuses=list(Status), status=st.value if st else "",
                flag=flag, bad_status=bool(status) and st is None)


# ---------------------------------------------------------------------- intake
@router.get("/cases/new")
def new_case_form(request: Request, web: Signed) -> Response:
    if not web.staff:
        raise UIFailure(403, "Not allowed", f"role {web.actor.role} may not create cases", web)
    return page(request, "new_case.html", error=None, values={}, key=uuid.uuid4().hex,
                today=_svc(request).today().isoformat())


@router.post("/cases")
async def create_case(request: Request, web: Signed) -> Response:
    form = await _form(request, web, files=50)
    fields = _text(form)
    uploads: list[tuple[str, bytes]] = []
    for f in form.getlist("files"):
        if isinstance(f, UploadFile) and f.filename:
            uploads.append((f.filename, await f.read()))
    try:
        cf, complete = await run_in_threadpool(intake.build_case, uploads, fields)
    except InputError as exc:
        return page(request, "new_case.html", code=200, error=str(exc), values=fields,
                    key=fields.get("idempotency_key") or uuid.uuid4().hex, today=_svc(request).today().isoformat())
    key = (fields.get("idempotency_key") or "")[:200] or None
    view, _created = await run_in_threadpool(_call, web, _svc(request).create_case, web.actor, cf, complete, key)
    return redirect(f"{PREFIX}/cases/{view['id']}")


# ---------------------------------------------------------------------- case
def _case_page(request: Request, web: Web, case_id: str, status: int = 200, **extra: Any) -> Response:
    svc = _svc(request)
    case = _call(web, svc.get_case, web.actor, case_id)
    reviewers = []
    if web.staff and Status(case["status_code"]) in ASSIGNABLE:
        reviewers = _call(web, svc.list_reviewers, web.actor)
    return page(request, "case.html", code=status, case=case, reviewers=reviewers,
                assignable=Status(case["status_code"]) in ASSIGNABLE, **extra)


@router.get("/cases/{case_id}")
def case_page(request: Request, web: Signed, case_id: str, signed: int | None = None) -> Response:
    return _case_page(request, web, case_id, signed=signed, failed=None)


@router.post("/cases/{case_id}/assignment")
async def assign(request: Request, web: Signed, case_id: str) -> Response:
    form = await _form(request, web)
    reviewer = str(form.get("reviewer") or "") or None
    try:
        await run_in_threadpool(_svc(request).assign, web.actor, case_id, reviewer)
    except ServiceError as exc:
        if exc.status == 409 and isinstance(exc.detail, dict) and "reviewers" in exc.detail:
            return await run_in_threadpool(_case_page, request, web, case_id, 409, signed=None, failed=exc.detail)
        raise failure(exc, web) from None
    return redirect(f"{PREFIX}/cases/{case_id}#assignment")


# ---------------------------------------------------------------------- review
def _review_page(request: Request, web: Web, case_id: str, status: int = 200, form: dict[str, str] | None = None,
                 errors: dict[int, str] | None = None, problem: str | None = None, **extra: Any) -> Response:
    data = _call(web, workbench.review_view, _svc(request), web.actor, case_id)
    content = review.build(data, form, errors)
    return page(request, "review.html", code=status, data=data, case=data["case"], problem=problem,
                form=form or {}, **content, **extra)


@router.get("/cases/{case_id}/review")
def review_page(request: Request, web: Signed, case_id: str, saved: int | None = None) -> Response:
    return _review_page(request, web, case_id, saved=saved)


@router.post("/cases/{case_id}/draft")
async def draft(request: Request, web: Signed, case_id: str) -> Response:
    await _form(request, web)
    await run_in_threadpool(_call, web, _svc(request).draft, web.actor, case_id)
    return redirect(f"{PREFIX}/cases/{case_id}/review")


@router.post("/cases/{case_id}/determination")
async def determine(request: Request, web: Signed, case_id: str) -> Response:
    fields = _text(await _form(request, web))
    action = fields.get("action")
    if action not in {"save", "preview", "sign"}:
        raise UIFailure(422, "Please correct the form", "unknown action", web)
    data = await run_in_threadpool(_call, web, workbench.review_view, _svc(request), web.actor, case_id)
    items = review.build(data)["items"]
    errors = review.check(items, fields)
    correcting = data["issued"] is not None
    problem = None
    if action == "sign" and not fields.get("confirm"):
        problem = "Tick the confirmation to sign: signing issues the Final Determination."
    elif correcting and not (fields.get("correction_reason") or "").strip():
        problem = "An issued determination is corrected with a reason: write the correction reason."
    elif correcting and action != "sign":
        problem = "A correction is issued when signed; it cannot be saved as a draft."
    if errors or problem:
        return await run_in_threadpool(_review_page, request, web, case_id, 200, fields, errors, problem)
    payload = [{"request": it["request"], "decision": fields[f"decision-{it['n']}"],
                "rationale": fields[f"rationale-{it['n']}"].strip()} for it in items]
    summary = fields.get("clinical_case_summary")
    if summary is not None and summary.strip() == (review.build(data)["summary"] or "").strip():
        summary = None  # unchanged: keep the drafted (or saved) summary without recording an edit
    try:
        result = await run_in_threadpool(
            _svc(request).determine, web.actor, case_id, payload, action == "sign",
            (fields.get("correction_reason") or "").strip() or None, summary)
    except Invalid as exc:
        errs: dict[int, str] = {}
        for e in exc.detail.get("errors", []):
            parts = str(e.get("field", "")).split(".")
            if len(parts) >= 2 and parts[0] == "items" and parts[1].isdigit():
                errs[int(parts[1])] = e.get("problem", "invalid")
        prob = None if errs else "; ".join(f"{e.get('field')}: {e.get('problem')}" for e in exc.detail.get("errors", []))
        return await run_in_threadpool(_review_page, request, web, case_id, 200, fields, errs, prob)
    except ServiceError as exc:
        raise failure(exc, web) from None
    if action == "sign":
        return redirect(f"{PREFIX}/cases/{case_id}?signed={result['version']}")
    if action == "preview":
        return redirect(f"{PREFIX}/cases/{case_id}/preview")
    return redirect(f"{PREFIX}/cases/{case_id}/review?saved=1")


@router.get("/cases/{case_id}/preview")
def preview(request: Request, web: Signed, case_id: str) -> Response:
    case = _call(web, _svc(request).get_case, web.actor, case_id)
    return page(request, "letter.html", case=case, frame=f"{PREFIX}/cases/{case_id}/preview.html",
                title="Letter preview (draft, not signed)", version=None)


@router.get("/cases/{case_id}/preview.html")
def preview_html(request: Request, web: Signed, case_id: str) -> Response:
    body = _call(web, workbench.preview_letter, _svc(request), web.actor, case_id)
    return headers(Response(body, media_type="text/html; charset=utf-8"), LETTER_CSP)


# ---------------------------------------------------------------------- letters
@router.get("/cases/{case_id}/letter")
def letter_page(request: Request, web: Signed, case_id: str,
                version: Annotated[int | None, Query(ge=1, le=10_000)] = None) -> Response:
    case = _call(web, _svc(request).get_case, web.actor, case_id)
    q = f"?version={version}" if version else ""
    return page(request, "letter.html", case=case, frame=f"{PREFIX}/cases/{case_id}/letter.html{q}",
                title="Final Determination letter" + (f", version {version}" if version else ""), version=version)


@router.get("/cases/{case_id}/letter.{fmt}")
def letter_file(request: Request, web: Signed, case_id: str, fmt: str,
                version: Annotated[int | None, Query(ge=1, le=10_000)] = None) -> Response:
    if fmt not in {"html", "pdf", "txt"}:
        raise UIFailure(404, "Not found", f"no letter format {fmt!r}", web)
    body = _call(web, _svc(request).letter, web.actor, case_id, fmt, version)
    if fmt == "html":
        return headers(Response(body, media_type="text/html; charset=utf-8"), LETTER_CSP)
    media = "application/pdf" if fmt == "pdf" else "text/plain; charset=utf-8"
    name = f"final-determination-{case_id}" + (f"-v{version}" if version else "") + f".{fmt}"
    resp = Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})
    return headers(resp, LETTER_CSP)


@router.get("/cases/{case_id}/published")
def published(request: Request, web: Signed, case_id: str) -> Response:
    case = _call(web, _svc(request).get_case, web.actor, case_id)  # the case is in the user's scope
    pub = _call(web, _svc(request).published, case_id)
    return page(request, "published.html", case=case, pub=pub)
