"""Reading measured at the level criteria use: criterion facts against a gold set (`openimr eval --criteria DIR`).

The engine decides from derived criterion facts (`models.vocabulary.FACTS`, `finding.*`), each resolved by
`derive.FactResolver` from the extracted `CaseFacts`. Decision scores mix reading with the knowledge base;
this harness scores the reading alone. A gold set is a folder:

    answers.yaml            cases: [{case: g-001.json, split: dev, answers: {fact: true|false|null|number}, note}]
    cases/g-001.json        the case files (or beside answers.yaml)

Each case's disputed item (`item`, 0-based, default the first) is classified and its guideline resolved
as `openimr review` does; each asked fact is derived and compared with the gold answer. `null` means the
record does not state it, and the engine must then say unknown (None) too. A question whether the record
documents something (a fact named `*_documented`) is two-valued: the engine's None (not documented) is "no".
Reading is measured apart from the knowledge base's dates: a parameter a fact needs (the look-back of "screens
in the past year", the kinds of conservative care) that is no longer in force at a request after the last
encoded edition is read at its last value (the engine itself leaves such requests undecided).

Reported per question and overall: accuracy; for yes/no questions, accuracy on stated answers (gold
true/false) and on unstated ones (gold null) apart; numbers exact and within tolerance (±10% or ±1).
Beside them, as `openimr eval` does for decisions: the blank-record baseline (every document's text
replaced by one empty sentence) and the always-unknown baseline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from openimr import yamlio
from openimr.engine.evalset import blank_record
from openimr.errors import InputError
from openimr.models.case import CaseFile
from openimr.models.vocabulary import fact_spec

ANSWERS_FILE = "answers.yaml"
NUMBER_TOLERANCE = 0.10  # a number within 10% (or 1) of the gold counts as "within tolerance"


@dataclass
class GoldCase:
    name: str
    path: Path
    case: CaseFile
    answers: dict[str, Any]
    item: int = 0
    split: str | None = None


@dataclass
class Answer:
    case: str
    fact: str
    gold: Any
    predicted: Any
    kind: str  # "bool" or "number"

    @property
    def correct(self) -> bool:
        if self.kind == "documented" and self.gold is False:
            return self.predicted is None or self.predicted is False
        if self.kind == "number" and self.gold is not None:
            return self.predicted is not None and _num(self.predicted) == float(self.gold)
        if self.kind in ("bool", "documented") and self.gold is not None and self.predicted is not None:
            return bool(self.predicted) == self.gold
        return self.predicted == self.gold

    @property
    def within_tolerance(self) -> bool:
        if self.kind != "number" or self.gold is None:
            return self.correct
        if self.predicted is None:
            return False
        gold = float(self.gold)
        return abs(_num(self.predicted) - gold) <= max(1.0, NUMBER_TOLERANCE * abs(gold))


def _num(v: Any) -> float:
    return float(v) if not isinstance(v, bool) else float(int(v))


def _kind_of(fact: str, gold: Any) -> str:
    """ "number", "bool", or "documented": a yes/no question whether the record documents something
    (`*_documented`), which the engine answers None when it does not - the same answer as "no"."""
    if fact.endswith("_documented"):
        return "documented"
    spec = fact_spec(fact)
    if spec is not None and spec.type in ("int", "float"):
        return "number"
    if spec is None and isinstance(gold, (int, float)) and not isinstance(gold, bool):
        return "number"
    return "bool"


def _case_path(root: Path, name: str) -> Path:
    for p in (root / "cases" / name, root / name):
        if p.is_file():
            return p
    return root / "cases" / name


def load_criteria_set(root: Path | str) -> tuple[list[GoldCase], list[str]]:
    """The gold cases of a folder, and one-line errors for entries that cannot be used (the rest go on).
    A missing or unreadable answers file stops the run (InputError)."""
    root = Path(root)
    path = root / ANSWERS_FILE
    if not root.is_dir():
        raise InputError(str(root), "not a folder of criterion-fact gold cases")
    try:
        raw = yamlio.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(path), "no answers file (answers.yaml) in the folder") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputError(str(path), f"cannot read answers ({type(exc).__name__})") from None
    rows = raw.get("cases") if isinstance(raw, dict) else None
    if not isinstance(rows, list) or not rows:
        raise InputError(str(path), "cases: a list of cases with their answers is required")
    out: list[GoldCase] = []
    errors: list[str] = []
    for n, row in enumerate(rows):
        where = f"{path}: cases.{n}"
        if not isinstance(row, dict) or "case" not in row or not isinstance(row.get("answers"), dict):
            errors.append(f"{where}: needs case and answers (a mapping of fact to answer)")
            continue
        name = str(row["case"])
        bad = [f for f, v in row["answers"].items() if fact_spec(str(f)) is None
               or not (v is None or isinstance(v, (bool, int, float)))]
        if bad:
            errors.append(f"{where} ({name}): not a criterion fact, or an answer that is not true/false/null/a number: "
                          + ", ".join(map(str, bad)))
            continue
        cpath = _case_path(root, name)
        try:
            case = CaseFile.model_validate_json(cpath.read_bytes())
        except OSError as exc:
            errors.append(f"error: {cpath}: cannot read case file ({type(exc).__name__})")
            continue
        except ValidationError as exc:
            err = exc.errors()[0]
            errors.append(f"error: {cpath}: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}")
            continue
        item = row.get("item", 0)
        if not isinstance(item, int) or not 0 <= item < len(case.disputed_items):
            errors.append(f"{where} ({name}): item {item!r}: no such disputed item")
            continue
        out.append(GoldCase(name=name, path=cpath, case=case, answers={str(k): v for k, v in row["answers"].items()},
                            item=item, split=row.get("split")))
    return out, errors


def _reading_resolver_class() -> type:
    from openimr.engine.derive import FactResolver

    class ReadingResolver(FactResolver):
        """The engine's resolver, except that a knowledge-base parameter no longer in force at the request date
        (a request after the last encoded edition) is read at its last encoded value. Reading is measured apart
        from the knowledge base's dates: "screens in the past year" or "conservative care kinds" mean the same in
        2025 as in 2017, while the engine itself leaves such requests undecided."""

        def param(self, name: str) -> Any:
            found = super().param(name)
            if found is not None or self.on is None:
                return found
            kb = self.kb
            finder = getattr(kb, "parameter", None)
            param = finder(name, self.topic.id if self.topic is not None else None) if finder else None
            last = param.value_on(None) if param is not None else None
            if last is None or last.effective_to is None or self.on <= last.effective_to:
                return None  # before the first value, or a gap: no value, as in the engine
            return last.value

    return ReadingResolver


def resolver_for(case: CaseFile, facts: Any, kb: Any, item: int = 0) -> Any:
    """The FactResolver `openimr review` builds for one disputed item: its classified request, topic and the
    guideline entry relied on (the first in force that applies; without one, the topic alone)."""
    from openimr.engine.core import _kb, _resolve
    from openimr.engine.derive import DrugTopics
    from openimr.engine.evaluate import evaluate_condition
    from openimr.guidelines.classifier import classify

    kb = _kb(kb)
    classified = classify(case.disputed_items[item].request, kb)
    topic = kb.topic(classified.topic) if classified.topic else None
    on = case.request_date()
    drug_topics = DrugTopics(kb)
    _ReadingResolver = _reading_resolver_class()  # noqa: N806

    def make(entry: Any) -> Any:
        return _ReadingResolver(facts=facts, request=classified, case=case, topic=topic, entry=entry, kb=kb,
                                drug_topics=drug_topics, on=on)

    if topic is not None:
        chain, _ = _resolve(kb, topic.id, on)
        for rg in chain:
            r = make(rg.entry)
            if rg.entry.applies_when is None or evaluate_condition(rg.entry.applies_when, r) is not False:
                return r
    return make(None)


def answer_case(gc: GoldCase, kb: Any = None, blank: bool = False) -> list[Answer]:
    from openimr.extract import extract_facts

    case = blank_record(gc.case) if blank else gc.case
    r = resolver_for(case, extract_facts(case), kb, gc.item)
    out = []
    for fact, gold in gc.answers.items():
        try:
            predicted = r.value(fact)
        except KeyError:  # a vocabulary name with no derivation: unknown, as the engine would have it
            predicted = None
        out.append(Answer(case=gc.name, fact=fact, gold=gold, predicted=predicted, kind=_kind_of(fact, gold)))
    return out


def _share(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def score(answers: list[Answer]) -> dict[str, Any]:
    """Accuracy; yes/no on stated (gold true/false) and unstated (gold null) answers; numbers exact and
    within tolerance; and how the stated yes/no answers went wrong (said unknown, or the opposite)."""
    yn = [a for a in answers if a.kind in ("bool", "documented")]
    stated = [a for a in yn if a.gold is not None]
    unstated = [a for a in yn if a.gold is None]
    nums = [a for a in answers if a.kind == "number"]
    nums_stated = [a for a in nums if a.gold is not None]
    return {
        "questions": len(answers),
        "accuracy": _share(sum(a.correct for a in answers), len(answers)),
        "yes_no": len(yn),
        "yes_no_stated": len(stated),
        "yes_no_stated_accuracy": _share(sum(a.correct for a in stated), len(stated)),
        "yes_no_stated_said_unknown": sum(1 for a in stated if a.predicted is None and not a.correct),
        "yes_no_stated_opposite": sum(1 for a in stated if a.predicted is not None and not a.correct),
        "yes_no_unstated": len(unstated),
        "yes_no_unstated_accuracy": _share(sum(a.correct for a in unstated), len(unstated)),
        "numbers": len(nums),
        "numbers_stated": len(nums_stated),
        "numbers_exact": _share(sum(a.correct for a in nums_stated), len(nums_stated)),
        "numbers_within_tolerance": _share(sum(a.within_tolerance for a in nums_stated), len(nums_stated)),
        "numbers_unstated_accuracy": _share(sum(a.correct for a in nums if a.gold is None),
                                            sum(1 for a in nums if a.gold is None)),
    }


@dataclass
class CriteriaReport:
    answers: list[Answer] = field(default_factory=list)
    blank_answers: list[Answer] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    cases: int = 0

    def metrics(self) -> dict[str, Any]:
        unknown = [Answer(a.case, a.fact, a.gold, None, a.kind) for a in self.answers]
        per_question: dict[str, Any] = {}
        for fact in sorted({a.fact for a in self.answers}):
            per_question[fact] = {
                "engine": score([a for a in self.answers if a.fact == fact]),
                "blank_record": score([a for a in self.blank_answers if a.fact == fact]),
            }
        return {
            "cases": self.cases,
            "overall": score(self.answers),
            "baseline_blank_record": score(self.blank_answers),
            "baseline_always_unknown": score(unknown),
            "per_question": per_question,
            "errors": list(self.errors),
        }

    def disagreements(self) -> list[dict[str, Any]]:
        return [{"case": a.case, "fact": a.fact, "gold": a.gold, "predicted": a.predicted}
                for a in self.answers if not a.correct]


def run_criteria_eval(root: Path | str, kb: Any = None) -> CriteriaReport:
    cases, errors = load_criteria_set(root)
    report = CriteriaReport(errors=errors)
    for gc in cases:
        try:
            answers = answer_case(gc, kb)
            blank = answer_case(gc, kb, blank=True)
        except InputError as exc:  # one bad case never stops the set
            report.errors.append(f"error: {exc}")
            continue
        report.answers.extend(answers)
        report.blank_answers.extend(blank)
        report.cases += 1
    return report
