"""The published version of a Final Determination: identities and claim numbers removed.

Removed: the injured worker's, providers' (treating physician, other providers, facilities), employer's,
claims administrator's, insurer's and attorney's names as the case's `parties` give them (whole name,
and a person's surname after a title such as "Dr."), and by pattern: claim numbers, dates of birth,
Social Security numbers, telephone numbers and e-mail addresses. Ages, sex, the date of injury, the
guidelines and the rationale stay: they are what makes a published decision useful.
"""

from __future__ import annotations

import re
from typing import Any

from openimr.models.case import CaseFile

LABELS = {
    "worker_name": "[injured worker]",
    "employer": "[employer]",
    "claims_administrator": "[claims administrator]",
    "insurer": "[insurer]",
    "treating_physician": "[provider]",
    "providers": "[provider]",
    "facilities": "[facility]",
    "applicant_attorney": "[attorney]",
    "claim_number": "[claim number]",
}
PERSON_FIELDS = {"worker_name", "treating_physician", "providers", "applicant_attorney"}
TITLES = r"(?:Dr|Mr|Mrs|Ms|Miss|Doctor|Claimant|Patient|Applicant)\.?"

# Names that are also ordinary words: not redacted when they stand alone.
COMMON_WORDS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "will", "mark", "grant", "bill", "rich", "hope", "faith", "joy", "rose",
    "summer", "dawn", "page", "long", "young", "white", "black", "brown", "green", "gray", "case", "review",
}

PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(?i)(\bclaim\s*(?:no\.?|number|num\.?|#)\s*[:#.]?\s*)([A-Z0-9][A-Z0-9\-/]{3,})"), r"\1[claim number]"),
    (re.compile(r"(?i)(\b(?:date\s+of\s+birth|d\.?o\.?b\.?|born(?:\s+on)?)\s*[:\-]?\s*)"
                r"(\d{1,2}[/-]\d{1,2}[/-]\d{2,4}|\d{4}-\d{2}-\d{2}|[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4})"), r"\1[date of birth]"),
    (re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), "[SSN]"),
    (re.compile(r"(?<!\d)(?:\(\d{3}\)\s*|\b\d{3}[-.\s])\d{3}[-.]\d{4}\b"), "[telephone]"),
    (re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b"), "[e-mail]"),
]


def _phrase(name: str) -> re.Pattern[str] | None:
    words = re.findall(r"[A-Za-z0-9&']+", name)
    if not words:
        return None
    body = r"[\s.,\-]*".join(re.escape(w) for w in words)
    return re.compile(rf"(?i)(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])")


def redaction_rules(case: CaseFile) -> list[tuple[re.Pattern[str], str]]:
    """Patterns for this case's party names, longest first, then the generic patterns."""
    names: list[tuple[str, str, bool]] = []  # (name, label, is_person)
    parties = case.parties.model_dump() if case.parties else {}
    for fld, value in parties.items():
        label = LABELS.get(fld, "[party]")
        person = fld in PERSON_FIELDS
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, str) and v.strip():
                names.append((v.strip(), label, person))
    rfa = case.request_for_authorization
    if rfa and rfa.treating_physician:
        names.append((rfa.treating_physician, "[provider]", True))
    rules: list[tuple[re.Pattern[str], str]] = []
    surnames: list[tuple[str, str]] = []
    for name, label, person in sorted(names, key=lambda n: -len(n[0])):
        if label == "[claim number]":
            rules.append((re.compile(re.escape(name), re.I), label))
            continue
        pat = _phrase(re.sub(rf"^{TITLES}\s+", "", name, flags=re.I))
        if pat:
            rules.append((pat, label))
        if person:
            words = [w for w in re.findall(r"[A-Za-z']+", name) if w.lower().rstrip(".") not in
                     {"dr", "mr", "mrs", "ms", "md", "do", "jr", "sr", "phd", "dc"}]
            if len(words) >= 2 and len(words[-1]) >= 2:
                surnames.append((words[-1], label))
                surnames.append((words[0], label))
    for word, label in surnames:
        # A surname or given name after a title, or alone as a capitalized word (unless it is also an
        # ordinary word such as "May" or "Will": the full name is still redacted).
        rules.append((re.compile(rf"\b{TITLES}\s+{re.escape(word)}\b", re.I), label))
        if word.lower() in COMMON_WORDS:
            continue
        rules.append((re.compile(rf"(?<![A-Za-z0-9]){re.escape(word[0].upper() + word[1:])}(?![A-Za-z0-9])"), label))
    return rules + PATTERNS


def redact_text(text: str, rules: list[tuple[re.Pattern[str], str]]) -> str:
    for pat, repl in rules:
        text = pat.sub(repl, text)
    return text


def redact_obj(obj: Any, rules: list[tuple[re.Pattern[str], str]]) -> Any:
    if isinstance(obj, str):
        return redact_text(obj, rules)
    if isinstance(obj, list):
        return [redact_obj(o, rules) for o in obj]
    if isinstance(obj, dict):
        return {k: redact_obj(v, rules) for k, v in obj.items()}
    return obj


def published_version(case: CaseFile, determination: dict[str, Any], letter_text: str) -> dict[str, Any]:
    rules = redaction_rules(case)
    return {"determination": redact_obj(determination, rules), "letter_text": redact_text(letter_text, rules)}
