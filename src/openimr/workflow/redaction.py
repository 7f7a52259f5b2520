"""The published version of a Final Determination: identities and identifiers removed, medicine kept.

Built on Microsoft Presidio (presidio-analyzer finds, presidio-anonymizer replaces), offline: no NLP
model is loaded (Presidio's NoOpNlpEngine), every recognizer is a pattern recognizer, and the `regex`
module Presidio uses makes every pattern Unicode-aware. Two kinds of recognizer:

- per case, a deny list of the declared parties (`parties`, the RFA's treating physician), each
  expanded into the forms a letter writes it in: any case ("ROE, JANE"), surname first, with or without
  initials, titles, diacritics ("Nunez" for "Núñez") and an organization's legal suffix, the surname or
  given name alone (unless it is also an ordinary word such as "May"), and the claim number with any or
  no separators;
- for every case, patterns for what no party list declares: dates of birth in any written form after a
  birth cue, Social Security numbers however separated, telephone numbers (Presidio's recognizer, which
  uses Google's phonenumbers library), e-mail addresses, street addresses, and a relative's name after
  the relation ("her husband Tomas").

Guideline names, specialties and medical terms are never touched: a party value made only of medical
and role words ("Pain management physician") is a description, not a name, and no name match may fall
inside a protected phrase (the knowledge base's guideline and topic names, the specialty table).
Ages, sex, the date of injury, the guidelines and the rationale stay: they make a published decision useful.
"""

from __future__ import annotations

import functools
import logging
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import regex
import yaml
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NoOpNlpEngine
from presidio_analyzer.predefined_recognizers import PhoneRecognizer
from presidio_analyzer.recognizer_registry import RecognizerRegistry
from presidio_anonymizer import AnonymizerEngine
from presidio_anonymizer.entities import OperatorConfig

from openimr import yamlio
from openimr.models.case import CaseFile
from openimr.workflow.settings import fallback

log = logging.getLogger("openimr.redaction")

LABELS = {
    "WORKER": "[injured worker]",
    "EMPLOYER": "[employer]",
    "CLAIMS_ADMINISTRATOR": "[claims administrator]",
    "INSURER": "[insurer]",
    "PROVIDER": "[provider]",
    "FACILITY": "[facility]",
    "ATTORNEY": "[attorney]",
    "PARTY": "[party]",
    "RELATIVE": "[relative]",
    "CLAIM_NUMBER": "[claim number]",
    "DATE_OF_BIRTH": "[date of birth]",
    "SSN": "[SSN]",
    "PHONE_NUMBER": "[telephone]",
    "EMAIL": "[e-mail]",
    "ADDRESS": "[address]",
}
FIELD_ENTITY = {
    "worker_name": "WORKER", "employer": "EMPLOYER", "claims_administrator": "CLAIMS_ADMINISTRATOR",
    "insurer": "INSURER", "treating_physician": "PROVIDER", "providers": "PROVIDER", "facilities": "FACILITY",
    "applicant_attorney": "ATTORNEY", "claim_number": "CLAIM_NUMBER",
}
PERSON_FIELDS = {"worker_name", "treating_physician", "providers", "applicant_attorney"}
NAME_ENTITIES = {"WORKER", "EMPLOYER", "CLAIMS_ADMINISTRATOR", "INSURER", "PROVIDER", "FACILITY", "ATTORNEY",
                 "PARTY", "RELATIVE"}

TITLES = r"(?:Dr|Mr|Mrs|Ms|Mx|Miss|Doctor|Prof|Professor|Claimant|Patient|Applicant|Attorney|Atty)\.?"
CREDENTIALS = {"md", "do", "dc", "phd", "psyd", "np", "pa", "pac", "rn", "dpm", "dds", "mph", "facs", "jr", "sr",
               "ii", "iii", "iv", "esq", "dr", "mr", "mrs", "ms", "mx", "miss", "prof", "lcsw", "pt", "dpt", "ot"}
