"""One keep-alive client reading a case (issue 15): latency and the server's CPU per read.

    .venv/bin/python benchmarks/bench_keepalive.py [--baseline SRC_DIR] [--workers 1,2] [--reads 400]

Starts `openimr serve` (SQLite in a temp dir) from this tree and, with `--baseline SRC_DIR` (the `src`
folder of another checkout), from the baseline, one after the other; creates one case through the API,
then one client (httpx, one keep-alive connection) reads it `--reads` times. Reported: read p50/p95
latency, and the CPU time (user + system) of the server's whole process tree per read, read from
/proc (Linux) - the client's own CPU is not counted. Under `--workers N` uvicorn's shared socket lost
TCP_NODELAY, so each keep-alive reply waited for the client's delayed ACK (~40 ms); that shows here as
the p50. The machine is shared: run several rounds and compare within a run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from bench_service import case_body, free_port, stop_server, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
ENTRY = "import sys; from openimr.cli.app import main; sys.argv[0] = 'openimr'; main()"
TICK = os.sysconf("SC_CLK_TCK")


def tree_cpu(root: int) -> float:
    """CPU seconds of `root` and its descendants (from /proc/*/stat)."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            fields = Path(f"/proc/{d}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(d)] = int(fields[1])
        cpu[int(d)] = (int(fields[11]) + int(fields[12])) / TICK
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        total += cpu.get(pid, 0.0)
        todo += [p for p, pp in parents.items() if pp == pid]
    return total


def measure(src: Path, workers: int, reads: int) -> tuple[float, float, float]:
    tmp = Path(tempfile.mkdtemp(prefix="openimr-bench-ka-"))
    token = "boot-" + uuid.uuid4().hex
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = subprocess.Popen([sys.executable, "-c", ENTRY, "serve", "--port", str(port), "--database",
                             f"sqlite:///{tmp / 'bench.db'}", "--log-level", "warning", "--workers", str(workers)],
                            env={**os.environ, "PYTHONPATH": str(src), "OPENIMR_BOOTSTRAP_TOKEN": token},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_healthy(base)
        admin = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, timeout=60) as c:
            r = c.post("/api/v1/users", json={"name": "Bench Intake", "role": "intake"}, headers=admin)
            intake = {"Authorization": f"Bearer {r.json()['token']}"}
            cid = c.post("/api/v1/cases", json=case_body(0), headers=intake).json()["id"]
            for _ in range(50):  # warm every worker's connection pool and caches
                c.get(f"/api/v1/cases/{cid}", headers=intake).raise_for_status()
            lat = []
            cpu0 = tree_cpu(proc.pid)
            for _ in range(reads):
                t = time.perf_counter()
                c.get(f"/api/v1/cases/{cid}", headers=intake).raise_for_status()
                lat.append((time.perf_counter() - t) * 1000)
            cpu = (tree_cpu(proc.pid) - cpu0) / reads * 1000
    finally:
        stop_server(proc)
    lat.sort()
    return statistics.median(lat), lat[int(0.95 * (len(lat) - 1))], cpu


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", type=Path)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--reads", type=int, default=400)
    opts = ap.parse_args()
    trees = ([("baseline", opts.baseline.resolve())] if opts.baseline else []) + [("this", ROOT / "src")]
    for w in (int(x) for x in opts.workers.split(",")):
        for name, src in trees:
            p50, p95, cpu = measure(src, w, opts.reads)
            print(f"--workers {w}  {name:<9} read p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  server CPU per read {cpu:5.2f} ms",
                  flush=True)


if __name__ == "__main__":
    main()
