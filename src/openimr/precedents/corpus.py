"""The precedent index of a letters corpus file, kept up to date with it.

`open_for_corpus(corpus)` indexes what the corpus holds that the index does not (nothing at all when
the corpus file is unchanged since the last update: its size and modification time are kept in the
manifest), then opens the index.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from openimr.errors import InputError
from openimr.precedents.index import (
    PrecedentIndex,
    UpdateReport,
    _corpus_stat,
    _read_manifest,
    default_index_dir,
    update_index,
)


def default_workers() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def _fresh(folder: Path, stat: dict) -> bool:
    try:
        return _read_manifest(folder).get("corpus") == stat
    except InputError:
        return False


def index_corpus(corpus: str | Path, index_dir: str | Path | None = None, workers: int | None = None,
                 progress: Callable[[int, int], None] | None = None) -> tuple[Path, UpdateReport]:
    """Bring the index of `corpus` up to date (incrementally). Returns (index folder, what changed).

    `progress(done, total)` is called as letters are read."""
    from openimr.letters.stats import load_corpus

    corpus = Path(corpus)
    if not corpus.exists():
        raise InputError(str(corpus), "no such corpus file")
    folder = Path(index_dir) if index_dir else default_index_dir(corpus)
    stat = _corpus_stat(corpus)
    if (folder / "manifest.json").exists() and _fresh(folder, stat):
        return folder, UpdateReport(up_to_date=True)
    records = load_corpus(corpus)
    total = len(records)
    done = [0]

    def step(n: int) -> None:
        done[0] += n
        if progress:
            progress(done[0], total)

    try:
        rep = update_index(records, folder, workers=workers or default_workers(), progress=step, corpus_stat=stat)
    except OSError as exc:
        raise InputError(str(folder), f"cannot write the precedent index ({exc.strerror or exc})") from None
    return folder, rep


def open_for_corpus(corpus: str | Path, index_dir: str | Path | None = None, workers: int | None = None,
                    progress: Callable[[int, int], None] | None = None) -> PrecedentIndex:
    folder, _ = index_corpus(corpus, index_dir, workers, progress)
    return PrecedentIndex.open(folder)
