"""The cue scan by alternatives (extract/literals.py `split_alternatives`, issue 15 warm3) finds the spans the
whole pattern's finditer finds: on every cue pattern it takes, over the record texts (as they are and
lower-cased), texts made of the patterns' own words, and edge cases of the rewrite."""

from __future__ import annotations

import random
import re

import pytest

from openimr.extract import cues as C
from openimr.extract import literals as L

from .record_texts import record_pieces


def _patterns() -> list[re.Pattern[str]]:
    out = [rules[0] for _, rules in C._RULES] + [C._BLOCK]
    for k, (_, _, rx, _) in enumerate(C._FINDING_CUES):
        out += [p for p in (rx, C._FC_LOWERED[k]) if isinstance(p, re.Pattern)]
    return out + [p for p in C._ActivityGain._LOWERED if p is not None]


def _spans(split: L.Split, text: str, present: dict[str, bool] | None = None) -> list[tuple[int, int]]:
    return [m.span() for m in L.split_finditer(split, text, present)]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    pieces = record_pieces()
    return pieces + [t.lower() for t in pieces]


def _made_texts(patterns: list[re.Pattern[str]], n: int = 400) -> list[str]:
    """Texts of the patterns' own literals, numbers and punctuation in random order: matches that touch,
    overlap and cross sentence ends."""
    words: set[str] = set()
    for rx in patterns:
        words |= set(re.findall(r"[a-z][a-z' -]*[a-z]|\d+", rx.pattern.lower().replace(r"\b", " ").replace(r"\s", " ")))
    vocab = sorted(words) + ["5", "50", "%", ".", ";", ",", "\n", "-", "/", "x", "pt", "the"]
    rnd = random.Random(15)
    return ["".join(rnd.choice(vocab) + rnd.choice(" \n.,;-") for _ in range(rnd.randint(1, 40))) for _ in range(n)]


def test_split_scans_find_the_same_spans(texts):
    patterns = _patterns()
    taken = [(rx, L.split_alternatives(rx)) for rx in patterns]
    taken = [(rx, sp) for rx, sp in taken if sp is not None]
    assert len(taken) >= 25  # the rewrite is used (most cue patterns begin each phrase with \b)
    assert all(alt.rx.pattern for _, split in taken for alt in split)  # each alternative compiles (done lazily)
    made = _made_texts([rx for rx, _ in taken])
    found = {"record": 0, "made": 0}
    for kind, text in [("record", t) for t in texts] + [("made", t) for t in made]:
        present: dict[str, bool] = {}  # shared by every pattern on one text, as the cue stage shares it
        for rx, split in taken:
            want = [m.span() for m in rx.finditer(text)]
            assert _spans(split, text, present) == want, (rx.pattern[:60], text[:80])
            found[kind] += len(want)
    assert found["record"] > 1000 and found["made"] > 1000, found


def test_finditer_takes_the_split_scan():
    rx = re.compile(r"\bnear falls?\b|\b(ambulat\w*|walks?) with\b")
    assert L.split_alternatives(rx) is not None
    text = "Pt walks with a cane; near fall x2. Ambulates with walker; he walks with"
    assert [m.span() for m in L.finditer(rx, text)] == [m.span() for m in rx.finditer(text)] != []


def test_the_rewrite():
    assert L._split_top(r"a(b|c)|[|)]d|\(|e") == ["a(b|c)", "[|)]d", r"\(", "e"]
    assert L._split_top(r"[]|]x|y") == ["[]|]x", "y"]
    assert L._split_top(r"a)|b") is None
    assert L._hoist(r"\bnear falls?\b") == r"near fall(?<=\bnear fall)s?\b"  # the quantifier keeps its letter
    assert L._hoist(r"\b(pain|sx)\s+x") == r"(pain(?<=\bpain)|sx(?<=\bsx))\s+x"
    assert L._hoist(r"\b(pain|sx)?x") == r"\b(pain|sx)?x"  # a quantified group: as it is
    assert L._hoist(r"\b(?=a)b") == r"\b(?=a)b"
    assert L._flatten(r"(?:a|b(c|d))e") == ["ae", "b(c|d)e"]  # only a leading group is opened
    assert L._flatten(r"(?:(a|b)c|d)e") == ["ace", "bce", "de"]
    assert L._flatten(r"(a|b)*e") == [r"(a|b)*e"]
    assert L._lead("walks?x") == "walk" and L._lead(r"\bx") is None
    # what the rewrite does not follow stays whole
    assert L.split_alternatives(re.compile(r"\bfoo|\bbar", re.I)) is None
    assert L.split_alternatives(re.compile(r"\b(a)x|\b\1y")) is None
    assert L.split_alternatives(re.compile(r"(?i)\bfoo|\bbar")) is None
    assert L.split_alternatives(re.compile(r"\bfoo|\bbar|x?")) is None  # an alternative may match empty
    assert L.split_alternatives(re.compile(r"plain words")) is None  # nothing to gain


def test_edges_of_the_split_scan():
    split = L.split_alternatives(re.compile(r"\bab\b|\bb\w+|\ba|cd"))
    assert split is not None
    for text in ["ab", "xab ab", "abab ab", "a b ab bcd", "cab", "b", "\u00e9ab ab", "ab\u00e9 ab", "abcd a", ""]:
        want = [m.span() for m in re.finditer(r"\bab\b|\bb\w+|\ba|cd", text)]
        assert _spans(split, text) == want, text
    # the first alternative that matches at a place wins, as in the alternation
    split = L.split_alternatives(re.compile(r"\bpain\w*|\bpain relief"))
    assert _spans(split, "pain relief") == [(0, 4)]
    # a literal remembered as absent for one text is not taken for another
    present: dict[str, bool] = {}
    assert _spans(split, "no", present) == [] and present == {"pain": False, "pain relief": False}
    assert _spans(split, "pains", {}) == [(0, 5)]


def test_activity_gain_places_are_the_plain_ones(texts):
    """The activity-gain cue's candidate places (lower-cased patterns scanned by alternatives on ASCII text) are
    the plain patterns' matches, in the same order."""
    gain = C._ActivityGain()
    assert all(low is not None and L.split_alternatives(low) is not None for low in gain._LOWERED)
    found = 0
    for text in texts + ["Walking 45 min (was 10-15). Sitting tolerance rose from 10 to 30 minutes.", "Driving 20 mi, was 5 \u00e9"]:
        want = [m.span() for m in gain._NOW_WAS.finditer(text)] + [m.span() for m in gain._FROM_TO.finditer(text)]
        assert [m.span() for m in gain.finditer(text)] == want, text[:80]
        found += len(want)
    assert found > 5
