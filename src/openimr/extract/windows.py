"""Speed: run medspaCy's rule matchers only over the parts of a document that can hold a match.

spaCy's token Matcher starts every pattern at every token and evaluates the Python predicates
(REGEX, IN, NOT_IN) of every live state, so its cost grows with the document, not with the matches.
Clinical records are mostly prose that no rule can match, so two exact restrictions are applied:

- Targets: a match must begin at a token that satisfies the first (non-optional) token of some
  pattern (a literal rule: its first word). Every multi-token pattern keeps its later tokens inside
  one sentence (`rules.P` marks them IS_SENT_START False), so the Matcher only needs the stretch from
  the first such token of a sentence to the end of that sentence.
- ConText: a modifier's scope never leaves its own sentence (medspaCy scopes by sentence, and
  `max_scope` only shortens that), so modifiers are only looked for in the sentences that hold a
  target, and in the sentences on either side of them (a modifier match may run across a line break
  into the next sentence).

A window never cuts through a run of whitespace tokens (a pattern may cross a line break there).
The matches are the ones the full-document call finds, in the same order, so the entities and
their ConText attributes are identical (checked over the gold set and the labelled cases).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

Window = tuple[int, int]

_ANY = "any"


def _token_test(tok: dict[str, Any]) -> Callable[[str, str], bool] | str:
    """A (lower, text) -> bool test that is True whenever the token pattern `tok` can match (or _ANY)."""
    tests: list[Callable[[str, str], bool]] = []
    if set(tok) - {"OP"} == {"IS_SPACE"} and tok["IS_SPACE"] is True:
        return lambda lo, tx: tx.isspace()
    for key in ("LOWER", "TEXT", "ORTH"):
        if key not in tok:
            continue
        value = tok[key]
        pick: Callable[[str, str], str] = (lambda lo, tx: lo) if key == "LOWER" else (lambda lo, tx: tx)
        if isinstance(value, str):
            tests.append(lambda lo, tx, v=value, p=pick: p(lo, tx) == v)
        elif isinstance(value, dict) and set(value) == {"IN"}:
            tests.append(lambda lo, tx, v=frozenset(value["IN"]), p=pick: p(lo, tx) in v)
        elif isinstance(value, dict) and set(value) == {"REGEX"}:
            rx = re.compile(value["REGEX"])
            tests.append(lambda lo, tx, r=rx, p=pick: r.search(p(lo, tx)) is not None)
        # anything else (NOT_IN, comparisons): no restriction from this key
    if not tests:
        return _ANY
    return lambda lo, tx: all(t(lo, tx) for t in tests)


def first_token_tests(patterns: Iterable[list[dict[str, Any]]]) -> list[Callable[[str, str], bool]] | None:
    """Tests for the tokens a match of any of `patterns` can begin with; None when any token can."""
    out: list[Callable[[str, str], bool]] = []
    for pattern in patterns:
        for tok in pattern:
            test = _token_test(tok)
            if test == _ANY:
                return None
            out.append(test)  # type: ignore[arg-type]
            if tok.get("OP") not in ("?", "*"):
                break
        else:
            return None  # a pattern whose tokens are all optional
    return out


class StartFilter:
    """Which tokens of a doc can begin a match (a per-word cache, since the tests are lexical)."""

    def __init__(self, tests: list[Callable[[str, str], bool]]):
        self._tests = tests
        self._cache: dict[int, bool] = {}

    def mask(self, doc: Any) -> np.ndarray:
        from spacy.attrs import ORTH

        orth = doc.to_array(ORTH)
        if not len(orth):
            return np.zeros(0, dtype=bool)
        uniq, inverse = np.unique(orth, return_inverse=True)
        strings = doc.vocab.strings
        cache = self._cache
        vals = np.empty(len(uniq), dtype=bool)
        for k, h in enumerate(uniq.tolist()):
            hit = cache.get(h)
            if hit is None:
                text = strings[h]
                lower = text.lower()
                hit = any(t(lower, text) for t in self._tests)
                if len(cache) < 200_000:
                    cache[h] = hit
            vals[k] = hit
        return vals[inverse]


def sentence_bounds(doc: Any) -> list[Window]:
    """[(s.start, s.end) for s in doc.sents], read from the sentence-start flags (no Span per sentence)."""
    n = len(doc)
    if doc.user_hooks.get("sents") is not None or not doc.has_annotation("SENT_START"):
        return [(s.start, s.end) for s in doc.sents]  # spaCy's own rules (or its error)
    if n == 0:
        return []
    from spacy.attrs import SENT_START

    starts = [0] + [i for i in np.flatnonzero(doc.to_array(SENT_START) == 1).tolist() if i > 0]
    return list(zip(starts, starts[1:] + [n], strict=True))


def _merge(windows: list[Window], doc: Any) -> list[Window]:
    """Merge overlapping/touching windows; never end a window just before or after a whitespace token."""
    n = len(doc)
    out: list[Window] = []
    if not windows:
        return out
    from spacy.attrs import IS_SPACE

    space = doc.to_array(IS_SPACE).astype(bool).tolist()
    for a, b in windows:
        # widen over whitespace at the edges (a pattern may continue across a line break)
        while b < n and (space[b] or space[b - 1]):
            b += 1
        while a > 0 and (space[a] or space[a - 1]):
            a -= 1
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def target_windows(doc: Any, starts: StartFilter) -> list[Window] | None:
    mask = starts.mask(doc)
    if mask.all():
        return None
    hits = np.flatnonzero(mask)
    if not len(hits):
        return []
    windows: list[Window] = []
    h = 0
    for s, e in sentence_bounds(doc):
        while h < len(hits) and hits[h] < s:
            h += 1
        if h < len(hits) and hits[h] < e:
            windows.append((int(hits[h]), e))
    return _merge(windows, doc)


def header_windows(doc: Any, starts: StartFilter, longest: int) -> list[Window] | None:
    """For patterns without operators, at most `longest` tokens long: from each token that can begin one,
    that many tokens (a match cannot begin anywhere else or run further)."""
    mask = starts.mask(doc)
    if mask.all():
        return None
    n = len(doc)
    return _merge([(i, min(i + longest, n)) for i in np.flatnonzero(mask).tolist()], doc)


def context_windows(doc: Any) -> list[Window]:
    ents = doc.ents
    if not ents:
        return []
    sents = sentence_bounds(doc)
    keep: set[int] = set()
    j = 0
    for ent in ents:
        while j < len(sents) and sents[j][1] <= ent.start:
            j += 1
        k = j
        while k < len(sents) and sents[k][0] < ent.end:
            keep.update((k - 1, k, k + 1))
            k += 1
    windows = [sents[i] for i in sorted(keep) if 0 <= i < len(sents)]
    return _merge(windows, doc)


# Token attributes a Matcher pattern may test that depend on the word alone (its lexeme, fixed by the
# ORTH id) or, for IS_SENT_START, on the sentence-start flag; "_" (extensions), NORM, POS, ENT_TYPE ... do not
_MEMO_SAFE_KEYS = frozenset({"OP", "ORTH", "TEXT", "LOWER", "IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_ASCII",
                             "IS_LOWER", "IS_UPPER", "IS_TITLE", "LIKE_NUM", "LENGTH", "SHAPE", "PREFIX", "SUFFIX",
                             "IS_SENT_START"})
_MEMO_PHRASE_ATTRS = frozenset({"ORTH", "TEXT", "LOWER"})


_MEMOS: weakref.WeakSet[MatchMemo] = weakref.WeakSet()


def memo_keys(doc: Any) -> np.ndarray | None:
    """Per token (ORTH, SENT_START): all that a memo-safe pattern can see of it. None (nothing remembered)
    when the facts cache is switched off (OPENIMR_FACTS_CACHE=0: every draft reads its record afresh)."""
    from spacy.attrs import ORTH, SENT_START

    from openimr.extract import cache

    if not cache.enabled():
        return None
    return doc.to_array([ORTH, SENT_START])


_HELD = [0]  # about how many bytes all the memos hold


def clear_memos() -> None:
    """Forget every remembered window (with the facts cache: `openimr.extract.cache.clear`)."""
    for memo in list(_MEMOS):
        memo.clear()
    _HELD[0] = 0


class MatchMemo:
    """A spaCy Matcher (or PhraseMatcher) run over a window of tokens, its answer remembered per window
    (issue 15: a record repeats whole sentences from note to note; a copy-forward note re-matches none).

    A pattern that tests only the keys above matches a stretch of tokens by their words and sentence-start
    flags alone, so the matches in a window are a function of that window's (ORTH, SENT_START) pairs: the
    memo key. Matchers with any other key are run every time. Bounded: all the memos together
    are emptied when they hold about MAX_BYTES (a distinct 20-page record fills ~1.2 MB).
    """

    MAX_BYTES = 16 * 1024 * 1024

    def __init__(self, matcher: Any, patterns: Iterable[Any] = (), phrase_attr: str | None = None):
        self.matcher = matcher
        self.phrase = phrase_attr is not None  # a PhraseMatcher gives offsets in the doc, not the window
        if self.phrase:
            self.exact = phrase_attr.upper() in _MEMO_PHRASE_ATTRS
        else:
            self.exact = all(isinstance(p, list) and all(isinstance(t, dict) and set(t) <= _MEMO_SAFE_KEYS for t in p)
                             for p in patterns)
        self._memo: dict[bytes, list[tuple[int, int, int]]] = {}
        _MEMOS.add(self)

    def __call__(self, doc: Any, a: int, b: int, keys: np.ndarray | None) -> list[tuple[int, int, int]]:
        """The matches in doc[a:b], offsets in the doc."""
        if not self.exact or keys is None:
            got = self.matcher(doc[a:b])
            return list(got) if self.phrase else [(m, s + a, e + a) for m, s, e in got]
        key = keys[a:b].tobytes()
        rel = self._memo.get(key)
        if rel is None:
            got = self.matcher(doc[a:b])
            rel = [(m, s - a, e - a) for m, s, e in got] if self.phrase else list(got)
            _HELD[0] += len(key) + 120 + 72 * len(rel)  # about what the entry costs in memory
            if _HELD[0] > self.MAX_BYTES:
                clear_memos()
                _HELD[0] = len(key) + 120 + 72 * len(rel)
            self._memo[key] = rel
        return [(m, s + a, e + a) for m, s, e in rel]

    def clear(self) -> None:
        self._memo.clear()


class WindowedMatcher:
    """Stands in for a medspaCy MedspacyMatcher: the same matches, found only inside windows."""

    def __init__(self, inner: Any, windows: Callable[[Any], list[Window] | None]):
        self._inner = inner
        self._windows = windows
        self._matcher = inner._MedspacyMatcher__matcher
        self._phrase = inner._MedspacyMatcher__phrase_matcher
        self._regex = inner._MedspacyMatcher__regex_matcher
        token_patterns = [r.pattern for r in inner.rules if isinstance(r.pattern, list)]
        self._token_memo = MatchMemo(self._matcher, token_patterns)
        self._phrase_memo = MatchMemo(self._phrase, phrase_attr=inner._MedspacyMatcher__phrase_matcher_attr)

    @property
    def rule_map(self) -> dict[str, Any]:
        return self._inner.rule_map

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def _with_phrases(self, doc: Any, windows: list[Window], full: bool, matches: list[tuple[int, int, int]],
                      keys: np.ndarray | None = None) -> list:
        """The token matches plus the phrase matches in the same windows, pruned as medspaCy prunes them."""
        from medspacy.common.util import prune_overlapping_matches

        if len(self._phrase):
            for a, b in windows:
                matches += self._phrase(doc) if full else self._phrase_memo(doc, a, b, keys)
        if self._inner._prune:
            matches = prune_overlapping_matches(matches)
        return matches

    def __call__(self, doc: Any) -> list[tuple[int, int, int]]:
        windows = self._windows(doc)
        if windows is None or len(self._regex._patterns):
            return self._inner(doc)

        matches: list[tuple[int, int, int]] = []
        n = len(doc)
        # the whole doc at once: spaCy's Matcher unwindowed (tokmatch.SpanMatcher takes it as one window)
        full = len(windows) == 1 and windows[0] == (0, n) and not getattr(self._token_memo.matcher, "starts_by_first_word", False)
        keys = memo_keys(doc) if windows and not full else None
        for a, b in windows:
            if full:
                matches += self._matcher(doc)
            else:
                matches += self._token_memo(doc, a, b, keys)
        return self._with_phrases(doc, windows, full, matches, keys)


class _LexicalCache:
    """A Matcher predicate (REGEX / IN / NOT_IN on LOWER or ORTH) remembered per word.

    Such a predicate depends only on the token's text, so its answer is cached by the token's ORTH id:
    one dict look-up instead of a string-store look-up plus a regex search at every token.
    """

    __slots__ = ("_pred", "_cache", "key", "i")

    def __init__(self, pred: Any):
        self._pred = pred
        self._cache: dict[int, bool] = {}
        self.key = pred.key  # spaCy reads these when more patterns are added
        self.i = pred.i

    def __call__(self, token: Any) -> bool:
        orth = token.orth
        hit = self._cache.get(orth)
        if hit is None:
            hit = self._pred(token)
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache[orth] = hit
        return hit


def cache_lexical_predicates(matcher: Any) -> int:
    """Wrap a spaCy Matcher's lexical Python predicates in per-word caches; returns how many."""
    from spacy.attrs import LOWER, ORTH

    preds = getattr(matcher, "_extra_predicates", None)
    if not isinstance(preds, list):
        return 0
    n = 0
    for k, p in enumerate(preds):
        name = type(p).__name__
        if name not in ("_RegexPredicate", "_SetPredicate") or getattr(p, "is_extension", True):
            continue
        if p.attr not in (LOWER, ORTH) or p.predicate not in ("REGEX", "IN", "NOT_IN"):
            continue
        if name == "_SetPredicate" and (p.regex or p.fuzzy is not None):
            continue
        preds[k] = _LexicalCache(p)
        n += 1
    return n


