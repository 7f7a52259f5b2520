"""Speed: skip a regular expression over a text that cannot hold a match of it (issue 15).

The sentence cues (cues.py) scan every block once per rule, ~40 rules, and most rules find nothing in
most blocks. A rule's pattern is read once (Python's own regex parser) for the literal strings one of
which every match must contain: a run of plain characters in a sequence, one of them per
alternative, the body of a repeat that must occur at least once. When none of them is in the text,
the scan would find nothing, so it is not run. Nothing else is assumed, so the answer is the scan's:

- a pattern without IGNORECASE: the literals are looked for as they are;
- with IGNORECASE: lower-cased, in the lower-cased text, and only when the text and the literals are
  ASCII (beyond ASCII, case-insensitive matching has pairs that lower-casing does not give: "ſ" ~ "s",
  the Kelvin sign ~ "k"); otherwise the scan runs;
- lookarounds, local flag changes and anything that is not a plain character add no literal (a
  pattern with none is always scanned).

`lowered` gives the same pattern for lower-cased text without IGNORECASE, which Python's engine runs
about twice as fast; on ASCII text its matches are the same, at the same places (it is refused for a
pattern with an escape that lower-casing changes: \\S, \\W, \\D, \\B, \\A, \\Z, \\x41 ...).
"""

from __future__ import annotations

import re
from typing import Any

try:  # Python 3.11+
    from re import _constants as _K
    from re import _parser as _P
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants as _K  # type: ignore[no-redef]
    import sre_parse as _P  # type: ignore[no-redef]


