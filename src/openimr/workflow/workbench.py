"""What the reviewer's workbench reads: the assigned reviewer's view of a case under review.

The API hands a draft back only to the assigned reviewer (POST .../draft); these reads keep that
scope: the reviewer role, a case assigned to the caller (else 404, audited as denied), and every read
audited. They add no permission; writes still go through `CaseService.draft` and `.determine`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from openimr.models.case import CaseFile
from openimr.models.letter import Determination, InjuredWorker, ItemDecision, ReviewerCredentials
from openimr.workflow import db
from openimr.workflow.security import Role
from openimr.workflow.service import Actor, CaseService, Conflict


def review_view(svc: CaseService, actor: Actor, case_id: str) -> dict[str, Any]:
    """The case (as `get_case` shows it), its latest draft, the reviewer's saved edits and the latest
    issued determination (read-only), for the assigned reviewer."""
    svc._require_role(actor, {Role.REVIEWER}, "review.read", case_id)
    with svc.rtx() as s:
        case = svc._case(s, actor, case_id, "review.read")
        view = svc._view(s, actor, case)
        draft = s.scalar(select(db.DraftRow).where(db.DraftRow.case_id == case.id)
                         .order_by(db.DraftRow.id.desc()).limit(1))
        issued = s.scalar(select(db.DeterminationRow).where(db.DeterminationRow.case_id == case.id)
                          .order_by(db.DeterminationRow.version.desc()).limit(1))
        svc._audit(s, actor, "case.read", case.id)
        if draft is not None:
            svc._audit(s, actor, "draft.read", case.id, draft=draft.id)
        return {
            "case": view,
            "eligible_items": [i["request"] for i in svc._eligible_items(case)],
            "draft": draft.draft if draft else None,
            "draft_id": draft.id if draft else None,
            "draft_created_at": draft.created_at if draft else None,
            "working": case.working_determination,
            "issued": None if issued is None else {
                "id": issued.id, "version": issued.version, "signed_at": issued.signed_at,
                "correction_reason": issued.correction_reason, "changes": issued.changes,
                "items": issued.determination.get("items", []),
                "clinical_case_summary": issued.determination.get("clinical_case_summary", ""),
            },
        }


def preview_letter(svc: CaseService, actor: Actor, case_id: str) -> str:
    """The letter as it would read with the reviewer's saved edits (else the draft), marked DRAFT."""
    svc._require_role(actor, {Role.REVIEWER}, "letter.preview", case_id)
    with svc.rtx() as s:
        case = svc._case(s, actor, case_id, "letter.preview")
        reviewer = svc._reviewer_of(s, actor)
        source = case.working_determination
        if source is None:
            row = s.scalar(select(db.DraftRow).where(db.DraftRow.case_id == case.id)
                           .order_by(db.DraftRow.id.desc()).limit(1))
            if row is None:
                raise Conflict({"detail": "no draft yet: draft the case first"})
            source = {"items": [{"request": i["request"], "decision": i["decision"], "rationale": i.get("rationale", ""),
                                 "imr_guideline": i.get("guideline")}
                                for i in row.draft.get("items", []) if i.get("decision") in {"Upheld", "Overturned"}],
                      "clinical_case_summary": row.draft.get("clinical_case_summary", "")}
        cf = CaseFile.model_validate({**case.case_file, "documents": []})
        svc._audit(s, actor, "letter.preview", case.id)
    det = Determination(
        reviewer=ReviewerCredentials(licensure=list(reviewer.licensure), specialty=reviewer.specialty,
                                     board_certified=reviewer.board_certified),
        injured_worker=cf.injured_worker or InjuredWorker(),
        clinical_case_summary=source.get("clinical_case_summary", ""),
        items=[ItemDecision.model_validate(i) for i in source.get("items", [])],
        status="draft",
        **({"organization": svc.organization} if svc.organization else {}),
    )
    return svc.writer.render_html(det)
