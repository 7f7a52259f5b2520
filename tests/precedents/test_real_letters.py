"""Precedents from real letters (a slice of tests/data/letters/real-dev): case numbers, decision dates,
guidelines and reasons come through; an item's own letter is never its precedent."""

from __future__ import annotations

import re

import pytest

from openimr.letters.corpus import to_record
from openimr.letters.reader import parse_letter_file
from openimr.precedents.corpus import open_for_corpus
from openimr.precedents.study import leave_one_out, summarize

from .conftest import DATA, write_jsonl

REAL = sorted((DATA / "letters" / "real-dev").glob("*.pdf"))[:16]


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    if not REAL:
        pytest.skip("no real dev letters in tests/data/letters/real-dev")
    records = [to_record(parse_letter_file(p), str(p)) for p in REAL]
    corpus = write_jsonl(records, tmp_path_factory.mktemp("real") / "real.jsonl")
    return records, open_for_corpus(corpus, workers=1)


def test_real_precedents_carry_case_number_date_guideline_reason(real):
    records, idx = real
    assert len(idx) == sum(len(r["items"]) for r in records)
    assert set(idx.letter_names) == {r["case_number"] for r in records}
    assert all(re.fullmatch(r"CM\d{2}-\d{7}", k) for k in idx.letter_names)
    assert all(idx.rows["date"]) and all(idx.rows["reason"])
    assert all(idx.rows["guideline"])  # a citation, or the letter's "did not cite any medical evidence"


def test_real_leave_one_out(real):
    records, idx = real
    rows = leave_one_out(records, idx, k=5)
    assert len(rows) == len(idx)
    for r in rows:
        assert r["letter"] not in {p["letter"] for p in r["precedents"]}
        assert all(p["similarity"] > 0 for p in r["precedents"])
    (total,) = [s for s in summarize(rows, with_engine=False) if s["topic"] == "all"]
    assert total["items"] == len(rows) and total["majority_matches"] <= total["with_majority"] <= total["items"]
