"""Warm drafts (issue 15): CPU of a 20-page draft in a warm process, and of a re-draft of an unchanged record.

    .venv/bin/python benchmarks/bench_warm.py [--baseline SRC_DIR] [--rounds 5] [--repeat 7] [--distinct]

Each round starts one fresh process per tree (with `--baseline SRC_DIR`, the `src` folder of another
checkout, the two alternate which goes first). In it the knowledge base is loaded and the example case
drafted once (pipeline built, caches of words filled), then:

- 20-page draft: `bench_engine.typical_case()` (the example grown to ~20 pages, 5 items) drafted
  `--repeat` times, the in-process facts cache (`openimr.extract.cache`, where the tree has one)
  emptied before each, so every draft reads the whole record; median CPU (process time) per draft;
- re-draft: the same case drafted again with the cache left as the previous draft filled it; median.
  (In a tree without a facts cache this is a full draft again.)

The report gives, per tree, min and median over rounds of those medians, and the ratio of medians.

`--distinct`: the 20 pages are `bench_engine.distinct_case()` instead: the example's documents, then the
labeled cases' and the gold set's distinct documents, no text repeated (the standard 20 pages are copies
of the example's two progress notes with the dates changed, which favours whatever remembers repeated
text, as a record written by copy-forward does).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import gc, json, statistics, sys, time
sys.path.insert(0, BENCH)
from bench_engine import CASE_FN
from openimr.engine import draft_case
from openimr.extract.caseio import load_case
from openimr.guidelines.knowledge_base import default_knowledge_base
try:
    from openimr.extract import cache
except ImportError:
    cache = None
kb = default_knowledge_base()
draft_case(load_case(EXAMPLE), kb)
case = CASE_FN()
full, again = [], []
for _ in range(REPEAT):
    if cache is not None:
        cache.clear()
    t = time.process_time(); draft_case(case, kb); full.append(time.process_time() - t)
for _ in range(REPEAT):
    t = time.process_time(); draft_case(case, kb); again.append(time.process_time() - t)
print(json.dumps({"full": statistics.median(full), "again": statistics.median(again)}))
"""


def run(src: Path, repeat: int, distinct: bool = False) -> dict[str, float]:
    code = (CHILD.replace("BENCH", repr(str(ROOT / "benchmarks"))).replace("EXAMPLE", repr(str(ROOT / "examples" / "case.json")))
            .replace("REPEAT", str(repeat)).replace("CASE_FN", "distinct_case" if distinct else "typical_case"))
    proc = subprocess.run([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(src)}, capture_output=True,
                          text=True, check=False)
    if proc.returncode != 0:
        raise SystemExit(f"{src}: {proc.stderr[-600:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", type=Path)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--distinct", action="store_true", help="20 pages of distinct documents instead of copies of the example's notes")
    opts = ap.parse_args()
    trees = {"this": ROOT / "src"}
    if opts.baseline:
        trees = {"baseline": opts.baseline.resolve(), **trees}
    got: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for r in range(opts.rounds):
        order = list(trees.items()) if r % 2 == 0 else list(reversed(trees.items()))
        for name, src in order:
            got[name].append(run(src, opts.repeat, opts.distinct))
        print(f"round {r + 1}: " + "   ".join(
            f"{n} 20-page {got[n][-1]['full'] * 1000:.0f} ms, re-draft {got[n][-1]['again'] * 1000:.1f} ms" for n in trees), flush=True)
    what = "20 pages of distinct documents (--distinct)" if opts.distinct else "20 pages (the example's notes, copied)"
    print(f"{what}: CPU ms per draft (median of {opts.repeat} in each process), {opts.rounds} rounds; min / median over rounds")
    for what, label in (("full", "20-page draft"), ("again", "re-draft, unchanged")):
        cells = []
        for name in trees:
            xs = [g[what] * 1000 for g in got[name]]
            cells.append(f"{name} {min(xs):.1f} / {statistics.median(xs):.1f}")
        line = f"  {label:<20} " + "   ".join(cells)
        if opts.baseline:
            base = statistics.median(g["full"] for g in got["baseline"])
            line += f"   ratio to the baseline's 20-page draft {statistics.median(g[what] for g in got['this']) / base:.2f}"
        print(line)


if __name__ == "__main__":
    main()
