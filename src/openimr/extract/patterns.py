"""Regular expressions for well-formed tokens only: dates, numbers, scores, doses, spinal levels."""

from __future__ import annotations

import re

from openimr.lexicon.dates import DATE_RX, MONTH_RX, MONTHS, date_from_match, to_date  # noqa: F401  (re-exported)
from openimr.lexicon.numbers import NUM, NUMBER_WORDS, to_int  # noqa: F401
from openimr.lexicon.regions import REGION_WORD_RX

# Dates, numbers and region words are the lexicon's (one definition for every stage).
_MONTHS = MONTHS
_MONTH_RX = MONTH_RX


def first_date(text: str) -> tuple[str, int, int] | None:
    for m in DATE_RX.finditer(text):
        iso = date_from_match(m)
        if iso:
            return iso, m.start(), m.end()
    return None


WORD_NUMBERS = NUMBER_WORDS



STRENGTH_RX = re.compile(
    r"\b\d+(?:\.\d+)?\s*(?:mg|mcg|g|ml|%|units?)(?:\s*[-/]\s*\d+(?:\.\d+)?\s*(?:mg|mcg|g|ml|%)?)?(?:/(?:hr|h|ml|day))?"
    r"|\b\d+(?:\.\d+)?/\d+(?:\.\d+)?(?=\s*(?:mg|tabs?|tablets?|#|\s|,|$))",
    re.I,
)
FREQ_RX = re.compile(
    r"\b(?:(?:once|twice|three times|four times|\d(?:\s*(?:-|to)\s*\d)?\s*times)\s+(?:a|per|each)\s+(?:day|daily|week|night)"
    r"|(?:once|twice|three times|four times)\s+daily|every\s+\d+(?:\s*(?:-|to)\s*\d+)?\s+hours?(?:\s+as\s+needed)?"
    r"|q\.?\s?\d+(?:-\d+)?\s?h(?:rs?)?|b\.?i\.?d\.?|t\.?i\.?d\.?|q\.?i\.?d\.?|q\.?h\.?s\.?|p\.?r\.?n\.?|as needed|daily|nightly|at bedtime|at night)(?![a-z])",
    re.I,
)
SINCE_RX = re.compile(
    r"\b(?:(?:prescribed|taking|taken|used|using|on\s+(?:it|them|this))\s+)?since\s+(?:at\s+least\s+|approximately\s+|about\s+|around\s+)?(?:(?:mid-?|early\s+|late\s+)(?=[a-z]))?"
    r"|\b(?:tried|trialed|taken|used|prescribed|started|begun|taking)\s+(?:\w+\s+){0,2}?(?:from|starting|beginning|in|on)\s+(?=\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.I,
)
LEVEL_RX = re.compile(
    r"\b(?P<a>[CTL]\d{1,2})\s*(?:-|/|to|through)\s*(?P<b>[CTLS]?\d{1,2})\b|\b(?P<one>[CTL]\d{1,2}|S1)\b(?!\s*(?:-|/)\s*\d)(?!\s*-?\s*(?:nerve\s+root|root|radiculopathy|radiculitis|dermatom|distribution|innervated))",
)
ROOT_RX = re.compile(r"\b(?P<root>[CLS][1-8])\b(?=\s+(?:nerve\s+)?(?:root|radiculopathy|radiculitis))|\b(?:left|right)\s(?P<root2>[CLS][1-8])\b(?!\s*-)")
PERCENT_RX = re.compile(r"\b(\d{1,3})\s*(?:%|percent)", re.I)
# how long relief lasted: "for 6 weeks", "x ~10 wks", "(approx 10 wks)", "lasting 3 months", "about 2 mos"
DURATION_RX = re.compile(
    r"(?:\bfor|\bx|\blast(?:ing|ed|s)?|\bapprox(?:imately|\.)?|\babout|~|\()\s*(?:about\s+|only\s+(?:about\s+|~\s*)?|approx(?:imately|\.)?\s*|over\s+|nearly\s+|"
    r"almost\s+|roughly\s+|around\s+|~\s*)?(" + NUM + r")\s*(weeks?|wks?|months?|mos?|days?)\b", re.I)


def norm_level(m: re.Match[str]) -> str:
    if m.group("one"):
        return m.group("one").upper()
    a, b = m.group("a").upper(), m.group("b").upper()
    if b.isdigit():
        b = a[0] + b
    return f"{a}-{b}"


REGION_RX = REGION_WORD_RX
_REGION_NORM = {
    "neck": "cervical", "low back": "lumbar", "back": "lumbar", "lumbosacral": "lumbar",
    "shoulders": "shoulder", "elbows": "elbow", "wrists": "wrist", "hands": "hand", "hips": "hip",
    "knees": "knee", "ankles": "ankle", "feet": "foot", "fingers": "finger", "thumbs": "thumb",
}  # fmt: skip


def norm_region(word: str) -> str:
    """A region word as the extractor tags it (singular; spine words by region); `lexicon.same_region`
    matches it to any other wording."""
    w = word.lower()
    return _REGION_NORM.get(w, w)


LATERALITY_RX = re.compile(r"\b(bilateral(?:ly)?|left|right)\b", re.I)
