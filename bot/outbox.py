"""The outbox: outbound ``messages`` rows waiting to be sent, claimed safely, retried.

Replies are written as ``delivery='pending'`` rows in the same transaction as the state
change that caused them (see :mod:`bot.service`). This module takes them from there:

- :meth:`Outbox.claim` moves due rows to ``sending`` with a conditional UPDATE, so when
  several processes share one database only one of them sends each row. The claim is a
  lease: ``next_attempt_at`` becomes the time the claim expires, so a row whose sender
  died mid-send is picked up again (at least once beats never for a victim's reply).
- :meth:`Outbox.record` writes the outcome: sent (with the provider's id), a temporary
  failure (back to pending with exponential backoff), or a permanent one (failed, never
  retried), and what a permanent error says about the address (opted out, unreachable).
- :class:`bot.channels.sender.Sender` is the async loop that does the sending.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Final, cast

from sqlalchemy import Select, Table, bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot import states
from bot.clock import Clock
from bot.messages import FOLLOWUP, NOTICE, RenderedMessage
from cases import store
from cases.models import ChannelAddress, Contact, Conversation, Message

logger = logging.getLogger(__name__)

MESSAGES: Final = cast(Table, Message.__table__)

PENDING: Final = "pending"
SENDING: Final = "sending"
SENT: Final = "sent"
FAILED: Final = "failed"
CANCELLED: Final = "cancelled"

#: How long a claim holds a row before another sender may take it over.
LEASE: Final = timedelta(seconds=60)
#: Attempts before a temporary error is given up on (about a day of backoff in all).
MAX_ATTEMPTS: Final = 10
BACKOFF_BASE: Final = timedelta(seconds=5)
BACKOFF_CAP: Final = timedelta(hours=2)
#: Telegram refuses to delete messages older than this, and a quick exit is about now.
ERASE_WINDOW: Final = timedelta(hours=48)

#: What a permanent error says about the address.
OPTED_OUT: Final = "opted_out"
UNREACHABLE: Final = "unreachable"


@dataclass(frozen=True)
class Delivery:
    """An outbound message waiting in the outbox, with where it goes.

    Attributes:
        message_id: The outbox row.
        channel: The channel name.
        address: The channel address (phone number, chat id, web session token).
        language: The person's language.
        rendered: The message in words.
        attempts: Send attempts made before this one.
        conversation_id: The conversation the message belongs to.
        erase: Provider ids of this session's messages to remove before sending (a quick
            exit), for channels that can delete messages.
        parts_sent: Parts of a split text an earlier attempt already sent: a retry sends
            only the rest, so nobody gets the start of a message twice.
        resumed_since: Set when the message is claimed again because its sender died
            mid-send (its lease expired): the provider may have accepted it, or some of
            its parts, before the outcome was written. The time the message was written,
            for a channel that can ask its provider what it accepted since then.
    """

    message_id: int
    channel: str
    address: str
    language: str
    rendered: RenderedMessage
    attempts: int = 0
    conversation_id: int = 0
    erase: tuple[str, ...] = ()
    parts_sent: int = 0
    resumed_since: datetime | None = None


@dataclass(frozen=True)
class Outcome:
    """The result of one send attempt.

    Attributes:
        provider_id: The provider's id for the sent message (None when it failed).
        error: A short error code (provider code or exception name), never message text.
        permanent: Whether retrying can never help.
        retry_after: The provider's own wait before retrying, in seconds.
        effect: What a permanent error says about the address: ``opted_out``,
            ``unreachable`` or None.
        parts_sent: For a text split into parts, how many parts have been sent in all
            (this attempt and earlier ones) when the attempt failed.
    """

    provider_id: str | None = None
    error: str | None = None
    permanent: bool = False
    retry_after: float | None = None
    effect: str | None = None
    parts_sent: int = 0

    @property
    def ok(self) -> bool:
        """Whether the message was accepted by the provider."""
        return self.error is None


#: Marks the stored options of a question where several may be chosen (on each one, so
#: the stored list stays a list of options), for the numbered footer SMS shows.
_MULTIPLE: Final = "multiple"


def stored_choices(rendered: RenderedMessage) -> list[dict[str, str]]:
    """The options of ``rendered`` as the outbox stores them."""
    marked = {_MULTIPLE: "yes"} if rendered.multiple else {}
    return [{"code": code, "label": label, **marked} for code, label in rendered.choices]


def stored_rendered(text: str, kind: str, stored: list[dict[str, str]] | None) -> RenderedMessage:
    """A stored outbox row's message in words, its options as :func:`stored_choices` kept them."""
    stored = stored or []
    return RenderedMessage(
        text=text,
        choices=tuple((c["code"], c["label"]) for c in stored),
        kind=kind,
        multiple=any(c.get(_MULTIPLE) for c in stored),
    )


