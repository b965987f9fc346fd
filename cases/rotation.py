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
value still needs an old key, moves every keyed digest it can to the key the retired
ring will derive (:func:`reindex_all`), and only then writes the shorter ring. Processes
still running with the old ring would look things up under the old key, so retiring is
done with the service stopped (a minute's work); rotating is not.

What happens to each keyed digest at a retire:

- recomputed, because what it digests is kept (sealed or plain): addresses
  (``channel_addresses.address_index``), the chat tags in Telegram message keys
  (``messages.external_id``, from the sealed chat id: the quick exit keeps deleting),
  cross-victim pattern keys (``pattern_keys.key_index`` from the cases' sealed fields,
  and ``pattern_alerts.key_index`` with them, so a pattern spanning the retire is still
  found), and officers' per-user login counters (``login_attempts.key``, from the
  username);
- not recomputable, because what it digests is deliberately not kept, and handled:
  link codes still live are expired (the person asks for a new one: a wrong-code
  reply, not a silent failure); pattern keys whose source changed since (an officer
  edited the case) are deleted, as they can never match again; per-client login
  counters (IP addresses are not kept) and callback digests (``q:`` keys, only ever
  compared while the delivery is handled) simply stop matching; ``seen_deliveries``
  digests age out (see :mod:`cases.deliveries`).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Final, cast

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import (
    Column,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    select,
    tuple_,
    update,
)
from sqlalchemy.orm import sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from cases import telegram_ids
from cases.models import Case, ChannelAddress, Message
from cases.schema import full_metadata
from cases.sealed import Keyring, SealedJSON, SealedText, current_keyring, install_keyring
from followup.models import LinkCode, PatternAlert, PatternKey
from followup.patterns import case_traits, trait_key
from officer.models import LoginAttempt, Officer

logger = logging.getLogger(__name__)

KEY_FILE_NAME: Final = "keys"
BATCH: Final = 500
#: Telegram's channel name (``bot.channels.telegram.NAME``; ``cases`` does not import ``bot``).
_TELEGRAM: Final = "telegram"
#: The domain of an officer's per-user login counter, as ``officer.auth`` keys it
#: (``officer-login:user:<lower-case username>``; a test checks they agree).
_LOGIN_USER_DOMAIN: Final = "officer-login:user:"


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
    report = reindex_all(engine, Keyring(keys), Keyring(retired), batch=batch)
    logger.info("keyed digests moved to the retired ring: %s", report.as_dict())
    return retired


