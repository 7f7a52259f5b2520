"""Precedents sit beside a draft and never change it: the same decisions with and without a corpus,
even when every precedent went the other way (the draft then says so)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openimr.cli.app import app
from openimr.engine import draft_case
from openimr.engine.evalset import load_labeled_case
from openimr.extract.caseio import load_case as load_case_file
from openimr.precedents.corpus import open_for_corpus
from openimr.precedents.query import STRONG_MIN, attach_precedents

from .conftest import DATA, EXAMPLE_CASE, letter, write_jsonl

CASES = sorted((DATA / "cases").glob("*.yaml"))[:6]

def load_case(path: Path):
    """A case file, or the case of a labeled case (tests/data/cases/*.yaml)."""
    return load_labeled_case(path).case if path.suffix == ".yaml" else load_case_file(path)


OPPOSITE = {"Upheld": "Overturned", "Overturned": "Upheld"}


def _contrary_corpus(tmp_path: Path, case_path: Path, seed_records: list[dict]) -> Path:
    """Letters that decided each of the case's items the other way, on the case's own record text."""
    case = load_case(case_path)
    draft = draft_case(case)
    text = " ".join(d.text for d in case.documents)[:6000]
    records = list(seed_records)
    for n in range(STRONG_MIN + 2):
        items = [(it.request, OPPOSITE[it.decision]) for it in draft.items if it.decision in OPPOSITE]
        records.append(letter(f"contrary-{case_path.stem}-{n}", text, items, seed_records[0], date=f"2016-05-0{n + 1}"))
    return write_jsonl(records, tmp_path / f"contrary-{case_path.stem}.jsonl")


def _decisions(draft) -> list[dict]:
    return [it.model_dump(mode="json") for it in draft.items]


@pytest.mark.parametrize("case_path", [EXAMPLE_CASE, *CASES], ids=lambda p: p.stem)
def test_precedents_never_change_a_draft(tmp_path, case_path, seed_records):
    corpus = _contrary_corpus(tmp_path, case_path, seed_records)
    index = open_for_corpus(corpus, workers=1)
    case = load_case(case_path)
    plain = draft_case(case)
    with_precedents = attach_precedents(draft_case(case), case, index)
    assert plain.precedents is None
    assert _decisions(with_precedents) == _decisions(plain)
    assert with_precedents.letter == plain.letter
    assert with_precedents.clinical_case_summary == plain.clinical_case_summary
    # ... while beside each decided item stand precedents that all went the other way, and it says so
    assert len(with_precedents.precedents) == len(plain.items)
    for it, ip in zip(plain.items, with_precedents.precedents, strict=True):
        assert ip.request == it.request
        if it.decision in OPPOSITE and it.topic:
            assert ip.precedents and ip.precedents[0].decision == OPPOSITE[it.decision]
            assert ip.against_precedent, (it.request, [(p.similarity, p.decision) for p in ip.precedents])
            assert ip.note and it.decision in ip.note and "look twice" in ip.note
            assert ip.share_upheld == (1.0 if it.decision == "Overturned" else 0.0)
        else:
            assert not ip.against_precedent


def test_review_cli_with_and_without_corpus(tmp_path, seed_records):
    corpus = _contrary_corpus(tmp_path, EXAMPLE_CASE, seed_records)
    runner = CliRunner()
    plain = runner.invoke(app, ["review", str(EXAMPLE_CASE), "--json"])
    beside = runner.invoke(app, ["review", str(EXAMPLE_CASE), "--json", "--corpus", str(corpus)])
    assert plain.exit_code == 0 and beside.exit_code == 0, beside.output
    a, b = json.loads(plain.stdout), json.loads(beside.stdout)
    assert a["items"] == b["items"] and a["letter"] == b["letter"]
    assert a["precedents"] is None and len(b["precedents"]) == len(b["items"])
    assert any(p["against_precedent"] for p in b["precedents"])
    # the letter never mentions precedents
    assert "precedent" not in b["letter"].lower()
    text = runner.invoke(app, ["review", str(EXAMPLE_CASE), "--corpus", str(corpus)])
    assert text.exit_code == 0 and "Precedents (beside the draft" in text.stdout and "look twice" in text.stdout


def test_review_cli_bad_corpus_is_one_line(tmp_path):
    r = CliRunner().invoke(app, ["review", str(EXAMPLE_CASE), "--corpus", str(tmp_path / "none.jsonl")])
    assert r.exit_code == 2 and r.stderr.strip() == f"error: {tmp_path / 'none.jsonl'}: no such corpus file"
