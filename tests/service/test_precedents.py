"""Precedents in the service: a draft shows how the organization's issued determinations (plus any
loaded letters) decided items like it, beside its decisions and without changing them."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import BOOT, CASE
from fastapi.testclient import TestClient
from service_helpers import auth, make_reviewer, make_user

from openimr.api.app import create_app
from openimr.precedents.service import ServicePrecedents
from openimr.workflow import db
from openimr.workflow.migrate import upgrade
from openimr.workflow.service import CaseService

SEEDS = Path(__file__).parents[1] / "data" / "seeds"


def _client(tmp_path, drafter, clock, precedents):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    upgrade(engine)
    svc = CaseService(engine, drafter=drafter, today=clock, precedents=precedents)
    return svc, TestClient(create_app(service=svc, bootstrap_token=BOOT))


def _case(n: int) -> dict:
    body = json.loads(json.dumps(CASE))
    body["case_number"] = f"CM15-900000{n}"
    body["parties"]["claim_number"] = f"WC-P-{n}"
    body["records_complete"] = True
    return body


def _draft(client, intake, reviewer, body) -> tuple[str, dict]:
    cid = client.post("/api/v1/cases", json=body, headers=intake).json()["id"]
    assert client.post(f"/api/v1/cases/{cid}/assignment", headers=intake).status_code == 200
    r = client.post(f"/api/v1/cases/{cid}/draft", headers=reviewer)
    assert r.status_code == 201, r.text
    return cid, r.json()["draft"]


def test_drafts_show_issued_determinations_and_loaded_letters(tmp_path, drafter, clock):
    from openimr.letters.corpus import to_record, write_corpus
    from openimr.letters.reader import parse_letter_file

    letters = tmp_path / "letters.jsonl"
    write_corpus([to_record(parse_letter_file(p), str(p)) for p in sorted(SEEDS.glob("*.txt"))], letters)
    precedents = ServicePrecedents(tmp_path / "precedents", letters)
    svc, client = _client(tmp_path, drafter, clock, precedents)
    with client:
        admin = auth(BOOT)
        _, intake = make_user(client, admin, "Intake", "intake")
        _, reviewer = make_reviewer(client, admin)
        cid, draft = _draft(client, intake, reviewer, _case(1))
        (ip,) = draft["precedents"]
        assert ip["request"] == "Soma 350mg #90" and ip["topic"] == "carisoprodol"
        assert {p["letter"] for p in ip["precedents"] if p["same_topic"]} <= {"000_447e318477fead86", "001_fc802ee8775ab08f",
                                                                                "002_d7e3603ed8b34fa0", "003_343a21e034c38e79"}
        # the reviewer overturns it and signs: the next case's draft has this determination as a precedent
        det = {"items": [{"request": "Soma 350mg #90", "decision": "Overturned",
                          "rationale": "In this case a short course is supported by the records."}]}
        assert client.post(f"/api/v1/cases/{cid}/determination", json=det, headers=reviewer).status_code == 200
        _, draft2 = _draft(client, intake, reviewer, _case(2))
        (ip2,) = draft2["precedents"]
        issued = [p for p in ip2["precedents"] if p["letter"] == "CM15-9000001"]
        assert issued and issued[0]["decision"] == "Overturned" and issued[0]["date"]
        assert issued[0]["reason"] == "In this case a short course is supported by the records."
        # beside, never inside: the same draft items as before this precedent existed
        assert draft2["items"] == draft["items"]
    svc.close()


def test_a_failing_precedent_index_never_fails_a_draft(tmp_path, drafter, clock):
    class Broken:
        since = None

        def attach(self, *a, **k):
            raise RuntimeError("index gone")

    svc, client = _client(tmp_path, drafter, clock, Broken())
    with client:
        admin = auth(BOOT)
        _, intake = make_user(client, admin, "Intake", "intake")
        _, reviewer = make_reviewer(client, admin)
        _, draft = _draft(client, intake, reviewer, _case(3))
        assert draft["precedents"] is None and draft["items"][0]["request"] == "Soma 350mg #90"
    svc.close()
