"""Speed (issue 15): the TargetMatcher's token patterns matched by our own code over per-doc token arrays.

spaCy's Matcher walks every token of a window with every pattern of a bucket alive, building two Token
objects per token and calling Python predicates for each live state: most of a distinct record's target
time. Our target patterns are simple token regular expressions (a word, a word list, a regex on the
lower-cased word, a case-sensitive word, whitespace runs, bounded gaps, the sentence-start flag), so a
match is found here by trying, at each token whose word can begin a pattern, only the patterns that begin
with that word, over arrays read once per doc (lower-case id, text id, is-space, sentence start).

The answer is what spaCy's Matcher gives for the same patterns: every (pattern, start, end) with
end > start for which doc[start:end] matches the pattern as a regular expression over tokens, each once,
sorted as BucketedMatcher sorts them, then pruned as medspaCy prunes them. A pattern with anything else
(an extension, "!", another attribute) makes the pipeline keep BucketedMatcher. tests/extract/
test_tokmatch_exact.py compares the two over every record text of the test data.
"""

from __future__ import annotations

import re
from typing import Any

_INF = 1 << 30
_LOWER, _ORTH, _SPACE, _START, _PUNCT = 0, 1, 2, 3, 4  # columns of the per-doc arrays
_EQ, _PRED = 0, 1
_FLAGS = {"IS_SPACE": _SPACE, "IS_SENT_START": _START, "IS_PUNCT": _PUNCT}


class Unsupported(ValueError):
    """A pattern this matcher does not express (the pipeline then keeps spaCy's Matcher)."""


class _Pred:
    """A REGEX / IN / NOT_IN test on a word (LOWER or ORTH), remembered per string id."""

    __slots__ = ("_kind", "_value", "_strings", "_cache")

    def __init__(self, kind: str, value: Any, strings: Any):
        if kind not in ("REGEX", "IN", "NOT_IN"):
            raise Unsupported(kind)
        self._kind = kind
        self._value = re.compile(value) if kind == "REGEX" else frozenset(value)
        self._strings = strings
        self._cache: dict[int, bool] = {}

    def _test(self, word: str) -> bool:
        if self._kind == "REGEX":
            return self._value.search(word) is not None  # as spaCy's REGEX predicate: re.search
        return (word in self._value) == (self._kind == "IN")

    def __call__(self, sid: int) -> bool:
        hit = self._cache.get(sid)
        if hit is None:
            hit = self._test(self._strings[sid])
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[sid] = hit
        return hit


def _op_range(op: Any) -> tuple[int, int]:
    if op is None:
        return 1, 1
    if op == "?":
        return 0, 1
    if op == "*":
        return 0, _INF
    if op == "+":
        return 1, _INF
    m = re.fullmatch(r"\{(\d*)(,?)(\d*)\}", op) if isinstance(op, str) else None
    if m is None or (not m.group(1) and not m.group(3)):
        raise Unsupported(f"operator {op!r}")
    lo = int(m.group(1) or 0)
    hi = (int(m.group(3)) if m.group(3) else _INF) if m.group(2) else lo
    return lo, hi


class _Compiler:
    def __init__(self, strings: Any):
        self.strings = strings
        self._preds: dict[tuple[int, str, str], _Pred] = {}  # one cache per distinct test, shared by patterns

    def _pred(self, col: int, kind: str, value: Any) -> _Pred:
        if kind not in ("REGEX", "IN", "NOT_IN"):
            raise Unsupported(kind)
        key = (col, kind, repr(sorted(value) if kind != "REGEX" else value))
        pred = self._preds.get(key)
        if pred is None:
            pred = self._preds[key] = _Pred(kind, value, self.strings)
        return pred

    def token(self, tok: dict[str, Any]) -> tuple[tuple[tuple[int, int, Any], ...], int, int]:
        checks: list[tuple[int, int, Any]] = []
        for key, value in tok.items():
            if key == "OP":
                continue
            if key in ("LOWER", "TEXT", "ORTH"):
                col = _LOWER if key == "LOWER" else _ORTH
                if isinstance(value, str):
                    checks.append((col, _EQ, self.strings.add(value)))
                elif isinstance(value, dict) and len(value) == 1:
                    kind, arg = next(iter(value.items()))
                    if kind in ("IN", "NOT_IN") and not all(isinstance(v, str) for v in arg):
                        raise Unsupported(f"{kind} with non-strings")
                    checks.append((col, _PRED, self._pred(col, kind, arg)))
                else:
                    raise Unsupported(f"{key}: {value!r}")
            elif key in _FLAGS and isinstance(value, bool):
                checks.append((_FLAGS[key], _EQ, int(value)))
            else:
                raise Unsupported(key)
        lo, hi = _op_range(tok.get("OP"))
        return tuple(checks), lo, hi


