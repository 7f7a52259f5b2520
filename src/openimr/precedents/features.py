"""What the precedent index knows about one decided item, and the words it is matched on.

An item of a letter becomes a row: its topic and request parts (read by the request classifier), its
decision, the IMR guideline it cites, the rationale's sentence about this case, and the facts of its
clinical case summary as the extractor reads them. The same feature words are built for a query (a
request string, or a disputed item of a case file with its extracted facts), so a query and the items
it is compared with are described alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from openimr.models.case import CaseFile, DisputedItem, Document
from openimr.models.facts import CaseFacts
from openimr.models.request import ClassifiedRequest

_WORD = re.compile(r"[a-z][a-z0-9]+|\d+(?:\.\d+)?")
_STOP = frozenset("""the of and for to a an in on with was were is be by at as or from per x
request requested original remaining portion imr eligible authorized claims administrator""".split())  # noqa: SIM905
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"])")
# A sentence about this case (the decisive reason), in the order reviewers usually write them.
_CASE_CUES = (
    re.compile(r"^(?:In this (?:case|instance)|In the case of|Here|Within the (?:medical )?records|Per the (?:medical )?records|"
               r"The (?:medical )?records?|The documentation|There (?:is|was|are|were) (?:no|not|insufficient|limited)|"
               r"(?:Medical )?[Dd]ocumentation)\b"),
    re.compile(r"\b(?:no documentation|not documented|does not document|did not document|without documentation|"
               r"no evidence|is not supported|are not supported|failed to|has not|have not|lack of|absence of)\b", re.I),
)
_CONCLUSION = re.compile(r"\b(?:medically necessary|not medically necessary|is supported|is not supported|"
                         r"is (?:not )?warranted|is (?:not )?indicated|is (?:not )?appropriate)\b", re.I)
_THEREFORE = re.compile(r"^(?:Therefore|Thus|Hence|As such|Accordingly|Consequently|Given|Based on|In summary|"
                        r"In conclusion|For these reasons|For this reason|Because of|The request)\b", re.I)
_CASE_NUMBER = re.compile(r"\bCM\d{2}-\d{5,8}\b")


def item_id(letter: str, index: int) -> str:
    return f"{letter}#{index}"


def letter_key(record: dict[str, Any]) -> str:
    """The letter's name in the index: its case number when the record (or its file name) gives one,
    else the file stem, else a hash of the record."""
    for k in ("case_number", "case"):
        v = record.get(k)
        if isinstance(v, str) and v.strip():
            return v.strip()
    source = str(record.get("source") or "")
    if m := _CASE_NUMBER.search(Path(source).name):
        return m.group(0)
    if source:
        return Path(source).stem or source
    return "letter-" + record_hash(record)[:12]


def record_hash(record: dict[str, Any]) -> str:
    """A stable hash of a corpus record: a changed letter is indexed again."""
    blob = json.dumps(record, sort_keys=True, default=str, ensure_ascii=False).encode("utf-8")
    return hashlib.blake2b(blob, digest_size=16).hexdigest()


def record_date(record: dict[str, Any]) -> dt.date | None:
    """The decision date of a letter, when its record carries one."""
    for k in ("decision_date", "date", "determination_date", "signed_date"):
        v = record.get(k)
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, dt.date):
            return v
        if isinstance(v, str) and v:
            try:
                return dt.date.fromisoformat(v[:10])
            except ValueError:
                continue
        if isinstance(v, dict):  # a header block {"decision_date": ...}
            d = record_date(v)
            if d:
                return d
    header = record.get("header")
    return record_date(header) if isinstance(header, dict) else None


def guideline_label(guideline: dict[str, Any] | None) -> str | None:
    """A short form of the IMR guideline an item cites: "MTUS Chronic Pain Medical Treatment 2009,
    Carisoprodol (Soma), p. 29" (first citation only)."""
    if not guideline:
        return None
    cits = guideline.get("citations") or []
    if not cits:  # "The Expert Reviewer did not cite any medical evidence ...": said as written
        text = " ".join(str(guideline.get("text") or "").split())
        return (text if len(text) <= 160 else text[:159].rstrip() + "\u2026") or None
    c = cits[0]
    head = " ".join(str(p) for p in (c.get("source"), c.get("document"), c.get("edition_or_year")) if p)
    if c.get("source") and c.get("document") and str(c["document"]).startswith(str(c["source"])):
        head = " ".join(str(p) for p in (c.get("document"), c.get("edition_or_year")) if p)
    parts = [head]
    secs = c.get("sections") or []
    if secs:
        parts.append(", ".join(secs[:2]) + (f" (+{len(secs) - 2} more)" if len(secs) > 2 else ""))
    elif c.get("chapter"):
        parts.append(str(c["chapter"]))
    if c.get("pages"):
        parts.append(f"p. {c['pages']}")
    label = ", ".join(p for p in parts if p)
    return (label if len(label) <= 160 else label[:159].rstrip() + "\u2026") or None


