"""The record texts the exactness tests of the fast pipeline components run over (one list for all of them)."""

from __future__ import annotations

from pathlib import Path

import yaml

from openimr.extract.facts import _chunks
from openimr.models.case import CaseFile

ROOT = Path(__file__).resolve().parents[2]


def record_texts(*, example: bool = True, cases: int | None = None) -> list[str]:
    """The example case file, the labeled cases' documents (the first `cases` files) and the gold texts."""
    texts = [(ROOT / "examples" / "case.json").read_text()] if example else []
    for path in sorted((ROOT / "tests" / "data" / "cases").glob("*.yaml"))[:cases]:
        case = CaseFile.model_validate(yaml.safe_load(path.read_text())["case"])
        texts += [d.text for d in case.documents]
    for path in sorted((ROOT / "tests" / "data" / "gold").glob("*.yaml")):
        texts += [r["text"] for r in yaml.safe_load(path.read_text()) or [] if isinstance(r, dict) and isinstance(r.get("text"), str)]
    return texts


def record_pieces(**kwargs) -> list[str]:
    """`record_texts`, cut into the blocks extraction reads one at a time."""
    return [piece for t in record_texts(**kwargs) for _, piece in _chunks(t)]
