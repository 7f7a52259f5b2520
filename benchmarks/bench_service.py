"""Benchmark the case service: 50 concurrent clients on loopback reading and drafting cases.

Starts `openimr serve` as a subprocess on a free loopback port (SQLite file in a temp dir by default;
`--database postgresql+psycopg://...` runs it on PostgreSQL in a fresh schema), loads a panel and cases
through the API, then runs `--clients` concurrent clients (httpx, asyncio): each request is a case read
(GET /api/v1/cases/{id}) or, with probability `--draft-share`, a draft by the assigned reviewer
(POST /api/v1/cases/{id}/draft, the real engine). Prints p50/p95/p99 latency per operation and throughput.

    .venv/bin/python benchmarks/bench_service.py [--clients 50] [--requests 2000] [--draft-share 0.2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
OPENIMR = str(Path(sys.executable).with_name("openimr"))

NOTE = (
    "Progress note. The injured worker reports chronic low back pain radiating to the left leg, rated 7/10, "
    "worse with prolonged sitting. Current medications: Soma 350mg three times daily since 02/2015, Norco 10/325mg "
    "every 6 hours as needed, gabapentin 300mg three times daily. Examination: tenderness over the lumbar "
    "paraspinal muscles, decreased sensation in the left L5 dermatome, positive straight leg raise on the left. "
    "MRI of the lumbar spine showed a disc protrusion at L4-L5 with left foraminal narrowing. Treatment to date: "
    "physical therapy (12 sessions), chiropractic care, home exercise. Plan: continue medications; request "
    "lumbar epidural steroid injection at left L4-L5."
)



def add_user(c: httpx.Client, admin: dict, name: str, role: str) -> tuple[str, str]:
    """A new user of the bench service: (id, token)."""
    r = c.post("/api/v1/users", json={"name": name, "role": role}, headers=admin)
    r.raise_for_status()
    return r.json()["id"], r.json()["token"]


def add_reviewers(c: httpx.Client, admin: dict, n: int) -> dict[str, str]:
    """n reviewers (qualified for the bench cases), as reviewer id -> the token of the reviewer's user."""
    tokens = {}
    for k in range(n):
        uid, tok = add_user(c, admin, f"Reviewer {k}", "reviewer")
        r = c.post("/api/v1/reviewers", headers=admin, json={
            "name": f"Reviewer {k}", "user": uid, "licensure": ["NY"], "specialty": "PM&R",
            "years_active": 10 + k, "hours_per_week": 30})
        r.raise_for_status()
        tokens[r.json()["id"]] = tok
    return tokens


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM, then kill if the server has not stopped in 30 s."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()

def wait_healthy(base: str, tries: int = 600) -> None:
    """Wait (up to about a minute) until the server at `base` answers /health."""
    for _ in range(tries):
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)


