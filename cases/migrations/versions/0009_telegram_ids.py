"""telegram message ids without the chat id: keyed chat tags and callback digests

Revision ID: 0009
Revises: 0001

``messages.external_id`` held Telegram messages as ``<chat id>:<message id>`` and button
presses as ``cb:<callback query id>``. The chat id is the person's Telegram address,
which must be stored sealed only, so existing values are rewritten to the forms of
``cases.telegram_ids``: ``m:<keyed chat tag>:<message id>`` and ``q:<keyed digest>``.
This needs the keyring, which every TellSafe command installs before it migrates
(``tellsafe db upgrade`` included); without one, and with values to rewrite, the
migration stops rather than leave chat ids in the clear.

When ``seen_deliveries`` exists already (0007 ran first), the last week's inbound
Telegram ids are remembered in their new form too, so a redelivery of an update handled
just before the upgrade is still dropped. (When 0007 runs after this, it copies the
rewritten ids itself.) Values already rewritten do not match the old forms, so the
migration can be run again safely.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

from cases import sealed

revision = "0009"
down_revision = "0001"
branch_labels = None
depends_on = None

#: As ``cases.telegram_ids`` and ``cases.deliveries`` had them when this was written
#: (a migration is a snapshot).
_CHAT_DOMAIN = "telegram-chat:"
_CALLBACK_DOMAIN = "telegram-callback:"
_TAG_LENGTH = 24
_CALLBACK_LENGTH = 32
_DELIVERY_DOMAIN = "delivery:"
_BACKFILL = timedelta(days=7)
_BATCH = 500
_OLD_MESSAGE = re.compile(r"^(-?\d+):(\d+)$")
_OLD_CALLBACK = "cb:"


def _rewritten(keyring: sealed.Keyring, value: str) -> str | None:
    """The new form of an old Telegram external id, or None when it is not one."""
    match = _OLD_MESSAGE.match(value)
    if match is not None:
        tag = keyring.index(_CHAT_DOMAIN + match.group(1))[:_TAG_LENGTH]
        return f"m:{tag}:{int(match.group(2))}"
    if value.startswith(_OLD_CALLBACK):
        query_id = value[len(_OLD_CALLBACK) :]
        return "q:" + keyring.index(_CALLBACK_DOMAIN + query_id)[:_CALLBACK_LENGTH]
    return None


def upgrade() -> None:
    """Rewrite every Telegram external id that names its chat."""
    bind = op.get_bind()
    messages = sa.table(
        "messages",
        sa.column("id", sa.Integer()),
        sa.column("channel", sa.String()),
        sa.column("direction", sa.String()),
        sa.column("external_id", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    # Everything not yet in a new form; :func:`_rewritten` picks out the old ones.
    old = ~messages.c.external_id.like("m:%") & ~messages.c.external_id.like("q:%")
    query = (
        sa.select(
            messages.c.id, messages.c.external_id, messages.c.direction, messages.c.created_at
        )
        .where(messages.c.channel == "telegram", messages.c.external_id.is_not(None), old)
        .order_by(messages.c.id)
    )
    keyring: sealed.Keyring | None = None
    recent: list[tuple[str, datetime]] = []
    since = datetime.now(UTC) - _BACKFILL
    after = 0
    while True:
        rows = bind.execute(query.where(messages.c.id > after).limit(_BATCH)).all()
        if not rows:
            break
        after = rows[-1][0]
        if keyring is None:
            keyring = _keyring()
        for row_id, value, direction, created_at in rows:
            new = _rewritten(keyring, str(value))
            if new is None:
                continue  # an id the channel never made (a digest of a malformed one)
            bind.execute(sa.update(messages).where(messages.c.id == row_id).values(external_id=new))
            if direction == "in" and _utc(created_at) >= since:
                recent.append((new, _utc(created_at)))
    if keyring is not None and recent:
        _remember(bind, keyring, recent)


def _keyring() -> sealed.Keyring:
    try:
        return sealed.current_keyring()
    except RuntimeError as error:
        raise RuntimeError(
            "rewriting Telegram message ids needs the encryption keys: run the migration "
            "through `tellsafe db upgrade` with TELLSAFE_KEYS (or the key file) available"
        ) from error


def _remember(
    bind: sa.Connection, keyring: sealed.Keyring, recent: list[tuple[str, datetime]]
) -> None:
    """Add the new forms of recent inbound ids to ``seen_deliveries``, if it exists yet."""
    if not sa.inspect(bind).has_table("seen_deliveries"):
        return
    seen = sa.table(
        "seen_deliveries",
        sa.column("channel", sa.String()),
        sa.column("digest", sa.String()),
        sa.column("seen_at", sa.DateTime(timezone=True)),
    )
    for external_id, created_at in recent:
        digest = keyring.index(_DELIVERY_DOMAIN + external_id)
        known = bind.execute(
            sa.select(seen.c.digest).where(seen.c.channel == "telegram", seen.c.digest == digest)
        ).first()
        if known is None:
            bind.execute(
                sa.insert(seen).values(
                    channel="telegram",
                    digest=digest,
                    # Cut to the hour, as the application stores it.
                    seen_at=created_at.replace(minute=0, second=0, microsecond=0),
                )
            )


def _utc(moment: datetime) -> datetime:
    # SQLite gives the stored UTC time back without a zone.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def downgrade() -> None:
    """Nothing to undo safely: restoring the old form would put chat ids in the clear."""
