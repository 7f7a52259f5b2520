"""Judge one disputed item against the knowledge base: three-valued criteria, decision, confidence.

Semantics (shared with the knowledge-base authors, see docs/engine.md):
- the guideline relied on is the first entry of the resolved chain whose `applies_when` is not False;
- a criterion is judged when its `applies_when` is True (or absent); when it is unknown (None), the
  criterion is judged undocumented unless its test is met anyway (Kleene "applies -> test");
- a test is three-valued: True met, False unmet, None undocumented (a fact the record lacks is None);
- a criterion with `test: null` states the recommendation itself: met iff the entry's status is
  recommended / recommended_with_criteria / limited;
- Overturned iff at least one criterion was judged and every judged criterion is met; Upheld when
  one is unmet or undocumented; no decision (None: "unable to decide") when no criterion applies -
  an empty set of criteria supports nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from openimr.engine.derive import FactResolver
from openimr.models.draft import CriterionResult
from openimr.models.facts import Evidence
from openimr.models.knowledge import Condition, Criterion, GuidelineEntry

SUPPORTIVE_STATUSES = frozenset({"recommended", "recommended_with_criteria", "limited"})


def evaluate_condition(cond: Condition | None, resolver: FactResolver) -> bool | None:
    """Kleene three-valued evaluation of a condition over the item's facts (None = undocumented)."""
    if cond is None:
        return True
    if cond.all is not None:
        vals = [evaluate_condition(c, resolver) for c in cond.all]
        if any(v is False for v in vals):
            return False
        return None if any(v is None for v in vals) else True
    if cond.any is not None:
        vals = [evaluate_condition(c, resolver) for c in cond.any]
        if any(v is True for v in vals):
            return True
        return None if any(v is None for v in vals) else False
    if cond.not_ is not None:
        v = evaluate_condition(cond.not_, resolver)
        return None if v is None else not v
    value = resolver.value(cond.fact)
    return apply_op(cond.op, value, cond.value)


def apply_op(op: str, value: Any, target: Any) -> bool | None:
    if op == "documented":
        return value is not None
    if op == "undocumented":
        return value is None
    if value is None:
        return None
    try:
        if op == "is_true":
            return bool(value)
        if op == "is_false":
            return not bool(value)
        if op == "eq":
            return value == target
        if op == "ne":
            return value != target
        if op == "lt":
            return value < target
        if op == "le":
            return value <= target
        if op == "gt":
            return value > target
        if op == "ge":
            return value >= target
        if op == "in":
            return value in target
        if op == "not_in":
            return value not in target
    except TypeError:
        return None
    raise ValueError(f"unknown op {op!r}")


@dataclass
class JudgedCriterion:
    criterion: Criterion
    result: CriterionResult
    judged: bool  # False: its applies_when did not hold, so it was not judged
    text: str = ""  # the rationale sentence for its outcome, placeholders filled


@dataclass
class Judgement:
    entry: GuidelineEntry
    decision: str | None  # "Upheld" | "Overturned" | None (no criterion applied: unable to decide)
    criteria: list[JudgedCriterion] = field(default_factory=list)
    missing_documentation: list[str] = field(default_factory=list)
    confidence: float = 0.0

    @property
    def judged(self) -> list[JudgedCriterion]:
        return [c for c in self.criteria if c.judged]


_PLACEHOLDER = re.compile(r"\{([a-z0-9_.]+)\}")


def format_value(value: Any) -> str:
    if value is None:
        return "an undocumented number of"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def fill(text: str, resolver: FactResolver) -> str:
    """Replace {fact.name} placeholders with the fact's value for this item."""

    def repl(m: re.Match[str]) -> str:
        try:
            return format_value(resolver.value(m.group(1)))
        except KeyError:
            return m.group(0)

    return _PLACEHOLDER.sub(repl, " ".join(text.split()))


def _evidence(names: list[str], resolver: FactResolver) -> list[Evidence]:
    out: list[Evidence] = []
    for n in names:
        for e in resolver.get(n).evidence:
            if e not in out:
                out.append(e)
    return out


