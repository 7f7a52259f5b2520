"""Consistency audit: items decided against the bulk of their close precedents.

For every item of the corpus, its nearest items of the same topic from other letters are found with
scikit-learn's `NearestNeighbors` (brute-force cosine on the index's tf-idf rows, one topic at a time,
in parallel). Only neighbours at least `min_similarity` alike count: the same request parts and the
same documented facts of the clinical case summary. An item is an outlier when at least `min_support`
such precedents exist and at least `share` of them went the other way. Outliers are counted by
topic and guideline (DuckDB), listed, and drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from openimr.precedents.index import PrecedentIndex
from openimr.precedents.query import MIN_SIMILARITY, STRONG_MIN, STRONG_SHARE

NEIGHBOURS = 10


@dataclass
class AuditResult:
    items: int = 0
    checked: int = 0  # items with at least min_support close precedents
    outliers: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    settings: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"items": self.items, "checked": self.checked, "outlier_count": len(self.outliers),
                "settings": self.settings, "groups": self.groups, "outliers": self.outliers}


def _neighbours(matrix, k: int, workers: int) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.neighbors import NearestNeighbors

    nn = NearestNeighbors(n_neighbors=min(k, matrix.shape[0]), metric="cosine", algorithm="brute", n_jobs=workers)
    nn.fit(matrix)
    dist, ind = nn.kneighbors(matrix)
    return 1.0 - dist, ind


def run_audit(index: PrecedentIndex, k: int = NEIGHBOURS, min_similarity: float = MIN_SIMILARITY,
              min_support: int = STRONG_MIN, share: float = STRONG_SHARE, workers: int = 1) -> AuditResult:
    res = AuditResult(items=len(index), settings={"neighbours": k, "min_similarity": min_similarity,
                                                   "min_support": min_support, "share": share})
    rows = index.rows
    flags = np.zeros(len(index), dtype=bool)
    checked = np.zeros(len(index), dtype=bool)
    detail: dict[int, tuple[int, int, list[str]]] = {}
    # A letter holds few items: asking for k + this many neighbours leaves k after dropping its own.
    per_letter = int(np.bincount(index.letter_codes).max()) if len(index) else 0
    for topic, trows in index.topic_rows.items():
        if topic is None or len(trows) < 2:
            continue
        sims, ind = _neighbours(index.topic_matrix[topic], k + per_letter, workers)
        letters = index.letter_codes[trows]
        up = index.upheld[trows]
        other = letters[ind] != letters[:, None]  # never the item's own letter
        close = other & (sims >= min_similarity)
        # keep the first k qualifying neighbours of each row
        close &= np.cumsum(close, axis=1) <= k
        support = close.sum(axis=1)
        against = (close & (up[ind] != up[:, None])).sum(axis=1)
        ok = support >= min_support
        out = ok & (against >= share * np.maximum(support, 1))
        checked[trows[ok]] = True
        for j in np.flatnonzero(out):
            nb = [rows["letter"][trows[x]] for x, c in zip(ind[j], close[j], strict=True) if c]
            detail[int(trows[j])] = (int(support[j]), int(against[j]), nb)
        flags[trows[out]] = True
    res.checked = int(checked.sum())
    for i in np.flatnonzero(flags):
        support, against, nb = detail[int(i)]
        res.outliers.append({
            "id": rows["id"][i], "letter": rows["letter"][i], "request": rows["request"][i],
            "topic": rows["topic"][i], "guideline": rows["guideline"][i], "decision": rows["decision"][i],
            "date": rows["date"][i], "precedents": support, "against": against,
            "share_against": round(against / support, 3), "reason": rows["reason"][i],
            "precedent_letters": nb[:k],
        })
    res.outliers.sort(key=lambda o: (-o["share_against"], -o["precedents"], o["topic"] or "", o["id"]))
    res.groups = _groups(index, flags, checked)
    return res


def _groups(index: PrecedentIndex, flags: np.ndarray, checked: np.ndarray) -> list[dict[str, Any]]:
    """Items, items checked and outliers by topic and guideline, counted in DuckDB."""
    import duckdb

    topics = np.array([t or "(unclassified)" for t in index.rows["topic"]], dtype=object)
    guides = np.array([g or "(none cited)" for g in index.rows["guideline"]], dtype=object)
    con = duckdb.connect()
    try:
        con.register("audit_items", {"topic": topics, "guideline": guides, "outlier": flags, "checked": checked,
                                     "upheld": index.upheld})
        res = con.execute(
            "select topic, guideline, count(*) as items, count(*) filter (where checked) as checked, "
            "count(*) filter (where outlier) as outliers, count(*) filter (where upheld) as upheld "
            "from audit_items group by 1, 2 order by outliers desc, items desc, topic, guideline").fetchall()
    finally:
        con.close()
    return [{"topic": t, "guideline": g, "items": n, "checked": c, "outliers": o, "upheld": u}
            for t, g, n, c, o, u in res]


def print_audit(result: AuditResult, console=None, limit: int = 30) -> None:  # noqa: ANN001
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    s = result.settings
    console.print(f"{result.items} items; {result.checked} with at least {s['min_support']} close precedents "
                  f"(similarity >= {s['min_similarity']}); {len(result.outliers)} decided against at least "
                  f"{100 * s['share']:.0f}% of them", highlight=False)
    t = Table(title="Outliers by topic and guideline")
    for col in ("topic", "guideline", "items", "checked", "outliers"):
        t.add_column(col, justify="right" if col in ("items", "checked", "outliers") else "left")
    for g in [g for g in result.groups if g["outliers"]][:limit]:
        t.add_row(g["topic"], g["guideline"], str(g["items"]), str(g["checked"]), str(g["outliers"]))
    console.print(t)
    if result.outliers:
        ot = Table(title=f"Outliers (first {min(limit, len(result.outliers))} of {len(result.outliers)})")
        for col in ("letter", "request", "decision", "against", "reason"):
            ot.add_column(col)
        for o in result.outliers[:limit]:
            ot.add_row(o["letter"], o["request"][:60], o["decision"], f"{o['against']}/{o['precedents']}",
                       (o["reason"] or "")[:90])
        console.print(ot)


def plot_audit(result: AuditResult, out: str | Path, top: int = 20) -> None:
    """Items checked and outliers by topic (the `top` topics with most outliers; topics with no item
    checked are left out), as PNG, atomically."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from openimr.letters.corpus import atomic_write_bytes

    by: dict[str, list[int]] = {}
    for g in result.groups:
        v = by.setdefault(g["topic"], [0, 0])
        v[0] += g["checked"]
        v[1] += g["outliers"]
    ranked = sorted(((k, v) for k, v in by.items() if v[0]), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))[:top]
    names = [k for k, _ in ranked][::-1]
    checked = [v[0] for _, v in ranked][::-1]
    outl = [v[1] for _, v in ranked][::-1]
    fig, ax = plt.subplots(figsize=(8, max(3, 0.35 * len(names) + 1.5)))
    y = np.arange(len(names))
    ax.barh(y, checked, color="#c9d6e8", label="items with close precedents")
    ax.barh(y, outl, color="#b03a2e", label="decided against them")
    ax.set_yticks(y, names)
    ax.set_xlabel("items")
    ax.set_title(f"Consistency audit: {len(result.outliers)} outliers among {result.checked} items checked")
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    atomic_write_bytes(out, buf.getvalue())
