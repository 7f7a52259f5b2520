"""`letters audit`: items decided against the bulk of their close precedents, by topic and guideline."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from openimr.cli.app import app
from openimr.precedents.audit import run_audit
from openimr.precedents.corpus import open_for_corpus

from .conftest import letter, write_jsonl

MRI_SUMMARY = ("The injured worker is a 45 year old male with low back pain since a lifting injury on 01-02-2016. "
               "There is no radiating pain and no neurologic deficit. Straight leg raise was negative. He has had "
               "physical therapy with improvement. The request is for a lumbar MRI.")
PT_SUMMARY = ("The injured worker is a 38 year old female with neck pain after a fall on 03-04-2016. She reports "
              "improved function after 6 sessions of physical therapy. Examination shows cervical tenderness.")


def _corpus(tmp_path, seed_records, outliers: int = 1):
    t = seed_records[0]
    recs = [letter(f"mri-{n}", MRI_SUMMARY, [("MRI of the lumbar spine", "Upheld")], t) for n in range(7)]
    recs += [letter(f"mri-odd-{n}", MRI_SUMMARY, [("MRI of the lumbar spine", "Overturned")], t) for n in range(outliers)]
    recs += [letter(f"pt-{n}", PT_SUMMARY, [("Physical therapy 2x3 cervical spine", "Overturned")], t) for n in range(6)]
    recs += [letter("pt-up", PT_SUMMARY, [("Physical therapy 2x3 cervical spine", "Upheld")], t)]
    return write_jsonl(recs + seed_records, tmp_path / "audit.jsonl")


def test_audit_finds_the_item_decided_against_its_precedents(tmp_path, seed_records):
    idx = open_for_corpus(_corpus(tmp_path, seed_records), workers=1)
    res = run_audit(idx, workers=1)
    flagged = {(o["letter"], o["decision"]) for o in res.outliers}
    assert flagged == {("mri-odd-0", "Overturned"), ("pt-up", "Upheld")}
    odd = next(o for o in res.outliers if o["letter"] == "mri-odd-0")
    assert odd["topic"] == "mri-lumbar" and odd["precedents"] == 7 and odd["against"] == 7
    assert "mri-odd-0" not in odd["precedent_letters"]
    # the consistent items were checked and not flagged
    assert res.checked >= 7 + 1 + 6 + 1
    mri = [g for g in res.groups if g["topic"] == "mri-lumbar"]
    assert sum(g["outliers"] for g in mri) == 1 and sum(g["items"] for g in mri) == 8


def test_audit_needs_enough_close_precedents_and_a_clear_majority(tmp_path, seed_records):
    idx = open_for_corpus(_corpus(tmp_path, seed_records), workers=1)
    assert run_audit(idx, min_support=9, workers=1).outliers == []
    # two odd MRI items: each has 7 Upheld and 1 Overturned close precedents from other letters (0.875)
    (tmp_path / "two").mkdir()
    idx2 = open_for_corpus(_corpus(tmp_path / "two", seed_records, outliers=2), workers=1)
    assert {"mri-odd-0", "mri-odd-1"} <= {o["letter"] for o in run_audit(idx2, workers=1).outliers}
    assert not {"mri-odd-0", "mri-odd-1"} & {o["letter"] for o in run_audit(idx2, share=0.9, workers=1).outliers}


def test_cli_audit_table_json_and_plot(tmp_path, seed_records):
    corpus = _corpus(tmp_path, seed_records)
    runner = CliRunner()
    png = tmp_path / "audit.png"
    r = runner.invoke(app, ["letters", "audit", "--corpus", str(corpus), "--plot", str(png), "--workers", "1"])
    assert r.exit_code == 0, r.output
    assert "Outliers by topic and guideline" in r.stdout and "mri-lumbar" in r.stdout and "mri-odd-0" in r.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    r = runner.invoke(app, ["letters", "audit", "--corpus", str(corpus), "--json", "--workers", "1"])
    out = json.loads(r.stdout)
    assert out["outlier_count"] == 2 and out["settings"]["min_support"] == 5
    assert {"topic", "guideline", "items", "checked", "outliers"} <= set(out["groups"][0])
