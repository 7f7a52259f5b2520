"""Request classifier and drug lexicon: accuracy on the labeled sets and throughput.

    .venv/bin/python benchmarks/bench_classifier.py [--rounds N]

Prints per-field accuracy on tests/data/requests.yaml and the two held-out sets, requests/s of
`classify` (warm: knowledge base and lexicon loaded), and characters/s of `find_drug_mentions` over
the seed letters.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from openimr.guidelines.accuracy import load_labeled, score  # noqa: E402
from openimr.guidelines.classifier import classify  # noqa: E402
from openimr.guidelines.drugs import default_lexicon, find_drug_mentions  # noqa: E402
from openimr.guidelines.knowledge_base import default_knowledge_base  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    t0 = time.perf_counter()
    kb = default_knowledge_base()
    lex = default_lexicon()
    classify("warm up", kb=kb)
    print(f"load: knowledge base ({len(kb.topics)} topics) + lexicon ({len(lex)} names, {len(lex.entries)} drugs) "
          f"+ first classify: {(time.perf_counter() - t0) * 1000:.0f} ms")

    for name in ("requests.yaml", "requests_holdout.yaml", "requests_holdout2.yaml"):
        items = load_labeled(ROOT / "tests" / "data" / name)
        result, _ = score(items, kb=kb)
        print(f"\n{name}: {len(items)} strings")
        for field, total, correct, acc in result.table():
            print(f"  {field:15s} {correct:4d}/{total:<4d} {acc:7.2%}")

    texts = [i["text"] for i in load_labeled(ROOT / "tests" / "data" / "requests.yaml")]
    rates = []
    for _ in range(args.rounds):
        t = time.perf_counter()
        for text in texts:
            classify(text, kb=kb)
        rates.append(len(texts) / (time.perf_counter() - t))
    print(f"\nclassify: {statistics.median(rates):,.0f} requests/s (median of {args.rounds} rounds over "
          f"{len(texts)} strings; {1000 / statistics.median(rates):.2f} ms each)")

    seeds = sorted((ROOT / "tests" / "data" / "seeds").glob("*.txt")) or sorted(Path("/work/shared/seeds").glob("*.txt"))
    if seeds:
        corpus = [p.read_text(encoding="utf-8", errors="replace") for p in seeds]
        chars = sum(len(c) for c in corpus)
        rates = []
        for _ in range(args.rounds * 10):
            t = time.perf_counter()
            for c in corpus:
                find_drug_mentions(c)
            rates.append(chars / (time.perf_counter() - t))
        print(f"find_drug_mentions: {statistics.median(rates) / 1e6:.1f} M characters/s over {len(corpus)} letters "
              f"({chars:,} characters)")


if __name__ == "__main__":
    main()