def case_body(i: int) -> dict:
    return {
        "case_number": f"CM-BENCH-{i}",
        "injured_worker": {"age": 40 + i % 30, "sex": "female" if i % 2 else "male", "date_of_injury": "2012-05-01"},
        "request_for_authorization": {"date": "2015-08-13"},
        "utilization_review": {"date": "2015-08-18"},
        "disputed_items": [{"request": "Soma 350mg #90"}, {"request": "Left L4-L5 lumbar epidural steroid injection"}],
        "documents": [{"id": "note", "type": "progress_note", "date": "2015-08-10", "text": NOTE},
                      {"id": "ur", "type": "ur_decision", "date": "2015-08-18", "text": "UR non-certified both items."}],
        "parties": {"claims_administrator": "Bench Claims", "employer": f"Employer {i}", "claim_number": f"BN-{i}"},
        "application": {"received_date": "2015-08-25", "ur_decision_date": "2015-08-18", "signed": True,
                        "ur_decision_attached": True},
        "records_complete": True,
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def postgres_schema(url: str) -> tuple[str, str]:
    from sqlalchemy import create_engine, make_url, text

    schema = "bench_" + uuid.uuid4().hex[:10]
    eng = create_engine(url, isolation_level="AUTOCOMMIT")
    with eng.connect() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    eng.dispose()
    u = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
    return u.render_as_string(hide_password=False), schema


async def run(args, base: str, intake: dict, cases: list[tuple[str, dict]]) -> dict[str, list[float]]:
    lat: dict[str, list[float]] = {"read": [], "draft": []}
    errors: dict[str, int] = {}
    remaining = [args.requests]
    rng = random.Random(7)
    limits = httpx.Limits(max_connections=args.clients, max_keepalive_connections=args.clients)

    async def worker(client: httpx.AsyncClient) -> None:
        while remaining[0] > 0:
            remaining[0] -= 1
            cid, reviewer = rng.choice(cases)
            op = "draft" if rng.random() < args.draft_share else "read"
            t = time.perf_counter()
            try:
                if op == "draft":
                    r = await client.post(f"/api/v1/cases/{cid}/draft", headers=reviewer)
                    status = r.status_code if r.status_code != 201 else None
                else:
                    r = await client.get(f"/api/v1/cases/{cid}", headers=intake)
                    status = r.status_code if r.status_code != 200 else None
            except httpx.TransportError as exc:  # e.g. a keep-alive connection closed as it was reused
                status = type(exc).__name__
            dt_ms = (time.perf_counter() - t) * 1000
            if status is None:
                lat[op].append(dt_ms)
            else:
                errors[f"{op} {status}"] = errors.get(f"{op} {status}", 0) + 1

    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        t0 = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(args.clients)))
        wall = time.perf_counter() - t0
    lat["_wall"] = [wall]
    lat["_errors"] = [float(sum(errors.values()))]
    if errors:
        print("errors:", errors)
    return lat


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--draft-share", type=float, default=0.2)
    ap.add_argument("--cases", type=int, default=100)
    ap.add_argument("--reviewers", type=int, default=5)
    ap.add_argument("--workers", type=int, default=1, help="server worker processes (openimr serve --workers)")
    ap.add_argument("--database", default=None, help="SQLAlchemy URL (default: a SQLite file in a temp dir)")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="openimr-bench-"))
    url = args.database or f"sqlite:///{tmp / 'bench.db'}"
    label = "SQLite" if url.startswith("sqlite") else "PostgreSQL"
    if url.startswith("postgresql"):
        url, _schema = postgres_schema(url)
    token = "boot-" + uuid.uuid4().hex
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp / "server.log").open("wb")
    proc = subprocess.Popen([OPENIMR, "serve", "--port", str(port), "--database", url, "--log-level", "warning",
                             "--workers", str(args.workers)],
                            env={**os.environ, "OPENIMR_BOOTSTRAP_TOKEN": token}, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_healthy(base)
        admin = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, timeout=120) as c:
            _, tok = add_user(c, admin, "Bench Intake", "intake")
            intake = {"Authorization": f"Bearer {tok}"}
            reviewers = {rid: {"Authorization": f"Bearer {t}"} for rid, t in add_reviewers(c, admin, args.reviewers).items()}
            cases = []
            t = time.perf_counter()
            for i in range(args.cases):
                r = c.post("/api/v1/cases", json=case_body(i), headers=intake)
                r.raise_for_status()
                cid = r.json()["id"]
                a = c.post(f"/api/v1/cases/{cid}/assignment", headers=intake)
                a.raise_for_status()
                cases.append((cid, reviewers[a.json()["reviewer"]]))
            setup = time.perf_counter() - t
            # warm the engine (first draft loads models)
            w = c.post(f"/api/v1/cases/{cases[0][0]}/draft", headers=cases[0][1])
            print(f"warm-up draft: HTTP {w.status_code}")
        lat = asyncio.run(run(args, base, intake, cases))
    except Exception:
        print(f"server exit code: {proc.poll()} (log: {tmp / 'server.log'})", file=sys.stderr)
        raise
    finally:
        stop_server(proc)
    wall = lat.pop("_wall")[0]
    errs = int(lat.pop("_errors")[0])
    done = sum(len(v) for v in lat.values())
    print(f"{label}, {args.workers} server process(es): {args.clients} clients, {done} ok requests (+{errs} errors) in {wall:.1f} s "
          f"= {done / wall:.1f} req/s; setup {args.cases} cases + assignments in {setup:.1f} s")
    print(f"{'operation':<10}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'mean ms':>10}")
    for op, xs in lat.items():
        if xs:
            print(f"{op:<10}{len(xs):>6}{pct(xs, 50):>10.1f}{pct(xs, 95):>10.1f}{pct(xs, 99):>10.1f}{statistics.mean(xs):>10.1f}")


if __name__ == "__main__":
    main()
