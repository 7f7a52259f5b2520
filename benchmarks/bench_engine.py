"""Benchmark the determination engine: `draft_case` (extraction + classification + judgement + letter).

    .venv/bin/python benchmarks/bench_engine.py [--cases 1000] [--repeat 30]

1. Typical case: up to 20 pages of records (about 3,000 characters a page) and 5 disputed items; the
   median and 90th percentile of wall time per case over `--repeat` runs (one core, warm process).
2. Batch: `--cases` distinct cases (varied from the labeled set) drafted one after another, as
   `openimr review FOLDER` does; cases per second.

The in-process facts cache (openimr.extract.cache) is off unless `--facts-cache` is given: with it, every
draft of the same case after the first is a re-draft (see bench_warm.py for those).
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import os
import statistics
import time
from pathlib import Path

import yaml

from openimr.engine import draft_case
from openimr.engine.core import review_case
from openimr.extract import extract_facts
from openimr.extract.caseio import load_case
from openimr.guidelines.knowledge_base import default_knowledge_base
from openimr.models.case import CaseFile, Document

ROOT = Path(__file__).resolve().parents[1]
PAGE = 3000


def typical_case(pages: int = 20) -> CaseFile:
    """The example case grown to `pages` pages with earlier progress notes, 5 disputed items."""
    case = load_case(ROOT / "examples" / "case.json")
    notes = [d for d in case.documents if d.type == "progress_note"]
    docs = list(case.documents)
    i = 0
    while sum(len(d.text) for d in docs) < pages * PAGE:
        src = notes[i % len(notes)]
        day = src.date - dt.timedelta(days=30 * (i + 1))
        text = src.text.replace(src.date.strftime("%m/%d/%Y"), day.strftime("%m/%d/%Y"))
        docs.append(src.model_copy(update={"id": f"pr-older-{i}", "date": day, "text": text}))
        i += 1
    return case.model_copy(update={"documents": docs})


def distinct_case(pages: int = 20) -> CaseFile:
    """The example case (its 5 items) with ~`pages` pages of records in which no document's text repeats:
    the example's documents, then every distinct document of the labeled cases, then the gold texts,
    until the pages are filled (a record that is not made of copies of one note; issue 15)."""
    case = load_case(ROOT / "examples" / "case.json")
    docs = list(case.documents)
    seen = {d.text for d in docs}
    day = max(d.date for d in docs if d.date)
    sources = [(d.type, d.date, d.text) for c in labeled_cases() for d in c.documents]
    for path in sorted((ROOT / "tests" / "data" / "gold").glob("*.yaml")):
        sources += [("progress_note", day, r["text"]) for r in yaml.safe_load(path.read_text()) or []
                    if isinstance(r, dict) and isinstance(r.get("text"), str)]
    for k, (kind, date, text) in enumerate(sources):
        if sum(len(d.text) for d in docs) >= pages * PAGE:
            break
        if not text.strip() or text in seen:
            continue
        seen.add(text)
        docs.append(Document(id=f"distinct-{k}", type=kind, date=date, text=text))
    return case.model_copy(update={"documents": docs})


def labeled_cases() -> list[CaseFile]:
    out = []
    for p in sorted((ROOT / "tests" / "data" / "cases").glob("*.yaml")):
        out.append(CaseFile.model_validate(yaml.safe_load(p.read_text())["case"]))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=30)
    ap.add_argument("--facts-cache", action="store_true",
                    help="keep the in-process facts cache on (by default it is off, so each draft reads its record)")
    args = ap.parse_args()
    if not args.facts_cache:
        os.environ["OPENIMR_FACTS_CACHE"] = "0"  # repeated drafts of one case would otherwise be re-drafts

    kb = default_knowledge_base()
    t0 = time.perf_counter()
    draft_case(load_case(ROOT / "examples" / "case.json"), kb)  # warm: loads the NLP pipeline once
    print(f"first draft (pipeline load included): {(time.perf_counter() - t0) * 1000:.0f} ms")

    case = typical_case()
    chars = sum(len(d.text) for d in case.documents)
    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        draft_case(case, kb)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p90 = times[int(0.9 * (len(times) - 1))]
    print(f"typical case: {len(case.documents)} documents, {chars:,} characters (~{chars / PAGE:.0f} pages), "
          f"{len(case.disputed_items)} items: median {statistics.median(times):.1f} ms, p90 {p90:.1f} ms")

    facts = extract_facts(case)
    et, rt = [], []
    for _ in range(max(3, args.repeat // 3)):
        t = time.perf_counter()
        extract_facts(case)
        et.append((time.perf_counter() - t) * 1000)
    for _ in range(args.repeat):
        t = time.perf_counter()
        review_case(case, kb, facts=facts)
        rt.append((time.perf_counter() - t) * 1000)
    print(f"  of which fact extraction (openimr.extract) median {statistics.median(et):.1f} ms; "
          f"engine alone (classify, resolve, derive, judge, rationale, summary, letter) median {statistics.median(rt):.1f} ms")

    small = load_case(ROOT / "examples" / "case.json")
    st = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        draft_case(small, kb)
        st.append((time.perf_counter() - t) * 1000)
    print(f"example case ({sum(len(d.text) for d in small.documents):,} characters, 5 items): median {statistics.median(st):.1f} ms")

    base = labeled_cases()
    batch = []
    for i in range(args.cases):
        c = copy.deepcopy(base[i % len(base)])
        c.case_number = f"BENCH-{i:05d}"
        batch.append(c)
    t = time.perf_counter()
    items = 0
    for c in batch:
        items += len(draft_case(c, kb).items)
    secs = time.perf_counter() - t
    print(f"batch: {len(batch)} cases ({items} items) in {secs:.1f} s = {len(batch) / secs:.1f} cases/s, "
          f"{secs / len(batch) * 1000:.1f} ms per case")


if __name__ == "__main__":
    main()
