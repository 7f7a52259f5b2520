"""Read an IMR Final Determination letter (plain text or PDF) into a `Determination`.

The reader works on lines, not on blank-line layout: text extracted from the published PDFs puts a
blank line after every line and page breaks anywhere, so empty lines carry no meaning here. The letter
is cut at its headings (HOW THE IMR FINAL DETERMINATION WAS MADE, CLINICAL CASE SUMMARY, IMR ISSUES,
DECISIONS AND RATIONALES); inside the issues section a small state machine follows each item's header
line ("<request>: Upheld") and its labels (Claims Administrator guideline, <organization> guideline,
Decision rationale).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

from openimr.errors import InputError
from openimr.letters.citations import guideline_fields
from openimr.letters.prose import Vocabulary, clean, join_lines
from openimr.lexicon.dates import parse_us_date
from openimr.models.letter import (
    Determination,
    InjuredWorker,
    ReviewerCredentials,
)
from openimr.textio import decode_text, pdf_text

DRAFT_BANNER = "DRAFT \u2014 not a Final Determination until signed by the expert reviewer"

_H_HOW = re.compile(r"^HOW THE IMR FINAL DETERMINATION WAS MADE$", re.I)
_H_SUMMARY = re.compile(r"^CLINICAL CASE SUMMARY$", re.I)
_H_ISSUES = re.compile(r"^IMR ISSUES?,? DECISIONS?,? AND RATIONALES?$", re.I)
_H_HOW_M = re.compile(_H_HOW.pattern, re.I | re.M)
_H_SUMMARY_M = re.compile(_H_SUMMARY.pattern, re.I | re.M)
_H_ISSUES_M = re.compile(_H_ISSUES.pattern, re.I | re.M)
_DRAFT = re.compile(r"^DRAFT\b")
# ASCII whitespace other than " " and "\n" that str.split() splits on (\r and \f are made newlines first).
_ASCII_ODD_SPACE = ("\t", "\v", "\x1c", "\x1d", "\x1e", "\x1f")
_PAGE_LINE = re.compile(r"^(?:Page \d+(?: of \d+)?|-\s*\d+\s*-|\d{1,3})$", re.I)

_ITEM = re.compile(r"^(?P<request>\S.*?)\s*:\s*(?P<decision>Upheld|Overturned)\s*\.?$", re.I)
_BARE_DECISION = re.compile(r"^(?:Upheld|Overturned)\s*\.?$", re.I)
# Partial certification, as the letters word it (two forms):
#   "X was the original request. Y was authorized by the Claims Administrator. The remaining IMR
#    eligible portion of the original request, Z is: Upheld"
#   "X was the original request. The Claims Administrator authorized Y, leaving the original request
#    IMR eligible. The original request, Z is: Upheld"
_ORIGINAL = re.compile(r"\bwas the original request\b", re.I)
_PARTIAL_TAIL = re.compile(
    r"\b(?:remaining IMR eligible portion of the original request|leaving the original request IMR eligible)\b",
    re.I,
)
_PARTIAL = (
    re.compile(
        r"^(?P<orig>.+?) was the original request\.\s*(?P<auth>.+?) was authorized by the Claims Administrator\."
        r"\s*The remaining IMR eligible portion of the original request,?\s*(?P<rest>.+?)(?:\s+is)?$",
        re.I,
    ),
    re.compile(
        r"^(?P<orig>.+?) was the original request\.\s*The Claims Administrator authorized (?P<auth>.+?),?"
        r" leaving the original request IMR eligible\.\s*The original request,?\s*(?P<rest>.+?)(?:\s+is)?$",
        re.I,
    ),
)
_CA_LABEL = re.compile(r"^Claims Administrator guideline:\s*(?P<rest>.*)$", re.I)
_IMR_LABEL = re.compile(r"^(?P<org>[A-Z][A-Za-z0-9&.'\- ]{0,60}?) guideline:\s*(?P<rest>.*)$")
_RATIONALE_LABEL = re.compile(r"^Decision rationale:\s*(?P<rest>.*)$", re.I)
_SET_FORTH = re.compile(r"set forth below:?$", re.I)
_TERMINAL = tuple('.!?"\')]\u201d\u2019;:')

_SUMMARY_INTRO = re.compile(
    r"^The expert reviewer developed the following clinical case summary based on a review of the case "
    r"file, including all medical records:\s*",
    re.I,
)
_ORG = re.compile(r"^(?P<org>[A-Z][^.]{1,80}?) sent the complete case file to an expert reviewer")
_LICENSURE = re.compile(r"State\(s\) of Licensure:\s*(?P<v>.*?)\s*(?=Certification\(s\)/Specialty:|$)", re.I)
_SPECIALTY = re.compile(r"Certification\(s\)/Specialty:\s*(?P<v>.*?)\s*$", re.I)
_BOARD = re.compile(
    r"\bBoard[- ]Certified in (?P<v>.+?)(?:,? and (?:is )?(?:licensed|currently licensed)\b|\.(?:\s|$))", re.I
)
_LICENSED_IN = re.compile(r"\blicensed to practice in (?P<v>.+?)\.(?:\s|$)", re.I)
_STATE_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*;\s*")

_DATE = r"(?:\d{1,2}[-/]\d{1,2}[-/]\d{2,4}|[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4})"
_AGE_SEX = re.compile(
    r"\b(?P<age>\d{1,3})[- ]years?[- ]old(?: (?P<sex>male|female|man|woman|gentleman|lady)\b)?", re.I
)
_SEX_ONLY = re.compile(r"\b(?:injured worker|patient|applicant) is an? (?P<sex>male|female|man|woman)\b", re.I)
_DOI = re.compile(
    r"(?:\binjur(?:y|ed)\b[^.]{0,60}?|\bDOI\b:?\s*)(?P<date>" + _DATE + r")", re.I
)
# The case block of the 2016-2017 letters, read from its lines joined by spaces (the PDF lays it out
# in two columns, so "Application Received:" comes out split around the Priority value): one pass
# finds every "<label>: <value>".
_HEADER_LABELS = (
    ("case number", "case_number"), ("date assigned", "date_assigned"), ("decision date", "decision_date"),
    ("ur denial date", "ur_denial_date"), ("application received", "application_received"),
    ("priority", "priority"), ("date of injury", "date_of_injury"),
)
_HEADER_VALUE = re.compile(
    r":?\s*(?P<v>" + _DATE + r"|[A-Z]{2}[0-9]{2}-[0-9]{5,}|Standard|Expedited|Regular|Urgent)\b", re.I
)
_SEX_WORDS = {"male": "male", "man": "male", "gentleman": "male", "female": "female", "woman": "female",
              "lady": "female"}


def _lines(text: str) -> list[str]:
    """The letter's non-blank lines, stripped, runs of spaces inside a line collapsed, page numbers
    dropped. Split and stripped in C (map/filter); only the few lines that need it are touched in Python."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\f" in text:
        text = text.replace("\f", "\n")
    if "\u00ad" in text:
        text = text.replace("\u00ad", "")
    lines = list(filter(None, map(str.strip, text.split("\n"))))
    joined = "\n".join(lines)
    if text.isascii() and not any(c in text for c in _ASCII_ODD_SPACE):
        # Its only whitespace is " " and "\n": the lines to collapse are those holding a double space.
        if "  " in joined:
            for n in [n for n, line in enumerate(lines) if "  " in line]:
                lines[n] = " ".join(lines[n].split())
        return _drop_page_lines(lines)
    # A line holding a double space, tab, no-break space or vertical tab has its whitespace collapsed;
    # most letters hold only double spaces, so one test per line is enough for them.
    marks = [c for c in ("  ", "\t", "\u00a0", "\v") if c in joined]
    if len(marks) == 1:
        mark = marks[0]
        lines = [" ".join(line.split()) if mark in line else line for line in lines]
    elif marks:
        lines = [" ".join(line.split()) if ("  " in line or "\t" in line or "\u00a0" in line or "\v" in line)
                 else line for line in lines]
    return _drop_page_lines(lines)


