import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from openimr.cli.app import app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "case.json"
runner = CliRunner()


def test_review_json_has_the_documented_shape():
    r = runner.invoke(app, ["review", str(EXAMPLE), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert d["status"] == "draft" and d["engine"]["knowledge_base"].startswith("sha256:")
    item = d["items"][0]
    for key in ("request", "topic", "decision", "guideline", "hierarchy", "criteria", "missing_documentation",
                "rationale", "confidence"):
        assert key in item
    assert set(item["guideline"]["citations"][0]) >= {"source", "document", "edition_or_year", "chapter", "sections", "pages"}
    assert set(item["criteria"][0]) >= {"id", "statement", "met", "evidence"}
    assert d["letter"].startswith("DRAFT")


def test_review_prints_a_readable_draft_and_writes_letters(tmp_path):
    r = runner.invoke(app, ["review", str(EXAMPLE), "--letter", str(tmp_path / "letter.html")])
    assert r.exit_code == 0, r.output
    assert "Disputed items" in r.stdout and "HOW THE IMR FINAL DETERMINATION WAS MADE" in r.stdout
    assert "DRAFT" in (tmp_path / "letter.html").read_text()
    r = runner.invoke(app, ["review", str(EXAMPLE), "--json", "--letter", str(tmp_path / "letter.txt")])
    assert (tmp_path / "letter.txt").read_text() == json.loads(r.stdout)["letter"]
    r = runner.invoke(app, ["review", str(EXAMPLE), "--letter", str(tmp_path / "letter.doc")])
    assert r.exit_code == 2


def test_review_folder_continues_past_bad_files(tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    shutil.copy(EXAMPLE, folder / "a.json")
    (folder / "b.json").write_text("{not json")
    (folder / "c.txt").write_text("Progress note 06/01/2015. Requesting authorization for Soma 350mg #60. Low back pain 6/10.")
    out = tmp_path / "results.jsonl"
    r = runner.invoke(app, ["review", str(folder), "--out", str(out)])
    assert r.exit_code == 1
    errors = [line for line in r.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "b.json" in errors[0]
    lines = out.read_text().splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["case_number"] == "CM15-0000001"


def test_review_bad_input_is_one_line():
    r = runner.invoke(app, ["review", "/nonexistent/case.json"])
    assert r.exit_code != 0


def test_check_and_eval(tmp_path):
    r = runner.invoke(app, ["check", str(EXAMPLE), "--json"])
    assert r.exit_code == 0, r.output
    items = json.loads(r.stdout)
    assert any(i["needs"] for i in items)
    labeled = tmp_path / "labeled"
    labeled.mkdir()
    src = ROOT / "tests" / "data" / "cases"
    for name in ("seed-000.yaml", "cf-muscle-relaxant-acute-flare.yaml"):
        shutil.copy(src / name, labeled / name)
    r = runner.invoke(app, ["eval", str(labeled), "--json"])
    assert r.exit_code == 0, r.output
    m = json.loads(r.stdout)
    assert m["items"] == 3 and m["accuracy"] == 1.0
    assert set(m["baseline_blank_record"]) >= {"balanced_accuracy", "overturn_recall"}
    assert m["baseline_always_upheld"]["overturn_recall"] == 0.0
    r = runner.invoke(app, ["eval", str(labeled)])
    assert r.exit_code == 0, r.output
    assert "balanced accuracy" in r.stdout and "Blank record" in r.stdout and "Always Upheld" in r.stdout
    assert "Per topic" in r.stdout
