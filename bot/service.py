"""The one entry point channels call: a message in, replies stored in the outbox.

Each inbound message is handled in one transaction that writes the inbound message,
the new conversation state, the case changes and the outbound replies together. The
replies are rendered into the person's language here and wait in the outbox
(``messages`` rows with ``delivery='pending'``) until a sender delivers them.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any, Final

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot import prompts, states
from bot.clock import Clock
from bot.engine import Engine
from bot.inbound_text import clean
from bot.messages import InboundMessage, OutboundMessage, RenderedMessage
from bot.outbox import FAILED, MESSAGES, PENDING, SENT, Delivery, Outbox, pending_values
from cases import deliveries, store
from cases.models import Contact, Conversation
from content.render import render

logger = logging.getLogger(__name__)

#: Decides the replies to one inbound message inside its transaction (the engine).
Responder = Callable[[Session, Conversation, InboundMessage, str, datetime], list[OutboundMessage]]

__all__ = ["FAILED", "PENDING", "SENT", "ConversationService", "Delivery", "storable_id"]

#: One turn's messages (the inbound one and the replies) in one statement. Not asked for
#: the ids in parameter order: SQLite cannot give them so from one multi-row INSERT, and
#: SQLAlchemy would send a statement a row instead. The direction tells replies apart.
INSERT_MESSAGES: Final = insert(MESSAGES).returning(MESSAGES.c.id, MESSAGES.c.direction)

#: The longest provider id ``messages.external_id`` holds.
MAX_EXTERNAL_ID: Final = 64


def storable_id(external_id: str | None) -> str | None:
    """A provider id as stored and compared for redeliveries.

    Real ids are short ASCII; one that is not (too long, NUL, a lone surrogate) would
    make PostgreSQL refuse the row (a 500, retried by the provider forever), so it is
    replaced by its digest: still the same for a redelivery, still unique.
    """
    if external_id is None or (
        len(external_id) <= MAX_EXTERNAL_ID and external_id.isascii() and "\x00" not in external_id
    ):
        return external_id
    digest = hashlib.sha256(external_id.encode("utf-8", "surrogatepass")).hexdigest()
    return "sha256:" + digest[: MAX_EXTERNAL_ID - len("sha256:")]


class ConversationService:
    """Handles inbound messages and keeps the outbox.

    Args:
        sessions: Session factory for the database.
        engine: The conversation engine.
        clock: Where the time comes from.
        timezone: The deployment's time zone (the default for new contacts).
    """

    def __init__(
        self, sessions: sessionmaker[Session], engine: Engine, clock: Clock, timezone: str
    ) -> None:
        self.sessions = sessions
        self.engine = engine
        self.clock = clock
        self.timezone = timezone
        #: Where the queued replies wait; the simulator and terminal deliver from it.
        self.outbox = Outbox(sessions, clock)
        # On a database server the turn's first query remembers its delivery too, a
        # round trip fewer (measured on the bench walk: 6.3 statements a turn became
        # 5.3). SQLite remembers it last (see _receive).
        bind = sessions.kw.get("bind")
        self._remember_first = bind is not None and deliveries.remembers_in_a_query(bind)

    def handle(self, inbound: InboundMessage) -> list[int]:
        """Handle one message; returns the ids of the replies queued in the outbox.

        A message whose provider id was seen before (a redelivered webhook) changes
        nothing and queues nothing.
        """
        return self._receive(inbound, self.engine.handle)

    def answer_directly(self, inbound: InboundMessage, reply: OutboundMessage) -> list[int]:
        """Record one message and queue a fixed ``reply`` to it, without the engine.

        For provider keywords with a fixed answer (SMS HELP): the message is kept,
        cleaned and deduplicated like any other, and the reply is in the person's language.
        """
        return self._receive(inbound, lambda *_args: [reply])

    def _receive(self, inbound: InboundMessage, respond: Responder) -> list[int]:
        now = self.clock.now()
        inbound = replace(inbound, external_id=storable_id(inbound.external_id))
        # Redeliveries are recognised by a keyed digest kept apart from the person, so
        # one that arrives after "delete my data" still changes nothing.
        digest = deliveries.delivery_digest(inbound.external_id) if inbound.external_id else None
        text, cut = clean(inbound.text)
        remember = (
            deliveries.remembered_params(inbound.channel, digest, now)
            if digest is not None and self._remember_first
            else None
        )
        try:
            with self.sessions.begin() as session:
                opened = store.open_turn(
                    session, inbound.channel, inbound.address, remember=remember
                )
                if opened is None and self._first_contact(inbound, digest, now):
                    # Remembered already, if the first query did.
                    opened = store.open_turn(session, inbound.channel, inbound.address)
                if opened is None:
                    logger.info("dropped a redelivered %s message", inbound.channel)
                    return []
                conversation = opened.conversation
                replies = respond(session, conversation, inbound, text, now)
                if inbound.carrier_opt_out is not None:
                    store.mark_carrier_opt_out(opened.address, inbound.carrier_opt_out, now)
                if cut and replies:
                    # Only alongside an answer: after STOP (no replies) nothing may go out.
                    replies.insert(0, OutboundMessage(body=(prompts.too_long(),)))
                # Written after the engine's turn, in the same transaction: writing them
                # first would hold SQLite's write lock through the language parse.
                inbound_row = self._inbound_values(conversation, inbound, text, now)
                outbound = self._rendered(conversation, opened.contact, replies)
                queued = self._insert(session, [inbound_row, *outbound])
                if digest is not None and remember is None:
                    # Optimistic: redeliveries are rare, so instead of a lookup on every
                    # message, a seen one fails here on the primary key and rolls back.
                    # Last, so SQLite's write lock is not held through the language parse.
                    deliveries.remember(session, inbound.channel, digest, now)
                return queued
        except IntegrityError:
            if not self._handled_before(inbound, digest):
                raise
            logger.info("dropped a redelivered %s message", inbound.channel)
            return []

    def _first_contact(self, inbound: InboundMessage, digest: str | None, now: datetime) -> bool:
        """Create the person, address and conversation of a first message.

        In a short transaction of its own, before the turn's: creating them inside the
        turn meant writing first and holding SQLite's write lock through the language
        parse and the whole turn, and other processes' turns queued behind it
        (measured: a wave of new people made every turn five times slower).

        Returns:
            False when the message is a redelivery (of one whose sender has since asked
            for their data to be deleted): nothing is created for it.
        """
        try:
            with self.sessions.begin() as session:
                if digest is not None and deliveries.seen(session, inbound.channel, digest):
                    return False
                store.open_conversation(
                    session,
                    inbound.channel,
                    inbound.address,
                    now=now,
                    timezone=self.timezone,
                    initial_state=states.NEW,
                )
        except IntegrityError:
            pass  # another process created them a moment ago: the turn reads theirs
        return True

    def _handled_before(self, inbound: InboundMessage, digest: str | None) -> bool:
        """Whether a message that failed on a unique key was a redelivery (or a racing one)."""
        if inbound.external_id is None or digest is None:
            return False
        with self.sessions.begin() as session:
            return deliveries.seen(session, inbound.channel, digest) or store.has_inbound(
                session, inbound.channel, inbound.external_id
            )

    @staticmethod
    def _inbound_values(
        conversation: Conversation, inbound: InboundMessage, text: str, now: datetime
    ) -> dict[str, Any]:
        # An outbox row's columns, so all of a turn's messages go in one INSERT; built
        # from one, so the two cannot drift apart.
        values = pending_values(conversation, RenderedMessage(text=text), now)
        values.update(
            direction="in",
            kind="inbound",
            choices=None,
            # Still kept while the message is: the Telegram quick exit deletes the
            # person's own messages from the chat by these ids.
            external_id=inbound.external_id,
            delivery=None,
            next_attempt_at=None,
        )
        return values

    def queue(
        self, session: Session, conversation: Conversation, replies: list[OutboundMessage]
    ) -> list[int]:
        """Render replies for the conversation's person and add them to the outbox."""
        contact = session.get(Contact, conversation.contact_id)
        if contact is None:
            raise LookupError("conversation without a contact")
        return self._insert(session, self._rendered(conversation, contact, replies))

    def _rendered(
        self, conversation: Conversation, contact: Contact, replies: list[OutboundMessage]
    ) -> list[dict[str, Any]]:
        language = contact.language or "en"
        now = self.clock.now()
        return [
            pending_values(
                conversation,
                render(
                    reply,
                    language,
                    contact.timezone,
                    reading=contact.reading,
                    channel=conversation.channel,
                ),
                now,
            )
            for reply in replies
        ]

    @staticmethod
    def _insert(session: Session, rows: list[dict[str, Any]]) -> list[int]:
        """Insert message rows with one statement; returns the ids of the outbound ones."""
        if not rows:
            return []
        # A Core INSERT: the ORM's unit of work cost twice as much for rows nothing reads back.
        inserted = session.execute(INSERT_MESSAGES, rows)
        return sorted(id_ for id_, direction in inserted if direction == "out")