class BucketedMatcher:
    """Stands in for the TargetMatcher's MedspacyMatcher: its patterns split by first word into buckets,
    each bucket run only from a sentence's first word that can begin one of its patterns.

    spaCy's Matcher tries every pattern at every token; with hundreds of target patterns that is most
    of the extraction time. A bucket's Matcher holds a share of the patterns and sees only the
    sentences in which one of its first words occurs. Matches are put in the order the single
    Matcher gives them (start, end, then the order the patterns were added), then pruned the same way.
    """

    def __init__(self, inner: Any, nlp: Any, buckets: int = 8):
        import zlib

        from spacy.matcher import Matcher

        self._inner = inner
        self._order: dict[int, int] = {}
        strings = nlp.vocab.strings
        groups: list[list[tuple[str, list[dict[str, Any]]]]] = [[] for _ in range(buckets + 1)]
        words: list[set[int]] = [set() for _ in range(buckets)]
        rest_patterns = []
        for k, rule in enumerate(inner.rules):
            self._order[strings.add(rule._rule_id)] = k
            pattern = rule.pattern
            if not isinstance(pattern, list):
                raise ValueError("bucketed matching needs token patterns")
            first = pattern[0]
            value = first.get("LOWER", first.get("TEXT"))
            if isinstance(value, str) and set(first) <= {"LOWER", "TEXT"} and len(first) == 1:
                b = zlib.crc32(value.lower().encode()) % buckets
                groups[b].append((rule._rule_id, pattern))
                words[b].add(strings.add(value.lower()))
            else:
                groups[buckets].append((rule._rule_id, pattern))
                rest_patterns.append(pattern)
        self._matchers = []
        for g in groups:
            m = Matcher(nlp.vocab, validate=False)  # our patterns, validated once by a test
            for rule_id, pattern in g:
                m.add(rule_id, [pattern])
            cache_lexical_predicates(m)
            self._matchers.append(MatchMemo(m, [pattern for _, pattern in g]))
        self._words = [np.array(sorted(w), dtype=np.uint64) for w in words]
        # each first word belongs to one bucket: one dict look-up per token finds it (np.isin per bucket
        # sorted the doc's words once per bucket)
        self._bucket_of = {int(h): b for b, ws in enumerate(words) for h in ws}
        tests = first_token_tests(rest_patterns) if rest_patterns else []
        self._rest = StartFilter(tests) if tests is not None else None

    @property
    def rule_map(self) -> dict[str, Any]:
        return self._inner.rule_map

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def _windows(self, doc: Any, mask: np.ndarray, sents: list[Window]) -> list[Window]:
        hits = np.flatnonzero(mask)
        windows: list[Window] = []
        if not len(hits):
            return windows
        h = 0
        for s, e in sents:
            while h < len(hits) and hits[h] < s:
                h += 1
            if h == len(hits):
                break
            if hits[h] < e:
                windows.append((int(hits[h]), e))
        return _merge(windows, doc)

    def __call__(self, doc: Any) -> list[tuple[int, int, int]]:
        from medspacy.common.util import prune_overlapping_matches
        from spacy.attrs import LOWER

        if self._rest is None:
            return self._inner(doc)
        lower = doc.to_array(LOWER)
        sents = sentence_bounds(doc)
        matches: list[tuple[int, int, int]] = []
        get = self._bucket_of.get
        bucket = np.fromiter((get(h, -1) for h in lower.tolist()), dtype=np.int16, count=len(lower))
        masks = [bucket == b for b in range(len(self._words))]
        masks.append(self._rest.mask(doc) if len(self._rest._tests) else np.zeros(len(doc), dtype=bool))
        keys = memo_keys(doc)
        for m, mask in zip(self._matchers, masks, strict=True):
            for a, b in self._windows(doc, mask, sents):
                matches += m(doc, a, b, keys)
        order = self._order
        matches.sort(key=lambda x: (x[1], x[2], order[x[0]]))
        if self._inner._prune:
            matches = prune_overlapping_matches(matches)
        return matches


