"""`openimr eval --criteria DIR`: criterion facts scored against a gold set, printed as Rich tables."""

from __future__ import annotations

from pathlib import Path

import typer

from openimr.cli.common import console, fail, print_json, warn

_ROWS = (
    ("accuracy", "accuracy (all questions)"),
    ("yes_no_stated_accuracy", "yes/no, stated (gold true/false)"),
    ("yes_no_unstated_accuracy", "yes/no, not stated (gold null)"),
    ("numbers_exact", "numbers, exact"),
    ("numbers_within_tolerance", "numbers, within ±10% or ±1"),
    ("numbers_unstated_accuracy", "numbers, not stated (gold null)"),
)


def _f(v) -> str:  # noqa: ANN001
    return "-" if v is None else f"{v:.3f}"


def eval_criteria(directory: Path, as_json: bool) -> None:
    from openimr.engine.evaluate_criteria import run_criteria_eval
    from openimr.errors import InputError

    try:
        report = run_criteria_eval(directory)
    except InputError as exc:
        fail(str(exc))
    m = report.metrics()
    if as_json:
        m["disagreements"] = report.disagreements()
        print_json(m)
    else:
        _print(report, m)
    for e in report.errors:
        warn(e)
    if report.errors:
        raise typer.Exit(1)


def _print(report, m) -> None:  # noqa: ANN001
    from rich.table import Table

    o = m["overall"]
    t = Table(title=f"{o['questions']} criterion-fact questions in {m['cases']} cases "
                    f"({o['yes_no_stated']} stated yes/no, {o['yes_no_unstated']} not stated, {o['numbers']} numbers)")
    t.add_column("Metric")
    for col in ("Engine", "Blank record", "Always unknown"):
        t.add_column(col, justify="right")
    for key, label in _ROWS:
        t.add_row(label, *(_f(s[key]) for s in (o, m["baseline_blank_record"], m["baseline_always_unknown"])))
    for key, label in (("yes_no_stated_said_unknown", "stated yes/no answered unknown"),
                       ("yes_no_stated_opposite", "stated yes/no answered the opposite")):
        t.add_row(label, *(str(s[key]) for s in (o, m["baseline_blank_record"], m["baseline_always_unknown"])))
    con = console()
    con.print(t)
    pq = Table(title="Per question")
    for col in ("Fact", "Asked", "Accuracy", "Stated y/n", "Not stated", "Numbers exact / ±tol", "Blank record"):
        pq.add_column(col, justify="left" if col == "Fact" else "right")
    for fact, r in m["per_question"].items():
        e, b = r["engine"], r["blank_record"]
        nums = f"{_f(e['numbers_exact'])} / {_f(e['numbers_within_tolerance'])}" if e["numbers_stated"] else "-"
        pq.add_row(fact, str(e["questions"]), _f(e["accuracy"]),
                   f"{_f(e['yes_no_stated_accuracy'])} ({e['yes_no_stated']})" if e["yes_no_stated"] else "-",
                   f"{_f(e['yes_no_unstated_accuracy'])} ({e['yes_no_unstated']})" if e["yes_no_unstated"] else "-",
                   nums, _f(b["accuracy"]))
    con.print(pq)
    wrong = report.disagreements()
    if wrong:
        wt = Table(title="Disagreements")
        for col in ("Case", "Fact", "Gold", "Engine"):
            wt.add_column(col)
        for d in wrong:
            wt.add_row(d["case"], d["fact"], _show(d["gold"]), _show(d["predicted"]))
        con.print(wt)


def _show(v) -> str:  # noqa: ANN001
    return "null" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
