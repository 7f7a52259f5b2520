"""The precedent index: every decided item of a letter corpus, searchable by similarity.

Ranking is scikit-learn's: each item's feature words (request words, request parts, the facts of its
clinical case summary) are hashed by `HashingVectorizer` into term counts, weighted by
`TfidfTransformer` (sublinear tf, l2 norm), and compared by cosine similarity (`linear_kernel` on
l2-normalized rows). The hashing vectorizer keeps no vocabulary, so the index grows incrementally:
each update writes one new shard (item rows as Parquet through DuckDB, term counts as a scipy .npz)
holding only the letters not indexed yet (or changed); the idf weights are refit over all counts when
the index is opened, which takes well under a second for 200,000 items.

On disk (a folder, by default `<corpus>.precedents/` beside the corpus):
    manifest.json         version, shards, {letter: [record hash, shard]} of the live letters, corpus stat
    shard-00001.parquet   one row per item: id, letter, letter_hash, request, topic, key, decision,
                          date, guideline, reason
    shard-00001.npz       the items' term counts, one row per item in the same order
Every file is written atomically, and the manifest last, so an interrupted update leaves the
previous index intact.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from openimr.errors import InputError
from openimr.letters.corpus import atomic_write_bytes
from openimr.precedents import features as F

INDEX_VERSION = 2
N_FEATURES = 2**20
MAX_SHARDS = 16  # above this many shards an update compacts them into one
PARALLEL_MIN_LETTERS = 400  # fewer new letters than this are read in-process
COLUMNS = ("id", "letter", "letter_hash", "request", "topic", "key", "decision", "date", "guideline", "reason")


def vectorizer():
    """The stateless feature hasher shared by the index and its queries."""
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(token_pattern=r"\S+", lowercase=False, alternate_sign=False, norm=None,
                             n_features=N_FEATURES, dtype=np.float32)


def default_index_dir(corpus: str | Path) -> Path:
    p = Path(corpus)
    return p.with_name(p.name + ".precedents")


# -------------------------------------------------------------------------------------------- rows


_CLASSIFY_CACHE: dict[str, Any] = {}


def classify_request(request: str):
    """The classifier's reading of a request, or None when it cannot read it (cached per process)."""
    if request not in _CLASSIFY_CACHE:
        from openimr.guidelines.classifier import classify

        try:
            _CLASSIFY_CACHE[request] = classify(request)
        except Exception:  # noqa: BLE001 - an unreadable request is still a precedent, without parts
            _CLASSIFY_CACHE[request] = None
        if len(_CLASSIFY_CACHE) > 200_000:
            _CLASSIFY_CACHE.clear()
    return _CLASSIFY_CACHE[request]


