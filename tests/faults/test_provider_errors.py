"""The provider fails for a while (429, 5xx, connection reset): retried with backoff, sent once.

Hypothesis picks a run of temporary failures from Twilio's REST API; the real sender
and SMS channel go through it against a manual clock, moving the clock only to each
retry's due time. Whatever the run, every text part reaches the provider exactly once,
a person's messages keep their order, no retry comes before its backoff, and a
temporary failure never turns into a permanent one before MAX_ATTEMPTS.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from twilio.http.response import Response as TwilioResponse

from bot.channels.sender import Sender
from bot.channels.twilio_sms import SmsChannel
from bot.clock import ManualClock
from bot.messages import InboundMessage
from bot.outbox import BACKOFF_BASE, SENT, Outbox
from cases.models import Message
from tests.auxil.proof import budget, migrated_template, runtime_from_template
from tests.channels.conftest import channel_settings
from tests.channels.fakes import FakeTwilioHttp
from tests.conftest import START

#: A temporary failure: an HTTP status with Twilio's error body, or a dropped connection.
RESET = "reset"
FAILURES = st.sampled_from(((429, 20429), (500, None), (502, None), (503, None), RESET))

_examples = itertools.count()


class FlakyTwilio(FakeTwilioHttp):
    """The Twilio seam, failing as told and recording the clock time of every call."""

    def __init__(self, clock: ManualClock, failures: list[Any]) -> None:
        super().__init__()
        self.clock = clock
        self.failures = list(failures)
        self.accepted: list[str] = []
        self.calls: list[tuple[str, Any, bool]] = []  # body, time, accepted

    async def request(self, method: str, uri: str, *args: Any, **kwargs: Any) -> TwilioResponse:
        body = str((kwargs.get("data") or {}).get("Body", ""))
        if self.failures:
            failure = self.failures.pop(0)
            self.calls.append((body, self.clock.now(), False))
            if failure == RESET:
                raise aiohttp.ClientConnectionError("connection reset by peer")
            status, code = failure
            self.fail_next(status, code)
            return await super().request(method, uri, *args, **kwargs)
        self.calls.append((body, self.clock.now(), True))
        self.accepted.append(body)
        return await super().request(method, uri, *args, **kwargs)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_template(tmp_path_factory.mktemp("provider-errors"))


@pytest.fixture(scope="module")
def directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("provider-errors-examples")


def _minimum_wait(attempts: int) -> timedelta:
    """The least backoff.backoff() can give after ``attempts`` attempts (full jitter down)."""
    wait: timedelta = BACKOFF_BASE * (2 ** max(attempts - 1, 0)) * 0.5
    return wait


@given(failures=st.lists(FAILURES, max_size=5))
@budget(examples=25)
def test_temporary_provider_errors_are_retried_with_backoff_and_sent_once(
    template: Path, directory: Path, failures: list[Any]
) -> None:
    clock = ManualClock(START)
    runtime = runtime_from_template(template, directory, f"p{next(_examples)}", clock)
    try:
        twilio = FlakyTwilio(clock, failures)
        settings = replace(channel_settings(directory), sms_rate=1000.0)
        sender = Sender(
            Outbox(runtime.sessions, clock), {"sms": SmsChannel.from_settings(settings, twilio)}
        )
        for number, text in enumerate(("Hello, I want to report something", "yes")):
            runtime.service.handle(
                InboundMessage(
                    channel="sms",
                    address="+447700900444",
                    text=text,
                    received_at=clock.now(),
                    external_id=f"SM{number:032x}",
                )
            )
        expected = _rows(runtime)
        for _ in range(2 * len(failures) + 10):
            claimed = asyncio.run(sender.run_once())
            due = _next_due(runtime, after=clock.now())
            if due is not None and not claimed:
                clock.set(due)  # nothing more to do now: on to the next retry
        rows = _rows(runtime)
        assert [row.delivery for row in rows] == [SENT] * len(expected)
        # Every part reached Twilio exactly once, in the order the replies were written.
        assert len(twilio.accepted) == len(set(twilio.accepted))
        joined = "\n".join(twilio.accepted)
        positions = [joined.find(row.text.splitlines()[0][:40]) for row in rows]
        assert all(position >= 0 for position in positions)
        assert positions == sorted(positions)
        # No retry of a text came before its backoff.
        for body, attempts in _attempt_times(twilio.calls).items():
            for number, (earlier, later) in enumerate(itertools.pairwise(attempts), start=1):
                assert later - earlier >= _minimum_wait(number) - timedelta(milliseconds=1), body
    finally:
        runtime.database.dispose()


def _rows(runtime: Any) -> list[Message]:
    with runtime.sessions() as session:
        return list(
            session.scalars(select(Message).where(Message.direction == "out").order_by(Message.id))
        )


def _next_due(runtime: Any, after: Any) -> Any:
    with runtime.sessions() as session:
        return session.scalar(
            select(Message.next_attempt_at)
            .where(Message.direction == "out", Message.delivery.in_(("pending", "sending")))
            .where(Message.next_attempt_at > after)
            .order_by(Message.next_attempt_at)
            .limit(1)
        )


def _attempt_times(calls: list[tuple[str, Any, bool]]) -> dict[str, list[Any]]:
    by_body: dict[str, list[Any]] = {}
    for body, at, _accepted in calls:
        by_body.setdefault(body, []).append(at)
    return by_body