def _short(lines: list[str], limit: int) -> list[int]:
    """Indexes of the lines of at most `limit` characters (a comprehension: faster than map/compress)."""
    return [n for n, line in enumerate(lines) if len(line) <= limit]


def _drop_page_lines(lines: list[str]) -> list[str]:
    drop = [n for n in _short(lines, 16) if _PAGE_LINE.match(lines[n])]  # page numbers are short lines
    for n in reversed(drop):
        del lines[n]
    return lines


def parse_date(s: str) -> dt.date | None:
    """US month-day-year dates as letters write them: 04-25-2009, 01/16/2004, 1-31-1985, Aug 4, 2015."""
    return parse_us_date(s)


def parse_worker(summary: str, want_doi: bool = True) -> InjuredWorker:
    """Age, sex and date of injury as the case summary states them (null when it does not)."""
    age = sex = doi = None
    if m := _AGE_SEX.search(summary):
        age = int(m.group("age"))
        if m.group("sex"):
            sex = _SEX_WORDS[m.group("sex").lower()]
        if age > 120:
            age = None
    if sex is None and (m := _SEX_ONLY.search(summary)):
        sex = _SEX_WORDS[m.group("sex").lower()]
    if want_doi and (m := _DOI.search(summary)):
        doi = parse_date(m.group("date"))
    return InjuredWorker(age=age, sex=sex, date_of_injury=doi)


