"""Extracted facts remembered in the process (issue 15: a re-draft of an unchanged record costs only the engine).

Two least-recently-used tables, in memory only (facts quote the record: nothing is written to disk):

- per document: what one document contributes, keyed on a hash of the document (text, id, type,
  date...), the case's request date (medication status depends on it) and the extractor version, so
  a case that gains a document re-reads only the new one;
- per case: the whole `CaseFacts`, keyed on a hash of the whole case and the extractor version, so a
  re-draft of an unchanged case skips extraction altogether.

Values are kept pickled and unpickled on every hit: each caller gets its own objects, which it may
change (the engine and the case-level steps of extraction do) without touching the cached copy.
`OPENIMR_FACTS_CACHE=0` turns both tables off (and the rule matchers' window memo, windows.MatchMemo);
`clear()` empties them all.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

MAX_DOCUMENTS = 2048  # entries; a document's facts pickle to a few KB
MAX_CASES = 256
MAX_BYTES = 128 * 1024 * 1024  # per table


class _LRU:
    def __init__(self, max_entries: int, max_bytes: int):
        self._data: OrderedDict[str, bytes] = OrderedDict()
        self._bytes = 0
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: str) -> bytes | None:
        with self._lock:
            blob = self._data.get(key)
            if blob is None:
                self.misses += 1
                return None
            self._data.move_to_end(key)
            self.hits += 1
            return blob

    def put(self, key: str, blob: bytes) -> None:
        if len(blob) > self._max_bytes:
            return
        with self._lock:
            old = self._data.pop(key, None)
            if old is not None:
                self._bytes -= len(old)
            self._data[key] = blob
            self._bytes += len(blob)
            while len(self._data) > self._max_entries or self._bytes > self._max_bytes:
                _, dropped = self._data.popitem(last=False)
                self._bytes -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._bytes = 0
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._data)


documents = _LRU(MAX_DOCUMENTS, MAX_BYTES)
cases = _LRU(MAX_CASES, MAX_BYTES)

_VERSION: str | None = None


def extractor_version() -> str:
    """The package version and a hash of the extractor's source (this package, the lexicon it reads words by, and
    the drug reader)."""
    global _VERSION
    if _VERSION is None:
        from openimr import __version__

        h = hashlib.sha256(__version__.encode())
        here = Path(__file__).resolve().parent
        sources = sorted(here.glob("*.py")) + sorted((here.parent / "lexicon").glob("*.py"))
        sources.append(here.parent / "guidelines" / "drugs.py")
        for path in sources:
            try:
                h.update(path.name.encode() + b"\0" + path.read_bytes())
            except OSError:
                h.update(path.name.encode() + b"\0?")
        _VERSION = f"{__version__}+{h.hexdigest()[:16]}"
    return _VERSION


def enabled() -> bool:
    return os.environ.get("OPENIMR_FACTS_CACHE", "1").strip().lower() not in ("0", "false", "no", "off")


def key_of(*parts: str) -> str:
    h = hashlib.sha256(extractor_version().encode())
    for part in parts:
        h.update(b"\0")
        h.update(part.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def remembered(table: _LRU, key: str, make: Callable[[], T]) -> T:
    """`make()`'s value for `key`: unpickled from `table` when there, else made, remembered and returned."""
    if not enabled():
        return make()
    blob = table.get(key)
    if blob is not None:
        return pickle.loads(blob)
    value = make()
    table.put(key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    return value


def clear() -> None:
    """Forget every remembered reading: both tables, and the rule matchers' window memo (windows.MatchMemo)."""
    from openimr.extract import windows

    documents.clear()
    cases.clear()
    windows.clear_memos()


def stats() -> dict[str, Any]:
    return {name: {"entries": len(t), "hits": t.hits, "misses": t.misses}
            for name, t in (("documents", documents), ("cases", cases))}
