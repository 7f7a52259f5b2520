"""Text that no database stores faithfully, found before it reaches one (NUL characters, lone UTF-16
surrogates, JSON nested without end). The API refuses such a body with a 422 naming the field
(`openimr.api.bodycheck`); the service checks again for callers that are not the API (the UI)."""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 32  # no field of a case file nests anywhere near this deep


def _problem(text: str) -> str | None:
    if "\x00" in text:
        return "contains a NUL character (\\u0000), which cannot be stored"
    if text.isascii():
        return None
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
