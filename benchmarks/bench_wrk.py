"""The case service under 50 clients, driven by `wrk` (issue 15): throughput, read latency, CPU per request.

    .venv/bin/python benchmarks/bench_wrk.py [--baseline SRC_DIR] [--servers base:1,this:2] [--rounds 3]
                                             [--duration 20] [--connections 50] [--draft-share 0.2]

For every round and every server setup (`TREE:WORKERS`, TREE being `base` - the `src` folder given by
`--baseline`, run with PYTHONPATH from this virtualenv - or `this`; the order alternates between rounds so
neither side always runs first), it starts `openimr serve --workers N` on SQLite in a temporary folder,
loads 5 reviewers and `--cases` assigned two-item cases through the API, warms up for a few seconds and
then runs `wrk` twice on the same server:

1. reads: `GET /api/v1/cases/{id}` (intake token) on random cases;
2. mixed: the same reads plus `--draft-share` of drafts (`POST /api/v1/cases/{id}/draft`, the assigned
   reviewer's token, the real engine).

`wrk` (Debian package; `scripts/setup --dev` installs it) runs one connection per thread so that its Lua
script can time each request itself (LuaJIT's ffi `clock_gettime`) and keep reads and drafts apart. Reported
per run: requests/s, read and draft p50/p95/p99, errors, the CPU (user + system, from /proc) of the whole
server process tree per request and per read, wrk's own CPU, and the load average. Every request also
authenticates and writes its audit event(s) durably, as in production (`synchronous=FULL`).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from bench_keepalive import ENTRY, tree_cpu
from bench_service import add_reviewers, add_user, case_body, free_port, stop_server, wait_healthy

ROOT = Path(__file__).resolve().parents[1]

LUA = r"""
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clk_id, bench_timespec *tp);
]]
local ts = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, ts)  -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
end

local cases = {%(cases)s}
local reviewers = {%(reviewers)s}
local intake = "Bearer %(intake)s"
local share = %(share)s
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(7919 * tid)
  lat_read, lat_draft, errors = {}, {}, {}
  pending, op = nil, nil
end

