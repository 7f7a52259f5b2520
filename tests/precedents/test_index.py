"""The precedent index: what an item holds, nearest precedents same topic first, counts, incremental
updates, and bad input."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from openimr.cli.app import app
from openimr.errors import InputError
from openimr.precedents import index as index_mod
from openimr.precedents.corpus import index_corpus
from openimr.precedents.features import decisive_reason, guideline_label, letter_key
from openimr.precedents.index import PrecedentIndex, default_index_dir
from openimr.precedents.query import item_precedents, request_query

from .conftest import EXAMPLE_CASE, write_jsonl


def _open(corpus):
    folder, _ = index_corpus(corpus, workers=1)
    return PrecedentIndex.open(folder)


def test_items_carry_topic_parts_decision_guideline_and_reason(seed_corpus, seed_records):
    idx = _open(seed_corpus)
    assert len(idx) == sum(len(r["items"]) for r in seed_records) == 11
    row = idx.rows["request"].index("Soma 350mg #90")
    assert idx.rows["topic"][row] == "carisoprodol"
    assert idx.rows["key"][row] == "carisoprodol 350mg"
    assert idx.rows["decision"][row] == "Upheld"
    assert "Muscle relaxants" in idx.rows["guideline"][row]
    assert idx.rows["reason"][row] and idx.rows["reason"][row] in seed_records[0]["items"][1]["rationale"]
    # the facts of the clinical case summary are among the words the item is matched on
    words = index_mod.letter_rows(seed_records[0])[1][1].split()
    assert "topic=carisoprodol" in words and "drug.strength=350mg" in words
    assert any(w.startswith(("finding=", "treated=", "med=")) for w in words)


def test_similar_same_topic_first_with_counts(seed_corpus, seed_records):
    idx = _open(seed_corpus)
    ip = item_precedents(idx, request_query("Soma 350mg #120"), k=6)
    same = [p for p in ip.precedents if p.same_topic]
    assert {p.topic for p in same} == {"carisoprodol"}
    assert len(same) == 4  # the four Soma items of the seed letters, then other topics fill the rest
    assert ip.precedents[: len(same)] == same
    assert all(not p.same_topic for p in ip.precedents[len(same):])
    sims = [p.similarity for p in same]
    assert sims == sorted(sims, reverse=True) and sims[0] > 0
    # "Soma 350mg": every seed item with that drug and strength, counted
    expected = sum(1 for r in seed_records for it in r["items"]
                   if "soma" in it["request"].lower() and "350" in it["request"])
    assert ip.counts.label == "carisoprodol 350mg"
    assert ip.counts.decided == expected == 3 and ip.counts.upheld == 3 and ip.counts.overturned == 0
    assert ip.counts.top_guideline and ip.counts.top_guideline_count >= 1
    assert ip.share_upheld == 1.0


def test_excluded_letter_is_never_a_precedent(seed_corpus, seed_records):
    idx = _open(seed_corpus)
    own = letter_key(seed_records[0])
    ip = item_precedents(idx, request_query("Soma 350mg #90"), k=20, exclude_letters=[own])
    assert ip.precedents and own not in {p.letter for p in ip.precedents}
    assert ip.counts.decided == 2


def test_unclassified_request_is_compared_with_every_item(seed_corpus):
    idx = _open(seed_corpus)
    ip = item_precedents(idx, request_query("Gastroenterology office visit consult"), k=3)
    assert ip.precedents and "Gastroenterology" in ip.precedents[0].request


def test_index_is_incremental(tmp_path, seed_records, monkeypatch):
    corpus = write_jsonl(seed_records[:3], tmp_path / "c.jsonl")
    folder, rep = index_corpus(corpus, workers=1)
    assert folder == default_index_dir(corpus) and rep.letters_added == 3
    assert rep.items_added == sum(len(r["items"]) for r in seed_records[:3])
    # unchanged corpus: nothing read again
    _, rep = index_corpus(corpus, workers=1)
    assert rep.up_to_date and rep.letters_added == 0
    # two more letters: only they are indexed, as a second shard
    write_jsonl(seed_records, corpus)
    _, rep = index_corpus(corpus, workers=1)
    assert rep.letters_added == 2 and rep.items_added == 2 and rep.items_total == 11
    manifest = json.loads((folder / "manifest.json").read_text())
    assert len(manifest["shards"]) == 2
    # a changed letter replaces its earlier rows; a letter gone from the corpus is dropped
    changed = json.loads(json.dumps(seed_records[3]))
    changed["items"][0]["decision"] = "Overturned"
    write_jsonl([*seed_records[:3], changed], corpus)
    _, rep = index_corpus(corpus, workers=1)
    assert rep.letters_added == 1 and rep.letters_removed == 1 and rep.items_total == 10
    idx = PrecedentIndex.open(folder)
    assert len(idx) == 10
    soma30 = [i for i, r in enumerate(idx.rows["request"]) if r == "Soma 350mg, #30"]
    assert [idx.rows["decision"][i] for i in soma30] == ["Overturned"]
    # many shards are compacted into one holding only the live rows
    monkeypatch.setattr(index_mod, "MAX_SHARDS", 1)
    write_jsonl(seed_records, corpus)
    _, rep = index_corpus(corpus, workers=1)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert len(manifest["shards"]) == 1 and rep.items_total == 11
    assert len(list(folder.glob("shard-*.npz"))) == 1
    assert len(PrecedentIndex.open(folder)) == 11


def test_parquet_corpus_gives_the_same_index(tmp_path, seed_corpus, seed_records):
    from openimr.letters.corpus import write_corpus

    pq = tmp_path / "seeds.parquet"
    write_corpus(seed_records, pq)
    a, b = _open(seed_corpus), _open(pq)
    assert a.rows["id"] == b.rows["id"] and a.rows["topic"] == b.rows["topic"]
    assert (a.matrix != b.matrix).nnz == 0


def test_decisive_reason_prefers_the_sentence_about_this_case():
    r = ("The MTUS recommends muscle relaxants for short courses. They are not for long-term use. In this case, the "
         "worker has taken Soma for 6 months without documented improvement. Therefore the request is not medically "
         "necessary.")
    assert decisive_reason(r).startswith("In this case, the worker has taken Soma")
    r2 = "Guidelines support imaging with red flags. Red flags are documented. Therefore the request is medically necessary."
    assert decisive_reason(r2) == "Red flags are documented."
    assert decisive_reason("") == ""
    assert len(decisive_reason("In this case " + "x" * 500 + ".")) <= 240


def test_guideline_label_is_short():
    g = {"citations": [{"source": "MTUS", "document": "Chronic Pain Medical Treatment Guidelines",
                        "edition_or_year": "2009", "sections": ["Carisoprodol (Soma)"], "pages": "29"}]}
    assert guideline_label(g) == "MTUS Chronic Pain Medical Treatment Guidelines 2009, Carisoprodol (Soma), p. 29"
    assert guideline_label(None) is None and guideline_label({"citations": []}) is None
    none = {"mtus": False, "citations": [], "text": "The Expert Reviewer did not cite any medical evidence for its decision."}
    assert guideline_label(none) == none["text"]


# ------------------------------------------------------------------------------------------ CLI


def test_cli_similar_request_and_case(seed_corpus):
    runner = CliRunner()
    r = runner.invoke(app, ["letters", "similar", "Soma 350mg #60", "--corpus", str(seed_corpus), "-k", "3"])
    assert r.exit_code == 0, r.output
    assert "carisoprodol 350mg: 3 decided, 3 Upheld" in r.stdout
    assert "guideline:" in r.stdout and "reason:" in r.stdout
    r = runner.invoke(app, ["letters", "similar", str(EXAMPLE_CASE), "--corpus", str(seed_corpus), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    case = json.loads(EXAMPLE_CASE.read_text())
    assert [o["request"] for o in out] == [i["request"] for i in case["disputed_items"]]
    soma = next(o for o in out if o["topic"] == "carisoprodol")
    assert soma["precedents"][0]["topic"] == "carisoprodol" and soma["precedents"][0]["decision"] == "Upheld"
    assert {"letter", "request", "decision", "date", "guideline", "reason", "similarity"} <= set(soma["precedents"][0])


def test_cli_index_and_bad_input(tmp_path, seed_corpus):
    runner = CliRunner()
    r = runner.invoke(app, ["letters", "index", "--corpus", str(seed_corpus)])
    assert r.exit_code == 0 and "11 items from 5 letters" in r.stdout
    r = runner.invoke(app, ["letters", "similar", "Soma", "--corpus", str(tmp_path / "nope.jsonl")])
    assert r.exit_code == 2 and r.stderr.strip() == f"error: {tmp_path / 'nope.jsonl'}: no such corpus file"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    r = runner.invoke(app, ["letters", "audit", "--corpus", str(bad)])
    assert r.exit_code == 2 and r.stderr.startswith(f"error: {bad}: ") and "Traceback" not in r.output
    r = runner.invoke(app, ["letters", "similar", "  ", "--corpus", str(seed_corpus)])
    assert r.exit_code == 2 and "empty request" in r.stderr
    r = runner.invoke(app, ["letters", "similar", str(tmp_path / "missing.json"), "--corpus", str(seed_corpus)])
    assert r.exit_code == 2 and "missing.json: no such file" in r.stderr


def test_broken_index_is_a_one_line_error(tmp_path, seed_corpus):
    folder, _ = index_corpus(seed_corpus, workers=1)
    (folder / "manifest.json").write_text("{")
    with pytest.raises(InputError, match="manifest unreadable"):
        PrecedentIndex.open(folder)