class _Cols:
    """A doc's token arrays: lower-case id, text id, is-space, sentence start (spaCy's Matcher sees
    IS_SENT_START as sent_start == 1), is-punct; and the doc's possible starts per StartFilter."""

    __slots__ = ("doc", "n", "cols", "masks")

    def __init__(self, doc: Any, lexical: _Cols | None = None):
        from spacy.attrs import IS_PUNCT, IS_SPACE, LOWER, ORTH, SENT_START

        self.doc = doc
        self.n = len(doc)
        if not self.n:
            self.cols: list[list[int]] = [[], [], [], [], []]
            self.masks: dict[int, list[int]] = {}
            return
        if lexical is not None:  # the same tokens: only the sentence starts are read again
            start = (doc.to_array(SENT_START) == 1).astype(int).tolist()
            lx = lexical.cols
            self.cols = [lx[_LOWER], lx[_ORTH], lx[_SPACE], start, lx[_PUNCT]]
            self.masks = lexical.masks  # they depend on the words alone
            return
        arr = doc.to_array([LOWER, ORTH, IS_SPACE, SENT_START, IS_PUNCT])
        self.cols = [arr[:, 0].tolist(), arr[:, 1].tolist(), arr[:, 2].tolist(), (arr[:, 3] == 1).astype(int).tolist(),
                     arr[:, 4].tolist()]
        self.masks = {}

    def starts(self, filt: Any) -> list[int]:
        """The tokens `filt` (windows.StartFilter) lets begin a match: its `mask`, with its per-word cache."""
        got = self.masks.get(id(filt))
        if got is None:
            cache, tests, strings = filt._cache, filt._tests, self.doc.vocab.strings
            got = []
            for i, h in enumerate(self.cols[_ORTH]):
                hit = cache.get(h)
                if hit is None:
                    text = strings[h]
                    lower = text.lower()
                    hit = any(t(lower, text) for t in tests)
                    if len(cache) < 200_000:
                        cache[h] = hit
                if hit:
                    got.append(i)
            self.masks[id(filt)] = got
        return got


_LAST: list[_Cols | None] = [None]  # the last doc's arrays, shared by the matchers of the pipeline


def _cols_of(doc: Any) -> _Cols:
    """The doc's arrays, the words' read once for all the matchers that see the doc one after another
    (a doc's tokens do not change after the tokenizer; its sentence starts may, so they are read each time)."""
    last = _LAST[0]
    tc = _Cols(doc, last if last is not None and last.doc is doc and last.n == len(doc) else None)
    _LAST[0] = tc
    return tc


