"""The reviewer's workbench: a server-rendered web interface at /ui over the case service.

`mount_ui(app)` adds it to the FastAPI app of `openimr.api`. It has no logic of its own: every page
calls `openimr.workflow` as the signed-in user, so it can do nothing the API would refuse that user.
Session length and idle timeout: OPENIMR_UI_SESSION_HOURS (8) and OPENIMR_UI_IDLE_MINUTES (30).
"""

from __future__ import annotations

import datetime as dt
import os

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from openimr.ui.web import HERE, PREFIX, SignInRequired, UIFailure, page, sign_in_redirect
from openimr.workflow.sessions import SessionPolicy


def _env_float(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def mount_ui(app: FastAPI, policy: SessionPolicy | None = None) -> None:
    from openimr.ui.routes import router

    app.state.ui_session_policy = policy or SessionPolicy(
        lifetime=dt.timedelta(hours=_env_float("OPENIMR_UI_SESSION_HOURS", 8)),
        idle=dt.timedelta(minutes=_env_float("OPENIMR_UI_IDLE_MINUTES", 30)),
    )
    app.include_router(router)
    app.mount(PREFIX + "/static", StaticFiles(directory=str(HERE / "static")), name="ui-static")

    @app.exception_handler(SignInRequired)
    async def _sign_in(_req: Request, exc: SignInRequired):
        return sign_in_redirect(exc.next_path)

    @app.exception_handler(UIFailure)
    async def _failure(request: Request, exc: UIFailure):
        if exc.web is not None:
            request.state.web = exc.web
        detail = exc.detail
        if isinstance(detail, dict):
            errors = detail.get("errors")
            detail = "; ".join(f"{e.get('field')}: {e.get('problem')}" for e in errors) if errors else detail.get("detail", "")
        return page(request, "error.html", code=exc.status, title=exc.title, detail=str(detail))
