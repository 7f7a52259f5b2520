"""What the knowledge base covers: topics, guideline entries, criteria, citations, unverified marks."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class CoverageRow:
    category: str
    topics: int = 0
    entries: int = 0
    mtus_entries: int = 0
    criteria: int = 0
    cited_criteria: int = 0  # criteria with a citation naming a document and a page or section
    unverified: int = 0  # criteria and entries marked verified: false
    topic_ids: list[str] = field(default_factory=list)

    def add(self, other: CoverageRow) -> None:
        for name in ("topics", "entries", "mtus_entries", "criteria", "cited_criteria", "unverified"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _cited(citation) -> bool:
    return bool(citation and citation.document and (citation.pages or citation.sections or citation.chapter))


def coverage(kb) -> tuple[list[CoverageRow], CoverageRow]:
    """Rows per category (sorted) and the total."""
    rows: dict[str, CoverageRow] = {}
    for tid, topic in sorted(kb.topics.items()):
        row = rows.setdefault(topic.category, CoverageRow(topic.category))
        row.topics += 1
        row.topic_ids.append(tid)
        for g in topic.guidelines:
            row.entries += 1
            row.mtus_entries += int(g.mtus)
            row.unverified += int(not g.verified)
            for c in g.criteria:
                row.criteria += 1
                row.cited_criteria += int(_cited(c.citation))
                row.unverified += int(not c.verified)
    total = CoverageRow("total")
    for row in rows.values():
        total.add(row)
    return sorted(rows.values(), key=lambda r: r.category), total


def coverage_json(kb) -> dict:
    rows, total = coverage(kb)
    out = {"content_hash": kb.content_hash, "categories": [asdict(r) for r in rows], "total": asdict(total)}
    out["total"].pop("topic_ids")
    return out
