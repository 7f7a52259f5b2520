"""A corpus of parsed letters: finding letter files, records, and JSONL / Parquet output.

One record per letter: the Determination's fields plus `source` (the file it was read from). JSONL
holds the records as JSON lines; Parquet holds one row per letter with the nested parts (reviewer,
injured_worker, items with their guidelines and citations) as structs and lists, so DuckDB can query
both (`read_json_auto('corpus.jsonl')`, `'corpus.parquet'`). Files are written atomically.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from openimr.errors import InputError
from openimr.models.letter import Determination

LETTER_SUFFIXES = (".txt", ".pdf")
CORPUS_SUFFIXES = (".jsonl", ".parquet")


def find_letters(inputs: Iterable[str | Path]) -> Iterator[Path | InputError]:
    """Letter files named by `inputs` (folders recurse for *.txt / *.pdf), in a stable order; a missing
    input or an empty folder yields an InputError in its place."""
    for raw in inputs:
        p = Path(raw)
        if p.is_dir():
            found = sorted(
                (f for f in p.rglob("*") if f.suffix.lower() in LETTER_SUFFIXES and f.is_file()),
                key=lambda f: str(f),
            )
            if not found:
                yield InputError(str(p), "no .txt or .pdf letters in this folder")
            yield from found
        elif p.exists():
            yield p
        else:
            yield InputError(str(p), "no such file or folder")


def to_record(d: Determination, source: str) -> dict[str, Any]:
    """The corpus record of one letter (JSON-ready)."""
    return {"source": source, **d.model_dump(mode="json")}


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder and os.replace."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_CITATION = ("STRUCT(source VARCHAR, document VARCHAR, edition_or_year VARCHAR, chapter VARCHAR, "
             "sections VARCHAR[], pages VARCHAR)")
_GUIDELINE = f"STRUCT(mtus BOOLEAN, citations {_CITATION}[], text VARCHAR)"
_ITEM = (f"STRUCT(request VARCHAR, decision VARCHAR, original_request VARCHAR, authorized VARCHAR, "
         f"claims_administrator_guideline {_GUIDELINE}, "
         f"imr_guideline {_GUIDELINE}, rationale VARCHAR)")
# DuckDB column types of a corpus record (read_json `columns=`), so that Parquet gets real nested types
# even when a column is null in every record.
CORPUS_COLUMNS = {
    "source": "VARCHAR",
    "case_number": "VARCHAR",
    "date_assigned": "DATE",
    "decision_date": "DATE",
    "priority": "VARCHAR",
    "ur_denial_date": "DATE",
    "application_received": "DATE",
    "organization": "VARCHAR",
    "reviewer": "STRUCT(licensure VARCHAR[], specialty VARCHAR, board_certified BOOLEAN)",
    "injured_worker": "STRUCT(age INTEGER, sex VARCHAR, date_of_injury DATE)",
    "clinical_case_summary": "VARCHAR",
    "items": f"{_ITEM}[]",
    "status": "VARCHAR",
}


def duckdb_columns() -> str:
    """CORPUS_COLUMNS as a DuckDB struct literal for read_json(columns=...)."""
    return "{" + ", ".join(f"'{k}': '{v}'" for k, v in CORPUS_COLUMNS.items()) + "}"


def write_corpus(records: list[dict[str, Any]], out: str | Path) -> None:
    """Write records to .jsonl or .parquet (by suffix), atomically (temp file + os.replace)."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".jsonl", ".parquet"):
        raise InputError(str(out), "corpus file must end in .jsonl or .parquet")
    if suffix == ".jsonl":
        atomic_write_bytes(out, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8"))
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    write_rows_parquet(records, out, duckdb_columns())


def write_rows_parquet(rows: Iterable[dict[str, Any]], out: Path, columns: str) -> None:
    """Write `rows` to `out` as Parquet through DuckDB (`columns`: its read_json column spec), atomically:
    the rows are streamed to a temporary JSONL beside `out`, converted, then renamed into place."""
    import duckdb

    fd, tmp_json = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".jsonl", dir=out.parent)
    tmp_parquet = tmp_json[: -len(".jsonl")] + ".parquet"
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        con = duckdb.connect()
        try:
            con.execute(f"COPY (SELECT * FROM read_json(?, format='newline_delimited', columns={columns})) "
                        "TO ? (FORMAT parquet)", [tmp_json, tmp_parquet])
        finally:
            con.close()
        os.replace(tmp_parquet, out)
    finally:
        Path(tmp_json).unlink(missing_ok=True)
        Path(tmp_parquet).unlink(missing_ok=True)
