"""The web chat channel: a pull channel whose page collects its messages.

The page asks the server for new messages, so "sending" one only marks it delivered in
the outbox; nothing leaves the server. The page and its routes are in :mod:`bot.web`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Final

from bot.channels.base import Capabilities, Channel
from bot.outbox import Delivery, Outcome

if TYPE_CHECKING:
    from fastapi import APIRouter

    from bot.channels.intake import Intake

NAME: Final = "web"


class WebChannel(Channel):
    """The web chat."""

    name: ClassVar[str] = NAME
    capabilities: ClassVar[Capabilities] = Capabilities(buttons=True, max_length=20_000)

    def router(self, intake: Intake) -> APIRouter | None:
        """None: the chat page's routes belong to the web app."""
        return None

    async def send(self, delivery: Delivery) -> Outcome:
        """Nothing to send: the page fetches the message."""
        return Outcome()
