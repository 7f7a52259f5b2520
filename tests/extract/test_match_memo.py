"""The matchers' window memo (windows.MatchMemo, issue 15) gives the matches the matchers find afresh."""

from __future__ import annotations

import pytest

from openimr.extract import windows as W
from openimr.extract.pipeline import get_nlp

from .record_texts import record_pieces


def _memoised() -> dict[str, object]:
    nlp = get_nlp()
    out = {"targets": None, "context": nlp.get_pipe("medspacy_context")._ConText__matcher,
           "sections": nlp.get_pipe("medspacy_sectionizer")._Sectionizer__matcher,
           "cue context": nlp.get_pipe("openimr_cue_context")._ConText__matcher}
    from openimr.extract import pipeline as P

    for _name, proc in nlp.pipeline:  # the target component closes over its TargetMatcher
        cells = getattr(proc, "__closure__", None) or ()
        for cell in cells:
            tm = getattr(cell.cell_contents, "_TargetMatcher__matcher", None)
            if tm is not None:
                out["targets"] = tm
    assert P is not None and out["targets"] is not None
    # the pipeline's targets are matched by tokmatch.TargetTokenMatcher (nothing remembered); the bucketed,
    # remembered spaCy matchers it falls back to are tested here
    out["targets"] = _bucketed(out["targets"]._inner)
    return out


_BUCKETED: dict[int, W.BucketedMatcher] = {}


def _bucketed(inner) -> W.BucketedMatcher:
    if id(inner) not in _BUCKETED:
        _BUCKETED[id(inner)] = W.BucketedMatcher(inner, get_nlp())
    return _BUCKETED[id(inner)]


def _memos(matcher) -> list[W.MatchMemo]:
    if isinstance(matcher, W.BucketedMatcher):
        return list(matcher._matchers)
    return [matcher._token_memo, matcher._phrase_memo]


@pytest.fixture(scope="module")
def docs():
    nlp = get_nlp()
    # the doc as each matcher sees it: after the components before it (targets and sections see no
    # entities yet, but the matchers read only tokens and sentence starts, which are set before them)
    return [nlp(p) for p in record_pieces()]


def test_memo_is_on_for_the_pipeline_matchers():
    for name, matcher in _memoised().items():
        memos = _memos(matcher)
        assert memos and all(m.exact for m in memos if len(m.matcher)), name


def test_remembered_matches_are_fresh_matches(docs):
    matchers = _memoised()
    for name, matcher in matchers.items():
        memos = _memos(matcher)
        first = [matcher(doc) for doc in docs]  # fills the memo (or reads what the pipeline put there)
        again = [matcher(doc) for doc in docs]  # every window now remembered
        saved = [m.exact for m in memos]
        for m in memos:
            m.exact = False
        try:
            fresh = [matcher(doc) for doc in docs]
        finally:
            for m, was in zip(memos, saved, strict=True):
                m.exact = was
        assert first == fresh and again == fresh, name
        assert sum(len(x) for x in fresh) > 50, name
    # the same window inside another sentence of another block gives the same matches, shifted
    nlp = get_nlp()
    a = nlp("Plan: physical therapy. Patient denies numbness in the right leg.")
    b = nlp("Date of service: 01/02/2020.\n\nPatient denies numbness in the right leg.")
    tm = matchers["targets"]
    ia = next(t.i for t in a if t.text == "Patient")
    ib = next(t.i for t in b if t.text == "Patient")
    ma = [(m, s - ia, e - ia) for m, s, e in tm(a) if s >= ia]
    mb = [(m, s - ib, e - ib) for m, s, e in tm(b) if s >= ib]
    assert ma == mb and ma


def test_unsafe_patterns_are_not_remembered():
    assert not W.MatchMemo(None, [[{"LOWER": "x"}, {"_": {"flag": True}}]]).exact
    assert not W.MatchMemo(None, [[{"NORM": "x"}]]).exact
    assert not W.MatchMemo(None, [[{"POS": "NOUN"}]]).exact
    assert W.MatchMemo(None, [[{"LOWER": {"IN": ["a"]}, "IS_SENT_START": False, "OP": "?"}]]).exact
    assert not W.MatchMemo(None, phrase_attr="NORM").exact


def test_the_memo_follows_the_facts_cache_switch(monkeypatch):
    from openimr.extract import cache

    nlp = get_nlp()
    doc = nlp("Patient denies numbness in the right leg.")
    tm = _memoised()["targets"]
    tm(doc)
    assert any(len(m._memo) for m in tm._matchers)
    cache.clear()  # forgets the windows too
    assert not any(len(m._memo) for m in tm._matchers)
    monkeypatch.setenv("OPENIMR_FACTS_CACHE", "0")
    assert W.memo_keys(doc) is None
    tm(doc)
    assert not any(len(m._memo) for m in tm._matchers)


def test_the_memos_are_bounded(monkeypatch):
    from openimr.extract import cache

    cache.clear()
    monkeypatch.setattr(W.MatchMemo, "MAX_BYTES", 2_000)
    tm = _memoised()["targets"]
    nlp = get_nlp()
    for k in range(40):
        tm(nlp(f"Patient {k} denies numbness in the right leg and reports {k} falls."))
        assert W._HELD[0] <= 2_000
    assert sum(len(m._memo) for m in tm._matchers) < 40


def test_bucketed_targets_are_the_plain_matchers(docs):
    """The TargetMatcher's buckets (windows from a possible first word to the sentence end, remembered)
    find what medspaCy's matcher finds over the whole doc."""
    tm = _memoised()["targets"]
    assert isinstance(tm, W.BucketedMatcher)
    found = 0
    for doc in docs:
        fast, plain = tm(doc), tm._inner(doc)
        assert sorted(fast) == sorted(plain), doc.text[:80]
        found += len(plain)
    assert found > 500
