"""Which document speaks: a utilization review's opinion is not a clinical finding.

A UR letter (and a sentence in any other document that reports what the utilization reviewer said)
restates older notes and gives the reviewer's reading of them: "there is no documentation of
functional improvement", "prior note indicates 8/10 pain with medications". Read as findings, that
opinion would be the latest document and would override the treating physician's own note. So the
clinical facts read there (findings, pain scores, function and work statements, sentence cues,
courses of care and their responses) are dropped - neither for nor against the request - while what
the letter records about the request itself (what was requested, certified in part, modified) is kept,
a drug it names becomes a requested one, and studies and diagnoses it restates are kept.

The remaining conflicts between clinical notes are resolved by the engine by document date (the
latest clinical note governs); this stage only makes sure a UR letter is not a clinical note.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from openimr.extract.cues import _SENTENCE
from openimr.models.case import CaseFile, Document
from openimr.models.facts import CaseFacts, Evidence

# Document types whose author is the utilization reviewer (or the claims administrator).
UR_DOCUMENT_TYPES = frozenset({"ur_decision", "ur", "utilization_review", "ur_letter", "ur_determination", "peer_review"})
_UR_HEADING = re.compile(r"^\s*(?:[A-Z][\w&.,' -]{0,60}\n\s*)?(?:UTILIZATION REVIEW|UR)\s+(?:DETERMINATION|DECISION|REPORT|NOTICE)\b")

# A clause whose subject is the reviewer: "Utilization Review non-certified ...", "According to the UR
# physician, ...", "The prior review ... indicated ...", "UR denied PT citing ...".
_UR_SUBJECT = re.compile(
    r"(?i:\butilization\s+review(?:er)?\b|\b(?:the\s+)?(?:prior|previous|original|initial)\s+(?:review|determination|reviewer)\b|"
    r"\breviewing\s+physician\b|\bpeer\s+review(?:er)?\b|\bclaims\s+administrator\b|\bthe\s+reviewer\b)|\bUR\b"
)
# A denial with its reason, subject unnamed: "The requested TENS unit was previously denied due to lack of
# documentation ...", "non-certified as there was no evidence of ...".
_UR_REASONING = re.compile(
    r"\b(?:non-?certif\w*|denied|was\s+modified|not\s+(?:medically\s+)?(?:necessary|supported|certified))\b"
    r"[^.]{0,200}?\b(?:due\s+to|because|as\s+there|as\s+the|since|citing|for\s+lack|lack\s+of|no\s+(?:documentation|evidence)|"
    r"not\s+documented|absence\s+of)\b",
    re.I,
)
# speed: a sentence without any of these words cannot be the reviewer's
_UR_WORDS = re.compile(r"(?i:review|administrator|certif|denied|modified|necessary|supported)|\bUR\b")
_CLAUSE = re.compile(r"[;,]\s*|\s+(?:and|but|while|whereas)\s+", re.I)

# Cues that describe the request or the course of care, not the worker's condition: kept in a UR letter.
_UR_KEPT_CUES = frozenset({"partially_certified", "first_time", "treatment_history"})


def is_ur_document(doc: Document) -> bool:
    return (doc.type or "").lower() in UR_DOCUMENT_TYPES or bool(_UR_HEADING.match(doc.text[:200]))


def ur_zones(case: CaseFile) -> dict[str, list[tuple[int, int]]]:
    """document id -> sorted, disjoint character ranges where the utilization reviewer speaks."""
    zones: dict[str, list[tuple[int, int]]] = {}
    for doc in case.documents:
        if is_ur_document(doc):
            zones[doc.id] = [(0, len(doc.text))]
            continue
        spans: list[tuple[int, int]] = []
        for start, end, sent in _sentences_with_ur_words(doc.text):
            m = _UR_SUBJECT.search(sent) or _UR_REASONING.search(sent)
            if m is None:
                continue
            # from the clause that names the reviewer to the end of the sentence: "She completed 12 PT
            # visits with 50% improvement, and UR certified 6 more" keeps its first clause
            cut = 0
            for c in _CLAUSE.finditer(sent, 0, m.start()):
                cut = c.end()
            spans.append((start + cut, end))
        if spans:
            zones[doc.id] = spans
    return zones


# speed: on ASCII text, _UR_WORDS's words ignoring case are these in the lower-cased text, and "UR" is found by its
# literal (the engine searches a literal fast, an alternation ignoring case at every position)
_UR_WORDS_LOWER = re.compile(r"review|administrator|certif|denied|modified|necessary|supported")
_UR_ABBREV = re.compile(r"UR(?<=\bUR)\b")


def _ur_word_starts(text: str) -> list[int]:
    """Where `_UR_WORDS` matches in `text`, or (ASCII text) where one of its words begins: either way a sentence
    holds one of these places exactly when `_UR_WORDS.search` finds a match in it."""
    if not text.isascii():
        return [m.start() for m in _UR_WORDS.finditer(text)]
    found = [m.start() for m in _UR_WORDS_LOWER.finditer(text.lower())] + [m.start() for m in _UR_ABBREV.finditer(text)]
    return sorted(found)


def _sentences_with_ur_words(text: str) -> Iterator[tuple[int, int, str]]:
    """The sentences of `cues.sentences(text)` in which `_UR_WORDS` matches, found from the word's matches in the
    whole text (speed only). Each match is letters, so it lies inside one sentence (a sentence is a run of
    characters other than ".!?" and line breaks, then its stops) and is found there as well, the characters
    around a sentence (a stop, a line break, a space or nothing) being no word characters for \\b."""
    last = 0
    for p in _ur_word_starts(text):
        if p < last:
            continue  # in the sentence already given
        run = max(text.rfind(c, 0, p) for c in ".!?\n") + 1  # the sentence starts after the last stop or line break
        sm = _SENTENCE.match(text, run)
        if sm is None or sm.end() <= p:  # (cannot happen: a match is not a stop or a line break)
            continue
        last = sm.end()
        raw = sm.group(0)
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        yield sm.start() + lead, sm.start() + lead + len(stripped), stripped


class _Zones:
    def __init__(self, zones: dict[str, list[tuple[int, int]]]):
        self.zones = zones
        self.starts = {d: [s for s, _ in z] for d, z in zones.items()}

    def inside(self, e: Evidence) -> bool:
        z = self.zones.get(e.document)
        if not z:
            return False
        i = bisect_right(self.starts[e.document], e.start) - 1
        return i >= 0 and e.start < z[i][1]


def _keep(fact, zones: _Zones) -> bool:  # noqa: ANN001 - any Fact
    """A fact read only inside the reviewer's words goes; evidence there is dropped from the others."""
    if not fact.evidence:
        return True
    outside = [e for e in fact.evidence if not zones.inside(e)]
    if not outside:
        return False
    if len(outside) != len(fact.evidence):
        fact.evidence = outside
    return True


