"""The clinical case summary, in the register of the Final Determination letters, built from facts.

Every sentence is built only from extracted facts (or the case file's structured fields) and is kept
with the fact kinds and the evidence spans it came from (`SummarySentence`), so a reviewer can trace
each statement to the record.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from openimr.engine.derive import parse_partial_date
from openimr.models.case import CaseFile
from openimr.models.draft import SummarySentence
from openimr.models.facts import CaseFacts, Evidence, Medication
from openimr.models.vocabulary import FINDINGS


def fmt_date(d: dt.date | None) -> str:
    return d.strftime("%m-%d-%Y") if d else ""


def _join(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return ", ".join(items[:-1]) + f", and {items[-1]}"


def _ev(objs: Iterable[object], limit: int = 6) -> list[Evidence]:
    out: list[Evidence] = []
    for o in objs:
        for e in getattr(o, "evidence", ()) or ():
            if e not in out:
                out.append(e)
            if len(out) >= limit:
                return out
    return out


def _dedupe(texts: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for t in texts:
        t = " ".join(t.split()).strip(" .;,")
        if t and t.lower() not in seen:
            seen[t.lower()] = t
    return list(seen.values())


def _since_text(since: str | None) -> str:
    """'2015-02-17' -> '02-17-2015'; '2014-01' -> '01-2014'."""
    d = parse_partial_date(since)
    if d is None:
        return ""
    return fmt_date(d) if since and len(since.strip()) > 7 else d.strftime("%m-%Y")


_KEEP_CASE = re.compile(r"^[A-Z0-9]{2,}\b")


def _lower_common(text: str) -> str:
    """'Lumbar strain' -> 'lumbar strain' inside a sentence; acronyms ('CRPS', 'L5-S1') stay."""
    if _KEEP_CASE.match(text):
        return text
    return text[:1].lower() + text[1:]


def _med_name(m: Medication) -> str:
    name = m.brand or m.generic.title().replace("/", "-")
    if m.strength and m.strength not in name:
        name = f"{name} {m.strength}"
    return name


def build_summary(case: CaseFile, facts: CaseFacts) -> list[SummarySentence]:
    out: list[SummarySentence] = []

    def add(text: str, sources: list[str], evidence: list[Evidence]) -> None:
        out.append(SummarySentence(text=" ".join(text.split()), sources=sources, evidence=evidence))

    # who and when
    w = facts.injured_worker
    cw = case.injured_worker
    age = w.age if w.age is not None else (cw.age if cw else None)
    sex = w.sex or (cw.sex if cw else None)
    doi = w.date_of_injury or (cw.date_of_injury if cw else None)
    if age is not None or sex or doi:
        who = "The injured worker is"
        if age is not None and sex:
            article = "an" if str(age).startswith("8") or age in (11, 18) else "a"
            who += f" {article} {age} year old {sex}"
        elif age is not None:
            who += f" {age} years old"
        elif sex:
            who += f" a {sex}"
        else:
            who = "The injured worker"
        if doi:
            who += ("," if who != "The injured worker" else "") + f" who sustained an industrial injury on {fmt_date(doi)}."
        else:
            who += "."
        add(who, ["injured_worker"], _ev([w]))

    if facts.work_status:
        latest = max(facts.work_status, key=lambda s: s.document_date or dt.date.min)
        add(f"The work status is documented as {latest.text.strip(' .')}.", ["work_status"], _ev([latest]))

    if facts.diagnoses:
        parts = [p for d in facts.diagnoses for p in re.split(r"(?<=[a-z0-9])\.\s+", d.text)]
        dx = [_lower_common(p) for p in _dedupe(parts)][:10]
        add(f"The injured worker is undergoing treatment for {_join(dx)}.", ["diagnoses"], _ev(facts.diagnoses))

    done = [t for t in facts.treatments if t.status != "planned"]
    studies = facts.imaging + facts.electrodiagnostics
    if done or studies:
        kinds = _dedupe((t.detail or t.kind) for t in done)
        kinds += _dedupe(f"{s.body_region + ' ' if s.body_region else ''}{s.modality}" for s in studies)
        add(f"Treatment and diagnostics to date have included {_join(_dedupe(kinds)[:12])}.",
            ["treatments", "imaging", "electrodiagnostics"], _ev(done + studies))

    current = [m for m in facts.medications if m.status == "current"]
    if current:
        names = []
        for m in _unique_meds(current):
            since = _since_text(m.since)
            names.append(f"{_med_name(m)} (since at least {since})" if since else _med_name(m))
        add(f"Current medications include {_join(names)}.", ["medications"], _ev(current))

    if facts.pain:
        latest = max(p.document_date or dt.date.min for p in facts.pain)
        pool = [p for p in facts.pain if (p.document_date or dt.date.min) == latest]
        paired = [p for p in pool if p.context in ("with medication", "without medication")]
        pool = paired or pool[-1:]
        parts = []
        for p in pool:
            s = f"{p.score:g}/{p.scale_max}"
            if p.context:
                s += f" {p.context}"
            if p.body_region:
                s += f" ({p.body_region})"
            parts.append(s)
        when = f"In the record dated {fmt_date(latest)}, the" if latest != dt.date.min else "The"
        add(f"{when} injured worker rated pain {_join(_dedupe(parts)[:4])}.", ["pain"], _ev(pool))

    for s in _latest_studies(facts):
        where = f"{s.body_region} " if s.body_region else ""
        when = f" dated {fmt_date(s.document_date)}" if s.document_date else ""
        at = f" at {s.level}" if s.level else ""
        add(f"A {where}{s.modality}{when} showed {s.finding}{at}.", ["imaging" if s in facts.imaging else "electrodiagnostics"], _ev([s]))

    present = [f for f in facts.findings if f.present and f.name not in _NOT_EXAM]
    if present:
        latest = max(f.document_date or dt.date.min for f in present)
        pool = [f for f in present if (f.document_date or dt.date.min) == latest]
        texts = [_lower_common(t) for t in _dedupe(_finding_text(f) for f in pool)[:8]]
        when = f" on {fmt_date(latest)}" if latest != dt.date.min else ""
        add(f"Findings documented{when} included {_join(texts)}.", ["findings"], _ev(pool))

    request_sentence(case, add)
    return out


_NOT_EXAM = frozenset({"uds_consistent", "cures_reviewed", "opioid_agreement", "home_exercise_program", "return_to_work",
                       "functional_improvement", "aberrant_behavior", "adverse_effects", "failed_conservative_treatment"})


def _finding_text(f) -> str:
    """The record's wording when it says enough ('tenderness over the facet joints'), else the
    vocabulary's meaning ('radiating' -> 'radiating (radicular) limb pain')."""
    text = " ".join((f.text or "").split())
    if len(text.split()) >= 3:
        return text
    meaning = FINDINGS.get(f.name, text or f.name)
    return meaning.replace(" on examination or reported", "")


