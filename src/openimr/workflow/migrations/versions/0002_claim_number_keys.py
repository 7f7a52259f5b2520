"""Recompute the duplicate-detection fingerprints with the claim-number normalization of issue #12.

Fingerprints made before it erased every separator ("Q7-11-2" and "Q7-1-12" were one claim); after it,
a run of separators is one "-". Each live case's eligible items get the fingerprint the service now
computes, so a duplicate filed after the upgrade still meets a case filed before it. A case whose
stored file no longer validates keeps its old fingerprints (and is counted in the log).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

log = logging.getLogger("openimr.migrations")

cases = sa.table("cases", sa.column("id", sa.String), sa.column("status", sa.String),
                 sa.column("case_file", sa.JSON), sa.column("eligibility", sa.JSON))
item_keys = sa.table("item_keys", sa.column("case_id", sa.String), sa.column("key_hash", sa.String))


def upgrade() -> None:
    from pydantic import ValidationError

    from openimr.models.case import CaseFile
    from openimr.workflow.eligibility import item_keys as fingerprints

    conn = op.get_bind()
    skipped = 0
    for cid, case_file, eligibility in conn.execute(
            sa.select(cases.c.id, cases.c.case_file, cases.c.eligibility).where(cases.c.status != "ineligible")):
        try:
            keys = fingerprints(CaseFile.model_validate({**(case_file or {}), "documents": []}))
        except ValidationError:
            skipped += 1
            continue
        eligible = {i.get("index") for i in (eligibility or {}).get("items") or [] if i.get("eligible")}
        conn.execute(item_keys.delete().where(item_keys.c.case_id == cid))
        rows = [{"case_id": cid, "key_hash": k} for n, k in enumerate(keys) if k and n in eligible]
        if rows:
            conn.execute(item_keys.insert(), rows)
    if skipped:
        log.warning("%d case(s) kept their old fingerprints (stored case file no longer valid)", skipped)


def downgrade() -> None:
    pass  # the old fingerprints cannot be told apart from the new; nothing to undo
