"""seal consents.service; take the service out of the audit log

Revision ID: 0008
Revises: 0001

The support service a referral went to (a Muslim or LGBT+ service) tells the strand,
so it is sealed like the strands themselves, and audit details name the consent row
only. Existing plain values are sealed here with the installed keyring (every TellSafe
command, ``tellsafe db upgrade`` included, installs it before migrating); a Fernet
token never looks like a service id (lower-case letters, digits and ``_``), so values
already sealed are left alone and the migration can be run again safely.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from cases import sealed

revision = "0008"
down_revision = "0001"
branch_labels = None
depends_on = None

#: Every Fernet token starts with its version byte 0x80, base64 "gA".
_FERNET_PREFIX = "gAAAAA"


def upgrade() -> None:
    """Widen ``consents.service`` for tokens, seal its values, scrub audit details."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        # SQLite keeps any length in a VARCHAR; rebuilding ``consents`` there (batch
        # mode) would drop the table, and with foreign keys on that deletes, by cascade,
        # the consent trail (``data_uses``) that points at it.
        op.alter_column(
            "consents",
            "service",
            existing_type=sa.String(length=64),
            type_=sa.Text(),
            existing_nullable=True,
        )
    consents = sa.table("consents", sa.column("id", sa.Integer()), sa.column("service", sa.Text()))
    plain = [
        (row_id, value)
        for row_id, value in bind.execute(
            sa.select(consents.c.id, consents.c.service).where(consents.c.service.is_not(None))
        )
        if not str(value).startswith(_FERNET_PREFIX)
    ]
    if plain:
        try:
            keyring = sealed.current_keyring()
        except RuntimeError as error:
            raise RuntimeError(
                "sealing consents.service needs the encryption keys: run the migration "
                "through `tellsafe db upgrade` with TELLSAFE_KEYS (or the key file) available"
            ) from error
        for row_id, value in plain:
            bind.execute(
                sa.update(consents)
                .where(consents.c.id == row_id)
                .values(service=keyring.encrypt(str(value)))
            )
    _scrub_audit(bind)


def _scrub_audit(bind: sa.Connection) -> None:
    """Drop ``service`` from consent events' details (the subject id names the consent)."""
    audit = sa.table(
        "audit_log",
        sa.column("id", sa.Integer()),
        sa.column("action", sa.String()),
        sa.column("details", sa.JSON()),
    )
    rows = bind.execute(
        sa.select(audit.c.id, audit.c.details).where(
            audit.c.action.like("consent.%"), audit.c.details.is_not(None)
        )
    )
    for row_id, details in rows.all():
        if isinstance(details, dict) and "service" in details:
            kept = {key: value for key, value in details.items() if key != "service"}
            bind.execute(sa.update(audit).where(audit.c.id == row_id).values(details=kept))


def downgrade() -> None:
    """Nothing to undo safely: unsealing would put the strand back in the clear."""
