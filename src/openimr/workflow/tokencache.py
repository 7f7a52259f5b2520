"""A short-lived cache of bearer-token checks (issue 15).

Every request authenticates; without a cache that is a read transaction and a query on `users` before
the request's own work (a case view was 8 SQL statements, 2 of them the token check). Only successful
checks are cached, keyed on the token's SHA-256 (the token itself is never kept), for `ttl` seconds.
Deactivating a user drops that user's entries at once in this process; another worker process of the
same service may still accept the token until its entry expires, so `ttl` bounds how long a revoked
token can live there (2 s by default; 0 turns the cache off).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

DEFAULT_TTL = 2.0
MAX_ENTRIES = 4096  # a bound on memory: the cache is cleared when full (entries are cheap to refill)


class TokenCache:
    def __init__(self, ttl: float = DEFAULT_TTL, clock: Callable[[], float] = time.monotonic):
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, Any]] = {}

    def get(self, token_hash: str) -> Any | None:
        if self.ttl <= 0:
            return None
        with self._lock:
            hit = self._entries.get(token_hash)
            if hit is None:
                return None
            if hit[0] <= self._clock():
                del self._entries[token_hash]
                return None
            return hit[1]

    def put(self, token_hash: str, actor: Any) -> None:
        if self.ttl <= 0:
            return
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES:
                self._entries.clear()
            self._entries[token_hash] = (self._clock() + self.ttl, actor)

    def forget_user(self, user_id: str) -> None:
        """Drop every entry of `user_id` (its token was revoked)."""
        with self._lock:
            for h in [h for h, (_, a) in self._entries.items() if getattr(a, "id", None) == user_id]:
                del self._entries[h]
