"""Entry point for the `openimr` command.

Heavy libraries (spaCy, FastAPI, DuckDB) are imported inside commands, not here, so that
`openimr --help` and quick commands start fast.
"""

from __future__ import annotations

import sys

import typer

from openimr import __version__
from openimr.cli import engine as engine_cli
from openimr.cli import extract as extract_cli
from openimr.cli import guidelines as guidelines_cli
from openimr.cli import letters as letters_cli
from openimr.cli import precedents as precedents_cli
from openimr.cli import service as service_cli
from openimr.cli.common import fail
from openimr.errors import OpenIMRError

app = typer.Typer(
    name="openimr",
    help="OpenIMR: draft, explain and run California workers' compensation Independent Medical Review.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"openimr {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """OpenIMR drafts; a licensed reviewer decides and signs."""


letters_cli.register(app)
precedents_cli.register(letters_cli.letters_app)
guidelines_cli.register(app)
extract_cli.register(app)
engine_cli.register(app)
service_cli.register(app)


def main() -> None:
    try:
        app()
    except OpenIMRError as exc:  # a user's mistake: one line, no traceback
        fail(str(exc))
    except KeyboardInterrupt:
        sys.exit(130)
