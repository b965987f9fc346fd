"""Where channel adapters hand inbound messages over, from async routes to the sync core.

The engine and the database are synchronous SQLAlchemy, so every call here runs in a
worker thread (never a blocking call inside ``async def``). After a message is handled
its replies are already in the outbox; the sender is woken to send them at once.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Final

from bot.channels import dbwriter
from bot.messages import InboundMessage, OutboundMessage
from bot.service import ConversationService

logger = logging.getLogger(__name__)

#: Test hook for the crash test: exit right after the transaction that queued the
#: replies commits and before anything is sent, as a power cut there would.
CRASH_AFTER_COMMIT_ENV: Final = "TELLSAFE_CRASH_AFTER_COMMIT"
CRASH_EXIT_CODE: Final = 75


class Intake:
    """Hands inbound messages to the conversation service.

    Args:
        service: The conversation service.
        wake: Called after replies were queued, to wake the sender.
    """

    def __init__(self, service: ConversationService, wake: Callable[[], None]) -> None:
        self.service = service
        self.wake = wake
        self._crash = os.environ.get(CRASH_AFTER_COMMIT_ENV) == "1"

    async def accept(self, inbound: InboundMessage) -> list[int]:
        """Handle one message; returns the ids of the queued replies."""
        queued = await dbwriter.run(self.service.handle, inbound)
        self._after_commit(queued)
        return queued

    async def answer(self, inbound: InboundMessage, reply: OutboundMessage) -> list[int]:
        """Record one message and queue ``reply`` to it without the engine.

        For provider keywords with a fixed answer (SMS HELP): the message is kept and
        deduplicated like any other, and the reply is rendered in the person's language.
        """
        queued = await dbwriter.run(self.service.answer_directly, inbound, reply)
        self._after_commit(queued)
        return queued

    def _after_commit(self, queued: list[int]) -> None:
        if self._crash and queued:
            logger.error("crash hook: exiting after commit, before sending %s", queued)
            os._exit(CRASH_EXIT_CODE)
        if queued:
            self.wake()