def pending_values(
    conversation: Conversation,
    rendered: RenderedMessage,
    now: datetime,
    officer_id: int | None = None,
) -> dict[str, Any]:
    """The column values of a new outbox row: ``rendered`` to the conversation's person.

    For batches written with one bulk ``INSERT`` (check-ins); :func:`pending_row`
    makes the same row as an object.

    Args:
        conversation: Whose person it goes to, on their channel.
        rendered: The message in words.
        now: When it was written; the row is due at once.
        officer_id: The console account that wrote it (None: the bot did).

    Returns:
        The values by column name.
    """
    return {
        "conversation_id": conversation.id,
        "direction": "out",
        "kind": rendered.kind,
        "channel": conversation.channel,
        "text": rendered.text,
        "choices": stored_choices(rendered),
        "external_id": None,
        "created_at": now,
        "delivery": PENDING,
        "attempts": 0,
        "parts_sent": 0,
        "next_attempt_at": now,
        "officer_id": officer_id,
    }


def pending_row(
    conversation: Conversation,
    rendered: RenderedMessage,
    now: datetime,
    officer_id: int | None = None,
) -> Message:
    """A new outbox row (see :func:`pending_values`), not yet added to a session."""
    return Message(**pending_values(conversation, rendered, now, officer_id))


def backoff(attempts: int, retry_after: float | None = None) -> timedelta:
    """The wait before the next attempt.

    Exponential, capped, jittered, and never shorter than the provider's own wait.

    Args:
        attempts: Attempts made so far (at least 1).
        retry_after: The provider's requested wait in seconds, if it gave one.

    Returns:
        How long to wait.
    """
    base: timedelta = min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)
    # Jitter spreads retries of a burst so they do not all hit the provider at once.
    wait: timedelta = base * (0.5 + random.random() / 2)  # noqa: S311 - not security relevant
    if retry_after is not None:
        wait = max(wait, timedelta(seconds=retry_after))
    return wait


# The claim's statements, built once: the sender claims after every turn, and building
# them (an aliased table, an EXISTS, their cache keys) cost more than running them.

_EARLIER: Final = MESSAGES.alias("earlier")
#: A person's messages go in order: none is due while an earlier one to the same
#: conversation waits for its retry (or is being sent by another process).
_HELD_BACK: Final = (
    select(_EARLIER.c.id)
    .where(
        _EARLIER.c.conversation_id == MESSAGES.c.conversation_id,
        _EARLIER.c.id < MESSAGES.c.id,
        _EARLIER.c.direction == "out",
        or_(_EARLIER.c.delivery == PENDING, _EARLIER.c.delivery == SENDING),
        _EARLIER.c.next_attempt_at > bindparam("now"),
    )
    .exists()
)


def _due(delivery: str, by_channel: bool) -> Select[int]:
    """Rows in ``delivery`` whose time has come, oldest first, on the wanted channels."""
    query = (
        select(MESSAGES.c.id)
        .where(
            MESSAGES.c.delivery == delivery,
            MESSAGES.c.direction == "out",
            MESSAGES.c.next_attempt_at <= bindparam("now"),
            ~_HELD_BACK,
        )
        .order_by(MESSAGES.c.id)
        .limit(bindparam("limit"))
    )
    if by_channel:
        query = query.where(MESSAGES.c.channel.in_(bindparam("channels", expanding=True)))
    # SKIP LOCKED (PostgreSQL; SQLite has one writer anyway): rows another sender is
    # claiming right now are left to it instead of waited on.
    return query.with_for_update(skip_locked=True)


#: By (delivery state, whether the claim is for some channels only).
_DUE: Final = {
    (delivery, by_channel): _due(delivery, by_channel)
    for delivery in (PENDING, SENDING)
    for by_channel in (False, True)
}

