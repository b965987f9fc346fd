"""The worker: due check-ins, pattern alerts and officer notices, beside the outbox sender.

``tellsafe worker`` runs :func:`run_worker` (its own process); ``tellsafe serve`` runs
the same :class:`FollowUpLoop` as a background task of the web app. Several may run
against one database: every claim is a conditional update or ``SKIP LOCKED``.

The stand-alone worker never understands messages, so it does not load the language
models (about 90 MB): its engine gets an understander that loads only if asked.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable, Coroutine, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.channels import build_channels, dbwriter, quiet_http_logs
from bot.channels.base import Channel
from bot.channels.intake import Intake
from bot.channels.sender import Sender
from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.engine import Engine
from bot.outbox import Outbox
from bot.runtime import Runtime, freeze_startup_objects
from bot.service import ConversationService
from bot.submission import UNFINISHED_BATCH, submit_unfinished
from cases.db import make_engine, session_factory, upgrade
from cases.erasure import complete_erasures
from cases.retention import run_retention
from cases.sealed import Keyring, install_keyring
from followup import patterns
from followup.dispatch import FollowUpDispatcher
from followup.escalation import HandoffNotices
from followup.notifiers import build_notifiers, console_base
from nlu import load_understander
from nlu.parse import Parse, Understander

#: How often a worker process looks for replies other processes queued.
WORKER_POLL_SECONDS = 0.2
#: New traits compared per pass of the pattern scan.
PATTERN_PASS = 50
#: How often the retention policy is applied by a running worker.
RETENTION_EVERY = timedelta(days=1)
#: How often a running worker looks for reports left unfinished after their assessment.
UNFINISHED_EVERY = timedelta(minutes=10)

logger = logging.getLogger(__name__)


class LazyUnderstander:
    """Loads the real understander on first use (a worker never needs it).

    Args:
        languages: Language codes, as for :func:`nlu.load_understander`.
    """

    def __init__(self, languages: Sequence[str] | None) -> None:
        self._languages = languages
        self._real: Understander | None = None

    def _get(self) -> Understander:
        if self._real is None:
            self._real = load_understander(self._languages)
        return self._real

    @property
    def languages(self) -> tuple[str, ...]:
        """The language codes the real understander reads."""
        return self._get().languages

    def parse(self, text: str, *, language: str | None, now: datetime) -> Parse:
        """Parse with the real understander."""
        return self._get().parse(text, language=language, now=now)

    def resolve_date(self, text: str, *, language: str, now: datetime) -> datetime | None:
        """Resolve a date with the real understander."""
        return self._get().resolve_date(text, language=language, now=now)


def build_worker_runtime(settings: Settings, clock: Clock | None = None) -> Runtime:
    """A runtime for sending only: database, keys, outbox, check-ins; no language models.

    Args:
        settings: The configuration.
        clock: The clock; the system clock by default.

    Returns:
        The runtime.
    """
    clock = clock or SystemClock()
    install_keyring(Keyring.from_setting(settings.keys, settings.data_dir))
    database = make_engine(settings.database_url)
    upgrade(database)
    sessions = session_factory(database)
    engine = Engine(LazyUnderstander(settings.languages))
    service = ConversationService(sessions, engine, clock, settings.timezone)
    followups = FollowUpDispatcher(sessions, service, clock, settings.followup.batch)
    return Runtime(settings, database, sessions, service, followups, clock)


class FollowUpLoop:
    """One pass after another: check-ins due, pattern scan, handoff notices.

    Args:
        runtime: The runtime (settings, sessions, dispatcher, clock).
    """

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        config = runtime.settings.followup
        self.notices = HandoffNotices(
            runtime.sessions,
            runtime.clock,
            build_notifiers(runtime.settings),
            console_base(runtime.settings),
            timedelta(minutes=config.urgent_escalate_minutes),
        )
        self._retention_due: datetime | None = None
        self._unfinished_due: datetime | None = None

    def scan_patterns(self, limit: int | None = None) -> int:
        """Compare newly submitted reports with other people's; returns alerts touched.

        Args:
            limit: Look at no more than this many new traits in this pass.
        """
        config = self.runtime.settings.followup
        with self.runtime.sessions.begin() as session:
            return len(
                patterns.scan(
                    session,
                    self.runtime.clock.now(),
                    config.pattern_window_days,
                    config.pattern_area_min,
                    limit,
                )
            )

    def patterns_waiting(self) -> bool:
        """Whether reports wait to be compared."""
        with self.runtime.sessions() as session:
            return patterns.unscanned(session)

    def housekeeping(self) -> None:
        """Finish erasures, submit reports left unfinished, apply retention once a day.

        Unfinished reports are looked for every :data:`UNFINISHED_EVERY`.
        """
        now = self.runtime.clock.now()
        settings = self.runtime.settings
        with self.runtime.sessions.begin() as session:
            complete_erasures(session, now)
        if self._unfinished_due is None or now >= self._unfinished_due:
            silent_for = timedelta(hours=settings.followup.unfinished_after_hours)
            while True:
                with self.runtime.sessions.begin() as session:
                    if submit_unfinished(session, now, silent_for) < UNFINISHED_BATCH:
                        break
            self._unfinished_due = now + UNFINISHED_EVERY
        if self._retention_due is None or now >= self._retention_due:
            run_retention(
                self.runtime.sessions,
                settings.retention(),
                now,
                seen_keep=timedelta(days=settings.seen_deliveries_days),
            )
            self._retention_due = now + RETENTION_EVERY

    async def tick(self) -> int:
        """One pass; returns how many check-in messages were queued."""
        queued = await dbwriter.run(self.runtime.followups.run_due)
        # Short passes, each its own job on the database thread, so a backlog (after
        # downtime, or a busy day) never holds up people's messages for long.
        while await dbwriter.run(self.patterns_waiting):
            await dbwriter.run(self.scan_patterns, PATTERN_PASS)
        await self.notices.run_once()
        await dbwriter.run(self.housekeeping)
        return queued

    async def run(self, sender: Sender, stop: asyncio.Event) -> None:
        """Pass every ``poll_seconds`` until ``stop``, waking the sender after check-ins."""
        interval = self.runtime.settings.followup.poll_seconds
        try:
            while not stop.is_set():
                try:
                    if await self.tick():
                        sender.wake()
                except Exception:
                    logger.exception("follow-up loop error; carrying on")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), interval)
        finally:
            await self.notices.close()


#: One more loop to run beside the sender and the worker loop (Telegram polling).
Extra = Callable[[Mapping[str, Channel], Intake, asyncio.Event], Coroutine[Any, Any, None]]


async def work(runtime: Runtime, extra: Extra | None = None) -> None:
    """Run the sender and the worker loop (and ``extra``) until SIGTERM or Ctrl-C.

    Args:
        runtime: The runtime.
        extra: Another loop, given the channels, an intake and the stop event.
    """
    quiet_http_logs()
    dbwriter.use(runtime.database)
    channels = build_channels(runtime.settings)
    # Replies are mostly queued by other processes (``tellsafe serve``), which cannot wake
    # this loop: look often; a claim that finds nothing is one short index read.
    sender = Sender(
        Outbox(runtime.sessions, runtime.clock), channels, WORKER_POLL_SECONDS, woken=False
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    for channel in channels.values():
        await channel.start()
    tasks = [sender.run(stop), FollowUpLoop(runtime).run(sender, stop)]
    if extra is not None:
        tasks.append(extra(channels, Intake(runtime.service, sender.wake), stop))
    try:
        await asyncio.gather(*tasks)
    finally:
        for channel in channels.values():
            with contextlib.suppress(Exception):
                await channel.stop()


def run_worker(settings: Settings) -> None:
    """Send the outbox, due check-ins and officer notices until SIGTERM or Ctrl-C."""
    runtime = build_worker_runtime(settings)
    freeze_startup_objects()
    logger.info("worker started")
    asyncio.run(work(runtime))
    runtime.database.dispose()