function request()
  local i = math.random(#cases)
  if math.random() < share then
    op = "draft"
    pending = now_ms()
    return wrk.format("POST", "/api/v1/cases/" .. cases[i] .. "/draft",
                      {["Authorization"] = "Bearer " .. reviewers[i], }, "")
  end
  op = "read"
  pending = now_ms()
  return wrk.format("GET", "/api/v1/cases/" .. cases[i], {["Authorization"] = intake}, nil)
end

function response(status, headers, body)
  local dt = now_ms() - pending
  local ok = (op == "read" and status == 200) or (op == "draft" and status == 201)
  if ok then
    local t = (op == "read") and lat_read or lat_draft
    t[#t + 1] = dt
  else
    local k = op .. " " .. status
    errors[k] = (errors[k] or 0) + 1
  end
end

function done(summary, latency, requests)
  io.write("WRKSTATS ", summary.requests, " ", summary.duration, " ",
           summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status
           + summary.errors.timeout, "\n")
  for _, t in ipairs(threads) do
    for _, x in ipairs(t:get("lat_read")) do io.write("R ", string.format("%%.3f", x), "\n") end
    for _, x in ipairs(t:get("lat_draft")) do io.write("D ", string.format("%%.3f", x), "\n") end
    for k, n in pairs(t:get("errors")) do io.write("E ", k, "|", n, "\n") end
  end
end
"""


def pct(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


class Server:
    """`openimr serve` from one source tree, on SQLite in a temporary folder, loaded with a panel and cases."""

    def __init__(self, src: Path, workers: int, cases: int, hide: tuple[str, ...] = (), sync: str = ""):
        self.tmp = Path(tempfile.mkdtemp(prefix="openimr-wrk-"))
        path = str(src)
        if hide:  # the baseline's own dependency set: these packages were not installed then
            for name in hide:
                (self.tmp / "hide" / name).mkdir(parents=True)
                (self.tmp / "hide" / name / "__init__.py").write_text(
                    f"raise ImportError('{name}: not in the baseline dependency set')\n")
            path = f"{self.tmp / 'hide'}{os.pathsep}{src}"
        self.token = "boot-" + uuid.uuid4().hex
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-c", ENTRY, "serve", "--port", str(self.port), "--database",
             f"sqlite:///{self.tmp / 'bench.db'}", "--log-level", "warning", "--workers", str(workers)],
            env={**os.environ, "PYTHONPATH": path, "OPENIMR_BOOTSTRAP_TOKEN": self.token,
                 **({"OPENIMR_SQLITE_SYNCHRONOUS": sync} if sync else {})},
            stdout=(self.tmp / "server.log").open("wb"), stderr=subprocess.STDOUT)
        wait_healthy(self.base)
        admin = {"Authorization": f"Bearer {self.token}"}
        with httpx.Client(base_url=self.base, timeout=120) as c:
            _, self.intake = add_user(c, admin, "Bench Intake", "intake")
            tokens = add_reviewers(c, admin, 5)
            self.cases: list[tuple[str, str]] = []
            for i in range(cases):
                r = c.post("/api/v1/cases", json=case_body(i), headers={"Authorization": f"Bearer {self.intake}"})
                r.raise_for_status()
                cid = r.json()["id"]
                a = c.post(f"/api/v1/cases/{cid}/assignment", headers={"Authorization": f"Bearer {self.intake}"})
                a.raise_for_status()
                self.cases.append((cid, tokens[a.json()["reviewer"]]))

    def script(self, share: float) -> Path:
        path = self.tmp / f"mix-{share}.lua"
        path.write_text(LUA % {
            "cases": ", ".join(f'"{c}"' for c, _ in self.cases),
            "reviewers": ", ".join(f'"{t}"' for _, t in self.cases),
            "intake": self.intake, "share": repr(share)})
        return path

    def stop(self) -> None:
        stop_server(self.proc)
        shutil.rmtree(self.tmp, ignore_errors=True)


def run_wrk(server: Server, share: float, duration: float, connections: int) -> dict:
    script = server.script(share)
    load0 = os.getloadavg()[0]
    cpu0 = tree_cpu(server.proc.pid)
    ru0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(["wrk", "-t", str(connections), "-c", str(connections), "-d", f"{int(round(duration))}s",
                          "--timeout", "60s", "-s", str(script), server.base],
                         capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"error: wrk failed: {out.stderr.strip() or out.stdout.strip()}")
    out = out.stdout
    ru1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = tree_cpu(server.proc.pid) - cpu0
    reads, drafts, errors = [], [], {}
    total = wall = 0.0
    for line in out.splitlines():
        if line.startswith("R "):
            reads.append(float(line[2:]))
        elif line.startswith("D "):
            drafts.append(float(line[2:]))
        elif line.startswith("E "):
            k, n = line[2:].rsplit("|", 1)
            errors[k] = errors.get(k, 0) + int(n)
        elif line.startswith("WRKSTATS "):
            n, us, err = line.split()[1:]
            total, wall = float(n), float(us) / 1e6
            if int(err):
                errors["socket/timeout"] = int(err)
    ok = len(reads) + len(drafts)
    return {
        "share": share, "rps": total / wall, "reads_per_s": len(reads) / wall, "requests": total, "ok": ok,
        "errors": errors, "read_p50": pct(reads, 50), "read_p95": pct(reads, 95), "read_p99": pct(reads, 99),
        "draft_p50": pct(drafts, 50), "draft_p95": pct(drafts, 95), "draft_n": len(drafts),
        "cpu_ms_per_request": cpu / max(ok, 1) * 1000, "cpu_ms_per_read": cpu / max(ok, 1) * 1000 if not drafts else None,
        "server_cores": cpu / wall,
        "wrk_cpu_s": (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime), "load": load0,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", type=Path, help="the src folder of the baseline checkout")
    ap.add_argument("--servers", default="base:1,this:2",
                    help="TREE:WORKERS[:SYNC], comma-separated (TREE: base or this; SYNC: OPENIMR_SQLITE_SYNCHRONOUS, "
                         "FULL by default)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=float, default=20.0, help="seconds of each wrk run")
    ap.add_argument("--warmup", type=float, default=4.0, help="seconds of reads before measuring")
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--cases", type=int, default=40)
    ap.add_argument("--draft-share", type=float, default=0.2)
    ap.add_argument("--json", type=Path, help="append every run as a JSON line to this file")
    ap.add_argument("--baseline-hides", default="httptools,uvloop",
                    help="packages the baseline runs without (added to the dependencies by issue 15; uvicorn "
                         "would pick them up from the shared virtualenv); empty: none")
    opts = ap.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("error: wrk is not installed (Debian package `wrk`; scripts/setup --dev installs it)")
    setups = []
    for item in opts.servers.split(","):
        tree, workers, sync = (item.split(":") + ["", ""])[:3]
        if tree == "base" and opts.baseline is None:
            sys.exit("error: --servers names `base` but no --baseline SRC_DIR was given")
        hide = tuple(x for x in opts.baseline_hides.split(",") if x) if tree == "base" else ()
        setups.append((item, opts.baseline.resolve() if tree == "base" else ROOT / "src", int(workers or 1), hide, sync))
    results: dict[str, list[dict]] = {}
    for rnd in range(opts.rounds):
        order = setups if rnd % 2 == 0 else list(reversed(setups))
        for name, src, workers, hide, sync in order:
            server = Server(src, workers, opts.cases, hide, sync)
            try:
                run_wrk(server, 0.0, opts.warmup, opts.connections)
                for share in (0.0, opts.draft_share):
                    r = run_wrk(server, share, opts.duration, opts.connections)
                    r.update(server=name, round=rnd + 1)
                    results.setdefault(f"{name} share={share}", []).append(r)
                    print(f"round {rnd + 1} {name:<8} drafts {share:4.0%}: {r['rps']:6.1f} req/s, read p50/p95/p99 "
                          f"{r['read_p50']:6.1f}/{r['read_p95']:6.1f}/{r['read_p99']:6.1f} ms, draft p50/p95 "
                          f"{r['draft_p50']:6.1f}/{r['draft_p95']:6.1f} ms (n={r['draft_n']}), server CPU "
                          f"{r['cpu_ms_per_request']:.2f} ms/req ({r['server_cores']:.2f} cores), wrk CPU "
                          f"{r['wrk_cpu_s']:.1f} s, load {r['load']:.1f}, errors {r['errors'] or 0}", flush=True)
                    if opts.json:
                        with opts.json.open("a") as f:
                            f.write(json.dumps(r) + "\n")
            finally:
                server.stop()
            time.sleep(1)
    print("\nmin / median over rounds")
    for key, rs in results.items():
        def mm(field: str, best=min, rs=rs) -> str:
            xs = [r[field] for r in rs]
            return f"{best(xs):.1f} / {statistics.median(xs):.1f}"

        print(f"{key:<22} req/s {mm('rps', max)} (max / median)  read p95 {mm('read_p95')} ms  "
              f"read p50 {mm('read_p50')} ms  CPU/req {mm('cpu_ms_per_request')} ms")


if __name__ == "__main__":
    main()
