"""Services that exist only for a procedure (issue 11): pre-operative tests and clearance, an assistant
surgeon, post-operative therapy, equipment and home care. Reviewers decide them with the surgery: when the
surgery disputed in the same case is not medically necessary, neither is what would only accompany it.

The engine holds no list of such services. A topic's guideline entry says so with a criterion on the fact
`procedure.associated_necessary` (cited in the knowledge base); a surgery is a topic of category `surgery`
that has no such criterion itself. The engine drafts every item once, then drafts again the items whose
guideline reads that fact, with the surgeries' draft decisions in hand (`core._redraft_associated`).
"""

from __future__ import annotations

from typing import Any

from openimr.models.knowledge import Condition, Topic

ASSOCIATED_FACT = "procedure.associated_necessary"
SURGERY_CATEGORY = "surgery"


def _names(cond: Condition | None) -> set[str]:
    if cond is None:
        return set()
    out = {cond.fact} if cond.fact else set()
    for sub in (cond.all or []) + (cond.any or []):
        out |= _names(sub)
    if cond.not_ is not None:
        out |= _names(cond.not_)
    return out


def reads_associated(topic: Topic | None) -> bool:
    """True if any criterion of the topic depends on the surgery it accompanies."""
    if topic is None:
        return False
    return any(ASSOCIATED_FACT in _names(c.test) | _names(c.applies_when)
               for g in topic.guidelines for c in g.criteria)


def procedure_decisions(outcomes: list[Any], kb) -> tuple[tuple[str, str | None, str | None], ...]:
    """(request, draft decision, body region) of every surgery disputed in the case, in the case's order."""
    out = []
    for o in outcomes:
        topic = kb.topic(o.item.topic) if o.item.topic else None
        if topic is not None and topic.category == SURGERY_CATEGORY and not reads_associated(topic):
            region = o.classified.body_region if o.classified is not None else None
            out.append((o.item.request, o.item.decision, region or _topic_region(topic)))
    return tuple(out)


def _topic_region(topic: Topic) -> str | None:
    """The one region a surgery topic is about (a knee arthroscopy), else None."""
    return topic.body_regions[0] if len(topic.body_regions) == 1 else None
