"""Draft a case: classify each disputed item, resolve its guideline, judge its criteria, write it up.

`draft_case(case, kb=None) -> Draft` is the engine's entry point; `check_case(case)` is the treating
physician's pre-flight (what is unmet or undocumented, and what would satisfy it).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from openimr import __version__
from openimr.engine.derive import DrugTopics, FactResolver
from openimr.engine.evaluate import Judgement, evaluate_condition, judge
from openimr.engine.rationale import build_rationale, guideline_line, pages_text
from openimr.engine.summary import build_summary, fmt_date
from openimr.errors import InputError
from openimr.models.case import CaseFile, DisputedItem
from openimr.models.draft import Draft, DraftItem, EngineInfo
from openimr.models.facts import CaseFacts
from openimr.models.knowledge import GuidelineEntry
from openimr.models.letter import (
    Determination,
    InjuredWorker,
    ItemDecision,
    ReviewerCredentials,
    UndecidedItem,
)
from openimr.models.request import ClassifiedRequest


class ItemOutcome(BaseModel):
    """A draft item with what produced it (kept out of the JSON draft, used by check and eval)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    item: DraftItem
    classified: ClassifiedRequest | None = None
    judgement: Any = None  # Judgement | None


def _kb(kb):
    if kb is not None:
        return kb
    from openimr.guidelines.knowledge_base import default_knowledge_base

    return default_knowledge_base()


def _pack_refs(kb) -> list:
    from openimr.guidelines.packs import pack_refs

    return pack_refs(kb)


def _resolve(kb, topic_id: str, on: dt.date | None) -> tuple[list[Any], str | None]:
    """The guideline chain for the topic at the date, or ([], why not)."""
    from openimr.guidelines.hierarchy import resolve

    try:
        chain = list(resolve(kb, topic_id, on))
    except InputError as exc:
        return [], exc.problem or "guideline edition not encoded"
    except (LookupError, ValueError) as exc:
        return [], str(exc) or "guideline edition not encoded"
    if not chain:
        when = fmt_date(on) if on else "the request date"
        return [], f"guideline edition not encoded for {when}"
    return chain, None


def _unable(item: DisputedItem, topic: str | None, why: str) -> DraftItem:
    return DraftItem(request=item.request, topic=topic, decision=None, unable_to_decide=why,
                     ur_decision=item.ur_decision, ur_modification=item.ur_modification, confidence=0.0)


def review_item(item: DisputedItem, case: CaseFile, facts: CaseFacts, kb, drug_topics: DrugTopics | None = None,
                procedures: tuple | None = None) -> ItemOutcome:
    """Draft one disputed item. The item under review is the request as made, never the UR modification.
    `procedures`: the draft decisions of the surgeries disputed in the same case (see `review_case`)."""
    from openimr.engine.current import annotate

    kb = _kb(kb)
    return annotate(_review_item(item, case, facts, kb, drug_topics, procedures), case, kb)


