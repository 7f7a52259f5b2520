"""facts._sent_of (issue 15: the sentence of a span, from the sentences built once per block) is spaCy's `span.sent`."""

from __future__ import annotations

from openimr.extract.facts import _sent_of
from openimr.extract.pipeline import get_nlp

from .record_texts import record_pieces


def test_sent_of_is_spacys_sent():
    nlp = get_nlp()
    checked = 0
    for text in record_pieces(cases=20) + ["x", "A. B.\n\nC"]:
        doc = nlp(text)
        for span in list(doc.ents) + [doc[i : i + 3] for i in range(0, len(doc) - 3, 4)]:
            got, want = _sent_of(span), span.sent
            assert (got.start, got.end) == (want.start, want.end) and got == want, text[:60]
            checked += 1
    assert checked > 1000
