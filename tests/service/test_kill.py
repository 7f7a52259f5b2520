"""A real kill: `openimr serve` as a subprocess, case creations in flight, SIGKILL, restart.

Every case the server acknowledged (201) must exist, complete, after the restart; no case may exist
half-created (every stored case has its documents, eligibility result and audit trail); and a client
retrying an unacknowledged request with its Idempotency-Key gets exactly one case.
"""

from __future__ import annotations

import copy
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import httpx
import pytest
from service_helpers import CASE
from sqlalchemy import create_engine, text

pytestmark = pytest.mark.slow

OPENIMR = str(Path(sys.executable).with_name("openimr"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(url: str, port: int, token: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, "OPENIMR_BOOTSTRAP_TOKEN": token}
    proc = subprocess.Popen([OPENIMR, "serve", "--host", "127.0.0.1", "--port", str(port), "--database", url,
                             "--log-level", "warning"], env=env, stdout=log.open("ab"), stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {log.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise AssertionError("server did not start")


def case_body(i: int) -> dict:
    body = copy.deepcopy(CASE)
    body["parties"]["claim_number"] = f"K-{i}"
    body["case_number"] = f"CM-K-{i}"
    body["documents"] = [*body["documents"], {"id": "big", "type": "progress_note", "text": "x " * 20000}]
    return body


def test_kill_mid_write_loses_nothing_acknowledged(database_url, tmp_path):
    token = "boot-" + uuid.uuid4().hex
    port = free_port()
    log = tmp_path / "server.log"
    proc = start(database_url, port, token, log)
    base = f"http://127.0.0.1:{port}"
    admin = {"Authorization": f"Bearer {token}"}
    r = httpx.post(f"{base}/api/v1/users", json={"name": "Intake", "role": "intake"}, headers=admin)
    intake = {"Authorization": f"Bearer {r.json()['token']}"}

    acked: dict[str, str] = {}  # idempotency key -> case id
    attempted: dict[str, int] = {}  # idempotency key -> case index
    lock = threading.Lock()
    stop = threading.Event()
    counter = iter(range(10_000))

    def client() -> None:
        with httpx.Client(base_url=base, timeout=10) as c:
            while not stop.is_set():
                with lock:
                    i = next(counter)
                key = f"k-{i}"
                with lock:
                    attempted[key] = i
                try:
                    r = c.post("/api/v1/cases", json=case_body(i), headers={**intake, "Idempotency-Key": key})
                except httpx.HTTPError:
                    return
                if r.status_code == 201:
                    with lock:
                        acked[key] = r.json()["id"]

    threads = [threading.Thread(target=client) for _ in range(6)]
    for t in threads:
        t.start()
    deadline = time.time() + 60
    while len(acked) < 25 and time.time() < deadline:
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)  # mid-stream: other requests are in flight
    proc.wait()
    stop.set()
    for t in threads:
        t.join()
    assert len(acked) >= 25
    assert len(attempted) > len(acked)  # some requests were cut off

    proc = start(database_url, port, token, log)
    try:
        with httpx.Client(base_url=base, timeout=30, headers=intake) as c:
            for key, cid in acked.items():
                r = c.get(f"/api/v1/cases/{cid}")
                assert r.status_code == 200, (key, r.text)
                case = r.json()
                assert case["case_number"] == f"CM-K-{attempted[key]}"
                assert len(case["documents"]) == 3 and case["eligibility"]["outcome"] == "eligible"
                assert case["status"] == "Notice of Assignment and Request for Information"
            # Retrying every request (acknowledged or not) with its key: no duplicates, all complete.
            for key, i in attempted.items():
                r = c.post("/api/v1/cases", json=case_body(i), headers={"Idempotency-Key": key})
                assert r.status_code == 201, r.text
                if key in acked:
                    assert r.json()["id"] == acked[key]
                    assert r.headers.get("idempotent-replayed") == "true"
            listed = c.get("/api/v1/cases", params={"limit": 500}).json()
            assert len(listed) == len(attempted)
            assert {x["status"] for x in listed} == {"Notice of Assignment and Request for Information"}
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)

    # No half-created case at the storage level either.
    engine = create_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT c.id, c.status, (SELECT count(*) FROM documents d WHERE d.case_id = c.id), "
            "(SELECT count(*) FROM audit_events a WHERE a.case_id = c.id AND a.action = 'case.create') FROM cases c"
        )).all()
    engine.dispose()
    assert len(rows) == len(attempted)
    for cid, status, docs, created in rows:
        assert status == "notice_of_assignment" and docs == 3 and created == 1, cid
