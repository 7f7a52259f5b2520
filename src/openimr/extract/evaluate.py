"""Score the extractor against a hand-annotated gold set: precision / recall / F1 per fact type.

    .venv/bin/python -m openimr.extract.evaluate tests/data/gold [--split dev|heldout] [--errors]

A gold file is YAML: a list of documents, each with `id`, `type`, `split` (dev / heldout / heldout2 / heldout3 / heldout4), optional
`request_date`, `text`, and `expected` facts (see docs/extraction.md for the annotation rules):

    expected:
      injured_worker: {age: 52, sex: male, date_of_injury: '2012-03-14'}
      medications: [[generic, status, since-or-null], ...]
      findings: [[name, present], ...]
      pain: [[score, context-or-null], ...]
      sessions: [[treatment kind, count], ...]
      treatment_dates: [[treatment kind, 'YYYY-MM-DD'], ...]
      studies: [[modality, finding, level-or-null, present], ...]

Fact types scored (a fact is a tuple; per document, set semantics except pain, which is a multiset):
medications (generic, status, since), findings (name, present), pain (score, context),
sessions (kind, count), dates (date of injury, each medication's `since`, treatment dates),
studies (modality, finding, level, present), injured_worker (age, sex).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from openimr.models.case import CaseFile, DisputedItem, Document, RequestForAuthorization
from openimr.models.facts import CaseFacts

TYPES = ("medications", "findings", "pain", "sessions", "dates", "studies", "injured_worker")


def _s(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    """All gold documents from a YAML file or a directory of them (sorted by file name)."""
    p = Path(path)
    files = sorted(p.glob("*.yaml")) if p.is_dir() else [p]
    docs: list[dict[str, Any]] = []
    for f in files:
        for d in yaml.safe_load(f.read_text(encoding="utf-8")) or []:
            d["_file"] = f.name
            docs.append(d)
    return docs


def gold_case(doc: dict[str, Any]) -> CaseFile:
    rd = doc.get("request_date")
    return CaseFile(
        disputed_items=[DisputedItem(request="(gold set)")],
        documents=[Document(id=doc["id"], type=doc.get("type", "progress_note"), text=doc["text"])],
        request_for_authorization=RequestForAuthorization(date=dt.date.fromisoformat(_s(rd))) if rd else None,  # type: ignore[arg-type]
    )


def expected_tuples(doc: dict[str, Any]) -> dict[str, Counter]:
    e = doc.get("expected") or {}
    out: dict[str, Counter] = {t: Counter() for t in TYPES}
    out["medications"] = Counter({(m[0], m[1], _s(m[2])): 1 for m in e.get("medications") or []})
    out["findings"] = Counter({(f[0], bool(f[1])): 1 for f in e.get("findings") or []})
    out["pain"] = Counter((float(p[0]), p[1]) for p in e.get("pain") or [])
    out["sessions"] = Counter({(s[0], int(s[1])): 1 for s in e.get("sessions") or []})
    out["studies"] = Counter({(s[0], s[1], s[2], bool(s[3])): 1 for s in e.get("studies") or []})
    dates: set[tuple] = set()
    iw = e.get("injured_worker") or {}
    if iw.get("date_of_injury"):
        dates.add(("injury", _s(iw["date_of_injury"])))
    for m in e.get("medications") or []:
        if m[2]:
            dates.add(("since", m[0], _s(m[2])))
    for t in e.get("treatment_dates") or []:
        dates.add(("treatment", t[0], _s(t[1])))
    out["dates"] = Counter(dict.fromkeys(dates, 1))
    w: set[tuple] = set()
    if iw.get("age") is not None:
        w.add(("age", int(iw["age"])))
    if iw.get("sex"):
        w.add(("sex", iw["sex"]))
    out["injured_worker"] = Counter(dict.fromkeys(w, 1))
    return out


def predicted_tuples(facts: CaseFacts) -> dict[str, Counter]:
    out: dict[str, Counter] = {t: Counter() for t in TYPES}
    out["medications"] = Counter({(m.generic, m.status, m.since): 1 for m in facts.medications})
    out["findings"] = Counter({(f.name, f.present): 1 for f in facts.findings})
    out["pain"] = Counter((float(p.score), p.context) for p in facts.pain)
    out["sessions"] = Counter({(t.kind, t.sessions): 1 for t in facts.treatments if t.sessions is not None})
    out["studies"] = Counter({(s.modality, s.finding, s.level, s.present): 1 for s in facts.imaging + facts.electrodiagnostics})
    dates: set[tuple] = set()
    if facts.injured_worker.date_of_injury:
        dates.add(("injury", facts.injured_worker.date_of_injury.isoformat()))
    for m in facts.medications:
        if m.since:
            dates.add(("since", m.generic, m.since))
    for t in facts.treatments:
        for d in t.dates:
            dates.add(("treatment", t.kind, d))
    out["dates"] = Counter(dict.fromkeys(dates, 1))
    w: set[tuple] = set()
    if facts.injured_worker.age is not None:
        w.add(("age", facts.injured_worker.age))
    if facts.injured_worker.sex:
        w.add(("sex", facts.injured_worker.sex))
    out["injured_worker"] = Counter(dict.fromkeys(w, 1))
    return out


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(docs: list[dict[str, Any]], split: str | None = None) -> dict[str, Score]:
    from openimr.extract import extract_facts

    scores = {t: Score() for t in TYPES}
    for doc in docs:
        if split and doc.get("split", "dev") != split:
            continue
        # the gold records every statement a reader finds, the utilization reviewer's too: score the reading
        # before the stage that sets the reviewer's opinion aside (tested on its own)
        facts = extract_facts(gold_case(doc), ur_opinion=True)
        gold = expected_tuples(doc)
        pred = predicted_tuples(facts)
        for t in TYPES:
            g, p = gold[t], pred[t]
            tp = sum((g & p).values())
            s = scores[t]
            s.tp += tp
            s.fp += sum(p.values()) - tp
            s.fn += sum(g.values()) - tp
            for k in (p - g).elements():
                s.errors.append(f"{doc['id']}: FP {k}")
            for k in (g - p).elements():
                s.errors.append(f"{doc['id']}: FN {k}")
    return scores


def table(scores: dict[str, Score]) -> str:
    lines = ["| fact type | gold | predicted | TP | precision | recall | F1 |", "|---|---:|---:|---:|---:|---:|---:|"]
    for t, s in scores.items():
        lines.append(f"| {t} | {s.tp + s.fn} | {s.tp + s.fp} | {s.tp} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", help="gold YAML file or directory")
    ap.add_argument("--split", choices=["dev", "heldout", "heldout2", "heldout3", "heldout4"], default=None)
    ap.add_argument("--errors", action="store_true", help="list false positives / negatives")
    args = ap.parse_args(argv)
    docs = load_gold(args.gold)
    n = sum(1 for d in docs if not args.split or d.get("split", "dev") == args.split)
    scores = evaluate(docs, args.split)
    print(f"{n} documents" + (f" (split: {args.split})" if args.split else ""))
    print(table(scores))
    if args.errors:
        for t, s in scores.items():
            for e in s.errors:
                print(f"{t}: {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
