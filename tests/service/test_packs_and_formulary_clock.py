"""Issue 14 in the case service: sign-off refuses a draft made with a guideline pack no longer loaded,
every issued determination records its packs, and a formulary dispute runs on its own clock."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient
from service_helpers import auth, make_reviewer
from sqlalchemy import select

from openimr.api.app import create_app
from openimr.workflow import db
from openimr.workflow.clock import add_working_days
from openimr.workflow.migrate import upgrade
from openimr.workflow.service import CaseService

BOOT = "boot-packs-test-" + "x" * 32  # the service refuses a guessable bootstrap token


class Packs:
    """The packs the service reports as loaded; a test swaps them to simulate removing a pack."""

    def __init__(self):
        self.value = None  # None: ask the knowledge base (the default)

    def __call__(self):
        from openimr.workflow.service import _default_loaded_packs

        return _default_loaded_packs() if self.value is None else self.value


@pytest.fixture
def packs():
    return Packs()


@pytest.fixture
def app_client(database_url, drafter, clock, packs):
    engine = db.make_engine(database_url)
    upgrade(engine)
    svc = CaseService(engine, drafter=drafter, today=clock, loaded_packs=packs)
    with TestClient(create_app(service=svc, bootstrap_token=BOOT)) as c:
        yield c, svc
    svc.close()


def _to_clinical_review(client, case_body):
    admin = auth(BOOT)
    _, reviewer = make_reviewer(client, admin)
    intake_id = client.post("/api/v1/users", json={"name": "Intake", "role": "intake"}, headers=admin).json()
    intake = auth(intake_id["token"])
    r = client.post("/api/v1/cases", json={**case_body, "records_complete": True}, headers=intake)
    assert r.status_code == 201, r.text
    cid = r.json()["id"]
    assert client.post(f"/api/v1/cases/{cid}/assignment", headers=intake).status_code == 200
    return cid, reviewer


DET = {"items": [{"request": "Soma 350mg #90", "decision": "Upheld",
                  "rationale": "The reviewer finds the request not supported on these records."}]}


def test_sign_off_refuses_a_draft_made_with_a_pack_no_longer_loaded(app_client, case_body, packs):
    client, svc = app_client
    cid, reviewer = _to_clinical_review(client, case_body)
    r = client.post(f"/api/v1/cases/{cid}/draft", headers=reviewer)
    assert r.status_code == 201, r.text
    recorded = r.json()["draft"]["guideline_packs"]
    assert [p["name"] for p in recorded] == ["mtus-2009-2017"]

    packs.value = []  # the pack the draft was made with has been removed
    r = client.post(f"/api/v1/cases/{cid}/determination", json=DET, headers=reviewer)
    assert r.status_code == 409, r.text
    assert "mtus-2009-2017" in r.json()["detail"] and "no longer loaded" in r.json()["detail"]

    packs.value = [{**recorded[0], "content_hash": "sha256:0000000000000000"}]  # same name, changed content
    assert client.post(f"/api/v1/cases/{cid}/determination", json=DET, headers=reviewer).status_code == 409

    packs.value = None  # loaded again: the signature goes through and the determination records the packs
    r = client.post(f"/api/v1/cases/{cid}/determination", json=DET, headers=reviewer)
    assert r.status_code == 200, r.text
    with svc.Session() as s:
        row = s.scalar(select(db.DeterminationRow).where(db.DeterminationRow.case_id == cid))
        assert row.determination["guideline_packs"] == recorded


def test_a_formulary_dispute_runs_on_its_own_clock(app_client, case_body, clock):
    client, _ = app_client
    case_body["application"]["formulary_dispute"] = True
    cid, _ = _to_clinical_review(client, case_body)
    r = client.get(f"/api/v1/cases/{cid}", headers=auth(BOOT))
    assert r.status_code == 200, r.text
    c = r.json()["clock"]
    assert c["formulary_dispute"] is True and "4610.6(d)(1)(A)" in c["basis"]
    assert c["due_date"] == str(add_working_days(clock.day, 5))
    assert r.json()["formulary_dispute"] is True


def test_a_standard_case_keeps_the_30_day_clock(app_client, case_body, clock):
    client, _ = app_client
    cid, _ = _to_clinical_review(client, case_body)
    c = client.get(f"/api/v1/cases/{cid}", headers=auth(BOOT)).json()["clock"]
    assert c["formulary_dispute"] is False and c["due_date"] == str(clock.day + dt.timedelta(days=30))
