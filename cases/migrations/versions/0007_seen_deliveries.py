"""seen deliveries: keyed digests of inbound provider ids, kept apart from the person

Revision ID: 0007
Revises: 0001

Until now a redelivered webhook was recognised by ``messages.external_id`` on the
inbound row, which erasure deletes. The digests of the last week's inbound ids are
copied in, so a redelivery of a message handled just before the upgrade is still
dropped (this needs the keyring, which every TellSafe command installs before it
migrates; without one the copy is skipped and only that week is affected).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

from cases import sealed

revision = "0007"
down_revision = "0001"
branch_labels = None
depends_on = None

logger = logging.getLogger(__name__)

#: As ``cases.deliveries`` had it when this was written (a migration is a snapshot).
_DOMAIN = "delivery:"
_BACKFILL = timedelta(days=7)


def upgrade() -> None:
    """Create ``seen_deliveries`` and fill it from the last week's inbound messages."""
    seen = op.create_table(
        "seen_deliveries",
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("channel", "digest"),
    )
    op.create_index("ix_seen_deliveries_seen_at", "seen_deliveries", ["seen_at"], unique=False)
    try:
        keyring = sealed.current_keyring()
    except RuntimeError:
        logger.warning("no keyring installed: recent inbound ids were not copied")
        return
    messages = sa.table(
        "messages",
        sa.column("channel", sa.String()),
        sa.column("external_id", sa.String()),
        sa.column("direction", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    since = datetime.now(UTC) - _BACKFILL
    rows = op.get_bind().execute(
        sa.select(messages.c.channel, messages.c.external_id, messages.c.created_at).where(
            messages.c.direction == "in",
            messages.c.external_id.is_not(None),
            messages.c.created_at >= since,
        )
    )
    copied = [
        {
            "channel": channel,
            "digest": keyring.index(_DOMAIN + external_id),
            # Cut to the hour, as the application stores it.
            "seen_at": _utc(created_at).replace(minute=0, second=0, microsecond=0),
        }
        for channel, external_id, created_at in rows
    ]
    if copied:
        op.bulk_insert(seen, copied)


def _utc(moment: datetime) -> datetime:
    # SQLite gives the stored UTC time back without a zone.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def downgrade() -> None:
    """Drop ``seen_deliveries``."""
    op.drop_index("ix_seen_deliveries_seen_at", table_name="seen_deliveries")
    op.drop_table("seen_deliveries")
