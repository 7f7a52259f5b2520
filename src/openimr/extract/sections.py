"""medspaCy's Sectionizer with a faster last step (speed only: the same sections, the same attributes).

medspaCy 1.3's `Sectionizer.__call__` ends by setting `token._.section` on every token of the doc, one
Token and one Underscore object at a time: about half of the sectionizer's time. spaCy keeps such a
value in `doc.user_data` under ("._.", name, token.idx, None); this subclass writes those entries
directly from the token offsets. Everything else is medspaCy's own code path, restated below because
the loop sits in the middle of `__call__` (medspaCy 1.3.1, pinned <1.4 in pyproject.toml).
`tests/extract/test_sections_fast.py` checks every token's section and every entity's attributes
against medspaCy's Sectionizer.
"""

from __future__ import annotations

from typing import Any

from medspacy.section_detection import Sectionizer
from medspacy.section_detection.section import Section
from spacy.language import Language
from spacy.tokens import Doc, Span, Token


@Language.factory("openimr_sectionizer")
class FastSectionizer(Sectionizer):
    def __call__(self, doc: Doc) -> Doc:
        matcher = self._Sectionizer__matcher  # type: ignore[attr-defined]
        matches = matcher(doc)
        if self.require_start_line:
            matches = self.filter_start_lines(doc, matches)
        if self.require_end_line:
            matches = self.filter_end_lines(doc, matches)
        if self._parent_sections:
            matches = self.set_parent_sections(matches)

        doc._.sections = []
        if len(matches) == 0:
            doc._.sections.append(Section(None, 0, 0, 0, len(doc)))
            return doc

        section_list: list[Any] = []
        first_match = matches[0]
        if first_match[1] != 0:
            section_list.append(Section(None, 0, 0, 0, first_match[1]))

        for i, match in enumerate(matches):
            parent = None
            if len(match) == 4:
                (match_id, start, end, parent_idx) = match
                if parent_idx is not None:
                    parent = section_list[parent_idx]
            else:
                (match_id, start, end) = match

            if self._apply_sentence_boundary:
                doc[start].sent_start = True
                if end < len(doc):
                    doc[end].sent_start = True

            rule = matcher.rule_map[self.nlp.vocab.strings[match_id]]
            category = rule.category
            if i == len(matches) - 1:
                if self.max_section_length is None and rule.max_scope is None:
                    section_list.append(Section(category, start, end, end, len(doc), parent, rule))
                else:
                    if rule.max_scope is not None:
                        scope_end = min(end + rule.max_scope, doc[-1].i + 1)
                    else:
                        scope_end = min(end + self.max_section_length, doc[-1].i + 1)
                    section_list.append(Section(category, start, end, end, scope_end, parent, rule))
            else:
                next_match = matches[i + 1]
                if len(match) == 4:
                    _, next_start, _, _ = next_match
                else:
                    _, next_start, _ = next_match
                if self.max_section_length is None and rule.max_scope is None:
                    section_list.append(Section(category, start, end, end, next_start, parent, rule))
                else:
                    if rule.max_scope is not None:
                        scope_end = min(end + rule.max_scope, next_start)
                    else:
                        scope_end = min(end + self.max_section_length, next_start)
                    section_list.append(Section(category, start, end, end, scope_end, parent, rule))

        _set_token_sections(doc, section_list)

        if self.assertion_attributes_mapping:
            if self._input_span_type.lower() == "ents":
                self._set_assertion_attributes(doc, doc.ents)
            elif self._input_span_type.lower() == "group":
                self._set_assertion_attributes(doc, doc.spans[self._span_group_name])
        return doc

    def _set_assertion_attributes(self, doc: Doc, spans: Any) -> None:
        """medspaCy's `set_assertion_attributes`, each span's section read from `doc.user_data` (where
        `_set_token_sections` put it: `span._.section` is its first token's) instead of through two extension
        getters per span (issue 15)."""
        from medspacy._extensions import _span_extensions

        default, method, getter, setter = Token.get_extension("section")
        span_getter = Span.get_extension("section")[2]
        if method is not None or getter is not None or setter is not None or span_getter is not _span_extensions["section"]["getter"]:
            self.set_assertion_attributes(spans)
            return
        from spacy.attrs import IDX

        idx = doc.to_array(IDX).tolist()
        user_data, mapping = doc.user_data, self.assertion_attributes_mapping
        for span in spans:
            section = user_data.get(("._.", "section", idx[span.start], None), default) if len(span) else span._.section
            if section and section.category in mapping:
                for attr_name, attr_value in mapping[section.category].items():
                    setattr(span._, attr_name, attr_value)


def _set_token_sections(doc: Doc, section_list: list[Any]) -> None:
    """doc._.sections, and `token._.section` for the tokens of each section, in medspaCy's order."""
    default, method, getter, setter = Token.get_extension("section")
    direct = method is None and getter is None and setter is None
    idx = None
    if direct:
        from spacy.attrs import IDX

        idx = doc.to_array(IDX).tolist()
    user_data = doc.user_data
    for section in section_list:
        doc._.sections.append(section)
        start, end = section.section_span
        if idx is None:
            for token in doc[start:end]:
                token._.section = section
            continue
        for k in range(max(start, 0), min(end, len(idx))):
            user_data[("._.", "section", idx[k], None)] = section