def bounded_length(patterns: Iterable[list[dict[str, Any]]]) -> int | None:
    """The most non-whitespace tokens a match of any of `patterns` can hold, when every `*`/`+` token of
    them matches whitespace only ({"IS_SPACE": True}); None otherwise."""
    longest = 0
    for pattern in patterns:
        count = 0
        for tok in pattern:
            op = tok.get("OP")
            if op in ("*", "+"):
                if set(tok) - {"OP"} != {"IS_SPACE"} or tok["IS_SPACE"] is not True:
                    return None
                continue
            if op is not None and op not in ("?", "!") and not (isinstance(op, str) and op.startswith("{")):
                return None
            if isinstance(op, str) and op.startswith("{"):  # {n,m}: up to m copies
                hi = op.strip("{}").split(",")[-1].strip()
                if not hi.isdigit():
                    return None
                count += int(hi)
                continue
            count += 1
        longest = max(longest, count)
    return longest


class ModifierMatcher(WindowedMatcher):
    """ConText's matcher inside ConText's windows (as WindowedMatcher), with its token patterns tried
    only near a word that can begin one: from each such word to just past the most non-whitespace
    tokens a modifier pattern can hold (their `*` tokens match whitespace only). A match begins at
    such a word and is never longer, so the matches are those of the whole windows; phrase rules
    still look at the whole windows."""

    def __init__(self, inner: Any, starts: StartFilter, longest: int):
        super().__init__(inner, context_windows)
        self._starts = starts
        self._longest = longest

    def _token_windows(self, doc: Any, windows: list[Window]) -> list[Window]:
        from spacy.attrs import IS_SPACE

        mask = self._starts.mask(doc)
        space = doc.to_array(IS_SPACE).astype(bool)
        solid = np.flatnonzero(~space)  # positions of the non-whitespace tokens
        out: list[Window] = []
        for a, b in windows:
            for h in (np.flatnonzero(mask[a:b]) + a).tolist():
                k = int(np.searchsorted(solid, h))  # h's rank among non-whitespace tokens (or the next one's)
                end = int(solid[k + self._longest]) if k + self._longest < len(solid) else len(doc)
                out.append((h, min(end, b)))
        return _merge(out, doc)

    def spacy_near(self, span: Any) -> list[tuple[int, int, int]]:
        """spaCy's matches in `span` (offsets in it), looked for only near its possible first words, as
        `__call__` looks for them with spaCy's Matcher (tokmatch.SpanMatcher's way out of a tie)."""
        doc, a = span.doc, span.start
        out: list[tuple[int, int, int]] = []
        for x, y in self._token_windows(doc, [(a, span.end)]):
            out += [(k, s + x - a, e + x - a) for k, s, e in self._matcher(doc[x:y])]
        return out

    def __call__(self, doc: Any) -> list[tuple[int, int, int]]:
        windows = self._windows(doc)
        if windows is None or len(self._regex._patterns):
            return self._inner(doc)

        n = len(doc)
        full = len(windows) == 1 and windows[0] == (0, n)
        matches: list[tuple[int, int, int]] = []
        keys = memo_keys(doc) if windows else None
        # a matcher that itself starts only from a pattern's first words (tokmatch.SpanMatcher) takes the
        # windows whole; spaCy's Matcher, the short windows from each possible first word
        near = windows if getattr(self._token_memo.matcher, "starts_by_first_word", False) else self._token_windows(doc, windows)
        for a, b in near:
            matches += self._token_memo(doc, a, b, keys)
        return self._with_phrases(doc, windows, full, matches, keys)
