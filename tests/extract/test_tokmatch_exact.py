"""Our target matcher (extract/tokmatch.py, issue 15) finds exactly what medspaCy's (spaCy's) Matcher finds."""

from __future__ import annotations

import random

import pytest

from openimr.extract import windows as W
from openimr.extract.pipeline import get_nlp
from openimr.extract.tokmatch import TargetTokenMatcher, Unsupported

from .record_texts import record_pieces


def _pipeline_targets():
    nlp = get_nlp()
    for _name, proc in nlp.pipeline:  # the target component closes over its TargetMatcher
        for cell in getattr(proc, "__closure__", None) or ():
            tm = getattr(cell.cell_contents, "_TargetMatcher__matcher", None)
            if tm is not None:
                return tm
    raise AssertionError("no TargetMatcher in the pipeline")


def test_the_pipeline_uses_it():
    assert isinstance(_pipeline_targets(), TargetTokenMatcher)


def test_the_same_matches_on_every_record_text():
    """Every labeled case's documents, the gold texts and the example case, cut as extraction cuts them."""
    nlp = get_nlp()
    tm = _pipeline_targets()
    found = 0
    pieces = record_pieces()
    for piece in pieces:
        doc = nlp(piece)
        plain = tm._inner(doc)  # medspaCy's matcher over the whole doc
        assert tm(doc) == plain, piece[:80]
        found += len(plain)
    assert len(pieces) > 200 and found > 1000


# patterns with every construct the matcher expresses, on texts where they meet edges: doc ends,
# whitespace runs, sentence starts, repeats, overlaps
SPACE = {"IS_SPACE": True, "OP": "*"}
PATTERNS = [
    [{"LOWER": "a"}],
    [{"LOWER": "a"}, SPACE, {"LOWER": "b", "IS_SENT_START": False}],
    [{"LOWER": "a"}, SPACE, {"LOWER": "b", "OP": "?"}],
    [{"LOWER": "a"}, {"LOWER": {"NOT_IN": [".", "c"]}, "IS_SENT_START": False, "OP": "{0,3}"}, {"LOWER": "c"}],
    [{"LOWER": "b"}, {"LOWER": {"IN": ["a", "b"]}, "OP": "+"}],
    [{"LOWER": "c"}, {"LOWER": {"REGEX": "^(a|b)?$"}, "OP": "*"}, {"TEXT": "C"}],
    [{"TEXT": "A"}, SPACE, {"LOWER": {"REGEX": "^b+$"}, "OP": "{2}"}],
    [{"LOWER": {"REGEX": "^(a|c)$"}, "OP": "?"}, {"LOWER": "b"}, {"LOWER": "b", "OP": "{1,}"}],
    [{"LOWER": {"IN": ["c", "."]}}, SPACE, {"IS_SENT_START": True, "LOWER": "a"}],
    [{"LOWER": "b"}, {"LOWER": "c", "OP": "?"}, {"LOWER": "a", "OP": "?"}],
    [{"LOWER": {"REGEX": "^(c)?$"}, "OP": "?"}, SPACE, {"LOWER": {"REGEX": "^bb?$"}, "IS_SENT_START": False}],
    [{"LOWER": {"IN": ["x", ","]}, "OP": "?"}, {"LOWER": {"IN": ["c", "x"]}, "OP": "?"}, SPACE, {"TEXT": "B"}, {"LOWER": "a", "OP": "*"}],
]
WORDS = ["a", "A", "b", "B", "c", "C", ".", "\n", "\n\n", "  ", "bb", ",", "x"]


def _random_texts(n: int, seed: int = 15) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(1, 30))]
        out.append("".join(w if w.isspace() else w + rng.choice([" ", "", " "]) for w in words))
    return out


