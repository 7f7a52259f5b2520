"""Cold start of the `openimr` command (issue 15): CPU time (user + system) of a fresh process.

    .venv/bin/python benchmarks/bench_coldstart.py [--baseline SRC_DIR] [--rounds N]

Each command runs in a new interpreter and its CPU time is read from `getrusage(RUSAGE_CHILDREN)`, so
other load on a shared machine adds less than it does to wall time (it still adds some: caches, memory
bandwidth). With `--baseline SRC_DIR` (the `src` folder of another checkout, e.g. `git archive main`
unpacked in /tmp) each round runs the baseline and this tree back to back, alternating which goes first,
and the report gives min and median of each and the ratio of the medians.

Each tree runs `review` once before timing, so that both are measured with their .pyc files compiled.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = {
    "--help": ["--help"],
    "classify": ["classify", "lumbar MRI without contrast"],
    "review case.json": ["review", str(ROOT / "examples" / "case.json")],
}
ENTRY = "import sys; from openimr.cli.app import main; sys.argv[0] = 'openimr'; main()"


def cpu_of(src: Path, args: list[str]) -> float:
    env = {**os.environ, "PYTHONPATH": str(src)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, "-c", ENTRY, *args], env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{src}: openimr {' '.join(args)} failed: {proc.stderr.decode()[-400:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", type=Path, help="src folder of the baseline checkout")
    ap.add_argument("--rounds", type=int, default=5)
    opts = ap.parse_args()
    trees = {"this": ROOT / "src"}
    if opts.baseline:
        trees = {"baseline": opts.baseline.resolve(), **trees}
    for src in trees.values():  # warm: imports compiled to .pyc
        cpu_of(src, COMMANDS["review case.json"])
    times: dict[tuple[str, str], list[float]] = {}
    for r in range(opts.rounds):
        order = list(trees.items()) if r % 2 == 0 else list(reversed(trees.items()))
        for label, args in COMMANDS.items():
            for name, src in order:
                times.setdefault((label, name), []).append(cpu_of(src, args))
    print(f"CPU seconds (user+system), {opts.rounds} rounds; min / median")
    for label in COMMANDS:
        cells = []
        for name in trees:
            t = times[(label, name)]
            cells.append(f"{name} {min(t):.3f} / {statistics.median(t):.3f}")
        line = f"  {label:<18} " + "   ".join(cells)
        if opts.baseline:
            line += f"   ratio {statistics.median(times[(label, 'this')]) / statistics.median(times[(label, 'baseline')]):.2f}"
        print(line)


if __name__ == "__main__":
    main()
