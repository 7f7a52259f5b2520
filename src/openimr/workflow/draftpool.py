"""Drafts off the request threads: the engine runs in its own process (issue 15).

A draft is CPU-bound Python (extraction, classification, criteria, rationale): 10-40 ms holding the
interpreter lock. Run on a request thread, every read in the same server process queued behind it. Here
the service hands the case to a small process pool and its request thread waits, without the lock, for
the result; reads go on meanwhile. The pool's processes are started with `spawn` (a fork of a threaded
server is unsafe), load the engine once (the warm-up) and run at a lower CPU priority (`nice`, default
+5), so that on a saturated machine the operating system serves reads before drafts; drafts then wait
longer, reads do not.

A pool process that dies (killed, out of memory) fails only the drafts it held: the pool is rebuilt and
the next draft gets a new process.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

log = logging.getLogger("openimr.service")


def _init(nice: int) -> None:
    if nice:
        with contextlib.suppress(OSError, AttributeError):
            os.nice(nice)
    # End with the server: a server process that is killed (or ends without closing the pool) leaves its
    # pool processes to the init process; they notice the new parent and exit rather than linger.
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="openimr-draft-watch", daemon=True).start()


class DraftPool:
    def __init__(self, processes: int = 1, nice: int = 5):
        self.processes = processes
        self.nice = nice
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self.jobs_done = 0  # drafts (and other jobs) completed in the pool, for tests and logs

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_init, initargs=(self.nice,))
            return self._pool

    def run(self, fn: Callable[..., Any], *args: Any, timeout: float | None = 300) -> Any:
        """`fn(*args)` in a pool process (`fn` and its arguments are pickled: a module-level function)."""
        pool = self._executor()
        try:
            result = pool.submit(fn, *args).result(timeout=timeout)
        except BrokenProcessPool:
            log.error("draft process ended unexpectedly: starting a new one")
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        with self._lock:
            self.jobs_done += 1
        return result

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
