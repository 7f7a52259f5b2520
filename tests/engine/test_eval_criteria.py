"""`openimr eval --criteria DIR`: criterion facts scored against gold answers (issue #11).

The fixture (`tests/data/gold-criteria/fixture`) was written by hand by the helper that built the harness:
it tests the harness, it is not a blind measure."""

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openimr.cli.app import app
from openimr.engine.evaluate_criteria import Answer, load_criteria_set, run_criteria_eval, score
from openimr.errors import InputError

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "gold-criteria" / "fixture"
runner = CliRunner()


@pytest.fixture(scope="module")
def report():
    return run_criteria_eval(FIXTURE)


def test_fixture_loads_every_case_with_its_answers():
    cases, errors = load_criteria_set(FIXTURE)
    assert errors == []
    assert len(cases) == 5 and all(c.split == "dev" for c in cases)
    assert cases[0].answers["medication.current"] is True
    assert cases[2].answers["treatment.prior_same.relief_percent"] == 60


def test_number_answers_exact_and_within_tolerance():
    exact = Answer("c", "treatment.prior_same.sessions", 12, 12, "number")
    near = Answer("c", "treatment.prior_same.sessions", 12, 13, "number")
    far = Answer("c", "treatment.prior_same.sessions", 12, 18, "number")
    big = Answer("c", "medication.duration_days", 300, 325, "number")  # within 10% of 300
    unknown = Answer("c", "treatment.prior_same.sessions", 12, None, "number")
    assert exact.correct and exact.within_tolerance
    assert not near.correct and near.within_tolerance
    assert not far.correct and not far.within_tolerance
    assert not big.correct and big.within_tolerance
    assert not unknown.correct and not unknown.within_tolerance
    s = score([exact, near, far, big, unknown])
    assert s["numbers_stated"] == 5 and s["numbers_exact"] == 0.2 and s["numbers_within_tolerance"] == 0.6


def test_yes_no_stated_and_unstated_are_scored_apart():
    answers = [
        Answer("c", "medication.current", True, True, "bool"),
        Answer("c", "medication.current", True, None, "bool"),      # said unknown
        Answer("c", "request.is_repeat", False, True, "bool"),      # the opposite
        Answer("c", "finding.radicular_pain", None, None, "bool"),  # not stated, rightly unknown
        Answer("c", "finding.radicular_pain", None, False, "bool"),  # not stated, but answered
    ]
    s = score(answers)
    assert s["accuracy"] == 0.4
    assert s["yes_no_stated"] == 3 and s["yes_no_stated_accuracy"] == round(1 / 3, 4)
    assert s["yes_no_stated_said_unknown"] == 1 and s["yes_no_stated_opposite"] == 1
    assert s["yes_no_unstated"] == 2 and s["yes_no_unstated_accuracy"] == 0.5


def test_report_has_both_baselines_and_per_question_figures(report):
    m = report.metrics()
    assert m["cases"] == 5 and m["errors"] == []
    o, blank, unknown = m["overall"], m["baseline_blank_record"], m["baseline_always_unknown"]
    assert o["questions"] == blank["questions"] == unknown["questions"] == 27
    # always unknown is right exactly on the unstated answers
    assert unknown["accuracy"] == round((o["yes_no_unstated"] + (o["numbers"] - o["numbers_stated"])) / 27, 4)
    assert unknown["yes_no_stated_accuracy"] == 0.0
    # the reading must beat both baselines on its own fixture, by a wide margin
    assert o["accuracy"] >= blank["accuracy"] + 0.4 and o["accuracy"] >= unknown["accuracy"] + 0.4
    assert set(m["per_question"]["medication.current"]) == {"engine", "blank_record"}


def test_facts_the_fixture_states_plainly_are_read(report):
    got = {(a.case, a.fact): a.predicted for a in report.answers}
    assert got[("fx-001.json", "medication.current")] is True
    assert got[("fx-001.json", "pain.relief_with_medication")] is True
    assert got[("fx-005.json", "medication.current")] is False
    assert got[("fx-003.json", "treatment.prior_same.relief_percent")] == 60
    assert got[("fx-004.json", "treatment.prior_same.sessions")] == 12


def test_cli_json_and_table(tmp_path):
    r = runner.invoke(app, ["eval", "--criteria", str(FIXTURE), "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.stdout)
    assert {"overall", "baseline_blank_record", "baseline_always_unknown", "per_question", "disagreements"} <= set(d)
    r = runner.invoke(app, ["eval", "--criteria", str(FIXTURE)])
    assert r.exit_code == 0, r.output
    assert "Blank record" in r.stdout and "Always unknown" in r.stdout and "Per question" in r.stdout


def test_bad_sets_give_one_line_errors(tmp_path):
    with pytest.raises(InputError, match="answers.yaml"):
        load_criteria_set(tmp_path)
    r = runner.invoke(app, ["eval", "--criteria", str(tmp_path)])
    assert r.exit_code == 2 and "Traceback" not in r.output and "answers.yaml" in r.output
    # a bad entry is reported and the rest of the set still runs
    shutil.copytree(FIXTURE, tmp_path / "set")
    answers = (tmp_path / "set" / "answers.yaml").read_text()
    answers += "  - case: missing.json\n    answers: {medication.current: true}\n"
    answers += "  - case: fx-001.json\n    answers: {no.such.fact: true}\n"
    (tmp_path / "set" / "answers.yaml").write_text(answers)
    rep = run_criteria_eval(tmp_path / "set")
    assert rep.cases == 5 and len(rep.errors) == 2
    assert any("missing.json" in e for e in rep.errors) and any("no.such.fact" in e for e in rep.errors)
    r = runner.invoke(app, ["eval", "--criteria", str(tmp_path / "set"), "--json"])
    assert r.exit_code == 1


def test_criteria_cannot_be_combined_with_another_set():
    r = runner.invoke(app, ["eval", str(FIXTURE), "--criteria", str(FIXTURE)])
    assert r.exit_code == 2


DEV = FIXTURE.parent / "dev"


def test_blind_dev_half_holds_its_measured_floor():
    """A regression floor on the blind gold set's dev half (40 cases, 287 questions), not a mark of quality: the
    reading was fitted to this half after its first measurement (0.679 before, 0.868 after; docs/extraction.md).
    Raise the floor as the reading improves, never lower it to pass."""
    m = run_criteria_eval(DEV).metrics()
    assert m["cases"] == 40 and m["errors"] == []
    o = m["overall"]
    assert o["questions"] == 287
    assert o["accuracy"] >= 0.85 and o["yes_no_stated_accuracy"] >= 0.82
    assert o["accuracy"] >= m["baseline_blank_record"]["accuracy"] + 0.4