def parse_reviewer(intro: str) -> ReviewerCredentials:
    """Credentials from the "State(s) of Licensure / Certification(s)/Specialty" lines or from the prose
    "Board Certified in X, and is licensed to practice in Y"."""
    licensure: list[str] = []
    specialty = None
    board = False
    low = intro.lower()  # plain substring tests first: these patterns are slow to fail on long text
    if (i := low.find("licensure")) >= 0 and (m := _LICENSURE.search(intro, max(0, i - 12))):
        licensure = [s for s in _STATE_SPLIT.split(m.group("v").strip().rstrip(".")) if s]
    if (i := low.find("certification(s)/specialty")) >= 0 and (m := _SPECIALTY.search(intro, i)):
        specialty = m.group("v").strip().rstrip(".") or None
    if "board" in low and (m := _BOARD.search(intro)):
        board = True
        specialty = specialty or m.group("v").strip()
    if not licensure and "licensed to practice" in low and (m := _LICENSED_IN.search(intro)):
        licensure = [s for s in _STATE_SPLIT.split(m.group("v").strip()) if s]
    return ReviewerCredentials(licensure=licensure, specialty=specialty, board_certified=board)


def _find_in(joined: str, pattern: re.Pattern[str]) -> int:
    """Index of the first line (of the lines `joined` by newlines) matching a MULTILINE pattern."""
    m = pattern.search(joined)
    return -1 if m is None else joined.count("\n", 0, m.start())


# The characters other than ASCII letters that re.IGNORECASE matches to an ASCII letter. In a text
# without them, str.lower() + str.find answer as an IGNORECASE regex of ASCII letters would, at the
# same indexes (U+0130 is also the one character whose lower case is two characters long).
_ODD_CASE = ("\u0130", "\u0131", "\u017f", "\u212a")


def _plain(text: str) -> bool:
    return text.isascii() or not any(c in text for c in _ODD_CASE)


def _find_heading(joined: str, low: str | None, needle: str, pattern: re.Pattern[str]) -> int:
    """Index of the first line matching a heading `pattern` (MULTILINE, IGNORECASE, ASCII): the lines
    starting with its lower-case `needle` are found in `low` (joined.lower(), None when the text is not
    _plain) with str.find, which is much faster than running the regex over the whole letter."""
    if low is None:
        return _find_in(joined, pattern)
    i = low.find(needle)
    while i >= 0:
        if i == 0 or low[i - 1] == "\n":
            e = low.find("\n", i)
            if pattern.match(joined, i, len(low) if e < 0 else e):
                return joined.count("\n", 0, i)
        i = low.find(needle, i + 1)
    return -1


def _find(lines: list[str], pattern: re.Pattern[str], start: int = 0) -> int:
    for i in range(start, len(lines)):
        if 15 <= len(lines[i]) <= 48 and pattern.match(lines[i]):  # the headings' lengths
            return i
    return -1


class _Item:
    __slots__ = ("request", "decision", "ca", "imr", "rationale", "has_rationale")

    def __init__(self, request: str, decision: str):
        self.request = request
        self.decision = decision
        self.ca: list[str] | None = None
        self.imr: list[str] | None = None
        self.rationale: list[str] = []
        self.has_rationale = False


