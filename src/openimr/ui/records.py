"""The records pane: each document's text with the engine's evidence spans marked.

Every distinct span (document, start, end) gets an id `ev-<doc>-<start>-<end>`; a criterion links to
it with `#ev-...`. Spans may overlap, so the text is cut at every span boundary and each piece is
wrapped in one <mark> listing the spans that cover it (`data-ev`); an empty anchor with the span's id
stands at the span's start, so following the link scrolls there with or without JavaScript, and
static/ui.js highlights exactly that span's pieces. A span whose offsets do not match the document's
text (its quote differs) is not marked: a stale offset must never highlight the wrong words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape


@dataclass
class Span:
    doc: str
    start: int
    end: int
    quote: str
    id: str = ""
    ok: bool = False  # the offsets fall on the quoted text in the document
    line: int = 0  # 1-based line of the document where the span starts (tells identical quotes apart)


@dataclass
class Records:
    docs: list[dict[str, Any]]
    spans: dict[tuple[str, int, int], Span] = field(default_factory=dict)
    _index: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._index = {d["id"]: i for i, d in enumerate(self.docs)}

    def span(self, ev: dict[str, Any]) -> Span:
        """Register one evidence span (a dict of the Evidence model) and return it with its id."""
        key = (ev["document"], int(ev["start"]), int(ev["end"]))
        sp = self.spans.get(key)
        if sp is None:
            i = self._index.get(key[0])
            sp = Span(key[0], key[1], key[2], ev.get("quote", ""))
            if i is not None:
                text = self.docs[i].get("text") or ""
                sp.id = f"ev-{i}-{key[1]}-{key[2]}"
                sp.ok = 0 <= key[1] < key[2] <= len(text) and text[key[1]:key[2]] == sp.quote
                sp.line = text.count("\n", 0, key[1]) + 1 if sp.ok else 0
            self.spans[key] = sp
        return sp

    def register(self, evidence: Iterable[dict[str, Any]]) -> list[Span]:
        return [self.span(ev) for ev in evidence]

    def marked(self, doc_id: str) -> Markup:
        """The document's text, HTML-escaped, with its (valid) spans marked."""
        i = self._index[doc_id]
        text = self.docs[i].get("text") or ""
        spans = [sp for sp in self.spans.values() if sp.doc == doc_id and sp.ok]
        if not spans:
            return escape(text)
        cuts = sorted({0, len(text), *(sp.start for sp in spans), *(sp.end for sp in spans)})
        starts: dict[int, list[Span]] = {}
        for sp in spans:
            starts.setdefault(sp.start, []).append(sp)
        out: list[str] = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            for sp in starts.get(a, ()):
                out.append(f'<span class="ev-anchor" id="{sp.id}" tabindex="-1"></span>')
            piece = escape(text[a:b])
            covering = [sp.id for sp in spans if sp.start <= a and b <= sp.end]
            if covering:
                out.append(f'<mark class="ev" data-ev="{" ".join(covering)}">{piece}</mark>')
            else:
                out.append(str(piece))
        return Markup("".join(out))
