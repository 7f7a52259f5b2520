"""`openimr review`, `openimr check` and `openimr eval`: the determination engine on the command line."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path

import typer

from openimr.cli.common import atomic_write, atomic_writer, console, fail, print_json, warn, warn_case
from openimr.cli.guidelines import KB_OPTION

CASE_SUFFIXES = (".json", ".txt", ".pdf")


def _atomic_write(path: Path, data: bytes) -> None:
    atomic_write(path, data)


def _write_letter(draft, case, out: Path) -> None:
    from openimr.engine.core import determination_from_draft

    suffix = out.suffix.lower()
    d = determination_from_draft(draft, case)
    if suffix == ".txt":
        data = draft.letter.encode("utf-8")
    elif suffix in (".html", ".htm"):
        from openimr.letters.writer import render_html

        data = render_html(d).encode("utf-8")
    elif suffix == ".pdf":
        from openimr.letters.writer import render_pdf

        data = render_pdf(d)
    else:
        fail(f"{out}: unknown letter format {suffix or '(none)'} (use .txt, .html or .pdf)")
    _atomic_write(out, data)


_MARK = {True: "[green]met[/]", False: "[red]unmet[/]", None: "[yellow]undocumented[/]"}
_DECISION_STYLE = {"Upheld": "bold red", "Overturned": "bold green", "Ineligible": "bold blue", None: "bold yellow"}


def _print_draft(draft, console) -> None:
    from rich.panel import Panel
    from rich.table import Table

    console.print(Panel.fit(
        f"[bold]DRAFT[/] review of case {draft.case_number or '(no case number)'} - "
        f"engine {draft.engine.version}, knowledge base {draft.engine.knowledge_base}\n"
        "A draft is not a determination: a licensed reviewer decides and signs.",
        border_style="red"))
    table = Table(title="Disputed items", show_lines=False)
    for col in ("Request", "Topic", "Draft decision", "Confidence", "Guideline relied on"):
        table.add_column(col)
    for it in draft.items:
        dec = it.decision or "unable to decide"
        cites = ""
        if it.guideline and it.guideline.citations:
            c = it.guideline.citations[0]
            cites = f"{c.source}: {', '.join(c.sections)}" + (f" p. {c.pages}" if c.pages else "")
        table.add_row(it.request, it.topic or "-", f"[{_DECISION_STYLE.get(it.decision, 'bold')}]{dec}[/]",
                      f"{it.confidence:.2f}", cites)
    console.print(table)
    for it in draft.items:
        console.print(f"\n[bold]{it.request}[/]: [{_DECISION_STYLE.get(it.decision, 'bold')}]{it.decision or 'unable to decide'}[/]")
        if it.unable_to_decide:
            console.print(f"  {it.unable_to_decide}")
        for c in it.criteria:
            flag = "" if c.verified else " [dim](unverified)[/]"
            console.print(f"  - {_MARK[c.met]} {c.id}: {c.statement}{flag}", highlight=False)
        for m in it.missing_documentation:
            console.print(f"  [yellow]missing:[/] {m}", highlight=False)
        if it.formulary is not None:  # MTUS Drug Formulary facts (issue 14): for the reviewer, never a decision
            f = it.formulary
            need = {True: "needed", False: "not needed", None: "not determined"}[f.prospective_review_required]
            console.print(f"  formulary: {f.status} (list {f.list_version or '-'}); prospective review {need}",
                          highlight=False)
            for fact in f.facts:
                flag = "" if fact.verified else " [dim](unverified)[/]"
                console.print(f"    - {_MARK[fact.holds]} {fact.statement} ({fact.section}){flag}", highlight=False)
    if draft.guideline_packs:
        console.print("\nguideline packs: " + "; ".join(
            f"{p.name} {p.version} ({p.content_hash})" + (" [yellow]EXAMPLE, not clinical content[/]" if p.example else "")
            for p in draft.guideline_packs), highlight=False)
    if draft.precedents:
        from openimr.cli.precedents import print_item_precedents

        console.rule("Precedents (beside the draft: they never decide an item)")
        for ip in draft.precedents:
            print_item_precedents(ip, console, limit=5)
    console.rule("Draft Final Determination letter")
    console.file.flush()
    sys.stdout.write(draft.letter)  # the letter as written: no re-wrapping by the console


def _case_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in CASE_SUFFIXES)


def _precedent_index(corpus: Path | None):
    """The corpus's precedent index (updated when the corpus changed), or None without a corpus."""
    if corpus is None:
        return None
    from openimr.cli.precedents import open_index
    from openimr.errors import InputError

    try:
        return open_index(corpus, None)[0]
    except InputError as exc:
        fail(str(exc))


