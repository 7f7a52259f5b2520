"""`openimr eval --letters DIR`: score the engine's drafts against what real reviewers decided.

For each real Final Determination letter the case the reviewer had is posed again: the letter's
clinical case summary as the one document, the disputed items as the letter lists them (for a partial
certification, the remaining portion the reviewer decided, with the authorized part as the UR
modification), the date of injury, the UR denial date and the application date from the letter's case
block. The engine runs unchanged; its draft decision per item is compared with the reviewer's.

Beside the score, two baselines show whether the records are read at all: the same run with every
summary replaced by one blank sentence (what the engine decides from the requests and dates alone),
and the always-Upheld answer (the base rate of real reviewers).

An item the engine leaves undecided (request not classified, edition not encoded, ...) or calls
Ineligible counts as a miss in every figure; the share left undecided and why is reported apart.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from openimr.errors import InputError
from openimr.models.case import Application, CaseFile, DisputedItem, Document, UtilizationReview
from openimr.models.letter import Determination, Guideline, InjuredWorker

BLANK_SUMMARY = "No clinical information is available."


# -- posing the reviewer's case ---------------------------------------------------------------------


def case_from_letter(d: Determination, summary: str | None = None) -> CaseFile:
    """The case the reviewer decided, from the letter (`summary` replaces the letter's own summary)."""
    text = d.clinical_case_summary if summary is None else summary
    items = [
        DisputedItem(
            request=it.request,
            ur_decision="modified" if it.authorized else "non-certified",
            ur_modification=it.authorized,
        )
        for it in d.items
    ]
    priority = "expedited" if (d.priority or "").lower().startswith(("exped", "urgent")) else "standard"
    return CaseFile(
        case_number=d.case_number,
        priority=priority,
        # Only what the letter's case block records; age and sex are the extractor's to read.
        injured_worker=InjuredWorker(date_of_injury=d.injured_worker.date_of_injury),
        utilization_review=UtilizationReview(date=d.ur_denial_date) if d.ur_denial_date else None,
        application=Application(received_date=d.application_received, ur_decision_date=d.ur_denial_date,
                                priority=priority),
        disputed_items=items,
        documents=[Document(id="clinical-case-summary", type="clinical_summary", text=text or BLANK_SUMMARY)],
    )


# -- guideline sources ------------------------------------------------------------------------------

# MTUS parts by the words reviewers and the knowledge base use for them ("Low Back Complaints",
# "ACOEM ... Chapter 12 Low Back Complaints", "Chronic Pain Medical Treatment Guidelines").
_MTUS_PARTS = (
    ("chronic pain", "MTUS Chronic Pain"),
    ("opioid", "MTUS Opioids"),
    ("acupuncture", "MTUS Acupuncture"),
    ("surgical", "MTUS Postsurgical"),
    ("low back", "MTUS ACOEM Low Back"),
    ("neck", "MTUS ACOEM Neck and Upper Back"),
    ("shoulder", "MTUS ACOEM Shoulder"),
    ("elbow", "MTUS ACOEM Elbow"),
    ("wrist", "MTUS ACOEM Forearm, Wrist and Hand"),
    ("knee", "MTUS ACOEM Knee"),
    ("ankle", "MTUS ACOEM Ankle and Foot"),
    ("general approach", "MTUS ACOEM General Approaches"),
    ("initial approach", "MTUS ACOEM General Approaches"),
    ("independent medical", "MTUS ACOEM Independent Medical Examinations"),
    ("stress", "MTUS ACOEM Stress Related Conditions"),
)


def source_key(source: str, document: str | None, chapter: str | None) -> str:
    """One name per source document: "ODG", "ACOEM" (outside the MTUS), "MTUS Chronic Pain",
    "MTUS ACOEM Low Back", ... or the source as written."""
    if source == "MTUS":
        words = f"{document or ''} {chapter or ''}".lower()
        for needle, key in _MTUS_PARTS:
            if needle in words:
                return key
        return "MTUS"
    return source


def guideline_sources(g: Guideline | None) -> list[str]:
    if g is None:
        return []
    keys: list[str] = []
    for c in g.citations:
        k = source_key(c.source, c.document, c.chapter)
        if k not in keys:
            keys.append(k)
    return keys


# -- results ----------------------------------------------------------------------------------------


@dataclass
class LetterItem:
    """One disputed item of a real letter: the reviewer's decision beside the engine's."""

    case_number: str | None
    file: str
    request: str
    original_request: str | None
    topic: str | None
    real_decision: str
    engine_decision: str | None  # Upheld | Overturned | Ineligible | None (undecided)
    undecided_reason: str | None
    real_mtus: bool | None
    engine_mtus: bool | None
    real_guideline_source: list[str]
    engine_guideline_source: list[str]
    blank_engine_decision: str | None
    real_rationale: str
    engine_rationale: str

    @property
    def decided(self) -> bool:
        return self.engine_decision in ("Upheld", "Overturned")

    @property
    def correct(self) -> bool:
        return self.engine_decision == self.real_decision


def undecided_cause(reason: str | None, decision: str | None) -> str:
    """The reason an item was left undecided, without its item-specific details."""
    if decision == "Ineligible":
        return "called ineligible"
    r = re.sub(r"^unable to decide:\s*", "", reason or "no reason given")
    r = re.sub(r"\s*\((?:closest|the request)[^)]*\)", "", r)
    r = re.sub(r"\b\d{1,2}/\d{1,2}/\d{4}\b|\b\d{4}-\d{2}-\d{2}\b", "<date>", r)
    r = re.sub(r"'[^']*'", "<topic>", r)
    return r.strip()


def score(decisions: list[tuple[str, str | None]]) -> dict[str, Any]:
    """(real, engine) pairs -> balanced accuracy, overturn recall/precision, uphold recall, undecided share.

    An undecided (or Ineligible) draft is a miss: it counts against the recall of its real class."""
    n = len(decisions)
    up = [e for r, e in decisions if r == "Upheld"]
    ov = [e for r, e in decisions if r == "Overturned"]
    engine_over = [r for r, e in decisions if e == "Overturned"]
    uphold_recall = sum(e == "Upheld" for e in up) / len(up) if up else None
    overturn_recall = sum(e == "Overturned" for e in ov) / len(ov) if ov else None
    recalls = [x for x in (uphold_recall, overturn_recall) if x is not None]
    undecided = sum(e not in ("Upheld", "Overturned") for _, e in decisions)

    def rnd(x: float | None) -> float | None:
        return None if x is None else round(x, 4)

    return {
        "items": n,
        "accuracy": rnd(sum(r == e for r, e in decisions) / n) if n else None,
        "balanced_accuracy": rnd(sum(recalls) / len(recalls)) if recalls else None,
        "overturn_recall": rnd(overturn_recall),
        "overturn_precision": rnd(sum(r == "Overturned" for r in engine_over) / len(engine_over)) if engine_over else None,
        "uphold_recall": rnd(uphold_recall),
        "undecided_share": rnd(undecided / n) if n else None,
        "engine_overturned": len(engine_over),
    }


@dataclass
class LettersReport:
    items: list[LetterItem] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    letters: int = 0

    def metrics(self) -> dict[str, Any]:
        items = self.items
        real = [i.real_decision for i in items]
        engine = score([(i.real_decision, i.engine_decision) for i in items])
        blank = score([(i.real_decision, i.blank_engine_decision) for i in items])
        upheld = score([(r, "Upheld") for r in real])
        undecided = [i for i in items if not i.decided]
        reasons = Counter(undecided_cause(i.undecided_reason, i.engine_decision) for i in undecided)
        with_source = [i for i in items if i.decided and i.engine_guideline_source and i.real_guideline_source]
        with_mtus = [i for i in items if i.decided and i.engine_mtus is not None and i.real_mtus is not None]
        per_topic: dict[str, dict[str, Any]] = {}
        for i in items:
            t = per_topic.setdefault(i.topic or "(not classified)", {
                "items": 0, "real_overturned": 0, "engine_overturned": 0, "correct": 0, "undecided": 0})
            t["items"] += 1
            t["real_overturned"] += i.real_decision == "Overturned"
            t["engine_overturned"] += i.engine_decision == "Overturned"
            t["correct"] += i.correct
            t["undecided"] += not i.decided
        return {
            "letters": self.letters,
            "items": len(items),
            "real_overturned": sum(r == "Overturned" for r in real),
            "engine": engine,
            "baseline_blank_summary": blank,
            "baseline_always_upheld": upheld,
            "undecided_reasons": dict(reasons.most_common()),
            "guideline_agreement": {
                "items": len(with_source),
                "same_source_document": round(sum(bool(set(i.engine_guideline_source) & set(i.real_guideline_source))
                                                  for i in with_source) / len(with_source), 4) if with_source else None,
                "items_mtus": len(with_mtus),
                "same_mtus_or_not": round(sum(i.engine_mtus == i.real_mtus for i in with_mtus) / len(with_mtus), 4)
                if with_mtus else None,
            },
            "per_topic": dict(sorted(per_topic.items(), key=lambda kv: (-kv[1]["items"], kv[0]))),
            "errors": list(self.errors),
        }

    def to_json(self) -> dict[str, Any]:
        """The machine-readable report: metrics, per-item rows (misses flagged) and errors."""
        return {**self.metrics(), "rows": [{**asdict(i), "correct": i.correct} for i in self.items]}


# -- running ----------------------------------------------------------------------------------------


def _rows(path: Path, d: Determination, draft, blank_draft) -> list[LetterItem]:
    out = []
    for it, di, bi in zip(d.items, draft.items, blank_draft.items, strict=True):
        out.append(LetterItem(
            case_number=d.case_number, file=path.name, request=it.request, original_request=it.original_request,
            topic=di.topic, real_decision=it.decision, engine_decision=di.decision,
            undecided_reason=di.unable_to_decide,
            real_mtus=it.imr_guideline.mtus if it.imr_guideline and it.imr_guideline.citations else None,
            engine_mtus=di.guideline.mtus if di.guideline else None,
            real_guideline_source=guideline_sources(it.imr_guideline),
            engine_guideline_source=guideline_sources(di.guideline),
            blank_engine_decision=bi.decision, real_rationale=it.rationale,
            engine_rationale=di.rationale or (di.unable_to_decide or ""),
        ))
    return out


def letter_files(directory: Path) -> list[Path]:
    from openimr.letters.corpus import LETTER_SUFFIXES

    if not directory.is_dir():
        raise InputError(str(directory), "not a folder of letters")
    files = sorted(p for p in directory.rglob("*") if p.is_file() and p.suffix.lower() in LETTER_SUFFIXES)
    if not files:
        raise InputError(str(directory), "no .txt or .pdf letters in this folder")
    return files


def run_letters_eval(directory: Path | str, kb=None, advance: Callable[[], None] | None = None,
                     warn: Callable[[str], None] | None = None) -> LettersReport:
    """Pose every letter's case, draft it twice (summary, blank summary) and compare with the reviewer.

    A letter that cannot be read is reported (one line each) and the run goes on."""
    from openimr.engine.core import review_case
    from openimr.guidelines.knowledge_base import default_knowledge_base
    from openimr.letters.reader import parse_letter_file

    kb = kb or default_knowledge_base()
    report = LettersReport()
    for path in letter_files(Path(directory)):
        try:
            d = parse_letter_file(path)
            draft, _ = review_case(case_from_letter(d), kb)
            blank, _ = review_case(case_from_letter(d, BLANK_SUMMARY), kb)
            report.items.extend(_rows(path, d, draft, blank))
            report.letters += 1
        except InputError as exc:
            report.errors.append(str(exc))
            if warn:
                warn(str(exc))
        if advance:
            advance()
    return report