def judge_criterion(c: Criterion, entry: GuidelineEntry, resolver: FactResolver) -> JudgedCriterion:
    applies = evaluate_condition(c.applies_when, resolver) if c.applies_when is not None else True
    names = c.facts()
    facts = {n: resolver.value(n) for n in names}
    if c.applies_when is not None:
        for n in c.applies_when.facts():
            facts.setdefault(n, resolver.value(n))
    if applies is False:
        result = CriterionResult(id=c.id, statement=" ".join(c.statement.split()), met=None, citation=c.citation,
                                 facts=facts, verified=c.verified)
        return JudgedCriterion(c, result, judged=False)
    met = entry.status in SUPPORTIVE_STATUSES if c.test is None else evaluate_condition(c.test, resolver)
    if applies is None:
        # Whether the criterion applies is unknown (e.g. new vs continuing treatment undocumented): Kleene
        # implication "applies -> test". Met anyway: it cannot block. Otherwise it may apply and is not
        # shown: undocumented, never silently skipped in the request's favour.
        if met is True:
            result = CriterionResult(id=c.id, statement=" ".join(c.statement.split()), met=None, citation=c.citation,
                                     facts=facts, verified=c.verified)
            return JudgedCriterion(c, result, judged=False)
        met = None
    evidence = _evidence(names, resolver)
    result = CriterionResult(id=c.id, statement=" ".join(c.statement.split()), met=met, evidence=evidence,
                             citation=c.citation, facts=facts, verified=c.verified)
    key = "met" if met is True else "unmet" if met is False else "undocumented"
    text = fill(getattr(c.rationale, key), resolver)
    if met is True and c.test is not None and any(v is None for v in facts.values()):
        # Met on one branch while the record is silent on another: the author's "met" sentence may assert
        # what was never documented, so say only what the deciding facts say.
        leaves = deciding_leaves(c.test, resolver)
        if leaves:
            text = "This criterion is met on what the records document: " + "; ".join(
                describe_leaf(cond, resolver.value(cond.fact)) for cond in leaves) + "."
            result = result.model_copy(update={"evidence": _evidence([cond.fact for cond in leaves], resolver)})
    return JudgedCriterion(c, result, judged=True, text=text)


def deciding_leaves(cond: Condition, resolver: FactResolver) -> list[Condition]:
    """The fact tests that made a condition true: every part of an `all`, the first true branch of an `any`."""
    if cond.all is not None:
        out: list[Condition] = []
        for c in cond.all:
            out.extend(deciding_leaves(c, resolver))
        return out
    if cond.any is not None:
        for c in cond.any:
            if evaluate_condition(c, resolver) is True:
                return deciding_leaves(c, resolver)
        return []
    if cond.not_ is not None:
        return [cond] if cond.fact else []
    return [cond]


def describe_leaf(cond: Condition, value: Any) -> str:
    """One fact test in words, from the vocabulary's meaning of the fact and the value the record gives."""
    from openimr.models.vocabulary import FINDINGS, fact_spec

    name = cond.fact or ""
    spec = fact_spec(name) if name else None
    if name.startswith("finding.") and name[8:] in FINDINGS:
        meaning = FINDINGS[name[8:]]
    else:
        meaning = spec.meaning if spec else name
    if cond.op == "undocumented":
        return f"{meaning}: not mentioned"
    if isinstance(value, bool):
        if cond.op == "documented":
            return f"{meaning}: addressed ({'reported' if value else 'none reported'})"
        return meaning if value else f"not {meaning}"
    return f"{meaning}: {format_value(value)}"


def judge(entry: GuidelineEntry, resolver: FactResolver) -> Judgement:
    """Judge every criterion of the guideline relied on and decide the item."""
    judged = [judge_criterion(c, entry, resolver) for c in entry.criteria]
    active = [j for j in judged if j.judged]
    # all([]) is True: no applicable criterion must never read as "every criterion met"
    decision = None if not active else "Overturned" if all(j.result.met is True for j in active) else "Upheld"
    missing: list[str] = []
    for j in active:
        if j.result.met is not True:
            doc = " ".join((j.criterion.documentation or j.criterion.statement).split())
            if doc not in missing:
                missing.append(doc)
    return Judgement(entry=entry, decision=decision, criteria=judged, missing_documentation=missing,
                     confidence=confidence(entry, active))


def confidence(entry: GuidelineEntry, active: list[JudgedCriterion]) -> float:
    """How firmly the record and the data carry the draft decision (0-1), not a probability.

    Documented share of judged criteria (an undocumented criterion decides by absence), share of
    verified criteria (citation/threshold confirmed), and whether the guideline is the MTUS.
    """
    if not active:
        return 0.3
    documented = sum(1 for j in active if j.result.met is not None) / len(active)
    verified = sum(1 for j in active if j.criterion.verified) / len(active)
    decisive_unmet = any(j.result.met is False for j in active)
    basis = 1.0 if decisive_unmet else documented
    score = 0.45 * basis + 0.2 * documented + 0.2 * verified + (0.15 if entry.mtus else 0.08)
    if not entry.verified:
        score -= 0.05
    return round(max(0.0, min(1.0, score)), 2)