def _review_item(item: DisputedItem, case: CaseFile, facts: CaseFacts, kb, drug_topics: DrugTopics | None = None,
                 procedures: tuple | None = None) -> ItemOutcome:
    from openimr.guidelines.classifier import classify

    kb = _kb(kb)
    drug_topics = drug_topics or DrugTopics(kb)
    try:
        classified = classify(item.request, kb)
    except InputError as exc:
        return ItemOutcome(item=_unable(item, None, f"unable to decide: the request could not be read ({exc.problem})"))
    topic_id = classified.topic
    if item.ur_decision == "conditionally non-certified":
        out = DraftItem(request=item.request, topic=topic_id, decision="Ineligible", ur_decision=item.ur_decision,
                        rationale="The Utilization Review conditionally non-certified this request (it asked for more "
                                  "information); a conditional non-certification is not eligible for Independent Medical "
                                  "Review, so no decision is drafted.", confidence=1.0)
        return ItemOutcome(item=out, classified=classified)
    if topic_id is None:
        cands = ", ".join(c.topic for c in classified.candidates[:3])
        why = "unable to decide: the request could not be classified to an encoded topic"
        why += f" (closest: {cands})" if cands else ""
        return ItemOutcome(item=_unable(item, None, why), classified=classified)
    topic = kb.topic(topic_id)
    if topic is None:
        return ItemOutcome(item=_unable(item, topic_id, f"unable to decide: no guideline is encoded for topic {topic_id!r}"),
                           classified=classified)
    on = case.request_date()
    chain, why = _resolve(kb, topic_id, on)
    if not chain:
        return ItemOutcome(item=_unable(item, topic_id, f"unable to decide: {why}"), classified=classified)

    hierarchy: list[str] = []
    chosen: GuidelineEntry | None = None
    resolver: FactResolver | None = None
    passed_over_mtus = False
    for rg in chain:
        entry = rg.entry
        r = FactResolver(facts=facts, request=classified, case=case, topic=topic, entry=entry, kb=kb,
                         drug_topics=drug_topics, on=on, procedures=procedures)
        label = f"{entry.source} {entry.document} {entry.edition}"
        if chosen is not None:
            hierarchy.append(f"{label}: not relied on ({rg.reason})")
            continue
        applies = evaluate_condition(entry.applies_when, r) if entry.applies_when is not None else True
        if applies is False:
            hierarchy.append(f"{label}: passed over, it does not address this request ({rg.reason})")
            passed_over_mtus = passed_over_mtus or entry.mtus
            continue
        chosen, resolver = entry, r
        hierarchy.append(f"{label}: relied on ({rg.reason})")
    if chosen is None or resolver is None:
        return ItemOutcome(item=_unable(item, topic_id, "unable to decide: no encoded guideline entry addresses this request"),
                           classified=classified)

    try:
        judgement = judge(chosen, resolver)
    except KeyError as exc:  # a fact the engine cannot derive: say so rather than guess
        return ItemOutcome(item=_unable(item, topic_id, f"unable to decide: {exc.args[0] if exc.args else exc}"),
                           classified=classified)
    if judgement.decision is None:
        label = f"{chosen.source} {chosen.document} {chosen.edition}"
        return ItemOutcome(item=_unable(item, topic_id, f"unable to decide: no criterion of {label} applies to this "
                                                         "request as documented"),
                           classified=classified, judgement=judgement)
    rationale = build_rationale(item.request, judgement, passed_over_mtus=passed_over_mtus)
    out = DraftItem(
        request=item.request,
        topic=topic_id,
        decision=judgement.decision,
        ur_decision=item.ur_decision,
        ur_modification=item.ur_modification,
        guideline=guideline_line(chosen),
        hierarchy=hierarchy,
        criteria=[j.result for j in judgement.criteria if j.judged],
        missing_documentation=judgement.missing_documentation,
        rationale=rationale,
        confidence=judgement.confidence,
    )
    return ItemOutcome(item=out, classified=classified, judgement=judgement)


def review_case(case: CaseFile, kb=None, facts: CaseFacts | None = None) -> tuple[Draft, list[ItemOutcome]]:
    kb = _kb(kb)
    if facts is None:
        from openimr.extract import extract_facts

        facts = extract_facts(case)
    drug_topics = DrugTopics(kb)
    outcomes = [review_item(it, case, facts, kb, drug_topics) for it in case.disputed_items]
    outcomes = _redraft_associated(outcomes, case, facts, kb, drug_topics)
    summary_sentences = build_summary(case, facts)
    summary = " ".join(s.text for s in summary_sentences)
    draft = Draft(
        case_number=case.case_number,
        engine=EngineInfo(version=__version__, knowledge_base=kb.content_hash),
        clinical_case_summary=summary,
        summary_sentences=summary_sentences,
        items=[o.item for o in outcomes],
        guideline_packs=_pack_refs(kb),
    )
    draft.letter = render_letter(draft, case, facts)
    return draft, outcomes


def _redraft_associated(outcomes: list[ItemOutcome], case: CaseFile, facts: CaseFacts, kb,
                        drug_topics: DrugTopics) -> list[ItemOutcome]:
    """Second pass (issue 11): an item whose guideline has a criterion on the surgery it accompanies
    (`procedure.associated_necessary`: pre-operative tests, an assistant surgeon, post-operative therapy and
    equipment) is drafted again once the case's surgeries are drafted, so that criterion can read their
    decisions. Which topics are surgeries and which services depend on one is knowledge-base data."""
    from openimr.engine.associated import procedure_decisions, reads_associated

    procedures = procedure_decisions(outcomes, kb)
    if not procedures:
        return outcomes
    return [review_item(it, case, facts, kb, drug_topics, procedures)
            if reads_associated(kb.topic(o.item.topic) if o.item.topic else None) else o
            for it, o in zip(case.disputed_items, outcomes, strict=True)]