LEGAL_SUFFIXES = {"inc", "incorporated", "llc", "l.l.c", "llp", "lp", "ltd", "limited", "corp", "corporation",
                  "co", "company", "plc", "pc", "p.c", "apc", "pllc", "gmbh", "sa", "na", "n.a"}
SEP = r"[\s.,\-/]*"  # between the words of a name as written
BOUND_L = r"(?<![\p{L}\p{N}])"
BOUND_R = r"(?![\p{L}\p{N}])"

_DATA = Path(__file__).with_name("redaction_vocabulary.yaml")


@functools.cache
def _vocabulary() -> dict[str, Any]:
    return yamlio.safe_load(_DATA.read_text(encoding="utf-8"))


def _words(text: str) -> list[str]:
    return regex.findall(r"[\p{L}\p{N}][\p{L}\p{N}'’]*", text)


@functools.cache
def _protected() -> tuple[regex.Pattern[str] | None, frozenset[str]]:
    """(a pattern of the protected phrases, the medical and role words). From the vocabulary file, the
    specialty table and the knowledge base (guideline documents, topic names)."""
    voc = _vocabulary()
    phrases: set[str] = set(voc.get("protected_phrases") or [])
    words: set[str] = {w.lower() for w in voc.get("medical_words") or []}
    try:
        table = yamlio.safe_load(Path(__file__).with_name("specialty_matching.yaml").read_text(encoding="utf-8"))
        for canon, aliases in (table.get("aliases") or {}).items():
            phrases.update([canon, *aliases])
    except (OSError, yaml.YAMLError) as exc:
        fallback("redaction.specialties", "specialty table unreadable for redaction (%s)", type(exc).__name__)
    try:
        from openimr.guidelines.knowledge_base import default_knowledge_base

        for topic in default_knowledge_base().topics.values():
            phrases.add(topic.name)
            for g in topic.guidelines:
                phrases.update([g.document, *([g.chapter] if g.chapter else [])])
    except Exception as exc:  # redaction still runs on the built-in list
        fallback("redaction.kb", "knowledge base not loaded for redaction's protected phrases (%s)", type(exc).__name__)
    for p in phrases:
        words.update(w.lower() for w in _words(p) if len(w) > 2)
    alts = sorted({" ".join(p.split()) for p in phrases if len(p.strip()) > 3}, key=len, reverse=True)
    body = "|".join(r"\s+".join(regex.escape(w) for w in p.split()) for p in alts)
    pattern = regex.compile(rf"(?i){BOUND_L}(?:{body}){BOUND_R}") if body else None
    return pattern, frozenset(words)


@functools.cache
def _fold_char(ch: str) -> str:
    base = "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))
    return base if len(base) == 1 else ch


def fold(text: str) -> str:
    """Diacritics off, one character for one ('Núñez' -> 'Nunez'), so offsets into the folded text are
    offsets into the original: names are matched with or without their accents."""
    return "".join(_fold_char(c) if ord(c) > 127 else c for c in text)


def _letter(ch: str) -> str:
    if ch in "'’":
        return "['’]"
    return regex.escape(ch)


def _word_rx(word: str) -> str:
    return "".join(_letter(c) for c in word)


def _cjk(text: str) -> bool:
    return any(unicodedata.name(c, "").startswith(("CJK", "HIRAGANA", "KATAKANA", "HANGUL")) for c in text)


def _phrase_rx(words: list[str]) -> str:
    return SEP.join(_word_rx(w) for w in words)


def _bounded(body: str, cjk: bool = False) -> str:
    # CJK script has no spaces between words: a name there is matched wherever it stands.
    return body if cjk else f"{BOUND_L}(?:{body}){BOUND_R}"


def _ordinary(word: str, common: frozenset[str], medical: frozenset[str]) -> bool:
    """A word that is not only a name: an ordinary or medical word, or a US state ("Licensed in Nevada")."""
    from openimr.workflow.matching import normalize_state

    w = word.lower()
    return w in common or w in medical or (len(w) > 2 and normalize_state(word) is not None)


