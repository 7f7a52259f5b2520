"""Leave-one-out study: would the precedent majority have matched the real decision?

For every decided item of a corpus, its precedents are found in the same corpus with its own letter
left out (the query is the item's request and the facts of its letter's clinical case summary, as a
case would be). The majority decision of its same-topic precedents is compared with the reviewer's
real decision, per topic, beside the engine's own agreement (from the per-item report of
`openimr eval --letters --json`) and the always-Upheld baseline.

    python -m openimr.precedents.study CORPUS [--engine-report eval.json] [--k 5] [--json OUT] [--markdown]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from openimr.precedents import features as F
from openimr.precedents.index import PrecedentIndex, classify_request
from openimr.precedents.query import QueryItem, item_precedents, majority


def engine_decisions(report: dict[str, Any] | list[Any]) -> dict[tuple[str, str], str | None]:
    """(letter, request) -> the engine's draft decision, from an `eval --letters --json` report."""
    if isinstance(report, dict):
        rows = report.get("rows") if isinstance(report.get("rows"), list) else report.get("items", [])
    else:
        rows = report
    out: dict[tuple[str, str], str | None] = {}
    for r in rows:
        if not isinstance(r, dict) or "request" not in r:
            continue
        letter = F.letter_key({"case_number": r.get("case_number"), "source": r.get("file") or r.get("source")})
        out[(letter, r["request"])] = r.get("engine_decision")
    return out


def leave_one_out(records: list[dict[str, Any]], index: PrecedentIndex, k: int = 5,
                  engine: dict[tuple[str, str], str | None] | None = None) -> list[dict[str, Any]]:
    """One row per decided item: its precedents (own letter excluded), their majority, the engine's."""
    rows = []
    for rec in records:
        key = F.letter_key(rec)
        items = [it for it in rec.get("items") or [] if it.get("decision") in ("Upheld", "Overturned")]
        words = F.summary_facts(rec.get("clinical_case_summary") or "", [it.get("request") or "" for it in items])
        for it in items:
            q = QueryItem(request=it["request"], classified=classify_request(it["request"]), fact_words=words)
            ip = item_precedents(index, q, k=k, exclude_letters=[key], fill=False)
            maj = majority(ip.precedents)
            rows.append({
                "letter": key, "request": it["request"], "topic": q.topic, "real_decision": it["decision"],
                "precedent_majority": maj, "share_upheld": ip.share_upheld,
                "engine_decision": (engine or {}).get((key, it["request"])),
                "precedents": [{"letter": p.letter, "request": p.request, "decision": p.decision,
                                "similarity": p.similarity} for p in ip.precedents],
            })
    return rows


def summarize(rows: list[dict[str, Any]], with_engine: bool) -> list[dict[str, Any]]:
    """Per topic (and "all"): items, items with a precedent majority, how often it matches the real
    decision (of all items: no majority counts as a miss), the engine's agreement, always-Upheld."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in rows:
        groups[r["topic"] or "(unclassified)"].append(r)
        groups["all"].append(r)
    out = []
    for topic, rs in sorted(groups.items(), key=lambda kv: (kv[0] == "all", -len(kv[1]), kv[0])):
        n = len(rs)
        with_maj = [r for r in rs if r["precedent_majority"]]
        out.append({
            "topic": topic, "items": n, "overturned": sum(r["real_decision"] == "Overturned" for r in rs),
            "with_majority": len(with_maj),
            "majority_matches": sum(r["precedent_majority"] == r["real_decision"] for r in with_maj),
            "engine_matches": sum(r["engine_decision"] == r["real_decision"] for r in rs) if with_engine else None,
            "always_upheld": sum(r["real_decision"] == "Upheld" for r in rs),
            "overturned_caught": sum(r["precedent_majority"] == "Overturned" == r["real_decision"] for r in rs),
        })
    return out


def _pct(a: int | None, b: int) -> str:
    return "-" if a is None or not b else f"{a}/{b} ({100 * a / b:.0f}%)"


def markdown(summary: list[dict[str, Any]]) -> str:
    lines = ["| topic | items | overturned | precedent majority = real (of items with a majority) | "
             "precedent majority = real (of all items) | Overturned items with an Overturned majority | "
             "engine = real | always Upheld |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for s in summary:
        name = f"**{s['topic']}**" if s["topic"] == "all" else s["topic"]
        lines.append(f"| {name} | {s['items']} | {s['overturned']} | {_pct(s['majority_matches'], s['with_majority'])} | "
                     f"{_pct(s['majority_matches'], s['items'])} | {_pct(s['overturned_caught'], s['overturned'])} | "
                     f"{_pct(s['engine_matches'], s['items'])} | "
                     f"{_pct(s['always_upheld'], s['items'])} |")
    return "\n".join(lines)


def items_markdown(rows: list[dict[str, Any]], shown: int = 5) -> str:
    """One line per item: its real decision, the precedent majority, the engine's, and its precedents."""
    lines = ["| letter | request | topic | real | precedent majority | engine | precedents (decision, similarity, letter) |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        precs = "; ".join(f"{p['decision']} {p['similarity']:.2f} {p['letter']}" for p in r["precedents"][:shown])
        request = r["request"].replace("|", "/")
        request = request if len(request) <= 70 else request[:69] + "\u2026"
        lines.append(f"| {r['letter']} | {request} | {r['topic'] or '-'} | {r['real_decision']} | "
                     f"{r['precedent_majority'] or '-'} | {r['engine_decision'] or '-'} | {precs or '-'} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from openimr.errors import InputError
    from openimr.letters.stats import load_corpus
    from openimr.precedents.corpus import index_corpus

    ap = argparse.ArgumentParser(prog="python -m openimr.precedents.study", description=__doc__.split("\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--engine-report", type=Path, help="JSON of `openimr eval --letters DIR --json`.")
    ap.add_argument("--k", type=int, default=5, help="Same-topic precedents per item (default 5).")
    ap.add_argument("--json", type=Path, help="Write the per-item rows and the summary here.")
    ap.add_argument("--markdown", action="store_true", help="Print the summary as a Markdown table.")
    ap.add_argument("--items-markdown", type=Path, help="Write every item with its precedents here (Markdown).")
    args = ap.parse_args(argv)
    try:
        folder, _ = index_corpus(args.corpus, workers=1)
        index = PrecedentIndex.open(folder)
        records = load_corpus(args.corpus)
        engine = None
        if args.engine_report:
            engine = engine_decisions(json.loads(args.engine_report.read_text(encoding="utf-8")))
    except (InputError, OSError, json.JSONDecodeError) as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    rows = leave_one_out(records, index, k=args.k, engine=engine)
    summary = summarize(rows, with_engine=engine is not None)
    if args.json:
        from openimr.letters.corpus import atomic_write_bytes

        atomic_write_bytes(args.json, json.dumps({"k": args.k, "summary": summary, "items": rows}, indent=1,
                                                 ensure_ascii=False, default=str).encode("utf-8"))
    if args.items_markdown:
        from openimr.letters.corpus import atomic_write_bytes

        atomic_write_bytes(args.items_markdown, (items_markdown(rows) + "\n").encode("utf-8"))
    if args.markdown:
        print(markdown(summary))
    else:
        for r in rows:
            precs = ", ".join(f"{p['decision'][0]} {p['similarity']:.2f} {p['letter']}" for p in r["precedents"])
            print(f"{r['letter']} | {r['request'][:50]} | real {r['real_decision']} | majority "
                  f"{r['precedent_majority'] or '-'} | engine {r['engine_decision'] or '-'} | {precs}")
        print(markdown(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
