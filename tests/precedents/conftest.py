"""Small corpora for the precedent tests, made from the seed letters and the example case."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from openimr.letters.corpus import to_record
from openimr.letters.reader import parse_letter_file

DATA = Path(__file__).parents[1] / "data"
SEEDS = sorted((DATA / "seeds").glob("*.txt"))
EXAMPLE_CASE = Path(__file__).parents[2] / "examples" / "case.json"


@pytest.fixture(scope="session")
def seed_records() -> list[dict]:
    return [to_record(parse_letter_file(p), str(p)) for p in SEEDS]


def write_jsonl(records: list[dict], path: Path) -> Path:
    path.write_text("".join(json.dumps(r, default=str) + "\n" for r in records), encoding="utf-8")
    return path


def letter(name: str, summary: str, items: list[tuple[str, str]], template: dict, date: str | None = None) -> dict:
    """A corpus record named `name` with the given (request, decision) items; guideline and rationale
    are borrowed from `template`'s first item."""
    base = template["items"][0]
    rec = copy.deepcopy(template)
    rec["source"] = f"made/{name}.txt"
    rec["clinical_case_summary"] = summary
    rec["items"] = [{**copy.deepcopy(base), "request": req, "decision": dec,
                     "rationale": f"In this case, {req} was decided {dec.lower()} for test reasons. Therefore the request "
                                  f"is {'not ' if dec == 'Upheld' else ''}medically necessary."}
                    for req, dec in items]
    if date:
        rec["decision_date"] = date
    return rec


@pytest.fixture
def seed_corpus(tmp_path, seed_records) -> Path:
    return write_jsonl(seed_records, tmp_path / "seeds.jsonl")