def _is_description(value: str, medical: frozenset[str]) -> bool:
    """'physical medicine', 'Pain management physician': no word of it could identify anyone."""
    ws = [w.lower() for w in _words(value)]
    return bool(ws) and all(w in medical or w in CREDENTIALS or len(w) <= 2 for w in ws)


def _person_patterns(name: str, common: frozenset[str], medical: frozenset[str]) -> list[tuple[str, str, float]]:
    """(name, regex, score) for a person's name in the forms letters write it."""
    stripped = regex.sub(rf"(?i)^\s*{TITLES}\s+", "", fold(name.strip()))
    words = [w for w in _words(stripped) if w.lower().replace(".", "") not in CREDENTIALS]
    if not words:
        return []
    if _cjk(stripped):
        full = "".join(words)
        return [("cjk-name", regex.escape(full), 0.9)]
    pats: list[tuple[str, str, float]] = []
    first, last = words[0], words[-1]
    middles = words[1:-1]
    full = _phrase_rx(words)
    cred = "|".join(regex.escape(c) for c in sorted(CREDENTIALS | {"m.d", "d.o", "ph.d", "esq"}, key=len, reverse=True))
    tail = rf"(?:\s*,?\s*(?:{cred})\b\.?)*"  # ", MD", " M.D.", ", Esq."
    full += tail
    pats.append(("full", "(?i)" + _bounded(full), 0.95))
    if len(words) >= 2:
        # "Roe, Jane", "ROE JANE A.", "J. Roe", "Jane A. Roe", "Roe J"
        mid = "".join(rf"(?:{SEP}{_word_rx(m)}|{SEP}{_letter(m[0])}\.?)?" for m in middles)
        opt_mid = rf"(?:{SEP}\p{{L}}\.?)?"
        pats.append(("last-first", "(?i)" + _bounded(rf"{_word_rx(last)}\s*,?\s*{_word_rx(first)}{mid}{opt_mid}"), 0.95))
        pats.append(("first-mid-last", "(?i)" + _bounded(rf"{_word_rx(first)}{mid}{opt_mid}{SEP}{_word_rx(last)}{tail}"), 0.95))
        pats.append(("initial-last", "(?i)" + _bounded(rf"{_letter(first[0])}\.?\s*{_word_rx(last)}"), 0.9))
    for w in {first, last, *middles}:
        if len(w) < 2:
            continue
        # after a title, in any case: "Dr. Treat", "MS. ROE"
        pats.append(("title-" + w, "(?i)" + _bounded(rf"{TITLES}\s*{_word_rx(w)}"), 0.95))
        if _ordinary(w, common, medical):
            continue  # "May", "Rose", "Spine", "Nevada": only in the full name or after a title
        # alone, written as a name: capitalized or in capitals ("Roe", "ROE"), never lower case
        cap = _letter(w[0].upper()) + "".join(_letter(c) for c in w[1:].lower())
        upper = "".join(_letter(c) for c in w.upper())
        pats.append(("alone-" + w, _bounded(f"(?:{cap}|{upper})"), 0.85))
    return pats


def _org_patterns(name: str, common: frozenset[str], medical: frozenset[str]) -> list[tuple[str, str, float]]:
    name = fold(name)
    words = _words(name)
    if _cjk(name):
        return [("cjk-org", regex.escape("".join(words)), 0.9)]
    # "Big Box Warehouse Inc" is also written "Big Box Warehouse": the legal suffix is optional
    suffixes = "|".join(regex.escape(x) for x in sorted(LEGAL_SUFFIXES, key=len, reverse=True))
    core_text = name
    while True:
        shorter = regex.sub(rf"(?i)[\s,]+(?:{suffixes})\.?\s*$", "", core_text)
        if shorter == core_text or not _words(shorter):
            break
        core_text = shorter
    core = _words(core_text)
    if not core:
        return []
    # "&" and "and" are interchangeable
    parts = [p for p in regex.split(r"(?i)\s*(?:&|\band\b)\s*", core_text) if _words(p)]
    body = rf"{SEP}(?:&|and){SEP}".join(_phrase_rx(_words(part)) for part in parts)
    suffix = rf"(?:{SEP}(?:{'|'.join(regex.escape(s) for s in sorted(LEGAL_SUFFIXES, key=len, reverse=True))})\.?)?"
    pats = [("org", "(?i)" + _bounded(body + suffix), 0.95)]
    head = core[0]
    if len(core) > 1 and len(head) >= 4 and head[0].isupper() and not _ordinary(head, common, medical):
        # "Acme" for "Acme Spine Clinic": the distinctive first word, written as a name
        pats.append(("org-head", _bounded(f"(?:{_word_rx(head)}|{_word_rx(head.upper())})"), 0.85))
    return pats


