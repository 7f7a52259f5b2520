"""`openimr classify` and `openimr guidelines list|packs|show|coverage|resolve`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from openimr.cli.common import console, fail, print_json
from openimr.errors import OpenIMRError

guidelines_app = typer.Typer(
    help="The guideline knowledge base: topics, criteria, citations, coverage.", no_args_is_help=True,
    add_completion=False,
)

KB_OPTION = typer.Option(
    None, "--kb",
    help="Guideline pack folder(s) to add, separated by the OS path separator (also OPENIMR_KB_PATH); a folder "
         "without pack.yaml is used alone as the whole knowledge base.",
)


def _load_kb(kb_dir: Path | None):
    """The knowledge base, or a one-line error naming the bad file, field and problem.

    `--kb` adds pack folders to the shipped pack (and to OPENIMR_KB_PATH and installed packs); a single
    bare folder of topic files (no pack.yaml) is the whole knowledge base, as before packs.
    """
    import os

    from openimr.guidelines.knowledge_base import default_knowledge_base, load_knowledge_base
    from openimr.guidelines.packs import PACK_MANIFEST, build_knowledge_base

    try:
        if not kb_dir:
            return default_knowledge_base()
        folders = [Path(p) for p in str(kb_dir).split(os.pathsep) if p.strip()]
        if len(folders) == 1 and not (folders[0] / PACK_MANIFEST).is_file():
            return load_knowledge_base(folders[0])
        return build_knowledge_base(folders)
    except OpenIMRError as exc:
        fail(str(exc))


def _parse_date(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail(f"--on {value}: not a date (use YYYY-MM-DD)")


def classify_cmd(
    text: str = typer.Argument(..., help="A disputed-item string, e.g. \"Norco 10/325mg #120\"."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    kb_dir: Path | None = KB_OPTION,
) -> None:
    """Read a request string into topic, category, drug, laterality, levels, region and sessions."""
    from openimr.guidelines.classifier import classify

    try:
        result = classify(text, kb=_load_kb(kb_dir))
    except OpenIMRError as exc:
        fail(str(exc))
    if as_json:
        print_json(result)
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(show_header=False, box=None)
    table.add_row("text", escape(result.text))
    table.add_row("topic", result.topic or "[bold]not recognized[/bold]")
    table.add_row("category", result.category or "")
    if result.drug:
        for name, value in result.drug.model_dump().items():
            table.add_row(f"drug.{name}", "" if value is None else escape(str(value)))
    for name in ("laterality", "body_region", "sessions", "frequency"):
        value = getattr(result, name)
        if value is not None:
            table.add_row(name, str(value))
    if result.levels:
        table.add_row("levels", ", ".join(result.levels))
    if result.candidates:
        table.add_row("candidates", ", ".join(f"{c.topic} ({c.score:.2f})" for c in result.candidates))
    console().print(table)


@guidelines_app.command("list")
def list_cmd(
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    kb_dir: Path | None = KB_OPTION,
) -> None:
    """Every topic: id, category, name, the guidelines that address it."""
    kb = _load_kb(kb_dir)
    rows = [
        {
            "id": t.id,
            "category": t.category,
            "name": t.name,
            "guidelines": [f"{g.source} {g.document} {g.edition}" for g in t.guidelines],
            "criteria": sum(len(g.criteria) for g in t.guidelines),
        }
        for t in sorted(kb.topics.values(), key=lambda t: (t.category, t.id))
    ]
    if as_json:
        print_json(rows)
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"{len(rows)} topics ({kb.content_hash})")
    for col in ("id", "category", "name", "criteria", "guidelines"):
        table.add_column(col)
    for r in rows:
        table.add_row(r["id"], r["category"], escape(r["name"]), str(r["criteria"]), escape("; ".join(r["guidelines"])))
    console().print(table)


@guidelines_app.command("packs")
def packs_cmd(
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    kb_dir: Path | None = KB_OPTION,
) -> None:
    """The guideline packs loaded: name, version, source, effective dates, topics, content hash, licence."""
    kb = _load_kb(kb_dir)
    rows = [
        {
            "name": p.manifest.name, "version": p.manifest.version, "title": p.manifest.title, "source": p.source,
            "example": p.manifest.example, "effective_from": p.manifest.effective_from.isoformat(),
            "effective_to": p.manifest.effective_to.isoformat() if p.manifest.effective_to else None,
            "topics": len(p.topics), "content_hash": p.content_hash, "licence": " ".join(p.manifest.licence.split()),
            "path": str(p.path),
        }
        for p in kb.packs
    ]
    if as_json:
        print_json({"knowledge_base": kb.content_hash, "packs": rows})
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"{len(rows)} guideline pack(s), knowledge base {kb.content_hash}")
    for col in ("name", "version", "source", "in force", "topics", "content hash"):
        table.add_column(col, overflow="fold")
    for r in rows:
        name = escape(r["name"]) + (" [yellow](example: not clinical content)[/yellow]" if r["example"] else "")
        table.add_row(name, escape(r["version"]), escape(r["source"]),
                      f"{r['effective_from']} to {r['effective_to'] or 'in force'}", str(r["topics"]),
                      r["content_hash"])
    con = Console()
    con.print(table)
    for r in rows:
        con.print(f"[bold]{escape(r['name'])}[/bold] ({escape(r['path'])}): licence: {escape(r['licence'])}")
    if not rows:
        con.print("a bare topic folder: no packs")


@guidelines_app.command("show")
def show_cmd(
    topic_id: str = typer.Argument(..., metavar="TOPIC", help="Topic id (see `openimr guidelines list`)."),
    on: str | None = typer.Option(None, "--on", help="Request date (YYYY-MM-DD): show the evidence hierarchy then."),
    as_json: bool = typer.Option(False, "--json", help="Print the topic as JSON."),
    kb_dir: Path | None = KB_OPTION,
) -> None:
    """A topic's guideline entries, criteria and citations; unverified items are marked."""
    from openimr.guidelines.hierarchy import resolve

    try:
        kb = _load_kb(kb_dir)
        topic = kb.topic(topic_id)
        if topic is None:
            fail(f"{topic_id}: topic not in the knowledge base (see `openimr guidelines list`)")
        day = _parse_date(on)
        chain = resolve(kb, topic_id, day) if on else None
    except OpenIMRError as exc:
        fail(str(exc))
    if as_json:
        data = topic.model_dump(mode="json")
        if chain is not None:
            data["resolved"] = [{"source": r.entry.source, "edition": r.entry.edition, "role": r.role,
                                 "reason": r.reason} for r in chain]
        print_json(data)
        return
    from rich.markup import escape

    con = console()
    con.print(f"[bold]{escape(topic.name)}[/bold]  ({topic.id}, {topic.category}"
              + (f", {escape(topic.subcategory)}" if topic.subcategory else "") + ")")
    if topic.synonyms:
        con.print("synonyms: " + escape(", ".join(topic.synonyms)))
    if chain is not None:
        con.print(f"\n[bold]evidence hierarchy on {on}[/bold]")
        for i, r in enumerate(chain, 1):
            con.print(f"  {i}. {escape(r.reason)}")
    for g in topic.guidelines:
        mark = "" if g.verified else "  [yellow](unverified)[/yellow]"
        end = g.effective_to.isoformat() if g.effective_to else "in force"
        con.print(f"\n[bold]{escape(g.source)}[/bold] {escape(g.document)} {escape(g.edition)} "
                  f"({'MTUS' if g.mtus else 'non-MTUS'}; {g.effective_from.isoformat()} to {end}){mark}")
        cite = g.citation()
        where = ", ".join(x for x in [cite.chapter, "; ".join(cite.sections), f"p. {cite.pages}" if cite.pages else None] if x)
        con.print(f"  status: {g.status}; {escape(where)}")
        con.print(f"  {escape(g.summary)}")
        for c in g.criteria:
            cm = "" if c.verified else " [yellow](unverified)[/yellow]"
            con.print(f"  - [bold]{escape(c.id)}[/bold]{cm}: {escape(c.statement)}")
            cc = c.citation
            bits = [cc.source, cc.document, cc.edition_or_year, cc.chapter, "; ".join(cc.sections),
                    f"p. {cc.pages}" if cc.pages else None]
            con.print("      cite: " + escape(", ".join(b for b in bits if b)))


