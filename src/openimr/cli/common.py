"""Helpers shared by CLI commands: one-line errors, JSON output."""

from __future__ import annotations

import json
import sys
from typing import Any, NoReturn

from pydantic import BaseModel


def fail(message: str, code: int = 2) -> NoReturn:
    """Print one line to stderr and exit: the form every user error takes."""
    sys.stderr.write(f"error: {message}\n")
    sys.exit(code)


def warn(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")


def to_jsonable(obj: Any) -> Any:
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    if isinstance(obj, list):
        return [to_jsonable(o) for o in obj]
    return obj


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(to_jsonable(obj), indent=2, ensure_ascii=False) + "\n")