def _claim_patterns(number: str) -> list[tuple[str, str, float]]:
    chars = [c for c in unicodedata.normalize("NFKC", number) if c.isalnum()]
    if len(chars) < 3:
        return []
    return [("claim", "(?i)" + _bounded(r"[\s\-./]?".join(regex.escape(c) for c in chars)), 1.0)]


# ---------------------------------------------------------------------------- patterns for every case
MONTHS = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
DATE = (rf"(?:\d{{1,2}}[/\-.\s]\d{{1,2}}[/\-.\s]\d{{2,4}}|\d{{4}}[/\-.]\d{{1,2}}[/\-.]\d{{1,2}}|"
        rf"\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?[\s\-]+{MONTHS}[\s,\-]+\d{{2,4}}|{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|"
        rf"\d{{8}})")
BIRTH_CUE = (r"(?:date\s+of\s+birth|birth\s*date|birthdate|d\.?\s*o\.?\s*b\.?|born(?:\s+on)?|fecha\s+de\s+nacimiento)"
             r"\s*(?:[:#\-]|is|was)?\s*")
RELATIONS = (r"(?:husband|wife|spouse|partner|son|daughter|mother|father|mom|dad|brother|sister|sibling|"
             r"grandson|granddaughter|grandmother|grandfather|niece|nephew|aunt|uncle|cousin|fianc[eé]e?|"
             r"boyfriend|girlfriend|caregiver|relative|child|stepson|stepdaughter|in-law)")
STREET = (r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Way|Court|Ct|Place|Pl|Terrace|Ter|"
          r"Parkway|Pkwy|Highway|Hwy|Circle|Cir|Trail|Trl|Square|Sq|STREET|ST|AVENUE|AVE|ROAD|RD|BLVD|DRIVE|DR|LANE|LN)")


