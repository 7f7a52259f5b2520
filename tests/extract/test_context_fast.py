"""openimr_context (issue 15, speed only) gives what medspaCy's own ConText gives: the same modifiers,
the same edges in the same order, the same attributes on every entity."""

from __future__ import annotations

from pathlib import Path

from medspacy.context import ConText

from openimr.extract.context import FastContext
from openimr.extract.pipeline import get_nlp

from .record_texts import record_pieces

ROOT = Path(__file__).resolve().parents[2]
ATTRS = ("is_historical", "is_family", "is_hypothetical", "is_negated", "is_uncertain")


def _pieces() -> list[str]:
    return record_pieces()


def _state(doc, component):
    doc = component(doc)
    graph = doc._.context_graph
    mods = [(m.modifier_span, m.scope_span, m.category) for m in graph.modifiers]
    edges = [((t.start, t.end), m.modifier_span, m.category) for t, m in graph.edges]
    ents = [(e.start, e.end, tuple(getattr(e._, a) for a in ATTRS), tuple(m.modifier_span for m in e._.modifiers))
            for e in doc.ents]
    return mods, edges, ents


def test_same_modifiers_edges_and_attributes_as_medspacy():
    nlp = get_nlp()
    ours = nlp.get_pipe("medspacy_context")
    assert isinstance(ours, FastContext)
    theirs = ConText(nlp, name="reference", rules=None)
    theirs._ConText__matcher = ours._ConText__matcher  # the same matches: only the pairing differs
    upto = [name for name, _ in nlp.pipeline].index("medspacy_context")
    edges = 0
    pieces = _pieces()
    for piece in pieces:
        doc = nlp.make_doc(piece)
        for _, proc in nlp.pipeline[:upto]:
            doc = proc(doc)
        a = _state(doc.copy(), theirs)
        b = _state(doc.copy(), ours)
        assert a == b, piece[:80]
        edges += len(a[1])
    assert len(pieces) > 100 and edges > 200
