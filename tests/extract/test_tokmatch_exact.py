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
