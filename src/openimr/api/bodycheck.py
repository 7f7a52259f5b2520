"""Text that no database stores faithfully is refused at the door, naming the field.

PostgreSQL refuses a NUL character in text (and its error would carry the statement's values); a lone
UTF-16 surrogate (JSON "\\ud800") cannot be encoded as UTF-8 by either database driver; and a JSON
value nested hundreds deep exhausts the recursion of the JSON column's encoder. Each is a 422 naming
the field before anything reaches the database.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, model_validator
from pydantic_core import PydanticCustomError

MAX_DEPTH = 32  # no field of a case file nests anywhere near this deep


def _problem(text: str) -> str | None:
    if "\x00" in text:
        return "contains a NUL character (\\u0000), which cannot be stored"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a lone UTF-16 surrogate (e.g. \\ud800), which is not valid Unicode text"
    return None


def find_problem(data: Any, path: tuple[str, ...] = (), depth: int = 0) -> tuple[str, str] | None:
    """(dotted field, problem) for the first unstorable value in `data`, else None. Iterative enough:
    the depth check stops before Python's own recursion limit could be reached."""
    if depth > MAX_DEPTH:
        return ".".join(path) or "body", f"nested more than {MAX_DEPTH} levels deep"
    if isinstance(data, str):
        p = _problem(data)
        return (".".join(path) or "body", p) if p else None
    if isinstance(data, dict):
        for k, v in data.items():
            key = str(k)
            p = _problem(key)
            if p:
                return ".".join((*path, key.encode("utf-8", "backslashreplace").decode())) or "body", "key " + p
            found = find_problem(v, (*path, key), depth + 1)
            if found:
                return found
    elif isinstance(data, list | tuple):
        for i, v in enumerate(data):
            found = find_problem(v, (*path, str(i)), depth + 1)
            if found:
                return found
    return None


class StorableBody(BaseModel):
    """Request bodies inherit this: the raw JSON is checked before any field is validated."""

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, data: Any) -> Any:
        found = find_problem(data)
        if found:
            field, problem = found
            raise PydanticCustomError("unstorable_text", "{problem}", {"field": field, "problem": problem})
        return data