class TokenPatterns:
    """Rules' token patterns, matched from the tokens whose word can begin them (see the module's doc)."""

    def __init__(self, rules: list[Any], strings: Any):
        from openimr.extract import windows as W

        if len({r._rule_id for r in rules}) != len(rules):
            raise Unsupported("rules sharing an id")  # spaCy would merge their matches under one key
        comp = _Compiler(strings)
        # first word -> (patterns, {second word: patterns}) (see _next_word)
        self._by_lower: dict[int, tuple[list, dict[int, list]]] = {}
        self._by_orth: dict[int, tuple[list, dict[int, list]]] = {}
        self._rest: list[tuple[int, int, tuple, Any]] = []
        rest_patterns = []
        for order, rule in enumerate(rules):
            pattern = rule.pattern
            if not isinstance(pattern, list) or not pattern or not all(isinstance(t, dict) for t in pattern):
                raise Unsupported("not a token pattern")
            els = tuple(comp.token(t) for t in pattern)
            entry = (strings.add(rule._rule_id), order, els, self._gate(els))
            first = pattern[0]
            word = first.get("LOWER", first.get("TEXT", first.get("ORTH")))
            if len(first) == 1 and isinstance(word, str):  # one word, exactly once: a match begins with it
                table = self._by_lower if "LOWER" in first else self._by_orth
                plain, by_next = table.setdefault(strings.add(word), ([], {}))
                nxt = self._next_word(entry[2], strings)
                if nxt is None:
                    plain.append(entry)
                else:
                    by_next.setdefault(nxt, []).append(entry)
            else:
                self._rest.append((entry[0], entry[1], els, self._anchor(els)))
                rest_patterns.append(pattern)
        tests = W.first_token_tests(rest_patterns) if rest_patterns else []
        if tests is None:
            raise Unsupported("a pattern can begin at any token")
        self._rest_starts = W.StartFilter(tests) if tests else None

    @staticmethod
    def _anchor(els: tuple) -> tuple[int, int] | None:
        """(k, q) when els[k] is the first element taken at least once and every element before it is either
        whitespace-only (IS_SPACE, any number) or taken at most once (q of them): the token els[k] takes first
        then lies at or before the (q + 1)-th non-whitespace token from the match's start."""
        q = 0
        for k, (checks, lo, hi) in enumerate(els):
            if lo >= 1:
                return k, q
            if checks == ((_SPACE, _EQ, 1),):
                continue
            if hi != 1:
                return None
            q += 1
        return None

    @staticmethod
    def _gate(els: tuple) -> tuple | None:
        """For [word, whitespace*, next, ...] with `next` taken at least once: the tests of `next`. A match from a
        token then needs a token after it, at or before the first non-whitespace one, that passes them."""
        if len(els) < 3 or els[1] != (((_SPACE, _EQ, 1),), 0, _INF) or els[2][1] < 1:
            return None
        return els[2][0]

    @staticmethod
    def _next_word(els: tuple, strings: Any) -> int | None:
        """For [word, whitespace*, next, ...] with `next` a lower-case word without whitespace, taken at least
        once: that word's id. A match from a token then needs the first non-whitespace token after it to be
        that word (the whitespace run can only hold whitespace tokens, and `next` matches none of them)."""
        if len(els) < 3 or els[1] != (((_SPACE, _EQ, 1),), 0, _INF) or els[2][1] < 1:
            return None
        for col, kind, arg in els[2][0]:
            if col == _LOWER and kind == _EQ and strings[arg] and not any(c.isspace() for c in strings[arg]):
                return arg
        return None

    @staticmethod
    def _ends(els: tuple, start: int, n: int, cols: list[list[int]], first: int = 0) -> list[int]:
        """Every end (<= n) of a match of `els` that begins at `start` (regular-expression semantics), its
        first `first` elements already known to match one token each from `start` on."""
        last = len(els)
        if first == last:
            return [start + first]
        ends: list[int] = []
        seen: set[tuple[int, int]] = set()
        stack = [(first, start + first)]
        while stack:
            state = stack.pop()
            if state in seen:
                continue
            seen.add(state)
            p, pos = state
            if p == last:
                if pos > start:
                    ends.append(pos)
                continue
            checks, lo, hi = els[p]
            if lo == 0:
                stack.append((p + 1, pos))
            k = 0
            while k < hi and pos < n:
                for col, kind, arg in checks:
                    v = cols[col][pos]
                    if not (v == arg if kind == _EQ else arg(v)):
                        break
                else:
                    pos += 1
                    k += 1
                    if k >= lo:
                        stack.append((p + 1, pos))
                    continue
                break
        return ends

    def find(self, tc: _Cols, a: int, b: int) -> list[tuple[int, int, int, int]]:
        """(start, end, rule order, key) of every match inside tokens [a, b), each once, sorted."""
        cols = tc.cols
        lower, space = cols[_LOWER], cols[_SPACE]
        ends_of = self._ends
        found: list[tuple[int, int, int, int]] = []
        # a bucketed pattern's first element is its word, once: known to match at a start found by the word
        for column, table in ((lower, self._by_lower), (cols[_ORTH], self._by_orth)):
            if not table:
                continue
            get = table.get
            for i in range(a, b):
                got = get(column[i])
                if got is None:
                    continue
                entries, by_next = got
                j = i + 1
                while j < b and space[j]:
                    j += 1
                if by_next:
                    more = by_next.get(lower[j]) if j < b else None
                    if more:
                        entries = entries + more
                for key, order, els, gate in entries:
                    if len(els) == 1:
                        found.append((i, i + 1, order, key))
                        continue
                    if gate is not None and not _any_passes(gate, cols, i + 1, min(j + 1, b)):
                        continue  # no token there passes the next element's tests
                    for end in ends_of(els, i, b, cols, 1):
                        found.append((i, end, order, key))
        if self._rest_starts is not None:
            for i in tc.starts(self._rest_starts):
                if i < a or i >= b:
                    continue
                solid: list[int] | None = None
                for key, order, els, anchor in self._rest:
                    if anchor is not None:  # els[k] must pass at a token up to the (q + 1)-th non-whitespace one
                        k, q = anchor
                        if solid is None:
                            solid, t = [], i
                            while t < b and len(solid) < 4:
                                if not space[t]:
                                    solid.append(t)
                                t += 1
                        last_t = solid[q] if q < len(solid) else b - 1
                        if not _any_passes(els[k][0], cols, i, last_t + 1):
                            continue
                    for end in ends_of(els, i, b, cols):
                        found.append((i, end, order, key))
        found.sort()
        return found