@guidelines_app.command("coverage")
def coverage_cmd(
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    kb_dir: Path | None = KB_OPTION,
) -> None:
    """Topics, entries, criteria, cited criteria and unverified marks per category."""
    from openimr.guidelines.coverage import coverage, coverage_json

    kb = _load_kb(kb_dir)
    if as_json:
        print_json(coverage_json(kb))
        return
    from rich.table import Table

    rows, total = coverage(kb)
    table = Table(title=f"knowledge base {kb.content_hash}")
    for col in ("category", "topics", "entries", "MTUS entries", "criteria", "cited", "unverified"):
        table.add_column(col, justify="left" if col == "category" else "right")
    for r in [*rows, total]:
        table.add_row(r.category, str(r.topics), str(r.entries), str(r.mtus_entries), str(r.criteria),
                      str(r.cited_criteria), str(r.unverified), style="bold" if r is total else None)
    console().print(table)


@guidelines_app.command("resolve")
def resolve_cmd(
    topic_id: str = typer.Argument(..., metavar="TOPIC"),
    on: str | None = typer.Option(None, "--on", help="Request or UR date (YYYY-MM-DD); default: latest editions."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    kb_dir: Path | None = KB_OPTION,
) -> None:
    """The ordered guidelines for a topic on a date, and why each applies (8 CCR 9792.21.1)."""
    from openimr.guidelines.hierarchy import resolve

    try:
        chain = resolve(_load_kb(kb_dir), topic_id, _parse_date(on))
    except OpenIMRError as exc:
        fail(str(exc))
    rows = [{"source": r.entry.source, "document": r.entry.document, "edition": r.entry.edition, "role": r.role,
             "reason": r.reason} for r in chain]
    if as_json:
        print_json(rows)
        return
    for i, r in enumerate(rows, 1):
        typer.echo(f"{i}. [{r['role']}] {r['reason']}")


def register(app: typer.Typer) -> None:
    """Attach `classify` and `guidelines ...` to the root app."""
    app.command("classify")(classify_cmd)
    app.add_typer(guidelines_app, name="guidelines")
