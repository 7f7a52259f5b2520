"""CLI commands of this stage (filled in by the stage's own work)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Attach this stage's commands to the root app."""
    return None
