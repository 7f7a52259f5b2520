"""Score the request classifier on a labeled set (tests/data/requests.yaml; see its header)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openimr import yamlio
from openimr.errors import InputError
from openimr.guidelines.classifier import classify
from openimr.models.request import ClassifiedRequest

# labeled field -> how to read it from a ClassifiedRequest
FIELDS = {
    "topic": lambda r: r.topic,
    "generic": lambda r: r.drug.generic if r.drug else None,
    "brand": lambda r: r.drug.brand if r.drug else None,
    "strength": lambda r: r.drug.strength if r.drug else None,
    "quantity": lambda r: r.drug.quantity if r.drug else None,
    "drug_frequency": lambda r: r.drug.frequency if r.drug else None,
    "laterality": lambda r: r.laterality,
    "levels": lambda r: r.levels,
    "body_region": lambda r: r.body_region,
    "sessions": lambda r: r.sessions,
    "frequency": lambda r: r.frequency,
}


@dataclass
class Score:
    total: dict[str, int] = field(default_factory=dict)
    correct: dict[str, int] = field(default_factory=dict)
    misses: list[tuple[str, str, Any, Any]] = field(default_factory=list)  # text, field, expected, got

    def accuracy(self, name: str) -> float:
        n = self.total.get(name, 0)
        return self.correct.get(name, 0) / n if n else 1.0

    def table(self) -> list[tuple[str, int, int, float]]:
        return [(f, self.total[f], self.correct.get(f, 0), self.accuracy(f)) for f in FIELDS if f in self.total]


def load_labeled(path: Path | str) -> list[dict[str, Any]]:
    path = Path(path)
    data = yamlio.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, list):
        raise InputError(str(path), "a labeled set is a list of {text, topic, ...} items")
    for i, item in enumerate(data):
        if not isinstance(item, dict) or "text" not in item or "topic" not in item:
            raise InputError(str(path), f"item {i}: needs text and topic")
        unknown = set(item) - set(FIELDS) - {"text"}
        if unknown:
            raise InputError(str(path), f"item {i}: unknown field {sorted(unknown)[0]!r}")
    return data


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return [str(v) for v in value]
    return value


def score(items: list[dict[str, Any]], kb=None) -> tuple[Score, list[ClassifiedRequest]]:
    result = Score()
    outputs = []
    for item in items:
        got = classify(item["text"], kb=kb)
        outputs.append(got)
        for name, read in FIELDS.items():
            if name not in item:
                continue
            expected = _norm(item[name])
            value = _norm(read(got))
            result.total[name] = result.total.get(name, 0) + 1
            if value == expected:
                result.correct[name] = result.correct.get(name, 0) + 1
            else:
                result.misses.append((item["text"], name, expected, value))
    return result, outputs