def _review_folder(folder: Path, out: Path | None, as_json: bool = False, kb=None,
                   index=None, jobs: int = 1) -> None:  # noqa: ANN001
    """Draft every case file of `folder`, in name order. Each draft is written as soon as it is made
    (issue 15): to `out` through one atomic temporary file, or to stdout with --json; only a table row per
    item is kept for the on-screen table, so memory does not grow with the number of cases."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from openimr.guidelines.knowledge_base import default_knowledge_base

    files = _case_files(folder)
    if not files:
        fail(f"{folder}: no case files (*.json, *.txt, *.pdf)")
    kb = kb or default_knowledge_base()
    err_console = Console(stderr=True)
    rows: list[tuple[str, str, str, str]] = []
    with contextlib.ExitStack() as stack:
        if out is not None:
            sink = stack.enter_context(atomic_writer(out))

            def emit(line: str) -> None:
                sink.write((line + "\n").encode("utf-8"))
        elif as_json:
            def emit(line: str) -> None:
                sys.stdout.write(line + "\n")
        else:
            emit = None
        pool = stack.enter_context(_pool(jobs, kb, index, len(files)))
        progress = stack.enter_context(Progress(TextColumn("reviewing"), BarColumn(), MofNCompleteColumn(),
                                                TimeElapsedColumn(), console=err_console, transient=False))
        failed, counts = _draft_files(files, kb, index, progress, emit, rows, pool)
    if out is None and not as_json:  # a table per case, not a screenful of JSON
        from rich.table import Table

        table = Table(title="drafts (--out FILE.jsonl or --json for the drafts themselves)", title_justify="left")
        for col in ("file", "item", "decision", "confidence"):
            table.add_column(col, overflow="fold")
        for row in rows:
            table.add_row(*row)
        console().print(table)
    summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
    err_console.print(f"{len(files) - failed} of {len(files)} cases drafted ({summary or 'no items'}); {failed} failed",
                      highlight=False)
    if failed:
        raise typer.Exit(1)


def _draft_files(files, kb, index, progress, emit, rows, pool=None) -> tuple[int, dict[str, int]]:  # noqa: ANN001
    """Draft each file in order, passing its JSON line to `emit` (or a row per item to `rows` when there
    is no `emit`); one bad case never stops the batch. With a `pool` (see `_pool`) the drafts are made in
    its worker processes and still come back in file order. Returns (failed, {decision: items})."""
    failed = 0
    counts: dict[str, int] = {}
    task = progress.add_task("review", total=len(files))
    for line, decisions, error in _drafts(files, kb, index, pool):
        if error is not None:
            failed += 1
            progress.console.print(error, markup=False, highlight=False, soft_wrap=True)
        elif emit is not None:
            emit(line)
        else:
            rec = json.loads(line)
            rows.extend((rec["file"], it["request"], it["decision"] or "unable to decide",
                         f"{it['confidence']:.2f}") for it in rec["items"])
        for key in decisions:
            counts[key] = counts.get(key, 0) + 1
        progress.advance(task)
    return failed, counts


_WORKER_KB = None  # the knowledge base of a batch's worker processes (inherited when they fork)


def _draft_one(path: Path, kb=None, index=None) -> tuple[str | None, list[str], str | None]:  # noqa: ANN001
    """One case file: (its JSON line, its items' decisions, None), or (None, [], the one-line error)."""
    from openimr.engine import draft_case
    from openimr.errors import InputError
    from openimr.extract.caseio import load_case

    try:
        case = load_case(path)
        draft = draft_case(case, kb if kb is not None else _WORKER_KB)
        if index is not None:
            from openimr.precedents.query import attach_precedents

            attach_precedents(draft, case, index)
        line = json.dumps({"file": str(path), **draft.model_dump(mode="json")}, ensure_ascii=False)
        return line, [it.decision or "undecided" for it in draft.items], None
    except InputError as exc:
        return None, [], f"error: {exc}"
    except Exception as exc:  # one bad case never stops a batch
        return None, [], f"error: {path}: {type(exc).__name__}: {exc}"


def _pool(jobs: int, kb, index, n_files: int):  # noqa: ANN001
    """Worker processes for a batch (None for one): forked before any thread (the progress bar's) starts,
    so a child never inherits a lock held by another thread; the knowledge base is inherited, not pickled."""
    if jobs <= 1 or index is not None or n_files < 2:
        return contextlib.nullcontext()
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _WORKER_KB
    _WORKER_KB = kb
    return ProcessPoolExecutor(max_workers=min(jobs, n_files), mp_context=multiprocessing.get_context("fork"))


def _drafts(files, kb, index, pool):  # noqa: ANN001
    """(line, decisions, error) per file, in file order."""
    if pool is None:
        for p in files:
            yield _draft_one(p, kb, index)
        return
    from collections import deque

    window = 16  # drafts in flight: bounds the results waiting on an earlier file
    pending: deque = deque()
    todo = iter(files)
    for p in todo:
        pending.append(pool.submit(_draft_one, p))
        if len(pending) >= window:
            break
    while pending:
        yield pending.popleft().result()
        nxt = next(todo, None)
        if nxt is not None:
            pending.append(pool.submit(_draft_one, nxt))


def register(app: typer.Typer) -> None:
    """Attach this stage's commands to the root app."""

    @app.command("review")
    def review(
        case_path: Path = typer.Argument(..., metavar="CASE", help="Case file (JSON, text or PDF), or a folder of them."),
        as_json: bool = typer.Option(False, "--json", help="Print the draft as JSON."),
        letter: Path | None = typer.Option(None, "--letter", help="Write the draft letter to a .txt, .html or .pdf file."),
        out: Path | None = typer.Option(None, "--out", help="For a folder: write one JSON draft per line here."),
        kb_dir: Path | None = KB_OPTION,
        corpus: Path | None = typer.Option(None, "--corpus", envvar="OPENIMR_PRECEDENTS_CORPUS",
                                           help="Letters corpus: show each item's precedents beside its decision."),
        jobs: int = typer.Option(1, "--jobs", min=0, max=64,
                                 help="For a folder: worker processes drafting at once (0: one per core). "
                                      "Results keep the folder's order."),
    ) -> None:
        """Draft the IMR decision of every disputed item in a case, with the draft letter."""
        from openimr.cli.guidelines import _load_kb
        from openimr.engine import draft_case
        from openimr.extract.caseio import load_case

        kb = _load_kb(kb_dir)
        index = _precedent_index(corpus)
        jobs = jobs or (os.cpu_count() or 1)
        if case_path.is_dir():
            if letter is not None:
                fail(f"{case_path}: --letter takes one case, not a folder")
            _review_folder(case_path, out, as_json, kb, index, jobs)
            return
        case = load_case(case_path)
        warn_case(case)
        draft = draft_case(case, kb)
        if index is not None:
            from openimr.precedents.query import attach_precedents

            attach_precedents(draft, case, index)
        if letter is not None:
            _write_letter(draft, case, letter)
        if out is not None:
            _atomic_write(out, (json.dumps(draft.model_dump(mode="json"), ensure_ascii=False) + "\n").encode("utf-8"))
        if as_json:
            print_json(draft)
            return
        _print_draft(draft, console())

    @app.command("check")
    def check(
        case_path: Path = typer.Argument(..., metavar="CASE", help="Case file (JSON, text or PDF)."),
        as_json: bool = typer.Option(False, "--json", help="Print the check as JSON."),
    ) -> None:
        """Pre-flight for treating physicians: per item, what is unmet or undocumented and what would satisfy it."""
        from openimr.engine import check_case
        from openimr.extract.caseio import load_case

        case = load_case(case_path)
        warn_case(case)
        items = check_case(case)
        if as_json:
            print_json(items)
            return
        con = console()
        for it in items:
            head = f"[bold]{it.request}[/] ({it.topic or 'unclassified'})"
            if it.unable_to_decide:
                con.print(f"{head}: {it.unable_to_decide}")
                continue
            if it.draft_decision == "Ineligible":
                con.print(f"{head}: conditionally non-certified by UR; not eligible for IMR")
                continue
            if not it.needs:
                con.print(f"{head}: [green]every criterion judged is met ({it.criteria_met}/{it.criteria_judged})[/]")
                continue
            con.print(f"{head}: [red]{len(it.needs)} of {it.criteria_judged} criteria not satisfied[/]")
            if it.guideline:
                con.print(f"  {it.guideline}", highlight=False)
            for n in it.needs:
                style = "red" if n.status == "unmet" else "yellow"
                con.print(f"  - [{style}]{n.status}[/] {n.id}: {n.statement}", highlight=False)
                con.print(f"      document: {n.documentation}", highlight=False)
                if n.citation:
                    con.print(f"      [dim]{n.citation}[/]", highlight=False)

    @app.command("eval")
    def eval_cmd(
        directory: Path | None = typer.Argument(None, metavar="[DIR]", help="Folder of labeled cases (*.yaml)."),
        letters: Path | None = typer.Option(None, "--letters", metavar="DIR",
                                            help="Score against real reviewers: a folder of real letters (.pdf/.txt)."),
        as_json: bool = typer.Option(False, "--json", help="Print the metrics as JSON."),
        criteria: Path | None = typer.Option(None, "--criteria", metavar="DIR",
                                             help="Score reading: criterion facts against a gold set "
                                                  "(DIR/answers.yaml and its case files)."),
    ) -> None:
        """Run labeled cases, or (--letters) real letters: balanced accuracy, overturn precision/recall, per topic.

        With --criteria DIR the criterion facts each case's disputed item is judged on are scored against
        gold answers (true / false / null / a number), beside the blank-record and always-unknown baselines.

        With --letters DIR each letter's case is posed again (its clinical case summary, disputed items and
        dates), the engine drafts it, and its decisions are scored against the reviewer's, beside the
        blank-summary and always-Upheld baselines."""
        if criteria is not None:
            if directory is not None or letters is not None:
                fail(f"{criteria}: give one of DIR, --letters DIR or --criteria DIR")
            from openimr.cli.eval_criteria import eval_criteria

            eval_criteria(criteria, as_json)
            return
        if letters is not None:
            if directory is not None:
                fail(f"{directory}: give either DIR (labeled cases) or --letters DIR, not both")
            from openimr.cli.eval_letters import eval_letters

            eval_letters(letters, as_json)
            return
        if directory is None:
            fail("eval: give a folder of labeled cases (DIR) or --letters DIR")
        from openimr.engine.evalset import run_eval

        report = run_eval(directory)
        metrics = report.metrics()
        if as_json:
            metrics["wrong"] = [i.__dict__ for i in report.items if not i.correct]
            print_json(metrics)
        else:
            _print_eval(report, metrics)
        for e in report.errors:
            warn(e)
        if report.errors:
            raise typer.Exit(1)


def _print_eval(report, m) -> None:
    from rich.table import Table

    t = Table(title=f"{m['items']} labeled items in {m['cases']} cases, {m['topics']} topics")
    t.add_column("Metric")
    t.add_column("Engine", justify="right")
    t.add_column("Blank record", justify="right")
    t.add_column("Always Upheld", justify="right")
    blank, upheld = m["baseline_blank_record"], m["baseline_always_upheld"]
    for key in ("accuracy", "balanced_accuracy", "overturn_precision", "overturn_recall", "citation_agreement",
                "topic_agreement", "justification_agreement", "overturned_share"):
        v = m[key]
        cells = [("-" if b.get(key) is None else f"{b[key]:.3f}") if key in b else "" for b in (blank, upheld)]
        t.add_row(key.replace("_", " "), "-" if v is None else f"{v:.3f}", *cells)
    console().print(t)
    pt = Table(title="Per topic")
    for col in ("Topic", "Items", "Correct", "Accuracy", "Overturned expected"):
        pt.add_column(col, justify="right" if col != "Topic" else "left")
    for topic, r in m["per_topic"].items():
        pt.add_row(topic, str(r["items"]), str(r["correct"]), f"{r['accuracy']:.2f}", str(r["overturned_expected"]))
    console().print(pt)
    wrong = [i for i in report.items if not i.correct]
    if wrong:
        wt = Table(title="Disagreements")
        for col in ("Case", "Request", "Expected", "Drafted", "Why"):
            wt.add_column(col)
        for i in wrong:
            wt.add_row(i.case, i.request, i.expected, i.decision or "-", i.unable_to_decide or "")
        console().print(wt)
