"""All the cue stage's literals found in one Aho-Corasick pass (extract/literals.py `LiteralIndex`, issue 15 warm4)
give what `literal in text` gives for each, and the cue spans are the same with the index and without it."""

from __future__ import annotations

import random

import pytest

from openimr.extract import cues as C
from openimr.extract import literals as L
from openimr.extract.pipeline import get_nlp

from .record_texts import record_pieces


@pytest.fixture(scope="module")
def pieces() -> list[str]:
    return record_pieces()


def _made(keys: list[str], n: int = 300) -> list[str]:
    """Texts of the literals themselves, cut, joined and overlapping, with non-ASCII characters."""
    rnd = random.Random(15)
    bits = keys + [k[: len(k) // 2] for k in keys] + ["é", "\u212a", " ", "\n", "5%", "."]
    return [" ".join(rnd.choice(bits) for _ in range(rnd.randint(0, 30))) for _ in range(n)]


def test_index_finds_what_in_finds(pieces):
    lower_index, text_index = C._literal_indexes()
    keys_lower, keys_text = sorted(lower_index._absent), sorted(text_index._absent)
    assert len(keys_lower) > 300  # the rules' literals and first words are all in it
    texts = pieces + [p.lower() for p in pieces] + _made(keys_lower + keys_text) + ["", "ſ", "\u212a"]
    hits = 0
    for text in texts:
        for index, keys in ((lower_index, keys_lower), (text_index, keys_text)):
            want = {k: k in text for k in keys}
            assert index.present(text) == want, text[:80]
            hits += sum(want.values())
    assert hits > 5000


def test_every_looked_up_literal_is_indexed(pieces):
    """The plain path's lookups on the record pieces: each literal asked for is one the index holds."""
    nlp = get_nlp()
    names = [n for n, _ in nlp.pipeline]
    asked: dict[str, set[str]] = {"lower": set(), "text": set()}

    class Recording(dict):
        def __init__(self, where: str):
            super().__init__()
            self.where = where

        def get(self, key, default=None):  # noqa: ANN001, ANN202
            asked[self.where].add(key)
            return super().get(key, default)

    lower_index, text_index = C._literal_indexes()
    with nlp.select_pipes(disable=names[names.index("openimr_cue_spans"):]):
        docs = list(nlp.pipe(pieces[:200]))
    original = C._literal_indexes
    try:
        made = iter([])

        def recording() -> list:
            nonlocal made
            rec = [Recording("lower"), Recording("text")]
            made = iter(rec)
            return [type("I", (), {"present": lambda self, _t, r=r: r})() for r in rec]

        C._literal_indexes = recording
        for doc in docs:
            C.mark_cue_spans(doc)
    finally:
        C._literal_indexes = original
    assert asked["lower"] and asked["lower"] <= set(lower_index._absent)
    assert asked["text"] <= set(text_index._absent)


def test_cue_spans_with_and_without_the_index(pieces, monkeypatch):
    nlp = get_nlp()
    names = [n for n, _ in nlp.pipeline]
    with nlp.select_pipes(disable=names[names.index("openimr_cue_spans"):]):
        docs = list(nlp.pipe(pieces))

    def spans(doc) -> list[tuple[int, int, str]]:  # noqa: ANN001
        C.mark_cue_spans(doc)
        return [(sp.start, sp.end, sp.label_) for sp in doc.spans[C.CUE_GROUP]]

    fast = [spans(d) for d in docs]
    monkeypatch.setattr(L.LiteralIndex, "present", lambda self, text: {})  # every literal looked up with `in`
    plain = [spans(d) for d in docs]
    assert fast == plain
    assert sum(map(len, fast)) > 500
