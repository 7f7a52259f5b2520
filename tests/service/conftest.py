"""Fixtures for the case-service tests: a database per test (SQLite file, and PostgreSQL when
OPENIMR_TEST_POSTGRES_URL names a server: `scripts/test` starts one), the app, users and a case body."""

from __future__ import annotations

import copy
import datetime as dt
import os
import uuid

import pytest
from fastapi.testclient import TestClient
from service_helpers import CASE, auth, make_user
from sqlalchemy import create_engine, make_url, text

from openimr.api.app import create_app
from openimr.workflow import db
from openimr.workflow.migrate import upgrade
from openimr.workflow.service import CaseService

TODAY = dt.date(2026, 3, 2)


class Clock:
    """A settable 'today' for the service."""

    def __init__(self, day: dt.date = TODAY):
        self.day = day

    def __call__(self) -> dt.date:
        return self.day


def postgres_base_url() -> str | None:
    return os.environ.get("OPENIMR_TEST_POSTGRES_URL") or None


def postgres_schema_url(base: str, schema: str) -> str:
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'openimr.db'}"
        return
    base = postgres_base_url()
    if not base:
        pytest.skip("no PostgreSQL server (OPENIMR_TEST_POSTGRES_URL unset)")
    schema = "t_" + uuid.uuid4().hex[:16]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield postgres_schema_url(base, schema)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def drafter():
    """The real engine (openimr.engine.draft_case)."""
    from openimr.engine import draft_case

    return draft_case


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def service(database_url, drafter, clock):
    engine = db.make_engine(database_url)
    upgrade(engine)
    svc = CaseService(engine, drafter=drafter, today=clock)
    yield svc
    svc.close()


BOOT = "boot-" + uuid.uuid4().hex


@pytest.fixture
def client(service):
    app = create_app(service=service, bootstrap_token=BOOT)
    with TestClient(app) as c:
        yield c


@pytest.fixture
def case_body():
    return copy.deepcopy(CASE)


@pytest.fixture
def admin():
    return auth(BOOT)


@pytest.fixture
def intake(client, admin):
    return make_user(client, admin, "Intake Clerk", "intake")[1]
