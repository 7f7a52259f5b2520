"""One writer at a time on a SQLite file, across threads and worker processes (issue 15).

SQLite has a single writer lock. Writers that meet it held wait in SQLite's busy handler, which polls
with sleeps of 1, 2, 5, 10 ... 100 ms: unfair, and under load a writer sleeps long after the lock was
freed. Within one process the service already queued its writers on a `threading.Lock`; with
`openimr serve --workers N` the processes still met in the busy handler, and every read's audit commit
is a write. This lock adds an exclusive `flock` on a small file beside the database (`<db>.writelock`),
which the kernel hands over the moment it is released, so the workers queue instead of polling.
Where `fcntl` or a file path is missing (in-memory databases, non-POSIX systems) it is the thread lock
alone, as before.
"""

from __future__ import annotations

import logging
import os
import threading
from contextlib import AbstractContextManager

try:  # POSIX only
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger("openimr.service")


class WriteLock(AbstractContextManager):
    def __init__(self, database_path: str | None):
        self._thread_lock = threading.Lock()
        self.path = f"{database_path}.writelock" if database_path and fcntl is not None else None
        self._fd: int | None = None
        self._pid: int | None = None

    def _file(self) -> int:
        # opened lazily and again after a fork: a child must not share its parent's open file description
        if self._fd is None or self._pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def __enter__(self) -> WriteLock:
        self._thread_lock.acquire()
        if self.path is not None:
            try:
                fcntl.flock(self._file(), fcntl.LOCK_EX)
            except OSError as exc:  # e.g. a read-only folder: SQLite's own lock still guards the file
                log.warning("no cross-process write lock (%s): writers meet in SQLite's busy handler",
                            type(exc).__name__)
                self.path = None
            except BaseException:
                self._thread_lock.release()
                raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.path is not None and self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()

    def close(self) -> None:
        if self._fd is not None and self._pid == os.getpid():
            os.close(self._fd)
        self._fd = None
