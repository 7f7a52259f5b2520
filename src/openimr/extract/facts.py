"""extract_facts(case) -> CaseFacts: clinical facts from every document, each with its evidence.

The medspaCy pipeline (`pipeline.get_nlp`) finds the things (findings, treatments, drugs, studies,
work status) and their context (negated, historical, hypothetical, section); this module turns
them into `openimr.models.facts` objects, reading numbers, dates, doses and levels next to them.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any

from openimr.errors import InputError
from openimr.extract import cache as C
from openimr.extract import patterns as X
from openimr.extract.cues import read_cue_spans
from openimr.extract.dxread import read_dx_spans
from openimr.extract.pipeline import get_nlp
from openimr.extract.rules import SECTION_RULES
from openimr.extract.sources import drop_ur_opinion
from openimr.lexicon.abbreviations import expand_abbreviations
from openimr.lexicon.regions import LIMB_WORD_RX, laterality_of, limb_of, limb_word_region, region_of
from openimr.models.case import CaseFile, Document
from openimr.models.facts import (
    CaseFacts,
    Cue,
    Diagnosis,
    Evidence,
    Finding,
    InjuredWorkerFacts,
    Medication,
    PainScore,
    Statement,
    StudyFinding,
    Treatment,
    TreatmentResponse,
)

CHUNK_CHARS = 3_000  # documents are processed in blocks of about this size, cut at sentence ends

# Findings for which a history still counts as present (a past GI bleed is a current risk factor).
_HISTORY_COUNTS = {"gi_risk_factors"}

_PLAN_CUE = re.compile(
    r"\b(?:request(?:s|ed|ing)?|recommend(?:s|ed|ing|ation|ations)?|plan(?:s|ned)?|will|would|consider(?:s|ed|ing|ation)?|"
    r"candidate|schedul(?:e|ed|ing)|authoriz(?:e|ation)|authorisation|additional|proceed|refer(?:ral|red)?|trial\s+of|"
    # "modified" is a reviewer's modification, not the work status in a list of care tried ("NSAIDs, modified duty,
    # steroid injection 3/2016": issue #11, rehab)
    r"pending|awaiting|certif(?:y|ied|ication)|non-?certified|denied|modified(?!\s+(?:duty|duties|work|activit))|to\s+undergo|"
    r"going\s+forward|next\s+step|further|more|another|repeat|"
    # a physician agreeing with care another proposes ("Agree w/ chiro + acupuncture"; issue #11, inj9)
    r"agree[sd]?\s+w(?:ith)?(?=[/\s])|concurs?\s+with)\b",
    re.I,
)
_PLAN_AFTER = re.compile(
    r"^\s*(?:[\w-]+\s+){0,4}?(?:(?:is|are|was|were|will\s+be|has\s+been|have\s+been)\s+)?(?:being\s+|also\s+|now\s+)?"
    r"(?:considered|recommended|requested|planned|scheduled|pending|proposed|ordered|prescribed\s+going\s+forward)\b",
    re.I,
)
# A sentence about the disputed request itself ("utilization review determined physical therapy six visits
# was not medically necessary", "the RFA ... requested; physical therapy 2 times a week for 4 weeks"): the
# treatment it names is the one asked for, not a course already given - unless the clause before the
# mention says it was given ("completed 12 sessions of PT; UR denied more").
_DISPUTED_REQUEST = re.compile(
    r"\b(?:utilization\s+review|UR|RFA|IMR|request\s+for\s+authori[sz]ation|not\s+medically\s+necessary|"
    r"non-?certif\w*|not\s+certified|(?:was|were|been)\s+denied|denied\s+(?:the\s+)?(?:request|certification|authori)|"
    r"modified\s+(?:the\s+request|to)|(?:was|were|is|are|has\s+been|have\s+been)\s+requested)\b",
    re.I,
)
_ONGOING_CUE = re.compile(r"\b(?:currently|ongoing|continues?|continuing|attending|undergoing|is\s+in|are\s+in)\b", re.I)
# a four-digit year a few characters after a treatment's name, not part of a fuller date or a number with units
_COURSE_YEAR = re.compile(r"\s{0,2}(?:(?:in|on|during|from|of|was|were|at)\s+|[(,:-]\s?)?(?P<y>(?:19[89]|20[0-4])\d)\b(?![-/.]\d|\s*(?:mg|mcg|units?|ml|cc|%))", re.I)
# a course said to be under way right after its name (read9): "PT x 6 (still attending)", "aquatic therapy, ongoing"
_ONGOING_AFTER = re.compile(r"\s*(?:x\s*\d{1,2}\s*)?[(,-]?\s*(?:still\s+attending|currently\s+attending|ongoing|in\s+progress|continuing)\b",
                            re.I)
_DONE_CUE = re.compile(r"\b(?:completed|had|has\s+had|underwent|received|attended|tried|failed|prior|previous(?:ly)?|to\s+date|status\s+post|s/p|after)\b", re.I)
_MED_PAST_CUE = re.compile(
    r"\b(?:previously|prior|formerly|had\s+(?:been\s+)?(?:given|tried|trialed|prescribed|taken|used)|was\s+given|were\s+given|"
    r"tried|trialed|failed|discontinued|stopped|no\s+longer|in\s+the\s+past|weaned|history\s+of|to\s+date|"
    r"treatments?\s+(?:\w+\s+){0,4}?(?:has\s+|have\s+)?included)\b",
    re.I,
)
_MED_PAST_AFTER = re.compile(r"^[^.;]{0,40}?\b(?:was|were|has\s+been|had\s+been)\s+(?:discontinued|stopped|weaned|tapered\s+off)"
    r"|^[^.;]{0,30}?\b(?:was|were|had\s+been)\s+(?:tried|trialed|used\s+previously|given\s+previously|previously\s+\w+)\b|^[^.;]{0,25}?\bin\s+the\s+past\b"
    # "Flexeril 5 mg short course 3/2014 (helped), none since": a course that ended
    r"|^[^.;]{0,50}?\b(?:none\s+since|not\s+since|off\s+(?:it\s+)?since|stopped\s+(?:in|on|since)?\s*\d)", re.I)
# An imperative "Start/Begin/Initiate/Add <drug>" right before the drug is a new prescription, not one taken now
# ("started on" and "was started" stay current).
_MED_START_BEFORE = re.compile(r"\b(?:start|begin|initiate|add|restart|resume)\s+(?:on\s+|a\s+(?:trial|course)\s+of\s+)?$", re.I)
_MED_PLAN_CUE = re.compile(r"\b(?:will\s+(?:start|begin|try|trial|prescribe|add)|start(?:ed)?\s+on\s+a\s+trial|trial\s+of|plan\s+to\s+(?:start|begin|add|try)|would\s+(?:start|consider|try)|consider(?:ing)?|recommend(?:ed)?\s+(?:a\s+trial|starting))\b", re.I)
_MED_REQ_CUE = re.compile(
    r"\b(?:request(?:s|ed|ing)?|authori[sz]ation|non-?certif\w*|certif\w*|modified|denied|UR\b|RFA\b|utilization\s+review|dispute[sd]?)",
    re.I,
)
# (read10) the prescribed opioid missing is inconsistent too: "negative for tramadol", "negative for oxycodone and its metabolites"
_RESULT_BAD = re.compile(r"\b(?:negative\s+for\s+(?:the\s+)?(?:prescribed|opioids?|opiates?|hydrocodone|oxycodone|tramadol|morphine|hydromorphone"
                         r"|buprenorphine|methadone|tapentadol|oxymorphone|codeine|fentanyl)|inconsistent|not\s+consistent|aberrant|not\s+prescribed|(?<!nothing\s)(?<!no\s)unexpected|non-?prescribed|(?<!no\s)(?<!without\s)(?<!nor\s)illicit|positive\s+for\s+(?:marijuana|cannabis|thc|cocaine|methamphetamine|amphetamine|alcohol))", re.I)
_RESULT_OK = re.compile(r"\b(?:consistent|appropriate|compliant|as\s+expected|expected|as\s+prescribed|c/w|nothing\s+unexpected|negative\s+for\s+illicit|no\s+aberran)", re.I)


def ev(doc_id: str, text: str, start: int, end: int) -> Evidence:
    return Evidence(document=doc_id, start=start, end=end, quote=text[start:end])


def _chunks(text: str, size: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece): the text cut after sentence ends near every `size` characters.

    spaCy and medspaCy do work per document that grows faster than linearly with its entities
    (TargetMatcher adds entities one at a time; ConText pairs every modifier with every target), so
    records are processed in blocks of a few thousand characters cut at sentence ends.
    """
    n = len(text)
    start = 0
    while start < n:
        end = start + size
        if end >= n - size // 3:
            yield start, text[start:]
            return
        window = text[start + size // 2 : end]
        cut = -1
        for rx in (_CUT_PARA, _CUT_SENT_NL, _CUT_SENT, _CUT_NL):
            ms = list(rx.finditer(window))
            if ms:
                cut = start + size // 2 + ms[-1].end()
                break
        if cut == -1:
            cut = end
        yield start, text[start:cut]
        start = cut


_CUT_PARA = re.compile(r"[.!?:]\s*\n\s*\n\s*(?=[A-Z0-9])")
_CUT_SENT_NL = re.compile(r"[.!?]\s*\n\s*(?=[A-Z0-9])")
_CUT_SENT = re.compile(r"[.!?]\s+(?=[A-Z])")
_CUT_NL = re.compile(r"\n")


class _Ctx:
    """Per-chunk state: the document, the chunk offset and shared helpers."""

    def __init__(self, document: Document, offset: int, sdoc: Any, carry_section: str | None = None):
        self.carry_section = carry_section  # the section the previous block ended in
        sections = getattr(sdoc._, "sections", None) or []
        self.first_section_start = sections[0].title_start if sections else len(sdoc)
        self.last_section = sections[-1].category if sections else carry_section
        self.document = document
        self.text = document.text
        self.offset = offset
        self.sdoc = sdoc
        self.date = document.date
        self.ents = sdoc.ents  # speed: spaCy rebuilds this tuple from every token at each `doc.ents`
        sdoc.user_data[_ENTS_KEY] = self.ents  # (the facts functions do not change the entities)
        self.regions: dict[str, list[tuple[int, int, str]]] = {}  # speed: _regions_in per sentence text

    def ents_in(self, span: Any) -> list[Any]:
        """`span.ents` (the entities wholly inside it, in order) from the tuple read once."""
        out = []
        for ent in self.ents:
            if ent.start >= span.start:
                if ent.end <= span.end:
                    out.append(ent)
                else:
                    break
        return out

    def ev_span(self, span: Any) -> Evidence:
        s = self.offset + span.start_char
        e = self.offset + span.end_char
        return ev(self.document.id, self.text, s, e)

    def ev_chars(self, s: int, e: int) -> Evidence:
        return ev(self.document.id, self.text, self.offset + s, self.offset + e)


_ENTS_KEY = "openimr_ents"  # doc.user_data: the block's entities as _Ctx read them


def _span_ents(span: Any) -> list[Any]:
    """`span.ents` (spaCy's: the doc's entities from the first one starting at or after the span's start, up to
    the first one ending past its end) from the block's entities read once (speed only)."""
    ents = span.doc.user_data.get(_ENTS_KEY)
    if ents is None:
        return list(span.ents)
    out = []
    for e in ents:
        if e.start >= span.start:
            if e.end <= span.end:
                out.append(e)
            else:
                break
    return out


def _sentences(doc: Any) -> list[tuple[Any, str, int]]:
    """(sentence, its text, its start_char) for `doc.sents`, built once per block (speed only: spaCy
    makes each sentence's text by joining its tokens again on every call). A sentence's text is the
    slice of the block's text between its start_char and end_char, which is what Span.text gives."""
    got = doc.user_data.get("openimr_sents")
    if got is None:
        from openimr.extract.pipeline import doc_text
        from openimr.extract.windows import sentence_bounds

        text = doc_text(doc)
        got = []
        for a, b in sentence_bounds(doc):
            sent = doc[a:b]
            got.append((sent, text[sent.start_char : sent.end_char], sent.start_char))
        doc.user_data["openimr_sents"] = got
        doc.user_data["openimr_sent_starts"] = [sent.start for sent, _, _ in got]
    return got


def _sent_text(span: Any) -> tuple[str, int]:
    """(text, start_char) of `span.sent`: the sentence holding the span's first token."""
    doc = span.doc
    if doc.user_hooks or doc.user_span_hooks:
        sent = span.sent
        return sent.text, sent.start_char
    sents = _sentences(doc)
    k = bisect_right(doc.user_data["openimr_sent_starts"], span.start) - 1  # the last one starting at or before it
    _, text, start = sents[max(k, 0)]
    return text, start


def _sent_of(span: Any) -> Any:
    """`span.sent` (the sentence holding the span's first token), one Span per sentence built once per
    block (speed only: spaCy looks for the sentence's bounds token by token on every call)."""
    doc = span.doc
    if doc.user_hooks or doc.user_span_hooks:
        return span.sent
    sents = _sentences(doc)
    k = bisect_right(doc.user_data["openimr_sent_starts"], span.start) - 1
    return sents[max(k, 0)][0]


def _is_hypothetical(ent: Any) -> bool:
    return bool(_attr(ent, "is_hypothetical") or _attr(ent, "is_uncertain") or _attr(ent, "is_family"))


_PLAIN_ATTRS: dict[str, Any] = {}
_NOT_PLAIN = object()


def _attr(span: Any, name: str) -> Any:
    """`getattr(span._, name)` (speed only). A plain span extension (no getter, setter or method, an immutable
    default) keeps its value in doc.user_data under ("._.", name, start_char, end_char), which is where spaCy's
    Underscore reads it; read there directly, with no Underscore object. Any other extension: through `span._`."""
    default = _PLAIN_ATTRS.get(name, _NOT_PLAIN)
    if default is _NOT_PLAIN and name not in _PLAIN_ATTRS:
        from spacy.tokens import Span

        ext = Span.get_extension(name)
        plain = ext is not None and ext[1] is None and ext[2] is None and ext[3] is None and not isinstance(ext[0], list | dict | set)
        default = _PLAIN_ATTRS[name] = ext[0] if plain else _NOT_PLAIN
    if default is _NOT_PLAIN:
        return getattr(span._, name)
    return span.doc.user_data.get(("._.", name, span.start_char, span.end_char), default)


def _section(ent: Any, ctx: _Ctx | None = None) -> str | None:
    default = _section_default()
    if default is not _NO_FAST_SECTION and len(ent):
        # speed: medspaCy's `span._.section_category` is its first token's section's category, and the token's
        # section is kept in doc.user_data under the token's character offset (no Underscore objects)
        section = ent.doc.user_data.get(("._.", "section", ent.start_char, None), default)
        return _carried(None if section is None else section.category, ent, ctx)
    try:
        cat = ent._.section_category
    except (AttributeError, IndexError):
        cat = None
    return _carried(cat, ent, ctx)


_NO_FAST_SECTION = object()
_SECTION_DEFAULT: list[Any] = []


def _section_default() -> Any:
    """The token `section` extension's default when the section extensions are medspaCy's own (a plain token
    attribute, the getters `_section` restates), else _NO_FAST_SECTION."""
    if not _SECTION_DEFAULT:
        from medspacy._extensions import _span_extensions, _token_extensions
        from spacy.tokens import Span, Token

        default, method, getter, setter = Token.get_extension("section") or (None, 1, 1, 1)
        plain = method is None and getter is None and setter is None and not isinstance(default, list | dict | set)
        ours = (Span.get_extension("section_category") or (None, None, None, None))[2] is _span_extensions["section_category"]["getter"] \
            and (Token.get_extension("section_category") or (None, None, None, None))[2] is _token_extensions["section_category"]["getter"]
        _SECTION_DEFAULT.append(default if plain and ours else _NO_FAST_SECTION)
    return _SECTION_DEFAULT[0]


def _carried(cat: str | None, ent: Any, ctx: _Ctx | None) -> str | None:
    if cat is None and ctx is not None and ent.start < ctx.first_section_start:
        return ctx.carry_section
    return cat


# --- injured worker -------------------------------------------------------------------------------

_AGE_SEX = re.compile(
    r"\b(?P<age>\d{1,3})[- ]?(?:(?:year|yr)s?[- ]old\b|y/o\b|yo\b|y\.o\.)(?:[,\s]+(?:\w+[,\s]+){0,3}?(?P<sex>male|female|man|woman|gentleman|lady)\b)?",
    re.I,
)
_DOI = re.compile(
    r"\b(?:date\s+of\s+(?:the\s+)?(?:industrial\s+)?injury|DOI|D\.O\.I\.|(?:industrial|work-related|work|occupational)\s+injur(?:y|ies)|injur(?:y|ed)|(?:was|were)\s+hurt|fell|slipped|tripped)"
    r"(?:\s*\([^)]{0,20}\))?[^.\d]{0,40}?(?=\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)",
    re.I,
)


def _injured_worker(case: CaseFile, facts: CaseFacts) -> None:
    iw = InjuredWorkerFacts()
    evidence: list[Evidence] = []
    for doc in case.documents:
        text = doc.text[:200_000]
        if iw.age is None:
            m = _AGE_SEX.search(text)
            if m and 0 < int(m.group("age")) <= 110:
                iw.age = int(m.group("age"))
                evidence.append(ev(doc.id, doc.text, m.start(), m.end()))
                if m.group("sex"):
                    iw.sex = "male" if m.group("sex").lower() in {"male", "man", "gentleman"} else "female"
        if iw.date_of_injury is None:
            for m in _DOI.finditer(text):
                dm = X.DATE_RX.match(text, m.end())
                iso = X.date_from_match(dm) if dm else None
                if iso and len(iso) == 10:
                    iw.date_of_injury = dt.date.fromisoformat(iso)
                    evidence.append(ev(doc.id, doc.text, m.start(), dm.end()))  # type: ignore[union-attr]
                    break
        if iw.sex is None:
            m = re.search(r"\b\d{1,3}\s*(?:yo|y/o|y\.o\.|year[- ]old)\s+(?P<s>[MF])\b", text)
            if m:
                iw.sex = "male" if m.group("s") == "M" else "female"
        if iw.sex is None:
            she = len(re.findall(r"\b(?:she|her|hers|herself)\b", text, re.I))
            he = len(re.findall(r"\b(?:he|him|his|himself)\b", text, re.I))
            if she >= 1 and he == 0:
                iw.sex = "female"
            elif he >= 1 and she == 0:
                iw.sex = "male"
        if iw.age is not None and iw.date_of_injury is not None and iw.sex is not None:
            break
    # structured case fields win over the text
    if case.injured_worker:
        s = case.injured_worker
        iw.age = s.age if s.age is not None else iw.age
        iw.sex = s.sex or iw.sex
        iw.date_of_injury = s.date_of_injury or iw.date_of_injury
    iw.evidence = evidence
    facts.injured_worker = iw


# --- medications ----------------------------------------------------------------------------------

_STATUS_RANK = {"current": 0, "requested": 1, "planned": 2, "past": 3}


def _doc_text(doc: Any) -> str:
    """The doc's text, built once: spaCy's `Doc.text` joins every token again on each call, and the
    status rules below ask for it once per entity."""
    text = doc.user_data.get("openimr_text")
    if text is None:
        text = doc.user_data["openimr_text"] = doc.text
    return text


def _in_request_block(ent: Any) -> bool:
    """The entity sits on a 'Request(ed)...:' header line or in the list right under it."""
    text = _doc_text(ent.doc)
    start = ent.start_char
    window = text[max(0, start - 400) : start]
    lines = window.split("\n")
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if re.match(r"\s*(?:requested|requests?)\b[^:\n]{0,40}:", line, re.I):
            return True
        if i == len(lines) - 1:
            continue  # the entity's own line
        if not re.match(r"\s*(?:\d{1,2}[.)]|[-*\u2022])\s", line):
            return False
    return False


_SECTION_NAMES = {name: cat for name, cat in SECTION_RULES}
# a header written inline ("... tid. Plan: cyclobenzaprine 7.5mg"): at a line start or after a sentence end
_INLINE_HEADER = re.compile(r"(?:^|[.;][\'\"\u2019\u201d)]?\s+|\t|\s{2,})([A-Za-z][A-Za-z /&]{0,40}?)\s*:", re.M)  # ". Plan:", "fixed.' Plan:", ". P:"


def _inline_section(ent: Any) -> str | None:
    """The section of the last header on the entity's own line before it, if one is written there."""
    text = _doc_text(ent.doc)
    line = text[text.rfind("\n", 0, ent.start_char) + 1 : ent.start_char]
    for m in reversed(list(_INLINE_HEADER.finditer(line))):
        cat = _SECTION_NAMES.get(re.sub(r"\s+", " ", re.sub(r"\s*/\s*", " / ", m.group(1).strip().lower())))
        if cat is not None:
            return cat
    return None


def _med_status(ent: Any, sent_text: str, rel_start: int, rel_end: int, ctx: _Ctx) -> str:
    before = sent_text[:rel_start]
    after = sent_text[rel_end:]
    section = _inline_section(ent) or _section(ent, ctx)
    if section == "past_medications" or _MED_PAST_AFTER.search(after):
        return "past"
    # the clause the drug is in: from the last ';' / ',' / "and takes" or the sentence start
    clause = re.split(r"[;]|\band\s+(?:takes|is\s+taking|uses|currently)\b", before)[-1]
    if _MED_REQ_CUE.search(clause):
        return "requested"
    if _MED_PLAN_CUE.search(clause) or _MED_START_BEFORE.search(clause) or (ent._.is_hypothetical and not re.search(r"\bas needed\b", after[:20], re.I)):
        return "planned"
    if section == "request" and _in_request_block(ent) and not re.search(r"\b(?:continue[sd]?|current(?:ly)?)\b", clause, re.I):
        return "requested"
    if section == "plan" and not re.search(r"\b(?:continue[sd]?|cont\b|continuing|refill(?:ed|s)?|renew(?:ed)?|current(?:ly)?|maintain(?:ed)?|(?:remain|stay)s?\s+on|still)\b", clause, re.I):
        return "planned"
    if _MED_PAST_CUE.search(clause):
        return "past"
    if ((ctx.document.type or "").lower() == "rfa"
            and not re.search(r"\b(?:continue[sd]?|current(?:ly)?|takes|taking|has\s+been|uses)\b", clause, re.I)
            and not re.search(r"\b(?:since|has\s+been|have\s+been|was\s+started)\b", after[:60], re.I)):
        return "requested"  # a request for authorization form lists what is requested
    return "current"


# A drug the narrative says was stopped ("She stopped her meloxicam 2 months ago", "ran out of the Cymbalta 6 weeks
# ago and hasn't restarted", "Lidoderm - d/c'd") is not taken now, even when a medication list copied forward from an
# earlier visit still lists it (goldread); a pause ("stopped Norco for 2 months") is not a stop.
_STOPPED_BEFORE = re.compile(r"\b(?:stopped|discontinued|ran\s+out\s+of|came\s+off|quit|d/c'?d?)\s+(?:taking\s+)?"
                             r"(?:(?:her|his|the|their|all)\s+)?$", re.I)
_STOPPED_AFTER = re.compile(r"^\s*[-:]?\s*(?:[\w./]+\s+){0,3}?(?:d/c'?d|discontinued|stopped)\b", re.I)
_TAKING_BEFORE = re.compile(r"\b(?:takes|taking|took|continues?|continuing|remains?\s+on|back\s+on|using|uses|is\s+on|still\s+on|"
                            r"refill(?:ed)?|renew(?:ed)?|cont\.?)\s+(?:(?:her|his|the|their|with)\s+)?$", re.I)
_PAUSE_AFTER = re.compile(r"^\s*(?:[\w./]+\s+){0,2}?for\s+(?:\d|a|one|two|three|several|a\s+few)\b", re.I)


# (drugs9) "no" / "denies" / "without" right before the drug, or before a short list of drug words that leads to it
# ("No ASA/steroids/anticoag", "no steroids, ASA or warfarin"); "no relief with Norco" is not a denial of the drug
_DENIED_DRUG = re.compile(r"\b(?:no|denies|denied|without)\s+(?:[\w.-]+\s*(?:/|,|\bor\b|\band\b)\s*){0,3}$", re.I)


def _medications(ctx: _Ctx, request_date: dt.date | None, out: dict[tuple[str, str], Medication]) -> None:
    meds = [e for e in ctx.ents if _attr(e, "openimr_drug") is not None]
    stopped: set[tuple[str, str]] = set()
    said_taken: set[tuple[str, str]] = set()  # said to be taken now ("continues X", "back on X"), not only listed
    for i, ent in enumerate(meds):
        info = ent._.openimr_drug
        if info is None:
            continue
        sent = _sent_of(ent)
        stext = _sent_text(ent)[0]
        rs, re_ = ent.start_char - sent.start_char, ent.end_char - sent.start_char
        nxt = meds[i + 1] if i + 1 < len(meds) and _sent_of(meds[i + 1]) == sent else None
        win_end = (nxt.start_char - sent.start_char) if nxt else len(stext)
        window = stext[rs : min(win_end, re_ + 60)]
        strength = None
        sm = X.STRENGTH_RX.search(window)
        if sm:
            strength = re.sub(r"\s+", "", sm.group(0))
        frequency = None
        fm = X.FREQ_RX.search(window)
        if fm:
            frequency = fm.group(0).lower()
        since, since_ev = _since_for(ent, meds, sent, stext)
        status = _med_status(ent, stext, rs, re_, ctx)
        neg_clause = re.split(r"[;,]", stext[:rs])[-1]
        if re.search(r"\bno\s+longer\s+(?:taking|using|on)\b", neg_clause, re.I):
            status = "past"
        elif re.search(r"\b(?:not|never)\s+(?:taking|taken|using|used|on|been\s+on|prescribed)\b", neg_clause, re.I):
            continue  # "is not taking aspirin": no medication
        elif _DENIED_DRUG.search(stext[max(0, rs - 50):rs]):
            continue  # (drugs9) a drug named only to deny it: "no aspirin", "No ASA/steroids/anticoag", "denies NSAIDs"
        evidence = [ctx.ev_span(ent)]
        if since_ev is not None:
            evidence.append(ctx.ev_chars(*since_ev))
        duration = None
        if since and request_date:
            d0 = X.to_date(since)
            if d0 and d0 <= request_date:
                duration = (request_date - d0).days
        key = (ctx.document.id, info.generic)
        after_ent = stext[re_:]
        if ((_STOPPED_BEFORE.search(stext[max(0, rs - 40):rs]) or _STOPPED_AFTER.match(after_ent))
                and not _PAUSE_AFTER.match(after_ent)):
            stopped.add(key)
            status = "past"
        elif status == "current" and _TAKING_BEFORE.search(stext[max(0, rs - 40):rs]):
            said_taken.add(key)
        med = out.get(key)
        if med is None:
            out[key] = Medication(
                generic=info.generic,
                brand=info.brand,
                strength=strength,
                frequency=frequency,
                since=since,
                duration_days=duration,
                status=status,  # type: ignore[arg-type]
                evidence=evidence,
                document_date=ctx.date,
            )
            continue
        if _STATUS_RANK[status] < _STATUS_RANK[med.status]:
            med.status = status  # type: ignore[assignment]
        med.brand = med.brand or info.brand
        med.strength = med.strength or strength
        med.frequency = med.frequency or frequency
        if since and (not med.since or since < med.since):
            med.since, med.duration_days = since, duration
        med.evidence.extend(evidence)
    for key in stopped - said_taken:
        if key in out and out[key].status == "current":
            out[key].status = "past"  # type: ignore[assignment]


def _since_for(ent: Any, meds: list[Any], sent: Any, stext: str) -> tuple[str | None, tuple[int, int] | None]:
    """The 'since DATE' that applies to this drug mention in its sentence."""
    base = sent.start_char
    for m in X.SINCE_RX.finditer(stext):
        dm = X.DATE_RX.match(stext, m.end())
        if not dm:
            continue
        iso = X.date_from_match(dm)
        if not iso:
            continue
        pos = m.start() + base  # char offset in the chunk
        # drug mentions in this sentence before the 'since' phrase
        before = [e for e in meds if _sent_of(e) == sent and e.end_char <= pos]
        if not before:
            continue
        gap = stext[before[-1].end_char - base : m.start()]
        applies_to_all = bool(re.search(r"\b(?:all|both|each|these|which\s+have\s+all)\b", gap, re.I))
        if ent in before and (applies_to_all or ent == before[-1]) and len(gap) <= 120:
            return iso, (m.start() + base, dm.end() + base)
    return None, None


# --- findings --------------------------------------------------------------------------------------


def _laterality(stext: str, rs: int, re_: int) -> str | None:
    window = stext[max(0, rs - 30) : re_ + 25]
    m = X.LATERALITY_RX.search(window)
    if not m:
        return None
    w = m.group(1).lower()
    return "bilateral" if w.startswith("bilateral") else w


def _level(stext: str, rs: int, re_: int) -> str | None:
    best = None
    for m in X.LEVEL_RX.finditer(stext):
        d = min(abs(m.start() - re_), abs(rs - m.end()))
        if d <= 40 and (best is None or d < best[0]):
            best = (d, X.norm_level(m))
    return best[1] if best else None


_HEP_STOPPED = re.compile(r"\b(?:stopped|quit|not|n't|never|rarely|no\s+longer)\s+(?:\w+\s+){0,2}?(?:doing|does|do|did|performing|using)\s+"
                          r"(?:(?:his|her|their|the|any)\s+)?$"
                          # read10: the verb on the program itself ("She stopped her home exercises last year")
                          r"|\b(?:stopped|quit|discontinued|abandoned)\s+(?:(?:his|her|their|the|all|any)\s+)?$", re.I)
_HEP_NOT_DONE = re.compile(r"[^.;]{0,15}?(?:-|,|but)\s*(?:(?:she|he|they)\s+(?:is|are)\s+)?not\s+(?:doing|done|performing|following)\b", re.I)
_HEP_TO_COME = re.compile(r"\b(?:instruct\w*|teach\w*|taught|educat\w*|transition\w*|goals?|at\s+discharge|will|to\s+be)\b", re.I)
_GI_AS_EFFECT = re.compile(r"dyspepsia|heartburn|upset|\bsx\b|symptom|distress|irritation|complaint", re.I)
_AE_PAST_BEFORE = re.compile(r"\b(?:prior|previous|past|earlier|h/o|hx\s+of|history\s+of|after|initial(?:ly)?)\s+(?:\w+\s+)?$", re.I)
_AE_RESOLVED = re.compile(r"[^.;]{0,60}?\b(?:went\s+away|resolved|subsided|wore\s+off|has\s+cleared|(?:is|now)\s+gone|no\s+longer)\b", re.I)
# gf4read: an effect of a drug tried before and given up is not an effect of the regimen: the trial named before it in the
# clause ("Previously tried Neurontin (sedation)", "Oral NSAIDs not tolerated (dyspepsia)", "Nortriptyline tried -
# drowsy") or the stop just after it ("too groggy in AM, d/c'd after 2 wks", "made him drowsy, stopped")
# (not "stopped ... because it made him drowsy" before the effect: said of the drug asked for again, that is its effect)
# a stop written as a list tag or with its cause ("(stopped, constipation)", "d/c'd 02/2014 d/t sedation") still is one
_AE_TRIED_BEFORE = re.compile(r"(?:\b(?:tried|trial\s+of|previously|formerly|not\s+tolerated|intoleran\w*)\b"
                              r"|\b(?:stopped|d/c'?d|discontinued)\s*(?:[,:(-]|\b(?:due\s+to|d/t|for)\b|\d)"
                              r"|\b(?:stopped|d/c'?d|discontinued)\b[^.;]{0,20}?\b(?:d/t|due\s+to)\b)[^.;]{0,50}$", re.I)
_AE_STOPPED_AFTER = re.compile(r"[^.;]{0,30}?\b(?:d/c'?d|dc'?d|discontinued|stopped|so\s+(?:he|she|they)\s+(?:stopped|quit))\b", re.I)
# gf4read: a causative verb of its own makes the effect a statement even past an earlier "no" in the sentence ("no real
# benefit from Flexeril and it makes her sleepy"); "does not make him drowsy" keeps its own negation
_AE_CAUSED = re.compile(r"\b(?:makes?|made|caus(?:es|ed|ing)|gives?|gave)\s+(?:(?:him|her|them|me)\s+)?(?:\w+\s+)?$"
                        # ... or the "no" is the relief's, the effect joined to it ("with no relief and dizziness")
                        r"|\bno\s+(?:\w+\s+)?(?:relief|benefit|help|improvement)\s+(?:and|but)\s+(?:with\s+|has\s+|had\s+)?$", re.I)
_AE_CAUSED_DENIED = re.compile(r"(?:\bnot|n't|\bnever|\bno)\s+(?:\w+\s+)?$", re.I)


def _findings(ctx: _Ctx, out: dict[tuple[str, str, bool], Finding]) -> None:
    for ent in ctx.ents:
        label = ent.label_
        if not (label.startswith("F:") or label.startswith("F-:")):
            continue
        name = label.split(":", 1)[1]
        if _is_hypothetical(ent):
            continue
        if _attr(ent, "is_historical") and name not in _HISTORY_COUNTS:
            continue
        stext, sbase = _sent_text(ent)
        rs, re_ = ent.start_char - sbase, ent.end_char - sbase
        # a statement of normality (F-: "normal reflexes", "strength 5/5") is an absent finding; a nearby
        # "negative ..." modifier belongs to the previous finding in the list, so negation is not applied
        present = False if label.startswith("F-:") else not _attr(ent, "is_negated")
        if name == "motor_weakness" and not present and label.startswith("F-:") and _GRADE_BELOW_FULL.search(ent.text):
            present = True  # read10: a grade below full inside a "full strength" span ("APB 4/5 R, 5/5 L", "PF 4/5 (5/5 in May)")
        if name == "uds_consistent" and not present and label.startswith("F:") and not _RESULT_BAD.search(stext[rs : re_ + 120]):
            continue  # "No UDS on file": no screen, neither consistent nor inconsistent (goldread)
        if name == "uds_consistent" and present:
            after = stext[rs : re_ + 120]
            if _RESULT_BAD.search(after):
                present = False
            elif not _RESULT_OK.search(after):
                continue  # a screen was mentioned, its result was not
        if (
            name == "adverse_effects"
            and re.search(r"\b(?:discuss|review|explain|counsel)\w*", stext, re.I)
            and not re.search(r"\b(?:report|experienc|complain|has|having|develop)\w*", stext, re.I)
        ):
            continue  # side effects discussed, none reported
        if name == "reflex_change" and present and label.startswith("F:") and re.search(r"\bsymm\w*|=", ent.text, re.I) \
                and not re.search(r"\b(?:absent|0)\b|asymm", ent.text, re.I):
            present = False  # read9: "Reflexes symmetric 1+": low but equal on both sides is no change
        if name == "straight_leg_raise" and (_SLR_EXERCISE_BEFORE.search(stext[max(0, rs - 30): rs]) or _SLR_EXERCISE_AFTER.match(stext, re_)):
            # read10: straight leg raises done as an exercise ("quad sets and straight leg raises at home") are not the
            # examiner's test: they are a home program when done at home
            if re.match(r"\s*at\s+home", stext[re_:]):
                _add_finding(ctx, out, "home_exercise_program", True, ent, stext, rs, re_)
            continue
        if name == "dermatomal_sensory_loss" and present and _NOT_DERMATOMAL.search(stext):
            present = False  # read10: a stocking pattern or one nerve's territory is sensory loss, but not a root's
        if name == "home_exercise_program" and present and (_HEP_STOPPED.search(stext[max(0, rs - 40): rs])
                                                            or _HEP_NOT_DONE.match(stext, re_)):
            present = False  # read9: "stopped doing his home exercises", "stretching program at home - not doing it"
        elif name == "home_exercise_program" and present and _section(ent, ctx) == "plan" and _HEP_TO_COME.search(stext):
            continue  # read9: a program to be taught or reached ("HEP instruction", "independent HEP at discharge")
        if name == "adverse_effects" and not present and label.startswith("F:"):
            caused = _AE_CAUSED.search(stext[max(0, rs - 30): rs])
            if caused and not _AE_CAUSED_DENIED.search(stext[max(0, rs - 30): rs][: caused.start()]):
                present = True
        if name == "adverse_effects" and (_AE_TRIED_BEFORE.search(stext[max(0, rs - 60): rs]) or _AE_STOPPED_AFTER.match(stext, re_)):
            continue  # gf4read: of a drug tried and given up, present or denied ("not tolerated (nausea)")
        if name == "adverse_effects" and present and (_AE_PAST_BEFORE.search(stext[max(0, rs - 30): rs])
                                                      or _AE_RESOLVED.match(stext, re_)):
            continue  # read9: an effect that led to a switch or went away ("Prior dyspepsia on ibuprofen", "the drowsiness
            # she had the first week went away") is not an effect of the drug taken now
        if name == "functional_improvement" and present and _FN_NEGATED.search(_FN_CLAUSE.split(stext[max(0, rs - 60) : rs])[-1]):
            present = False  # "failed to produce functional gains", "with no functional gains"
        _add_finding(ctx, out, name, present, ent, stext, rs, re_)
        if name == "straight_leg_raise" or (name == "positive_provocative_test" and "spurl" in ent.text.lower()):
            # read10: the nerve-root tension tests are how an examiner documents radicular pain: a straight-leg raise
            # or Spurling's test is positive when it reproduces the pain down the limb, negative when it does not
            # (a limb pain stated elsewhere in the note still wins: a present finding outranks an absent one)
            _add_finding(ctx, out, "radicular_pain", present, ent, stext, rs, re_)
        if name == "gi_symptoms" and _GI_AS_EFFECT.search(ent.text) and any(e._.openimr_drug is not None for e in ctx.ents) \
                and not (present and (_AE_PAST_BEFORE.search(stext[max(0, rs - 30): rs]) or _AE_RESOLVED.match(stext, re_))) \
                and not (_AE_TRIED_BEFORE.search(stext[max(0, rs - 60): rs]) or _AE_STOPPED_AFTER.match(stext, re_)):
            # read9: in a note that names a drug, stomach complaints (or their absence: "No GI upset") are what the
            # four A's call adverse effects
            _add_finding(ctx, out, "adverse_effects", present, ent, stext, rs, re_)
        # one phrase can state several findings: "normal strength, reflexes and sensation",
        # "compliant with her opioid contract", "weakness ... that is progressive"
        low = ent.text.lower()
        for other, rx in _INNER:
            if other != name and rx.search(low):
                other_present = present if other in ("motor_weakness", "reflex_change", "dermatomal_sensory_loss") else True
                _add_finding(ctx, out, other, other_present, ent, stext, rs, re_)
        if present and name in ("motor_weakness", "dermatomal_sensory_loss", "reflex_change"):
            if _progressive_in(stext) or _grade_fell(stext[rs : re_ + 40]):
                _add_finding(ctx, out, "progressive_neurologic_deficit", True, ent, stext, rs, re_)
            elif _steady_in(stext[max(0, rs - 40) : re_ + 50]):
                # "EHL 4/5 (unchanged since surgery)": a deficit said to be steady is not progressive (read8)
                _add_finding(ctx, out, "progressive_neurologic_deficit", False, ent, stext, rs, re_)
    # conservative care "failed ..." / "... without relief" is failed conservative treatment
    for ent in ctx.ents:
        if not ent.label_.startswith("TX:") or ent.label_[3:] not in _CONSERVATIVE or _attr(ent, "is_negated"):
            continue
        stext, sbase = _sent_text(ent)
        before = re.split(r"[;.]", stext[: ent.start_char - sbase])[-1][-60:]
        if re.search(r"\b(?:failed|failure\s+of|unsuccessful|refractory\s+to)\b", before, re.I):
            _add_finding(ctx, out, "failed_conservative_treatment", True, ent, stext, ent.start_char - sbase, ent.end_char - sbase)
    for ent in ctx.ents:
        if ent.label_[3:] not in _CONSERVATIVE or not ent.label_.startswith("TX:") or _attr(ent, "is_negated") or _is_hypothetical(ent):
            continue
        stext, sbase = _sent_text(ent)
        after = stext[ent.end_char - sbase : ent.end_char - sbase + 80]
        m = _NO_RELIEF.search(after) or _TERSE_NO_RELIEF.search(after)
        if m and not any(o.label_.startswith("TX:") and o.label_[3:] not in _CONSERVATIVE and ent.end_char <= o.start_char < ent.end_char + m.start() for o in ctx.ents):
            _add_finding(ctx, out, "failed_conservative_treatment", True, ent, stext, ent.start_char - sbase, ent.end_char - sbase)
    # work status implies return to work (or not)
    for ent in ctx.ents:
        if ent.label_ in ("WS:full duty", "WS:modified duty", "WS:temporarily totally disabled", "WS:not working"):
            if _is_hypothetical(ent) or ent._.is_historical:
                continue
            working = ent.label_ in ("WS:full duty", "WS:modified duty")
            if ent._.is_negated and ent.label_ != "WS:not working":
                continue
            stext, sbase = _sent_text(ent)
            if working and re.search(r"\b(?:offered|available|not\s+available|unavailable|no\s+\w+\s+available|if|restrictions?\s+cannot)\b", stext, re.I):
                continue
            _add_finding(ctx, out, "return_to_work", working, ent, stext, ent.start_char - sbase, ent.end_char - sbase)


_INNER = [
    ("motor_weakness", re.compile(r"\b(?:strength|motor)\b")),
    ("reflex_change", re.compile(r"\breflex")),
    ("dermatomal_sensory_loss", re.compile(r"\bsensation\b|\bsensory\s+exam")),
    ("opioid_agreement", re.compile(r"\b(?:opioid|opiate|narcotic|pain|medication)\s+(?:treatment\s+)?(?:agreement|contract)")),
]
# A deficit that changed (read8): the word, a deficit said to have grown or to be new, a finding "now" worse
# than before ("reflex now diminished"), or "weakening since the last visit". Not "complains of increased weakness":
# a complaint of more of a symptom is a change in symptoms (the significant_change cue), not a deficit found
_PROGRESSIVE = re.compile(
    r"\b(?:progressive|progressing|progressively|weakening|deteriorat\w*"
    # r12other: the side or limb may stand between the change and the deficit ("new R foot drop", "worsening left leg
    # weakness", "new-onset rt hand numbness")
    r"|(?:worsening|worsened|worse|new|new-onset|new\s+onset(?:\s+of)?)\s+(?:(?:r|l|rt|lt|right|left|bilateral|bilat)\.?\s+)?"
    r"(?:(?:leg|arm|hand|foot|feet|toe|finger|thigh|calf|ankle|grip|lower\s+extremity|upper\s+extremity)\s+)?(?:weakness|numbness|deficits?|tingling"
    r"|foot\s+drop|paresthesias?)"
    r"|(?:weakness|numbness|deficits?)\s+(?:is\s+|has\s+|have\s+)?(?:worsening|worsened|progressing|progressed|spreading)"
    r"|now\s+(?:diminished|absent|decreased|reduced|weaker|trace)"
    r")\b", re.I)
# a steady deficit: "unchanged", "stable", "no progression", "non-progressive"
_STEADY_DEFICIT = re.compile(r"\b(?:unchanged|stable|non-?progressive|no\s+(?:change|progression)|not\s+(?:progress\w*|worse\w*|changed))\b", re.I)
# a strength grade beside a stronger earlier one: "4/5 (5/5 in May)", "4/5, was 5-/5 last visit"
_GRADE_THEN = re.compile(r"(?<![\d/])([0-5])([+-]?)/5(?:\s+(?:bilaterally|bilat|bilateral|right|left|r|l|rt|lt))?\W{1,3}(?:was\s+|vs\.?\s+|from\s+)?([0-5])([+-]?)/5\s+(?:in|on|at|last|previously|prior|before|pre)\b", re.I)


_DENIED_BEFORE = re.compile(r"\b(?:no|not|without|denies|deny|nor)\s+(?:\w+\s+)?$", re.I)


def _progressive_in(stext: str) -> bool:
    """A change named and not denied: "no new weakness" is not one."""
    return any(not _DENIED_BEFORE.search(stext[max(0, m.start() - 20) : m.start()]) for m in _PROGRESSIVE.finditer(stext))


def _steady_in(window: str) -> bool:
    """A deficit said to be steady, not "not unchanged", and no worsening beside it."""
    return not re.search(r"\bworse\w*", window, re.I) and any(
        not _DENIED_BEFORE.search(window[max(0, m.start() - 20) : m.start()]) for m in _STEADY_DEFICIT.finditer(window))


def _grade_fell(text: str) -> bool:
    m = _GRADE_THEN.search(text)
    if not m:
        return False
    def val(d: str, s: str) -> float:  # noqa: E306 - a grade's value: 5- is a little below 5
        return int(d) + (0.3 if s == "+" else -0.3 if s == "-" else 0)
    return val(m.group(3), m.group(4)) > val(m.group(1), m.group(2))
# treatments given in visits / sessions (a count in a later sentence refers to one of these)
_VISIT_KINDS = {
    "physical therapy", "chiropractic", "acupuncture", "massage", "aquatic therapy", "psychotherapy",
    "cognitive behavioral therapy", "biofeedback", "work conditioning", "functional restoration program",
}  # fmt: skip
# PR-2 shorthand for a course's poor outcome after a dash or colon (goldread): "PT x 10, naproxen - partial", "chiro: minimal
# help", "HEP - no change"
_TERSE_NO_RELIEF = re.compile(
    r"^[^.;]*?(?:\s[-\u2013]|:)\s*(?:only\s+)?(?:(?:partial|minimal|temporary|transient|min)\b\s*(?:relief|benefit|help|improvement|effect)?"
    r"|(?:no|little)\s+(?:relief|benefit|help|improvement|effect|change)"
    # read9: "NSAIDs - persisting", "activity modification - persistent sx", "splint: still symptomatic"
    r"|(?:persistent|persisting|persists|still\s+symptomatic|no\s+better)(?:\s+(?:sx|symptoms?|pain))?)\s*(?:[.;,)]|$)", re.I)

_CONSERVATIVE = {
    "physical therapy", "chiropractic", "acupuncture", "massage", "aquatic therapy", "home exercise program",
    "medications", "nsaids", "tens", "bracing",
}  # fmt: skip
_NO_RELIEF = re.compile(
    r"^[^.;]*?\b(?:without|with\s+no|no)\s+(?:significant\s+|lasting\s+|adequate\s+|sustained\s+|meaningful\s+)?(?:objective\s+)?(?:functional\s+)?(?:relief|improvement|benefit|gains?)"
    r"|^[^.;]*?\b(?:did\s+not|didn't|failed\s+to)\s+(?:help|improve|provide\s+relief)",
    re.I,
)


def _add_finding(ctx: _Ctx, out: dict, name: str, present: bool, ent: Any, stext: str, rs: int, re_: int) -> None:
    key = (ctx.document.id, name, present)
    f = out.get(key)
    if f is None:
        out[key] = Finding(
            name=name,
            present=present,
            text=ent.text if len(ent.text) < 200 else ent.text[:200],
            laterality=_laterality(stext, rs, re_),
            level=_level(stext, rs, re_),
            body_region=_region_near(stext, rs, re_, ctx.regions) or (_limb_near(stext, rs, re_) if name in _NEURO_DEFICITS else None),
            evidence=[ctx.ev_span(ent)],
            document_date=ctx.date,
        )
    else:
        f.evidence.append(ctx.ev_span(ent))


def _limb_near(stext: str, rs: int, re_: int) -> str | None:
    """The limb a neurologic sign is placed in when no joint or spine word is near ("tingling in the toes")."""
    best = None
    for m in LIMB_WORD_RX.finditer(stext):
        d = min(abs(m.start() - re_), abs(rs - m.end()))
        if d <= 40 and (best is None or d < best[0]):
            best = (d, limb_word_region(m))
    return best[1] if best else None


# "back" as an adverb, not the body part: "go back to overhead work", "came back", "pain is back" (issue #11, prior)
_ADVERB_BACK_AFTER = re.compile(r"\s+(?:to|at|in|into|from|on|down|up|off|again)\b", re.I)
_ADVERB_BACK_BEFORE = re.compile(r"\b(?:go|goes|going|went|gone|come|comes|came|coming|get|gets|got|getting|bring|brought|cut|is|was|were)\s+$", re.I)


def _region_near(stext: str, rs: int, re_: int, memo: dict[str, list[tuple[int, int, str]]] | None = None) -> str | None:
    best = None
    for start, end, region in _regions_in(stext, memo):
        d = min(abs(start - re_), abs(rs - end))
        if d <= 50 and (best is None or d < best[0]):
            best = (d, region)
    return best[1] if best else None


def _regions_in(stext: str, memo: dict[str, list[tuple[int, int, str]]] | None) -> list[tuple[int, int, str]]:
    """(start, end, region) of the body regions the sentence names ("back" as an adverb is none); speed: read once
    per sentence of a block (`memo`, _Ctx.regions), not once per entity in it."""
    got = memo.get(stext) if memo is not None else None
    if got is None:
        got = []
        for m in X.REGION_RX.finditer(stext):
            if m.group(1).lower() == "back" and (_ADVERB_BACK_AFTER.match(stext, m.end())
                                                 or _ADVERB_BACK_BEFORE.search(stext[max(0, m.start() - 12): m.start()])):
                continue
            got.append((m.start(), m.end(), X.norm_region(m.group(1))))
        if memo is not None:
            memo[stext] = got
    return got


# --- treatments and plans -------------------------------------------------------------------------

# r13other: words that make a count after "continue <care>" one of visits already given
_COUNT_OF_DONE = re.compile(r"\b(?:had|has had|completed|attended|done|finished|so far|to date|of \d+)\b", re.I)
_SESSIONS_RX = re.compile(
    r"\b(?P<f2>\d)\s*(?:x|times)\s+(?:a|per)\s+week\s+(?:for|x)\s+(?P<w2>\d{1,2})\s+weeks\b"
    r"|(?<![-/.\w])(?P<n>" + X.NUM + r")\s+(?:(?!(?:weeks?|months?|days?|years?|hours?|minutes?|times|mg|percent)\b)[a-z][a-z-]*\s+){0,4}?"
    r"(?P<unit>sessions?|visits?|treatments?|injections?|blocks?)\b(?!\s+(?:per|a)\s+week)"
    r"|\b(?:x|times)\s*(?P<n2>\d{1,2})\b(?!\s*(?:mg|%|/|days?|weeks?|months?))"
    r"|\b(?P<f>\d)\s*x\s*(?P<w>\d)\b"
    # the count after a colon: "Total chiro visits since 2011: 36", "PT visits to date: 18"
    r"|\b(?:sessions|visits|treatments)(?:\s+[\w/-]+){0,3}?\s*:\s*(?P<n3>\d{1,3})\b(?!\s*(?:[/%.:-]\s*\d|mg|min|%))",
    re.I,
)
def _dist(m: re.Match[str], s: int, e: int) -> int:
    """Characters between a match and a span (0 when the span is inside the match)."""
    if m.start() <= s and e <= m.end():
        return 0
    return min(abs(m.start() - e), abs(s - m.end()))


_RELIEF_RX = re.compile(r"\b(\d{1,3})\s*(?:%|percent)\s+(?:\w+\s+){0,2}?(?:relief|improvement|reduction|decrease|better|benefit|less\s+pain)"
                        # issue 11 (prior): a fraction in words, "about half relief", "half the pain" (50)
                        r"|\b(?P<half>half)\s+(?:(?:of\s+)?(?:his|her|the|their)\s+)?(?:relief|(?:leg\s+|back\s+|neck\s+)?pain\s+relief|the\s+pain|better)", re.I)
_MED_WORDS = (r"(?:medications?|meds|opioids?|analgesics?|pills?|narcotics?|norco|vicodin|percocet|oxycodone|hydrocodone|"
              r"tramadol|ultram|ibuprofen|motrin|naproxen|nsaids?|tylenol|naprosyn|anaprox|aleve|advil|mobic|meloxicam|celebrex|"
              r"diclofenac|voltaren)")
_MED_REDUCED = re.compile(
    r"\b(?:decreas|reduc|lower|cut\s+back|cut\s+down|less)\w*\s+(?:\w+\s+){0,4}?(?:medications?|opioids?|analgesics?|pills?|norco|narcotics?|intake|use)"
    # issue 11 (prior): any analgesic named, "cut back her ibuprofen", "able to stop ibuprofen"
    r"|\b(?:decreas|reduc|lower|cut\s+back|cut\s+down)\w*\s+(?:(?:his|her|their|the)\s+)?" + _MED_WORDS + r"\b"
    r"|\b(?:able\s+to|and|could)\s+stop\s+(?:(?:his|her|the)\s+)?" + _MED_WORDS + r"\b"
    # "cut her Norco to one a day", "cut his ibuprofen in half" (goldread)
    r"|\bcut\s+(?:(?:his|her|their|the)\s+)?(?:daily\s+)?" + _MED_WORDS + r"\b"
    # "Norco down to 1-2/day", "ibuprofen use down from 800 tid to prn", "opioids tapered to 2 a day"
    # (gf4read: also "Norco use has decreased from four tablets daily to two", "stopped taking Naprosyn")
    r"|\b" + _MED_WORDS + r"\s*(?:use|intake)?\s*[-:]?\s*(?:has\s+|had\s+|was\s+)?(?:been\s+)?(?:down|decreased|reduced|tapered|cut)\s+"
    r"(?:from\s+[^.;]{1,25}?\s+)?to\b"
    r"|\b(?:stopped|discontinued|came\s+off|weaned\s+off|no\s+longer\s+(?:needs|needed|taking|takes))\s+(?:taking\s+|using\s+)?"
    r"(?:(?:his|her|the)\s+)?" + _MED_WORDS,
    re.I)
# r9other: a drug's daily use given before and after, the second lower ("Norco use went from 4 tabs/day to 2 tabs/day",
# "ibuprofen dropped from 3 a day to 1"): the numbers are compared, so a rise is never read as a reduction
_MED_FROM_TO = re.compile(r"\b" + _MED_WORDS + r"\s*(?:use|intake)?\s+(?:went|dropped|fell|decreased|changed|came)\s+(?:down\s+)?from\s+"
                          r"(?P<a>\d{1,2}(?:\.\d)?)\s*(?:[a-z]+(?:\s*/\s*(?:day|d))?\s+){0,2}to\s+(?P<b>\d{1,2}(?:\.\d)?)\b", re.I)


def _med_reduced(text: str) -> bool:
    if _MED_REDUCED.search(text):
        return True
    return any(float(m.group("b")) < float(m.group("a")) for m in _MED_FROM_TO.finditer(text))


# A therapist's re-evaluation or progress note whose heading names the course reports its outcome anywhere in
# the note ("CHIROPRACTIC RE-EVALUATION after 6 visits ... Returned to modified duty"), not only next to the word.
_REEVAL_HEADING = re.compile(r"[\s/:-]{0,3}(?:(?:therapy|treatment|session)\s+)?(?:re-?eval|re-?assess|re-?exam|progress\s+(?:note|report)|discharge|visit\s+\d+\s*(?:/|of)\s*\d+|"
                             r"after\s+\d+\s+(?:visits|sessions|treatments|tx))", re.I)
# ... or a heading that reports on a course it names anywhere: "Psychology progress report (CBT for chronic pain),
# sessions 1-4", "Acupuncture progress summary - 6 of 6 tx completed" (not a treating physician's report, which
# names many courses in passing)
_REPORT_HEADING = re.compile(
    r"^(?!.*\b(?:physician|PR-?2|treating|PTP)\b).*(?:\bprogress\s+(?:note|report|summary)|\bdischarge\s+summary|\bre-?eval\w*|\bre-?exam\w*|"
    r"\bsessions?\s+\d{1,2}\s*-\s*\d{1,2}\b|\b\d{1,2}\s+of\s+\d{1,2}\s+(?:tx|treatments|visits|sessions)\b)", re.I)
_NO_PLAN_KINDS = {"medications"}
_PROGRAM_KINDS = {"functional restoration program", "work conditioning", "psychotherapy", "cognitive behavioral therapy",
                  "biofeedback"}
_EVALUATION_AFTER = re.compile(r"\s*(?:program\s+)?(?:multi-?disciplinary\s+|initial\s+)?(?:evaluation|eval|assessment|consult(?:ation)?|"
                               r"screening|intake)\b", re.I)
# (issue #11, inj9: the specialty may carry its qualifier, "Reviewer: Board certified Orthopedic Surgery")
_SPECIALTY_BEFORE = re.compile(r"\b(?:reviewer|specialty|reviewed\s+by|board[- ]certified(?:\s+in)?|licensed\s+in)\s*[:,-]?\s*"
                               r"(?:(?:orthopa?edic|spine|spinal|hand|general|plastic|neurological|sports|physical|occupational)\s+)?$", re.I)
_GRADE_BELOW_FULL = re.compile(r"(?<![\d/.])[0-4][+-]?/5\b")
_SLR_EXERCISE_BEFORE = re.compile(r"(?:\bsets|\bdoes|\bdoing|\bdo|\bcontinues?|\bperform\w*|\bhome)\s*(?:and|/|,|&)?\s*$", re.I)
_SLR_EXERCISE_AFTER = re.compile(r"\s*(?:at\s+home|exercises?\b|reps?\b|x\s*\d|\d+\s*x\b|\d+\s+times|daily\b|twice\b)", re.I)
_NOT_DERMATOMAL = re.compile(r"\b(?:stocking|glove|non-?dermatomal|(?:median|ulnar|radial|peroneal|sural|lateral\s+femoral\s+cutaneous)"
                             r"\s+(?:nerve\s+)?(?:distribution|territory))\b", re.I)
_SURGEON_BEFORE = re.compile(r"\b(?:orthopa?edic|hand|spine|spinal|general|plastic|foot\s+and\s+ankle|upper\s+extremity)\s+$", re.I)
_SURGEON_VISIT_AFTER = re.compile(r"\s*(?:re-?evaluation|re-?eval|f/u|follow-?up|clinic|office|visit|consult(?:ation)?|evaluation|"
                                  r"referral|note|department|service|re-?check)\b", re.I)
# r12other: a visit booked after a care names that care as still to come ("RTC after injection", "f/u 2 weeks post
# procedure", "recheck following the block", "see her back after surgery"); not when the sentence goes on with its
# result or a date ("F/u after ESI 3/2016: 60% relief"), which reports a follow-up already held
_FOLLOWUP_AFTER_TX = re.compile(
    r"(?:^|\b)(?:RTC|f/u|fu|follow[- ]?up|return\s+(?:to\s+(?:clinic|office)|visit|for\s+(?:follow[- ]?up|re-?eval\w*|re-?check))|"
    r"re-?check|re-?eval(?:uate|uation)?|re-?assess(?:ment)?|see\s+(?:him|her|them|patient|pt)\s+back|come\s+back)\b"
    r"(?:\s+(?:in\s+)?(?:\d{1,2}|one|two|three|four|six)\s*(?:-\s*\d{1,2}\s*)?(?:d|days?|wks?|weeks?|mos?|months?))?"
    r"\s+(?:after|following|post)(?:[- ](?:the|his|her|this|each))?\s*$", re.I)
_OUTCOME_AFTER_FOLLOWUP = re.compile(r"\d\s*%|\b(?:relief|benefit|improv\w*|helped|worse|showed|reported|noted)\b|\d{1,2}/\d{2,4}",
                                     re.I)
_ALSO_TREATED = re.compile(r"[^.;\n]{0,30}?\b(?:and|&|/)\s*(?:treat\w*|tx|management)\b", re.I)


def _masked_ents(stext: str, sbase: int, ents: list[Any]) -> str:
    """The sentence with every treatment mention in it blanked: the care a sentence names ("RFA" the ablation) is
    not the paperwork it may also abbreviate (the Request for Authorization)."""
    for o in ents:
        a, b = o.start_char - sbase, o.end_char - sbase
        stext = stext[:a] + " " * (b - a) + stext[b:]
    return stext


def _treatments(ctx: _Ctx, out: dict, plans: dict) -> None:
    ents = [e for e in ctx.ents if e.label_.startswith("TX:")]
    by_sent: dict[int, list[Any]] = {}
    for e in ents:
        by_sent.setdefault(_sent_of(e).start, []).append(e)
    last_by_sent: list[Any] = []
    used_counts: set[int] = set()
    for ent in ents:
        kind = ent.label_[3:]
        stext, sbase = _sent_text(ent)
        rs, re_ = ent.start_char - sbase, ent.end_char - sbase
        same_sent = by_sent[_sent_of(ent).start]
        if kind == "medications" and len(same_sent) < 2:
            continue
        counted = kind in _VISIT_KINDS or kind.endswith("injection") or kind in ("injection", "botox", "medial branch block", "radiofrequency ablation")
        if ent._.is_negated:
            continue
        if _SPECIALTY_BEFORE.search(stext[max(0, rs - 40): rs]):
            continue  # "Reviewer: Chiropractor": a profession, not care given
        if kind == "surgery" and _SURGEON_BEFORE.search(stext[max(0, rs - 20): rs]) and _SURGEON_VISIT_AFTER.match(stext, re_):
            continue  # read10: the specialty seen, not an operation done ("Orthopedic surgery re-evaluation", "Hand surgery f/u")
        if _EVALUATION_AFTER.match(stext, re_) and (kind in _PROGRAM_KINDS or not _ALSO_TREATED.match(stext, re_)):
            # "functional restoration program multidisciplinary evaluation", "initial chiropractic evaluation": the
            # evaluation for a course is not the course ("PT evaluation and treatment x 12" is)
            continue
        # status from the clause before the mention
        clause_start = max([0] + [m.end() for m in re.finditer(r"[;:]|\.\s", stext[:rs])])
        clause = stext[clause_start:rs]
        # don't let a cue that belongs to another treatment earlier in the list leak... keep simple: clause
        section = _inline_section(ent) or _section(ent, ctx)
        after = re.split(r"[;,]", stext[re_:])[0]
        continuing = False
        if re.search(r"\bcontinu(?:e|es|ed|ing)\s+(?:with\s+)?(?:(?:her|his|the|current|home)\s+)?$", clause, re.I) and not _is_hypothetical(ent):
            status = "ongoing"  # "Continue physical therapy exercises": a course already under way
            continuing = True
        elif _FOLLOWUP_AFTER_TX.search(clause) and not _OUTCOME_AFTER_FOLLOWUP.search(stext[re_:]):
            status = "planned"  # r12other: "RTC after injection", "f/u 2 wks post procedure": the visit after a care to come
        elif (
            _is_hypothetical(ent)
            # (the mention itself is not the request form: "RFA R C4-C6" is an ablation, not a Request for Authorization)
            # r12other: nor is another care's name in the sentence ("..., ESI x2, facet RFA 2014 (3 months benefit)")
            or (_DISPUTED_REQUEST.search(_masked_ents(stext, sbase, same_sent)) and not _DONE_CUE.search(clause))
            or _PLAN_CUE.search(clause)
            or _PLAN_AFTER.match(after)
            or (section in ("plan", "request") and not _DONE_CUE.search(clause))
        ):
            status = "planned"
        elif re.search(r"(?:\bpost-?|\bs/p)\s*$", clause, re.I):
            status = "completed"
        elif _ONGOING_CUE.search(clause) and not _DONE_CUE.search(clause) and not re.search(r"treatment\s+for", clause, re.I):
            status = "ongoing"
        elif _ONGOING_AFTER.match(stext, re_):
            status = "ongoing"  # read9: "PT x 6 (still attending)", "CBT - ongoing": the course is under way
        else:
            status = "completed"
        if _DONE_CUE.search(clause) and re.search(r"\b(?:completed|had|underwent|received|attended|status\s+post|s/p|to\s+date)\b", clause, re.I):
            status = "completed"
        # sessions: the nearest count in the sentence
        sessions = None
        best = None
        for m in _SESSIONS_RX.finditer(stext if counted else ""):
            gpos = sbase + m.start()
            if gpos in used_counts:
                continue
            d = 0 if m.start() <= rs and re_ <= m.end() else min(abs(m.start() - re_), abs(rs - m.end()))
            # the count must be closer to this treatment than to any other in the sentence
            closer_other = any(
                o is not ent and o.label_ != "TX:medications" and _dist(m, o.start_char - sbase, o.end_char - sbase) < d
                for o in same_sent
            )
            if closer_other or d > 60:
                continue
            if best is None or d < best[0]:
                best = (d, m)
        if best is not None:
            m = best[1]
            if m.group("f2"):
                sessions = int(m.group("f2")) * int(m.group("w2"))
            elif m.group("n"):
                sessions = X.to_int(m.group("n"))
            elif m.group("n2"):
                sessions = int(m.group("n2"))
            elif m.group("f"):
                sessions = int(m.group("f")) * int(m.group("w"))
            elif m.group("n3"):
                sessions = int(m.group("n3"))
            used_counts.add(sbase + m.start())
            # r13other: "continue CBT x 6", "continue PT 2x/wk x 3 wks", "continue acupuncture for 6 more": the count
            # after a course to continue is the further visits asked for, not visits given ("continue PT, has had 8
            # of 12" still counts what was done)
            if continuing and m.start() >= re_ and not _COUNT_OF_DONE.search(stext[re_:m.end() + 12]):
                sessions = None
        levels = sorted({X.norm_level(m) for m in X.LEVEL_RX.finditer(stext) if abs(m.start() - re_) < 60 or abs(rs - m.end()) < 30})
        dates: list[str] = []
        for m in X.DATE_RX.finditer(stext if status != "planned" else ""):
            if min(abs(m.start() - re_), abs(rs - m.end())) <= 40 and not re.search(r"since\s+(?:at\s+least\s+)?$", stext[: m.start()], re.I):
                others_between = [
                    o for o in same_sent if o is not ent and min(o.start_char, o.end_char) - sbase > min(re_, m.start()) and o.end_char - sbase < max(rs, m.end())
                ]
                iso = X.date_from_match(m)
                labelled_injury = re.search(r"(?:\bDOI|date\s+of\s+injury|injur(?:y|ed)(?:\s+on)?)\W{0,3}$", stext[max(0, m.start() - 25) : m.start()], re.I)
                if iso and not others_between and not labelled_injury:
                    dates.append(iso)
        if status != "planned" and not dates:
            # a course dated by its year alone, written right after it ("Last PT 2014 (12 visits)", "PT in 2012"):
            # kept as the ISO year ("2014"), which readers of exact days pass over (issue #11, inj9)
            y = _COURSE_YEAR.match(stext, re_)
            if y and not X.DATE_RX.match(stext, y.start("y")):
                dates.append(y.group("y"))
        scope = None
        heading = _doc_text(ctx.sdoc)[:200].split("\n", 1)[0] if ctx.offset == 0 else ""
        # the heading is about the course: its kind right before "re-evaluation", "progress note", "visit 12/12"
        if ent.end_char <= len(heading) and (_REEVAL_HEADING.match(heading, ent.end_char) or _REPORT_HEADING.search(heading)):
            scope = _doc_text(ctx.sdoc)[_sent_of(ent).end_char: _sent_of(ent).end_char + 2500]
        response = _response(stext, rs, re_, ent, scope)
        if (scope is None and status == "completed" and kind in _VISIT_KINDS and _COURSE_DONE.search(stext)
                and (response is None or (response.function_improved is None and response.percent_relief is None))):
            after_course = _outcome_after_course(ent)
            if after_course is not None:
                response = (response or TreatmentResponse()).model_copy(update={"function_improved": after_course})
        evidence = [ctx.ev_span(ent)]
        key: tuple = (ctx.document.id, kind, status)
        if kind == "injection" and _HYALURONIC_NEAR.search(stext, max(0, rs - 30), re_):
            # r12other: a hyaluronic acid injection is another course than a steroid one in the same note ("Kenalog
            # 40 mg 3/2015 ... hyaluronic acid injection 10/2014"): merged, the first one's product named both
            key = (*key, "hyaluronic")
        t = out.get(key)
        if t is not None and sessions is not None and t.sessions is not None and t.sessions != sessions:
            key = (ctx.document.id, kind, status, sessions)  # another course ("12 more" after "24 done")
            t = out.get(key)
        if t is None:
            out[key] = Treatment(
                kind=kind,
                detail=ent.text if ent.text.lower() != kind else None,
                sessions=sessions,
                dates=dates,
                levels=levels,
                body_region=_region_near(stext, rs, re_, ctx.regions),
                response=response,
                status=status,  # type: ignore[arg-type]
                evidence=evidence,
                document_date=ctx.date,
            )
        else:
            if t.sessions is None:
                t.sessions = sessions
            t.dates = sorted(set(t.dates) | set(dates))
            t.levels = sorted(set(t.levels) | set(levels))
            t.response = t.response or response
            t.evidence.extend(evidence)
        if status == "planned" and kind not in _NO_PLAN_KINDS:
            pkey = (ctx.document.id, kind)
            if pkey not in plans:
                plans[pkey] = Statement(kind=kind, text=_clip(stext), evidence=evidence, document_date=ctx.date)
        last_by_sent.append((ent, key))
    # a count in the sentence after the treatment ("She had physical therapy. She completed 12 sessions.")
    if not last_by_sent:
        return
    sents = [sent for sent, _, _ in _sentences(ctx.sdoc)]
    texts = [text for _, text, _ in _sentences(ctx.sdoc)]  # speed: Span.text joins its tokens again
    for i, sent in enumerate(sents[1:], start=1):
        if sent.start in by_sent:
            continue
        m = _SESSIONS_RX.search(texts[i])
        if not m or not m.group("n") or not re.search(r"\b(?:sessions?|visits?|treatments?)\b", m.group(0), re.I):
            continue
        prev = [(e, k) for e, k in last_by_sent if _sent_of(e).start < sent.start and e.label_[3:] in _VISIT_KINDS]
        n = X.to_int(m.group("n"))
        if not prev or n is None:
            continue
        e, k = prev[-1]
        t = out.get(k)
        ev_count = ctx.ev_chars(sent.start_char + m.start(), sent.start_char + m.end())
        if re.search(r"\bmodif\w*\s+to\b|\b(?:certif|approv|authoriz|allow)\w*", texts[i][: m.start()], re.I):
            continue  # the reviewer's count, not a treatment given or requested
        if _PLAN_CUE.search(texts[i][: m.end()]):
            # "Recommend 3 more visits": a planned course of the treatment last named
            pkey = (ctx.document.id, e.label_[3:], "planned", n)
            if pkey not in out:
                out[pkey] = Treatment(kind=e.label_[3:], sessions=n, status="planned", evidence=[ev_count], document_date=ctx.date)
        elif t is not None and t.sessions is None and _sent_of(e).start == sents[i - 1].start:
            t.sessions = n
            t.evidence.append(ev_count)


# A therapist's own note (goldread): its document type names the course ("chiropractic_note", "physical_therapy",
# "acupuncture_note"), and it counts the visits given ("Visits completed: 8", "Visits attended: 12 of 12", "after
# visit 8"); the rest of the note reports the course's outcome ("Oswestry 52% -> 34%", "returned to full duty").
_COURSE_DOC_KINDS = (
    (re.compile(r"chiro", re.I), "chiropractic"),
    (re.compile(r"physical[_ -]?therap|physiotherap|occupational[_ -]?therap|^(?:pt|ot)(?:[_ -]|$)", re.I), "physical therapy"),
    (re.compile(r"acupunct", re.I), "acupuncture"),
    (re.compile(r"massage", re.I), "massage"),
    (re.compile(r"aquatic", re.I), "aquatic therapy"),
    (re.compile(r"psycholog|psychotherap|behavio|^psych(?:[_ -]|$)", re.I), "psychotherapy"),
)
# a psychologist's report speaks of whichever talk therapy the note names (issue 11, prior)
_PSYCH_KINDS = ("cognitive behavioral therapy", "biofeedback", "psychotherapy")
_VISITS_DONE = re.compile(
    r"\b(?:visits?|sessions?|treatments?)\s+(?:completed|attended|to\s+date|done)(?:\s+to\s+date)?\s*:?\s*(\d{1,2})\b"
    r"|\bafter\s+(?:visit|session|treatment)\s+(?:#\s*)?(\d{1,2})\b"
    r"|\b(\d{1,2})\s+(?:of\s+\d{1,2}\s+)?(?:visits?|sessions?|treatments?)\s+(?:completed|attended)\b"
    # a re-evaluation's header (issue #11, rehab): "RE-EVAL 3/2/16 (visit 10)", "progress note, visit #8 of 12"
    r"|(?:\(|,)\s*(?:visit|session)\s+#?\s*(\d{1,2})(?:\s+of\s+\d{1,2})?\s*(?:\)|:|\.|,|$)"
    # gf3read: "(visit 6 of 6 authorized)", a heading's "PROGRESS NOTE - Visit #24"
    r"|\((?:visit|session)\s+#?\s*(\d{1,2})\s+of\s+\d{1,2}\s+(?:authorized|approved|certified|scheduled|planned)\)"
    r"|(?:NOTE|REPORT|EVALUATION|EVAL)\s+[-:]\s*(?:visit|session)\s+#\s*(\d{1,2})\b"
    # the course named between the count and the word (issue #11, other9): "has completed 4 of 4 authorized CBT
    # sessions", "4 CBT sessions completed"
    r"|\bcompleted\s+(\d{1,2})\s+(?:of\s+\d{1,2}\s+)?(?:[a-z-]+\s+){0,2}?(?:visits?|sessions?|treatments?)\b"
    r"|\b(\d{1,2})\s+(?:of\s+\d{1,2}\s+)?(?:CBT|psychotherapy|therapy|PT|chiro\w*|acupuncture)\s+(?:visits?|sessions?|treatments?)\s+"
    r"(?:completed|attended)\b", re.I | re.M)

# gf3read: the visits given listed by their dates ("Visits to date: 9/15, 9/17, 9/22"): the count is the dates'
_DATE_ITEM = re.compile(r"\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b")
_VISIT_DATES = re.compile(r"\b(?:visits?|sessions?|treatments?)\s+(?:to\s+date|completed|attended|given|dates?)\s*:\s*"
                          r"(?P<dates>\d{1,2}/\d{1,2}(?:/\d{2,4})?(?:\s*[,;]\s*(?:and\s+)?\d{1,2}/\d{1,2}(?:/\d{2,4})?)+)", re.I)


_FN_UNCHANGED = re.compile(r"\bfunction(?:al\s+(?:status|level))?\s+(?:is\s+|remains?\s+)?(?:unchanged|not\s+improved|no\s+better)\b"
                           r"|\bno\s+(?:significant\s+)?change\s+in\s+function"
                           # issue 11 (prior): "no change in walking tolerance / ADL tolerance / Norco use", "medication
                           # use is unchanged"
                           r"|\bno\s+(?:significant\s+)?change\s+in\s+(?:(?:his|her|the)\s+)?(?:\w+\s+)?(?:tolerance|adls?|activit\w*|use|"
                           r"(?:work\s+)?status|walking|sitting|standing|function\w*)\b"
                           r"|\b(?:medication|analgesic|opioid|narcotic)\s+use\s+(?:is\s+|was\s+|remains?\s+)?(?:unchanged|the\s+same)\b"
                           # read9: the unchanged state written as clinicians put it after a course: "could not identify any
                           # change in her sitting tolerance", "Norco use remained 4/day", "still takes naproxen at the same
                           # dose", "stayed off work", "remains on TTD", "still on restricted duty", "ODI unchanged at 36%"
                           r"|\b(?:unable\s+to|could\s*(?:not|n't)|did\s*(?:not|n't)|cannot)\s+(?:identify|report|describe|name|notice|see)\s+any\s+"
                           r"(?:\w+\s+)?change\s+in\b"
                           r"|\b[a-z]+\s+(?:use|intake)\s+(?:remained|stayed|was\s+unchanged)\b"
                           r"|\b(?:at|on)\s+the\s+same\s+dose\b"
                           r"|\b(?:stayed|remained|remains|still)\s+(?:off\s+work|on\s+(?:ttd|temporary\s+total|restricted|modified|light)\b)"
                           r"|\b(?:oswestry|odi|ndi|quick\s*dash|dash)\s+(?:score\s+)?(?:is\s+|was\s+)?(?:unchanged|the\s+same|no\s+better)\b", re.I)


def _course_note(ctx: _Ctx, out: dict) -> None:
    if ctx.offset != 0:
        return  # once per document: the count and the outcome are read over the whole note
    dtype = (ctx.document.type or "").lower()
    kind = next((k for rx, k in _COURSE_DOC_KINDS if rx.search(dtype)), None)
    if kind is None:
        return
    text = ctx.document.text
    m = _VISIT_DATES.search(text) or _VISITS_DONE.search(text)
    if m is None or _PLAN_CUE.search(text[max(0, m.start() - 40): m.start()]):
        return
    if m.re is _VISIT_DATES:  # the visits listed by their dates: one visit a date
        n = len(_DATE_ITEM.findall(m.group("dates")))
    else:
        n = int(next(g for g in m.groups() if g))
    if kind == "psychotherapy":
        kind = next((k for k in _PSYCH_KINDS if (ctx.document.id, k, "completed") in out), kind)
    rest = text[m.end():]
    improved = _function_improved(rest)
    if improved is not True and kind in _PSYCH_KINDS and _psych_scores_fell(rest):
        improved = True
    if improved is None and _FN_UNCHANGED.search(rest):
        improved = False
    response = TreatmentResponse(function_improved=improved, symptoms_improved=_symptoms_improved(rest),
                                 medication_reduced=True if _med_reduced(rest) else None)
    if all(v is None for v in response.model_dump().values()):
        response = None
    ev_count = ev(ctx.document.id, text, m.start(), m.end())
    key = (ctx.document.id, kind, "completed")
    t = out.get(key)
    if t is None:
        out[key] = Treatment(kind=kind, sessions=n, response=response, status="completed", evidence=[ev_count],
                             document_date=ctx.date)
    elif t.sessions is None:
        t.sessions = n
        t.response = t.response or response
        t.evidence.append(ev_count)
    elif t.response is None and response is not None:
        t.response = response  # the course named in the note's text, its outcome read over the whole note


def _response(stext: str, rs: int, re_: int, ent: Any, scope: str | None = None) -> TreatmentResponse | None:
    """The course's outcome from the rest of its sentence and the next one (or `scope`: the rest of a
    re-evaluation note about the course)."""
    after = stext[rs:]
    own = _own_list_item(stext, rs, ent)
    if own is not None:
        after = own  # r12other: "PT, chiro, ESI x2, RFA 2014 (3 months benefit)": that benefit is the ablation's
    pm = _RELIEF_RX.search(after)
    nxt_text = other = ""
    third = ""
    pm_src = None
    try:
        sent_end = _sent_of(ent).end  # speed: ent.sent, the block's sentences read once
        nxt = ent.doc[sent_end].sent if sent_end < len(ent.doc) else None
        nxt_text = nxt.text if nxt is not None else ""
        if nxt is not None and nxt.end < len(ent.doc):
            third = ent.doc[nxt.end].sent.text  # "It lasted ten weeks. During that time she cut her Norco ..."
        # "Chiro x 6 2012. Meloxicam 7.5 qd - decreases pain ~2 pts": a next sentence that opens on another drug or
        # another kind of care speaks of that, not of this course
        # ("During that time he stopped ibuprofen" goes on about the course)
        if nxt is not None and not _CONTINUES.match(nxt_text) and any(o.start_char - nxt.start_char <= 20 and o.label_ != ent.label_
                                   and (o.label_.startswith("TX:") or o._.openimr_drug is not None) for o in _span_ents(nxt)):
            nxt_text, other = "", nxt_text  # only a drug taken down ("Norco down to 1-2/d") is read from it
    except (IndexError, ValueError):
        nxt_text = ""
    if scope is not None:
        nxt_text = scope
    if pm is not None and _other_tx_between(ent, pm.start() + (ent.start_char - _sent_of(ent).start_char) - rs):
        pm = None  # "RFA ... following two MBBs each with >80% relief": the percent is the nearer treatment's
    if pm is None:
        # "After TPIs pain down from 7/10 to 2-3/10 for ~8 wks": the relief a course gave, as a change in the score
        pm = _PAIN_DROP.search(after[:160])
    if pm is None:
        pm = _RELIEF_AFTER_RX.search(after[:160])  # "pain improved 30% with chiropractic", "reduced by 50%"
    if pm is None and nxt_text:
        pm = _RELIEF_RX.search(nxt_text) or _RELIEF_AFTER_RX.search(nxt_text)  # "It helped about 50% for six weeks."
        if pm is not None:
            pm_src = nxt_text  # the duration is read after the percent in the text it was found in
        after = after + " " + nxt_text
        if pm is not None and scope is None and _CONTINUES.match(third):
            after = after + " " + third  # what the relief allowed, told in the sentence after it (issue 11, prior)
    elif nxt_text and _CONTINUES.match(nxt_text):
        after = after + " " + nxt_text  # "During that time he stopped ibuprofen and worked full duty."
    elif nxt_text and pm is not None:
        # the sentence after the relief goes on about its effect ("No change in Norco use, no change in walking
        # tolerance"); read for function and medication only, never for another percent (issue 11, prior)
        after = after + " " + nxt_text
    reduced = bool(_med_reduced(after) or (pm is None and other and _med_reduced(other)))
    improved = _function_improved(after)
    if improved is not True and ent.label_[3:] in _PSYCH_KINDS and _psych_scores_fell(after):
        improved = True  # a falling depression or fear-avoidance score is the course's measured outcome (other9)
    if improved is None and (_FN_UNCHANGED.search(after) or (pm is not None and _FN_UNCHANGED.search(other))):
        improved = False  # issue 11 (prior): "no change in walking tolerance", "medication use is unchanged"
    if improved is None and pm_src is not None and scope is None and third and _FN_UNCHANGED.search(third) \
            and not _opens_on_other(ent, 2):
        # read9: relief told in the next sentence, and the one after it says what did not change ("After each she
        # reports 50% relief ... Her medication use is unchanged and she remains on TTD status")
        improved = False
    symptoms = _symptoms_improved(after)
    if pm is None and not reduced and improved is None and symptoms is None:
        return None
    weeks = None
    if pm is None and (reduced or improved or symptoms) and _LASTING_KINDS.search(ent.label_):
        # an injection's benefit stated without a percent, then how long it held: "after each he could go back to
        # overhead work and stop ibuprofen for about 8 weeks" (issue 11, prior)
        lm = _BENEFIT_LASTED.search(after[:220])
        if lm:
            weeks = _weeks(lm)
    if pm is not None:
        src = pm_src if pm_src is not None else after
        dm = X.DURATION_RX.search(src[pm.end() : pm.end() + 100])
        if dm:
            n = X.to_int(dm.group(1))
            unit = dm.group(2).lower()
            if n is not None:
                weeks = float(n) * (4.345 if unit.startswith("mo") else 1.0 if unit.startswith("w") else 1 / 7)
                # gf3read: months counted in whole weeks ("9 months" is 39 weeks, as a reader counts them)
                weeks = float(round(weeks)) if unit.startswith("mo") else round(weeks, 1)
        else:  # "for about a month", "lasting a couple of weeks" (goldread)
            am = _A_DURATION.search(src[pm.end() : pm.end() + 60])
            if am:
                n = 2 if am.group(1) else 1
                weeks = round(n * (4.345 if am.group(2).lower().startswith("mo") else 1.0), 1)
    return TreatmentResponse(
        percent_relief=_relief_percent(pm),
        duration_weeks=weeks,
        medication_reduced=True if reduced else None,
        function_improved=improved,
        symptoms_improved=symptoms,
    )


def _opens_on_other(ent: Any, k: int) -> bool:
    """Whether the k-th sentence after `ent`'s opens on another treatment (it then speaks of that). Drugs do not
    count: "Her medication use is unchanged", "Norco use remained 4/day" are what the course did not change."""
    try:
        sent = ent.sent
        for _ in range(k):
            if sent.end >= len(ent.doc):
                return True
            sent = ent.doc[sent.end].sent
    except (IndexError, ValueError):
        return True
    return any(o.start_char - sent.start_char <= 20 and o.label_ not in (ent.label_, "TX:medications")
               and o.label_.startswith("TX:") for o in sent.ents)


# read9: a course said to be done ("Completed 24 post-operative PT sessions.", "has completed 12 PT visits since
# surgery") whose own sentence says nothing of its outcome: the next sentences of the same paragraph, up to a new
# heading (plan, assessment) or another treatment, report it ("Quad strength 4/5 -> 4+/5", "Can now wash her hair")
_COURSE_DONE = re.compile(r"\b(?:completed|finished|attended|has\s+had|had)\s+(?:all\s+)?(?:\d{1,2}|[a-z]+)\s+(?:[\w-]+\s+){0,3}?"
                          r"(?:sessions?|visits?|treatments?)\b", re.I)
# r13other: a label that reports the course's outcome ("Current: BDI 19", "Now: walks 25 min", "Progress: ...") continues the
# paragraph; it is not a new heading
_NEW_HEADING = re.compile(r"^\s*(?:(?!(?:A|P)?ROM\s*:|(?:current(?:ly)?|now|today|progress|response|outcome|results?|since then|status|gains?)\s*:)[A-Z][A-Za-z /&]{0,20}:|(?:plan|assessment|impression|dx|tx\s+plan)\b|(?:a|p|a/p)\s*[:-])", re.I)


def _outcome_after_course(ent: Any, limit: int = 4) -> bool | None:
    """Function after a completed course, from the sentences that follow it in its paragraph (see _COURSE_DONE)."""
    texts: list[str] = []
    try:
        sent = ent.sent
        for _ in range(limit):
            if sent.end >= len(ent.doc):
                break
            nxt = ent.doc[sent.end].sent
            gap = ent.doc.text[sent.end_char: nxt.start_char]
            if "\n\n" in gap or _NEW_HEADING.match(nxt.text) or any(
                    o.label_ != ent.label_ and (o.label_.startswith("TX:") or o._.openimr_drug is not None) for o in nxt.ents):
                break
            texts.append(nxt.text)
            sent = nxt
    except (IndexError, ValueError):
        return None
    return _function_improved(" ".join(texts)) if texts else None


# a sentence that goes on about the same period: what the course's relief allowed
_CONTINUES = re.compile(r"\s*(?:during\s+(?:that|this|which)\s+(?:time|period)|since\s+then|in\s+that\s+time|with\s+(?:that|this)\s+relief|"
                        r"as\s+a\s+result|meanwhile)\b", re.I)
_PAIN_DROP = re.compile(r"\bpain\b[^.;\d]{0,25}?(?:from\s+)?(?P<a>\d{1,2})(?:/10)?\s*(?:->|-->|\u2192|to)\s*(?P<b>\d{1,2})(?:\s*-\s*(?P<c>\d{1,2}))?\s*/\s*10",
                        re.I)


_A_DURATION = re.compile(r"(?:\bfor|\bx|\blast(?:ing|ed|s)?)\s+(?:about\s+|approximately\s+|nearly\s+|almost\s+|roughly\s+)?"
                         r"(?:a|one)\s+(couple\s+(?:of\s+)?)?(weeks?|months?)\b", re.I)
# the percent written after the change (issue #11, goldread): "pain was improved 30%", "reduced her pain by about 50%"
_RELIEF_AFTER_RX = re.compile(r"\b(?:improv\w*|reduc\w*|decreas\w*|reliev\w*|better|help(?:ed|s)?)\s+(?:(?:his|her|the|their)\s+)?(?:pain\s+)?"
                              r"(?:by\s+)?(?:about\s+|approximately\s+|approx\.?\s+|~\s*)?(\d{1,3})\s*(?:%|percent)(?!\s*[a-z]*caine)", re.I)
# function a course improved, beside _FN_IMPROVED (issue #11, goldread): "improved her ability to lift", "she can
# now walk a mile", "allowing her to return to work"
_FN_IMPROVED_MORE = re.compile(
    r"\b(?:improv\w*|increas\w*|restor\w*)\s+(?:(?:his|her|their|the\s+(?:patient|worker|applicant)'?s?)\s+)?(?:ability|capacity)\s+to\b"
    r"|\b(?:can|could|is|was)\s+now\s+(?:able\s+to\s+)?(?:walk|sit|stand|drive|lift|work|carry|sleep|exercise|do|perform|reach|climb|wash|dress|"
    r"cook|garden|type|grip|bend|kneel|squat|play|shower|bathe)"
    r"|\b(?:allow\w*|enabl\w*|permitt\w*|let(?:s|ting)?)\s+(?:him|her|them)\s+to\s+(?:return\s+to\s+(?:full\s+|modified\s+|light\s+)?"
    r"(?:work|duty)|resume|walk|work|drive|lift|exercise|sleep|perform)"
    # gf3read: what the relief allowed, told in the past: "was able to resume golf", "she put the cane away"
    r"|(?<!un)\b(?:was|were|has\s+been|have\s+been)\s+able\s+to\s+(?:resume|return\s+to|go\s+back\s+to|get\s+back\s+to)\b"
    r"|\bput\s+(?:the|her|his|their)\s+(?:cane|crutch\w*|walker|brace|sling)\s+away\b",
    re.I)


# kinds whose relief is counted in weeks (a block, an injection, an ablation), not a course of visits
_LASTING_KINDS = re.compile(r"injection|block|ablation|botox", re.I)
_BENEFIT_LASTED = re.compile(r"(?:\bfor|\blast(?:ing|ed|s)?|\bheld)\s+(?:only\s+)?(?:about\s+|approximately\s+|roughly\s+|nearly\s+|~\s*)?"
                             r"(" + X.NUM + r")\s*(weeks?|wks?|months?|mos?|days?)\b", re.I)


def _weeks(m: re.Match[str]) -> float | None:
    n = X.to_int(m.group(1))
    if n is None:
        return None
    unit = m.group(2).lower()
    return round(float(n) * (4.345 if unit.startswith("mo") else 1.0 if unit.startswith("w") else 1 / 7), 1)


# a later item's own bracketed outcome: "RFA 2014 (3 months benefit)", "ESI x2 (50% relief)"; not brackets of
# dates or counts only ("2 injections (9/14, 1/15) - transient relief only" tells the outcome outside them)
_HYALURONIC_NEAR = re.compile(r"hyaluron|viscosupp|synvisc|orthovisc|supartz|euflexxa|hyalgan|gel-?one|monovisc|gelsyn|durolane",
                              re.I)
_ITEM_WITH_OWN_NOTE = re.compile(r"[^,;()]{0,25}\([^()]*?(?:\d\s*%|\b(?:relief|benefit\w*|help\w*|improv\w*|better|worse|no\s+change)\b)"
                                 r"[^()]*\)", re.I)


def _own_list_item(stext: str, rs: int, ent: Any) -> str | None:
    """The rest of a list of care up to the next item that carries its own bracketed note, when one follows `ent`
    after a comma or semicolon ("PT x30, chiropractic, facet RFA 2014 (3 months benefit)"): the outcome in those
    brackets belongs to that later item, not to every course before it. None when no such item follows."""
    sbase = _sent_of(ent).start_char
    for o in sorted(_span_ents(_sent_of(ent)), key=lambda x: x.start_char):
        if o is ent or o.start_char <= ent.end_char or not o.label_.startswith("TX:"):
            continue
        a = o.start_char - sbase
        if re.search(r"[,;]", stext[ent.end_char - sbase: a]) and _ITEM_WITH_OWN_NOTE.match(stext, o.end_char - sbase):
            return stext[rs:a]
    return None


def _other_tx_between(ent: Any, pos: int) -> bool:
    """Whether another treatment is named between `ent` and a point `pos` characters after its start in its
    sentence: a number there belongs to that nearer treatment."""
    lo, hi = ent.end_char, ent.start_char + pos
    return any(o is not ent and o.label_.startswith("TX:") and lo <= o.start_char < hi for o in ent.sent.ents)


def _relief_percent(pm: re.Match[str] | None) -> int | None:
    if pm is None:
        return None
    if "half" in pm.re.groupindex and pm.group("half"):
        return 50
    if "a" in pm.re.groupindex:  # a change in the pain score
        a, b = float(pm.group("a")), float(pm.group("b"))
        if pm.group("c"):
            b = (b + float(pm.group("c"))) / 2
        return int(round((a - b) / a * 100)) if 0 < a <= 10 and b < a else None
    return int(pm.group(1)) if int(pm.group(1)) <= 100 else None


_FN_IMPROVED = re.compile(
    r"\b(?:improved|increased|better)\s+(?:\w+\s+){0,2}?(?:function|activit|tolerance|walking|sleep|adls?|range\s+of\s+motion|rom\b|strength)"
    r"|\bfunctional\s+(?:improvement|gains?|benefit)|\bimprovements?\s+in\s+(?:\w+\s+){0,2}?(?:function|activit|adls?)"
    # back at work after the course, an activity taken up again: "returned to modified duty", "RTW mod duty",
    # "back at work (mod)", "driving again", "resumed walking"
    r"|\b(?:returned|back)\s+(?:to|at)\s+(?:full|modified|mod|regular|light)?\s*(?:duty|work)|\bRTW\s+(?:full|mod\w*|regular|light)"
    # issue 11 (prior): "was able to go back to walking at the mall", "go back to overhead work"
    r"|\b(?:(?:was|were|is|are|been|now)\s+able\s+to\s+go|went|got)\s+back\s+to\s+(?:(?:his|her|the|full|modified|light|regular|overhead|normal|usual)\s+){0,2}"
    r"(?:work\w*|duty|walking|running|exercis\w*|driving|golf\w*|gardening|(?:the\s+)?gym|activit\w*|hobbies|lifting)"
    r"|\b(?:driving|walking|working|running|exercising|golfing|gardening)\s+again\b"
    r"|\bresumed\s+(?:(?:part|full)[- ]time\s+|modified\s+|light\s+)?(?:driving|work\w*|walking|exercis\w*|(?:the\s+)?gym|(?:his|her|normal|usual)\s+activit\w*)"
    r"|\bwork(?:ed|ing|s)\s+full\s+duty",
    re.I,
)
# a disability score that fell: "Oswestry 44% -> 26%", "ODI from 48 to 28", "NDI 40 to 22"
_DISABILITY_FELL = re.compile(
    r"\b(?:oswestry|odi|ndi|neck\s+disability(?:\s+index)?|quick\s*dash|dash)\b[^.;\d]{0,20}?(?:from\s+)?(\d{1,3})\s*%?\s*"
    r"(?:->|-->|\u2192|to)\s*(\d{1,3})", re.I)
# a functional scale where a higher score is better function, measured again (issue #11, rehab): "LEFS 31 -> 47",
# "PSFS improved from 3 to 6", "UEFI 40 to 58"
_FUNCTION_SCORE_ROSE = re.compile(
    r"\b(?:lefs|lower\s+extremity\s+functional\s+scale|psfs|patient[- ]specific\s+functional\s+scale|uefi|uefs)\b"
    r"[^.;\d]{0,20}?(?:from\s+)?(\d{1,3}(?:\.\d)?)\s*(?:/\s*\d{1,3})?\s*(?:->|-->|\u2192|to)\s*(\d{1,3}(?:\.\d)?)", re.I)
# a depression, anxiety, fear-avoidance or catastrophizing score that fell after psychological care (issue #11, other9):
# "BDI-II 28 -> 19", "FABQ-PA 20 -> 12", "PHQ-9 from 18 to 9": the measured outcome of the course
_PSYCH_SCORE_FELL = re.compile(
    r"\b(?:BDI(?:-?II)?|PHQ-?9|GAD-?7|BAI|FABQ(?:-?(?:PA|W))?|fear[- ]avoidance\s+beliefs\s+questionnaire|PCS|"
    r"pain\s+catastrophi[sz]ing\s+scale)\b[^.;\d]{0,20}?(?:from\s+)?(\d{1,3})\s*(?:->|-->|\u2192|to)\s*(\d{1,3})", re.I)


# r9other: a joint's motion measured again and larger, as surgeons and therapists chart it after a course ("Knee
# flexion has improved from 70 to 98 degrees", "PROM: flexion 95 -> 140"): an objective gain the course produced (as
# "improved range of motion" already is); "from" or an arrow is required, so a measured arc ("flexion 20 to 30") is not
_MOTION_ROSE = re.compile(
    r"\b(?:flexion|flex|extension|abduction|adduction|external\s+rotation|internal\s+rotation|ER|IR|(?:a|p)?rom|"
    r"range\s+of\s+motion|supination|pronation|dorsiflexion|plantarflexion|elevation)\b[^.;\d]{0,25}?"
    r"(?:from\s+(?P<a>\d{1,3})\s*(?:deg\w*|\u00b0)?\s*to|(?P<a2>\d{1,3})\s*(?:deg\w*|\u00b0)?\s*(?:->|-->|\u2192))\s*(?P<b>\d{1,3})\b", re.I)


# r10other: the same measures written now first, then what they were: "LEFS 38/80 (from 19/80 at eval)", "QuickDASH 52
# (from 75)", "ROM 0-125 (was 0-95 at 4 wks)", "flex 120 (was 70 at 6 wks)"; a motion arc ("0-125") is read by its end
_THEN = r"\s*[(,;-]?\s*(?:was|from|up\s+from|down\s+from|previously|prev\.?|vs\.?|initial(?:ly)?|baseline|at\s+baseline)\s*:?\s*"
_DISABILITY_NOW_WAS = re.compile(
    r"\b(?:oswestry|odi|ndi|neck\s+disability(?:\s+index)?|quick\s*dash|dash)\b[^.;()\d]{0,20}?(\d{1,3})\s*%?" + _THEN
    + r"(\d{1,3})\b", re.I)
_FUNCTION_SCORE_NOW_WAS = re.compile(
    r"\b(?:lefs|lower\s+extremity\s+functional\s+scale|psfs|patient[- ]specific\s+functional\s+scale|uefi|uefs)\b"
    r"[^.;()\d]{0,20}?(\d{1,3}(?:\.\d)?)\s*(?:/\s*\d{1,3})?" + _THEN + r"(\d{1,3}(?:\.\d)?)\b", re.I)
_MOTION_NOW_WAS = re.compile(
    r"\b(?:flexion|flex|extension|abduction|adduction|external\s+rotation|internal\s+rotation|ER|IR|(?:a|p)?rom|"
    r"range\s+of\s+motion|supination|pronation|dorsiflexion|plantarflexion|elevation)\b[^.;()\d]{0,25}?"
    r"(?:\d{1,3}\s*-\s*)?(?P<b>\d{1,3})\s*(?:deg\w*|\u00b0)?" + _THEN + r"(?:\d{1,3}\s*-\s*)?(?P<a>\d{1,3})\b", re.I)


def _motion_rose(text: str) -> bool:
    return (any(int(m.group("b")) > int(m.group("a") or m.group("a2")) for m in _MOTION_ROSE.finditer(text))
            or any(int(m.group("b")) > int(m.group("a")) for m in _MOTION_NOW_WAS.finditer(text)))


def _psych_scores_fell(text: str) -> bool:
    return any(int(m.group(2)) < int(m.group(1)) for m in _PSYCH_SCORE_FELL.finditer(text))


_NOT_YET = re.compile(r"\b(?:goals?|plan\w*|expect\w*|anticipat\w*|hope\w*|target|aim\w*|would|will|to)\W*$", re.I)
# a negation in the clause right before a statement of improved function ("without functional improvement",
# "with no functional gains", "no objective functional improvement", "failed to produce improved function")
_FN_NEGATED = re.compile(
    r"\b(?:without|no|not|never|nor|nothing|denie[sd]|lack(?:s|ed|ing)?|absence|fail(?:s|ed)?\s+to|did\s+not|didn't|does\s+not|has\s+not|have\s+not)\b"
    r"(?:\s+\w+){0,4}?\s*$",
    re.I,
)
_FN_CLAUSE = re.compile(r"[.;,:]|\b(?:and|but|however|although|though|while|with|whereas)\b", re.I)


# Relief that did not last or did not come: the usual way a failed course is written in a list of past
# treatment ("PT x 18, chiro x 6 and naproxen, with temporary relief only", "no lasting benefit"). r13inj: a benefit
# qualified as small ("modest benefit", "marginal gains", "mild improvement") is the same class as "minimal relief".
_NO_LASTING_BENEFIT = re.compile(
    r"\b(?:temporary|transient|short[- ]lived|brief|minimal|little|limited|partial|modest|marginal|mild|slight|no\s+(?:lasting|sustained|significant|"
    r"meaningful|durable))\s+(?:\w+\s+)?(?:relief|benefit|improvement|help|change|effect|gains?|results?|progress)"
    # help only while it lasts: "helped while doing it", "it helps while it's on", "only during the sessions"
    r"|\bhelp(?:s|ed)?\s+(?:only\s+)?(?:while|during)\b|\bonly\s+(?:while|during)\b"
    # better for a day or two: "felt better for a day or two after each", "relief lasts \"a day or two\"" (days, not the
    # hours a diagnostic block is read in)
    r"|\b(?:better|good|relief|help(?:s|ed)?|improved|eased)\b[^.;]{0,25}?\b(?:for|lasts?|lasting|x)\s+\"?(?:only\s+)?"
    r"(?:a\s+day\s+or\s+two|a\s+(?:few|couple(?:\s+of)?)\s+days|[1-3](?:\s*-\s*[2-4])?\s*(?:days?|d)\b)"
    # r14surg: relief for a week or two ("gave about 1 week of relief", "(2 wks relief)", "relief for one to two weeks"):
    # weeks, not the months a course that helped is written in
    r"|\b(?:about|approximately|approx\.?|~|only|just|roughly)?\s*(?:1|2|one|two|a)(?:\s*(?:-|to)\s*(?:2|two))?\s*(?:weeks?|wks?)\.?\s+"
    r"(?:of\s+)?(?:relief|benefit|improvement)\b"
    r"|\b(?:relief|benefit|better|improvement|help(?:s|ed)?)\s+(?:for|lasting|x)\s+(?:about\s+|only\s+|just\s+)?(?:1|2|one|two|a)"
    r"(?:\s*(?:-|to)\s*(?:2|two))?\s*(?:weeks?|wks?)\b"
    r"|\b(?:did\s+not|didn't|does\s+not|failed\s+to)\s+(?:help|improve|work|give\s+(?:lasting\s+)?relief)"
    # help that was partial: "did help some", "helped a little", "mild help", "somewhat helpful"
    r"|\b(?:did\s+)?help(?:s|ed)?\s+(?:some|a\s+little|a\s+bit|slightly|somewhat|minimally|temporarily)\b"
    r"|\b(?:mild|slight|some)\s+help\b|\bsomewhat\s+helpful\b"
    # relief that came back: "6 wks better then recurred", "relief wore off", "pain returned"
    r"|\b(?:then|but|and|until)\s+(?:the\s+)?(?:symptoms?\s+|pain\s+|it\s+)?(?:recurred|returned|came\s+back|wore\s+off)\b"
    # r13inj: help with one complaint while the rest persists ("improvement of the neck pain but persistence of the arm
    # symptoms", "helped but he still has radiating pain", "some gains, however she continues to report pain")
    r"|\b(?:but|yet|however|though)\b,?\s+(?:\w+\s+){0,4}?(?:persist\w*|residual|still\s+(?:has|have|having|with|reports?|"
    r"complains?|symptomatic|painful)|remains?\s+(?:symptomatic|painful)|continu\w*\s+to\s+(?:have|report|complain|"
    r"experience|be\s+symptomatic))\b"
    r"|\b(?:without|no)\s+(?:any\s+)?(?:relief|benefit|improvement)\b|\b(?:failed|unsuccessful|ineffective)\b"
    # "without lasting improvement", "without meaningful change" (issue #11, prior)
    r"|\b(?:without|no)\s+(?:any\s+)?(?:lasting|meaningful|significant|sustained|real)\s+(?:relief|benefit|improvement|change|help)\b",
    re.I,
)


_SYMPTOMS_HELPED = re.compile(
    r"\b(?:improv\w*|reliev\w*|decreas\w*|reduc\w*)\s+(?:\w+\s+){0,2}?(?:symptoms?|pain)\b"
    r"|\b(?:help(?:s|ed|ing|ful)?|benefit(?:s|ed|ted|ing)?|effective|good\s+(?:relief|response|results?))\b"
    r"|\b(?:relief|improvement)\s+(?:of|in|with|from)\b",
    re.I,
)


def _symptoms_improved(text: str) -> bool | None:
    """True if the care is said to have helped; False for none or passing benefit; else None."""
    if _NO_LASTING_BENEFIT.search(text):
        return False
    m = _SYMPTOMS_HELPED.search(text)
    if m is None:
        return None
    clause = _FN_CLAUSE.split(text[max(0, m.start() - 60): m.start()])[-1]
    return not _FN_NEGATED.search(clause)


def _function_improved(text: str) -> bool | None:
    """True if `text` states improved function, False if it only states its absence or a benefit that did
    not last, else None."""
    result = False if _NO_LASTING_BENEFIT.search(text) else None
    if any(int(m.group(2)) < int(m.group(1)) for m in _DISABILITY_FELL.finditer(text)):
        return True
    if any(float(m.group(2)) > float(m.group(1)) for m in _FUNCTION_SCORE_ROSE.finditer(text)):
        return True
    if (any(int(m.group(1)) < int(m.group(2)) for m in _DISABILITY_NOW_WAS.finditer(text))
            or any(float(m.group(1)) > float(m.group(2)) for m in _FUNCTION_SCORE_NOW_WAS.finditer(text))):
        return True
    if _motion_rose(text) and not _FN_UNCHANGED.search(text):
        return True  # motion alone is not function beside function said to be unchanged (as below)
    # read9: a gain in motion or strength alone is not function when the same text says function itself did not
    # change ("improved lumbar ROM; but ODI unchanged at 36% and still on restricted duty"); a strength grade that rose
    # ("quad 4/5 -> 4+/5") is not read as function either: it did not keep a course's pain from counting as failed
    unchanged = _FN_UNCHANGED.search(text) is not None
    for m in (*_FN_IMPROVED.finditer(text), *_FN_IMPROVED_MORE.finditer(text), *_FN_NOW_ABLE.finditer(text)):
        clause = _FN_CLAUSE.split(text[max(0, m.start() - 60) : m.start()])[-1]
        if _NOT_YET.search(clause):
            continue  # "Goal: return to full duty" is not a return
        if unchanged and _IMPAIRMENT_ONLY.search(m.group(0)):
            continue  # motion or strength only, beside function said to be unchanged
        if _FN_NEGATED.search(clause):
            result = False if result is None else result
        else:
            return True
    return result


# read9: function regained as written in a progress note: "now able to comb her hair", "can now wash her hair", "was
# able to walk her grandchildren to school again" ("unable to", "cannot" are not "able to", "can")
_FN_NOW_ABLE = re.compile(r"(?<!un)\b(?:(?:is|are|was|were)\s+)?now\s+able\s+to\s+[a-z]+|\bcan\s+now\s+[a-z]+"
                          r"|(?<!un)\bable\s+to\s+[a-z]+(?:\s+[\w'-]+){0,6}?\s+again\b", re.I)
_IMPAIRMENT_ONLY = re.compile(r"(?:range\s+of\s+motion|\brom|strength|flexion|extension|abduction)\W*$", re.I)


def _clip(s: str, n: int = 300) -> str:
    s = re.sub(r"\s+", " ", s).strip()
    return s if len(s) <= n else s[: n - 1] + "\u2026"


# --- studies -----------------------------------------------------------------------------------------

_STUDY_DOC_TYPES = {"imaging": None, "mri": "MRI", "ct": "CT", "x-ray": "x-ray", "xray": "x-ray", "emg": "EMG/NCV", "ncv": "EMG/NCV", "emg/ncv": "EMG/NCV", "electrodiagnostic": "EMG/NCV"}
_SEVERITY = re.compile(r"\b(mild|moderate|severe|marked|minimal|significant|large|small)\b", re.I)


_QUERIED = re.compile(r"\?\s*(?:\w{1,3}\s+){0,2}$")
_WITHOUT = re.compile(r"\bw/o\s+(?:\w+\s+){0,2}$", re.I)
_SPINE_REGIONS = frozenset({"cervical", "thoracic", "lumbar", "lumbosacral", "sacroiliac"})
_LEVEL_REGION = {"C": "cervical", "T": "thoracic", "L": "lumbar", "S": "lumbar"}


def _studies(ctx: _Ctx, imaging: dict, edx: dict) -> None:
    mods = [e for e in ctx.ents if e.label_.startswith("MOD:")]
    doc_modality = _STUDY_DOC_TYPES.get(ctx.document.type.lower())
    head_mods = [e for e in mods if e.start_char < 250]
    if ctx.document.type.lower() in _STUDY_DOC_TYPES and head_mods and doc_modality is None:
        doc_modality = head_mods[0].label_[4:]
    if doc_modality is None and head_mods and ctx.offset == 0:
        # a report titled "MRI OF THE LUMBAR SPINE" / "EMG/NCV REPORT"
        first_line = ctx.text[: ctx.text.find("\n") if "\n" in ctx.text[:250] else 250]
        if any(e.end_char <= len(first_line) for e in head_mods):
            doc_modality = head_mods[0].label_[4:]
    head_region = None
    if doc_modality:
        rm = X.REGION_RX.search(ctx.text[:300])
        head_region = X.norm_region(rm.group(1)) if rm else None
    for ent in ctx.ents:
        if not ent.label_.startswith("SF:"):
            continue
        finding = ent.label_[3:]
        if _is_hypothetical(ent) or _section(ent, ctx) in ("indication", "hpi"):
            continue  # the reason for the study is not its result
        sent_mods = [m for m in mods if _sent_of(m) == _sent_of(ent)]
        modality = None
        mod_ent = None
        before = [m for m in sent_mods if m.start <= ent.start]
        after_near = [m for m in sent_mods if m.start > ent.start and m.start_char - ent.end_char <= 30]
        if before or after_near:
            mod_ent = before[-1] if before else after_near[0]
            modality = mod_ent.label_[4:]
        elif doc_modality:
            modality = doc_modality
        else:
            prev = [m for m in mods if m.start < ent.start and _sent_of(ent).start - _sent_of(m).end < 60 and ent.start - m.end < 80]
            # a diagnosis in the assessment after a sentence about a study is the physician's, not the study's
            # ("MRI 6/15: L4-5 bulge ... A/P: ?L5 radiculopathy"; issue #11, other9)
            if prev and not ent._.is_historical and _section(ent, ctx) not in ("assessment", "diagnoses", "plan"):
                mod_ent = prev[-1]
                modality = mod_ent.label_[4:]
        if modality is None:
            continue
        stext, sbase = _sent_text(ent)
        rs, re_ = ent.start_char - sbase, ent.end_char - sbase
        if _QUERIED.search(_doc_text(ctx.sdoc)[max(0, ent.start_char - 12): ent.start_char]):
            continue  # "?L5 radiculopathy": a question, not a result (other9)
        present = not ent._.is_negated
        if present and _WITHOUT.search(stext[max(0, rs - 24): rs]):
            present = False  # "disc bulge w/o nerve root compression" (other9)
        if finding == "normal":
            present = True
        level = _study_level(stext, rs, re_) or _level_header(_doc_text(ctx.sdoc), ent.start_char)
        root = None
        window = stext[max(0, rs - 40) : re_ + 40]
        rm = X.ROOT_RX.search(window)
        if rm:
            root = (rm.group("root") or rm.group("root2")).upper()
        sev = None
        svm = _SEVERITY.search(stext[max(0, rs - 30) : rs])
        if svm:
            sev = svm.group(1).lower()
        region = head_region
        if mod_ent is not None:
            region = _region_near(stext, mod_ent.start_char - sbase, mod_ent.end_char - sbase) or region
        region = region or _region_near(stext, rs, re_)
        if level and region not in _SPINE_REGIONS:
            # a spinal level places the finding in the spine, whatever limb the sentence also names ("known L4-5
            # stenosis, MRI 2022 ... his left foot slaps") (issue #11, prior)
            region = _LEVEL_REGION.get(level[:1].upper(), region)
        if modality == "EMG/NCV" and finding in ("osteoarthritis", "joint space narrowing"):
            continue  # a joint's arthritis is a radiograph's finding, never a nerve study's (issue #11, dxread)
        target = edx if modality == "EMG/NCV" else imaging
        key = (ctx.document.id, modality, finding, level, present)
        evidence = [ctx.ev_span(ent)]
        if key in target:
            target[key].evidence.extend(evidence)
            continue
        target[key] = StudyFinding(
            modality=modality,
            body_region=region,
            level=level,
            finding=finding,
            nerve_root=root,
            severity=sev,
            present=present,
            evidence=evidence,
            document_date=ctx.date,
        )


def _study_level(stext: str, rs: int, re_: int) -> str | None:
    """A study finding's level: the nearest one before it in the sentence, else one just after it."""
    after = X.LEVEL_RX.search(stext, re_)
    if after and re.fullmatch(r"\s*(?:\w+\s+){0,2}?(?:at|of|involving)(?:\s+the)?\s*", stext[re_ : after.start()], re.I):
        return X.norm_level(after)  # "degenerative change present at the L1-L2 level"
    before = [m for m in X.LEVEL_RX.finditer(stext) if m.end() <= rs and rs - m.end() <= 150]
    if before:
        return X.norm_level(before[-1])
    if after and after.start() - re_ <= 40:
        return X.norm_level(after)
    return None


_LEVEL_PLAIN = r"\b[CTL]\d{1,2}\s*(?:-|/|to|through)\s*[CTLS]?\d{1,2}\b|\b[CTL]\d{1,2}\b|\bS1\b"
_LEVEL_HEADER = re.compile(
    r"(?m)^[ \t]*(?:[A-Z][a-z]+\s+)?(?:(?:" + _LEVEL_PLAIN + r")\s*(?:,|and|&)\s*)*(" + _LEVEL_PLAIN + r")\s*[:.-]"
)


def _level_header(text: str, pos: int) -> str | None:
    """The level of a report's 'L4-L5:' paragraph the position is in (no blank line in between)."""
    window = text[max(0, pos - 400) : pos]
    cut = window.rfind("\n\n")
    if cut != -1:
        window = window[cut:]
    ms = list(_LEVEL_HEADER.finditer(window))
    if not ms:
        return None
    lm = X.LEVEL_RX.search(ms[-1].group(1))
    return X.norm_level(lm) if lm else None


# --- pain scores ---------------------------------------------------------------------------------------

_PAIN_RX = re.compile(
    r"(?<![\d/.-])\b(?P<a>\d{1,2}(?:\.\d)?)(?:\s*(?:-|to)\s*(?P<b>\d{1,2}(?:\.\d)?))?\s*(?:/\s*10\b|out\s+of\s+(?:a\s+possible\s+)?(?:10|ten)\b|on\s+a\s+(?:pain\s+)?(?:scale|vas)\s+of\s+(?:0|1|zero|one)\s*(?:-|to)\s*(?:10|ten)\b)(?!\s*[/-]\s*\d)",
    re.I,
)
_SCALE_RX = re.compile(r"\b(?:on\s+)?(?:a\s+)?(?:pain\s+)?(?:scale|vas)\s+(?:of\s+|from\s+)?(?:0|1|zero|one)\s*(?:-|to)\s*(?:10|ten)\b|\b(?:0|zero)\s*(?:-|to)\s*10\s+(?:pain\s+)?scale\b", re.I)
_BARE_RX = re.compile(
    r"\b(?:as|at|is|was|of|rated|rates|rating|level|score|vas|a)\s+(?P<a>\d{1,2}(?:\.\d)?)(?:\s*(?:-|to)\s*(?P<b>\d{1,2}(?:\.\d)?))?\b(?!\s*(?:/|out\b|%|mg|years?|days?|weeks?|months?|hours?|minutes?|times|sessions?|visits?|:|\.\d))",
    re.I,
)
_CTX = [
    ("without medication", re.compile(r"\b(?:without|w/o|off|before|prior\s+to)\s+(?:the\s+|his\s+|her\s+|taking\s+)?(?:use\s+of\s+)?(?:pain\s+)?(?:medications?|meds|opioids?|analgesics?|patch(?:es)?)\b|\bunmedicated\b", re.I)),
    ("with medication", re.compile(r"\b(?:with|w/|on|after)\s+(?:the\s+|his\s+|her\s+|taking\s+)?(?:use\s+of\s+)?(?:current\s+)?(?:pain\s+)?(?:medications?|meds|opioids?|analgesics?|patch(?:es)?)\b|\bmedicated\b", re.I)),
    ("least", re.compile(r"\b(?:least|at\s+best|lowest|minimum)\b", re.I)),
    ("average", re.compile(r"\b(?:averag(?:e|es|ed|ing)|avg|on\s+average|usual(?:ly)?|typical(?:ly)?)\b", re.I)),
    ("worst", re.compile(r"\b(?:worst|at\s+worst|highest|maximum|max)\b", re.I)),
    ("current", re.compile(r"\b(?:current(?:ly)?|today|at\s+present|presently|right\s+now|at\s+this\s+(?:time|visit))\b", re.I)),
]
_ARROW_RX = re.compile(r"\b(?P<a>\d{1,2})(?:\s*/\s*10)?\s*(?:->|-->|\u2192)\s*(?P<b>\d{1,2})(?:\s*/\s*10)?\b")
_WAS_BEFORE = re.compile(r"\(\s*(?:was|previously)\s*$", re.I)
_MEDS_WORD = re.compile(r"\b(?:medications?|meds|opioids?|analgesics?)\b", re.I)
_BOUNDARY = re.compile(r",|;|\band\b|\bwhile\b|\bbut\b|\bwhereas\b|\bversus\b|\bvs\.?", re.I)


def _context_of(text: str) -> str | None:
    best = None
    for name, rx in _CTX:
        for m in rx.finditer(text):
            if best is None or m.start() < best[0] or (m.start() == best[0] and m.end() > best[2]):
                best = (m.start(), name, m.end())
    return best[1] if best else None


def _context_before(text: str) -> str | None:
    """The context phrase nearest the end of `text` (closest to the score)."""
    best = None
    for name, rx in _CTX:
        for m in rx.finditer(text):
            if best is None or m.end() > best[0]:
                best = (m.end(), name)
    return best[1] if best else None


def _pain(ctx: _Ctx, out: list[PainScore]) -> None:
    for sent, stext, sbase in _sentences(ctx.sdoc):
        if not re.search(r"\d", stext):
            continue
        hits: list[tuple[int, int, float]] = []
        for m in _PAIN_RX.finditer(stext):
            if (m.group("b") and " to " in m.group(0) and re.search(r"\bfrom\s*$", stext[: m.start()], re.I)
                    and 10 >= float(m.group("a")) > float(m.group("b"))):
                # "down from 8 to 4/10": a change, not a range
                hits.append((m.start("a"), m.end("a"), float(m.group("a"))))
                hits.append((m.start("b"), m.end(), float(m.group("b"))))
                continue
            score = _score(m)
            if score is not None and not _looks_like_date(stext, m):
                hits.append((m.start(), m.end(), score))
        if _SCALE_RX.search(stext) or re.search(r"\b(?:pain|vas)\s+(?:level|score|rating)\b|\brat(?:ed|es|ing)\s+(?:his|her|the)?\s*pain\b", stext, re.I):
            scale_spans = [(m.start(), m.end()) for m in _SCALE_RX.finditer(stext)]
            for m in _BARE_RX.finditer(stext):
                a0, a1 = m.start("a"), (m.end("b") if m.group("b") else m.end("a"))
                if any(s <= a0 < e for s, e in scale_spans) or any(s <= a0 < e for s, e, _ in hits):
                    continue
                if not re.search(r"\bpain\b|\bvas\b|\brat(?:ed|es|ing)\b", stext, re.I):
                    continue
                score = _score(m)
                if score is not None:
                    hits.append((a0, a1, score))
        # "VAS 8 w/o meds, 4 w/ meds": a bare number right before with / without medication, in a sentence about pain
        if _PAIN_WORD.search(stext):
            for m in _BARE_MEDS_RX.finditer(stext):
                a0, a1 = m.start("a"), m.end("a")
                if not any(hs <= a0 < he for hs, he, _ in hits) and float(m.group("a")) <= 10:
                    hits.append((a0, a1, float(m.group("a"))))
        # "pain 8->4 with meds": a change written with an arrow (the bare-number reader needs a scale)
        if re.search(r"\b(?:pain|vas|nrs)\b", stext, re.I) or _SYMPTOM_CHANGE.search(stext):
            for m in _ARROW_RX.finditer(stext):
                if _NOT_A_SCORE_AFTER.match(stext, m.end()):
                    continue  # "Norco 6->3 a day": doses, not scores
                for g in ("a", "b"):
                    a0, a1 = m.start(g), m.end(g)
                    if not any(hs <= a0 < he for hs, he, _ in hits) and int(m.group(g)) <= 10:
                        hits.append((a0, a1, float(m.group(g))))
        if not hits:
            continue
        hits.sort()
        drug_spans = [(d.start_char - sbase, d.end_char - sbase) for d in ctx.ents_in(sent) if d._.openimr_drug is not None]
        first_out = len(out)
        for i, (s, e, score) in enumerate(hits):
            nxt = hits[i + 1][0] if i + 1 < len(hits) else len(stext)
            after = stext[e:nxt]
            bm = _BOUNDARY.search(after)
            after_clause = after[: bm.start()] if bm else after
            after_clause = after_clause[:45]
            context = _context_of(after_clause)
            if context in ("average", "current"):
                # "with gabapentin he rates arm pain 5-6/10 on average": on the drug first
                context = _drug_context_before(stext, drug_spans, hits[i - 1][1] if i else 0, s) or context
            if context is None and re.fullmatch(r"\s*(?:without|w/o|w/out|off)\s*(?:[.;,].*)?", after_clause or "", re.I | re.S):
                context = "without medication"
            if (context is None and re.fullmatch(r"\s*(?:before|after)\s*(?:[.;,].*)?", after_clause or "", re.I | re.S)
                    and (drug_spans or _MEDS_WORD.search(stext)) and not _OTHER_CARE.search(stext)):
                # "8/10 before meds and 5/10 after" (goldread): before / after the medication the sentence names
                context = "without medication" if after_clause.strip().lower().startswith("before") else "with medication"
            if context is None and re.fullmatch(r"\s*(?:with|w/|on)\s*(?:[.;,].*)?", after_clause or "", re.I | re.S):
                context = "with medication"  # "VAS 8/10 w/o, 4/10 w/": the PR-2 pair, medication understood
            if context is None:
                # "4/10 w/ Norco", "4 on Percocet": with a drug the record names; "6/10 without Celebrex",
                # "8/10 before Lyrica": without it
                dm = re.match(r"\s*(?:(with|w/|on|after)|without|w/o|off|before|prior\s+to)\s+(?:taking\s+|using\s+)?", after_clause, re.I)
                if dm and any(ds == e + dm.end() for ds, _ in drug_spans):
                    context = "with medication" if dm.group(1) else "without medication"
            if (context is None and i and out[-1].context == "without medication"
                    and re.fullmatch(r"[\s,;]*(?:and\s+|but\s+)?(?:with|w/|on)\s*", stext[hits[i - 1][1]:s], re.I)):
                context = "with medication"  # "Without meds 8/10, with 3-4/10" (goldread)
            if context is None and (_MEDS_WORD.search(stext) or drug_spans):
                # "7/10 without medications and 4/10 with them", "Norco bid; pain 8/10 w/o, 6/10 w/ it"
                pm = re.match(r"\s*(with|w/|without|w/o|off|on)\s+(?:them|it|these|those)\b", after_clause, re.I)
                if pm:
                    context = "with medication" if pm.group(1).lower() in ("with", "w/", "on") else "without medication"
            if context is None:
                context = _drug_context_before(stext, drug_spans, hits[i - 1][1] if i else 0, s)
            if context is None:
                prev_end = hits[i - 1][1] if i else 0
                before = stext[prev_end:s]
                parts = _BOUNDARY.split(before)
                context = _context_before(parts[-1][-60:]) if parts else None
                if context is None and len(parts) > 1 and not re.search(r"\d", before):
                    context = None
            if context == "with medication" and _WAS_BEFORE.search(stext[max(0, s - 16):s]):
                # (r11drug) "pain 5/10 (was 8/10 on Norco)": the score on a former regimen, before the present one
                context = "without medication"
            region = None
            rb = stext[max(0, (hits[i - 1][1] if i else 0)) : s]
            rms = list(X.REGION_RX.finditer(rb))
            if rms:
                region = X.norm_region(rms[-1].group(1))
            out.append(
                PainScore(
                    score=score,
                    context=context,  # type: ignore[arg-type]
                    body_region=region,
                    evidence=[ctx.ev_chars(sbase + s, sbase + e)],
                    document_date=ctx.date,
                )
            )
        # "from 8/10 to 4/10 with medications", "8 -> 4 w/ Norco": the score the change starts from is
        # the one without the medication
        mine = out[first_out:]
        for i in range(1, len(hits)):
            joiner = stext[hits[i - 1][1] : hits[i][0]]
            if (mine[i].context == "with medication" and mine[i - 1].context is None
                    and re.fullmatch(r"\s*(?:->|-->|\u2192|to|down\s+to)\s*", joiner, re.I)):
                mine[i - 1].context = "without medication"  # type: ignore[assignment]
            # "8/10 before Lyrica, now 4/10": the score now is the one on the drug
            if (mine[i - 1].context == "without medication" and mine[i].context in (None, "current")
                    and re.search(r"[\s,;]\s*(?:and\s+)?(?:now|currently|today)\s*(?:is\s+|at\s+)?$", joiner, re.I)):
                mine[i].context = "with medication"  # type: ignore[assignment]
            # "Celebrex 200 qd since 2013 - knee pain 7->4", "Lidoderm samples past 4 wks: pain 6->3", "switched to
            # naproxen, helps (pain 6->4)": a change written right after the drug is the drug's effect
            if (mine[i].context is None and mine[i - 1].context in (None, "with medication")
                    and (re.fullmatch(r"\s*(?:->|-->|\u2192)\s*", joiner)
                         or (re.fullmatch(r"\s*to\s*", joiner) and re.search(r"\bfrom\s*$", stext[: hits[i - 1][0]], re.I)))
                    and _drug_just_before(stext, drug_spans, hits[i - 1][0])):
                mine[i - 1].context = "without medication"  # type: ignore[assignment]
                mine[i].context = "with medication"  # type: ignore[assignment]
            # value and direction: "Medications decrease pain from 7/10 to 3/10", "Norco brings pain from 8/10 down to
            # 4/10", "pain decreases from 8 to 5 out of 10 after taking Norco": a fall in one sentence that names a
            # medication and no other care is the medication's effect (a rise, or PT in the sentence, is not)
            if (mine[i].context is None and mine[i - 1].context is None and hits[i][2] < hits[i - 1][2]
                    and _is_change(stext, hits[i - 1][0], joiner)
                    and (drug_spans or _MEDS_WORD.search(stext)) and not _OTHER_CARE.search(stext)):
                mine[i - 1].context = "without medication"  # type: ignore[assignment]
                mine[i].context = "with medication"  # type: ignore[assignment]


# a change in a symptom other than "pain" (goldread): "leg burning 8->4", "numbness 6 -> 3", "naproxen helps (6->3)"
_SYMPTOM_CHANGE = re.compile(r"\b(?:burning|aching|ache|numbness|tingling|symptoms?|sx)\b[^.;\d]{0,20}\d{1,2}\s*(?:->|-->|\u2192)"
                             r"|\bhelp(?:s|ed|ing)?\s*\(\s*\d{1,2}\s*(?:->|-->|\u2192)", re.I)
_NOT_A_SCORE_AFTER = re.compile(r"\s*(?:/\s*(?:d|day|wk|week)\b|a\s+day|per\s+day|daily|tabs?\b|pills?\b|mg\b|x\s*/\s*d)", re.I)
_PAIN_WORD = re.compile(r"\b(?:pain|vas|nrs)\b", re.I)
_BARE_MEDS_RX = re.compile(
    r"(?<![\d/.-])\b(?P<a>\d{1,2}(?:\.\d)?)\s+(?=(?:w/o|w/out|without|w/|with|off|on)\s+(?:the\s+|his\s+|her\s+)?(?:pain\s+)?"
    r"(?:medications?|meds|opioids?|analgesics?)\b)", re.I)


def _is_change(stext: str, start: int, joiner: str) -> bool:
    """Whether two scores are written as one change: "8 -> 4", "from 8/10 (down) to 4/10"."""
    if re.fullmatch(r"\s*(?:->|-->|\u2192)\s*", joiner):
        return True
    return bool(re.fullmatch(r"\s*(?:down\s+)?to\s*", joiner, re.I) and re.search(r"\bfrom\s*$", stext[:start], re.I))


_OTHER_CARE = re.compile(r"\b(?:PT|therapy|injection|block|ESI|surgery|acupuncture|chiro\w*|TENS|rest|ice|heat|brace)\b", re.I)


def _drug_just_before(stext: str, drug_spans: list[tuple[int, int]], s: int) -> bool:
    """A drug named in the 80 characters before position `s`, with no other care named in between."""
    return any(de <= s and s - de <= 80 and not _OTHER_CARE.search(stext[de:s]) and ";" not in stext[de:s]
               for _, de in drug_spans)


def _drug_context_before(stext: str, drug_spans: list[tuple[int, int]], lo: int, s: int) -> str | None:
    """"Before gabapentin his arm pain was 9-10/10", "with gabapentin he rates arm pain 5-6/10": the drug
    named right after with / without in the clause before the score."""
    for ds, de in reversed(drug_spans):
        if lo <= ds and de <= s and s - de <= 60 and not re.search(r"[;.]", stext[de:s]) and not _BOUNDARY.search(stext[de:s]):
            lead = stext[max(lo, ds - 15):ds]
            if re.search(r"\b(?:without|w/o|off|before|prior\s+to)\s+$", lead, re.I):
                return "without medication"
            if re.search(r"(?:\bwith|\bw/|\bon|\bafter)\s+$", lead, re.I):
                return "with medication"
    return None


# "06/10", "DOS 7/10", "seen on 3/10", "6/10 2015": a day of the month, not a score out of 10
_DATE_BEFORE = re.compile(
    r"(?:\b(?:date\s+of\s+(?:service|visit|exam(?:ination)?|evaluation)|DOS|dated?|seen|visits?|examined|evaluated|on|since)"
    r"|\b(?:service|visit|exam(?:ination)?|evaluation)\s+(?:date|of|on))\s*[:#]?\s*$",
    re.I,
)
_YEAR_AFTER = re.compile(r"\s*[,/-]?\s*(?:19|20)\d{2}\b")


def _looks_like_date(stext: str, m: re.Match[str]) -> bool:
    if m.group(0).lstrip().startswith("0") and re.match(r"0\d", m.group("a")):
        return True  # scores are not written with a leading zero
    if "/" not in m.group(0) or m.group("b"):
        return False
    if _YEAR_AFTER.match(stext, m.end()):
        return True
    return bool(_DATE_BEFORE.search(stext[max(0, m.start() - 40) : m.start()]))


def _score(m: re.Match[str]) -> float | None:
    try:
        a = float(m.group("a"))
        b = float(m.group("b")) if m.group("b") else None
    except (TypeError, ValueError):
        return None
    if a > 10 or (b is not None and (b > 10 or b < a)):
        return None
    return (a + b) / 2 if b is not None else a


# --- statements: function, work status ----------------------------------------------------------------


def _statements(ctx: _Ctx, function: dict, work: dict) -> None:
    for ent in ctx.ents:
        label = ent.label_
        if label == "F:return_to_work" and not ent._.is_negated and not _is_hypothetical(ent):
            # "returned to modified duty": the finding's phrase also states the work status
            wm = re.search(r"\b(?:(full|regular|usual)|(modified|light|restricted))\s+(?:duty|duties|work)\b", ent.text, re.I)
            if wm:
                kind = "full duty" if wm.group(1) else "modified duty"
                key = (ctx.document.id, kind)
                if key not in work:
                    work[key] = Statement(kind=kind, text=ent.text, evidence=[ctx.ev_span(ent)], document_date=ctx.date)
            continue
        if not (label.startswith("FN:") or label.startswith("WS:")):
            continue
        kind = label[3:]
        if _is_hypothetical(ent) or (ent._.is_historical and label.startswith("WS:")):
            continue
        if ent._.is_negated and kind not in ("not working", "limited"):
            continue
        stext, _ = _sent_text(ent)
        target = function if label.startswith("FN:") else work
        key = (ctx.document.id, kind)
        if key in target:
            target[key].evidence.append(ctx.ev_span(ent))
            continue
        text = _clip(stext) if label.startswith("FN:") else ent.text
        target[key] = Statement(kind=kind, text=text, evidence=[ctx.ev_span(ent)], document_date=ctx.date)


# --- diagnoses ------------------------------------------------------------------------------------------

_DX_CUE = re.compile(
    r"\b(?:diagnos(?:es|is)\s+(?:include[sd]?|(?:is|are|was|were)(?:\s+noted\s+as)?)|diagnosed\s+(?:as\s+having|with)|undergoing\s+treatment\s+for|"
    r"(?:being\s+)?treated\s+for|treatment\s+for|diagnoses\s*:|diagnosis\s*:|impression\s*:|assessment\s*:|"
    # PR-2 shorthand headers at the start of a line: "A:", "Dx:", "Imp:", "A/P:"
    r"(?<![^\n])\s*(?:a|dx|ddx|imp|a/p|a\s*&\s*p|assessment\s*(?:/|and|&)\s*plan)\s*:"
    # ... and with a dash: "A- R ankle sprain", "Imp - L CTS", "Dx - lumbar radic" (issue #11, dxread)
    r"|(?<![^\n])[ \t]*(?:a|dx|ddx|imp|impression|assessment|diagnos[ei]s)[ \t]*[-\u2013][ \t]+"
    # a heading on a line of its own, no colon: "ASSESSMENT", "DIAGNOSES", and the same in a PR-2's
    # mixed case ("Dx", "Diagnoses", "Assessment")
    r"|(?<![^\n])[ \t]*(?:assessment|diagnos[ei]s|impression|dx|ddx|imp|a/p)[ \t]*(?=\n))\s*",
    re.I,
)
# where a header's diagnosis list ends: a blank line before a header, an all-caps header, or the next
# section of a PR-2 ("P:", "Plan:", "Work status:", "Meds:", "RTC")
_DX_LIST_END = re.compile(
    r"\n\s*\n(?=\s*[A-Z][A-Za-z ]+:)|\n\s*[A-Z][A-Z /]{3,}:?\s*(?:\n|$)|\n\s*[A-Z][A-Z /]{3,}:"
    r"|\n\s*(?:P|S|O|Plan|Rx|Tx|Recs?|PMH|PSH|Hx|Treatment(?: plan)?|Recommendations?|Work(?: status)?|Meds|Medications|Exam|Objective|"
    r"Subjective|Disposition|Follow[- ]?up|F/u|RTC|Requests?)\b[^\n:]{0,20}:|\Z")
_DX_NEGATION = (
    r"(?:no|not|negative\s+for|neg\s+for|without|denies|denied|absent|free\s+of|rule[sd]?\s+out|r/o|ruled\s+out|"
    r"no\s+(?:evidence|signs?|indication)\s+of)\b"
)
_DX_NEGATED = re.compile(r"(?i)^(?:\d{1,2}[.)]\s*)?" + _DX_NEGATION)
_DX_NEGATED_TAIL = re.compile(r"(?i)\s*[,;.]\s*" + _DX_NEGATION)
# a part of a diagnosis list that is the plan speaking: a plan heading or a plan verb at its start
_DX_PLAN_PART = re.compile(
    r"(?i)^(?:\d{1,2}[.)]\s*)?(?:plan|p|recs?|recommend(?:ation)?s?|rx|tx|requests?|rtc|f/u|follow[- ]?up|"
    r"cont(?:inue)?|start|refill|request(?:ing)?|order(?:ed)?|schedule)\b(?!\s+(?:pain|syndrome))")
_DX_WITH_PLAN = re.compile(r"(?i)a/p|a\s*&\s*p|plan")
# in an assessment-and-plan part, where a diagnosis gives way to its plan: " - ESI", ": PT", "; plan"
_DX_PLAN_CUT = re.compile(r"\s+[-\u2013\u2014]+\s+|:\s+|\s*[,.]\s*(?:plan|recommend|cont(?:inue)?|start|request)\b", re.I)
_ICD_RX = re.compile(r"\b([A-TV-Z]\d{2}(?:\.\d{1,4}[A-Z0-9]{0,2})?)\b")


def _diagnoses(ctx: _Ctx, out: dict) -> None:
    text = _doc_text(ctx.sdoc)
    for m in _DX_CUE.finditer(text):
        start = m.end()
        # the list runs to the end of the sentence (or, after a header, to a blank line)
        is_header = m.group(0).rstrip().endswith(":") or "\n" in m.group(0) or m.group(0).strip().isupper()
        # an assessment-and-plan part puts each diagnosis before its plan ("1. Lumbar radiculopathy - ESI")
        with_plan = bool(_DX_WITH_PLAN.search(m.group(0)))
        dash = bool(re.search(r"[-\u2013][ \t]+$", m.group(0)))  # "A- R ankle sprain": that line only
        is_header = is_header and not dash
        if dash:
            em = re.search(r"\n|\.(?=\s+[A-Z(]|\s*$)|\Z", text[start : start + 1000])
        elif is_header:
            em = _DX_LIST_END.search(text[start : start + 2000])
        else:
            em = re.search(r"\.(?=\s+[A-Z(]|\s*$)|\Z", text[start : start + 1000])
        end = start + (em.start() if em else min(1000, len(text) - start))
        seg = text[start:end]
        pos = start
        splitter = r"(?:;|\n|(?<![A-Za-z])\d{1,2}[.)]\s|(?<=[a-z)])\.\s+(?=[A-Z]))" if is_header else r"[,;]"
        for part in re.split(splitter, seg):
            idx = text.find(part, pos) if part else -1
            if idx != -1:
                pos = idx + len(part)
            p = part.strip(" .:-\n\t")
            if len(p) > 150:  # "Opioid use disorder, moderate (DSM-5: ...)": the name before its explanation (issue #11)
                p = re.split(r"\s\(|,\s|\s[-\u2013]\s", p, maxsplit=1)[0].strip(" .:-\n\t")
            if len(p) < 4 or len(p) > 150 or idx == -1:
                continue
            lead = len(part) - len(part.lstrip(" .:-\n\t"))
            am = re.match(r"(?:and|or)\s+", part[lead:])
            if am:
                lead += am.end()
                p = part[lead:].strip(" .:-\n\t")
            s0 = idx + lead
            e0 = s0 + len(p)
            clean = re.sub(r"\s+", " ", p)
            clean = re.sub(r"^(?:and|or)\s+", "", clean)
            if re.match(r"(?i)^(?:the|a|an|his|her|which|who|with)\b$", clean):
                continue
            if _DX_PLAN_PART.match(clean):
                continue  # "Plan ESI", "Recs: PT", "cont Norco": the plan, not a diagnosis
            if with_plan:
                cut = _DX_PLAN_CUT.search(p)
                if cut:
                    p = p[: cut.start()].rstrip(" ,;.")
                    e0 = s0 + len(p)
                    clean = re.sub(r"\s+", " ", p)
                    if len(clean) < 4:
                        continue
            if _DX_NEGATED.match(clean):
                continue  # "No spondylolisthesis", "negative for fracture": not a diagnosis
            tail = _DX_NEGATED_TAIL.search(p)
            if tail:  # "Cervical strain, no evidence of radiculopathy": the negated rest is not a diagnosis
                p = p[: tail.start()].rstrip(" ,;.")
                e0 = s0 + len(p)
                clean = re.sub(r"\s+", " ", p)
                if len(clean) < 4:
                    continue
            icd = _ICD_RX.search(clean)
            key = (ctx.document.id, clean.lower())
            if key in out:
                continue
            rm = X.REGION_RX.search(clean)
            out[key] = Diagnosis(
                text=clean,
                icd10=icd.group(1) if icd else None,
                body_region=X.norm_region(rm.group(1)) if rm else region_of(expand_abbreviations(clean)),
                laterality=laterality_of(clean),
                evidence=[ctx.ev_chars(s0, e0)],
                document_date=ctx.date,
            )


_NEURO_NORMAL = re.compile(
    r"\b(?:neuro(?:logic(?:al)?)?|neurovascular)(?:\s+(?:exam(?:ination)?|status))?\s*(?:is\s+|was\s+|:\s*)?"
    r"(?:normal|intact|grossly\s+intact|non-?focal|unremarkable|within\s+normal\s+limits|wnl)\b",
    re.I,
)
_WEAKNESS_NOT_NEURO = re.compile(
    r"\b(?:disuse|deconditioning|atrophy\s+from|(?:due\s+to|secondary\s+to|limited\s+by|from)\s+pain|pain[- ](?:limited|inhibited)|"
    r"give[- ]?way|guarding)\b", re.I)
_GRADED = re.compile(r"\b[0-4](?:\+|-)?\s*/\s*5\b|\b[CLST]\d\b")
_NEURO_DEFICITS = ("motor_weakness", "dermatomal_sensory_loss", "reflex_change")


def _weakness_that_is_not_neurologic(case: CaseFile, findings: dict) -> None:
    """Weakness is a neurologic finding only when the note says so: not when it is put down to disuse or
    pain, nor, ungraded, in a note whose own neurologic exam is written normal ("quadriceps weakness ...
    neurologic exam normal")."""
    docs = {d.id: d.text for d in case.documents}
    for key, f in list(findings.items()):
        if f.name not in _NEURO_DEFICITS or not f.present or not f.evidence:
            continue
        e = f.evidence[0]
        text = docs.get(e.document, "")
        line_start = text.rfind("\n", 0, e.start) + 1
        line_end = text.find("\n", e.end)
        line = text[line_start: line_end if line_end != -1 else len(text)]
        near = text[e.start: e.end + 60]
        normal = _NEURO_NORMAL.search(text)
        if _WEAKNESS_NOT_NEURO.search(near) or (normal and f.name == "motor_weakness" and not _GRADED.search(line)):
            why = normal.group(0) if normal and not _WEAKNESS_NOT_NEURO.search(near) else f.text
            findings.pop(key)
            neg_key = (key[0], f.name, False)
            if neg_key not in findings:
                findings[neg_key] = f.model_copy(update={"present": False, "text": why})


def _non_prefixed_findings_are_absent(case: CaseFile, findings: dict) -> None:
    """gf3read: "non-radiating", "non-tender": the tokenizer splits off "non-", so the word after it was read as the
    finding present; every mention so prefixed is the finding stated absent."""
    docs = {d.id: d.text for d in case.documents}
    for key, f in list(findings.items()):
        if not f.present or not f.evidence:
            continue
        negated = [e for e in f.evidence if re.search(r"\bnon[- ]?$", docs.get(e.document, "")[max(0, e.start - 4): e.start], re.I)]
        if not negated:
            continue
        if len(negated) < len(f.evidence):
            f.evidence = [e for e in f.evidence if e not in negated]
            continue
        findings.pop(key)
        neg_key = (key[0], f.name, False)
        if neg_key not in findings:
            evidence = []
            for e in negated:  # the quote shows the "non-" that makes it absent
                text = docs.get(e.document, "")
                start = text.rfind("non", max(0, e.start - 4), e.start)
                evidence.append(ev(e.document, text, start, e.end) if start >= 0 else e)
            findings[neg_key] = f.model_copy(update={"present": False, "evidence": evidence, "text": evidence[0].quote})


# gf3read: a note whose neurologic exam is written normal ("Neurologic exam normal", "UE neuro intact", "Neuro WNL")
# documents full strength when it grades none; a limb's "neurovascularly intact" (pulses, sensation) does not
_NEURO_NORMAL_NOT_VASCULAR = re.compile(r"\bneuro(?:logic(?:al)?)?\b(?:\s+(?:exam(?:ination)?|status))?\s*(?:is\s+|was\s+|:\s*)?"
                                        r"(?:normal|intact|grossly\s+intact|non-?focal|unremarkable|within\s+normal\s+limits|wnl)\b", re.I)


def _normal_neuro_exam_is_full_strength(case: CaseFile, findings: dict) -> None:
    for d in case.documents:
        if any(k[0] == d.id and k[1] == "motor_weakness" for k in findings):
            continue  # the note grades strength itself (or names weakness): that reading stands
        m = _NEURO_NORMAL_NOT_VASCULAR.search(d.text)
        if m is None or re.search(r"\b(?:not|no|abnormal)\s+$", d.text[max(0, m.start() - 12): m.start()], re.I):
            continue
        findings[(d.id, "motor_weakness", False)] = Finding(name="motor_weakness", present=False, text=m.group(0),
                                                            evidence=[ev(d.id, d.text, m.start(), m.end())], document_date=d.date)


_OPERATIVE_DOC = re.compile(r"^\s*(?:operative|op(?:eration)?)\s*(?:report|note)\b", re.I)


def _is_operative_report(document: Any) -> bool:
    return bool(re.search(r"operat|op_?report|op_?note", document.type or "", re.I) or _OPERATIVE_DOC.match(document.text))


def _date_operative_reports(case: CaseFile, treatments: dict) -> None:
    """A surgery named in an operative report happened on the report's date when no other date is written."""
    op_dates = {d.id: d.date for d in case.documents if d.date and _is_operative_report(d)}
    for t in treatments.values():
        if t.kind != "surgery" or t.dates or not t.evidence:
            continue
        day = op_dates.get(t.evidence[0].document)
        if day is not None:
            t.dates = [day.isoformat()]
            t.status = "completed"


_GI_RISK_CLASSES = re.compile(r"anticoagulant|antiplatelet|corticosteroid", re.I)


def _gi_risk_from_medications(meds: dict, findings: dict) -> None:
    """A current anticoagulant, antiplatelet, oral corticosteroid or aspirin is a GI risk factor."""
    from openimr.guidelines.drugs import normalize_drug

    for (doc_id, generic), med in meds.items():
        if med.status != "current" or (doc_id, "gi_risk_factors", True) in findings:
            continue
        info = normalize_drug(generic)
        if info is None or not (generic == "aspirin" or _GI_RISK_CLASSES.search(info.drug_class or "")):
            continue
        findings[(doc_id, "gi_risk_factors", True)] = Finding(
            name="gi_risk_factors",
            present=True,
            text=f"{generic} ({info.drug_class})",
            evidence=list(med.evidence[:1]),
            document_date=med.document_date,
        )


# --- entry point -----------------------------------------------------------------------------------


# The most text one case may carry into extraction (about 1.7 million words; ~2 minutes on one core).
MAX_CASE_CHARS = 10_000_000


@dataclass
class _Read:
    """The facts read from documents, before the case-level steps. Every key starts with the document's
    id, so documents with distinct ids never touch each other's entries. `cues` are (document number,
    start, order, cue): the number is the document's place in the case, set when a document's reading
    is added to the case's (a remembered reading may come from another case)."""

    meds: dict = field(default_factory=dict)
    findings: dict = field(default_factory=dict)
    treatments: dict = field(default_factory=dict)
    plans: dict = field(default_factory=dict)
    imaging: dict = field(default_factory=dict)
    edx: dict = field(default_factory=dict)
    function: dict = field(default_factory=dict)
    work: dict = field(default_factory=dict)
    diagnoses: dict = field(default_factory=dict)
    comorbidities: dict = field(default_factory=dict)
    pain: list[PainScore] = field(default_factory=list)
    cues: list[tuple[int, int, int, Cue]] = field(default_factory=list)
    shorthand: list[tuple[str, bool, Evidence, Any]] = field(default_factory=list)

    def add(self, other: _Read, n: int) -> None:
        """Append document `n`'s facts after these (the order reading them one after another gives)."""
        for f in fields(self):
            mine = getattr(self, f.name)
            if f.name == "cues":
                mine.extend((n, s, order, cue) for _, s, order, cue in other.cues)
            elif isinstance(mine, list):
                mine.extend(getattr(other, f.name))
            else:
                mine.update(getattr(other, f.name))


def _read_document(document: Document, n: int, request_date: dt.date | None, out: _Read) -> None:
    nlp = get_nlp()
    pieces = list(_chunks(document.text))
    carry: str | None = None
    for (offset, _piece), sdoc in zip(pieces, nlp.pipe(p for _, p in pieces), strict=True):
        ctx = _Ctx(document, offset, sdoc, carry)
        carry = ctx.last_section
        _medications(ctx, request_date, out.meds)
        _findings(ctx, out.findings)
        _treatments(ctx, out.treatments, out.plans)
        _course_note(ctx, out.treatments)
        _studies(ctx, out.imaging, out.edx)
        _pain(ctx, out.pain)
        _statements(ctx, out.function, out.work)
        _diagnoses(ctx, out.diagnoses)
        block_cues, block_findings = read_cue_spans(sdoc, document, offset, lambda sp, c=ctx: _section(sp, c))
        read_dx_spans(sdoc, document, offset, lambda sp, c=ctx: _section(sp, c), out.diagnoses, out.comorbidities)
        out.cues.extend((n, s, order, cue) for s, order, cue in block_cues)
        out.shorthand.extend((name, present, ev_, document.date) for name, present, ev_ in block_findings)


def _read_documents(case: CaseFile, request_date: dt.date | None) -> _Read:
    """Each document read once per process (openimr.extract.cache), unless two documents share an id."""
    out = _Read()
    docs = [(n, d) for n, d in enumerate(case.documents) if d.text.strip()]
    if len({d.id for _, d in docs}) < len(docs):  # shared ids share entries: read them together, as they are
        for n, document in docs:
            _read_document(document, n, request_date, out)
        return out
    day = request_date.isoformat() if request_date else ""
    for n, document in docs:
        def read(document: Document = document) -> _Read:
            part = _Read()
            _read_document(document, 0, request_date, part)
            return part

        key = C.key_of("document", day, document.model_dump_json())
        out.add(C.remembered(C.documents, key, read), n)
    return out


def extract_facts(case: CaseFile, *, ur_opinion: bool = False) -> CaseFacts:
    """Every fact the case's documents support, each with its evidence.

    What a utilization reviewer states (a UR letter, or a sentence reporting the reviewer) is not a
    clinical fact and is left out (`sources.drop_ur_opinion`); `ur_opinion=True` keeps it, to measure
    the reading of the text itself against annotations that record every statement.

    Raises InputError for a case whose documents together exceed MAX_CASE_CHARS. An unchanged case
    read before in this process is not read again (openimr.extract.cache).
    """
    total = sum(len(d.text) for d in case.documents)
    if total > MAX_CASE_CHARS:
        biggest = max(case.documents, key=lambda d: len(d.text))
        raise InputError(
            f"documents.{biggest.id}",
            f"case text too large to extract ({total:,} characters; the limit is {MAX_CASE_CHARS:,}); split the record",
        )
    key = C.key_of("case", "ur" if ur_opinion else "", case.model_dump_json())
    return C.remembered(C.cases, key, lambda: _extract_facts(case, ur_opinion))


_SPINAL_NOTE = re.compile(r"\b(?:lumbar|cervical|thoracic|spine|spinal|radicul\w*|myelopath\w*|sciatica|foot\s+drop|[CLTS][1-8]"
                         r"(?:-[CLTS]?[1-8])?)\b", re.I)


_NOT_AN_EXAM = re.compile(r"\b(?:ur|utilization|review|imr|application|rfa|request|letter|determination)", re.I)
_DEFICITS = ("motor_weakness", "dermatomal_sensory_loss", "reflex_change")


def _deficit_new_since_a_normal_exam(case: CaseFile, findings: dict) -> None:
    """r12other: a deficit that the previous examination found absent ("Motor 5/5 BLE, sensation intact" on 4/15,
    "EHL 2/5, decreased sensation L5" on 5/1) is a deficit that has progressed since, however the later note words
    it: the notes' own dates make the comparison the examiner did not write out. Only the treating notes' exams
    count (a reviewer's letter examines no one), each note against the latest earlier note that examined the same
    thing, in the same limb where both say which."""
    kinds = {d.id: (d.type or "").replace("_", " ") for d in case.documents}
    exams: dict[str, list[tuple[dt.date, str, Finding]]] = {}
    for (doc, name, _present), f in findings.items():
        if name in _DEFICITS and f.document_date is not None and not _NOT_AN_EXAM.search(kinds.get(doc, "")):
            exams.setdefault(name, []).append((f.document_date, doc, f))
    for seen in exams.values():
        for day, doc, f in seen:
            if not f.present or (doc, "progressive_neurologic_deficit", False) in findings:
                continue
            earlier = [(d, o, g) for d, o, g in seen if d < day and (not g.body_region or not f.body_region
                                                                    or limb_of(g.body_region) == limb_of(f.body_region))]
            if not earlier:
                continue
            last = max(d for d, _, _ in earlier)
            before = [g for d, _, g in earlier if d == last]
            if any(g.present for g in before):
                continue  # the deficit was already there: steady or not, nothing says it grew
            key = (doc, "progressive_neurologic_deficit", True)
            ev = list(f.evidence) + [e for g in before for e in g.evidence]
            if key in findings:
                findings[key].evidence.extend(ev)
            else:
                findings[key] = f.model_copy(update={"name": "progressive_neurologic_deficit", "evidence": ev})


def _progressive_deficit_is_a_red_flag(case: CaseFile, findings: dict) -> None:
    """read10: a neurologic deficit that is getting worse is itself one of the red flags the spine chapters name
    (ACOEM 2004 ch. 8 and ch. 12, the red-flag tables: a progressive neurologic deficit; `verified: false` on the
    table's page), so a note that documents one documents a red flag even when it denies bowel or bladder change."""
    docs = {d.id: d.text for d in case.documents}
    for (doc, name, present), f in list(findings.items()):
        if name != "progressive_neurologic_deficit" or not present:
            continue
        if not _SPINAL_NOTE.search(docs.get(doc, "")):
            continue  # a cuff muscle weaker after a re-tear is no nerve's red flag: a spine or nerve root must be in question
        key = (doc, "red_flags", True)
        if key in findings:
            findings[key].evidence.extend(f.evidence)
        else:
            findings[key] = f.model_copy(update={"name": "red_flags", "evidence": list(f.evidence)})


def _extract_facts(case: CaseFile, ur_opinion: bool) -> CaseFacts:
    facts = CaseFacts()
    _injured_worker(case, facts)
    request_date = case.request_date()
    read = _read_documents(case, request_date)
    meds, findings, treatments, plans = read.meds, read.findings, read.treatments, read.plans
    imaging, edx, function, work, diagnoses, pain = read.imaging, read.edx, read.function, read.work, read.diagnoses, read.pain
    cues, shorthand = read.cues, read.shorthand
    _gi_risk_from_medications(meds, findings)
    _date_operative_reports(case, treatments)
    _weakness_that_is_not_neurologic(case, findings)
    _non_prefixed_findings_are_absent(case, findings)
    _normal_neuro_exam_is_full_strength(case, findings)
    for name, present, evidence, day in shorthand:
        key = (evidence.document, name, present)
        if key in findings:
            findings[key].evidence.append(evidence)
        else:
            findings[key] = Finding(name=name, present=present, text=evidence.quote, evidence=[evidence], document_date=day)
    _deficit_new_since_a_normal_exam(case, findings)
    _progressive_deficit_is_a_red_flag(case, findings)
    facts.medications = list(meds.values())
    facts.findings = list(findings.values())
    facts.treatments = list(treatments.values())
    facts.plans = list(plans.values())
    facts.imaging = list(imaging.values())
    facts.electrodiagnostics = list(edx.values())
    facts.function = list(function.values())
    facts.work_status = list(work.values())
    facts.diagnoses = list(diagnoses.values())
    facts.comorbidities = list(read.comorbidities.values())
    facts.pain = pain
    facts.cues = [c for *_, c in sorted(cues, key=lambda t: t[:3])]
    if not ur_opinion:
        drop_ur_opinion(case, facts)
    return facts
