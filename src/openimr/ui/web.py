"""Sessions, CSRF and page rendering for the web interface (HTTP only; the rules live in the workflow).

- Sign-in exchanges the user's bearer token for a session (`openimr.workflow.sessions`); the browser
  holds only the session token, in a cookie that is HttpOnly, SameSite=Strict, path /ui, and Secure
  when the request came over TLS.
- Every form that changes something carries a CSRF token: for a session, an HMAC of the session token
  (unguessable without the cookie, nothing to store); for the sign-in form, before there is a session,
  a random value also set in a short-lived cookie (double submit). A POST without a matching token is
  refused with 403 before anything runs.
- Pages are sent with a strict Content-Security-Policy (scripts and styles from /ui/static only),
  no caching (they hold PHI), and no framing by other sites.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from openimr.workflow.security import Role
from openimr.workflow.service import Actor, ServiceError
from openimr.workflow.sessions import SessionPolicy, session_actor

SESSION_COOKIE = "openimr_session"
SIGNIN_COOKIE = "openimr_signin"
PREFIX = "/ui"
HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))

PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'")
# The issued letter's HTML carries its own <style>; it runs no script at all.
LETTER_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'"


class SignInRequired(Exception):
    def __init__(self, next_path: str):
        self.next_path = next_path


class UIFailure(Exception):
    """A workflow refusal (or a refused form) to show as a page with its status."""

    def __init__(self, status: int, title: str, detail: Any, web: Web | None):
        self.status, self.title, self.detail, self.web = status, title, detail, web


class Web:
    """The signed-in user of one request, with the CSRF token of their session."""

    def __init__(self, actor: Actor, session_token: str):
        self.actor = actor
        self.csrf = csrf_for(session_token)
        self.session_token = session_token

    @property
    def staff(self) -> bool:
        return self.actor.role in {Role.ADMIN, Role.INTAKE}

    @property
    def reviewer(self) -> bool:
        return self.actor.role == Role.REVIEWER


def csrf_for(session_token: str) -> str:
    return hmac.new(session_token.encode(), b"openimr-ui-csrf-v1", hashlib.sha256).hexdigest()


def policy(request: Request) -> SessionPolicy:
    return request.app.state.ui_session_policy


def signed_in(request: Request) -> Web:
    """Dependency: the session's user, else a redirect to the sign-in page (an expired session too)."""
    token = request.cookies.get(SESSION_COOKIE, "")
    actor = session_actor(request.app.state.service, token, policy(request)) if token else None
    if actor is None:
        nxt = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(nxt if request.method == "GET" else PREFIX + "/queue")
    web = Web(actor, token)
    request.state.web = web
    return web


def check_csrf(web: Web, form: Any) -> None:
    sent = form.get("csrf_token") if form is not None else None
    if not isinstance(sent, str) or not hmac.compare_digest(sent, web.csrf):
        raise UIFailure(403, "Form refused", "The form did not carry a valid security (CSRF) token. "
                        "Reload the page and submit it again.", web)


def new_signin_token() -> str:
    return secrets.token_urlsafe(32)


def secure(request: Request) -> bool:
    return request.url.scheme == "https"


def headers(resp: Response, csp: str = PAGE_CSP) -> Response:
    resp.headers["Content-Security-Policy"] = csp
    resp.headers["Cache-Control"] = "no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "no-referrer"
    resp.headers["X-Frame-Options"] = "SAMEORIGIN"
    return resp


def page(request: Request, name: str, code: int = 200, **ctx: Any) -> Response:
    web = getattr(request.state, "web", None)
    resp = templates.TemplateResponse(request, name, {"web": web, "prefix": PREFIX, **ctx}, status_code=code)
    return headers(resp)


def redirect(url: str) -> RedirectResponse:
    resp = RedirectResponse(url, status_code=303)
    resp.headers["Cache-Control"] = "no-store"
    return resp


def sign_in_redirect(next_path: str) -> RedirectResponse:
    return redirect(f"{PREFIX}/sign-in?next={quote(next_path, safe='/')}")


def failure(exc: ServiceError, web: Web | None) -> UIFailure:
    """A workflow error as a page: its status, a title, and the service's own words."""
    titles = {403: "Not allowed", 404: "Not found", 409: "Not possible now", 422: "Please correct the form",
              503: "Unavailable"}
    return UIFailure(exc.status, titles.get(exc.status, "Error"), exc.detail, web)


def safe_next(nxt: str | None) -> str:
    """Only a path inside the interface (no open redirect)."""
    if nxt and nxt.startswith(PREFIX + "/") and not nxt.startswith("//") and "\\" not in nxt:
        return nxt
    return PREFIX + "/queue"
