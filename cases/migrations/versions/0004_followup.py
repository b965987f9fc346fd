"""follow-up: reminders, repeat counts, link codes, patterns, officer notifications

Revision ID: 0004
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the follow-up columns and tables."""
    with op.batch_alter_table("followups") as batch_op:
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_followups_parent_id", "followups", ["parent_id"], ["id"], ondelete="CASCADE"
        )
    op.add_column(
        "cases", sa.Column("repeat_count", sa.Integer(), nullable=False, server_default="0")
    )
    with op.batch_alter_table("cases") as batch_op:
        batch_op.alter_column("repeat_count", server_default=None)

    op.create_table(
        "link_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("address_id", sa.Integer(), nullable=False),
        sa.Column("code_index", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["address_id"], ["channel_addresses.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_link_codes_code_index", "link_codes", ["code_index"], unique=False)

    op.create_table(
        "pattern_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key_index", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("evaluated_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["contact_id"], ["contacts.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_pattern_keys_case_id", "pattern_keys", ["case_id"], unique=False)
    op.create_index("ix_pattern_keys_evaluated_at", "pattern_keys", ["evaluated_at"], unique=False)
    op.create_index(
        "ix_pattern_keys_lookup", "pattern_keys", ["kind", "key_index", "created_at"], unique=False
    )

    op.create_table(
        "pattern_alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key_index", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_pattern_alerts_open", "pattern_alerts", ["status", "kind", "key_index"], unique=False
    )

    op.create_table(
        "pattern_alert_cases",
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["alert_id"], ["pattern_alerts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("alert_id", "case_id"),
    )

    op.create_table(
        "handoff_notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("notifier", sa.String(length=16), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["handoff_id"], ["handoffs.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("handoff_id", "level", "urgent"),
    )
    op.create_index(
        "ix_handoff_notifications_due", "handoff_notifications", ["state", "due_at"], unique=False
    )


def downgrade() -> None:
    """Remove them again."""
    op.drop_table("handoff_notifications")
    op.drop_table("pattern_alert_cases")
    op.drop_table("pattern_alerts")
    op.drop_table("pattern_keys")
    op.drop_table("link_codes")
    with op.batch_alter_table("cases") as batch_op:
        batch_op.drop_column("repeat_count")
    with op.batch_alter_table("followups") as batch_op:
        batch_op.drop_constraint("fk_followups_parent_id", type_="foreignkey")
        batch_op.drop_column("parent_id")
