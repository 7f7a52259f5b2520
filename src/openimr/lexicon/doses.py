"""Strengths and dosing frequencies ("10/325 mg", "q6h", "BID", "3 times a day")."""

from __future__ import annotations

import re

FREQUENCY_WORDS = {"qd": 1, "daily": 1, "once": 1, "qhs": 1, "hs": 1, "bid": 2, "twice": 2, "tid": 3, "qid": 4}


def strength_mg(strength: str | None) -> float | None:
    """The first number of a strength ("10/325mg" -> 10.0: the opioid of a combination is named first)."""
    if not strength:
        return None
    m = re.match(r"\s*(\d+(?:\.\d+)?)", strength)
    return float(m.group(1)) if m else None


def doses_per_day(freq: str | None) -> float | None:
    """Doses a day from a frequency ("q6h" -> 4, "TID" -> 3, "2 times a day" -> 2); None when not stated."""
    if not freq:
        return None
    f = freq.lower()
    m = re.search(r"q\s*(\d+)\s*h", f)
    if m and int(m.group(1)) > 0:
        return 24 / int(m.group(1))
    for k, v in FREQUENCY_WORDS.items():
        if re.search(rf"\b{k}\b", f):
            return float(v)
    m = re.search(r"(\d+)\s*(?:x|times)\s*(?:a|per)?\s*day", f)
    return float(m.group(1)) if m else None
