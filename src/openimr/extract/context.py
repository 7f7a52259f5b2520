"""medspaCy's ConText with a faster pairing step (speed only: the same modifiers, edges and attributes).

medspaCy 1.3's `ConTextGraph.apply_modifiers` asks every modifier about every target of the doc
(`modifier.modifies(target)`), and first compares every modifier with every target to drop the
modifiers that overlap one. A modifier can only modify a target that meets its scope, and only a
target that meets it can make it overlap, so here each modifier is asked only about the targets
that meet the span in question (found by bisection: the doc's entities are sorted and do not
overlap), with medspaCy's own tests deciding. Each modifier's targets are still appended in target
order, so `reduce_targets` and the edges come out the same. `ConText.__call__` is restated because
it makes its graph itself (medspaCy 1.3.1, pinned <1.4 in pyproject.toml).
`tests/extract/test_context_fast.py` compares edges and attributes with medspaCy's ConText.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Any

from medspacy.context import ConText, ConTextGraph, ConTextModifier
from medspacy.util import tuple_overlaps
from spacy.language import Language
from spacy.tokens import Doc


class FastContextGraph(ConTextGraph):
    def apply_modifiers(self) -> None:
        targets = list(self.targets)
        starts = [t.start for t in targets]
        ends = [t.end for t in targets]
        if any(a > b for a, b in zip(starts, starts[1:], strict=False)) or any(
            a > b for a, b in zip(ends, ends[1:], strict=False)
        ):
            return super().apply_modifiers()  # not sorted and disjoint: medspaCy's own loops

        def meeting(lo: int, hi: int) -> list[Any]:
            """The targets with a token in [lo, hi) (a superset of those tuple_overlaps accepts)."""
            return targets[bisect_right(ends, lo) : bisect_left(starts, hi)]

        if self.prune_on_modifier_overlap:
            self.modifiers[:] = [
                m for m in self.modifiers
                if not any(tuple_overlaps((t.start, t.end), m.modifier_span) for t in meeting(*m.modifier_span))
            ]
        for modifier in self.modifiers:
            for target in meeting(*modifier.scope_span):
                if modifier.modifies(target):
                    modifier.modify(target)
        edges = []
        for modifier in self.modifiers:
            modifier.reduce_targets()
            for target in modifier._targets:
                edges.append((target, modifier))
        self.edges = edges


@Language.factory("openimr_context")
class FastContext(ConText):
    def __call__(self, doc: Doc, targets: str | None = None) -> Doc:
        if not targets and self.input_span_type == "ents":
            targets = doc.ents
        elif not targets and self.input_span_type == "group":
            targets = doc.spans[self.span_group_name]
        elif targets:
            targets = getattr(doc._, targets)
        context_graph = FastContextGraph(prune_on_modifier_overlap=self.prune_on_target_overlap)
        context_graph.targets = targets
        context_graph.modifiers = []
        matcher = self._ConText__matcher  # type: ignore[attr-defined]
        matches = matcher(doc)
        for match_id, start, end in matches:
            rule = matcher.rule_map[self.nlp.vocab[match_id].text]
            context_graph.modifiers.append(ConTextModifier(rule, start, end, doc, max_scope=self.max_scope))
        context_graph.update_scopes()
        context_graph.apply_modifiers()
        for target, modifier in context_graph.edges:
            target._.modifiers += (modifier,)
        if self.context_attributes_mapping:
            self.set_context_attributes(context_graph.edges)
        doc._.context_graph = context_graph
        return doc
