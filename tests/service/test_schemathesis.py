"""Property-based API testing against the app's own OpenAPI spec (schemathesis): no input the spec
allows (or nearly allows) may make the service fail with a 5xx. Bounded: a few examples per operation."""

from __future__ import annotations

import atexit
import copy
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from service_helpers import CASE, auth, make_reviewer, make_user

from openimr.api.app import create_app

BOOT = "boot-" + uuid.uuid4().hex
_DIR = Path(tempfile.mkdtemp(prefix="openimr-schemathesis-"))
atexit.register(shutil.rmtree, _DIR, ignore_errors=True)
APP = create_app(f"sqlite:///{_DIR / 'api.db'}", bootstrap_token=BOOT)

# A little real data, so that some generated ids and tokens reach deeper code.
with TestClient(APP) as _c:
    _admin = auth(BOOT)
    make_reviewer(_c, _admin)
    _, _intake = make_user(_c, _admin, "Intake", "intake")
    _c.post("/api/v1/cases", json=copy.deepcopy(CASE), headers=_intake)

schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


EXAMPLES = int(os.environ.get("OPENIMR_SCHEMATHESIS_EXAMPLES", "12"))  # a deeper run: set it to 200


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_server_errors(case):
    case.call_and_validate(headers={"Authorization": f"Bearer {BOOT}"}, checks=[not_a_server_error])


@schema.parametrize()
@settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_server_errors_without_a_token(case):
    case.call_and_validate(checks=[not_a_server_error])
