"""`openimr eval --letters`: real letters posed as cases, scored against the reviewers' decisions."""

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from openimr.cli.app import app
from openimr.engine.evaluate_letters import (
    BLANK_SUMMARY,
    case_from_letter,
    guideline_sources,
    score,
    undecided_cause,
)
from openimr.letters.reader import parse_letter_file

REAL = Path(__file__).resolve().parents[1] / "data" / "letters" / "real-dev"
runner = CliRunner()


def _some_letters(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "letters"
    folder.mkdir()
    for n in names:
        shutil.copy(REAL / f"{n}.pdf", folder)
    return folder


def test_score_counts_undecided_as_misses():
    pairs = [("Upheld", "Upheld"), ("Upheld", None), ("Upheld", "Overturned"), ("Overturned", "Overturned"),
             ("Overturned", "Upheld")]
    s = score(pairs)
    assert s["uphold_recall"] == round(1 / 3, 4)
    assert s["overturn_recall"] == 0.5
    assert s["overturn_precision"] == 0.5
    assert s["balanced_accuracy"] == round((1 / 3 + 0.5) / 2, 4)
    assert s["undecided_share"] == 0.2
    always = score([(r, "Upheld") for r, _ in pairs])
    assert always["balanced_accuracy"] == 0.5 and always["overturn_precision"] is None


def test_the_case_posed_is_the_reviewers():
    d = parse_letter_file(REAL / "CM16-0233904.pdf")  # a partial certification
    case = case_from_letter(d)
    assert case.case_number == "CM16-0233904"
    assert [doc.text for doc in case.documents] == [d.clinical_case_summary]
    item = case.disputed_items[0]
    assert (item.request, item.ur_decision, item.ur_modification) == ("Baclofen 100mg #3", "modified",
                                                                      "Baclofen 100mg #27")
    assert case.utilization_review.date == d.ur_denial_date and case.request_date() == d.ur_denial_date
    assert case.injured_worker.date_of_injury == d.injured_worker.date_of_injury
    assert case_from_letter(d, BLANK_SUMMARY).documents[0].text == BLANK_SUMMARY


def test_guideline_sources_name_one_document_each():
    d = parse_letter_file(REAL / "CM16-0230651.pdf")
    assert guideline_sources(d.items[0].imr_guideline) == ["MTUS Chronic Pain"]
    assert guideline_sources(d.items[0].claims_administrator_guideline) == ["MTUS Chronic Pain", "ODG"]
    assert undecided_cause("unable to decide: the request could not be classified to an encoded topic "
                           "(closest: x, y)", None) == "the request could not be classified to an encoded topic"


def test_eval_letters_json_report(tmp_path):
    folder = _some_letters(tmp_path, ["CM16-0233904", "CM16-0235724", "CM17-0020384"])
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    r = runner.invoke(app, ["eval", "--letters", str(folder), "--json"])
    assert r.exit_code == 1  # one letter could not be read; the others are scored
    assert "broken.pdf" in r.stderr and len([ln for ln in r.stderr.splitlines() if "broken.pdf" in ln]) == 1
    m = json.loads(r.stdout)
    assert m["letters"] == 3 and m["items"] == 3 and m["real_overturned"] == 2
    assert m["baseline_always_upheld"]["balanced_accuracy"] == 0.5
    for key in ("engine", "baseline_blank_summary"):
        assert set(m[key]) >= {"balanced_accuracy", "overturn_recall", "overturn_precision", "uphold_recall",
                               "undecided_share"}
    row = m["rows"][0]
    assert set(row) >= {"case_number", "request", "topic", "real_decision", "engine_decision", "undecided_reason",
                        "real_guideline_source", "engine_guideline_source", "real_rationale", "engine_rationale"}
    assert {r["case_number"] for r in m["rows"]} == {"CM16-0233904", "CM16-0235724", "CM17-0020384"}
    assert m["errors"] and "broken.pdf" in m["errors"][0]


def test_eval_letters_prints_tables_and_misses(tmp_path):
    folder = _some_letters(tmp_path, ["CM16-0235724"])
    r = runner.invoke(app, ["eval", "--letters", str(folder)])
    assert r.exit_code == 0, r.output
    for words in ("balanced accuracy", "Blank summary", "Always Upheld", "Per topic", "same source document"):
        assert words in r.stdout


def test_eval_needs_a_folder():
    r = runner.invoke(app, ["eval"])
    assert r.exit_code == 2
    r = runner.invoke(app, ["eval", "--letters", "/nonexistent/letters"])
    assert r.exit_code == 2 and "not a folder of letters" in r.stderr