def _required(items: Any) -> set[str] | None:
    """Literals one of which every match of the parsed sequence `items` contains (None: unknown)."""
    cands: list[set[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            cands.append({"".join(run)})
            run.clear()

    for op, av in items:
        if op is _K.LITERAL:
            run.append(chr(av))
            continue
        flush()
        got: set[str] | None = None
        if op is _K.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            got = None if (add_flags or del_flags) else _required(sub)
        elif op is _K.BRANCH:
            union: set[str] | None = set()
            for alt in av[1]:
                part = _required(alt)
                if part is None:
                    union = None
                    break
                union |= part  # type: ignore[operator]
            got = union
        elif op in (_K.MAX_REPEAT, _K.MIN_REPEAT) or op is getattr(_K, "POSSESSIVE_REPEAT", None):
            lo, _hi, sub = av
            got = _required(sub) if lo >= 1 else None
        elif op is getattr(_K, "ATOMIC_GROUP", None):
            got = _required(av)
        if got:
            cands.append(got)
    flush()
    if not cands:
        return None
    # the most selective choice: the longest shortest literal, then the fewest literals
    return max(cands, key=lambda s: (min(len(x) for x in s), -len(s)))


class Prefilter:
    """`may_match(text, lower)`: False only when `rx` has no match in `text` (`lower` = text.lower())."""

    __slots__ = ("literals", "folded")

    def __init__(self, rx: Any):
        self.literals: tuple[str, ...] | None = None
        self.folded = False
        if not isinstance(rx, re.Pattern) or not isinstance(rx.pattern, str):
            return
        try:
            found = _required(_P.parse(rx.pattern, rx.flags))
        except Exception:  # noqa: BLE001 - an unexpected parse tree: no prefilter, the scan runs
            return
        if not found or "" in found:
            return
        self.folded = bool(rx.flags & re.IGNORECASE)
        if self.folded:
            if not all(x.isascii() for x in found):
                return
            found = {x.lower() for x in found}
        self.literals = tuple(sorted(found, key=len, reverse=True))

    def may_match(self, text: str, lower: str, present: dict[str, bool] | None = None) -> bool:
        """`present`: whether a literal is in the text scanned (`lower` for a folded prefilter, else `text`),
        remembered across the prefilters and split scans of one text (literals.split_finditer)."""
        lits = self.literals
        if lits is None:
            return True
        if self.folded:
            if not text.isascii():
                return True
            text = lower
        if present is None:
            for x in lits:  # noqa: SIM110 - speed: a plain loop (any() over a generator costs a frame switch per literal)
                if x in text:
                    return True
            return False
        for x in lits:
            hit = present.get(x)
            if hit is None:
                hit = present[x] = x in text
            if hit:
                return True
        return False


# escapes whose meaning lower-casing keeps: \b \s \d \w \n \t \r and an escaped punctuation mark
_SAFE_ESCAPE = re.compile(r"\\(?:[bsdwntr]|[^A-Za-z0-9])")
# (warm4) and \uXXXX naming a character without case ("\u2013", "\u2192"): ignoring case, it matches only itself
_ESCAPE = re.compile(r"\\(?:[bsdwntr]|[^A-Za-z0-9]|u([0-9A-Fa-f]{4}))")


def _without_safe_escapes(pattern: str) -> str:
    def gone(m: re.Match[str]) -> str:
        if m.group(1) is None:
            return ""
        c = chr(int(m.group(1), 16))
        return "" if not c.isascii() and c.lower() == c == c.upper() and c.casefold() == c else m.group(0)

    return _ESCAPE.sub(gone, pattern)


def lowered(rx: Any) -> re.Pattern[str] | None:
    """`rx` (IGNORECASE) as a pattern for lower-cased ASCII text without the flag, or None."""
    if not isinstance(rx, re.Pattern) or not isinstance(rx.pattern, str) or not rx.flags & re.IGNORECASE:
        return None
    pattern = rx.pattern
    if not pattern.isascii() or "(?" in _without_safe_escapes(pattern).replace("(?:", "").replace("(?!", "").replace(
            "(?=", "").replace("(?<=", "").replace("(?<!", ""):
        return None  # named groups, inline flags ...: left as they are
    if "\\" in _without_safe_escapes(pattern):
        return None
    try:
        if not _ranges_case_safe(_P.parse(pattern, rx.flags)):
            return None  # [A-z] ignoring case is not [a-z]
    except Exception:  # noqa: BLE001
        return None
    return re.compile(pattern.lower(), rx.flags & ~re.IGNORECASE)


def _ranges_case_safe(items: Any) -> bool:
    """Every character range of the parsed pattern lies within A-Z, within a-z, or holds no letter."""
    for op, av in items:
        if op is _K.IN:
            for kind, val in av:
                if kind is _K.RANGE:
                    lo, hi = chr(val[0]), chr(val[1])
                    if hi > "\x7f":
                        return False  # (warm4: \u escapes) beyond ASCII a range may hold the Kelvin sign ~ "k", "ſ" ~ "s"
                    upper, lower = lo >= "A" and hi <= "Z", lo >= "a" and hi <= "z"
                    if not (upper or lower or hi < "A" or lo > "z" or (lo > "Z" and hi < "a")):
                        return False
        elif isinstance(av, tuple | list):
            for sub in av:
                if isinstance(sub, _P.SubPattern) and not _ranges_case_safe(sub):
                    return False
                if isinstance(sub, list) and not all(_ranges_case_safe(x) for x in sub if isinstance(x, _P.SubPattern)):
                    return False
        elif isinstance(av, _P.SubPattern) and not _ranges_case_safe(av):
            return False
    return True


# -- where a match can begin -----------------------------------------------------------------------------


_ANY_CHAR = ""  # in a set of first characters: any character


def _first(items: Any, fold: bool) -> tuple[set[str], bool] | None:
    """(the characters a match of the parsed sequence can begin with, whether it can match empty); None when
    unknown. Zero-width items (\\b, lookarounds) add nothing: the set is a superset."""
    chars: set[str] = set()
    for op, av in items:
        got: tuple[set[str], bool] | None
        if op is _K.AT or op in (_K.ASSERT, _K.ASSERT_NOT):
            continue
        if op is _K.LITERAL:
            c = chr(av)
            if fold and not c.isascii():
                return None  # beyond ASCII, case-insensitive pairs are not lower/upper ("ſ" ~ "s")
            got = ({c, c.lower(), c.upper()} if fold else {c}, False)
        elif op is _K.IN:
            got = _first_in(av, fold)
        elif op is _K.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            got = None if (add_flags or del_flags) else _first(sub, fold)
        elif op is _K.BRANCH:
            union: set[str] = set()
            empty = False
            for alt in av[1]:
                part = _first(alt, fold)
                if part is None:
                    return None
                union |= part[0]
                empty = empty or part[1]
            got = (union, empty)
        elif op in (_K.MAX_REPEAT, _K.MIN_REPEAT) or op is getattr(_K, "POSSESSIVE_REPEAT", None):
            lo, _hi, sub = av
            part = _first(sub, fold)
            got = None if part is None else (part[0], part[1] or lo == 0)
        elif op in (_K.ANY, _K.NOT_LITERAL):
            got = ({_ANY_CHAR}, False)
        else:
            return None  # back-references, conditionals, ...: unknown
        if got is None:
            return None
        chars |= got[0]
        if not got[1]:
            return chars, False
    return chars, True


def _first_in(av: Any, fold: bool) -> tuple[set[str], bool] | None:
    chars: set[str] = set()
    for kind, val in av:
        if kind is _K.LITERAL:
            c = chr(val)
            if fold and not c.isascii():
                return None
            chars |= {c, c.lower(), c.upper()} if fold else {c}
        elif kind is _K.RANGE:
            lo, hi = val
            if hi - lo > 256 or (fold and hi > 127):
                return None
            for v in range(lo, hi + 1):
                c = chr(v)
                chars |= {c, c.lower(), c.upper()} if fold else {c}
        else:
            return {_ANY_CHAR}, False  # a category (\w, \d, \s) or a negated set: any character
    return chars, False


def _all_begin_at_boundary(items: Any) -> bool:
    """Every way through the parsed pattern begins with \\b (so a match begins where \\b holds)."""
    if not items:
        return False
    op, av = items[0]
    if op is _K.AT:
        return av is _K.AT_BOUNDARY
    if op is _K.BRANCH:
        return all(_all_begin_at_boundary(alt) for alt in av[1])
    if op is _K.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        return not add_flags and not del_flags and _all_begin_at_boundary(sub)
    return False


def _alternatives(items: Any) -> list[Any]:
    """The top-level alternatives of a parsed pattern (the pattern itself when it has none)."""
    if len(items) == 1:
        op, av = items[0]
        if op is _K.BRANCH:
            return [alt for alt in av[1]]
        if op is _K.SUBPATTERN and not av[1] and not av[2]:
            return _alternatives(av[3])
    return [items]


def _class(chars: set[str]) -> str:
    return "(?=[" + "".join(sorted(re.escape(c) for c in chars)) + "])"


# the engine's own scan is faster for a pattern of a few alternatives (measured on the cue patterns: only
# the one of 15 alternatives gained, ~2x; those of 1-11 lost up to 5x)
MIN_ALTERNATIVES = 12


def start_scan(rx: Any) -> re.Pattern[str] | None:
    """A pattern that matches (empty) at every place where a match of `rx` can begin: for each top-level
    alternative, its possible first characters, after a word boundary when it begins with \b. None when a
    match can be empty or begin with any character anywhere, or the pattern is not understood."""
    if not isinstance(rx, re.Pattern) or not isinstance(rx.pattern, str) or rx.flags & (re.LOCALE | re.VERBOSE):
        return None
    fold = bool(rx.flags & re.IGNORECASE)
    at_boundary: set[str] = set()
    anywhere: set[str] = set()
    try:
        alternatives = _alternatives(_P.parse(rx.pattern, rx.flags))
        if len(alternatives) < MIN_ALTERNATIVES:
            return None
        for alt in alternatives:
            got = _first(alt, fold)
            if got is None or got[1] or not got[0]:
                return None
            (at_boundary if _all_begin_at_boundary(alt) else anywhere).update(got[0])
    except Exception:  # noqa: BLE001 - an unexpected parse tree: the plain scan
        return None
    if _ANY_CHAR in anywhere:
        return None
    parts = ([r"\b" if _ANY_CHAR in at_boundary else r"\b" + _class(at_boundary)] if at_boundary else [])
    parts += [_class(anywhere)] if anywhere else []
    return re.compile("|".join(parts), rx.flags & re.ASCII)


_SCANS: dict[Any, Any] = {}
_SPLITS: dict[Any, Any] = {}


def finditer(rx: Any, text: str, present: dict[str, bool] | None = None) -> Any:
    """`rx.finditer(text)` for a pattern whose every match is non-empty (see start_scan): the same matches,
    each tried only where one can begin (Python's engine tries every alternative of a long alternation at
    every position; a pattern that starts every alternative with \\b gets no first-character shortcut)."""
    split = _SPLITS.get(rx, False)
    if split is False:
        split = _SPLITS[rx] = split_alternatives(rx)
    if split is not None:  # (the matches' spans; their groups are the alternatives')
        yield from split_finditer(split, text, present)
        return
    scan = _SCANS.get(rx, False)
    if scan is False:
        scan = _SCANS[rx] = start_scan(rx)
    if scan is None or (rx.flags & re.IGNORECASE and not rx.flags & re.ASCII and not text.isascii()):
        # (ignoring case beyond ASCII, "k" also matches the Kelvin sign: the first characters are not known)
        yield from rx.finditer(text)
        return
    pos, search, match = 0, scan.search, rx.match
    while True:
        c = search(text, pos)
        if c is None:
            return
        p = c.start()
        m = match(text, p)
        if m is None:
            pos = p + 1
        else:
            yield m
            pos = m.end()  # > p: never empty


# -- one scan per top-level alternative (issue 15, warm3) --------------------------------------------------
#
# Python's engine has a fast search only for a pattern that begins with a literal string (or, failing that,
# a set of literal first characters): then it looks for the string and tries the pattern only there. A cue
# pattern is an alternation of phrases each written "\bword ...": the \b comes first, so the engine tries every
# alternative at every position. Each alternative alone, with its leading \b moved behind its first word
# ("\bnear falls" -> "near(?<=\bnear) falls", the same test at the same place), begins with a literal and is
# searched fast; the alternation's matches are rebuilt from the alternatives' (see split_finditer).

_QUANTIFIER = frozenset("?*+{")
_PLAIN = re.compile(r"[A-Za-z0-9 ]+")
# inline constructs this rewrite follows; anything else ("(?i)", "(?(1)", "(?P=") leaves the pattern whole
# (a "(" after an even number of backslashes: r"\(?" is an optional literal parenthesis, not a group; issue 15, warm4)
_UNKNOWN_GROUP = re.compile(r"(?<!\\)(?:\\\\)*\(\?(?!:|=|!|<=|<!|P<)")
_BACKREF = re.compile(r"\\[1-9]|\(\?P=")


def _close(p: str, i: int) -> int:
    """The index of the ')' closing the '(' at `i`, or -1."""
    depth, cls = 0, False
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if cls:
            if c == "]":
                cls = False
        elif c == "[":
            cls = True
            if p[i + 1: i + 2] == "^":
                i += 1
            if p[i + 1: i + 2] == "]":  # a ']' first in a set is a literal
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _split_top(p: str) -> list[str] | None:
    """The pattern string cut at its top-level '|' (None when its brackets do not balance)."""
    parts: list[str] = []
    start, i = 0, 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            j = i + 1
            if p[j: j + 1] == "^":
                j += 1
            if p[j: j + 1] == "]":
                j += 1
            k = p.find("]", j)
            while k > 0 and _escaped(p, k):
                k = p.find("]", k + 1)
            if k < 0:
                return None
            i = k + 1
            continue
        if c == "(":
            k = _close(p, i)
            if k < 0:
                return None
            i = k + 1
            continue
        if c == ")":
            return None
        if c == "|":
            parts.append(p[start:i])
            start = i + 1
        i += 1
    parts.append(p[start:])
    return parts


def _escaped(p: str, k: int) -> bool:
    n = 0
    while k - 1 - n >= 0 and p[k - 1 - n] == "\\":
        n += 1
    return n % 2 == 1


def _hoist(alt: str) -> str:
    """`alt` with a leading \\b moved behind the literal word it guards, so the alternative begins with a
    literal: "\\bword rest" -> "word(?<=\\bword) rest"; "\\b(a|b)rest" -> "(a(?<=\\ba)|b(?<=\\bb))rest" (a
    zero-width test at the group's start holds for each of its alternatives). Anything else: as it is."""
    if not alt.startswith(r"\b"):
        return alt
    m = _PLAIN.match(alt, 2)
    if m:
        run, rest = m.group(0), alt[m.end():]
        if rest[:1] in _QUANTIFIER:  # "walks?": the quantifier binds the last character
            run, rest = run[:-1], run[-1:] + rest
        return run + r"(?<=\b" + run + ")" + rest if run else alt
    if alt[2:3] != "(":
        return alt
    k = _close(alt, 2)
    if k < 0 or alt[k + 1: k + 2] in _QUANTIFIER:
        return alt
    inner, rest = alt[3:k], alt[k + 1:]
    head = ""
    if inner.startswith("?:"):
        head, inner = "?:", inner[2:]
    elif inner.startswith("?"):
        return alt  # a lookaround or named group: as it is
    parts = _split_top(inner)
    if parts is None:
        return alt
    return "(" + head + "|".join(_hoist(r"\b" + x) for x in parts) + ")" + rest


MAX_SPLIT = 96  # alternatives after flattening: each is one search of the text (64 until warm4: percent_relief has 65)
MAX_SLOW = 3  # alternatives that do not begin with a literal (each a scan of the text where its literals occur)
MAX_SLOW_UNFILTERED = 1  # of those, with no required literal (a scan of every text)


def _flatten(alt: str) -> list[str]:
    """An alternative that begins with a group of alternatives, "(a|b)rest", as the alternatives "arest",
    "brest", in that order: tried at one place, they match as the group does (its first way that lets the
    rest match). Not for a group with a quantifier after it."""
    if alt[:1] != "(" or (alt[1:2] == "?" and alt[1:3] != "?:"):
        return [alt]
    k = _close(alt, 0)
    if k < 0 or alt[k + 1: k + 2] in _QUANTIFIER:
        return [alt]
    parts = _split_top(alt[3:k] if alt[1:3] == "?:" else alt[1:k])
    if parts is None or len(parts) < 2:
        return [alt]
    rest = alt[k + 1:]
    return [y for x in parts for y in _flatten(_hoist(x + rest))]  # x has no top-level "|": a plain sequence


def _lead(alt: str) -> str | None:
    """The literal every match of the alternative begins with, or None."""
    m = _PLAIN.match(alt)
    if m is None:
        return None
    run = m.group(0)
    if alt[m.end(): m.end() + 1] in _QUANTIFIER:
        run = run[:-1]
    return run or None


class _Alt:
    """One alternative of a split pattern: compiled when first searched (a process that never meets its first
    word never compiles it: the cold start stays as it was)."""

    __slots__ = ("source", "flags", "lead", "prefilter", "_rx")

    def __init__(self, source: str, flags: int, lead: str | None, prefilter: Prefilter):
        self.source, self.flags, self.lead, self.prefilter = source, flags, lead, prefilter
        self._rx: re.Pattern[str] | None = None

    @property
    def rx(self) -> re.Pattern[str]:
        if self._rx is None:
            self._rx = re.compile(self.source, self.flags)
        return self._rx


Split = list[_Alt]


def split_alternatives(rx: Any) -> Split | None:
    """`rx`'s top-level alternatives as patterns of their own (see _hoist, _flatten), most beginning with a
    literal; None when too few would, or the pattern is one this rewrite does not follow (ignoring case,
    verbose, back-references, inline flags, an alternative that can match empty)."""
    if not isinstance(rx, re.Pattern) or not isinstance(rx.pattern, str) or rx.flags & (re.IGNORECASE | re.VERBOSE | re.LOCALE):
        return None
    p = rx.pattern
    if _UNKNOWN_GROUP.search(p) or _BACKREF.search(p):
        return None
    parts = _split_top(p)
    if parts is None:
        return None
    hoisted = [y for x in parts for y in _flatten(_hoist(x))]
    if hoisted == [p]:
        return None  # nothing to gain
    leads = [_lead(x) for x in hoisted]
    if len(hoisted) > MAX_SPLIT or leads.count(None) > MAX_SLOW:
        return None
    # an alternative that begins with a literal cannot match empty, and is searched only where the literal is in
    # the text; the others are read now (may one match empty? which literals does it require?)
    split = []
    for x, lead in zip(hoisted, leads, strict=True):
        prefilter = _NO_PREFILTER
        if lead is None:
            try:
                if _P.parse(x, rx.flags).getwidth()[0] < 1:
                    return None
                prefilter = Prefilter(re.compile(x, rx.flags))
            except re.error:
                return None
        split.append(_Alt(x, rx.flags, lead, prefilter))
    if sum(a.lead is None and a.prefilter.literals is None for a in split) > MAX_SLOW_UNFILTERED:
        return None  # searched over every text: the one scan of the whole pattern is as fast
    return split


def split_finditer(alternatives: Split, text: str, present: dict[str, bool] | None = None) -> Any:
    """The matches (start, end) of the alternation of `alternatives` over `text`, as finditer gives them: the
    leftmost place where one matches, the first alternative that matches there, then on from its end. Each
    alternative's next match is searched again only once the scan has passed its start (a match at p found
    from an earlier place is the match at p: the text before the place is still seen by \\b and lookbehind).
    An alternative whose first literal, or none of whose required literals, is in the text is not searched
    (it has no match). `present`: whether a literal is in `text`, remembered for other patterns on the same text."""
    if present is None:
        present = {}
    pats = []
    nxt = []
    for alt in alternatives:
        lead = alt.lead
        if lead is not None:
            hit = present.get(lead)
            if hit is None:
                hit = present[lead] = lead in text
        else:
            hit = alt.prefilter.may_match(text, text)
        if hit:
            a = alt.rx
            pats.append(a)
            nxt.append(a.search(text))
    pos = 0
    while True:
        best = None
        for i, m in enumerate(nxt):
            if m is not None and m.start() < pos:
                m = nxt[i] = pats[i].search(text, pos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        if best is None:
            return
        yield best
        pos = best.end()  # > best.start(): no alternative matches empty


_NO_PREFILTER = Prefilter(None)  # always "may match"


# -- every literal of many patterns looked up in one pass (issue 15, warm4) ------------------------------------
#
# The cue stage asks, for each block, whether each of ~600 literals (its rules' required literals and their
# alternatives' first words) is in the block: ~480 `x in text` scans of the whole block, one after another. An
# Aho-Corasick automaton of all of them (pyahocorasick, C) reports every occurrence of every one in one pass,
# overlapping ones included, so the literals it reports are exactly those `in` finds.


def split_leads(rx: Any) -> set[str]:
    """The first literals `finditer(rx, ...)` looks up in the text it scans (its split alternatives' leads)."""
    split = _SPLITS.get(rx, False)
    if split is False:
        split = _SPLITS[rx] = split_alternatives(rx)
    return {alt.lead for alt in split or () if alt.lead is not None}


class LiteralIndex:
    """`present(text)`: {literal: literal in text} for every literal given, from one scan of `text` (the
    `present` dict Prefilter.may_match and split_finditer share; a literal not given is looked up as before)."""

    __slots__ = ("_absent", "_automaton")

    def __init__(self, literals: Any):
        import ahocorasick  # deferred: only the first block read needs it

        keys = sorted({x for x in literals if x})
        self._absent = dict.fromkeys(keys, False)
        self._automaton = None
        if keys:
            automaton = ahocorasick.Automaton()
            for x in keys:
                automaton.add_word(x, x)
            automaton.make_automaton()
            self._automaton = automaton

    def present(self, text: str) -> dict[str, bool]:
        found = self._absent.copy()
        if self._automaton is not None:
            for _end, x in self._automaton.iter(text):
                found[x] = True
        return found
