"""`openimr extract CASE [--json]` (clinical facts with evidence) and `openimr schema NAME`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from openimr.cli.common import atomic_write, console, fail, print_json, warn_case
from openimr.errors import InputError

SCHEMAS = ("case-file", "case-facts")
SCHEMA_DIR = Path(__file__).resolve().parents[3] / "schemas"


def schema_for(name: str) -> dict[str, Any]:
    """The JSON Schema of a published model, generated from the pydantic classes."""
    if name == "case-file":
        from openimr.models.case import CaseFile

        schema = CaseFile.model_json_schema()
        schema["$id"] = "https://openimr.org/schemas/case-file.schema.json"
        schema["title"] = "OpenIMR case file"
    elif name == "case-facts":
        from openimr.models.facts import CaseFacts

        schema = CaseFacts.model_json_schema()
        schema["$id"] = "https://openimr.org/schemas/case-facts.schema.json"
        schema["title"] = "OpenIMR extracted case facts"
    else:
        raise InputError(name, f"unknown schema (choose from: {', '.join(SCHEMAS)})")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def schema_text(name: str) -> str:
    return json.dumps(schema_for(name), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def _rows(facts: Any) -> dict[str, tuple[list[str], list[list[str]]]]:
    def q(f: Any) -> str:
        if not f.evidence:
            return ""
        e = f.evidence[0]
        quote = " ".join(e.quote.split())
        return f"{e.document}[{e.start}:{e.end}] {quote[:60]}"

    iw = facts.injured_worker
    out: dict[str, tuple[list[str], list[list[str]]]] = {}
    out["Injured worker"] = (
        ["age", "sex", "date of injury", "evidence"],
        [[str(iw.age or ""), iw.sex or "", str(iw.date_of_injury or ""), q(iw)]],
    )
    out["Diagnoses"] = (["diagnosis", "ICD-10", "region", "evidence"], [[d.text, d.icd10 or "", d.body_region or "", q(d)] for d in facts.diagnoses])
    out["Medications"] = (
        ["generic", "brand", "strength", "frequency", "since", "days", "status", "evidence"],
        [[m.generic, m.brand or "", m.strength or "", m.frequency or "", m.since or "", str(m.duration_days or ""), m.status, q(m)] for m in facts.medications],
    )
    out["Treatments"] = (
        ["kind", "status", "sessions", "levels", "dates", "response", "evidence"],
        [
            [
                t.kind,
                t.status,
                str(t.sessions or ""),
                ", ".join(t.levels),
                ", ".join(t.dates),
                (f"{t.response.percent_relief}%" if t.response and t.response.percent_relief is not None else ""),
                q(t),
            ]
            for t in facts.treatments
        ],
    )
    out["Findings"] = (
        ["finding", "present", "laterality", "level", "evidence"],
        [[f.name, "yes" if f.present else "NO", f.laterality or "", f.level or "", q(f)] for f in facts.findings],
    )
    studies = facts.imaging + facts.electrodiagnostics
    out["Imaging / electrodiagnostics"] = (
        ["modality", "region", "finding", "level", "root", "present", "evidence"],
        [[s.modality, s.body_region or "", s.finding, s.level or "", s.nerve_root or "", "yes" if s.present else "NO", q(s)] for s in studies],
    )
    out["Pain scores"] = (["score", "context", "region", "evidence"], [[f"{p.score:g}/{p.scale_max}", p.context or "", p.body_region or "", q(p)] for p in facts.pain])
    for title, items in (("Function", facts.function), ("Work status", facts.work_status), ("Plans", facts.plans)):
        out[title] = (["kind", "text", "evidence"], [[s.kind, s.text[:80], q(s)] for s in items])
    return out


def register(app: typer.Typer) -> None:
    """Attach this stage's commands to the root app."""

    @app.command("extract")
    def extract_cmd(
        case: Path = typer.Argument(..., help="Case file: JSON case file, or one record as .txt or .pdf."),
        as_json: bool = typer.Option(False, "--json", help="Print the facts as JSON, with evidence offsets."),
    ) -> None:
        """Extract clinical facts (medications, findings, pain, treatments, studies...) with evidence."""
        from openimr.extract import extract_facts
        from openimr.extract.caseio import load_case

        try:
            case_file = load_case(case, require_items=False)  # facts need records, not disputed items
            warn_case(case_file)
            facts = extract_facts(case_file)
        except InputError as exc:
            fail(str(exc))
        if as_json:
            print_json(facts)
            return
        from rich.table import Table

        con = console()
        for title, (cols, rows) in _rows(facts).items():
            if not rows:
                continue
            table = Table(title=title, title_justify="left", show_lines=False)
            for c in cols:
                table.add_column(c, overflow="fold")
            for r in rows:
                table.add_row(*r)
            con.print(table)

    @app.command("schema")
    def schema_cmd(
        name: str = typer.Argument("case-file", help=f"Which schema: {', '.join(SCHEMAS)}."),
        output: Path | None = typer.Option(None, "--output", "-o", help="Write to this file (atomically) instead of stdout."),
    ) -> None:
        """Print (or write) the JSON Schema of the case file or the extracted facts."""
        try:
            text = schema_text(name)
        except InputError as exc:
            fail(str(exc))
        if output is None:
            typer.echo(text, nl=False)
            return
        atomic_write(output, text)


__all__ = ["register", "schema_for", "schema_text", "SCHEMAS", "print_json"]
