"""outbox order index: pending rows in the order they were written

Revision ID: 0010
Revises: 0001

The sender claims the oldest due rows first. With the (delivery, next_attempt_at)
index, every claim sorted the whole backlog to find the oldest hundred (SQLite chose
that index whenever it existed), so a backlog of tens of thousands (after downtime, a
burst of check-ins) made each claim slower than the last: 150-250 ms a claim at 50,000.
With (delivery, id) instead the claim reads the first rows of the index and stops.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_messages_outbox_order", "messages", ["delivery", "id"])
    op.drop_index("ix_messages_delivery", table_name="messages")


def downgrade() -> None:
    op.create_index("ix_messages_delivery", "messages", ["delivery", "next_attempt_at"])
    op.drop_index("ix_messages_outbox_order", table_name="messages")
