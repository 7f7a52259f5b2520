"""Helpers shared by CLI commands: one-line errors and warnings, JSON output, atomic writes, wide
tables when piped, and the warnings a case file deserves."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

PIPED_WIDTH = 200  # columns for tables when stdout is not a terminal (Rich would assume 80)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line to stderr and exit: the form every user error takes."""
    sys.stderr.write(f"error: {message}\n")
    sys.exit(code)


def warn(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")


def caution(message: str) -> None:
    """A warning about the input that does not stop the command."""
    sys.stderr.write(f"warning: {message}\n")


def to_jsonable(obj: Any) -> Any:
    # duck-typed rather than isinstance(BaseModel): importing pydantic here cost every command, --help too
    if hasattr(obj, "model_dump") and not isinstance(obj, type):
        return obj.model_dump(mode="json")
    if isinstance(obj, list):
        return [to_jsonable(o) for o in obj]
    return obj


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False) + "\n")


def emit_report(metrics: Any, errors: list[str], as_json: bool, print_tables: Callable[[], None]) -> None:
    """The end of every `eval` mode: the metrics as JSON or as tables, then each error on stderr; exit 1 when a
    file could not be scored (the rest were), so scripts notice a partial run."""
    import typer

    if as_json:
        print_json(metrics)
    else:
        print_tables()
    for e in errors:
        warn(e)
    if errors:
        raise typer.Exit(1)


def console(stderr: bool = False):
    """A Rich console; piped or captured, tables get PIPED_WIDTH columns instead of being cut at 80."""
    from rich.console import Console

    c = Console(stderr=stderr)
    return c if c.is_terminal else Console(stderr=stderr, width=PIPED_WIDTH)


def atomic_write(path: Path | str, data: bytes | str) -> None:
    """Write `data` to `path` all at once (a temporary file renamed over it). The folder must exist
    (one-line error otherwise: never create folders the user did not ask for); the file gets the
    permissions the umask gives a new file, not the temporary file's owner-only ones."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_writer(path) as f:
        f.write(raw)


def write_or_fail(path: Path | str, write: Callable[[], object], done: str | None = None) -> None:
    """Run `write()` (which writes `path`), turn an OSError into the one-line error, then say what was written."""
    try:
        write()
    except OSError as exc:
        fail(f"{path}: cannot write ({exc.strerror or exc})")
    sys.stderr.write(f"{done or f'wrote {path}'}\n")


@contextlib.contextmanager
def atomic_writer(path: Path | str):
    """A binary file to write `path` in pieces (issue 15: batches stream their results to disk): the pieces
    go to a temporary file in the same folder, renamed over `path` only when the block ends without an
    exception, so a reader never sees half a file; the same checks and permissions as `atomic_write`."""
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        fail(f"{path}: folder {parent} does not exist")
    if path.is_dir():
        fail(f"{path}: is a folder, not a file")
    umask = os.umask(0)
    os.umask(umask)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        fail(f"{path}: cannot write ({exc.strerror or exc})")
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def case_warnings(case: Any, today: dt.date | None = None) -> list[str]:
    """Dates that are possible but probably mistyped: in the future, or a UR decision (or request)
    before the injury."""
    today = today or dt.date.today()
    out: list[str] = []
    doi = case.injured_worker.date_of_injury if case.injured_worker else None
    dates: list[tuple[str, dt.date | None]] = [
        ("injured_worker.date_of_injury", doi),
        ("request_for_authorization.date", case.request_for_authorization.date if case.request_for_authorization else None),
        ("utilization_review.date", case.utilization_review.date if case.utilization_review else None),
        ("application.ur_decision_date", case.application.ur_decision_date if case.application else None),
        ("application.received_date", case.application.received_date if case.application else None),
    ]
    dates += [(f"documents.{d.id}.date", d.date) for d in case.documents]
    for field, d in dates:
        if d is not None and d > today:
            out.append(f"{field}: {d} is in the future")
    if doi is not None:
        for field, d in dates[1:4]:
            if d is not None and d < doi:
                out.append(f"{field}: {d} is before the date of injury {doi}")
    return out


def warn_case(case: Any) -> None:
    for w in case_warnings(case):
        caution(w)


def _hide_flag_types() -> None:
    """Typer 0.29 prints every flag as `--json <bool>`: a flag takes no value, so show none."""
    try:
        from typer.core import TyperOption
    except ImportError:  # pragma: no cover - another Typer
        return
    original = TyperOption.display_type_rich
    if getattr(original, "_openimr", False):
        return

    def display_type_rich(self, ctx):
        return None if getattr(self, "is_flag", False) else original(self, ctx)

    display_type_rich._openimr = True  # type: ignore[attr-defined]
    TyperOption.display_type_rich = display_type_rich


_hide_flag_types()
