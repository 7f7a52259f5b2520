"""Precedents in the case service: the organization's issued determinations plus any loaded letters.

The service hands over its issued determinations (rows it read from its database); this class keeps
them, with the letters of an optional corpus, in one precedent index folder, adding only what is new
(a corrected determination replaces the earlier version of its case), and attaches precedents beside
each draft. It never touches a draft's decisions.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openimr.precedents.index import PrecedentIndex, update_index
from openimr.precedents.query import attach_precedents


def issued_key(case_id: str, case_number: str | None = None) -> str:
    return case_number or f"case-{case_id}"


class ServicePrecedents:
    def __init__(self, folder: str | Path, letters_corpus: str | Path | None = None, k: int = 5):
        self.folder = Path(folder)
        self.k = k
        self._lock = threading.Lock()
        self._seen: set[str] = set()
        self.since: dt.datetime = dt.datetime(1970, 1, 1)
        self._index: PrecedentIndex | None = None
        # the folder holds text of issued determinations: readable by the service's user only
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o700)
        if letters_corpus is not None:
            from openimr.letters.stats import load_corpus

            update_index(load_corpus(letters_corpus), self.folder, full=False)

    def add_issued(self, rows: Iterable[Any]) -> int:
        """Index issued determinations: rows of (id, case_id, case_number, version, signed_at,
        determination JSON). Rows seen before are skipped; the latest version of a case wins."""
        latest: dict[str, tuple[int, dict[str, Any]]] = {}
        newest = self.since
        for row in rows:
            det_id, case_id, case_number, version, signed_at, det = tuple(row)
            if det_id in self._seen:
                continue
            self._seen.add(det_id)
            newest = max(newest, signed_at or newest)
            key = issued_key(case_id, case_number)
            if key not in latest or version > latest[key][0]:
                record = {k: v for k, v in (det or {}).items() if k in ("clinical_case_summary", "items")}
                record.update(source=f"issued:{case_id}", case_number=key,
                              decision_date=signed_at.date().isoformat() if signed_at else None)
                latest[key] = (version, record)
        self.since = newest
        if latest:
            update_index([r for _, r in latest.values()], self.folder, full=False)
            self._index = None
        return len(latest)

    def index(self) -> PrecedentIndex:
        if self._index is None:
            self._index = PrecedentIndex.open(self.folder)
        return self._index

    def attach(self, draft, case, rows: Iterable[Any] = (), exclude_case: str | None = None):  # noqa: ANN001
        """Add the new issued determinations, then fill `draft.precedents` (the case's own earlier
        determinations left out)."""
        with self._lock:
            self.add_issued(rows)
            index = self.index()
        # the case's own determinations: keyed by its case number, or by its id when it has none
        exclude = [issued_key(exclude_case)] if exclude_case else []
        if case.case_number:
            exclude.append(case.case_number)
        return attach_precedents(draft, case, index, k=self.k, exclude_letters=exclude)
