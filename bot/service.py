"""The one entry point channels call: a message in, replies stored in the outbox.

Each inbound message is handled in one transaction that writes the inbound message,
the new conversation state, the case changes and the outbound replies together. The
replies are rendered into the person's language here and wait in the outbox
(``messages`` rows with ``delivery='pending'``) until a sender delivers them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot import prompts, states
from bot.clock import Clock
from bot.engine import Engine
from bot.inbound_text import clean
from bot.messages import InboundMessage, OutboundMessage, RenderedMessage
from cases import store
from cases.models import ChannelAddress, Contact, Conversation, Message
from content.render import render

logger = logging.getLogger(__name__)

PENDING = "pending"
SENT = "sent"
FAILED = "failed"


@dataclass(frozen=True)
class Delivery:
    """An outbound message waiting in the outbox, with where it goes."""

    message_id: int
    channel: str
    address: str
    language: str
    rendered: RenderedMessage


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

    def handle(self, inbound: InboundMessage) -> list[int]:
        """Handle one message; returns the ids of the replies queued in the outbox.

        A message whose provider id was seen before (a redelivered webhook) changes
        nothing and queues nothing.
        """
        now = self.clock.now()
        text, cut = clean(inbound.text)
        try:
            with self.sessions.begin() as session:
                if inbound.external_id and self._seen(session, inbound):
                    logger.info("dropped a redelivered %s message", inbound.channel)
                    return []
                conversation = store.open_conversation(
                    session,
                    inbound.channel,
                    inbound.address,
                    now=now,
                    timezone=self.timezone,
                    initial_state=states.NEW,
                )
                session.add(
                    Message(
                        conversation_id=conversation.id,
                        direction="in",
                        kind="inbound",
                        channel=inbound.channel,
                        text=text,
                        external_id=inbound.external_id,
                        created_at=now,
                    )
                )
                replies = self.engine.handle(session, conversation, inbound, text, now)
                if cut:
                    replies.insert(0, OutboundMessage(body=(prompts.too_long(),)))
                return self.queue(session, conversation, replies)
        except IntegrityError:
            # Two deliveries of one webhook raced; the other one won and handled it.
            logger.info("dropped a concurrently redelivered %s message", inbound.channel)
            return []

    @staticmethod
    def _seen(session: Session, inbound: InboundMessage) -> bool:
        return (
            session.scalar(
                select(Message.id).where(
                    Message.channel == inbound.channel,
                    Message.external_id == inbound.external_id,
                )
            )
            is not None
        )

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
            rendered = render(reply, language, contact.timezone)
            row = Message(
                conversation_id=conversation.id,
                direction="out",
                kind=rendered.kind,
                channel=conversation.channel,
                text=rendered.text,
                choices=[{"code": code, "label": label} for code, label in rendered.choices],
                created_at=self.clock.now(),
                delivery=PENDING,
                attempts=0,
                next_attempt_at=self.clock.now(),
            )
            session.add(row)
            rows.append(row)
        session.flush()
        return [row.id for row in rows]

    def pending(self, limit: int = 100) -> list[Delivery]:
        """Return outbox messages due for sending, oldest first."""
        with self.sessions() as session:
            rows = session.execute(
                select(Message, ChannelAddress, Contact)
                .join(Conversation, Message.conversation_id == Conversation.id)
                .join(ChannelAddress, Conversation.address_id == ChannelAddress.id)
                .join(Contact, Conversation.contact_id == Contact.id)
                .where(Message.delivery == PENDING, Message.next_attempt_at <= self.clock.now())
                .order_by(Message.id)
                .limit(limit)
            ).all()
            return [
                Delivery(
                    message_id=message.id,
                    channel=message.channel,
                    address=address.address,
                    language=contact.language or "en",
                    rendered=RenderedMessage(
                        text=message.text,
                        choices=tuple((c["code"], c["label"]) for c in message.choices or []),
                        kind=message.kind,
                    ),
                )
                for message, address, contact in rows
            ]

    def mark(self, message_id: int, outcome: str, provider_id: str | None = None) -> None:
        """Record the result of a send attempt for an outbox message."""
        with self.sessions.begin() as session:
            message = session.get(Message, message_id)
            if message is None:
                return
            message.attempts += 1
            message.delivery = outcome
            if outcome == SENT:
                message.sent_at = self.clock.now()
                message.external_id = provider_id

    def deliver(self, send: Callable[[Delivery], str | None]) -> int:
        """Send everything pending through ``send`` (which returns a provider id).

        Returns:
            How many messages were sent.
        """
        count = 0
        for delivery in self.pending():
            provider_id = send(delivery)
            self.mark(delivery.message_id, SENT, provider_id)
            count += 1
        return count