def drop_ur_opinion(case: CaseFile, facts: CaseFacts) -> None:
    """Remove from `facts` the clinical facts that only the utilization reviewer states (in place)."""
    raw = ur_zones(case)
    if not raw:
        return
    zones = _Zones(raw)
    facts.findings = [f for f in facts.findings if _keep(f, zones)]
    facts.pain = [p for p in facts.pain if _keep(p, zones)]
    facts.function = [s for s in facts.function if _keep(s, zones)]
    facts.work_status = [s for s in facts.work_status if _keep(s, zones)]
    facts.cues = [c for c in facts.cues if c.name in _UR_KEPT_CUES or _keep(c, zones)]
    for m in facts.medications:
        # a drug the reviewer names is the request under review, not a drug the record shows taken
        if m.status == "current" and m.evidence and all(zones.inside(e) for e in m.evidence):
            m.status = "requested"
    kept = []
    for t in facts.treatments:
        if t.evidence and all(zones.inside(e) for e in t.evidence):
            if t.status != "planned":
                # a course only the reviewer mentions ("guidelines require relief after prior ESIs") is not the
                # record's history; the clinical notes state the care given
                continue
            t.response = None  # what the reviewer says a course did (or did not) do is opinion
        kept.append(t)
    facts.treatments = kept