@dataclass
class ReindexReport:
    """What :func:`reindex_all` did, by kind of keyed digest (counts only).

    Attributes:
        addresses: Address blind indexes recomputed.
        telegram_ids: Telegram message keys given their chat's new tag.
        telegram_ids_unknown: Telegram message keys whose chat is no longer held
            (left as they are: they match nothing, and go with their messages).
        pattern_keys: Pattern keys recomputed from their case.
        pattern_keys_dropped: Pattern keys whose case no longer gives them (deleted).
        pattern_alerts: Open or closed alerts moved to the new key of their trait.
        pattern_alerts_unmatched: Alerts whose trait no case holds any more (left: they
            still name their cases but cannot be extended).
        login_keys: Officers' per-user login counters moved.
        link_codes_expired: Unused link codes expired (the code itself is not kept).
    """

    addresses: int = 0
    telegram_ids: int = 0
    telegram_ids_unknown: int = 0
    pattern_keys: int = 0
    pattern_keys_dropped: int = 0
    pattern_alerts: int = 0
    pattern_alerts_unmatched: int = 0
    login_keys: int = 0
    link_codes_expired: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counts as a mapping."""
        return asdict(self)


def reindex_all(engine: Engine, old: Keyring, new: Keyring, *, batch: int = BATCH) -> ReindexReport:
    """Move every keyed digest from ``old``'s index key to ``new``'s (see the module docstring).

    Each step works in batches of short transactions and only rewrites a value that is
    still the one it read, so an interrupted run is finished by running it again.

    Args:
        engine: The database (the service stopped).
        old: The ring the digests were made with (it must open every sealed value).
        new: The ring whose index key replaces it.
        batch: Rows per transaction.

    Returns:
        What was moved, dropped or expired.
    """
    report = ReindexReport()
    report.addresses = reindex(engine, old, new, batch=batch)
    report.telegram_ids, report.telegram_ids_unknown = _retag_telegram(engine, old, new, batch)
    moved = _rekey_patterns(engine, old, new, batch, report)
    _rekey_alerts(engine, moved, batch, report)
    report.login_keys = _rekey_logins(engine, old, new)
    report.link_codes_expired = _expire_link_codes(engine)
    return report


def _view(name: str, *columns: Column[object]) -> Table:
    """A lightweight view of ``name``: sealed columns read as their stored token."""
    return Table(name, MetaData(), *columns)


def _retag_telegram(engine: Engine, old: Keyring, new: Keyring, batch: int) -> tuple[int, int]:
    """Give Telegram message keys their chat's tag under the new index key."""
    addresses = _view(
        ChannelAddress.__tablename__,
        Column("id", Integer, primary_key=True),
        Column("channel", String(16)),
        Column("address", Text()),
    )
    tags: dict[str, str] = {}
    after = 0
    while True:
        with engine.connect() as connection:
            rows = connection.execute(
                select(addresses.c.id, addresses.c.address)
                .where(addresses.c.channel == _TELEGRAM, addresses.c.id > after)
                .order_by(addresses.c.id)
                .limit(batch)
            ).all()
        for _row_id, token in rows:
            chat = old.decrypt(token)
            tags[telegram_ids.chat_tag(chat, old)] = telegram_ids.chat_tag(chat, new)
        if len(rows) < batch:
            break
        after = rows[-1][0]
    current = set(tags.values())
    messages = cast(Table, Message.__table__)
    sessions = sessionmaker(engine)
    changed = unknown = 0
    after = 0
    while True:
        with sessions.begin() as session:
            rows = session.execute(
                select(messages.c.id, messages.c.external_id)
                .where(
                    messages.c.channel == _TELEGRAM,
                    messages.c.external_id.like(telegram_ids.MESSAGE_PREFIX + "%"),
                    messages.c.id > after,
                )
                .order_by(messages.c.id)
                .limit(batch)
            ).all()
            for row_id, key in rows:
                parts = telegram_ids.split_message_key(key)
                if parts is None:
                    continue
                tag, message_id = parts
                wanted = tags.get(tag)
                if wanted is None:
                    unknown += tag not in current  # else moved already, by an interrupted run
                    continue
                if wanted == tag:
                    continue
                result = session.execute(
                    update(messages)
                    .where(messages.c.id == row_id, messages.c.external_id == key)
                    .values(external_id=telegram_ids.join_message_key(wanted, message_id))
                )
                changed += int(getattr(result, "rowcount", 0) or 0)
        if len(rows) < batch:
            return changed, unknown
        after = rows[-1][0]


@contextlib.contextmanager
def _installed(keyring: Keyring) -> Iterator[None]:
    """Open sealed columns with ``keyring`` for a while (the ORM reads the installed ring)."""
    try:
        previous: Keyring | None = current_keyring()
    except RuntimeError:
        previous = None
    install_keyring(keyring)
    try:
        yield
    finally:
        if previous is not None:
            install_keyring(previous)


