"""The leave-one-out study: an item's own letter is never among its precedents; the counts add up."""

from __future__ import annotations

import json

from openimr.precedents.corpus import open_for_corpus
from openimr.precedents.study import engine_decisions, leave_one_out, main, markdown, summarize

from .conftest import letter, write_jsonl

SUMMARY = "The injured worker is a 50 year old male with low back pain. Straight leg raise was negative."


def _records(seed_records):
    t = seed_records[0]
    made = [letter(f"CM16-00000{n}", SUMMARY, [("MRI of the lumbar spine", "Upheld" if n < 3 else "Overturned")], t)
            for n in range(4)]
    for r in made:
        r["case_number"] = r["source"].split("/")[-1][:-4]
    return [*seed_records, *made]


def test_leave_one_out_excludes_the_own_letter(tmp_path, seed_records):
    records = _records(seed_records)
    corpus = write_jsonl(records, tmp_path / "c.jsonl")
    idx = open_for_corpus(corpus, workers=1)
    engine = engine_decisions({"items": 2, "rows": [
        {"case_number": "CM16-000003", "file": "x.pdf", "request": "MRI of the lumbar spine", "engine_decision": "Overturned"},
        {"case_number": None, "file": "made/CM16-000000.txt", "request": "MRI of the lumbar spine", "engine_decision": None},
    ]})
    rows = leave_one_out(records, idx, k=5, engine=engine)
    assert len(rows) == sum(len(r["items"]) for r in records)
    for r in rows:
        assert r["letter"] not in {p["letter"] for p in r["precedents"]}
    mri = {r["letter"]: r for r in rows if r["request"] == "MRI of the lumbar spine"}
    # the Overturned one sees the three Upheld; each Upheld one sees two Upheld and one Overturned
    assert mri["CM16-000003"]["precedent_majority"] == "Upheld"
    assert mri["CM16-000000"]["precedent_majority"] == "Upheld"
    assert mri["CM16-000003"]["engine_decision"] == "Overturned"
    s = {x["topic"]: x for x in summarize(rows, with_engine=True)}
    assert s["mri-lumbar"]["items"] == 4 and s["mri-lumbar"]["majority_matches"] == 3
    assert s["mri-lumbar"]["engine_matches"] == 1 and s["mri-lumbar"]["always_upheld"] == 3
    assert s["all"]["items"] == len(rows)
    assert "| mri-lumbar | 4 | 1 | 3/4 (75%)" in markdown(list(s.values()))


def test_study_command(tmp_path, seed_records, capsys):
    corpus = write_jsonl(_records(seed_records), tmp_path / "c.jsonl")
    out = tmp_path / "loo.json"
    assert main([str(corpus), "--json", str(out), "--markdown"]) == 0
    assert "| **all** |" in capsys.readouterr().out
    data = json.loads(out.read_text())
    assert data["k"] == 5 and data["items"] and data["summary"][-1]["topic"] == "all"
    assert main([str(tmp_path / "none.jsonl")]) == 2
    assert "no such corpus file" in capsys.readouterr().err