# The label regexes behind a first test that is exact and cheap: the first letter ("C"/"D", which
# IGNORECASE matches to no other character), or " guideline:" where _IMR_LABEL can have it.
def _ca_label(line: str) -> re.Match[str] | None:
    return _CA_LABEL.match(line) if line[0] in "Cc" else None


def _rationale_label(line: str) -> re.Match[str] | None:
    return _RATIONALE_LABEL.match(line) if line[0] in "Dd" else None


def _imr_label(line: str) -> re.Match[str] | None:
    return _IMR_LABEL.match(line) if line.find(" guideline:", 1, 72) >= 0 else None


def _is_label(line: str) -> bool:
    return bool(_ca_label(line) or _rationale_label(line) or _imr_label(line))


def _sets_forth(line: str) -> bool:
    """_SET_FORTH.search(line): in a _plain line, a test of its lower-cased end (a regex search of a
    whole line costs several times more)."""
    if _plain(line):
        return line[-16:].lower().endswith(("set forth below", "set forth below:"))
    return _SET_FORTH.search(line) is not None


def _merge_bare_decisions(lines: list[str]) -> list[str]:
    """"<request>:" on one line and "Upheld" alone on the next (before a label) -> one header line."""
    # Only a short line can be a bare decision; a merged line ends in its decision, never in ":", so
    # the line before a bare decision is tested as it was read.
    merge = [n for n in _short(lines, 12)
             if n and _BARE_DECISION.match(lines[n]) and lines[n - 1].endswith(":")
             and (n + 1 == len(lines) or _is_label(lines[n + 1]))]
    if not merge:
        return lines
    out = list(lines)
    for n in reversed(merge):
        out[n - 1] = f"{out[n - 1]} {out.pop(n)}"
    return out


def split_partial(request: str) -> tuple[str, str | None, str | None]:
    """(request, original_request, authorized) of an item header; the last two are None unless the
    header states a partial certification."""
    if _ORIGINAL.search(request):
        for pattern in _PARTIAL:
            if m := pattern.match(request):
                return m.group("rest").strip(), m.group("orig").strip(), m.group("auth").strip()
    return request, None, None


@lru_cache(maxsize=4096)
def _header_date(value: str) -> dt.date | None:
    """parse_date, once per value in a batch (the case blocks' dates recur: assigned, decided, denied on
    the same days). Only for four-digit years, which do not depend on today's date."""
    return parse_date(value)


def clear_caches() -> None:
    """Forget the guideline sentences and dates parsed so far (a benchmark's fresh batch)."""
    _cached_guideline.cache_clear()
    _header_date.cache_clear()


def parse_header(lines: list[str]) -> dict[str, object]:
    """The case block's fields (ISO dates; `date_of_injury` among them) from the lines before the
    first heading."""
    out: dict[str, object] = {}
    text = " ".join(" ".join(lines).split())  # "Application\nReceived:" -> one space
    low = text.lower()
    for label, name in _HEADER_LABELS:
        i = low.find(label)
        if i < 0 or (i > 0 and low[i - 1].isalnum()):
            continue
        m = _HEADER_VALUE.match(text, i + len(label))
        if not m:
            continue
        value = m.group("v")
        if name == "case_number":
            if value[0].isalpha() and value[2:3].isdigit():
                out[name] = value.upper()
        elif name == "priority":
            if value.isalpha():
                out[name] = value.capitalize()
        elif (d := _header_date(value) if value[-4:].isdigit() else parse_date(value)) is not None:
            out[name] = d
    return out


