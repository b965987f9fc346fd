"""Key rotation: a new primary key, every sealed value re-encrypted, old keys retired.

Sealed columns are found from the schema (every column typed
:class:`~cases.sealed.SealedText` or :class:`~cases.sealed.SealedJSON`, in every model
module), so tables added later are rotated too.

How it stays safe while the service runs:

- :func:`reencrypt` works in batches by primary key, each its own short transaction,
  and writes a value only if it is still the token it read (a compare-and-swap
  ``UPDATE ... WHERE col = :old``): a row the service changed meanwhile is left alone,
  and is already under a key of the ring.
- A value already sealed with the primary key is skipped, so an interrupted run is
  resumed by running it again, and a second run after every process has restarted on
  the new ring picks up rows that lagging processes sealed with the previous key.

The blind index (the HMAC that finds an address) is keyed from the *oldest* key of the
ring (:class:`~cases.sealed.Keyring`). Adding a key does not change it, so rotation never
breaks a lookup. Retiring the old keys does change it: :func:`retire` checks that no
value still needs an old key, recomputes every blind index under the key the retired
ring will derive, and only then writes the shorter ring. Processes still running with
the old ring would look addresses up under the old index, so retiring is done with the
service stopped (a minute's work); rotating is not.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    select,
    tuple_,
    update,
)
from sqlalchemy.orm import sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from cases.models import ChannelAddress
from cases.schema import full_metadata
from cases.sealed import Keyring, SealedJSON, SealedText

logger = logging.getLogger(__name__)

KEY_FILE_NAME: Final = "keys"
BATCH: Final = 500


@dataclass
class RotationReport:
    """What a pass did: values re-encrypted (or still needing it), by table.column."""

    rotated: dict[str, int] = field(default_factory=dict)
    skipped_changed: int = 0

    @property
    def total(self) -> int:
        """Values re-encrypted in all."""
        return sum(self.rotated.values())


def key_file(data_dir: Path) -> Path:
    """The key file of the embedded default (``TELLSAFE_KEYS`` unset)."""
    return data_dir / KEY_FILE_NAME


def load_keys(setting: str | None, data_dir: Path) -> list[bytes]:
    """The configured keys, newest first, from ``TELLSAFE_KEYS`` or the key file.

    Args:
        setting: ``TELLSAFE_KEYS`` (comma-separated) or None.
        data_dir: Where the key file is (created on first use, as the service does).

    Returns:
        The keys.
    """
    if setting:
        return [key.strip().encode() for key in setting.split(",") if key.strip()]
    Keyring.from_setting(None, data_dir)  # makes the file on first use
    lines = key_file(data_dir).read_bytes().splitlines()
    return [line.strip() for line in lines if line.strip()]


def write_key_file(data_dir: Path, keys: list[bytes]) -> None:
    """Replace the key file atomically (readable by the owner only).

    Args:
        data_dir: The data directory.
        keys: The new ring, newest first.
    """
    for key in keys:
        Fernet(key)  # refuse to write anything that is not a key
    target = key_file(data_dir)
    temporary = target.with_name(f".{KEY_FILE_NAME}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(b"".join(key + b"\n" for key in keys))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)


def add_key(data_dir: Path) -> list[bytes]:
    """Put a newly generated key first in the key file; returns the new ring."""
    keys = [Fernet.generate_key(), *load_keys(None, data_dir)]
    write_key_file(data_dir, keys)
    logger.info("added a new primary key; the ring has %s keys", len(keys))
    return keys


def sealed_columns() -> list[tuple[Table, Column[object]]]:
    """Every sealed column in the schema, with its table."""
    found = []
    for table in full_metadata().sorted_tables:
        for column in table.columns:
            if isinstance(column.type, SealedText | SealedJSON):
                found.append((table, column))
    return found


def _raw(table: Table, column: Column[object]) -> tuple[Table, Column[str], list[Column[object]]]:
    """A view of the table whose sealed column reads as its stored token (no decryption)."""
    columns: list[Column[object]] = [
        Column(c.name, c.type, primary_key=True) for c in table.primary_key.columns
    ]
    token: Column[str] = Column(column.name, Text())
    view = Table(table.name, MetaData(), *columns, token)
    return view, token, [view.c[c.name] for c in table.primary_key.columns]


def reencrypt(
    engine: Engine,
    keys: list[bytes],
    *,
    batch: int = BATCH,
    dry_run: bool = False,
    progress: Callable[[str, int], None] | None = None,
) -> RotationReport:
    """Re-encrypt every sealed value that is not yet under the primary key.

    Args:
        engine: The database.
        keys: The ring, newest (primary) first.
        batch: Rows per transaction.
        dry_run: Only count the values that still need the old keys.
        progress: Called with ``table.column`` and the count so far after each batch.

    Returns:
        What was re-encrypted (or, in a dry run, would be).
    """
    primary = Fernet(keys[0])
    ring = MultiFernet([Fernet(key) for key in keys])
    sessions = sessionmaker(engine)
    report = RotationReport()
    for table, column in sealed_columns():
        view, token, primary_key = _raw(table, column)
        name = f"{table.name}.{column.name}"
        report.rotated[name] = 0
        after: tuple[object, ...] | None = None
        while True:
            query = select(*primary_key, token).where(token.is_not(None))
            if after is not None:
                query = query.where(_after(primary_key, after))
            query = query.order_by(*primary_key).limit(batch)
            with sessions.begin() as session:
                rows = session.execute(query).all()
                for row in rows:
                    old = str(row[-1])
                    if _under(primary, old):
                        continue
                    report.rotated[name] += 1
                    if dry_run:
                        continue
                    new = ring.rotate(old.encode("ascii")).decode("ascii")
                    changed = session.execute(
                        update(view)
                        .where(*(c == v for c, v in zip(primary_key, row[:-1], strict=True)))
                        .where(token == old)
                        .values({token.name: new})
                    )
                    if not getattr(changed, "rowcount", 0):
                        report.skipped_changed += 1
                        report.rotated[name] -= 1
            if progress is not None:
                progress(name, report.rotated[name])
            if len(rows) < batch:
                break
            after = tuple(rows[-1][:-1])
    logger.info("re-encrypted %s sealed values", report.total)
    return report


def _after(primary_key: list[Column[object]], after: tuple[object, ...]) -> ColumnElement[bool]:
    if len(primary_key) == 1:
        return primary_key[0] > after[0]
    return tuple_(*primary_key) > tuple_(*after)


def _under(fernet: Fernet, token: str) -> bool:
    try:
        fernet.decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def reindex(engine: Engine, old: Keyring, new: Keyring, batch: int = BATCH) -> int:
    """Recompute every address's blind index from ``old``'s index key to ``new``'s.

    Args:
        engine: The database.
        old: The ring the indexes were made with (it must open the addresses).
        new: The ring whose index key replaces it.
        batch: Rows per transaction.

    Returns:
        How many indexes changed.
    """
    sessions = sessionmaker(engine)
    # Read the sealed address as stored and open it with ``old``, not the installed ring.
    addresses = Table(
        ChannelAddress.__tablename__,
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("address_index", String(64)),
        Column("address", Text()),
    )
    changed = 0
    after = 0
    while True:
        with sessions.begin() as session:
            rows = session.execute(
                select(addresses.c.id, addresses.c.address_index, addresses.c.address)
                .where(addresses.c.id > after)
                .order_by(addresses.c.id)
                .limit(batch)
            ).all()
            for row_id, index, token in rows:
                address = old.decrypt(token)
                wanted = new.index(address)
                if index == wanted:
                    continue
                if index != old.index(address):
                    raise ValueError(f"address {row_id} has an index made with neither ring")
                result = session.execute(
                    update(addresses)
                    .where(addresses.c.id == row_id, addresses.c.address_index == index)
                    .values(address_index=wanted)
                )
                changed += int(getattr(result, "rowcount", 0) or 0)
        if len(rows) < batch:
            return changed
        after = rows[-1][0]


def retire(engine: Engine, keys: list[bytes], *, batch: int = BATCH) -> list[bytes]:
    """Prepare the database for a ring of the primary key alone.

    Refuses while any sealed value still needs an older key, then moves every blind
    index to the index key of the one-key ring. The caller then writes that ring.

    Args:
        engine: The database (the service stopped: see the module docstring).
        keys: The current ring, newest first.
        batch: Rows per transaction.

    Returns:
        The retired ring (the primary key only).

    Raises:
        RuntimeError: When values still need old keys (run the rotation first).
    """
    pending = reencrypt(engine, keys, batch=batch, dry_run=True)
    if pending.total:
        raise RuntimeError(
            f"{pending.total} sealed values still need an old key: run `tellsafe keys rotate`"
        )
    retired = [keys[0]]
    reindex(engine, Keyring(keys), Keyring(retired), batch=batch)
    return retired
