"""Regular expressions for well-formed tokens only: dates, numbers, scores, doses, spinal levels."""

from __future__ import annotations

import datetime as dt
import re

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH_RX = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"

# 08-13-2015, 8/4/15, 08-13- 2015 ; January 5, 2015 ; 5 January 2015 ; 01/2014 ; January (of) 2014 ; 2015-08-13 ; 2014-02
DATE_RX = re.compile(
    r"\b(?P<iso>(?:19|20)\d{2}-\d{2}-\d{2})\b"
    r"|\b(?P<ym>(?:19|20)\d{2})-(?P<ymm>0[1-9]|1[0-2])\b(?![-/.]\d)"
    r"|\b(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})\s*[-/.]\s*(?P<y>(?:19|20)?\d{2})\b(?![-/.]\d)"
    r"|\b(?P<mn>" + _MONTH_RX + r")\s+(?P<dn>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<yn>(?:19|20)\d{2})\b"
    r"|\b(?P<dn2>\d{1,2})\s+(?P<mn2>" + _MONTH_RX + r")\s+(?P<yn2>(?:19|20)\d{2})\b"
    r"|\b(?P<mm>\d{1,2})\s*[/-]\s*(?P<yy>(?:19|20)\d{2})\b"
    r"|\b(?P<mn3>" + _MONTH_RX + r"),?\s+(?:of\s+)?(?P<yn3>(?:19|20)\d{2})\b",
    re.I,
)


def date_from_match(m: re.Match[str]) -> str | None:
    """ISO date ("2015-02-17") or month ("2014-01") from a DATE_RX match; None if impossible."""
    g = m.groupdict()
    try:
        if g["iso"]:
            return dt.date.fromisoformat(g["iso"]).isoformat()
        if g["ym"]:
            return f"{int(g['ym']):04d}-{int(g['ymm']):02d}"
        if g["m"]:
            y = int(g["y"])
            if y < 100:
                y += 2000 if y < 50 else 1900
            return dt.date(y, int(g["m"]), int(g["d"])).isoformat()
        if g["mn"]:
            return dt.date(int(g["yn"]), _MONTHS[g["mn"].lower().rstrip(".")], int(g["dn"])).isoformat()
        if g["mn2"]:
            return dt.date(int(g["yn2"]), _MONTHS[g["mn2"].lower().rstrip(".")], int(g["dn2"])).isoformat()
        if g["mm"]:
            mo = int(g["mm"])
            return f"{int(g['yy']):04d}-{mo:02d}" if 1 <= mo <= 12 else None
        if g["mn3"]:
            return f"{int(g['yn3']):04d}-{_MONTHS[g['mn3'].lower().rstrip('.')]:02d}"
    except (ValueError, KeyError):
        return None
    return None


def to_date(iso: str | None) -> dt.date | None:
    """A date from an ISO day or month ("2014-01" -> 2014-01-01)."""
    if not iso:
        return None
    try:
        return dt.date.fromisoformat(iso if len(iso) == 10 else iso + "-01")
    except ValueError:
        return None


def first_date(text: str) -> tuple[str, int, int] | None:
    for m in DATE_RX.finditer(text):
        iso = date_from_match(m)
        if iso:
            return iso, m.start(), m.end()
    return None


WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "eighteen": 18, "twenty": 20, "twenty-four": 24, "thirty": 30, "a few": 3, "several": None,
}  # fmt: skip
NUM = r"(?:\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|eighteen|twenty-four|twenty|thirty)"


def to_int(s: str) -> int | None:
    s = s.lower().strip()
    if s.isdigit():
        return int(s)
    return WORD_NUMBERS.get(s)


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
DURATION_RX = re.compile(r"\bfor\s+(?:about\s+|approximately\s+|over\s+|nearly\s+|almost\s+)?(" + NUM + r")\s+(weeks?|months?|days?)\b", re.I)


def norm_level(m: re.Match[str]) -> str:
    if m.group("one"):
        return m.group("one").upper()
    a, b = m.group("a").upper(), m.group("b").upper()
    if b.isdigit():
        b = a[0] + b
    return f"{a}-{b}"


REGION_RX = re.compile(
    r"\b(cervical|neck|thoracic|lumbar|lumbosacral|low back|back|sacroiliac|shoulders?|elbows?|wrists?|hands?|hips?|knees?|ankles?|feet|foot)\b",
    re.I,
)
_REGION_NORM = {
    "neck": "cervical", "low back": "lumbar", "back": "lumbar", "lumbosacral": "lumbar",
    "shoulders": "shoulder", "elbows": "elbow", "wrists": "wrist", "hands": "hand", "hips": "hip",
    "knees": "knee", "ankles": "ankle", "feet": "foot",
}  # fmt: skip


def norm_region(word: str) -> str:
    w = word.lower()
    return _REGION_NORM.get(w, w)


LATERALITY_RX = re.compile(r"\b(bilateral(?:ly)?|left|right)\b", re.I)
