"""Corpus statistics: how often IMR upholds, overall and by guideline source, MTUS section, reviewer
specialty and item category. The corpus (.jsonl or .parquet) is read with DuckDB; one row per item is
built (category needs Python: the request classifier, or a keyword fallback) and counted in DuckDB."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path
from typing import Any

from openimr.errors import InputError


def specialty_key(specialty: str | None) -> str:
    """One name per specialty for counting: letters write "Physical Medicine & Rehabilitation" and
    "Physical Medicine and Rehabilitation" for the same board."""
    if not specialty or not specialty.strip():
        return "(not stated)"
    words = re.sub(r"\s*&\s*", " and ", specialty).split()
    return " ".join(w if w.lower() == "and" else w[:1].upper() + w[1:] for w in words).replace(" And ", " and ")


BREAKDOWNS = ("guideline_source", "mtus_section", "specialty", "category")
TITLES = {
    "guideline_source": "By guideline source (IMR decision)",
    "mtus_section": "By MTUS section (IMR decision)",
    "specialty": "By reviewer specialty",
    "category": "By item category",
}

# Fallback categories when the request classifier is not available: first match wins.
_FALLBACK = (
    ("injection", r"inject|block|epidural|\besi\b|radiofrequency|rhizotomy|neurotomy|botox|trigger point"),
    ("imaging", r"\bmri\b|\bct\b|x-?ray|radiograph|ultrasound|\bscan\b|imaging|emg|ncv|nerve conduction"),
    ("surgery", r"surgery|arthroscop|fusion|laminectomy|discectomy|decompression|replacement|repair|-ectomy|otomy"),
    ("therapy", r"physical therapy|\bpt\b|chiropract|acupunct|massage|occupational therapy|aquatic|"
                r"functional restoration|work hardening|sessions|visits x|\d+\s*x\s*\d+"),
    ("consultation", r"consult|office visit|follow[- ]up|referral|evaluation|psycholog|psychiatr"),
    ("equipment", r"tens\b|brace|cane|walker|wheelchair|\bdme\b|orthotic|cushion|pillow|mattress|unit\b|"
                  r"cold therapy|hot/cold|interferential"),
    ("testing", r"drug screen|urine|toxicology|\blab|blood|genetic|test"),
    ("medication", r"\d\s*(?:mg|mcg|ml|%)|#\s*\d|prescription|tablet|capsule|cream|patch|gel|ointment|"
                   r"soma|norco|oxycodone|hydrocodone|tramadol|gabapentin|lyrica|restoril|xanax|valium|"
                   r"ambien|flexeril|cyclobenzaprine|carisoprodol|ibuprofen|naproxen|omeprazole|lidoderm|"
                   r"opioid|compound"),
)
_FALLBACK_RE = [(name, re.compile(p, re.I)) for name, p in _FALLBACK]


def fallback_category(request: str) -> str:
    for name, rx in _FALLBACK_RE:
        if rx.search(request):
            return name
    return "other"


def _categorizer():
    """classify(request).category when the request classifier exists, else the keyword fallback."""
    try:
        from openimr.guidelines.classifier import classify  # type: ignore[import-not-found]
    except Exception:  # noqa: BLE001 - absent or broken: use the fallback
        return fallback_category

    cache: dict[str, str] = {}

    def category(request: str) -> str:
        if request not in cache:
            try:
                c = classify(request).category
            except Exception:  # noqa: BLE001 - a request the classifier rejects
                c = None
            cache[request] = c or fallback_category(request)
        return cache[request]

    return category


def load_corpus(path: str | Path) -> list[dict[str, Any]]:
    """Records of a .jsonl or .parquet corpus, read with DuckDB."""
    import duckdb

    from openimr.letters.corpus import duckdb_columns

    p = Path(path)
    if not p.exists():
        raise InputError(str(p), "no such corpus file")
    suffix = p.suffix.lower()
    if suffix not in (".jsonl", ".parquet", ".json", ".ndjson"):
        raise InputError(str(p), "corpus must be a .jsonl or .parquet file (from `openimr letters parse --out`)")
    if p.stat().st_size == 0:
        return []  # a corpus of no letters (every file of the batch failed)
    con = duckdb.connect()
    try:
        if suffix == ".parquet":
            rel = con.execute("select * from read_parquet(?)", [str(p)])
        else:
            rel = con.execute(
                f"select * from read_json(?, format='newline_delimited', columns={duckdb_columns()})", [str(p)]
            )
        names = [c[0] for c in rel.description]
        records = [dict(zip(names, row, strict=True)) for row in rel.fetchall()]
    except duckdb.Error as exc:
        raise InputError(str(p), f"cannot read corpus ({str(exc).splitlines()[0][:100]})") from None
    finally:
        con.close()
    if records and "items" not in records[0]:
        raise InputError(str(p), "not a letters corpus (no 'items' column)")
    return records


def item_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per disputed item, with the fields the breakdowns group by."""
    category = _categorizer()
    rows = []
    for r in records:
        specialty = specialty_key((r.get("reviewer") or {}).get("specialty"))
        for it in r.get("items") or []:
            g = it.get("imr_guideline") or {}
            cits = g.get("citations") or []
            gsource = cits[0].get("source") if cits else "(none cited)"
            sections: list[str] = []
            for c in cits:
                if c.get("source") == "MTUS":
                    secs = c.get("sections") or []
                    sections += secs or [c.get("chapter") or c.get("document") or "(MTUS, no section)"]
            rows.append({
                "source": r.get("source"),
                "request": it.get("request") or "",
                "decision": it.get("decision"),
                "guideline_source": gsource,
                "mtus_sections": sorted(set(sections)),
                "specialty": specialty,
                "category": category(it.get("request") or ""),
            })
    return rows


