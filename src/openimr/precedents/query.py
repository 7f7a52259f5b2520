"""Precedents of a request, of a case's disputed items, and of a draft's items.

A query is described like an indexed item: the classifier's reading of the request, and (for a case)
the facts the extractor reads from its records. Precedents are shown beside the engine's decision,
never fed into it: `attach_precedents` only fills `Draft.precedents` after the draft is made.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from openimr.models.case import CaseFile
from openimr.models.draft import Draft
from openimr.models.facts import CaseFacts
from openimr.models.precedent import ItemPrecedents, Precedent, PrecedentCounts
from openimr.models.request import ClassifiedRequest
from openimr.precedents import features as F
from openimr.precedents.index import PrecedentIndex, classify_request

DEFAULT_K = 10
# A precedent majority is "strong" when at least STRONG_MIN same-topic precedents at least
# MIN_SIMILARITY alike decided the other way in at least STRONG_SHARE of them.
MIN_SIMILARITY = 0.35
STRONG_MIN = 5
STRONG_SHARE = 0.8


@dataclass
class QueryItem:
    request: str
    classified: ClassifiedRequest | None
    fact_words: list[str] = field(default_factory=list)

    @property
    def topic(self) -> str | None:
        return self.classified.topic if self.classified else None

    @property
    def text(self) -> str:
        return F.document_text(self.classified, self.request, self.fact_words)


def request_query(request: str) -> QueryItem:
    return QueryItem(request=request, classified=classify_request(request))


def case_query(case: CaseFile, facts: CaseFacts | None = None) -> list[QueryItem]:
    """One query per disputed item, with the facts of the case's records."""
    if facts is None:
        from openimr.extract import extract_facts

        facts = extract_facts(case)
    words = F.fact_features(facts)
    return [QueryItem(request=it.request, classified=classify_request(it.request), fact_words=words)
            for it in case.disputed_items]


def _precedent(index: PrecedentIndex, row: int, similarity: float, same_topic: bool) -> Precedent:
    r = index.rows
    return Precedent(letter=r["letter"][row], request=r["request"][row], topic=r["topic"][row],
                     decision=r["decision"][row], date=r["date"][row], guideline=r["guideline"][row],
                     reason=r["reason"][row] or "", similarity=round(min(max(similarity, 0.0), 1.0), 4),
                     same_topic=same_topic)


def counts(index: PrecedentIndex, q: QueryItem, exclude_letters=()) -> PrecedentCounts | None:
    """How every item of the same kind (topic and key parts) was decided."""
    if q.topic is None:
        return None
    key = F.key_parts(q.classified)
    rows = index.group(q.topic, key, exclude_letters)
    label = key if key and q.classified and q.classified.drug else " ".join(p for p in (q.topic, key) if p)
    out = PrecedentCounts(label=label, decided=int(len(rows)), upheld=int(index.upheld[rows].sum()) if len(rows) else 0)
    out.overturned = out.decided - out.upheld
    if exclude_letters:
        cited = Counter(index.rows["guideline"][i] for i in rows if index.rows["guideline"][i])
        top = cited.most_common(1)[0] if cited else (None, 0)
    else:
        top = index.group_guideline.get((q.topic, key or ""), (None, 0))
    out.top_guideline, out.top_guideline_count = top
    return out


def item_precedents(index: PrecedentIndex, q: QueryItem, k: int = DEFAULT_K, exclude_letters=(),
                    decision: str | None = None, fill: bool = True) -> ItemPrecedents:
    """The k nearest precedents of one item (same topic first), the share Upheld among the same-topic
    ones, the counts of its kind, and whether `decision` goes against a strong precedent majority."""
    hits = index.search(q.text, q.topic, k=k, exclude_letters=exclude_letters, fill=fill)
    precs = [_precedent(index, h.row, h.similarity, h.same_topic) for h in hits]
    same = [p for p in precs if p.same_topic and q.topic is not None]
    out = ItemPrecedents(request=q.request, topic=q.topic, precedents=precs,
                         counts=counts(index, q, exclude_letters))
    if same:
        out.share_upheld = round(sum(p.decision == "Upheld" for p in same) / len(same), 4)
    verdict = strong_majority(same)
    if verdict is not None and decision in ("Upheld", "Overturned") and decision != verdict[0]:
        out.against_precedent = True
        out.note = (f"The draft decision ({decision}) goes against {verdict[1]} of {verdict[2]} close precedents, "
                    f"decided {verdict[0]}: look twice.")
    return out


def strong_majority(precs: list[Precedent]) -> tuple[str, int, int] | None:
    """(decision, how many, of how many) when the close same-topic precedents strongly agree."""
    close = [p for p in precs if p.same_topic and p.similarity >= MIN_SIMILARITY]
    if len(close) < STRONG_MIN:
        return None
    c = Counter(p.decision for p in close)
    decision, n = c.most_common(1)[0]
    return (decision, n, len(close)) if n / len(close) >= STRONG_SHARE else None


def majority(precs: list[Precedent]) -> str | None:
    """The decision most same-topic precedents reached (None: none, or a tie)."""
    c = Counter(p.decision for p in precs if p.same_topic)
    if not c:
        return None
    top = c.most_common()
    if len(top) > 1 and top[0][1] == top[1][1]:
        return None
    return top[0][0]


def attach_precedents(draft: Draft, case: CaseFile, index: PrecedentIndex, facts: CaseFacts | None = None,
                      k: int = 5, exclude_letters=()) -> Draft:
    """Fill `draft.precedents` (one entry per draft item, in order). The draft's items are not touched."""
    queries = case_query(case, facts)
    by_request = {q.request: q for q in queries}
    out = []
    for it in draft.items:
        q = by_request.get(it.request) or request_query(it.request)
        out.append(item_precedents(index, q, k=k, exclude_letters=exclude_letters, decision=it.decision))
    draft.precedents = out
    return draft


def as_rows(index: PrecedentIndex, rows: np.ndarray) -> list[dict[str, Any]]:
    return [{c: index.rows[c][i] for c in index.rows} for i in rows]
