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
from typing import Final

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot import prompts, states
from bot.clock import Clock
from bot.engine import Engine
from bot.inbound_text import clean
from bot.messages import InboundMessage, OutboundMessage
from bot.outbox import FAILED, PENDING, SENT, Delivery, Outbox, pending_row
from cases import deliveries, store
from cases.models import Contact, Conversation, Message
from content.render import render

logger = logging.getLogger(__name__)

#: Decides the replies to one inbound message inside its transaction (the engine).
Responder = Callable[[Session, Conversation, InboundMessage, str, datetime], list[OutboundMessage]]

__all__ = ["FAILED", "PENDING", "SENT", "ConversationService", "Delivery", "storable_id"]

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
        try:
            with self.sessions.begin() as session:
                if digest is not None and deliveries.seen(session, inbound.channel, digest):
                    logger.info("dropped a redelivered %s message", inbound.channel)
                    return []
                opened = store.open_turn(
                    session,
                    inbound.channel,
                    inbound.address,
                    now=now,
                    timezone=self.timezone,
                    initial_state=states.NEW,
                )
                conversation = opened.conversation
                replies = respond(session, conversation, inbound, text, now)
                # Stored after the engine's turn, in the same transaction: adding it first
                # would be flushed by the engine's first read and hold SQLite's write lock
                # through the language parse (measured: the webhook bottleneck).
                session.add(
                    Message(
                        conversation_id=conversation.id,
                        direction="in",
                        kind="inbound",
                        channel=inbound.channel,
                        text=text,
                        # Still kept while the message is: the Telegram quick exit
                        # deletes the person's own messages from the chat by these ids.
                        external_id=inbound.external_id,
                        created_at=now,
                    )
                )
                if digest is not None:
                    # Same transaction: a racing duplicate fails on its primary key.
                    deliveries.remember(session, inbound.channel, digest, now)
                if cut and replies:
                    # Only alongside an answer: after STOP (no replies) nothing may go out.
                    replies.insert(0, OutboundMessage(body=(prompts.too_long(),)))
                return self.queue(session, conversation, replies)
        except IntegrityError:
            # Two deliveries of one webhook raced; the other one won and handled it.
            logger.info("dropped a concurrently redelivered %s message", inbound.channel)
            return []

    def queue(
        self, session: Session, conversation: Conversation, replies: list[OutboundMessage]
    ) -> list[int]:
        """Render replies for the conversation's person and add them to the outbox."""
        contact = session.get(Contact, conversation.contact_id)
        if contact is None:
            raise LookupError("conversation without a contact")
        language = contact.language or "en"
        rows = []
        for reply in replies:
            rendered = render(
                reply,
                language,
                contact.timezone,
                reading=contact.reading,
                channel=conversation.channel,
            )
            row = pending_row(conversation, rendered, self.clock.now())
            session.add(row)
            rows.append(row)
        session.flush()
        return [row.id for row in rows]
