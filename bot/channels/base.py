"""The one interface every channel implements, and the values it trades in.

A channel is a thin adapter: it checks that an inbound request is authentic, turns it
into an :class:`~bot.messages.InboundMessage` for the one entry point, and sends what
the outbox hands it. Only channel modules import provider libraries (twilio,
telegram).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from fastapi import APIRouter

    from bot.channels.intake import Intake
    from bot.outbox import Delivery, Outcome


@dataclass(frozen=True)
class Capabilities:
    """What a channel can show.

    Attributes:
        buttons: Choices can be buttons; otherwise they become numbered lines.
        max_length: The longest text one message may carry (longer is split).
        media: People can send photos and documents.
        erase: Sent and received messages can be deleted (quick exit).
    """

    buttons: bool
    max_length: int
    media: bool = False
    erase: bool = False


@dataclass(frozen=True)
class RateLimit:
    """How fast a channel may send.

    Attributes:
        overall: Messages per second in all, or None for no limit.
        per_address: Messages per second to one address, or None for no limit.
    """

    overall: float | None = None
    per_address: float | None = None


class Channel(ABC):
    """A way people reach TellSafe."""

    #: The channel's name, as stored on messages and addresses.
    name: ClassVar[str]
    capabilities: ClassVar[Capabilities]
    rate_limit: RateLimit = RateLimit()

    @abstractmethod
    def router(self, intake: Intake) -> APIRouter | None:
        """The HTTP routes of the channel (webhooks, status callbacks), if any."""

    @abstractmethod
    async def send(self, delivery: Delivery) -> Outcome:
        """Send one outbox message.

        Never raises for provider errors: they come back as an :class:`Outcome`
        saying whether they are permanent.
        """

    async def start(self) -> None:  # noqa: B027 - optional hook, nothing by default
        """Prepare clients before the first send (the server's startup)."""

    async def stop(self) -> None:  # noqa: B027 - optional hook, nothing by default
        """Release clients (the server's shutdown)."""
