"""Lower-cased cue patterns (extract/literals.py `lowered`) with \\uXXXX escapes of characters without case, and the
disability-index cue's fast scan (cues._IndexFall, issue 15 warm4): the same matches as the plain patterns."""

from __future__ import annotations

import random
import re

import pytest

from openimr.extract import cues as C
from openimr.extract import literals as L

from .record_texts import record_pieces


def test_uncased_unicode_escapes_are_lowered():
    for pattern in (r"a\s[-\u2013]\s*b", r"x\s*(->|\u2192)\s*\d", r"[\u2013\u2014]+"):
        low = L.lowered(re.compile(pattern, re.I))
        assert low is not None and low.pattern == pattern.lower(), pattern
    for pattern in (r"\u00c9t\u00e9", r"\u212aelvin", r"\u017fo", r"[\u2010-\u2200]x", r"\U0001F600"):
        assert L.lowered(re.compile(pattern, re.I)) is None, pattern  # cased, folds to ASCII, or a range beyond it
    assert L.lowered(re.compile(r"a\\u2013b", re.I)) is not None  # an escaped backslash, then plain letters


def test_cues_with_unicode_escapes_are_lowered():
    lowered = [k for k, (_, _, rx, _) in enumerate(C._FINDING_CUES) if isinstance(rx, re.Pattern) and "\\u" in rx.pattern]
    assert lowered and all(C._FC_LOWERED[k] is not None for k in lowered)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    rnd = random.Random(15)
    words = ["Oswestry", "ODI", "ndi", "Neck Disability Index", "QuickDASH", "quick-dash", "DASH", "PDI", "Roland-Morris",
             "RMDQ", "was", "previously", "prev.", "before", "down from", "vs.", "compared to", "from", "to", "score", "%",
             "32", "58", "40", "22", ";", ".", "(", ")", "\n", "disability", "\u2013", "\u212a"]
    idx = words[:10]
    noise = lambda: " ".join(rnd.choice(words) for _ in range(rnd.randint(0, 4)))  # noqa: E731
    made = [" ".join(rnd.choice(words) for _ in range(rnd.randint(1, 25))) for _ in range(300)]
    made += [f"{noise()} {rnd.choice(idx)} {noise()} {rnd.randint(0, 120)}{rnd.choice(['%', '', ' %'])} {noise()} "
             f"{rnd.choice(['was', 'down from', 'from', 'vs.', 'before:'])} {rnd.randint(0, 120)} {rnd.choice(['to', ''])} "
             f"{rnd.randint(0, 99)}{noise()}" for _ in range(600)]
    return record_pieces() + made


def test_index_fall_spans_are_the_plain_scans(texts):
    fall = next(rx for _, _, rx, _ in C._FINDING_CUES if isinstance(rx, C._IndexFall))
    found = 0
    for text in texts:
        want = [m.span() for rx in (fall._NOW_WAS, fall._FROM_TO) for m in rx.finditer(text)]
        if not any(w in text.lower() for w in fall._WORDS):
            want = []
        assert [m.span() for m in fall.finditer(text)] == want, text[:80]
        found += len(want)
    assert found > 100