def _rekey_patterns(
    engine: Engine, old: Keyring, new: Keyring, batch: int, report: ReindexReport
) -> dict[tuple[str, str], str]:
    """Recompute pattern keys from their cases; returns ``(kind, old key)`` to new key."""
    sessions = sessionmaker(engine)
    moved: dict[tuple[str, str], str] = {}
    after = 0
    with _installed(old):  # the cases' sealed fields are read through the ORM
        while True:
            with sessions.begin() as session:
                rows = session.execute(
                    select(PatternKey.id, PatternKey.case_id, PatternKey.kind, PatternKey.key_index)
                    .where(PatternKey.id > after)
                    .order_by(PatternKey.id)
                    .limit(batch)
                ).all()
                cases = session.scalars(
                    select(Case).where(Case.id.in_(sorted({row.case_id for row in rows})))
                )
                # What each case gives today, as (kind, old key) -> new key.
                by_case = {
                    case.id: {
                        (kind, trait_key(kind, value, old)): trait_key(kind, value, new)
                        for kind, value in case_traits(case)
                    }
                    for case in cases
                }
                dropped: list[int] = []
                for row_id, case_id, kind, key_index in rows:
                    pairs = by_case.get(case_id, {})
                    moved.update(pairs)
                    wanted = pairs.get((kind, key_index))
                    if wanted is None:
                        if (kind, key_index) not in {(k, v) for (k, _old), v in pairs.items()}:
                            dropped.append(row_id)  # the case no longer gives this trait
                        continue  # else moved already, by an interrupted run
                    result = session.execute(
                        update(PatternKey)
                        .where(PatternKey.id == row_id, PatternKey.key_index == key_index)
                        .values(key_index=wanted)
                        .execution_options(synchronize_session=False)
                    )
                    report.pattern_keys += int(getattr(result, "rowcount", 0) or 0)
                if dropped:
                    session.execute(
                        delete(PatternKey)
                        .where(PatternKey.id.in_(dropped))
                        .execution_options(synchronize_session=False)
                    )
                    report.pattern_keys_dropped += len(dropped)
            if len(rows) < batch:
                return moved
            after = rows[-1][0]


def _rekey_alerts(
    engine: Engine, moved: dict[tuple[str, str], str], batch: int, report: ReindexReport
) -> None:
    """Move pattern alerts to their trait's new key, so they go on being extended."""
    current = {(kind, key) for (kind, _old), key in moved.items()}
    sessions = sessionmaker(engine)
    after = 0
    while True:
        with sessions.begin() as session:
            rows = session.execute(
                select(PatternAlert.id, PatternAlert.kind, PatternAlert.key_index)
                .where(PatternAlert.id > after)
                .order_by(PatternAlert.id)
                .limit(batch)
            ).all()
            for row_id, kind, key_index in rows:
                wanted = moved.get((kind, key_index))
                if wanted is None:
                    report.pattern_alerts_unmatched += (kind, key_index) not in current
                    continue
                result = session.execute(
                    update(PatternAlert)
                    .where(PatternAlert.id == row_id, PatternAlert.key_index == key_index)
                    .values(key_index=wanted)
                    .execution_options(synchronize_session=False)
                )
                report.pattern_alerts += int(getattr(result, "rowcount", 0) or 0)
        if len(rows) < batch:
            return
        after = rows[-1][0]


def _rekey_logins(engine: Engine, old: Keyring, new: Keyring) -> int:
    """Move officers' per-user login counters (the usernames are kept, in the clear)."""
    moved = 0
    with sessionmaker(engine).begin() as session:
        for username in session.scalars(select(Officer.username)).all():
            value = _LOGIN_USER_DOMAIN + username.lower()
            result = session.execute(
                update(LoginAttempt)
                .where(LoginAttempt.key == old.index(value))
                .values(key=new.index(value))
                .execution_options(synchronize_session=False)
            )
            moved += int(getattr(result, "rowcount", 0) or 0)
    return moved


def _expire_link_codes(engine: Engine) -> int:
    """Expire unused link codes: they are kept only as digests under the old key.

    A code is made to expire when it was issued, which needs no clock (the service's
    may differ from this process's) and marks what happened to it.
    """
    with sessionmaker(engine).begin() as session:
        result = session.execute(
            update(LinkCode)
            .where(LinkCode.used_at.is_(None), LinkCode.expires_at > LinkCode.created_at)
            .values(expires_at=LinkCode.created_at)
            .execution_options(synchronize_session=False)
        )
    return int(getattr(result, "rowcount", 0) or 0)