def draft_case(case: CaseFile, kb=None) -> Draft:
    """Draft the Final Determination for a case: one item per disputed item, and the draft letter."""
    return review_case(case, kb)[0]


def determination_from_draft(draft: Draft, case: CaseFile, facts: CaseFacts | None = None) -> Determination:
    """The draft as a Determination (status "draft") for the letter writer.

    Decided items become letter items. Items not decided (Ineligible, or the engine unable to decide)
    are not letter items; a closing paragraph of the summary names them and says why.
    """
    w = facts.injured_worker if facts else None
    cw = case.injured_worker
    worker = InjuredWorker(
        age=(cw.age if cw and cw.age is not None else (w.age if w else None)),
        sex=(cw.sex if cw and cw.sex else (w.sex if w else None)),
        date_of_injury=(cw.date_of_injury if cw and cw.date_of_injury else (w.date_of_injury if w else None)),
    )
    items = [
        ItemDecision(request=i.request, decision=i.decision, imr_guideline=i.guideline, rationale=i.rationale)
        for i in draft.items
        if i.decision in ("Upheld", "Overturned")
    ]
    notes = []
    for i in draft.items:
        if i.decision == "Ineligible":
            notes.append(f"{i.request}: conditionally non-certified by Utilization Review; not eligible for IMR and not decided.")
        elif i.decision is None:
            notes.append(f"{i.request}: no draft decision ({i.unable_to_decide}); the reviewer decides it unaided.")
    summary = draft.clinical_case_summary
    if notes:
        summary += "\n\nItems not decided in this draft: " + " ".join(notes)
    undecided = [UndecidedItem(request=i.request, reason=i.unable_to_decide or "no draft decision")
                 for i in draft.items if i.decision is None]
    return Determination(
        reviewer=case.reviewer or ReviewerCredentials(),
        injured_worker=worker,
        clinical_case_summary=summary,
        items=items,
        status="draft",
        undecided=undecided,
        guideline_packs=list(draft.guideline_packs),
    )


def render_letter(draft: Draft, case: CaseFile, facts: CaseFacts | None = None) -> str:
    from openimr.letters.writer import render_text

    return render_text(determination_from_draft(draft, case, facts))


# -- pre-flight check -------------------------------------------------------------------------------


class CheckCriterion(BaseModel):
    id: str
    statement: str
    status: str  # "unmet" | "undocumented"
    documentation: str
    citation: str


class CheckItem(BaseModel):
    request: str
    topic: str | None
    draft_decision: str | None
    unable_to_decide: str | None = None
    guideline: str | None = None
    criteria_met: int = 0
    criteria_judged: int = 0
    needs: list[CheckCriterion] = Field(default_factory=list)


def _cite(c) -> str:
    if c is None:
        return ""
    parts = [c.source, c.document or "", c.edition_or_year or ""]
    s = " ".join(p for p in parts if p)
    if c.sections:
        s += f", {', '.join(c.sections)}"
    if c.pages:
        s += f", {pages_text(c.pages)}"
    return s


def check_case(case: CaseFile, kb=None) -> list[CheckItem]:
    """Per requested item: the unmet or undocumented criteria and the documentation that would satisfy them."""
    _, outcomes = review_case(case, kb)
    out: list[CheckItem] = []
    for o in outcomes:
        it = o.item
        ci = CheckItem(request=it.request, topic=it.topic, draft_decision=it.decision, unable_to_decide=it.unable_to_decide,
                       guideline=it.guideline.text if it.guideline else None)
        j: Judgement | None = o.judgement
        if j is not None:
            ci.criteria_judged = len(j.judged)
            ci.criteria_met = sum(1 for c in j.judged if c.result.met is True)
            for c in j.judged:
                if c.result.met is True:
                    continue
                ci.needs.append(CheckCriterion(
                    id=c.criterion.id,
                    statement=c.result.statement,
                    status="unmet" if c.result.met is False else "undocumented",
                    documentation=" ".join((c.criterion.documentation or c.criterion.statement).split()),
                    citation=_cite(c.criterion.citation),
                ))
        out.append(ci)
    return out
