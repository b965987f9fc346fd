"""`tellsafe chat`: talk to the bot in a terminal, on the embedded defaults."""

from __future__ import annotations

import sys
from typing import IO

from bot.messages import InboundMessage
from bot.runtime import Runtime
from bot.service import Delivery
from content.render import numbered_choices_text

ADDRESS = "terminal"
CHANNEL = "web"


def chat(runtime: Runtime, stdin: IO[str] = sys.stdin, stdout: IO[str] = sys.stdout) -> None:
    """Read lines from ``stdin`` as messages and print the bot's replies.

    Options are shown as numbered lines, as on SMS. End with Ctrl-D.
    """

    def show(delivery: Delivery) -> str | None:
        stdout.write("\n" + numbered_choices_text(delivery.rendered, delivery.language) + "\n")
        stdout.write("> ")
        stdout.flush()
        return None

    stdout.write("TellSafe chat (Ctrl-D to leave). Say hello to start.\n> ")
    stdout.flush()
    for line in stdin:
        runtime.service.handle(
            InboundMessage(
                channel=CHANNEL,
                address=ADDRESS,
                text=line.rstrip("\n"),
                received_at=runtime.clock.now(),
            )
        )
        runtime.followups.run_due()
        runtime.service.outbox.deliver(show)
    stdout.write("\n")
