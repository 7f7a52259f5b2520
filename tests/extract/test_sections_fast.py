"""openimr_sectionizer (issue 15, speed only) gives what medspaCy's own Sectionizer gives: the same
sections, the same section on every token, the same section-derived attributes on every entity."""

from __future__ import annotations

from pathlib import Path

import pytest
from medspacy.section_detection import Sectionizer

from openimr.extract.pipeline import get_nlp
from openimr.extract.sections import FastSectionizer

from .record_texts import record_pieces

ROOT = Path(__file__).resolve().parents[2]
ATTRS = ("is_historical", "is_family", "is_hypothetical", "is_negated", "is_uncertain")


def _texts() -> list[str]:
    return record_pieces(cases=40)


def _state(doc, sectionizer):
    doc = sectionizer(doc)
    sections = [(s.category, s.title_start, s.title_end, s.body_start, s.body_end) for s in doc._.sections]
    tokens = [(t.i, None if t._.section is None else (t._.section.category, t._.section.section_span)) for t in doc]
    ents = [(e.start, e.end, e.label_, tuple(getattr(e._, a) for a in ATTRS)) for e in doc.ents]
    return sections, tokens, ents


@pytest.fixture(scope="module")
def nlp():
    return get_nlp()


def test_the_pipeline_uses_the_fast_sectionizer(nlp):
    assert isinstance(nlp.get_pipe("medspacy_sectionizer"), FastSectionizer)


def test_same_sections_tokens_and_attributes_as_medspacy(nlp):
    ours = nlp.get_pipe("medspacy_sectionizer")
    theirs = Sectionizer(nlp, name="reference", rules=None, require_start_line=True)
    theirs.add(ours.rules)
    upto = [name for name, _ in nlp.pipeline].index("medspacy_sectionizer")
    pieces = _texts()
    assert len(pieces) > 100
    with_sections = 0
    for piece in pieces:
        doc = nlp.make_doc(piece)
        for _, proc in nlp.pipeline[:upto]:
            doc = proc(doc)
        a = _state(doc.copy(), theirs)
        b = _state(doc.copy(), ours)
        assert a == b, piece[:80]
        with_sections += len(a[0]) > 1
    assert with_sections > 20