def _generic_recognizers() -> list[EntityRecognizer]:
    i = "(?i)"
    recognizers: list[EntityRecognizer] = [
        PatternRecognizer("DATE_OF_BIRTH", name="dob", patterns=[
            Pattern("dob-after-cue", rf"{i}(?<={BIRTH_CUE}){DATE}{BOUND_R}", 1.0)]),
        PatternRecognizer("SSN", name="ssn", patterns=[
            Pattern("ssn-separated", r"(?<![\d\-])\d{3}([\s\-.])\d{2}\1\d{4}(?![\d\-])", 0.9),
            Pattern("ssn-after-cue", rf"{i}(?<=(?:ssn|ss\s*#|social\s+security(?:\s+(?:no\.?|number|#))?)\s*[:#]?\s*)"
                                     r"\d{3}[\s\-.]?\d{2}[\s\-.]?\d{4}(?!\d)", 1.0)]),
        PatternRecognizer("CLAIM_NUMBER", name="claim-cue", patterns=[
            Pattern("claim-after-cue", rf"{i}(?<=\bclaim\s*(?:no\.?|number|num\.?|#)\s*[:#.]?\s*)"
                                       r"[A-Z0-9][A-Z0-9\-/.]{3,}(?<![.\-/])", 1.0)]),
        PatternRecognizer("EMAIL", name="email", patterns=[
            Pattern("email", r"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+", 1.0)]),
        PatternRecognizer("PHONE_NUMBER", name="phone-pattern", patterns=[
            Pattern("phone-nanp", r"(?<![\d\-])(?:\+?1[\s\-.]?)?(?:\(\d{3}\)\s*|\d{3}[\s\-.])\d{3}[\s\-.]\d{4}"
                                  r"(?:\s*(?:x|ext\.?|extension)\s*\d{1,5})?(?![\d\-])", 0.9),
            Pattern("phone-after-cue", rf"{i}(?<=(?:phone|tel|telephone|cell|mobile|fax)\.?\s*(?:no\.?|number|#)?\s*[:#]?\s*)"
                                       r"[+(]?\d[\d\s\-.()]{6,20}\d", 1.0)]),
        PhoneRecognizer(supported_regions=("US",), leniency=1),
        PatternRecognizer("ADDRESS", name="address", patterns=[
            Pattern("street", rf"(?<![\p{{L}}\p{{N}}])\d{{1,6}}(?:\s+[NSEW]\.?)?(?:\s+(?:\p{{Lu}}[\p{{L}}'.\-]*|\d+(?:st|nd|rd|th)?)){{1,4}}\s+{STREET}\.?"
                              rf"(?:,?\s+(?i:apt|apartment|suite|ste|unit|#)\.?\s*#?[\p{{L}}\p{{N}}\-]+)?"
                              rf"(?:,\s*[\p{{L}} .]+,\s*[A-Z]{{2}}\s+\d{{5}}(?:-\d{{4}})?)?{BOUND_R}", 0.9),
            Pattern("po-box", rf"{i}\bP\.?\s*O\.?\s*Box\s+\d+", 0.9),
            Pattern("city-state-zip", r"(?<![\p{L}])[\p{Lu}][\p{L}.]+(?:\s[\p{Lu}][\p{L}.]+){0,2},\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?(?!\d)", 0.9)]),
        PatternRecognizer("RELATIVE", name="relative", patterns=[
            Pattern("relative-name", rf"(?<=(?i:\b{RELATIONS})(?:,|\s+named|\s+called|\s+is)?\s+)"
                                     r"\p{Lu}[\p{Ll}'’\-]+(?:\s+\p{Lu}[\p{Ll}'’\-]+)?", 0.8)]),
    ]
    for r in recognizers:  # case-sensitive unless a pattern says (?i): a name is capitalized
        if isinstance(r, PatternRecognizer):
            r.global_regex_flags = regex.DOTALL | regex.MULTILINE
    return recognizers


@functools.cache
def _engines() -> tuple[AnalyzerEngine, AnonymizerEngine]:
    registry = RecognizerRegistry(supported_languages=["en"])
    for r in _generic_recognizers():
        registry.add_recognizer(r)
    nlp = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"]), AnonymizerEngine()


def _party_values(case: CaseFile) -> list[tuple[str, str, str]]:
    """(field, entity, value) for every declared party name or identifier."""
    out: list[tuple[str, str, str]] = []
    parties = case.parties.model_dump() if case.parties else {}
    for fld, value in parties.items():
        entity = FIELD_ENTITY.get(fld, "PARTY")
        for v in value if isinstance(value, list) else [value]:
            if isinstance(v, str) and v.strip():
                out.append((fld, entity, v.strip()))
    rfa = case.request_for_authorization
    if rfa and rfa.treating_physician:
        out.append(("treating_physician", "PROVIDER", rfa.treating_physician.strip()))
    return out


