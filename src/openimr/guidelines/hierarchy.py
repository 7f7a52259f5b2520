"""The strength-of-evidence hierarchy: which encoded guidelines govern a topic on a date, and why.

8 CCR 9792.21.1 (the Medical Evidence Search Sequence) puts the MTUS first; other evidence-based
guidelines (ODG, non-MTUS ACOEM ...) govern only where the MTUS does not address the treatment. So
`resolve` returns, for a topic and the request (or UR) date:

1. every MTUS entry in force on the date, in file order, each with the reason
   "MTUS addresses <topic> (<document> <edition>, <sections>, p. <pages>)";
2. then every non-MTUS entry in force: "MTUS is silent on <topic>; <source> applies under
   8 CCR 9792.21.1" when no MTUS entry is in force for the topic, or, when one is,
   "passed over: the MTUS addresses the topic" (the engine relies on it only if no MTUS entry
   applies to the particular request, e.g. an MTUS entry limited by `applies_when`).

A date outside the encoded editions is never judged by the wrong edition: `resolve` raises
`EditionNotEncoded` (an InputError, so the CLI prints one line and the engine reports "unable to
decide") when
- no MTUS edition in force on the date is encoded anywhere in the knowledge base (we cannot say the
  MTUS is silent on a topic when we do not hold the MTUS of that date), or
- no guideline for the topic is in force on the date.

`on=None` means "no date given": each guideline's latest encoded edition is used, and every reason
says so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from openimr.errors import InputError
from openimr.models.knowledge import GuidelineEntry, Topic

REGULATION = "8 CCR 9792.21.1"

Role = str  # "mtus" | "mtus_silent" | "passed_over"


@dataclass(frozen=True)
class ResolvedGuideline:
    """One guideline entry in the order a reviewer consults it, with why it is (or is not) relied on.

    role: "mtus" (the MTUS addresses the topic), "mtus_silent" (a non-MTUS guideline, applicable
    because the MTUS is silent) or "passed_over" (a non-MTUS guideline the MTUS takes precedence over).
    """

    entry: GuidelineEntry
    reason: str
    role: Role = "mtus"

    @property
    def mtus(self) -> bool:
        return self.entry.mtus


class EditionNotEncoded(InputError):
    """The guideline edition in force on the date is not in the knowledge base."""

    def __init__(self, topic_id: str, on: dt.date, detail: str):
        self.topic_id = topic_id
        self.on = on
        super().__init__(topic_id, f"guideline edition not encoded: {detail}")


def _as_date(on: object) -> dt.date | None:
    if on is None:
        return None
    if isinstance(on, dt.datetime):
        return on.date()
    if isinstance(on, dt.date):
        return on
    if isinstance(on, str):
        try:
            return dt.date.fromisoformat(on.strip())
        except ValueError:
            raise InputError(repr(on), "not a date (use YYYY-MM-DD)") from None
    raise InputError(repr(on), "not a date")


def _span(entry: GuidelineEntry) -> str:
    end = entry.effective_to.isoformat() if entry.effective_to else "in force"
    return f"{entry.effective_from.isoformat()} to {end}"


def _ranges(entries: list[GuidelineEntry]) -> str:
    spans = sorted({(e.effective_from, e.effective_to or dt.date.max) for e in entries})
    merged: list[list[dt.date]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1] + dt.timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return ", ".join(f"{s.isoformat()} to {'in force' if e == dt.date.max else e.isoformat()}" for s, e in merged)


def _pages(pages: str | None) -> str:
    if not pages:
        return ""
    return f", pp. {pages}" if any(ch in pages for ch in "-,–") else f", p. {pages}"


def _mtus_reason(topic: Topic, e: GuidelineEntry) -> str:
    sections = "; ".join(e.sections)
    where = f"{e.document} {e.edition}" + (f", {sections}" if sections else "") + _pages(e.pages)
    return f"MTUS addresses {topic.name} ({where})"


def _source_label(e: GuidelineEntry) -> str:
    return f"{e.source} ({e.document}, {e.edition})"


def latest_editions(entries: list[GuidelineEntry]) -> list[GuidelineEntry]:
    """Per guideline document, the entries of its most recent encoded edition (file order kept), less any
    that had ended before another document's latest edition began (the 2009 CPMTG's opioid entries are
    superseded by the 2016 Opioids Treatment Guidelines, a different document)."""
    latest: dict[tuple[str, str], dt.date] = {}
    for e in entries:
        key = (e.source, e.document)
        latest[key] = max(latest.get(key, dt.date.min), e.effective_from)
    chosen = [e for e in entries if e.effective_from == latest[(e.source, e.document)]]
    newest = max((e.effective_from for e in chosen), default=dt.date.min)
    current = [e for e in chosen if e.effective_to is None or e.effective_to >= newest]
    return current or chosen


def resolve(kb, topic_id: str, on: dt.date | None = None) -> list[ResolvedGuideline]:
    """The ordered guideline entries for `topic_id` in force on `on` (see the module docstring).

    Raises InputError when the topic is not in the knowledge base, and EditionNotEncoded when the
    edition in force on `on` is not encoded.
    """
    topic: Topic | None = kb.topics.get(topic_id)
    if topic is None:
        raise InputError(topic_id, "topic not in the knowledge base")
    day = _as_date(on)
    entries = list(topic.guidelines)
    note = ""
    if day is None:
        chosen = latest_editions(entries)
        note = " [no request date given: the latest encoded edition is used]"
    else:
        all_mtus = [g for t in kb.topics.values() for g in t.guidelines if g.mtus]
        if not any(g.in_force(day) for g in all_mtus):
            encoded = _ranges(all_mtus) if all_mtus else "none"
            raise EditionNotEncoded(
                topic_id, day, f"no MTUS edition in force on {day.isoformat()} is encoded (encoded MTUS: {encoded})"
            )
        chosen = [e for e in entries if e.in_force(day)]
        if not chosen:
            raise EditionNotEncoded(
                topic_id, day,
                f"no guideline for {topic.name} in force on {day.isoformat()} is encoded (encoded: {_ranges(entries)})",
            )
    mtus = [e for e in chosen if e.mtus]
    others = [e for e in chosen if not e.mtus]
    out = [ResolvedGuideline(e, _mtus_reason(topic, e) + note, "mtus") for e in mtus]
    for e in others:
        if mtus:
            reason = (f"passed over: the MTUS addresses the topic; {_source_label(e)} is relied on only if no MTUS "
                      f"entry applies to the request ({REGULATION})")
            out.append(ResolvedGuideline(e, reason + note, "passed_over"))
        else:
            reason = f"MTUS is silent on {topic.name}; {_source_label(e)} applies under {REGULATION}"
            out.append(ResolvedGuideline(e, reason + note, "mtus_silent"))
    return out


def describe_editions(kb) -> list[tuple[str, str, str]]:
    """(source, document and edition, dates in force) for every encoded edition, for display."""
    seen: dict[tuple[str, str, str], list[GuidelineEntry]] = {}
    for t in kb.topics.values():
        for g in t.guidelines:
            seen.setdefault((g.source, g.document, g.edition), []).append(g)
    return [(s, f"{d} {ed}", _ranges(es)) for (s, d, ed), es in sorted(seen.items())]
