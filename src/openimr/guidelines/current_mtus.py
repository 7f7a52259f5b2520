"""Cases dated after the shipped MTUS: which ACOEM-based MTUS guideline (and which update) governs a
request, so that a draft without a pack for it can say so instead of stopping.

The map lives in `regulatory/mtus_acoem_guidelines.yaml` (cited, `verified: false` until checked). It
names guidelines; it holds none of their criteria, which are licensed (see docs/guidelines.md).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from openimr import yamlio
from openimr.models.packs import GoverningGuideline

DATA = Path(__file__).parent / "regulatory" / "mtus_acoem_guidelines.yaml"


@lru_cache(maxsize=1)
def _data() -> dict:
    return yamlio.safe_load(DATA.read_text(encoding="utf-8"))


def mtus_from() -> dt.date:
    """The first day the ACOEM-based MTUS applies to a request."""
    return _data()["mtus_from"]


def _edition(g: dict, on: dt.date) -> dict | None:
    editions = [e for e in g["editions"] if e["from"] <= on]
    return max(editions, key=lambda e: e["from"]) if editions else None


def _match(on: dt.date, test) -> tuple[dict, dict] | None:
    for g in _data()["guidelines"]:
        if test(g):
            ed = _edition(g, on)
            if ed is not None:
                return g, ed
    return None


def governing_guideline(on: dt.date | None, topic=None, classified=None) -> GoverningGuideline | None:
    """The ACOEM-based MTUS guideline governing a request on `on`, or None before the ACOEM-based MTUS.

    Matched by the topic, then the drug class (opioids), then the category (drugs and pain programs
    fall under the Chronic Pain guideline), then the body region of the request (or the topic's only
    region). When nothing matches, the guideline is named as "for the body part treated".
    """
    if on is None or on < mtus_from():
        return None
    topic_id = getattr(topic, "id", None)
    category = getattr(topic, "category", None) or getattr(classified, "category", None)
    drug = getattr(classified, "drug", None)
    drug_class = " ".join(x for x in (getattr(drug, "drug_class", None), getattr(topic, "subcategory", None)) if x).lower()
    region = getattr(classified, "body_region", None)
    if region is None and topic is not None and len(topic.body_regions) == 1:
        region = topic.body_regions[0]
    steps = [
        (f"topic {topic_id}", lambda g: topic_id is not None and topic_id in g.get("topics", [])),
        (f"drug class {drug_class}", lambda g: bool(drug_class) and any(c in drug_class for c in g.get("drug_classes", []))),
        (f"category {category}", lambda g: category is not None and category in g.get("categories", [])),
        (f"body region {region}", lambda g: region is not None and region in g.get("regions", [])),
    ]
    for basis, test in steps:
        hit = _match(on, test)
        if hit:
            g, ed = hit
            return GoverningGuideline(guideline=g["name"], edition=ed["label"], effective_from=ed["from"],
                                      regulation=g["section"], basis=basis, verified=bool(g.get("verified", False)))
    return GoverningGuideline(guideline="the ACOEM-based MTUS guideline for the body part treated",
                              edition=f"in force on {on.isoformat()}", effective_from=mtus_from(),
                              regulation=_data()["regulation"],
                              basis="not determined from the request (no topic, drug class or body region)")
