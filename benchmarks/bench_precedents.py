"""Precedent index at scale: build a synthetic corpus from real letters, index it, query it, audit it.

    .venv/bin/python benchmarks/bench_precedents.py [--items 200000] [--letters-dir DIR] [--workers 2]

The synthetic corpus is made from real letters by recombining their parts: each synthetic letter
takes 1-4 decided items (request, decision, guidelines, rationale) drawn from the real items, and a
clinical case summary whose sentences are drawn from two or three real summaries (so the extractor
reads new text for every letter, not a cached one). Real letters come from `--letters-dir` (default
`../shared/real-letters/dev` beside the repo, else the seed letters in tests/data/seeds).

Reported: corpus write; index build (classifier + extractor + hashing, `--workers` processes);
incremental update with 1% new letters; opening the index; `similar` per query (median, p95; a
request string alone and a case-like query with facts); `audit` over the whole index. As a baseline
measured in the same run: reading the corpus with DuckDB (`load_corpus`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from openimr.letters.corpus import find_letters, to_record  # noqa: E402
from openimr.letters.reader import parse_letter_file  # noqa: E402

_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def real_records(letters_dir: Path) -> list[dict]:
    out = []
    for p in find_letters([letters_dir]):
        if isinstance(p, Exception):
            continue
        try:
            out.append(to_record(parse_letter_file(p), str(p)))
        except Exception:  # noqa: BLE001 - a letter the reader cannot read is left out of the pool
            continue
    return out


def synthetic_corpus(real: list[dict], n_items: int, seed: int = 7, start: int = 0) -> list[dict]:
    rng = random.Random(seed)
    items = [it for r in real for it in r["items"]]
    sentences = [_SENT.split(r["clinical_case_summary"]) for r in real if r["clinical_case_summary"]]
    base = dt.date(2016, 1, 1)
    out: list[dict] = []
    made = 0
    n = start
    while made < n_items:
        k = min(rng.choice((1, 1, 2, 2, 2, 3, 4)), n_items - made)
        parts = rng.sample(sentences, k=min(len(sentences), rng.choice((2, 3))))
        first, rest = parts[0], [s for p in parts[1:] for s in p[1:]]
        summary = " ".join(first[:1] + rng.sample(first[1:] + rest, k=min(len(first) - 1 + len(rest), 8)))
        src = rng.choice(real)
        rec = {**src, "source": f"synthetic/SY{n:07d}.txt", "case_number": f"SY{n:07d}", "clinical_case_summary": summary,
               "items": [dict(rng.choice(items)) for _ in range(k)],
               "decision_date": (base + dt.timedelta(days=rng.randrange(1500))).isoformat()}
        out.append(rec)
        made += k
        n += 1
    return out


def write_jsonl(records: list[dict], path: Path, mode: str = "w") -> None:
    with path.open(mode, encoding="utf-8") as fh:
        for r in records:
            fh.write(json.dumps(r, ensure_ascii=False, default=str) + "\n")


def cpu() -> float:
    """CPU seconds used so far by this process and its finished children (the index workers): the
    work done, whatever else the shared machine was running."""
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def ms(xs: list[float]) -> str:
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, int(0.95 * len(xs)))]
    return f"median {1000 * statistics.median(xs):.1f} ms, p95 {1000 * p95:.1f} ms, max {1000 * xs[-1]:.1f} ms"


def build(args, real: list[dict], corpus: Path, index_dir: Path) -> None:  # noqa: ANN001
    from openimr.letters.stats import load_corpus
    from openimr.precedents.corpus import index_corpus

    t = time.perf_counter()
    records = synthetic_corpus(real, args.items)
    write_jsonl(records, corpus)
    print(f"synthetic corpus: {len(records)} letters, {args.items} items, "
          f"{corpus.stat().st_size / 1e6:.0f} MB, made in {time.perf_counter() - t:.1f} s")

    t = time.perf_counter()
    load_corpus(corpus)
    baseline = time.perf_counter() - t
    print(f"baseline, reading the corpus with DuckDB (load_corpus): {baseline:.1f} s")

    t, c = time.perf_counter(), cpu()
    _, rep = index_corpus(corpus, index_dir, workers=args.workers)
    took, build_cpu = time.perf_counter() - t, cpu() - c
    print(f"index build ({args.workers} workers): {took:.1f} s = {took / 60:.1f} min wall, {build_cpu:.0f} CPU-s "
          f"(= {build_cpu / args.workers / 60:.1f} min on {args.workers} idle cores) "
          f"({rep.items_total} items; {took / baseline:.1f}x the baseline read)")

    extra = synthetic_corpus(real, args.items // 100, seed=8, start=len(records))
    write_jsonl(extra, corpus, mode="a")
    t = time.perf_counter()
    _, rep2 = index_corpus(corpus, index_dir, workers=args.workers)
    upd = time.perf_counter() - t
    print(f"incremental update (+{rep2.letters_added} letters, +{rep2.items_added} items): {upd:.1f} s "
          f"(of which reading the corpus is most)")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", type=int, default=200_000)
    ap.add_argument("--letters-dir", type=Path, default=ROOT.parent.parent / "shared" / "real-letters" / "dev")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--keep", type=Path, default=None, help="Keep the corpus and index in this folder.")
    ap.add_argument("--no-audit", action="store_true")
    ap.add_argument("--reuse", action="store_true",
                    help="With --keep: reuse the corpus and index kept there (time open, queries, audit only).")
    args = ap.parse_args()

    from openimr.precedents.audit import run_audit
    from openimr.precedents.index import PrecedentIndex
    from openimr.precedents.query import case_query, item_precedents, request_query

    letters_dir = args.letters_dir if args.letters_dir.is_dir() else ROOT / "tests" / "data" / "seeds"
    real = real_records(letters_dir)
    n_real = sum(len(r["items"]) for r in real)
    print(f"pool: {len(real)} real letters, {n_real} items from {letters_dir}")
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-precedents-"))
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "corpus.jsonl"
    index_dir = work / "corpus.jsonl.precedents"
    if not (args.reuse and corpus.exists() and (index_dir / "manifest.json").exists()):
        build(args, real, corpus, index_dir)
    t = time.perf_counter()
    idx = PrecedentIndex.open(index_dir)
    print(f"open index: {time.perf_counter() - t:.2f} s ({len(idx)} items)")

    rng = random.Random(11)
    reqs = [it["request"] for r in real for it in r["items"]]
    req_q = [request_query(rng.choice(reqs)) for _ in range(args.queries)]
    from openimr.precedents.features import summary_case

    case_q = []
    for _ in range(max(20, args.queries // 5)):
        r = rng.choice(real)
        case_q += case_query(summary_case(r["clinical_case_summary"], [i["request"] for i in r["items"]]))
    for label, qs in (("request", req_q), ("case item (with facts)", case_q)):
        times = []
        for q in qs:
            t = time.perf_counter()
            item_precedents(idx, q, k=10)
            times.append(time.perf_counter() - t)
        print(f"similar, {label}, top 10, {len(qs)} queries: {ms(times)}")

    import subprocess

    t = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "openimr"), "letters", "similar", "Physical therapy 2x6 lumbar",
                    "--corpus", str(corpus), "--index", str(index_dir), "--json"], check=True, capture_output=True)
    print(f"`openimr letters similar` from the command line, cold (start-up, imports, opening the index): "
          f"{time.perf_counter() - t:.1f} s")

    if not args.no_audit:
        t, c = time.perf_counter(), cpu()
        res = run_audit(idx, workers=args.workers)
        aud, aud_cpu = time.perf_counter() - t, cpu() - c
        print(f"audit ({args.workers} workers): {aud:.1f} s = {aud / 60:.1f} min wall, {aud_cpu:.0f} CPU-s (this "
              f"process; joblib workers not counted); {res.checked} items checked, "
              f"{len(res.outliers)} outliers")


if __name__ == "__main__":
    main()
