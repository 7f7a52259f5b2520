"""Dates as records and letters write them, with one rule for two-digit years."""

from __future__ import annotations

import datetime as dt
import re

MONTHS: dict[str, int] = {
    m: i + 1
    for i, names in enumerate([
        ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
        ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
        ("december", "dec"),
    ])
    for m in names
}
MONTH_RX = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"

# 08-13-2015, 8/4/15, 08-13- 2015 ; January 5, 2015 ; 5 January 2015 ; 01/2014 ; January (of) 2014 ; 2015-08-13 ; 2014-02
DATE_RX = re.compile(
    r"\b(?P<iso>(?:19|20)\d{2}-\d{2}-\d{2})\b"
    r"|\b(?P<ym>(?:19|20)\d{2})-(?P<ymm>0[1-9]|1[0-2])\b(?![-/.]\d)"
    r"|\b(?P<m>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})\s*[-/.]\s*(?P<y>(?:19|20)?\d{2})\b(?![-/.]\d)"
    r"|\b(?P<mn>" + MONTH_RX + r")\s+(?P<dn>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<yn>(?:19|20)\d{2})\b"
    r"|\b(?P<dn2>\d{1,2})\s+(?P<mn2>" + MONTH_RX + r")\s+(?P<yn2>(?:19|20)\d{2})\b"
    r"|\b(?P<mm>\d{1,2})\s*[/-]\s*(?P<yy>(?:19|20)\d{2})\b"
    r"|\b(?P<mn3>" + MONTH_RX + r"),?\s+(?:of\s+)?(?P<yn3>(?:19|20)\d{2})\b",
    re.I,
)

# Two-digit years: a record never dates anything after the year it is read in, so "15" is 2015 and "85"
# is 1985. One pivot for every stage (before, the stages used 50 and "this year" differently).
PIVOT = 30


def full_year(y: int) -> int:
    if y >= 100:
        return y
    return 2000 + y if y <= PIVOT else 1900 + y


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


def date_from_match(m: re.Match[str]) -> str | None:
    """ISO date ("2015-02-17") or month ("2014-01") from a DATE_RX match; None if impossible."""
    g = m.groupdict()
    try:
        if g["iso"]:
            return dt.date.fromisoformat(g["iso"]).isoformat()
        if g["ym"]:
            return f"{int(g['ym']):04d}-{int(g['ymm']):02d}"
        if g["m"]:
            return dt.date(full_year(int(g["y"])), int(g["m"]), int(g["d"])).isoformat()
        if g["mn"]:
            return dt.date(int(g["yn"]), _month(g["mn"]), int(g["dn"])).isoformat()
        if g["mn2"]:
            return dt.date(int(g["yn2"]), _month(g["mn2"]), int(g["dn2"])).isoformat()
        if g["mm"]:
            mo = int(g["mm"])
            return f"{int(g['yy']):04d}-{mo:02d}" if 1 <= mo <= 12 else None
        if g["mn3"]:
            return f"{int(g['yn3']):04d}-{_month(g['mn3']):02d}"
    except (ValueError, KeyError):
        return None
    return None


def to_date(iso: str | None) -> dt.date | None:
    """A date from an ISO day or month, tolerant of a trailing time ("2014-01" -> 2014-01-01); else None."""
    if not iso:
        return None
    m = re.match(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", iso)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3) or 1))
    except ValueError:
        return None


_NUMERIC_DATE = re.compile(r"(\d{1,2})\s*[-/]\s*(\d{1,2})\s*[-/]\s*(\d{2,4})")
_WORDED_DATE = re.compile(r"([A-Za-z]{3,9})\.? (\d{1,2}), (\d{4})")


def parse_us_date(s: str) -> dt.date | None:
    """A whole string that is a US date: 04-25-2009, 01/16/2004, 8/4/15, 08-13- 2015, Aug 4, 2015."""
    s = s.strip()
    m = _NUMERIC_DATE.fullmatch(s)
    try:
        if m:
            return dt.date(full_year(int(m.group(3))), int(m.group(1)), int(m.group(2)))
        m = _WORDED_DATE.fullmatch(s)
        if m and m.group(1)[:3].lower() in MONTHS:
            return dt.date(int(m.group(3)), MONTHS[m.group(1)[:3].lower()], int(m.group(2)))
    except ValueError:
        return None
    return None
