"""safe days: the days of the week follow-ups may go

Revision ID: 0011
Revises: 0001

"Evenings after 6, but not at weekends" kept only the hours, and a check-in went on a
Saturday. Each person's safe days are a bit a day from Monday (bit 0) to Sunday (bit 6);
everyone's existing window stays every day (127).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch_op:
        batch_op.add_column(
            sa.Column("safe_days", sa.Integer(), nullable=False, server_default="127")
        )


def downgrade() -> None:
    with op.batch_alter_table("contacts") as batch_op:
        batch_op.drop_column("safe_days")