def _parse_items(lines: list[str], source: str) -> list[_Item]:
    lines = _merge_bare_decisions(lines)
    items: list[_Item] = []
    pending: list[str] = []  # lines before the first item header (intro sentence, wrapped request)
    field: list[str] | None = None
    state = "pre"
    in_field = False  # inside a guideline or rationale: most lines are prose
    for n, line in enumerate(lines):
        if in_field:
            # Could this line be an item header or a label? Inlined: it runs on nearly every line, and
            # the first test (no "guideline:", no "D" in front, no decision at the end) settles most lines.
            if "guideline:" not in line and line[0] not in "Dd" and (
                    line[-1] not in "dD." or not ("upheld" in (tail := line[-11:].lower()) or "overturned" in tail)):
                field.append(line)  # type: ignore[union-attr]
                continue
            tail = line[-11:].lower() if line[-1] in "dD." else ""
            if not ("upheld" in tail or "overturned" in tail or line.find("guideline:", 0, 80) >= 0
                    or (line[0] in "Dd" and line[:18].lower() == "decision rationale")):
                field.append(line)  # type: ignore[union-attr]
                continue
        tail = line[-11:].lower()  # an item header ends in its decision
        m = _ITEM.match(line) if ("upheld" in tail or "overturned" in tail) and ":" in line else None
        # Inside a rationale, "...: Upheld" starts a new item only when a label follows it (or the
        # letter ends there): a sentence of the rationale may end in those words.
        if m and state == "rationale" and n + 1 < len(lines) and not _is_label(lines[n + 1]):
            m = None
        if m:
            prefix: list[str] = []
            if state == "pre":
                cut = max((i for i, p in enumerate(pending) if _sets_forth(p)), default=-1)
                prefix = pending[cut + 1 :]
            elif state == "rationale" and items:
                # A request wrapped over two lines: its first line was read as the end of the rationale.
                r = items[-1].rationale
                while len(r) > 1 and len(prefix) < 2 and not r[-1].endswith(_TERMINAL):
                    prefix.insert(0, r.pop())
                # A partial certification runs back to "X was the original request." (up to 6 lines).
                if _PARTIAL_TAIL.search(" ".join([*prefix, line])):
                    while len(r) > 1 and len(prefix) < 8 and not _ORIGINAL.search(" ".join([*prefix, line])):
                        prefix.insert(0, r.pop())
                    while len(r) > 1 and len(prefix) < 8 and not r[-1].endswith(_TERMINAL):
                        prefix.insert(0, r.pop())
            request = clean(" ".join([*prefix, m.group("request")]))
            items.append(_Item(request, m.group("decision").capitalize()))
            state, field, in_field = "header", None, False
            continue
        if state in ("header",) and (m := _ca_label(line)):
            items[-1].ca = field = [m.group("rest")]
            state, in_field = "ca", True
            continue
        if state in ("header", "ca") and not _ca_label(line) and (m := _imr_label(line)) \
                and not _rationale_label(line):
            items[-1].imr = field = [m.group("rest")]
            state, in_field = "imr", True
            continue
        if state in ("header", "ca", "imr") and (m := _rationale_label(line)):
            items[-1].rationale = field = [m.group("rest")]
            items[-1].has_rationale = True
            state, in_field = "rationale", True
            continue
        if state in ("pre", "imr", "rationale") and _ca_label(line):
            before = pending if state == "pre" else (field or [])
            what = clean(" ".join(before[-1:])) or "the first item"
            raise InputError(source, f"item without a decision (Upheld/Overturned): {what[:80]!r}")
        if state == "pre":
            if _rationale_label(line):
                what = clean(" ".join(pending[-1:])) or "the first item"
                raise InputError(source, f"item without a decision (Upheld/Overturned): {what[:80]!r}")
            pending.append(line)
            continue
        if state == "header":
            raise InputError(
                source, f"item {items[-1].request[:60]!r}: unexpected text before its guideline: {line[:60]!r}"
            )
        assert field is not None
        field.append(line)
    return items


