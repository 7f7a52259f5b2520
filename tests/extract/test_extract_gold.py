"""The hand-annotated gold set: size, annotation sanity, and F1 per fact type."""

from __future__ import annotations

from pathlib import Path

import pytest

from openimr.extract.evaluate import evaluate, load_gold
from openimr.models.vocabulary import FINDINGS, TREATMENT_KINDS

GOLD = Path(__file__).resolve().parents[1] / "data" / "gold"
REQUIRED = ("medications", "findings", "pain", "sessions", "dates")


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    return load_gold(GOLD)


@pytest.fixture(scope="module")
def scores(docs):
    return evaluate(docs)


def test_gold_set_size_and_kinds(docs) -> None:
    assert len(docs) >= 60
    ids = [d["id"] for d in docs]
    assert len(ids) == len(set(ids))
    types = {d["type"] for d in docs}
    assert {"clinical_summary", "progress_note", "rfa", "ur_decision", "imaging", "emg"} <= types
    assert sum(d["split"] == "heldout" for d in docs) >= 15
    assert sum(d["id"].startswith("seed-") for d in docs) == 5


def test_annotations_use_the_vocabulary(docs) -> None:
    for d in docs:
        e = d.get("expected") or {}
        for name, present in e.get("findings") or []:
            assert name in FINDINGS, (d["id"], name)
            assert isinstance(present, bool), (d["id"], name)
        for kind, _n in (e.get("sessions") or []) + (e.get("treatment_dates") or []):
            assert kind in TREATMENT_KINDS, (d["id"], kind)
        for score, context in e.get("pain") or []:
            assert 0 <= float(score) <= 10
            assert context in (None, "with medication", "without medication", "least", "average", "worst", "current")


@pytest.mark.parametrize("fact_type", REQUIRED)
def test_f1_at_least_090(scores, fact_type: str) -> None:
    s = scores[fact_type]
    assert s.tp + s.fn >= 20, f"too few gold {fact_type}"
    assert s.f1 >= 0.90, f"{fact_type}: F1 {s.f1:.3f} (P {s.precision:.3f} R {s.recall:.3f})\n" + "\n".join(s.errors[:20])


def test_studies_f1(scores) -> None:
    assert scores["studies"].f1 >= 0.85
