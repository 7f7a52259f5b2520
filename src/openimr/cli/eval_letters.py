"""`openimr eval --letters DIR`: the engine scored against real reviewers, printed as Rich tables."""

from __future__ import annotations

from pathlib import Path

import typer

from openimr.cli.common import fail, print_json

RATIONALE_CHARS = 420  # per rationale in the console list of misses (the JSON report has them whole)


def eval_letters(directory: Path, as_json: bool) -> None:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from openimr.engine.evaluate_letters import letter_files, run_letters_eval
    from openimr.errors import InputError

    try:
        total = len(letter_files(directory))
    except InputError as exc:
        fail(str(exc))
    err = Console(stderr=True)
    with Progress(TextColumn("scoring letters"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as progress:
        task = progress.add_task("eval", total=total)
        report = run_letters_eval(
            directory, advance=lambda: progress.advance(task),
            warn=lambda m: progress.console.print(f"error: {m}", markup=False, highlight=False, soft_wrap=True),
        )
    if as_json:
        print_json(report.to_json())
    else:
        out = Console()
        print_report(report, Console(width=max(out.width, 120)) if not out.is_terminal else out)
    if report.errors:
        err.print(f"{len(report.errors)} of {total} letter(s) could not be read", highlight=False)
        raise typer.Exit(1)


def _f(v) -> str:
    return "-" if v is None else f"{v:.3f}"


def _clip(text: str, n: int = RATIONALE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "\u2026"


def print_report(report, console) -> None:
    from rich.table import Table

    m = report.metrics()
    t = Table(title=f"{m['items']} disputed items in {m['letters']} real letters "
                    f"({m['real_overturned']} Overturned by the reviewers)")
    t.add_column("Metric")
    for col in ("Engine", "Blank summary", "Always Upheld"):
        t.add_column(col, justify="right")
    runs = (m["engine"], m["baseline_blank_summary"], m["baseline_always_upheld"])
    for key in ("balanced_accuracy", "overturn_recall", "overturn_precision", "uphold_recall", "accuracy",
                "undecided_share"):
        t.add_row(key.replace("_", " "), *(_f(r[key]) for r in runs))
    t.add_row("drafted Overturned", *(str(r["engine_overturned"]) for r in runs))
    console.print(t)

    g = m["guideline_agreement"]
    console.print(f"Guideline relied on vs the reviewer's (items both decided and cited): same source document "
                  f"{_f(g['same_source_document'])} of {g['items']}; same MTUS / non-MTUS "
                  f"{_f(g['same_mtus_or_not'])} of {g['items_mtus']}", highlight=False)
    if m["undecided_reasons"]:
        u = Table(title="Left undecided, and why")
        u.add_column("Items", justify="right")
        u.add_column("Reason")
        for reason, n in m["undecided_reasons"].items():
            u.add_row(str(n), reason)
        console.print(u)

    pt = Table(title="Per topic (the engine's classification)")
    for col in ("Topic", "Items", "Real Overturned", "Engine Overturned", "Correct", "Undecided"):
        pt.add_column(col, justify="left" if col == "Topic" else "right")
    for topic, r in m["per_topic"].items():
        pt.add_row(topic, str(r["items"]), str(r["real_overturned"]), str(r["engine_overturned"]), str(r["correct"]),
                   str(r["undecided"]))
    console.print(pt)

    misses = [i for i in report.items if not i.correct]
    console.rule(f"Misses ({len(misses)}): the reviewer's rationale beside the engine's")
    for i in misses:
        engine = i.engine_decision or "undecided"
        console.print(f"\n[bold]{i.case_number or i.file}[/] {i.request} ({i.topic or 'not classified'}): "
                      f"reviewer [bold]{i.real_decision}[/], engine [bold]{engine}[/]", highlight=False)
        console.print(f"  reviewer ({', '.join(i.real_guideline_source) or 'no citation'}): {_clip(i.real_rationale)}",
                      highlight=False, markup=False)
        console.print(f"  engine ({', '.join(i.engine_guideline_source) or 'no guideline'}): "
                      f"{_clip(i.engine_rationale)}", highlight=False, markup=False)
    for e in report.errors:
        console.print(f"error: {e}", markup=False, highlight=False)
