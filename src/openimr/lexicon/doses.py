"""Strengths and dosing frequencies ("10/325 mg", "q6h", "BID", "3 times a day")."""

from __future__ import annotations

import re

from openimr.lexicon.numbers import NUM, to_int

FREQUENCY_WORDS = {"qd": 1, "daily": 1, "once": 1, "qhs": 1, "hs": 1, "bid": 2, "twice": 2, "tid": 3, "qid": 4}
# (r11rehab) the words for more doses first, so "twice daily" is two and not the "daily" in it
_BY_DOSES = sorted(FREQUENCY_WORDS.items(), key=lambda kv: -kv[1])
# "three times daily", "4 times a day", "2x/day", "every 6 hours"
_TIMES_A_DAY = re.compile(rf"\b({NUM})\s*(?:x|times)\s*(?:a|per|each|/)?\s*(?:day|daily)\b")
_EVERY_HOURS = re.compile(r"\bevery\s+(\d{1,2})\s*(?:h|hrs?|hours?)\b")


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
    m = _EVERY_HOURS.search(f)
    if m and int(m.group(1)) > 0:
        return 24 / int(m.group(1))
    m = _TIMES_A_DAY.search(f)
    if m and to_int(m.group(1)):
        return float(to_int(m.group(1)))
    for k, v in _BY_DOSES:
        if re.search(rf"\b{k}\b", f):
            return float(v)
    m = re.search(r"(\d+)\s*(?:x|times)\s*(?:a|per)?\s*day", f)
    return float(m.group(1)) if m else None
