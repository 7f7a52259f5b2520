"""`openimr classify` and `openimr guidelines ...`."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from openimr.cli.app import app
from openimr.guidelines.knowledge_base import DATA_DIR

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_classify_json():
    r = run("classify", "Norco 10/325mg #120", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["topic"] == "opioids"
    assert data["drug"]["generic"] == "hydrocodone/acetaminophen"
    assert data["drug"]["quantity"] == 120


def test_classify_table_and_unknown():
    r = run("classify", "Left L3-S1 Facet Block")
    assert r.exit_code == 0
    assert "facet-injections" in r.stdout and "L3-S1" in r.stdout
    r = run("classify", "Total ankle replacement")
    assert r.exit_code == 0
    assert "not recognized" in r.stdout and "candidates" in r.stdout


def test_classify_bad_input_is_one_line():
    for bad in ["", "   ", "x" * 2001, "Soma\x01350"]:
        r = run("classify", bad)
        assert r.exit_code == 2
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: ")
        assert "Traceback" not in r.output


def test_list_and_show():
    r = run("guidelines", "list", "--json")
    assert r.exit_code == 0
    ids = {row["id"] for row in json.loads(r.stdout)}
    assert "carisoprodol" in ids
    r = run("guidelines", "show", "carisoprodol", "--on", "2015-08-18")
    assert r.exit_code == 0, r.output
    assert "MTUS addresses Carisoprodol" in r.stdout
    assert "carisoprodol.recommendation" in r.stdout
    assert "(unverified)" in r.stdout  # the template marks one criterion unverified
    assert "p. 29" in r.stdout
    r = run("guidelines", "show", "carisoprodol", "--json")
    assert json.loads(r.stdout)["id"] == "carisoprodol"


def test_show_unknown_topic_and_bad_date():
    r = run("guidelines", "show", "sprockets")
    assert r.exit_code == 2 and "topic not in the knowledge base" in r.stderr
    r = run("guidelines", "show", "carisoprodol", "--on", "yesterday")
    assert r.exit_code == 2 and "not a date" in r.stderr


def test_coverage():
    r = run("guidelines", "coverage", "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["total"]["topics"] >= 1
    assert data["total"]["cited_criteria"] == data["total"]["criteria"]
    r = run("guidelines", "coverage")
    assert r.exit_code == 0 and "total" in r.stdout


def test_resolve_outside_encoded_editions():
    r = run("guidelines", "resolve", "carisoprodol", "--on", "2021-03-01")
    assert r.exit_code == 2
    assert "guideline edition not encoded" in r.stderr
    r = run("guidelines", "resolve", "carisoprodol", "--on", "2015-08-18", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)[0]["role"] == "mtus"


def test_malformed_guideline_file_is_one_line(tmp_path):
    shutil.copy(DATA_DIR / "carisoprodol.yaml", tmp_path / "carisoprodol.yaml")
    text = (tmp_path / "carisoprodol.yaml").read_text().replace("status: not_recommended", "status: sometimes")
    (tmp_path / "carisoprodol.yaml").write_text(text)
    for cmd in (["guidelines", "list"], ["guidelines", "coverage"], ["classify", "Soma 350mg #90"]):
        r = run(*cmd, "--kb", str(tmp_path))
        assert r.exit_code == 2, cmd
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1
        assert str(tmp_path / "carisoprodol.yaml") in lines[0]
        assert "guidelines.0.status" in lines[0]


def test_kb_option_reads_another_folder(tmp_path):
    shutil.copy(DATA_DIR / "carisoprodol.yaml", tmp_path / "carisoprodol.yaml")
    r = run("guidelines", "list", "--kb", str(tmp_path), "--json")
    assert [row["id"] for row in json.loads(r.stdout)] == ["carisoprodol"]


def test_classify_text_with_brackets_is_printed_as_written():
    r = run("classify", "Soma [350mg] #90")
    assert r.exit_code == 0, r.output
    assert "[350mg]" in r.stdout and "carisoprodol" in r.stdout
