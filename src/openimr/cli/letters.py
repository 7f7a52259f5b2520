"""`openimr letters ...`: parse letters into a corpus, count a corpus, render a determination."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from openimr.cli.common import atomic_write, console, fail, print_json, write_or_fail
from openimr.errors import InputError

PROGRESS_THRESHOLD = 20  # files: above this a progress bar is shown on stderr

letters_app = typer.Typer(
    help="Read, write and count IMR Final Determination letters.", no_args_is_help=True, add_completion=False
)


@letters_app.command("parse")
def parse_cmd(
    inputs: list[str] = typer.Argument(..., metavar="FILE_OR_DIR...", help="Letters (.txt/.pdf) or folders."),
    as_json: bool = typer.Option(False, "--json", help="Print the parsed record(s) as JSON."),
    out: Path | None = typer.Option(None, "--out", help="Write a corpus: .jsonl or .parquet (atomically)."),
    encoding: str | None = typer.Option(None, "--encoding", help="Text encoding of .txt letters (default UTF-8)."),
    progress: bool | None = typer.Option(None, "--progress/--no-progress", help="Progress bar (default: many files)."),
) -> None:
    """Parse letters (text or PDF) into records or a corpus.

    A bad file prints one `error: <file>: <problem>` line and the batch goes on; the exit code is 1
    when any file failed."""
    from openimr.letters.corpus import find_letters, to_record, write_corpus
    from openimr.letters.reader import parse_letter_file

    if out is not None and out.suffix.lower() not in (".jsonl", ".parquet"):
        fail(f"{out}: --out must end in .jsonl or .parquet")
    targets = list(find_letters(inputs))
    records: list[dict] = []
    failed = 0

    show = progress if progress is not None else len(targets) > PROGRESS_THRESHOLD
    bar = None
    if show:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(TextColumn("parsing letters"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                       console=Console(stderr=True), transient=True)
        bar.start()
        task = bar.add_task("parse", total=len(targets))

    def report(message: str) -> None:
        if bar is not None:
            bar.console.print(message, markup=False, highlight=False, soft_wrap=True)
        else:
            sys.stderr.write(message + "\n")

    try:
        for target in targets:
            if isinstance(target, InputError):
                failed += 1
                report(f"error: {target}")
            else:
                try:
                    d = parse_letter_file(target, encoding=encoding)
                    records.append(to_record(d, str(target)))
                except InputError as exc:
                    failed += 1
                    report(f"error: {exc}")
                except Exception as exc:  # noqa: BLE001 - a reader bug must not stop the batch
                    failed += 1
                    report(f"error: {target}: unexpected error while parsing ({exc.__class__.__name__}: {exc})")
            if bar is not None:
                bar.advance(task)
    finally:
        if bar is not None:
            bar.stop()

    if out is not None:
        write_or_fail(out, lambda: write_corpus(records, out), f"wrote {len(records)} letter(s) to {out}")
    if as_json:
        single = len(inputs) == 1 and len(targets) == 1 and not Path(inputs[0]).is_dir()
        print_json(records[0] if single and records else records)
    elif out is None:
        for r in records:
            decisions = [it["decision"] for it in r["items"]]
            up = decisions.count("Upheld")
            spec = r["reviewer"]["specialty"] or "specialty not stated"
            typer.echo(f"{r['source']}: {len(decisions)} item(s), {up} upheld, {len(decisions) - up} overturned; "
                       f"{spec}" + (" [DRAFT]" if r["status"] == "draft" else ""))
    if failed:
        sys.stderr.write(f"{failed} of {len(targets)} file(s) failed\n")
        raise typer.Exit(1)


@letters_app.command("stats")
def stats_cmd(
    corpus: Path = typer.Argument(..., help="Corpus from `openimr letters parse --out` (.jsonl or .parquet)."),
    plot: Path | None = typer.Option(None, "--plot", help="Draw uphold rate by item category to this PNG."),
    as_json: bool = typer.Option(False, "--json", help="Print the statistics as JSON instead of tables."),
) -> None:
    """Count a corpus: uphold rates overall and by source, section, specialty, category.

    Uphold rate overall, by guideline source (MTUS/ODG/ACOEM), by MTUS section, by reviewer specialty
    and by item category, as tables."""
    from openimr.letters.stats import compute_stats, load_corpus, plot_stats, print_stats

    try:
        records = load_corpus(corpus)
    except InputError as exc:
        if exc.problem.startswith("cannot read corpus"):  # not the database's words: what the file is not
            fail(f"{corpus}: cannot read corpus: not a letters corpus (one parsed letter per line, as `openimr letters parse "
                 f"--out corpus.jsonl LETTERS...` writes it); a case file goes to `openimr review`")
        fail(str(exc))
    try:
        stats = compute_stats(records)
    except InputError as exc:
        fail(str(exc))
    if as_json:
        print_json(stats)
    else:
        print_stats(stats, console=console())  # wide tables when piped
    if plot is not None:
        write_or_fail(plot, lambda: plot_stats(stats, plot))


@letters_app.command("render")
def render_cmd(
    determination: Path = typer.Argument(..., help="A Determination as JSON, or the list `letters parse --json` prints for a folder."),
    fmt: str = typer.Option("text", "--format", "-f", help="text, html or pdf."),
    out: Path | None = typer.Option(None, "--out", help="Write here (atomically) instead of stdout; a folder for a list."),
) -> None:
    """Render a Determination (or a list of them) as the standard letter."""
    from pydantic import ValidationError

    from openimr.letters.writer import render_html, render_pdf, render_text
    from openimr.models.letter import Determination

    if fmt not in ("text", "html", "pdf"):
        fail(f"--format: {fmt!r} is not one of text, html, pdf")
    try:
        data = json.loads(determination.read_text(encoding="utf-8"))
    except FileNotFoundError:
        fail(f"{determination}: no such file")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        fail(f"{determination}: not JSON ({exc.__class__.__name__})")
    # `letters parse --json` on a folder prints a list: render each of them
    many = data if isinstance(data, list) else [data]
    if not many:
        fail(f"{determination}: an empty list, no determination to render")
    bodies: list[tuple[str, bytes]] = []
    for i, one in enumerate(many):
        where = f"{determination}" + (f": [{i}]" if isinstance(data, list) else "")
        if not isinstance(one, dict):
            fail(f"{where}: not a Determination object")
        source = one.pop("source", None)
        try:
            d = Determination.model_validate(one)
        except ValidationError as exc:
            err = exc.errors()[0]
            fail(f"{where}: {'.'.join(str(x) for x in err['loc'])}: {err['msg']}")
        body: bytes = (
            render_pdf(d) if fmt == "pdf" else (render_html(d) if fmt == "html" else render_text(d)).encode("utf-8")
        )
        bodies.append((Path(source).stem if source else f"letter-{i + 1}", body))
    suffix = {"text": ".txt", "html": ".html", "pdf": ".pdf"}[fmt]
    if len(bodies) > 1 and out is not None:
        if not out.is_dir():
            fail(f"{out}: {len(bodies)} letters need a folder for --out (one file each)")
        for name, body in bodies:
            atomic_write(out / f"{name}{suffix}", body)
        sys.stderr.write(f"wrote {len(bodies)} letter(s) to {out}\n")
    elif out is not None:
        atomic_write(out, bodies[0][1])
    elif fmt == "pdf" and (sys.stdout.isatty() or len(bodies) > 1):
        fail("refusing to write PDF to a terminal (or several PDFs to one stream): use --out FILE_OR_FOLDER")
    else:
        sys.stdout.buffer.write(b"\f\n".join(b for _, b in bodies))


def register(app: typer.Typer) -> None:
    """Attach this stage's commands to the root app."""
    app.add_typer(letters_app, name="letters")