@pytest.mark.parametrize("prune", [True, False])
def test_the_same_matches_on_edge_cases(prune):
    from medspacy.target_matcher import TargetMatcher, TargetRule

    nlp = get_nlp()
    tm = TargetMatcher(nlp, result_type=None, prune=prune)
    tm.add([TargetRule(f"p{k}", f"L{k}", pattern=p) for k, p in enumerate(PATTERNS)])
    inner = tm._TargetMatcher__matcher
    ours = TargetTokenMatcher(inner, nlp)
    bucketed = W.BucketedMatcher(inner, nlp)
    found = 0
    for text in _random_texts(600):
        doc = nlp(text)
        plain, got = inner(doc), ours(doc)
        if prune:
            # the same spans; where two rules match the same span, the one added first is kept (as by
            # BucketedMatcher, the stand-in this replaces), where spaCy's order of such ties follows its states
            assert [m[1:] for m in got] == [m[1:] for m in plain], repr(text)
            assert got == bucketed(doc), repr(text)
        else:
            assert sorted(got) == sorted(plain), repr(text)  # every match, each once
        found += len(plain)
    assert found > 1000


def test_what_it_cannot_express_is_refused():
    from medspacy.target_matcher import TargetMatcher, TargetRule

    nlp = get_nlp()
    for pattern in ([{"LOWER": "a", "OP": "!"}], [{"POS": "NOUN"}], [{"_": {"x": 1}}], [{"LENGTH": {">=": 3}}]):
        tm = TargetMatcher(nlp, result_type=None)
        tm._TargetMatcher__matcher._MedspacyMatcher__matcher.validate = False
        tm.add([TargetRule("x", "X", pattern=pattern)])
        with pytest.raises(Unsupported):
            TargetTokenMatcher(tm._TargetMatcher__matcher, nlp)


def _span_matched() -> dict[str, object]:
    nlp = get_nlp()
    return {"context": nlp.get_pipe("medspacy_context")._ConText__matcher,
            "cue context": nlp.get_pipe("openimr_cue_context")._ConText__matcher,
            "sections": nlp.get_pipe("medspacy_sectionizer")._Sectionizer__matcher}


def test_the_windowed_matchers_use_it():
    from openimr.extract.tokmatch import SpanMatcher

    for name, m in _span_matched().items():
        assert isinstance(m._token_memo.matcher, SpanMatcher), name


def test_span_matching_gives_spacys_windows():
    """ConText's, the cue ConText's and the Sectionizer's matchers (windows, memo off) give the same pruned
    matches with our span matching as with spaCy's Matcher, on every record text."""
    nlp = get_nlp()
    docs = [nlp(p) for p in record_pieces()]
    for name, m in _span_matched().items():
        memo = m._token_memo
        ours, exact = memo.matcher, memo.exact
        memo.exact = False  # every window matched afresh
        try:
            got = [m(doc) for doc in docs]
            memo.matcher = ours._matcher
            want = [m(doc) for doc in docs]
        finally:
            memo.matcher, memo.exact = ours, exact
        assert got == want, name
        assert sum(map(len, want)) > 250, name


def test_span_matching_on_edge_cases():
    """Windows of random texts: the same matches as spaCy's Matcher, up to the order of matches sharing a
    start and an end (a window with such a tie is handed to spaCy's Matcher)."""
    from medspacy.target_matcher import TargetRule
    from spacy.matcher import Matcher

    from openimr.extract.tokmatch import SpanMatcher

    nlp = get_nlp()
    rules = [TargetRule(f"p{k}", f"L{k}", pattern=p) for k, p in enumerate(PATTERNS)]
    spacy_matcher = Matcher(nlp.vocab)
    for k, r in enumerate(rules):
        r._rule_id = f"span_edge_{k}"
        spacy_matcher.add(r._rule_id, [r.pattern])
    ours = SpanMatcher(spacy_matcher, rules, nlp.vocab.strings)
    rng = random.Random(7)
    found = ties = 0
    for text in _random_texts(400, seed=3):
        doc = nlp(text)
        a = rng.randrange(len(doc))
        b = rng.randrange(a, len(doc)) + 1
        got, want = ours(doc[a:b]), spacy_matcher(doc[a:b])
        assert sorted(got) == sorted(want), repr(text)
        spans = [m[1:] for m in want]
        if len(set(spans)) < len(spans):
            ties += 1
            assert got == want, repr(text)  # handed to spaCy
        found += len(want)
    assert found > 500 and ties > 5
