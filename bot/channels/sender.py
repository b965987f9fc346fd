"""The sender loop: claims due outbox rows and sends them through their channels.

One loop per process (an async task in ``tellsafe serve``, or ``tellsafe worker`` on
its own). Several processes may run it against one database: claims are conditional
updates, so each row goes out once. Messages to one person go in order; a temporary
failure holds back that person's later messages until it is retried.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Final

from bot.channels import dbwriter
from bot.channels.base import Channel, RateLimit
from bot.outbox import LEASE, Delivery, Outbox, Outcome, backoff

logger = logging.getLogger(__name__)

BATCH: Final = 100
#: How often the loop looks for due rows when nobody woke it (retries, follow-ups,
#: rows another process queued).
POLL_SECONDS: Final = 1.0
#: Per-address send times kept for rate limiting; older ones are forgotten.
_MAX_TRACKED: Final = 10_000


class RateLimiter:
    """Spaces sends out: so many per second in all, and so many per address."""

    def __init__(self, limit: RateLimit) -> None:
        self.limit = limit
        self._next_overall = 0.0
        self._next_by_address: OrderedDict[str, float] = OrderedDict()

    def reserve(self, address: str, now: float) -> float:
        """Reserve the next slot for ``address``; returns how long to wait for it."""
        start = now
        per_address = self.limit.per_address
        if per_address:
            start = max(start, self._next_by_address.get(address, 0.0))
        overall = self.limit.overall
        if overall:
            start = max(start, self._next_overall)
            self._next_overall = start + 1.0 / overall
        if per_address:
            self._next_by_address[address] = start + 1.0 / per_address
            self._next_by_address.move_to_end(address)
            while len(self._next_by_address) > _MAX_TRACKED:
                self._next_by_address.popitem(last=False)
        return start - now

    async def wait(self, address: str) -> None:
        """Wait for the next slot for ``address``."""
        delay = self.reserve(address, time.monotonic())
        if delay > 0:
            await asyncio.sleep(delay)


def claim_size(channels: Iterable[Channel]) -> int:
    """How many rows to claim at once: no more than the slowest channel sends in half a lease.

    A claimed row waiting on a rate limit past its lease would be claimed again by another
    sender and sent twice (at one SMS a second, a batch of 100 outlives a 60 s lease).
    """
    rates = [c.rate_limit.overall for c in channels if c.rate_limit.overall]
    if not rates:
        return BATCH
    return max(1, min(BATCH, int(min(rates) * LEASE.total_seconds() / 2)))


class _Recorder:
    """Writes send outcomes to the outbox, many per transaction when sends finish together.

    The first outcome to arrive is written at once; outcomes arriving while a write is
    on the database thread wait and go in the next one (group commit). An idle sender
    records each send as soon as it finishes, so the window between the provider
    accepting a message and the row saying so stays as short as it was.
    """

    def __init__(self, outbox: Outbox) -> None:
        self.outbox = outbox
        self._waiting: list[tuple[Delivery, Outcome, asyncio.Future[None]]] = []
        self._writing = False

    async def record(self, delivery: Delivery, outcome: Outcome) -> None:
        """Record one outcome; returns once it is committed."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((delivery, outcome, done))
        if not self._writing:
            self._writing = True
            try:
                while self._waiting:
                    batch, self._waiting = self._waiting, []
                    await self._write(batch)
            finally:
                self._writing = False
        await done

    async def _write(self, batch: list[tuple[Delivery, Outcome, asyncio.Future[None]]]) -> None:
        try:
            await dbwriter.run(self.outbox.record_many, [(d, o) for d, o, _ in batch])
        except Exception as error:  # every waiter learns of it, as if it had written alone
            for *_, done in batch:
                if not done.done():
                    done.set_exception(error)
            return
        for *_, done in batch:
            if not done.done():
                done.set_result(None)


class Sender:
    """Sends the outbox through the channels this process has.

    Args:
        outbox: The outbox.
        channels: The channels, by name.
        poll_seconds: How often to look for due rows when nobody woke the loop.
        woken: Whether whoever queues replies wakes this loop (a serve process's own
            intake does). A loop nobody wakes (``tellsafe worker``) looks again at once
            after every batch instead, since more may have come in while it sent.
    """

    def __init__(
        self,
        outbox: Outbox,
        channels: Mapping[str, Channel],
        poll_seconds: float = POLL_SECONDS,
        *,
        woken: bool = True,
    ) -> None:
        self.outbox = outbox
        self.poll_seconds = poll_seconds
        self.woken = woken
        self.channels = dict(channels)
        self.limiters = {name: RateLimiter(c.rate_limit) for name, c in self.channels.items()}
        self.batch = claim_size(self.channels.values())
        self._recorder = _Recorder(outbox)
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Look at the outbox now (new replies were queued)."""
        self._wake.set()

    async def run_once(self) -> int:
        """Claim and send one batch; returns how many rows were claimed."""
        batch = await dbwriter.run(self.outbox.claim, self.batch, list(self.channels))
        by_address: dict[tuple[str, str], list[Delivery]] = {}
        for delivery in batch:
            by_address.setdefault((delivery.channel, delivery.address), []).append(delivery)
        await asyncio.gather(*(self._send_in_order(queue) for queue in by_address.values()))
        return len(batch)

    async def _send_in_order(self, queue: list[Delivery]) -> None:
        for index, delivery in enumerate(queue):
            outcome = await self._send_one(delivery)
            await self._recorder.record(delivery, outcome)
            if not outcome.ok and not outcome.permanent:
                later = [item.message_id for item in queue[index + 1 :]]
                retry_at = self.outbox.clock.now() + backoff(
                    delivery.attempts + 1, outcome.retry_after
                )
                await dbwriter.run(self.outbox.release, later, retry_at)
                return

    async def _send_one(self, delivery: Delivery) -> Outcome:
        channel = self.channels[delivery.channel]
        await self.limiters[delivery.channel].wait(delivery.address)
        try:
            outcome = await channel.send(delivery)
        except Exception as error:  # a bug in an adapter must not stop the loop
            logger.exception("channel %s failed on message %s", channel.name, delivery.message_id)
            return Outcome(error=type(error).__name__)
        if outcome.ok:
            logger.info("message %s sent on %s", delivery.message_id, channel.name)
        return outcome

    async def run(self, stop: asyncio.Event) -> None:
        """Send until ``stop`` is set."""
        while not stop.is_set():
            # Cleared before looking, so a wake-up during the batch is not lost.
            self._wake.clear()
            try:
                claimed = await self.run_once()
            except Exception:
                logger.exception("sender loop error; carrying on")
                claimed = 0
            if claimed >= self.batch or (claimed and not self.woken):
                continue  # more may be due already
            # A woken loop was woken by anything queued while the batch went out (the
            # event was cleared before the claim), so the wait below ends at once; a
            # claim unasked would cost a read of the outbox per batch for nothing.
            waiters = {asyncio.ensure_future(self._wake.wait()), asyncio.ensure_future(stop.wait())}
            _done, pending = await asyncio.wait(
                waiters, timeout=self.poll_seconds, return_when=asyncio.FIRST_COMPLETED
            )
            for task in pending:
                task.cancel()
