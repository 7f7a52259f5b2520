"""Load a case file: the canonical JSON case file, or one record as plain text or PDF.

`load_case(path)` returns a validated `CaseFile` or raises `InputError(path, problem)` with a
one-line problem (first bad field for JSON; "not UTF-8 text", "empty file", "no text layer
(scanned PDF?)", "encrypted PDF", "file too large" ...).

A plain-text or PDF record becomes a case with one document (id = the file stem). Its disputed
items are read from the record itself: the request for authorization ("... requested X and Y"),
the treating physician's request ("requesting authorization for X, Y, and Z"), or the utilization
review decision ("Utilization Review ... non-certified/modified/denied the request for X").
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from pydantic import ValidationError

from openimr.errors import InputError
from openimr.lexicon.dates import parse_us_date
from openimr.models.case import (
    CaseFile,
    DisputedItem,
    Document,
    RequestForAuthorization,
    UtilizationReview,
)
from openimr.textio import decode_text, pdf_text

# Files larger than this are refused with a clear message rather than read into memory and parsed
# (a real IMR case file is a few MB of text at most; 10 MB is ~1.7 million words).
MAX_FILE_BYTES = 10 * 1024 * 1024


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def load_case(path: str | Path, require_items: bool = True) -> CaseFile:
    """Read a case file (JSON), or one record (plain text / PDF) as a one-document case."""
    p = Path(path)
    src = str(path)
    if not p.exists():
        raise InputError(src, "no such file")
    if p.is_dir():
        raise InputError(src, "is a directory, not a case file")
    size = p.stat().st_size
    if size == 0:
        raise InputError(src, "empty file")
    if size > MAX_FILE_BYTES:
        raise InputError(src, f"file too large ({_mb(size)}; the limit is {_mb(MAX_FILE_BYTES)}); split the record")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(src, f"cannot read ({exc.strerror or exc})") from None

    suffix = p.suffix.lower()
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        text = pdf_text(data, src, page_separator="\n\n")
        return case_from_text(text, doc_id=p.stem, source=src, require_items=require_items)
    text = decode_text(data, src)
    if suffix == ".json" or text.lstrip().startswith("{"):
        return case_from_json(text, src)
    if suffix in (".yaml", ".yml"):
        return case_from_yaml(text, src)
    return case_from_text(text, doc_id=p.stem, source=src, require_items=require_items)


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(x) for x in err.get("loc", ())) or "(root)"
    return f"{loc}: {err.get('msg', 'invalid')}"


def case_from_yaml(text: str, source: str) -> CaseFile:
    """The same case file written as YAML (convenient for hand-written cases)."""
    import yaml

    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise InputError(source, f"invalid YAML{where} ({getattr(exc, 'problem', None) or exc})") from None
    if not isinstance(raw, dict):
        raise InputError(source, "a case file must be a mapping")
    return _validate(raw, source)


def case_from_json(text: str, source: str) -> CaseFile:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"invalid JSON at line {exc.lineno} column {exc.colno} ({exc.msg})") from None
    if not isinstance(raw, dict):
        raise InputError(source, "a case file must be a JSON object")
    return _validate(raw, source)


def _validate(raw: dict, source: str) -> CaseFile:
    docs = raw.get("documents")
    if isinstance(docs, list):  # a hand-written case may leave the ids out: number them
        taken = {d.get("id") for d in docs if isinstance(d, dict)}
        n = 0
        for d in docs:
            if isinstance(d, dict) and not d.get("id"):
                n += 1
                while f"doc-{n}" in taken:
                    n += 1
                d["id"] = f"doc-{n}"
                taken.add(d["id"])
    try:
        case = CaseFile.model_validate(raw)
    except ValidationError as exc:
        raise InputError(source, _first_error(exc)) from None
    for doc in case.documents:
        if not doc.text.strip():
            raise InputError(source, f"documents.{doc.id}: empty document text")
    if not case.documents:
        raise InputError(source, "documents: no documents in the case file")
    return case


# --- disputed items from record text -------------------------------------------------------------

_DATE = r"\d{1,2}\s*[-/]\s*\d{1,2}\s*[-/]\s*\d{2,4}"
_SENT_END = r"(?:\.(?=\s+[A-Z(])|\.?\s*$)"
# items are read from whitespace-collapsed text (records often break lines mid-sentence)
_ITEM_TAIL = r"(?P<items>.+?)" + _SENT_END

# The treating physician's request, as made (preferred: IMR reviews the request, not UR's version).
_RFA_PATTERNS = [
    re.compile(
        r"request\s+for\s+authori[sz]ation(?:\s*\([^)]*\))?(?:\s+(?:dated|of|on)\s+" + _DATE + r")?"
        r"[^.]{0,60}?\brequest(?:ed|s|ing)\b\s+(?:authori[sz]ation\s+for\s+)?" + _ITEM_TAIL,
        re.I,
    ),
    re.compile(r"\brequest(?:ed|ing)\s+authori[sz]ation\s+for\s+" + _ITEM_TAIL, re.I),
    re.compile(r"\b(?:the\s+)?current\s+request\s+for\s+" + _ITEM_TAIL, re.I),
    re.compile(r"\bsubmitted\b[^.]{0,200}?\brequesting\s+" + _ITEM_TAIL, re.I),
    re.compile(r"\b(?:requested|request(?:ed)?\s+(?:items?|services?|treatments?))\s*:\s*" + _ITEM_TAIL, re.I),
]
_UR_PATTERN = re.compile(
    r"utilization\s+review\b[^.]{0,120}?\b(?P<verb>conditionally\s+non-?certified|non-?certified|modified|denied)\s+"
    r"(?:the\s+)?(?:requests?\s+for\s+|request\s+of\s+)?" + _ITEM_TAIL,
    re.I,
)
_RFA_DATE = re.compile(r"request\s+for\s+authori[sz]ation(?:\s*\([^)]*\))?\s+(?:dated|of|on)\s+(?P<d>" + _DATE + ")", re.I)
_UR_DATE = [
    re.compile(r"utilization\s+review(?:\s*\(UR\))?\s+(?:with\s+a\s+)?(?:decision\s+)?(?:dated|date\s+of|on)\s+(?P<d>" + _DATE + ")", re.I),
    re.compile(r"\bon\s+(?P<d>" + _DATE + r"),?\s+(?:the\s+)?utilization\s+review", re.I),
]


def parse_date(text: str) -> dt.date | None:
    """A numeric US date (08-13-2015, 8/4/15, 08-13- 2015) -> date, or None (the lexicon's reader)."""
    return parse_us_date(text) if re.fullmatch(r"[\d\s/-]+", text.strip() or "x") else None


def _split_top(s: str) -> list[str]:
    """Split a list "A, B (x, y), and C" at top-level commas and 'and'."""
    parts: list[str] = []
    depth = 0
    buf = ""
    i = 0
    while i < len(s):
        ch = s[i]
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        if depth == 0 and (ch in ",;"):
            parts.append(buf)
            buf = ""
            i += 1
            continue
        if depth == 0 and re.match(r"\s+and\s+", s[i:]) and not re.match(r"\s+and\s*$", s[i:]):
            m = re.match(r"\s+and\s+", s[i:])
            assert m
            parts.append(buf)
            buf = ""
            i += m.end()
            continue
        buf += ch
        i += 1
    parts.append(buf)
    out = []
    for p in parts:
        p = re.sub(r"\s+", " ", p).strip(" .:")
        p = re.sub(r"^(?:and|or)\s+", "", p, flags=re.I)
        p = re.sub(r"^(?:the\s+)?(?:requests?\s+for\s+)", "", p, flags=re.I)
        p = re.sub(r"^(?:a|an)\s+", "", p, flags=re.I)
        if p and len(p) <= 300:
            out.append(p)
    return out


def _ur_decision(verb: str) -> str:
    v = verb.lower()
    if v.startswith("conditionally"):
        return "conditionally non-certified"
    if v.startswith("modified"):
        return "modified"
    return "non-certified"


def _clean_ur_items(items: str) -> tuple[str, str | None]:
    """ "Soma 350mg #30 to Soma 350mg #15 for tapering" -> (request, modification)."""
    m = re.search(r"\s+to\s+(?:certification\s+of\s+|certify\s+)?(.+)$", items, re.I)
    if m and re.search(r"\d|#", m.group(1)):
        return items[: m.start()], m.group(1).strip(" .")
    return items, None


def disputed_items_from_text(text: str) -> list[DisputedItem]:
    """Best-effort: the requested items a record names (empty list if none found)."""
    text = re.sub(r"\s+", " ", text)
    requested: list[str] = []
    for rx in _RFA_PATTERNS:
        for m in rx.finditer(text):
            for item in _split_top(m.group("items")):
                if item.lower() not in {r.lower() for r in requested}:
                    requested.append(item)
        if requested:
            break
    decisions: dict[str, tuple[str, str | None]] = {}
    ur_items: list[str] = []
    for m in _UR_PATTERN.finditer(text):
        # one UR sentence can carry several clauses: "... non-certified X and Y, and modified Z to ..."
        clause_text = m.group(0)
        for cm in re.finditer(
            r"\b(?P<verb>conditionally\s+non-?certified|non-?certified|modified|denied)\s+(?:the\s+)?"
            r"(?:requests?\s+for\s+)?(?P<items>.+?)(?=,?\s+(?:and\s+)?(?:conditionally\s+non-?certified|non-?certified|modified|denied)\b|\.?$)",
            clause_text,
            re.I,
        ):
            items, modification = _clean_ur_items(cm.group("items"))
            for item in _split_top(items):
                decisions[item.lower()] = (_ur_decision(cm.group("verb")), modification)
                ur_items.append(item)
    if not requested:
        requested = list(dict.fromkeys(ur_items))
    out: list[DisputedItem] = []
    for item in requested:
        decision, modification = "non-certified", None
        key = item.lower()
        for ur_key, val in decisions.items():
            if key == ur_key or key in ur_key or ur_key in key:
                decision, modification = val
                break
        out.append(DisputedItem(request=item[:2000], ur_decision=decision, ur_modification=modification))  # type: ignore[arg-type]
    return out


def case_from_text(text: str, doc_id: str = "record", source: str = "<text>", doc_type: str = "record",
                   require_items: bool = True) -> CaseFile:
    """A one-document case from record text; disputed items and RFA/UR dates read from the text.
    `require_items=False` (fact extraction): a record that requests nothing is still a case."""
    if not text.strip():
        raise InputError(source, "empty file (only whitespace)")
    items = disputed_items_from_text(text)
    if not items and require_items:
        raise InputError(
            source,
            "no requested items found in the text (expected e.g. 'request for authorization ... requested X'); "
            "use a JSON case file with disputed_items",
        )
    rfa = None
    text_1 = re.sub(r"\s+", " ", text)
    m = _RFA_DATE.search(text_1)
    if m and (d := parse_date(m.group("d"))):
        rfa = RequestForAuthorization(date=d)
    ur = None
    for rx in _UR_DATE:
        m = rx.search(text_1)
        if m and (d := parse_date(m.group("d"))):
            ur = UtilizationReview(date=d)
            break
    fields = dict(documents=[Document(id=doc_id or "record", type=doc_type, text=text)],
                  request_for_authorization=rfa, utilization_review=ur)
    if not items:  # only for extraction: a case file proper needs at least one disputed item
        return CaseFile.model_construct(case_number=None, priority="standard", injured_worker=None, parties=None,
                                        application=None, reviewer=None, disputed_items=[], **fields)
    return CaseFile(disputed_items=items, **fields)
