"""outbox: remember how many parts of a split text were sent

Revision ID: 0006
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``messages.parts_sent``."""
    op.add_column(
        "messages",
        sa.Column("parts_sent", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    """Drop ``messages.parts_sent``."""
    with op.batch_alter_table("messages") as batch_op:
        batch_op.drop_column("parts_sent")
