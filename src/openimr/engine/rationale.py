"""The decision rationale in the reviewers' register, and the guideline line of the letter.

A rationale has three parts, as in the Final Determination letters: what the guideline relied on says
(its summary, cited), what the record shows or lacks (each judged criterion's rationale text), and the
conclusion. Everything comes from the knowledge base and the item's facts; the same inputs give the
same bytes.
"""

from __future__ import annotations

from openimr.engine.evaluate import Judgement
from openimr.models.knowledge import GuidelineEntry
from openimr.models.letter import Guideline


def _clean(text: str) -> str:
    return " ".join(text.split())


def _sentence(text: str) -> str:
    t = _clean(text)
    if t and t[-1] not in ".!?":
        t += "."
    return t


def pages_text(pages: str | None) -> str:
    if not pages:
        return ""
    multi = any(ch in pages for ch in ",-")
    return ("pp. " if multi else "p. ") + pages


def guideline_name(entry: GuidelineEntry) -> str:
    """'MTUS Chronic Pain Medical Treatment Guidelines 2009', 'Official Disability Guidelines (ODG) ...'."""
    doc = _clean(entry.document)
    name = doc if entry.source.lower() in doc.lower() else f"{entry.source} {doc}"
    if entry.edition and entry.edition not in name:
        name = f"{name} {entry.edition}"
    if entry.chapter and entry.chapter not in name:
        name = f"{name}, {entry.chapter}"
    return name


def cited_name(entry: GuidelineEntry) -> str:
    """The guideline with its sections and pages: 'MTUS ... 2009 (Carisoprodol (Soma), p. 29)'."""
    inner = ", ".join(s for s in [", ".join(entry.sections), pages_text(entry.pages)] if s)
    return f"{guideline_name(entry)} ({inner})" if inner else guideline_name(entry)


def guideline_line(entry: GuidelineEntry) -> Guideline:
    """The letter's 'MAXIMUS guideline' basis, structured like the letter reader's imr_guideline."""
    sections = ", ".join(entry.sections)
    if entry.mtus:
        text = f"Decision based on {guideline_name(entry)}"
        if sections:
            text += f", Section(s): {sections}"
        if entry.pages:
            text += f" Page(s): {entry.pages}"
        text += "."
    else:
        text = "The Expert Reviewer did not base their decision on the MTUS. Decision based on Non-MTUS Citation "
        text += guideline_name(entry)
        if sections:
            text += f", Section(s): {sections}"
        text += "."
    return Guideline(mtus=entry.mtus, citations=[entry.citation()], text=text)


def conclusion(request: str, decision: str) -> str:
    request = _clean(request)
    if decision == "Overturned":
        return f"The request for {request} is medically necessary."
    return f"The request for {request} is not medically necessary."


def build_rationale(request: str, judgement: Judgement, passed_over_mtus: bool = False) -> str:
    entry = judgement.entry
    parts: list[str] = []
    if (passed_over_mtus or not entry.mtus) and "MTUS" not in entry.summary:
        parts.append("The MTUS does not specifically address this request; the non-MTUS guideline applies.")
    parts.append(f"According to the {cited_name(entry)}, {_sentence(_lower_first(entry.summary))}")
    active = judgement.judged
    if judgement.decision == "Overturned":
        texts = [j.text for j in active]
    else:
        texts = [j.text for j in active if j.result.met is False]
        texts += [j.text for j in active if j.result.met is None]
    seen: list[str] = []
    for t in texts:
        s = _sentence(t)
        if s and s not in seen:
            seen.append(s)
    parts.extend(seen)
    if judgement.decision == "Overturned":
        parts.append("The criteria of the guideline are met.")
    else:
        parts.append("The criteria of the guideline are not met.")
    parts.append(conclusion(request, judgement.decision))
    return " ".join(parts)


def _lower_first(text: str) -> str:
    """Lower the first letter of a summary when it starts with an ordinary word ('The', 'Muscle')."""
    t = _clean(text)
    first = t.split(" ", 1)[0]
    if first == "A" or (len(first) > 1 and first[0].isupper() and first[1:].islower() and first.isalpha()):
        return t[:1].lower() + t[1:]
    return t
