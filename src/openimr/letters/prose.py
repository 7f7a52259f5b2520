"""Turning wrapped, page-broken letter lines back into clean prose.

Published letters are typed (not typeset with automatic hyphenation), so a hyphen at the end of a
line is nearly always a real one ("post-" + "laminectomy", "long-" + "term", "07-27-" + "2015").
A hyphen is dropped only on evidence that a word was split: the joined word is used elsewhere in the
same letter (and the hyphenated form is not), or the second half is a bare suffix ("medica-" + "tion").
"""

from __future__ import annotations

import re
from itertools import repeat

# Prefixes that keep their hyphen when a line breaks after them ("non-" + "sedating").
PREFIXES = frozenset(
    """ante anti auto bi co counter cross de dis down ex extra full half high hyper hypo in infra inter
    intra left long low macro micro mid mini mis multi neo non off on out over para part peri post pre
    pro pseudo re right self semi short sub super supra trans tri ultra un under up well work follow
    first second third""".split()  # noqa: SIM905
)

# Second halves that only occur as the tail of a split word ("medica-" + "tion").
SUFFIX_FRAGMENTS = frozenset(
    """tion tions sion sions ment ments ness ity ities ing ings ed ly ence ences ance ances ive ives ous
    al ally ic ical ology ologist ologists ist ists ism able ible ful less ize ized ization ia ic es s
    er ers or ors ure ures""".split()  # noqa: SIM905
)

_LEFT_FRAGMENT = re.compile(r"([A-Za-z0-9]+)-$")
_RIGHT_FRAGMENT = re.compile(r"^([A-Za-z0-9]+)")
_HYPHEN_EOL = re.compile(r"-[ \t\u00a0]*(?:\n|$)")
# "08-13- 2015", "8/13/ 2015": a date broken by a stray space in extraction.
_BROKEN_DATE = re.compile(r"\b(\d{1,2}([-/])\d{1,2}\2) (\d{2,4})\b")


class Vocabulary:
    """The words of one letter, used to decide whether a line-end hyphen joins a split word.

    Looked up by searching the letter's text (a handful of line-end hyphens per letter) rather than
    by building the set of its words, which cost a tenth of the parse."""

    __slots__ = ("_text", "_lower", "_cache")

    def __init__(self, text: str, lower: str | None = None):
        self._text = text
        self._lower = lower  # text.lower(), when the caller has it
        self._cache: dict[str, bool] = {}

    def _has(self, word: str) -> bool:
        """`word` (lower case) occurs in the letter as a whole word."""
        if word not in self._cache:
            if self._lower is None:
                self._lower = self._text.lower()
            found = False
            start = 0
            low = self._lower
            while (i := low.find(word, start)) >= 0:
                j = i + len(word)
                if (i == 0 or not low[i - 1].isalpha()) and (j == len(low) or not low[j].isalpha()):
                    found = True
                    break
                start = i + 1
            self._cache[word] = found
        return self._cache[word]

    def has_word(self, word: str) -> bool:
        return self._has(word.lower())

    def has_hyphenated(self, left: str, right: str) -> bool:
        return self._has(f"{left.lower()}-{right.lower()}")


def keep_hyphen(left: str, right: str, vocab: Vocabulary | None = None) -> bool:
    """Whether "left-" at the end of a line and "right" starting the next form a hyphenated compound
    (True) or one word split by the line break (False)."""
    if left[-1].isdigit() or right[0].isdigit() or right[0].isupper():
        return True
    low_left, low_right = left.lower(), right.lower()
    if vocab is not None:
        if vocab.has_hyphenated(low_left, low_right):
            return True
        if vocab.has_word(low_left + low_right):
            return False
    if low_left in PREFIXES:
        return True
    return low_right not in SUFFIX_FRAGMENTS


def join_lines(lines: list[str], vocab: Vocabulary | None = None, tidy: bool = False) -> str:
    """Join wrapped lines into one clean paragraph: line-end hyphens resolved, single spaces.

    `tidy`: the lines are as the reader makes them (stripped, whitespace collapsed, no newline), so
    when none is empty and none ends in a hyphen, joining them by spaces is already clean but for a
    broken date (this skips clean()'s scans for whitespace, a tenth of the parse)."""
    if tidy and "" not in lines:
        text = " ".join(lines)
        if not _spaced(text):
            # No "- " or "/ " and no "-" at the end: no line ends in a hyphen (it would show as "- "
            # or end the text) and no date is broken (most paragraphs).
            return text
        if not any(map(str.endswith, lines, repeat("-"))):
            # (a tidy line ends in a hyphen exactly where _HYPHEN_EOL would find one)
            return _BROKEN_DATE.sub(r"\1\3", text) if _maybe_broken_date(text) else text
        # (a line ends in a hyphen: no need to search for one)
    else:
        tidy = False  # an empty line: the general way below
        joined = "\n".join(lines)
        if not _HYPHEN_EOL.search(joined):
            # No line ends in a hyphen (most paragraphs): nothing to decide line by line.
            return clean(joined.replace("\n", " "))
    parts: list[str] = []
    prev = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if prev.endswith("-") and (m := _LEFT_FRAGMENT.search(prev[-40:])) and (r := _RIGHT_FRAGMENT.match(line)):
            # no space between the two pieces; the hyphen stays only for a compound
            prev = (prev if keep_hyphen(m.group(1), r.group(1), vocab) else prev[:-1]) + line
            parts[-1] = prev
            continue
        parts.append(line)
        prev = line
    text = " ".join(parts)
    if tidy:
        # Tidy non-empty lines, joined by a space or nothing: clean() would only repair a broken date.
        return _BROKEN_DATE.sub(r"\1\3", text) if _maybe_broken_date(text) else text
    return clean(text)


def clean(text: str) -> str:
    """Single spaces, no stray space inside a date."""
    if "  " in text or "\t" in text or "\u00a0" in text or "\n" in text:
        text = " ".join(text.split())  # split/join in C: a regex would visit every single space
    text = text.strip()
    if _maybe_broken_date(text):
        text = _BROKEN_DATE.sub(r"\1\3", text)
    return text


def _spaced(text: str) -> bool:
    """Whether `text` holds "- " or "/ " or ends in "-" or "/". Found by single-character searches:
    a paragraph holds few of these characters, and a two-character search costs several times more."""
    for sep in ("-", "/"):
        i = text.find(sep)
        while i >= 0:
            if text[i + 1 : i + 2] in (" ", ""):
                return True
            i = text.find(sep, i + 1)
    return False


def _maybe_broken_date(text: str) -> bool:
    """A digit, "-" or "/", a space, a digit: the only place _BROKEN_DATE can match (found with str.find,
    which is much faster than letting the regex scan every paragraph)."""
    n = len(text)
    for sep in ("-", "/"):  # (single-character searches: much cheaper than for "- " and "/ ")
        i = text.find(sep)
        while i >= 0:
            if i + 2 < n and text[i + 1] == " " and i > 0 and text[i - 1].isdigit() and text[i + 2].isdigit():
                return True
            i = text.find(sep, i + 1)
    return False