def case_recognizers(case: CaseFile) -> list[EntityRecognizer]:
    """The deny-list recognizers for this case's declared parties."""
    _, medical = _protected()
    common = frozenset(w.lower() for w in _vocabulary().get("common_words") or [])
    by_entity: dict[str, list[Pattern]] = {}
    for fld, entity, value in _party_values(case):
        if fld == "claim_number":
            pats = _claim_patterns(value)
        elif "date_of_birth" in fld or fld in {"dob", "birth_date"}:
            pats = _date_patterns(value)
            entity = "DATE_OF_BIRTH"
        elif _is_description(value, medical):
            continue  # a specialty or role, not a name
        elif fld in PERSON_FIELDS or fld not in FIELD_ENTITY and _looks_like_person(value):
            pats = _person_patterns(value, common, medical)
        else:
            pats = _org_patterns(value, common, medical)
        by_entity.setdefault(entity, []).extend(Pattern(f"{fld}-{n}", rx, score) for n, rx, score in pats)
    return [PatternRecognizer(entity, name=f"case-{entity.lower()}", patterns=ps, global_regex_flags=0)
            for entity, ps in by_entity.items() if ps]


def _looks_like_person(value: str) -> bool:
    ws = _words(value)
    return 1 <= len(ws) <= 4 and not any(w.lower().rstrip(".") in LEGAL_SUFFIXES for w in ws)


def _date_patterns(value: str) -> list[tuple[str, str, float]]:
    """A declared date of birth, however it is written."""
    import datetime as dt

    try:
        d = dt.date.fromisoformat(value[:10])
    except ValueError:
        return [("dob-literal", regex.escape(value), 1.0)]
    month = d.strftime("%B")
    mon = month[:3]
    forms = [rf"0?{d.month}[/\-.\s]0?{d.day}[/\-.\s](?:{d.year}|{d.year % 100:02d})",
             rf"0?{d.day}[/\-.\s]0?{d.month}[/\-.\s](?:{d.year}|{d.year % 100:02d})",
             rf"{d.year}[/\-.]0?{d.month}[/\-.]0?{d.day}",
             rf"0?{d.day}(?:st|nd|rd|th)?(?:\s+of)?[\s\-]+(?:{month}|{mon}\.?)[\s,\-]+{d.year}",
             rf"(?:{month}|{mon}\.?)\s+0?{d.day}(?:st|nd|rd|th)?,?\s+{d.year}"]
    return [("dob-declared", "(?i)" + _bounded("|".join(forms)).replace(BOUND_L, r"(?<![\d\p{L}])"), 1.0)]


def _keep(result: RecognizerResult, text: str, protected: regex.Pattern[str] | None,
          spans: list[tuple[int, int]]) -> bool:
    """A name match inside a protected phrase (a guideline, a specialty) is not a name."""
    if result.entity_type not in NAME_ENTITIES or protected is None:
        return True
    return not any(s <= result.start and result.end <= e for s, e in spans)


def redact_text(text: str, recognizers: Iterable[EntityRecognizer]) -> str:
    if not text or not text.strip():
        return text
    text = unicodedata.normalize("NFC", text)
    folded = fold(text)
    analyzer, anonymizer = _engines()
    protected, _ = _protected()
    results = analyzer.analyze(folded, language="en", ad_hoc_recognizers=list(recognizers),
                               regex_flags=regex.DOTALL | regex.MULTILINE)
    spans = [m.span() for m in protected.finditer(folded)] if protected is not None else []
    results = [r for r in results if _keep(r, folded, protected, spans)]
    if not results:
        return text
    operators = {e: OperatorConfig("replace", {"new_value": label}) for e, label in LABELS.items()}
    return anonymizer.anonymize(text=text, analyzer_results=results, operators=operators).text


def redact_obj(obj: Any, recognizers: list[EntityRecognizer]) -> Any:
    if isinstance(obj, str):
        return redact_text(obj, recognizers)
    if isinstance(obj, list):
        return [redact_obj(o, recognizers) for o in obj]
    if isinstance(obj, dict):
        return {k: redact_obj(v, recognizers) for k, v in obj.items()}
    return obj


def published_version(case: CaseFile, determination: dict[str, Any], letter_text: str) -> dict[str, Any]:
    recognizers = case_recognizers(case)
    return {"determination": redact_obj(determination, recognizers), "letter_text": redact_text(letter_text, recognizers)}