#: One conditional UPDATE for the batch: a row claimed by someone else since our read
#: no longer matches (its lease lies in the future) and is not returned.
_CLAIM: Final = (
    update(MESSAGES)
    .where(
        MESSAGES.c.id.in_(bindparam("ids", expanding=True)),
        or_(MESSAGES.c.delivery == PENDING, MESSAGES.c.delivery == SENDING),
        MESSAGES.c.next_attempt_at <= bindparam("now"),
    )
    .values(delivery=SENDING, next_attempt_at=bindparam("until"))
    .returning(MESSAGES.c.id)
)

_CONVERSATIONS: Final = cast(Table, Conversation.__table__)
_ADDRESSES: Final = cast(Table, ChannelAddress.__table__)
_CONTACTS: Final = cast(Table, Contact.__table__)

#: Claimed rows with where they go.
_CLAIMED: Final = (
    select(
        MESSAGES.c.id,
        MESSAGES.c.kind,
        MESSAGES.c.channel,
        MESSAGES.c.text,
        MESSAGES.c.choices,
        MESSAGES.c.attempts,
        MESSAGES.c.parts_sent,
        MESSAGES.c.created_at,
        _CONVERSATIONS.c.id,
        _CONVERSATIONS.c.state,
        _ADDRESSES.c.address,
        _ADDRESSES.c.unreachable_at,
        _ADDRESSES.c.opted_out_at,
        _CONTACTS.c.opted_out_at,
        _CONTACTS.c.language,
    )
    .join(_CONVERSATIONS, MESSAGES.c.conversation_id == _CONVERSATIONS.c.id)
    .join(_ADDRESSES, _CONVERSATIONS.c.address_id == _ADDRESSES.c.id)
    .join(_CONTACTS, _CONVERSATIONS.c.contact_id == _CONTACTS.c.id)
    .where(MESSAGES.c.id.in_(bindparam("ids", expanding=True)))
    .order_by(MESSAGES.c.id)
)

#: A sent row settled (the common outcome), as an executemany over the batch.
_SETTLE_SENT: Final = (
    update(MESSAGES)
    .where(MESSAGES.c.id == bindparam("b_id"), MESSAGES.c.delivery == SENDING)
    .values(
        delivery=SENT,
        sent_at=bindparam("b_now"),
        external_id=bindparam("b_provider_id"),
        error=None,
        attempts=MESSAGES.c.attempts + 1,
    )
)