def letter_rows(record: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """The index rows of one corpus record and, for each, the words it is matched on."""
    key = F.letter_key(record)
    h = F.record_hash(record)
    items = [it for it in (record.get("items") or []) if it.get("decision") in ("Upheld", "Overturned")]
    facts = F.summary_facts(record.get("clinical_case_summary") or "", [it.get("request") or "" for it in items])
    date = F.record_date(record)
    rows, docs = [], []
    for n, it in enumerate(items):
        request = it.get("request") or ""
        c = classify_request(request) if request.strip() else None
        rows.append({
            "id": F.item_id(key, n),
            "letter": key,
            "letter_hash": h,
            "request": request,
            "topic": c.topic if c else None,
            "key": F.key_parts(c),
            "decision": it["decision"],
            "date": date.isoformat() if date else None,
            "guideline": F.guideline_label(it.get("imr_guideline")),
            "reason": F.decisive_reason(it.get("rationale") or ""),
        })
        docs.append(F.document_text(c, request, facts))
    return rows, docs


def _rows_of(records: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    rows, docs = [], []
    for r in records:
        rr, dd = letter_rows(r)
        rows += rr
        docs += dd
    return rows, docs


def build_rows(records: list[dict[str, Any]], workers: int = 1,
               progress: Callable[[int], None] | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows and match words of many records; letters are read by `workers` processes when many."""
    rows: list[dict[str, Any]] = []
    docs: list[str] = []
    chunk = 200
    chunks = [records[i : i + chunk] for i in range(0, len(records), chunk)]
    if workers <= 1 or len(records) < PARALLEL_MIN_LETTERS:
        for c in chunks:
            rr, dd = _rows_of(c)
            rows += rr
            docs += dd
            if progress:
                progress(len(c))
        return rows, docs
    import multiprocessing

    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for c, (rr, dd) in zip(chunks, pool.map(_rows_of, chunks), strict=True):
            rows += rr
            docs += dd
            if progress:
                progress(len(c))
    return rows, docs


# ------------------------------------------------------------------------------------------- files


def _write_rows_parquet(rows: list[dict[str, Any]], out: Path) -> None:
    from openimr.letters.corpus import write_rows_parquet

    cols = ", ".join(f"'{c}': '{'DATE' if c == 'date' else 'VARCHAR'}'" for c in COLUMNS)
    write_rows_parquet(rows, out, "{" + cols + "}")


def _write_counts(counts, out: Path) -> None:
    import io

    import scipy.sparse as sp

    buf = io.BytesIO()
    sp.save_npz(buf, counts.tocsr(), compressed=False)
    atomic_write_bytes(out, buf.getvalue())


def _read_manifest(folder: Path) -> dict[str, Any]:
    m = folder / "manifest.json"
    if not m.exists():
        return {"version": INDEX_VERSION, "shards": [], "letters": {}, "corpus": None}
    try:
        data = json.loads(m.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise InputError(str(folder), f"not a precedent index (manifest unreadable: {exc.__class__.__name__})") from None
    if data.get("version") != INDEX_VERSION:
        raise InputError(str(folder), f"precedent index version {data.get('version')} (expected {INDEX_VERSION}); "
                                      "delete the folder to rebuild it")
    return data


def _write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    atomic_write_bytes(folder / "manifest.json", json.dumps(manifest, ensure_ascii=False).encode("utf-8"))


def _corpus_stat(path: Path) -> dict[str, Any]:
    st = path.stat()
    return {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


@dataclass
class UpdateReport:
    letters_added: int = 0
    letters_removed: int = 0
    items_added: int = 0
    items_total: int = 0
    up_to_date: bool = False


def update_index(records: list[dict[str, Any]], folder: str | Path, workers: int = 1,
                 progress: Callable[[int], None] | None = None, corpus_stat: dict[str, Any] | None = None,
                 full: bool = True) -> UpdateReport:
    """Add the records not indexed yet (or changed since) as one new shard.

    With `full` the records are the whole corpus: letters indexed before but absent now are dropped.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        manifest = _read_manifest(folder)
    except InputError:
        # an index of an older version (or a broken manifest) is a cache: build it again
        for f in folder.glob("shard-*"):
            f.unlink()
        (folder / "manifest.json").unlink(missing_ok=True)
        manifest = _read_manifest(folder)
    live: dict[str, list[str]] = manifest["letters"]  # letter -> [record hash, shard holding its rows]
    keyed = {}
    for r in records:
        keyed[F.letter_key(r)] = r  # a letter given twice: the last one wins
    hashes = {k: F.record_hash(r) for k, r in keyed.items()}
    new = [r for k, r in keyed.items() if (live.get(k) or [None])[0] != hashes[k]]
    removed = [k for k in live if k not in keyed] if full else []
    rep = UpdateReport(letters_removed=len(removed))
    for k in removed:
        del live[k]
    if new:
        rows, docs = build_rows(new, workers=workers, progress=progress)
        n = 1 + max((int(s["name"].split("-")[1]) for s in manifest["shards"]), default=0)
        name = f"shard-{n:05d}"
        if rows:
            _write_rows_parquet(rows, folder / f"{name}.parquet")
            _write_counts(vectorizer().transform(docs), folder / f"{name}.npz")
            manifest["shards"].append({"name": name, "items": len(rows)})
        for r in new:
            k = F.letter_key(r)
            live[k] = [hashes[k], name]
        rep.letters_added, rep.items_added = len(new), len(rows)
    rep.up_to_date = not new and not removed
    if corpus_stat is not None:
        manifest["corpus"] = corpus_stat
    if len(manifest["shards"]) > MAX_SHARDS:
        _compact(folder, manifest)
    _write_manifest(folder, manifest)
    rep.items_total = _live_items(folder, manifest)
    return rep


def _read_rows(folder: Path, shards: list[dict[str, Any]]) -> dict[str, list[Any]]:
    import duckdb

    if not shards:
        return {c: [] for c in (*COLUMNS, "shard")}
    files = [str(folder / f"{s['name']}.parquet") for s in shards]
    con = duckdb.connect()
    try:
        # file order then row order: the rows line up with the stacked count matrices
        res = con.execute(f"select {', '.join(COLUMNS)}, list_position(?, filename) as shard "
                          "from read_parquet(?, file_row_number=true, filename=true) order by shard, file_row_number",
                          [files, files])
        data = res.fetchall()
    except duckdb.Error as exc:
        raise InputError(str(folder), f"precedent index unreadable ({str(exc).splitlines()[0][:100]})") from None
    finally:
        con.close()
    cols = list(zip(*data, strict=True)) if data else [() for _ in range(len(COLUMNS) + 1)]
    out = {c: list(v) for c, v in zip(COLUMNS, cols[:-1], strict=True)}
    out["shard"] = [shards[i - 1]["name"] for i in cols[-1]]
    return out


def _read_counts(folder: Path, shards: list[dict[str, Any]]):
    import scipy.sparse as sp

    if not shards:
        return sp.csr_matrix((0, N_FEATURES), dtype=np.float32)
    mats = []
    for s in shards:
        try:
            mats.append(sp.load_npz(folder / f"{s['name']}.npz"))
        except (OSError, ValueError) as exc:
            raise InputError(str(folder / f"{s['name']}.npz"), f"precedent index unreadable ({exc})") from None
    return sp.vstack(mats, format="csr")


def _live_mask(rows: dict[str, list[Any]], live: dict[str, list[str]]) -> np.ndarray:
    """Rows of the letter's current version, in the shard that holds it (an earlier copy of the same
    text in an older shard stays dead)."""
    return np.fromiter((live.get(k) == [h, s] for k, h, s in zip(rows["letter"], rows["letter_hash"], rows["shard"],
                                                                  strict=True)),
                       dtype=bool, count=len(rows["letter"]))


def _live_items(folder: Path, manifest: dict[str, Any]) -> int:
    import duckdb

    if not manifest["shards"]:
        return 0
    names = [s["name"] for s in manifest["shards"]]
    files = [str(folder / f"{n}.parquet") for n in names]
    con = duckdb.connect()
    try:
        groups = con.execute("select letter, letter_hash, list_position(?, filename), count(*) "
                             "from read_parquet(?, filename=true) group by 1, 2, 3", [files, files]).fetchall()
    finally:
        con.close()
    return sum(n for k, h, i, n in groups if manifest["letters"].get(k) == [h, names[i - 1]])


def _compact(folder: Path, manifest: dict[str, Any]) -> None:
    rows = _read_rows(folder, manifest["shards"])
    counts = _read_counts(folder, manifest["shards"])
    keep = np.flatnonzero(_live_mask(rows, manifest["letters"]))
    n = 1 + max(int(s["name"].split("-")[1]) for s in manifest["shards"])
    name = f"shard-{n:05d}"
    out_rows = [{c: _plain(rows[c][i]) for c in COLUMNS} for i in keep]
    _write_rows_parquet(out_rows, folder / f"{name}.parquet")
    _write_counts(counts[keep], folder / f"{name}.npz")
    old = manifest["shards"]
    manifest["shards"] = [{"name": name, "items": len(out_rows)}]
    for entry in manifest["letters"].values():
        entry[1] = name
    _write_manifest(folder, manifest)
    for s in old:
        for ext in (".parquet", ".npz"):
            (folder / f"{s['name']}{ext}").unlink(missing_ok=True)


def _plain(v: Any) -> Any:
    """A numpy scalar from DuckDB as a JSON-ready value."""
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, np.datetime64):
        return str(v.astype("datetime64[D]"))
    if isinstance(v, dt.date):
        return v.isoformat()
    return v.item() if hasattr(v, "item") else v


# ------------------------------------------------------------------------------------------- query


@dataclass
class Hit:
    row: int
    similarity: float
    same_topic: bool


@dataclass
class PrecedentIndex:
    """An opened index: item rows, their tf-idf vectors, and the rows of each topic."""

    folder: Path
    rows: dict[str, list[Any]]
    matrix: Any  # scipy CSR, l2-normalized rows
    tfidf: Any  # fitted TfidfTransformer
    upheld: np.ndarray
    letter_codes: np.ndarray
    letter_names: list[str]
    topic_rows: dict[str | None, np.ndarray] = field(default_factory=dict)
    topic_matrix: dict[str | None, Any] = field(default_factory=dict)
    group_rows: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)
    group_guideline: dict[tuple[str, str], tuple[str | None, int]] = field(default_factory=dict)

    def __len__(self) -> int:
        return self.matrix.shape[0]

    @classmethod
    def open(cls, folder: str | Path) -> PrecedentIndex:
        from sklearn.feature_extraction.text import TfidfTransformer

        folder = Path(folder)
        if not (folder / "manifest.json").exists():
            raise InputError(str(folder), "no precedent index here (build it with `openimr letters index`)")
        manifest = _read_manifest(folder)
        rows = _read_rows(folder, manifest["shards"])
        counts = _read_counts(folder, manifest["shards"])
        mask = _live_mask(rows, manifest["letters"])
        if not mask.all():
            keep = np.flatnonzero(mask)
            rows = {c: [v[i] for i in keep] for c, v in rows.items()}
            counts = counts[keep]
        del rows["shard"]
        # DuckDB gives Python values already; only the dates become ISO strings (JSON-ready)
        rows["date"] = [d.isoformat() if isinstance(d, dt.date) else d for d in rows["date"]]
        tfidf = TfidfTransformer(sublinear_tf=True)
        matrix = tfidf.fit_transform(counts).astype(np.float32).tocsr() if counts.shape[0] else counts
        upheld = np.array([d == "Upheld" for d in rows["decision"]], dtype=bool)
        names, codes = np.unique(np.array(rows["letter"], dtype=object).astype(str), return_inverse=True) \
            if rows["letter"] else (np.array([], dtype=str), np.array([], dtype=np.int64))
        idx = cls(folder=folder, rows=rows, matrix=matrix, tfidf=tfidf, upheld=upheld,
                  letter_codes=codes.astype(np.int64), letter_names=list(names))
        topics = np.array([t or "" for t in rows["topic"]], dtype=object)
        for t in set(topics.tolist()):
            r = np.flatnonzero(topics == t)
            key = t or None
            idx.topic_rows[key] = r
            idx.topic_matrix[key] = matrix[r]
        groups: dict[tuple[str, str], list[int]] = {}
        for i, (t, k) in enumerate(zip(rows["topic"], rows["key"], strict=True)):
            if t:
                groups.setdefault((t, k or ""), []).append(i)
        idx.group_rows = {g: np.array(v, dtype=np.int64) for g, v in groups.items()}
        # the guideline most items of each group cite, counted once here rather than per query
        for g, members in groups.items():
            cited = Counter(rows["guideline"][i] for i in members if rows["guideline"][i])
            idx.group_guideline[g] = cited.most_common(1)[0] if cited else (None, 0)
        return idx

    def vector(self, text: str):
        """The l2-normalized tf-idf vector of a query's match words."""
        return self.tfidf.transform(vectorizer().transform([text])).astype(np.float32)

    def _excluded(self, rows: np.ndarray, exclude_letters: Iterable[str]) -> np.ndarray:
        """Which of `rows` belong to the excluded letters (letter names are sorted: found by bisection)."""
        codes = []
        for k in exclude_letters:
            i = bisect.bisect_left(self.letter_names, k)
            if i < len(self.letter_names) and self.letter_names[i] == k:
                codes.append(i)
        if not codes:
            return np.zeros(len(rows), dtype=bool)
        return np.isin(self.letter_codes[rows], codes)

    def search(self, text: str, topic: str | None, k: int = 10, exclude_letters: Iterable[str] = (),
               fill: bool = True) -> list[Hit]:
        """The k nearest items: same topic first (by cosine similarity), then, with `fill`, the nearest
        items of other topics. A request without a topic is compared with every item."""
        from sklearn.metrics.pairwise import linear_kernel

        if len(self) == 0 or k <= 0:
            return []
        q = self.vector(text)
        exclude_letters = list(exclude_letters)
        hits: list[Hit] = []
        if topic is not None and topic in self.topic_rows:
            rows = self.topic_rows[topic]
            scores = linear_kernel(self.topic_matrix[topic], q).ravel()
            scores[self._excluded(rows, exclude_letters)] = -1.0
            hits += [Hit(int(rows[i]), float(scores[i]), True) for i in _top(scores, k)]
        if len(hits) < k and (fill or topic is None):
            scores = linear_kernel(self.matrix, q).ravel()
            scores[self._excluded(np.arange(len(self)), exclude_letters)] = -1.0
            if topic is not None and topic in self.topic_rows:
                scores[self.topic_rows[topic]] = -1.0
            hits += [Hit(int(i), float(scores[i]), topic is None and self.rows["topic"][i] is None)
                     for i in _top(scores, k - len(hits))]
        return hits

    def group(self, topic: str | None, key: str, exclude_letters: Iterable[str] = ()) -> np.ndarray:
        """Rows of every item with the same topic and key parts (the counts)."""
        if topic is None:
            return np.array([], dtype=np.int64)
        rows = self.group_rows.get((topic, key or ""), np.array([], dtype=np.int64))
        ex = list(exclude_letters)
        return rows[~self._excluded(rows, ex)] if ex and len(rows) else rows


def _top(scores: np.ndarray, k: int) -> list[int]:
    """Indices of the k highest positive scores (excluded rows score -1, unrelated ones 0), best first."""
    if k <= 0 or scores.size == 0:
        return []
    k = min(k, scores.size)
    part = np.argpartition(-scores, k - 1)[:k]
    part = part[np.argsort(-scores[part], kind="stable")]
    return [int(i) for i in part if scores[i] > 0.0]
