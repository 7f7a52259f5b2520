"""The case service's initial schema, with immutability triggers on issued determinations.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("organization", sa.String(200), nullable=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "reviewers",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("licensure", sa.JSON, nullable=False),
        sa.Column("specialty", sa.String(200), nullable=False),
        sa.Column("board_certified", sa.Boolean, nullable=False),
        sa.Column("years_active", sa.Float, nullable=False),
        sa.Column("hours_per_week", sa.Float, nullable=False),
        sa.Column("affiliations", sa.JSON, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_number", sa.String(100), nullable=True),
        sa.Column("status", sa.String(40), nullable=False, index=True),
        sa.Column("status_reason", sa.Text, nullable=True),
        sa.Column("priority", sa.String(20), nullable=False),
        sa.Column("case_file", sa.JSON, nullable=False),
        sa.Column("eligibility", sa.JSON, nullable=False),
        sa.Column("claims_administrator_key", sa.String(200), nullable=True, index=True),
        sa.Column("received_date", sa.Date, nullable=True),
        sa.Column("ur_decision_date", sa.Date, nullable=True),
        sa.Column("notice_date", sa.Date, nullable=True),
        sa.Column("records_due_date", sa.Date, nullable=True),
        sa.Column("records_complete_date", sa.Date, nullable=True),
        sa.Column("due_date", sa.Date, nullable=True, index=True),
        sa.Column("closed_at", sa.DateTime, nullable=True),
        sa.Column("assigned_reviewer_id", sa.String(32), sa.ForeignKey("reviewers.id"), nullable=True, index=True),
        sa.Column("assignment", sa.JSON, nullable=True),
        sa.Column("working_determination", sa.JSON, nullable=True),
        sa.Column("created_by", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "case_access",
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), primary_key=True),
    )
    op.create_table(
        "item_keys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("key_hash", sa.String(64), nullable=False, index=True),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("doc_id", sa.String(200), nullable=False),
        sa.Column("type", sa.String(100), nullable=False),
        sa.Column("date", sa.Date, nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("added_by", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("added_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("case_id", "doc_id", name="uq_documents_case_doc"),
    )
    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("created_by", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("draft", sa.JSON, nullable=False),
    )
    op.create_table(
        "determinations",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("supersedes_id", sa.String(32), sa.ForeignKey("determinations.id"), nullable=True),
        sa.Column("correction_reason", sa.Text, nullable=True),
        sa.Column("reviewer_id", sa.String(32), sa.ForeignKey("reviewers.id"), nullable=False),
        sa.Column("signed_by", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("signed_at", sa.DateTime, nullable=False),
        sa.Column("determination", sa.JSON, nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
        sa.Column("letter_text", sa.Text, nullable=False),
        sa.Column("letter_html", sa.Text, nullable=False),
        sa.Column("letter_pdf", sa.LargeBinary, nullable=False),
        sa.Column("published", sa.JSON, nullable=False),
        sa.UniqueConstraint("case_id", "version", name="uq_determinations_case_version"),
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("case_id", sa.String(32), sa.ForeignKey("cases.id"), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor_id", sa.String(32), nullable=True),
        sa.Column("actor_role", sa.String(32), nullable=True),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("case_id", sa.String(32), nullable=True),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_index("ix_audit_case_at", "audit_events", ["case_id", "id"])

    # Issued determinations and the audit trail are append-only, enforced by the database itself.
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for table in ("determinations", "audit_events"):
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} are append-only'); END"
                )
    elif dialect == "postgresql":
        op.execute(
            "CREATE FUNCTION openimr_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql"
        )
        for table in ("determinations", "audit_events"):
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION openimr_append_only()"
            )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        for table in ("determinations", "audit_events"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS openimr_append_only()")
    for table in (
        "audit_events", "idempotency_keys", "determinations", "drafts", "documents",
        "item_keys", "case_access", "cases", "reviewers", "users",
    ):
        op.drop_table(table)
