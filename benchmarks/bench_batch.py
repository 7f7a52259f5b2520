"""Folder review (issue 15): peak memory and time of `openimr review DIR --out results.jsonl`.

    .venv/bin/python benchmarks/bench_batch.py [--baseline SRC_DIR] [--cases 10,1000] [--jobs 1,2]

The folder holds copies of examples/case.json. Each run is a fresh process; its peak resident memory
(ru_maxrss) and CPU time come from `wait4`, the wall time from the clock (the machine is shared: wall
time is the noisiest figure). With `--baseline SRC_DIR` (the `src` folder of another checkout) the
baseline runs beside this tree in the same session (it has no --jobs: it runs with one process), and
the two outputs are compared byte for byte.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENTRY = "import sys; from openimr.cli.app import main; sys.argv[0] = 'openimr'; main()"


FACTS_CACHE = "0"  # the folder holds copies of one case: with the facts cache on, all but the first are re-drafts


def run(src: Path, folder: Path, out: Path, jobs: int | None) -> tuple[float, float, float]:
    """(peak MiB of the main process, CPU s of it and its worker processes, wall s)."""
    args = [sys.executable, "-c", ENTRY, "review", str(folder), "--out", str(out)]
    if jobs is not None:
        args += ["--jobs", str(jobs)]
    t = time.perf_counter()
    proc = subprocess.Popen(args, env={**os.environ, "PYTHONPATH": str(src), "OPENIMR_FACTS_CACHE": FACTS_CACHE}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{src}: review {folder} failed")
    return usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime, wall


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", type=Path)
    ap.add_argument("--cases", default="10,1000")
    ap.add_argument("--jobs", default="1,2")
    ap.add_argument("--facts-cache", action="store_true", help="keep this tree's in-process facts cache on")
    opts = ap.parse_args()
    global FACTS_CACHE
    FACTS_CACHE = "1" if opts.facts_cache else "0"
    tmp = Path(tempfile.mkdtemp(prefix="openimr-bench-batch-"))
    try:
        for n in (int(x) for x in opts.cases.split(",")):
            folder = tmp / f"cases-{n}"
            folder.mkdir()
            for i in range(n):
                shutil.copy(ROOT / "examples" / "case.json", folder / f"case-{i:05d}.json")
            runs = [("this", ROOT / "src", int(j)) for j in opts.jobs.split(",")]
            if opts.baseline:
                runs.insert(0, ("baseline", opts.baseline.resolve(), None))
            outputs = {}
            for name, src, jobs in runs:
                out = tmp / f"out-{name}-{jobs}-{n}.jsonl"
                peak, cpu, wall = run(src, folder, out, jobs)
                outputs[(name, jobs)] = out.read_bytes()
                label = name if jobs is None else f"{name} --jobs {jobs}"
                print(f"{n:>5} cases  {label:<18} peak {peak:7.1f} MiB  CPU (with its workers) {cpu:6.1f} s  "
                      f"wall {wall:6.1f} s", flush=True)
            same = len(set(outputs.values())) == 1
            print(f"{n:>5} cases  outputs byte-identical across runs: {same}", flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
