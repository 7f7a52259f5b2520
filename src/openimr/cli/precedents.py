"""`openimr letters index|similar|audit`: precedents from a letters corpus."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from openimr.cli.common import fail, print_json, write_or_fail
from openimr.errors import InputError

CORPUS_HELP = "Letters corpus from `openimr letters parse --out` (.jsonl or .parquet)."
INDEX_HELP = "Precedent index folder (default: <corpus>.precedents beside the corpus)."


def open_index(corpus: Path, index_dir: Path | None, workers: int | None = None):
    """The corpus's precedent index, brought up to date (a progress bar when many letters are new)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from openimr.precedents.corpus import index_corpus
    from openimr.precedents.index import PrecedentIndex

    bar: Progress | None = None
    task = None

    def progress(done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None and total > 200:
            bar = Progress(TextColumn("indexing letters"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                           console=Console(stderr=True), transient=True)
            bar.start()
            task = bar.add_task("index", total=total)
        if bar is not None:
            bar.update(task, completed=done)

    try:
        folder, rep = index_corpus(corpus, index_dir, workers, progress)
    finally:
        if bar is not None:
            bar.stop()
    if not rep.up_to_date:
        sys.stderr.write(f"precedent index {folder}: {rep.letters_added} letter(s) added, "
                         f"{rep.letters_removed} removed, {rep.items_total} items\n")
    return PrecedentIndex.open(folder), rep


def _cites(c) -> str:  # noqa: ANN001
    if not c or not c.top_guideline:
        return ""
    who = "all cite" if c.top_guideline_count == c.decided else f"{c.top_guideline_count} of {c.decided} cite"
    return f"; {who} {c.top_guideline}"


def counts_line(ip) -> str:  # noqa: ANN001
    c = ip.counts
    if c is None:
        return f"{ip.request}: not classified to a topic; nearest items by wording"
    if not c.decided:
        return f"{c.label}: no item of this kind decided in the corpus"
    parts = [f"{c.upheld} Upheld"] if c.upheld else []
    if c.overturned:
        parts.append(f"{c.overturned} Overturned")
    return f"{c.label}: {c.decided} decided, {', '.join(parts)}{_cites(c)}"


def print_item_precedents(ip, console, limit: int | None = None) -> None:  # noqa: ANN001
    console.print(f"\n[bold]{ip.request}[/] ({ip.topic or 'unclassified'})", highlight=False)
    console.print(f"  {counts_line(ip)}", highlight=False)
    if ip.share_upheld is not None:
        n = sum(1 for p in ip.precedents if p.same_topic)
        console.print(f"  nearest {n} of the same topic: {100 * ip.share_upheld:.0f}% Upheld", highlight=False)
    if ip.against_precedent and ip.note:
        console.print(f"  [bold yellow]{ip.note}[/]", highlight=False)
    if not ip.precedents:
        console.print("  no precedent found")
        return
    for p in ip.precedents[:limit]:
        style = "" if p.same_topic else "dim"
        date = p.date.isoformat() if p.date else "date not stated"
        other = "" if p.same_topic else f" (other topic: {p.topic or 'unclassified'})"
        console.print(f"  [{style}]{p.similarity:.2f}  [bold]{p.decision}[/bold]  {p.request[:90]}  "
                      f"({p.letter}, {date}){other}[/]" if style else
                      f"  {p.similarity:.2f}  [bold]{p.decision}[/bold]  {p.request[:90]}  ({p.letter}, {date})",
                      highlight=False)
        if p.guideline:
            console.print(f"        guideline: {p.guideline}", highlight=False, style=style or None)
        if p.reason:
            console.print(f"        reason: {p.reason}", highlight=False, style=style or None)


def register(letters_app: typer.Typer) -> None:
    """Attach `index`, `similar` and `audit` to `openimr letters`."""

    @letters_app.command("index")
    def index_cmd(
        corpus: Path = typer.Option(..., "--corpus", help=CORPUS_HELP),
        index_dir: Path | None = typer.Option(None, "--index", help=INDEX_HELP),
        workers: int | None = typer.Option(None, "--workers", min=1, help="Processes reading letters (default 2)."),
    ) -> None:
        """Build or update (incrementally) the precedent index of a corpus."""
        try:
            idx, rep = open_index(corpus, index_dir, workers)
        except InputError as exc:
            fail(str(exc))
        state = "up to date" if rep.up_to_date else "updated"
        typer.echo(f"{idx.folder}: {state}, {len(idx)} items from {len(idx.letter_names)} letters")

    @letters_app.command("similar")
    def similar_cmd(
        query: str = typer.Argument(..., metavar="REQUEST|CASE", help="A request (\"Soma 350mg #60\") or a case file."),
        corpus: Path = typer.Option(..., "--corpus", help=CORPUS_HELP),
        index_dir: Path | None = typer.Option(None, "--index", help=INDEX_HELP),
        top: int = typer.Option(10, "--top", "-k", min=1, max=100, help="How many precedents per item."),
        exclude: list[str] = typer.Option([], "--exclude", help="Leave out this letter (repeatable)."),
        as_json: bool = typer.Option(False, "--json", help="Print the precedents as JSON."),
    ) -> None:
        """The nearest decided items, same topic first, and how every item of its kind was decided.

        Each precedent shows its decision, date, guideline and the rationale's sentence about its case."""
        from openimr.precedents.query import case_query, item_precedents, request_query

        if not query.strip():
            fail("REQUEST|CASE: empty request")
        try:
            idx, _ = open_index(corpus, index_dir)
            path = Path(query)
            if path.suffix.lower() in (".json", ".yaml", ".yml", ".txt", ".pdf") or path.exists():
                from openimr.extract.caseio import load_case

                queries = case_query(load_case(path))
            else:
                queries = [request_query(query)]
        except InputError as exc:
            fail(str(exc))
        results = [item_precedents(idx, q, k=top, exclude_letters=exclude) for q in queries]
        if as_json:
            print_json(results)
            return
        from rich.console import Console

        console = Console()
        for ip in results:
            print_item_precedents(ip, console)

    @letters_app.command("audit")
    def audit_cmd(
        corpus: Path = typer.Option(..., "--corpus", help=CORPUS_HELP),
        index_dir: Path | None = typer.Option(None, "--index", help=INDEX_HELP),
        plot: Path | None = typer.Option(None, "--plot", help="Draw outliers by topic to this PNG."),
        neighbours: int = typer.Option(10, "--neighbours", min=1, max=100, help="Precedents compared per item."),
        min_similarity: float = typer.Option(0.35, "--min-similarity", min=0.0, max=1.0,
                                             help="How alike a precedent must be to count."),
        min_support: int = typer.Option(5, "--min-support", min=1, help="Close precedents an item needs to be judged."),
        share: float = typer.Option(0.8, "--share", min=0.5, max=1.0,
                                    help="Share of close precedents decided the other way that makes an outlier."),
        workers: int | None = typer.Option(None, "--workers", min=1, help="Processes (default 2)."),
        as_json: bool = typer.Option(False, "--json", help="Print the audit as JSON."),
    ) -> None:
        """Items decided against the bulk of their close precedents, by topic and guideline (table and plot)."""
        from openimr.precedents.audit import plot_audit, print_audit, run_audit
        from openimr.precedents.corpus import default_workers

        try:
            idx, _ = open_index(corpus, index_dir, workers)
        except InputError as exc:
            fail(str(exc))
        result = run_audit(idx, k=neighbours, min_similarity=min_similarity, min_support=min_support, share=share,
                           workers=workers or default_workers())
        if as_json:
            print_json(result.as_dict())
        else:
            print_audit(result)
        if plot is not None:
            write_or_fail(plot, lambda: plot_audit(result, plot))
