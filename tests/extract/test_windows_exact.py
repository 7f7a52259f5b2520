"""Speed-ups of the rule matchers (issue 15) find exactly what the plain medspaCy matchers find."""

from __future__ import annotations

from pathlib import Path

import pytest

from openimr.extract import windows as W
from openimr.extract.pipeline import get_nlp

from .record_texts import record_pieces

ROOT = Path(__file__).resolve().parents[2]


def _pieces() -> list[str]:
    return record_pieces(example=False)


@pytest.fixture(scope="module")
def docs():
    nlp = get_nlp()
    return [nlp(p) for p in _pieces()]


def test_modifier_matcher_finds_what_the_context_windows_hold(docs):
    ctx = get_nlp().get_pipe("medspacy_context")
    fast = ctx._ConText__matcher
    assert isinstance(fast, W.ModifierMatcher)
    plain = W.WindowedMatcher(fast._inner, W.context_windows)
    found = 0
    for doc in docs:
        expected = plain(doc)
        assert fast(doc) == expected, doc.text[:80]
        found += len(expected)
    assert len(docs) > 100 and found > 300


def test_sentence_bounds_are_spacys(docs):
    for doc in docs + [get_nlp()("")]:
        assert W.sentence_bounds(doc) == [(s.start, s.end) for s in doc.sents]


def test_bounded_length():
    space = {"IS_SPACE": True, "OP": "*"}
    assert W.bounded_length([[{"LOWER": "no"}, space, {"LOWER": "pain", "OP": "?"}], [{"LOWER": "a"}]]) == 2
    assert W.bounded_length([[{"LOWER": "no"}, {"LOWER": "x", "OP": "{0,3}"}]]) == 4
    assert W.bounded_length([[{"LOWER": "no"}, {"OP": "*"}]]) is None  # any token, any number of times
    assert W.bounded_length([[{"LOWER": "no"}, {"LOWER": "very", "OP": "+"}]]) is None


def test_sentence_texts_are_spacys(docs):
    from openimr.extract.facts import _sent_text, _sentences

    checked = 0
    for doc in docs:
        assert [(s.start, s.end, t, c) for s, t, c in _sentences(doc)] == [(s.start, s.end, s.text, s.start_char) for s in doc.sents]
        for span in list(doc.ents) + [doc[i : i + 2] for i in range(0, len(doc) - 2, 5)]:
            assert _sent_text(span) == (span.sent.text, span.sent.start_char)
            checked += 1
    assert checked > 1000
