"""Spinal levels ("L4-L5", "L4-5", "L3-S1")."""

from __future__ import annotations

import re
from collections.abc import Iterable

SPINE = ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9",
         "T10", "T11", "T12", "L1", "L2", "L3", "L4", "L5", "S1"]
LEVEL_RX = re.compile(r"\b([CTLS])\s*(\d{1,2})\b", re.IGNORECASE)
_LETTER_REGION = {"L": "lumbar", "S": "lumbar", "C": "cervical", "T": "thoracic"}


def level_region(level: str) -> str | None:
    """The spinal region of a level ("L4-5" -> lumbar)."""
    return _LETTER_REGION.get(level[:1].upper()) if level else None


def count_levels(levels: Iterable[str]) -> int | None:
    """Spinal levels named by a request: 'L4-L5' -> 1, 'L3-S1' (a range) -> 3, 'L4-5' -> 1."""
    levels = list(levels)
    levels = _joint_levels_only(levels)
    total = 0
    seen = False
    for lv in levels:
        seen = True
        m = re.match(r"^\s*([CTLS])(\d{1,2})\s*[-/]\s*([CTLS])?(\d{1,2})\s*$", lv.upper())
        if not m:
            total += 1
            continue
        a = f"{m.group(1)}{m.group(2)}"
        b = f"{m.group(3) or m.group(1)}{m.group(4)}"
        if a in SPINE and b in SPINE and SPINE.index(b) > SPINE.index(a):
            total += SPINE.index(b) - SPINE.index(a)
        else:
            total += 1
    return total if seen else None


_SEGMENT = re.compile(r"^\s*([CTLS])(\d{1,2})\s*[-/]\s*([CTLS])?(\d{1,2})\s*$")
_SINGLE = re.compile(r"^\s*([CTLS])(\d{1,2})\s*$")


def _joint_levels_only(levels: list[str]) -> list[str]:
    """Joint levels named with the nerves that supply them ("L3-4, L4-5 (medial branches L3, L4 and L5)") count as
    the joints: a single vertebra within (or one above) the span of the named segments is a branch, not a level
    (issue #11, rehab). Without a segment, single levels are the levels."""
    spans = []
    for lv in levels:
        m = _SEGMENT.match(lv.upper())
        if m:
            a, b = f"{m.group(1)}{m.group(2)}", f"{m.group(3) or m.group(1)}{m.group(4)}"
            if a in SPINE and b in SPINE:
                spans.append((SPINE.index(a), SPINE.index(b)))
    if not spans:
        return levels
    top, bottom = min(a for a, _ in spans) - 1, max(b for _, b in spans)

    def branch(lv: str) -> bool:
        m = _SINGLE.match(lv.upper())
        name = f"{m.group(1)}{m.group(2)}" if m else None
        return name in SPINE and top <= SPINE.index(name) <= bottom

    return [lv for lv in levels if not branch(lv)]
