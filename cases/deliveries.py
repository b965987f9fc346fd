"""Provider deliveries already handled, kept apart from the person so erasure leaves them.

Providers redeliver webhooks (Twilio after a timeout, for hours; Telegram until it gets
a 200), so every inbound provider id (Twilio MessageSid, Telegram message key, callback
id) is remembered here and a delivery seen before changes nothing. The memory must
outlive the person: a webhook redelivered after "delete my data" would otherwise be
handled again and re-create them. So this table holds no person's data and nothing
that leads to one:

- no provider id, only a keyed digest of it (:func:`cases.sealed.blind_index`, an HMAC
  under the deployment's index key, in its own ``delivery:`` domain so it never equals
  an address index);
- no foreign key to contacts, conversations or messages, so erasure and retention,
  which follow foreign keys, leave it alone;
- the time only to the hour, so a row cannot be matched to a message by its time.

Rows are kept at least :data:`MINIMUM_KEEP` (providers give up long before) and then
purged by the worker's daily housekeeping (:func:`purge_seen`).

Key rotation: the index key comes from the *oldest* key of the ring, so ``tellsafe keys
rotate`` leaves every digest valid. ``tellsafe keys retire`` changes the index key; the
digests cannot be recomputed under the new key (the provider ids are deliberately not
kept) and the retired key is gone, so lookups cannot try both keys either. Retiring is
done with the service stopped; providers redeliver only what was not acknowledged, and
anything that failed while stopped was never seen, so the only loss is a delivery
handled but not yet acknowledged at the very moment of the stop. The old digests simply
match nothing any more and age out with the purge.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Final, TypeVarTuple, cast

from sqlalchemy import Engine, Index, Select, String, Table, bindparam, delete, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from cases.models import Base, UTCDateTime
from cases.sealed import blind_index

#: Providers redeliver for up to about a day; keep every digest at least twice that.
MINIMUM_KEEP: Final = timedelta(hours=48)
#: How long digests are kept unless configured (``TELLSAFE_SEEN_DELIVERIES_DAYS``).
DEFAULT_KEEP: Final = timedelta(days=7)
#: ``seen_at`` is stored to this precision (see the module docstring).
GRANULARITY: Final = timedelta(hours=1)
#: Domain of the digests in the keyed index, apart from addresses and pattern keys.
_DOMAIN: Final = "delivery:"


class SeenDelivery(Base):
    """One inbound provider delivery handled: a keyed digest of its id, and roughly when."""

    __tablename__ = "seen_deliveries"
    __table_args__ = (Index("ix_seen_deliveries_seen_at", "seen_at"),)

    #: The channel name (``sms``, ``telegram``): provider ids are unique per channel.
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)
    #: Keyed HMAC of the provider id (hex).
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: When it was first handled, cut to the hour.
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())


#: Built once: this runs for every inbound message.
_REMEMBER: Final = insert(cast(Table, SeenDelivery.__table__))
#: The same as a data-modifying WITH, for :func:`remembering`.
_REMEMBERED: Final = _REMEMBER.values(
    channel=bindparam("seen_channel"),
    digest=bindparam("seen_digest"),
    seen_at=bindparam("seen_at"),
).cte("remembered")

_Row = TypeVarTuple("_Row")


def delivery_digest(external_id: str) -> str:
    """The keyed digest a provider id is remembered by.

    Args:
        external_id: The provider id as stored (ASCII, at most 64 characters: see
            :func:`bot.service.storable_id`).

    Returns:
        The hex digest.
    """
    return blind_index(_DOMAIN + external_id)


def seen(session: Session, channel: str, digest: str) -> bool:
    """Whether a delivery with this digest was handled before on ``channel``."""
    return (
        session.scalar(
            select(SeenDelivery.digest).where(
                SeenDelivery.channel == channel, SeenDelivery.digest == digest
            )
        )
        is not None
    )


def remember(session: Session, channel: str, digest: str, now: datetime) -> None:
    """Record a delivery as handled, in the caller's transaction.

    A concurrent or earlier transaction that remembered the same delivery makes this
    fail on the primary key with an :class:`~sqlalchemy.exc.IntegrityError`: that is
    how two deliveries of one webhook end up handled once.

    Args:
        session: The transaction that handles the delivery.
        channel: The channel name.
        digest: From :func:`delivery_digest`.
        now: The current time.
    """
    session.execute(_REMEMBER, {"channel": channel, "digest": digest, "seen_at": _to_the_hour(now)})


def remembers_in_a_query(database: Engine) -> bool:
    """Whether ``database`` can remember a delivery inside another query (:func:`remembering`).

    PostgreSQL runs a data-modifying WITH; SQLite has none.
    """
    return database.dialect.name == "postgresql"


def remembering(query: Select[*_Row]) -> Select[*_Row]:
    """``query``, also remembering a delivery: one round trip to the server instead of two.

    A data-modifying WITH runs once, whatever the query reads, and a delivery seen
    before fails it on the primary key, as :func:`remember` would, before the turn has
    done any work. Bind the delivery with :func:`remembered_params`.
    """
    return query.add_cte(_REMEMBERED)


def remembered_params(channel: str, digest: str, now: datetime) -> dict[str, object]:
    """The parameters of the delivery a :func:`remembering` query remembers."""
    return {"seen_channel": channel, "seen_digest": digest, "seen_at": _to_the_hour(now)}


def purge_seen(session: Session, now: datetime, keep: timedelta = DEFAULT_KEEP) -> int:
    """Forget deliveries handled longer ago than ``keep`` (never under 48 hours).

    Args:
        session: The open transaction.
        now: The current time.
        keep: How long to remember a delivery; raised to :data:`MINIMUM_KEEP` if shorter.

    Returns:
        How many were forgotten.
    """
    # seen_at was cut down to the hour: allow for that so no row goes early.
    cutoff = now - max(keep, MINIMUM_KEEP) - GRANULARITY
    result = session.execute(delete(SeenDelivery).where(SeenDelivery.seen_at < cutoff))
    return int(getattr(result, "rowcount", 0) or 0)


def _to_the_hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