class Outbox:
    """Claims, reads and settles outbox rows.

    Args:
        sessions: Session factory for the database.
        clock: Where the time comes from.
    """

    def __init__(self, sessions: sessionmaker[Session], clock: Clock) -> None:
        self.sessions = sessions
        self.clock = clock

    def claim(self, limit: int = 100, channels: Iterable[str] | None = None) -> list[Delivery]:
        """Claim due rows for sending, oldest first.

        A row is due when it is pending and its time has come, or when it is being
        sent under a lease that has expired (its sender died). Rows that must not be
        sent (follow-ups to someone who opted out, anything to an unreachable address)
        are settled here instead of being returned.

        Args:
            limit: At most this many rows.
            channels: Only these channels (the ones this process can send on).

        Returns:
            The claimed deliveries, in the order they were written.
        """
        now = self.clock.now()
        by_channel = channels is not None
        params: dict[str, Any] = {"now": now, "limit": limit}
        if channels is not None:
            params["channels"] = list(channels)
        with self.sessions.begin() as session:
            # Two reads, each an ordered walk of an index that stops after ``limit``
            # rows: pending rows oldest first (by (delivery, id); one read for both
            # states would sort the whole backlog on every claim), and the rare rows
            # whose sender died mid-send.
            resumed = set(session.scalars(_DUE[SENDING, by_channel], params))
            ids = sorted({*session.scalars(_DUE[PENDING, by_channel], params), *resumed})[:limit]
            if not ids:
                return []
            won = session.scalars(_CLAIM, {"ids": ids, "now": now, "until": now + LEASE}).all()
            return self._deliveries(session, sorted(won), now, resumed)

    def _deliveries(
        self,
        session: Session,
        ids: list[int],
        now: datetime,
        resumed: Collection[int] = frozenset(),
    ) -> list[Delivery]:
        """Read claimed rows with where they go; settle those that must not be sent."""
        if not ids:
            return []
        rows = session.execute(_CLAIMED, {"ids": ids}).all()
        deliveries: list[Delivery] = []
        settled: dict[tuple[str, str], list[int]] = {}
        for (
            message_id,
            kind,
            channel,
            text,
            choices,
            attempts,
            parts_sent,
            created_at,
            conversation_id,
            state,
            address,
            unreachable_at,
            address_out,
            contact_out,
            language,
        ) in rows:
            if unreachable_at is not None:
                settled.setdefault((FAILED, UNREACHABLE), []).append(message_id)
                continue
            if kind == FOLLOWUP and (contact_out is not None or address_out is not None):
                # STOP means nothing unasked-for: a check-in queued before the opt-out
                # reached the engine is dropped here rather than sent.
                settled.setdefault((CANCELLED, OPTED_OUT), []).append(message_id)
                continue
            erase: tuple[str, ...] = ()
            if kind == NOTICE and state == states.PAUSED:
                erase = self._session_ids(session, conversation_id, message_id, now)
            deliveries.append(
                Delivery(
                    message_id=message_id,
                    channel=channel,
                    address=address,
                    language=language or "en",
                    rendered=stored_rendered(text, kind, choices),
                    attempts=attempts,
                    conversation_id=conversation_id,
                    erase=erase,
                    parts_sent=parts_sent or 0,
                    resumed_since=created_at if message_id in resumed else None,
                )
            )
        for (delivery, error), settled_ids in settled.items():
            session.execute(
                update(Message)
                .where(Message.id.in_(settled_ids))
                .values(delivery=delivery, error=error)
                .execution_options(synchronize_session=False)
            )
        return deliveries

    @staticmethod
    def _session_ids(
        session: Session, conversation_id: int, exclude: int, now: datetime
    ) -> tuple[str, ...]:
        ids = session.scalars(
            select(Message.external_id).where(
                Message.conversation_id == conversation_id,
                Message.id != exclude,
                Message.external_id.is_not(None),
                Message.created_at >= now - ERASE_WINDOW,
            )
        ).all()
        return tuple(value for value in ids if value)

    def record(self, delivery: Delivery, outcome: Outcome) -> None:
        """Settle a claimed row with the outcome of its send attempt."""
        self.record_many([(delivery, outcome)])

    def record_many(self, results: Sequence[tuple[Delivery, Outcome]]) -> None:
        """Settle claimed rows with the outcomes of their send attempts, in one transaction.

        A busy sender finishes many sends while one transaction is written; settling them
        together keeps the database thread free for people's turns.
        """
        if not results:
            return
        try:
            with self.sessions.begin() as session:
                self._settle(session, results, self.clock.now())
        except IntegrityError:
            if len(results) > 1:
                for result in results:  # find the one that clashed; settle the rest
                    self.record_many([result])
                return
            # A provider id we already hold (never expected): still record the send,
            # because leaving the row claimed would send it again when the lease ends.
            delivery, outcome = results[0]
            logger.error("provider id clash for message %s", delivery.message_id)
            with self.sessions.begin() as session:
                self._settle(
                    session, [(delivery, replace(outcome, provider_id=None))], self.clock.now()
                )

    def _settle(
        self, session: Session, results: Sequence[tuple[Delivery, Outcome]], now: datetime
    ) -> None:
        sent = [
            {"b_id": delivery.message_id, "b_provider_id": outcome.provider_id, "b_now": now}
            for delivery, outcome in results
            if outcome.ok
        ]
        if sent:
            # The common case as one executemany: no row loaded, no unit of work.
            session.connection().execute(_SETTLE_SENT, sent)
        for delivery, outcome in results:
            if not outcome.ok:
                self._settle_failure(session, delivery, outcome, now)

    def _settle_failure(
        self, session: Session, delivery: Delivery, outcome: Outcome, now: datetime
    ) -> None:
        message = session.get(Message, delivery.message_id)
        if message is None or message.delivery != SENDING:
            return
        message.attempts += 1
        message.error = (outcome.error or "error")[:64]
        message.parts_sent = max(message.parts_sent or 0, outcome.parts_sent)
        if outcome.permanent or message.attempts >= MAX_ATTEMPTS:
            message.delivery = FAILED
            logger.warning(
                "message %s failed for good on %s: %s",
                message.id,
                message.channel,
                message.error,
            )
            if outcome.effect is not None:
                self._apply_effect(session, message.conversation_id, outcome.effect, now)
            return
        message.delivery = PENDING
        message.next_attempt_at = now + backoff(message.attempts, outcome.retry_after)
        logger.info(
            "message %s will be retried (attempt %s): %s",
            message.id,
            message.attempts,
            message.error,
        )

    def release(self, message_ids: Iterable[int], at: datetime | None = None) -> None:
        """Give claimed rows back unsent (an earlier message to the same person failed)."""
        ids = list(message_ids)
        if not ids:
            return
        with self.sessions.begin() as session:
            session.execute(
                update(Message)
                .where(Message.id.in_(ids), Message.delivery == SENDING)
                .values(delivery=PENDING, next_attempt_at=at or self.clock.now())
            )

    def provider_status(
        self, channel: str, provider_id: str, failed: bool, error: str | None, effect: str | None
    ) -> bool:
        """Record a delivery report (a status callback) for a sent message.

        Args:
            channel: The channel name.
            provider_id: The provider's id of the message.
            failed: Whether the provider says it was not delivered.
            error: The provider's error code.
            effect: What the error says about the address, if anything.

        Returns:
            Whether the message was found.
        """
        now = self.clock.now()
        with self.sessions.begin() as session:
            message = session.scalars(
                select(Message).where(
                    Message.channel == channel,
                    Message.external_id == provider_id,
                    Message.direction == "out",
                )
            ).one_or_none()
            if message is None:
                return False
            if failed:
                message.delivery = FAILED
                message.error = (error or "undelivered")[:64]
                if effect is not None:
                    self._apply_effect(session, message.conversation_id, effect, now)
            return True

    def _apply_effect(
        self, session: Session, conversation_id: int, effect: str, now: datetime
    ) -> None:
        conversation = session.get(Conversation, conversation_id)
        if conversation is None:
            return
        address = session.get(ChannelAddress, conversation.address_id)
        contact = session.get(Contact, conversation.contact_id)
        if address is None or contact is None:
            return
        if effect == UNREACHABLE:
            address.unreachable_at = address.unreachable_at or now
            logger.warning("address %s marked unreachable", address.id)
            return
        if effect == OPTED_OUT:
            apply_opt_out(session, conversation, address, contact, now)

    # The simple synchronous API that the simulator, the terminal chat and engine tests
    # use: no leases needed when one process prints the outbox as it goes.

    def pending(self, limit: int = 100) -> list[Delivery]:
        """Return outbox messages due for sending, oldest first (without claiming)."""
        with self.sessions() as session:
            ids = session.scalars(
                select(Message.id)
                .where(Message.delivery == PENDING, Message.next_attempt_at <= self.clock.now())
                .order_by(Message.id)
                .limit(limit)
            ).all()
            found = self._deliveries(session, list(ids), self.clock.now())
            session.rollback()  # reading only: settle nothing here
            return found

    def deliver(self, send: Callable[[Delivery], str | None]) -> int:
        """Send everything due through ``send`` (which returns a provider id).

        Returns:
            How many messages were sent.
        """
        count = 0
        while batch := self.claim():
            for delivery in batch:
                self.record(delivery, Outcome(provider_id=send(delivery)))
                count += 1
        return count


def apply_opt_out(
    session: Session,
    conversation: Conversation,
    address: ChannelAddress,
    contact: Contact,
    now: datetime,
) -> None:
    """Record that the provider says this person opted out (e.g. Twilio 21610).

    The same effect as STOP reaching the engine: nothing more is sent, check-ins are
    cancelled, and only START is answered.
    """
    address.opted_out_at = address.opted_out_at or now
    if contact.opted_out_at is None:
        contact.opted_out_at = now
        store.cancel_followups(session, contact.id, "stop", now)
        store.cancel_pending_messages(session, conversation.id)
        store.audit(session, store.SYSTEM, "contact.opted_out", "contact", contact.id, now)
    if conversation.state != states.STOPPED:
        conversation.resume_state = conversation.state
        conversation.state = states.STOPPED
    logger.info("contact %s opted out at the provider", contact.id)
