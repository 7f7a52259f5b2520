"""sources._sentences_with_ur_words (issue 15: the reviewer's sentences found from the words' matches in the whole
text) gives the sentences that the plain way, every sentence searched for the words, gives."""

from __future__ import annotations

from openimr.extract import sources as S
from openimr.extract.cues import sentences

from .record_texts import record_texts

EDGE = [
    "UR denied PT.\nThe prior review indicated 8/10 pain. U.R. modified it! UR? review!review\n\n  UR  ",
    "Per UR: non-certified. PURSUE. ur. Urgent care. The \u017fupported claim (long s). administrator\nReviewed.",
    "No words of the reviewer here. Just pain 7/10.",
    "...UR...",
    "",
    "Modified duty; necessary? Supported. Certified x6",
]


def _plain(text: str) -> list[tuple[int, int, str]]:
    return [(a, b, s) for a, b, s in sentences(text) if S._UR_WORDS.search(s)]


def test_sentences_with_ur_words_are_the_plain_ones():
    found = 0
    for text in record_texts() + EDGE + [t.upper() for t in EDGE] + [t.lower() for t in EDGE]:
        want = _plain(text)
        assert list(S._sentences_with_ur_words(text)) == want, text[:80]
        found += len(want)
    assert found > 100