def decisive_reason(rationale: str, limit: int = 240) -> str:
    """The rationale's sentence about this case: the first sentence that speaks of the records ("In
    this case ...", "There is no documentation ..."), else the concluding sentence, else the last."""
    sentences = [s.strip() for s in _SENTENCE.split(rationale or "") if s.strip()]
    if not sentences:
        return ""
    body = [s for s in sentences if not _THEREFORE.match(s)] or sentences
    chosen = None
    for cue in _CASE_CUES:
        chosen = next((s for s in body if cue.search(s)), None)
        if chosen:
            break
    if chosen is None:
        # the sentence before the conclusion ("... Therefore the request is not medically necessary.")
        last = max((i for i, s in enumerate(sentences) if _CONCLUSION.search(s)), default=len(sentences) - 1)
        chosen = sentences[last - 1] if last > 0 and _THEREFORE.match(sentences[last]) else sentences[last]
    return chosen if len(chosen) <= limit else chosen[: limit - 1].rstrip() + "\u2026"


def request_words(request: str) -> list[str]:
    return [w for w in _WORD.findall(request.lower()) if w not in _STOP]


def part_features(c: ClassifiedRequest | None) -> list[str]:
    """Feature words of the request parts: topic, drug, strength, quantity, region, levels, sessions."""
    if c is None:
        return []
    out = []
    if c.topic:
        out.append(f"topic={c.topic}")
    if c.category:
        out.append(f"category={c.category}")
    if c.drug:
        for k in ("generic", "strength", "quantity", "frequency"):
            v = getattr(c.drug, k)
            if v not in (None, ""):
                out.append(f"drug.{k}={str(v).replace(' ', '_')}")
    if c.body_region:
        out.append(f"region={c.body_region.replace(' ', '_')}")
    if c.laterality:
        out.append(f"side={c.laterality}")
    out += [f"level={lv}" for lv in c.levels]
    if c.sessions:
        out.append(f"sessions={c.sessions}")
    return out


def key_parts(c: ClassifiedRequest | None) -> str:
    """The parts that make two requests "the same request" for the counts: drug and strength, else
    body region (with the topic)."""
    if c is None or c.topic is None:
        return ""
    if c.drug and c.drug.generic:
        return " ".join(p for p in (c.drug.generic, c.drug.strength) if p)
    return c.body_region or ""


def fact_features(facts: CaseFacts | None) -> list[str]:
    """Feature words of the documented facts: findings present/absent, current medications,
    treatments tried and their response, studies, function, work status and plans."""
    if facts is None:
        return []
    out: set[str] = set()
    for f in facts.findings:
        out.add(f"finding={f.name}:{'yes' if f.present else 'no'}")
    for m in facts.medications:
        if m.status in ("current", "past"):
            out.add(f"med={m.generic.replace(' ', '_')}:{m.status}")
            if m.duration_days is not None and m.duration_days >= 90:
                out.add(f"med={m.generic.replace(' ', '_')}:long_term")
    for t in facts.treatments:
        kind = t.kind.replace(" ", "_")
        out.add(f"treated={kind}")
        r = t.response
        if r is not None:
            if r.function_improved is not None:
                out.add(f"treated={kind}:function_{'improved' if r.function_improved else 'not_improved'}")
            if r.percent_relief is not None:
                out.add(f"treated={kind}:relief_{'50plus' if r.percent_relief >= 50 else 'under50'}")
    for s in facts.imaging:
        out.add(f"imaging={s.modality}:{s.finding.replace(' ', '_')}:{'yes' if s.present else 'no'}")
    for s in facts.electrodiagnostics:
        out.add(f"edx={s.finding.replace(' ', '_')}:{'yes' if s.present else 'no'}")
    for s in facts.function:
        out.add(f"function={s.kind.replace(' ', '_')}")
    for s in facts.work_status:
        out.add(f"work={s.kind.replace(' ', '_')}")
    for s in facts.plans:
        out.add(f"plan={s.kind.replace(' ', '_')}")
    for d in facts.diagnoses:
        if d.body_region:
            out.add(f"dx_region={d.body_region.replace(' ', '_')}")
    return sorted(out)


def document_text(c: ClassifiedRequest | None, request: str, facts_words: list[str]) -> str:
    """The words one item is matched on, space-separated (feature words contain no spaces)."""
    return " ".join([*request_words(request), *part_features(c), *facts_words])


def summary_case(summary: str, items: list[str]) -> CaseFile:
    """A clinical case summary as a one-document case, for the extractor."""
    return CaseFile(
        disputed_items=[DisputedItem(request=r[:2000]) for r in items if r.strip()] or [DisputedItem(request="item")],
        documents=[Document(id="summary", type="clinical_summary", text=summary or "")],
    )


def summary_facts(summary: str, items: list[str]) -> list[str]:
    """Fact feature words of a letter's clinical case summary (empty for an empty summary)."""
    if not (summary or "").strip():
        return []
    from openimr.extract import extract_facts

    return fact_features(extract_facts(summary_case(summary, items)))