def compute_stats(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts and uphold rates: {"letters", "items", "upheld", "overturned", "uphold_rate",
    "by": {breakdown: [{"key", "items", "upheld", "overturned", "uphold_rate"}...]}}."""
    import duckdb

    rows = item_rows(records)
    con = duckdb.connect()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "items.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        con.execute(
            "create table items as select * from read_json(?, format='newline_delimited', columns={"
            "'source': 'VARCHAR', 'request': 'VARCHAR', 'decision': 'VARCHAR', 'guideline_source': 'VARCHAR', "
            "'mtus_sections': 'VARCHAR[]', 'specialty': 'VARCHAR', 'category': 'VARCHAR'})",
            [str(path)],
        )
    agg = ("count(*) as items, count(*) filter (where decision = 'Upheld') as upheld, "
           "count(*) filter (where decision = 'Overturned') as overturned")
    total = con.execute(f"select {agg} from items").fetchone()
    out: dict[str, Any] = {
        "letters": len(records),
        "items": total[0],
        "upheld": total[1],
        "overturned": total[2],
        "uphold_rate": (total[1] / total[0]) if total[0] else None,
        "by": {},
    }
    queries = {
        "guideline_source": f"select guideline_source as key, {agg} from items group by 1",
        "mtus_section": f"select key, {agg} from (select unnest(mtus_sections) as key, decision from items) "
                        "group by 1",
        "specialty": f"select specialty as key, {agg} from items group by 1",
        "category": f"select category as key, {agg} from items group by 1",
    }
    for name, sql in queries.items():
        res = con.execute(sql + " order by items desc, key").fetchall()
        out["by"][name] = [
            {"key": k, "items": n, "upheld": u, "overturned": o, "uphold_rate": (u / n) if n else None}
            for k, n, u, o in res
        ]
    con.close()
    return out


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def print_stats(stats: dict[str, Any], console=None) -> None:  # noqa: ANN001
    """The statistics as Rich tables."""
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    t = Table(title="IMR letters corpus", show_header=True)
    for col in ("letters", "items", "upheld", "overturned", "uphold rate"):
        t.add_column(col, justify="right")
    t.add_row(str(stats["letters"]), str(stats["items"]), str(stats["upheld"]), str(stats["overturned"]),
              _pct(stats["uphold_rate"]))
    console.print(t)
    for name in BREAKDOWNS:
        bt = Table(title=TITLES[name])
        bt.add_column(name.replace("_", " "))
        for col in ("items", "upheld", "overturned", "uphold rate"):
            bt.add_column(col, justify="right")
        for row in stats["by"][name]:
            bt.add_row(str(row["key"]), str(row["items"]), str(row["upheld"]), str(row["overturned"]),
                       _pct(row["uphold_rate"]))
        console.print(bt)


def plot_stats(stats: dict[str, Any], out: str | Path, by: str = "category") -> None:
    """Bar chart of the uphold rate by `by` (default: item category), written atomically as PNG."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from openimr.letters.corpus import atomic_write_bytes

    rows = stats["by"][by]
    keys = [str(r["key"]) for r in rows]
    rates = [100 * (r["uphold_rate"] or 0) for r in rows]
    fig, ax = plt.subplots(figsize=(max(6, 0.9 * len(keys) + 2), 4.5))
    bars = ax.bar(keys, rates, color="#3b6ea5")
    for bar, r in zip(bars, rows, strict=True):
        ax.annotate(f"n={r['items']}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0, 110)
    ax.set_ylabel("uphold rate (%)")
    ax.set_title(f"IMR uphold rate by {by.replace('_', ' ')} ({stats['items']} items, {stats['letters']} letters)")
    ax.tick_params(axis="x", labelrotation=30)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    plt.close(fig)
    atomic_write_bytes(out, buf.getvalue())