def _unique_meds(meds: list[Medication]) -> list[Medication]:
    """One entry per drug: the latest record, with the earliest start date any record gives."""
    seen: dict[str, Medication] = {}
    for m in sorted(meds, key=lambda m: m.document_date or dt.date.min):
        key = m.generic.lower()
        prev = seen.get(key)
        since = m.since
        if prev is not None and prev.since and (not since or prev.since < since):
            since = prev.since
        seen[key] = m.model_copy(update={"since": since})
    return list(seen.values())


def _latest_studies(facts: CaseFacts):
    picked = {}
    for s in facts.imaging + facts.electrodiagnostics:
        key = (s.modality.lower(), (s.body_region or "").lower())
        if key not in picked:
            picked[key] = s
    return list(picked.values())[:3]


def request_sentence(case: CaseFile, add) -> None:
    items = [i.request for i in case.disputed_items]
    rfa = case.request_for_authorization
    ur = case.utilization_review
    rfa_date = rfa.date if rfa else None
    ev: list[Evidence] = []  # built from the case file's fields (items, dates), not from a document's text
    if rfa_date:
        add(f"The request for authorization dated {fmt_date(rfa_date)} requested {_join(items)}.", ["request_for_authorization", "disputed_items"], ev)
    else:
        add(f"The treating physician requested {_join(items)}.", ["disputed_items"], ev)
    groups: dict[str, list[str]] = {}
    for it in case.disputed_items:
        if it.ur_decision == "modified":
            mod = f" to {it.ur_modification}" if it.ur_modification else ""
            groups.setdefault("modified", []).append(f"the request for {it.request}{mod}")
        else:
            groups.setdefault(it.ur_decision, []).append(it.request)
    verbs = []
    if "non-certified" in groups:
        verbs.append(f"non-certified the request for {_join(groups['non-certified'])}")
    if "modified" in groups:
        verbs.append(f"modified {_join(groups['modified'])}")
    if "conditionally non-certified" in groups:
        verbs.append(f"conditionally non-certified the request for {_join(groups['conditionally non-certified'])}")
    ur_date = ur.date if ur and ur.date else (case.application.ur_decision_date if case.application else None)
    ev2: list[Evidence] = []
    when = f" with a decision date of {fmt_date(ur_date)}" if ur_date else ""
    add(f"The Utilization Review{when} {_join(verbs)}.", ["utilization_review", "disputed_items"], ev2)
