"""The simulation contract: JSON lines in, JSON lines out, with a controllable clock.

Input lines are messages ``{"channel", "from", "text", "at"?, "centre"?}`` or clock
moves ``{"advance_to": "<ISO-8601>"}``. Output is one line per outbound message:
``{"channel", "to", "text", "at", "kind", "choices"}``, the text as the person sees it.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any

from bot.clock import ManualClock
from bot.messages import InboundMessage
from bot.runtime import Runtime
from bot.service import Delivery
from content.render import numbered_choices_text

logger = logging.getLogger(__name__)

#: Channels whose people see options as numbered text, not buttons.
TEXT_ONLY_CHANNELS = ("sms",)


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class Simulator:
    """Feeds simulated input through the real service and prints what would be sent.

    Args:
        runtime: A runtime built with a :class:`~bot.clock.ManualClock`.
        out: Where to write the output lines.
    """

    def __init__(self, runtime: Runtime, out: IO[str]) -> None:
        if not isinstance(runtime.clock, ManualClock):
            raise TypeError("simulation needs a manual clock")
        self.runtime = runtime
        self.clock: ManualClock = runtime.clock
        self.out = out

    def run(self, lines: Iterable[str]) -> None:
        """Process every input line in order."""
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                if not isinstance(item, dict):
                    raise TypeError("each line must be a JSON object")
                self.step(item)
            except (ValueError, TypeError, KeyError) as error:
                self._emit_error(number, error)

    def step(self, item: dict[str, Any]) -> None:
        """Process one input object."""
        if "advance_to" in item:
            self.advance_to(_parse_time(str(item["advance_to"])))
            return
        if item.get("at"):
            self.clock.set(_parse_time(str(item["at"])))
        text = item.get("text")
        self.runtime.service.handle(
            InboundMessage(
                channel=str(item["channel"]),
                address=str(item["from"]),
                text="" if text is None else str(text),
                received_at=self.clock.now(),
                centre=item.get("centre"),
                external_id=item.get("id"),
            )
        )
        self.flush()

    def advance_to(self, target: datetime) -> None:
        """Move the clock forward, running each follow-up at the time it falls due."""
        if target.tzinfo is None:
            target = target.replace(tzinfo=self.clock.now().tzinfo)
        while (due := self.runtime.followups.next_due()) is not None and due <= target:
            self.clock.set(max(due, self.clock.now()))
            self.runtime.followups.run_due()
            self.flush()
        self.clock.set(max(target, self.clock.now()))
        self.runtime.followups.run_due()
        self.flush()

    def flush(self) -> None:
        """Deliver the outbox by printing it."""
        self.runtime.service.outbox.deliver(self._print)

    def _print(self, delivery: Delivery) -> str | None:
        rendered = delivery.rendered
        text = (
            numbered_choices_text(rendered, delivery.language)
            if delivery.channel in TEXT_ONLY_CHANNELS
            else rendered.text
        )
        self.out.write(
            json.dumps(
                {
                    "channel": delivery.channel,
                    "to": delivery.address,
                    "text": text,
                    "at": self.clock.now().isoformat(),
                    "kind": rendered.kind,
                    "choices": [label for _code, label in rendered.choices],
                },
                ensure_ascii=False,
            )
            + "\n"
        )
        self.out.flush()
        return None

    @staticmethod
    def _emit_error(number: int, error: Exception) -> None:
        # Standard output carries only outbound messages (the contract); problems go
        # to standard error, naming the line and the kind of problem, never its text.
        sys.stderr.write(f"tellsafe simulate: line {number} skipped ({type(error).__name__})\n")