class TargetTokenMatcher:
    """Stands in for the TargetMatcher's MedspacyMatcher (token patterns only): the same matches, ordered by
    (start, end, rule order) before medspaCy's pruning, as BucketedMatcher orders them."""

    def __init__(self, inner: Any, nlp: Any):
        self._inner = inner
        self._patterns = TokenPatterns(inner.rules, nlp.vocab.strings)

    @property
    def rule_map(self) -> dict[str, Any]:
        return self._inner.rule_map

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __call__(self, doc: Any) -> list[tuple[int, int, int]]:
        from medspacy.common.util import prune_overlapping_matches

        if not len(doc):
            return []
        matches = [(key, s, e) for s, e, _, key in self._patterns.find(_cols_of(doc), 0, len(doc))]
        if self._inner._prune:
            matches = prune_overlapping_matches(matches)
        return matches


class SpanMatcher:
    """Stands in for a medspaCy matcher's spaCy token Matcher where it is called on spans and its matches are
    then pruned by medspaCy (sorted by start and end): the matches in the span, offsets in the span.

    The order of matches that share a start and an end follows spaCy's matcher states, which this does not
    reproduce: a span with such a tie is handed to spaCy's Matcher. Without ties, the pruned list is the same
    whatever order the matches come in."""

    starts_by_first_word = True  # windows.ModifierMatcher needs not cut its windows for it

    def __init__(self, matcher: Any, rules: list[Any], strings: Any):
        self._matcher = matcher
        self._patterns = TokenPatterns(rules, strings)
        self._last: _Cols | None = None
        self.on_tie: Any = matcher  # what answers for a span with a tie (spaCy's Matcher, or a way to run it)

    def __len__(self) -> int:
        return len(self._matcher)

    def __call__(self, span: Any) -> list[tuple[int, int, int]]:
        doc = span.doc
        tc = self._last
        if tc is None or tc.doc is not doc or tc.n != len(doc):
            tc = self._last = _cols_of(doc)
        a = span.start
        found = self._patterns.find(tc, a, span.end)
        for x, y in zip(found, found[1:], strict=False):
            if x[0] == y[0] and x[1] == y[1]:
                return self.on_tie(span)
        return [(key, s - a, e - a) for s, e, _, key in found]


def _any_passes(checks, cols, lo: int, hi: int) -> bool:  # noqa: ANN001
    """Whether some token in [lo, hi) passes every (column, kind, argument) test of one pattern element."""
    for t in range(lo, hi):
        for col, kind, arg in checks:
            v = cols[col][t]
            if not (v == arg if kind == _EQ else arg(v)):
                break
        else:
            return True
    return False