def parse_letter_text(text: str, source: str = "<text>") -> Determination:
    """Parse the text of one Final Determination letter. Raises InputError naming `source`."""
    if not text or text.isspace():
        raise InputError(source, "empty file")
    lines = _lines(text)
    status = "final"
    if lines and _DRAFT.match(lines[0]):
        status = "draft"
        lines = lines[1:]
    joined = "\n".join(lines)
    low = joined.lower() if _plain(joined) else None
    vocab = Vocabulary(joined, low)

    i_how = _find_heading(joined, low, "how the imr final determination was made", _H_HOW_M)
    i_sum = _find_heading(joined, low, "clinical case summary", _H_SUMMARY_M)
    i_iss = _find_heading(joined, low, "imr issue", _H_ISSUES_M)
    if i_how < 0 and i_sum < 0 and i_iss < 0:
        raise InputError(source, "not an IMR Final Determination letter (none of its section headings found)")
    if i_iss < 0:
        raise InputError(source, "truncated letter: no 'IMR ISSUES, DECISIONS AND RATIONALES' section")
    if i_sum > i_iss:
        i_sum = -1

    head_end = i_sum if i_sum >= 0 else i_iss
    intro = join_lines(lines[i_how + 1 : head_end] if i_how >= 0 else lines[:head_end], vocab, tidy=True)
    summary = ""
    if i_sum >= 0:
        summary = _SUMMARY_INTRO.sub("", join_lines(lines[i_sum + 1 : i_iss], vocab, tidy=True))

    items = _parse_items(lines[i_iss + 1 :], source)
    if not items:
        raise InputError(source, "truncated letter: no decided item (no '<request>: Upheld/Overturned' line)")
    out_items = []
    for it in items:
        if not it.has_rationale:
            raise InputError(source, f"truncated letter: item {it.request[:60]!r} has no decision rationale")
        rationale = join_lines(it.rationale, vocab, tidy=True)
        if not rationale:
            raise InputError(source, f"truncated letter: item {it.request[:60]!r} has an empty decision rationale")
        if it is items[-1] and not rationale.endswith(_TERMINAL):
            # The letter ends inside a sentence: a cut-off download or a lost last page.
            raise InputError(source, f"truncated letter: it ends mid-sentence ({rationale[-40:]!r})")
        request, original, authorized = split_partial(it.request)
        out_items.append({
            "request": request,
            "decision": it.decision,
            "original_request": original,
            "authorized": authorized,
            "claims_administrator_guideline": _guideline(it.ca, vocab),
            "imr_guideline": _guideline(it.imr, vocab),
            "rationale": rationale,
        })

    kwargs: dict[str, object] = {}
    # Letters open with a case block (Case Number, dates, priority) before the first heading; its
    # date of injury is the recorded one, so it wins over a date the summary mentions.
    header_doi = None
    if i_how > 0:
        kwargs.update(parse_header(lines[:i_how]))
        header_doi = kwargs.pop("date_of_injury", None)
    worker = parse_worker(summary, want_doi=header_doi is None)
    if header_doi is not None:
        worker.date_of_injury = header_doi
    if m := _ORG.match(intro):
        kwargs["organization"] = m.group("org").strip()
    # One validation builds the whole tree (items and guidelines from dicts) at once: cheaper than a
    # model per item and per guideline, and every item still gets its own Guideline objects.
    return Determination.model_validate({
        "reviewer": parse_reviewer(intro),
        "injured_worker": worker,
        "clinical_case_summary": summary,
        "items": out_items,
        "status": status,
        **kwargs,
    })


def _guideline(lines: list[str] | None, vocab: Vocabulary) -> dict | None:
    """A guideline's fields (as a dict, validated with the Determination), or None."""
    if lines is None:
        return None
    # The same guideline sentences recur across items and letters: parse each once per process; the
    # Determination's validation gives every item its own objects built from the cached fields.
    return _cached_guideline(join_lines(lines, vocab, tidy=True))


@lru_cache(maxsize=4096)
def _cached_guideline(text: str) -> dict:
    return guideline_fields(text)


# ---------------------------------------------------------------------------------------------- files


def read_letter_text(path: str | Path, encoding: str | None = None) -> str:
    """The text of a letter file (plain text or PDF, told apart by content), or InputError."""
    p = path if isinstance(path, Path) else Path(path)
    try:
        with open(p, "rb") as f:  # what Path.read_bytes does, without its extra Path
            data = f.read()
    except FileNotFoundError:
        raise InputError(str(path), "no such file") from None
    except IsADirectoryError:
        raise InputError(str(path), "is a directory") from None
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror or exc})") from None
    if not data or data.isspace():
        raise InputError(str(path), "empty file")
    if data.lstrip()[:5] == b"%PDF-" or p.suffix.lower() == ".pdf":
        return pdf_text(data, str(path))
    return decode_text(data, str(path), encoding)


def parse_letter_file(path: str | Path, encoding: str | None = None) -> Determination:
    """Parse one letter file (.txt or .pdf). Raises InputError naming the file."""
    return parse_letter_text(read_letter_text(path, encoding), str(path))
