"""The split scan (extract/literals.py, issue 15 warm3) takes a pattern with an optional literal parenthesis
"\\(?" (warm4: it was read as an inline group and the pattern was scanned whole), still refuses a real inline
group after an escaped backslash, and finds what finditer finds."""

from __future__ import annotations

import re

from openimr.extract import cues as C
from openimr.extract import literals as L


def test_escaped_parenthesis_is_not_a_group():
    rx = re.compile(r"\bpain\b[^.]{0,10}?\(?\d{1,2}(/10)?\s+from\s+\d|\bvas\s+\(?\d+\)?|\bscore\s+\d")
    split = L.split_alternatives(rx)
    assert split is not None and [a.lead for a in split] == ["pain", "vas", "score"]
    for text in ["pain now (3/10 from 8", "vas (7) and vas 4, score 2", "pain 3 from 9. vas (", "(pain (4 from 9)"]:
        assert [m.span() for m in L.split_finditer(split, text)] == [m.span() for m in rx.finditer(text)]


def test_inline_group_after_escaped_backslash_is_refused():
    for pattern in (r"\bab\\(?i)c|\bd", r"\bab\\\\(?i)c|\bd", r"\bx(?P=n)|\by"):
        assert L._UNKNOWN_GROUP.search(pattern) or L._BACKREF.search(pattern), pattern
    for pattern in (r"\bab\(?c|\bd", r"\bab\\\(?c|\bd", r"\b(?:a|b)(?=c)|\b(?P<n>d)"):
        assert not L._UNKNOWN_GROUP.search(pattern), pattern


def test_percent_relief_is_split():
    """The cue with the most alternatives (65 after flattening) is scanned by its alternatives."""
    rx = C._COMPILED["percent_relief"][0]
    assert L.split_alternatives(rx) is not None
