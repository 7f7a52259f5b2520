"""Labeled cases (YAML, in the spirit of OpenFisca's YAML tests) and the metrics `openimr eval` reports.

A labeled case file holds one case file and the expected outcome of each disputed item:

    name: soma-long-term
    description: why the label is what it is
    case: {...a CaseFile: documents, disputed_items, dates...}
    expected:
      - request: Soma 350mg #90          # must equal a disputed item's request
        decision: Upheld                 # Upheld | Overturned | Ineligible
        topic: carisoprodol
        mtus: true                       # optional: the guideline relied on is the MTUS
        sections: ["Carisoprodol (Soma)"] # optional: expected citation sections
        justification: carisoprodol.recommendation   # the KB criterion that decides the label

Metrics: accuracy (all labeled items), balanced accuracy (mean recall of Upheld and Overturned),
overturn precision and recall, citation agreement (items with expected sections: every expected
section is cited by the guideline relied on), topic agreement, and per-topic accuracy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from openimr import yamlio
from openimr.errors import InputError
from openimr.models.case import CaseFile


class Expected(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request: str
    decision: str = Field(pattern=r"^(Upheld|Overturned|Ineligible)$")
    topic: str | None = None
    mtus: bool | None = None
    sections: list[str] = Field(default_factory=list)
    justification: str | None = None


class LabeledCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    description: str = ""
    source: str | None = None  # e.g. "seed" for cases posed from a real letter
    case: CaseFile
    expected: list[Expected] = Field(min_length=1)


def load_labeled_case(path: Path) -> LabeledCase:
    try:
        raw = yamlio.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(str(path), f"cannot read labeled case ({type(exc).__name__})") from None
    if not isinstance(raw, dict):
        raise InputError(str(path), "a labeled case must be a mapping")
    try:
        lc = LabeledCase.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(str(path), f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}") from None
    requests = [i.request for i in lc.case.disputed_items]
    for e in lc.expected:
        if e.request not in requests:
            raise InputError(str(path), f"expected request {e.request!r} is not a disputed item")
    return lc


LABELS_FILE = "labels.yaml"


def load_labels_layout(root: Path) -> list[tuple[Path, LabeledCase]]:
    """A set written apart from the project (e.g. a blind held-out set): case files as JSON beside one
    `labels.yaml` whose `items` give, per item, `case` (the file name), `item_index` (0-based, in the
    order of the case's disputed items), `request` and `decision`; other keys (guideline, reason) are
    the author's notes and are not scored."""
    path = root / LABELS_FILE
    try:
        raw = yamlio.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(str(path), f"cannot read labels ({type(exc).__name__})") from None
    rows = raw.get("items") if isinstance(raw, dict) else None
    if not isinstance(rows, list) or not rows:
        raise InputError(str(path), "items: a list of labeled items is required")
    by_case: dict[str, list[dict[str, Any]]] = {}
    for n, row in enumerate(rows):
        if not isinstance(row, dict) or not {"case", "item_index", "decision"} <= row.keys():
            raise InputError(str(path), f"items.{n}: needs case, item_index and decision")
        by_case.setdefault(str(row["case"]), []).append(row)
    out: list[tuple[Path, LabeledCase]] = []
    for name, items in sorted(by_case.items()):
        cpath = root / name
        try:
            case = CaseFile.model_validate_json(cpath.read_bytes())
        except OSError as exc:
            raise InputError(str(cpath), f"cannot read case file ({type(exc).__name__})") from None
        except ValidationError as exc:
            err = exc.errors()[0]
            raise InputError(str(cpath), f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}") from None
        expected = []
        for row in items:
            idx = row["item_index"]
            if not isinstance(idx, int) or not 0 <= idx < len(case.disputed_items):
                raise InputError(str(path), f"{name} item_index {idx!r}: no such disputed item")
            request = case.disputed_items[idx].request
            if row.get("request") not in (None, request):
                raise InputError(str(path), f"{name} item {idx}: request {row['request']!r} is not {request!r}")
            try:
                expected.append(Expected(request=request, decision=row["decision"]))
            except ValidationError:
                raise InputError(str(path), f"{name} item {idx}: decision must be Upheld, Overturned or Ineligible") from None
        out.append((cpath, LabeledCase(name=cpath.stem, case=case, expected=expected)))
    return out


def load_labeled_dir(directory: Path | str) -> list[tuple[Path, LabeledCase]]:
    root = Path(directory)
    if not root.is_dir():
        raise InputError(str(root), "not a folder of labeled cases")
    if (root / LABELS_FILE).is_file():
        return load_labels_layout(root)
    files = sorted(list(root.glob("*.yaml")) + list(root.glob("*.yml")))
    if not files:
        raise InputError(str(root), "no labeled cases (*.yaml) found")
    return [(p, load_labeled_case(p)) for p in files]


def _section_match(expected: str, cited: list[str]) -> bool:
    e = expected.lower().strip()
    return any(c.lower().startswith(e) or e.startswith(c.lower()) for c in cited)


@dataclass
class ItemResult:
    case: str
    request: str
    topic_expected: str | None
    topic: str | None
    expected: str
    decision: str | None
    citation_ok: bool | None
    justification: str | None
    justification_ok: bool | None
    unable_to_decide: str | None = None

    @property
    def correct(self) -> bool:
        return self.decision == self.expected


BLANK_RECORD = "The patient was seen today."


def blank_record(case: CaseFile) -> CaseFile:
    """The same case with every document's text replaced by one empty sentence (requests and dates kept)."""
    docs = [d.model_copy(update={"text": BLANK_RECORD}) for d in case.documents]
    return case.model_copy(update={"documents": docs})


def decision_metrics(pairs: list[tuple[str, str | None]]) -> dict[str, Any]:
    """Accuracy, balanced accuracy and overturn precision/recall of (expected, drafted) pairs; an item
    left undecided counts as a miss."""
    n = len(pairs)
    recalls = []
    for cls in ("Upheld", "Overturned"):
        of = [d for e, d in pairs if e == cls]
        if of:
            recalls.append(sum(1 for d in of if d == cls) / len(of))
    pred_over = [e for e, d in pairs if d == "Overturned"]
    true_over = [d for e, d in pairs if e == "Overturned"]
    tp = sum(1 for e in pred_over if e == "Overturned")
    return {
        "accuracy": round(sum(1 for e, d in pairs if e == d) / n, 4) if n else 0.0,
        "balanced_accuracy": round(sum(recalls) / len(recalls), 4) if recalls else 0.0,
        "overturn_precision": round(tp / len(pred_over), 4) if pred_over else 0.0,
        "overturn_recall": round(tp / len(true_over), 4) if true_over else 0.0,
        "undecided_share": round(sum(1 for _, d in pairs if d is None) / n, 4) if n else 0.0,
    }


@dataclass
class EvalReport:
    items: list[ItemResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    blank_items: list[ItemResult] = field(default_factory=list)  # the same cases with blank records

    def metrics(self) -> dict[str, Any]:
        items = self.items
        n = len(items)
        correct = sum(1 for i in items if i.correct)
        recalls = []
        for cls in ("Upheld", "Overturned"):
            of = [i for i in items if i.expected == cls]
            if of:
                recalls.append(sum(1 for i in of if i.correct) / len(of))
        pred_over = [i for i in items if i.decision == "Overturned"]
        true_over = [i for i in items if i.expected == "Overturned"]
        tp = sum(1 for i in pred_over if i.expected == "Overturned")
        cited = [i for i in items if i.citation_ok is not None]
        topic_known = [i for i in items if i.topic_expected is not None]
        just = [i for i in items if i.justification_ok is not None]
        per_topic: dict[str, dict[str, Any]] = {}
        for i in items:
            t = per_topic.setdefault(i.topic_expected or "(none)", {"items": 0, "correct": 0, "overturned_expected": 0})
            t["items"] += 1
            t["correct"] += int(i.correct)
            t["overturned_expected"] += int(i.expected == "Overturned")
        for t in per_topic.values():
            t["accuracy"] = round(t["correct"] / t["items"], 4)
        return {
            "items": n,
            "cases": len({i.case for i in items}),
            "topics": len({i.topic_expected for i in items if i.topic_expected}),
            "overturned_share": round(len(true_over) / n, 4) if n else 0.0,
            "accuracy": round(correct / n, 4) if n else 0.0,
            "balanced_accuracy": round(sum(recalls) / len(recalls), 4) if recalls else 0.0,
            "overturn_precision": round(tp / len(pred_over), 4) if pred_over else 0.0,
            "overturn_recall": round(tp / len(true_over), 4) if true_over else 0.0,
            "citation_agreement": round(sum(1 for i in cited if i.citation_ok) / len(cited), 4) if cited else None,
            "topic_agreement": round(sum(1 for i in topic_known if i.topic == i.topic_expected) / len(topic_known), 4) if topic_known else None,
            "justification_agreement": round(sum(1 for i in just if i.justification_ok) / len(just), 4) if just else None,
            "per_topic": dict(sorted(per_topic.items())),
            "errors": list(self.errors),
            # what a score is worth: the same run on blank records, and the answer "Upheld" for every item
            "baseline_blank_record": decision_metrics([(i.expected, i.decision) for i in self.blank_items]),
            "baseline_always_upheld": decision_metrics([(i.expected, "Upheld") for i in items]),
        }


def evaluate_case(path: Path, lc: LabeledCase, kb=None, blank: bool = False) -> list[ItemResult]:
    from openimr.engine.core import review_case

    draft, outcomes = review_case(blank_record(lc.case) if blank else lc.case, kb)
    by_request = {o.item.request: o for o in outcomes}
    out: list[ItemResult] = []
    for e in lc.expected:
        o = by_request[e.request]
        it = o.item
        citation_ok = None
        if e.sections or e.mtus is not None:
            g = it.guideline
            cited = [s for c in (g.citations if g else []) for s in c.sections]
            ok = g is not None and all(_section_match(s, cited) for s in e.sections)
            if e.mtus is not None:
                ok = ok and g is not None and g.mtus == e.mtus
            citation_ok = ok
        justification_ok = None
        if e.justification:
            res = {c.id: c.met for c in it.criteria}
            if e.decision == "Overturned":
                justification_ok = res.get(e.justification, "absent") is True
            elif e.decision == "Upheld":
                justification_ok = e.justification in res and res[e.justification] is not True
            else:
                justification_ok = it.decision == "Ineligible"
        out.append(ItemResult(
            case=lc.name, request=e.request, topic_expected=e.topic, topic=it.topic, expected=e.decision,
            decision=it.decision, citation_ok=citation_ok, justification=e.justification,
            justification_ok=justification_ok, unable_to_decide=it.unable_to_decide,
        ))
    return out


def run_eval(directory: Path | str, kb=None) -> EvalReport:
    report = EvalReport()
    root = Path(directory)
    if not root.is_dir():
        raise InputError(str(root), "not a folder of labeled cases")
    if (root / LABELS_FILE).is_file():  # a set written apart: a bad labels file stops the run (one line)
        for p, lc in load_labels_layout(root):
            report.items.extend(evaluate_case(p, lc, kb))
            report.blank_items.extend(evaluate_case(p, lc, kb, blank=True))
        return report
    files = sorted(list(root.glob("*.yaml")) + list(root.glob("*.yml")))
    if not files:
        raise InputError(str(root), "no labeled cases (*.yaml) found")
    for p in files:
        try:
            lc = load_labeled_case(p)
            report.items.extend(evaluate_case(p, lc, kb))
            report.blank_items.extend(evaluate_case(p, lc, kb, blank=True))
        except InputError as exc:
            report.errors.append(str(exc))
    return report
