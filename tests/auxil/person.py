"""A person talking to the bot through the real service, for engine tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.clock import ManualClock
from bot.messages import InboundMessage
from bot.runtime import Runtime
from bot.service import Delivery
from cases.models import Case, Contact, Conversation
from cases.store import find_address


@dataclass
class Reply:
    """What the person received."""

    text: str
    choices: list[str]
    kind: str


@dataclass
class Person:
    """Sends messages on one address and collects what comes back."""

    runtime: Runtime
    address: str = "+447700900123"
    channel: str = "sms"
    received: list[Reply] = field(default_factory=list)

    def say(
        self,
        text: str,
        *,
        centre: str | None = None,
        media: tuple[str, ...] = (),
        external_id: str | None = None,
    ) -> list[Reply]:
        """Send one message and return the replies it produced."""
        self.runtime.service.handle(
            InboundMessage(
                channel=self.channel,
                address=self.address,
                text=text,
                received_at=self.runtime.clock.now(),
                centre=centre,
                media=media,
                external_id=external_id,
            )
        )
        return self.collect()

    def collect(self) -> list[Reply]:
        """Deliver the outbox and return what reached this person."""
        new: list[Reply] = []

        def send(delivery: Delivery) -> str | None:
            reply = Reply(
                delivery.rendered.text,
                [label for _code, label in delivery.rendered.choices],
                delivery.rendered.kind,
            )
            if delivery.address == self.address:
                new.append(reply)
            return None

        self.runtime.service.outbox.deliver(send)
        self.received.extend(new)
        return new

    def last(self) -> Reply:
        """The most recent reply."""
        return self.received[-1]

    def wait(self, duration: timedelta) -> list[Reply]:
        """Let time pass, running whatever falls due, and return what arrived."""
        clock = self.runtime.clock
        assert isinstance(clock, ManualClock)
        target = clock.now() + duration
        while (due := self.runtime.followups.next_due()) is not None and due <= target:
            clock.set(max(due, clock.now()))
            self.runtime.followups.run_due()
        clock.set(target)
        self.runtime.followups.run_due()
        return self.collect()

    def state(self) -> str:
        """The conversation's stored state."""
        return self.conversation().state

    def conversation(self) -> Conversation:
        """The stored conversation."""
        return _conversation_for(self)

    def case(self) -> Case:
        """The case of the conversation (current or last)."""
        conversation = self.conversation()
        with self.runtime.sessions() as session:
            case = session.get(Case, conversation.case_id)
            assert case is not None
            _ = case.consents, case.handoffs  # load while the session is open
            return case

    def contact(self) -> Contact:
        """The stored contact."""
        with self.runtime.sessions() as session:
            contact = session.get(Contact, self.conversation().contact_id)
            assert contact is not None
            return contact


def _conversation_for(person: Person) -> Conversation:
    with person.runtime.sessions() as session:
        address = find_address(session, person.channel, person.address)
        assert address is not None, "this person has not written yet"
        conversation = session.scalars(
            select(Conversation).where(Conversation.address_id == address.id)
        ).one()
        return conversation


def at(clock_runtime: Runtime, moment: datetime) -> None:
    """Set the runtime's manual clock."""
    clock = clock_runtime.clock
    assert isinstance(clock, ManualClock)
    clock.set(moment)
