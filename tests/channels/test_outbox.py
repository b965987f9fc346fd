"""The outbox: safe claims across senders, leases, backoff, rate limits."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.channels.base import RateLimit
from bot.channels.sender import RateLimiter
from bot.clock import ManualClock
from bot.messages import InboundMessage
from bot.outbox import (
    FAILED,
    LEASE,
    MAX_ATTEMPTS,
    PENDING,
    SENDING,
    SENT,
    Outbox,
    Outcome,
    backoff,
)
from bot.runtime import Runtime, build_runtime
from cases.models import Message
from tests.channels.conftest import channel_settings

START_TIME = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


@pytest.fixture
def manual(tmp_path: Path) -> Iterator[Runtime]:
    runtime = build_runtime(channel_settings(tmp_path), clock=ManualClock(START_TIME))
    yield runtime
    runtime.database.dispose()


def queue_some(runtime: Runtime, people: int, first: int = 0) -> int:
    """Greetings from ``people`` people numbered from ``first``; returns the pending replies."""
    for number in range(first, first + people):
        runtime.service.handle(
            InboundMessage(
                "sms",
                f"+4477009{number:05d}",
                "Hello",
                runtime.clock.now(),
                external_id=f"SMq{number}",
            )
        )
    return rows(runtime, PENDING)


def rows(runtime: Runtime, delivery: str) -> int:
    """How many outbox rows are in ``delivery`` state."""
    with runtime.sessions() as session:
        return len(session.scalars(select(Message.id).where(Message.delivery == delivery)).all())


def test_concurrent_senders_claim_each_row_once(manual: Runtime) -> None:
    total = queue_some(manual, 8)
    assert total >= 8
    claimed: list[int] = []
    lock = threading.Lock()

    def sender() -> None:
        outbox = Outbox(manual.sessions, manual.clock)
        while batch := outbox.claim(limit=3):
            with lock:
                claimed.extend(d.message_id for d in batch)

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(claimed) == sorted(set(claimed))
    assert len(claimed) == total


def test_a_dead_senders_claim_expires_and_the_row_is_sent_again(manual: Runtime) -> None:
    queue_some(manual, 1)
    outbox = Outbox(manual.sessions, manual.clock)
    first = outbox.claim()
    assert first
    assert outbox.claim() == []  # held by the (now dead) first sender
    clock = manual.clock
    assert isinstance(clock, ManualClock)
    clock.set(clock.now() + LEASE + timedelta(seconds=1))
    again = outbox.claim()
    assert [d.message_id for d in again] == [d.message_id for d in first]


def test_temporary_errors_back_off_then_give_up(manual: Runtime) -> None:
    queue_some(manual, 1)
    outbox = Outbox(manual.sessions, manual.clock)
    clock = manual.clock
    assert isinstance(clock, ManualClock)
    delivery = outbox.claim(limit=1)[0]
    waits = []
    for _attempt in range(MAX_ATTEMPTS):
        outbox.record(delivery, Outcome(error="http:ConnectError"))
        with manual.sessions() as session:
            row = session.get(Message, delivery.message_id)
            assert row is not None
            if row.delivery == FAILED:
                break
            assert row.delivery == PENDING
            assert row.next_attempt_at is not None
            waits.append(row.next_attempt_at - clock.now())
            clock.set(row.next_attempt_at)
        delivery = next(d for d in outbox.claim() if d.message_id == delivery.message_id)
    with manual.sessions() as session:
        row = session.get(Message, delivery.message_id)
        assert row is not None
        assert row.delivery == FAILED
        assert row.attempts == MAX_ATTEMPTS
    assert waits[-1] > waits[0]


def test_permanent_error_fails_at_once(manual: Runtime) -> None:
    queue_some(manual, 1)
    outbox = Outbox(manual.sessions, manual.clock)
    delivery = outbox.claim(limit=1)[0]
    outbox.record(delivery, Outcome(error="twilio:21211", permanent=True))
    with manual.sessions() as session:
        row = session.get(Message, delivery.message_id)
        assert row is not None
        assert (row.delivery, row.attempts, row.error) == (FAILED, 1, "twilio:21211")


def test_sent_rows_keep_the_provider_id(manual: Runtime) -> None:
    queue_some(manual, 1)
    outbox = Outbox(manual.sessions, manual.clock)
    delivery = outbox.claim(limit=1)[0]
    with manual.sessions() as session:
        assert session.get(Message, delivery.message_id).delivery == SENDING  # type: ignore[union-attr]
    outbox.record(delivery, Outcome(provider_id="SMabc"))
    with manual.sessions() as session:
        row = session.get(Message, delivery.message_id)
        assert row is not None
        assert (row.delivery, row.external_id) == (SENT, "SMabc")
        assert row.sent_at is not None


def test_backoff_respects_the_providers_wait() -> None:
    assert backoff(1, retry_after=30) >= timedelta(seconds=30)
    assert backoff(30) <= timedelta(hours=2)


def test_rate_limiter_spaces_sends_overall_and_per_address() -> None:
    telegram = RateLimiter(RateLimit(overall=30, per_address=1))
    waits = [telegram.reserve(f"chat{i}", 0.0) for i in range(60)]
    assert waits[29] < 1.0 <= waits[30] + 1 / 30 + 1e-9
    assert abs(waits[59] - 59 / 30) < 1e-9
    same = RateLimiter(RateLimit(overall=30, per_address=1))
    assert [round(same.reserve("chat", 0.0), 6) for _ in range(3)] == [0.0, 1.0, 2.0]
    sms = RateLimiter(RateLimit(overall=10))
    assert round(sms.reserve("a", 0.0), 6) == 0.0
    assert round(sms.reserve("b", 0.0), 6) == 0.1


def test_a_sender_never_claims_more_than_it_can_send_within_the_lease() -> None:
    from bot.channels.base import RateLimit
    from bot.channels.sender import BATCH, claim_size
    from bot.outbox import LEASE

    class Slow:
        rate_limit = RateLimit(overall=1.0)

    class Fast:
        rate_limit = RateLimit(overall=30.0, per_address=1.0)

    class Unlimited:
        rate_limit = RateLimit()

    slow = claim_size([Slow(), Fast()])  # type: ignore[list-item]
    assert slow / Slow.rate_limit.overall < LEASE.total_seconds()
    assert claim_size([Fast()]) == BATCH  # type: ignore[list-item]
    assert claim_size([Unlimited()]) == BATCH  # type: ignore[list-item]


def test_the_sender_claims_again_at_once_only_after_a_full_batch_or_a_wake(
    manual: Runtime,
) -> None:
    import asyncio
    from collections.abc import Callable

    from bot.channels import Seams, build_channels
    from bot.channels.sender import Sender
    from bot.outbox import Delivery
    from tests.channels.fakes import FakeTwilioHttp

    channel = build_channels(manual.settings, Seams(twilio_http=FakeTwilioHttp()))["sms"]

    sender = Sender(manual.service.outbox, {"sms": channel}, poll_seconds=30.0)
    claims: list[int] = []
    claim = sender.outbox.claim

    def counted(limit: int = 100, channels: object = None) -> list[Delivery]:
        batch = claim(limit, channels)  # type: ignore[arg-type]
        claims.append(len(batch))
        return batch

    sender.outbox.claim = counted  # type: ignore[method-assign]

    async def until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
        for _ in range(int(seconds / 0.01)):
            if condition():
                return
            await asyncio.sleep(0.01)
        raise AssertionError("timed out")

    async def scenario() -> None:
        stop = asyncio.Event()
        loop = asyncio.create_task(sender.run(stop))
        await until(lambda: claims == [0])  # the loop's first look finds nothing
        first = await asyncio.to_thread(queue_some, manual, 1)
        sender.wake()
        await until(lambda: rows(manual, SENT) == first)
        await asyncio.sleep(0.3)
        # Nothing woke the loop after its batch: no second, empty claim before the poll.
        assert claims == [0, first]
        # A wake is heard; and a full batch is followed by another claim at once.
        sender.batch = 1
        before = len(claims)
        more = await asyncio.to_thread(queue_some, manual, 2, 1)  # people 1 and 2
        assert more >= 2
        sender.wake()
        await until(lambda: rows(manual, SENT) == first + more)
        assert claims[before:][:more] == [1] * more  # one wake, one row a claim
        stop.set()
        await loop
        # A loop nobody wakes (a worker) looks again at once after any batch.
        sender.woken, sender.batch = False, 100
        later = await asyncio.to_thread(queue_some, manual, 1, 3)
        before = len(claims)
        loop = asyncio.create_task(sender.run(stop := asyncio.Event()))
        await until(lambda: len(claims) == before + 2)
        assert claims[before:] == [later, 0]
        stop.set()
        await loop

    asyncio.run(scenario())
