"""Running TellSafe: the web server, Telegram polling, and a stand-alone sender."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from typing import Final

import uvicorn
from fastapi import FastAPI

from bot.channels import build_channels
from bot.channels.intake import Intake
from bot.channels.sender import Sender
from bot.config import Settings
from bot.outbox import Outbox
from bot.runtime import Runtime, build_runtime
from bot.web.app import create_app, run_followups

logger = logging.getLogger(__name__)


_SERVER_OPTIONS: dict[str, object] = {
    "proxy_headers": True,
    "forwarded_allow_ips": "127.0.0.1",
    "access_log": False,  # access logs carry query strings; ids are logged instead
    "log_level": "warning",
}


#: The GIL switch interval while serving. The engine runs on a database thread and is
#: CPU-bound; at Python's default 5 ms the event loop waits that long for the GIL after
#: every bit of I/O, and under load webhook latency balloons (a convoy).
SWITCH_INTERVAL: Final = 0.0005


def _quiet_clients() -> None:
    # httpx logs every request URL at INFO, and Bot API URLs carry the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def app_from_env() -> FastAPI:
    """The application built from the environment (for each of several workers)."""
    sys.setswitchinterval(SWITCH_INTERVAL)
    _quiet_clients()
    return create_app(build_runtime(Settings.from_env()))


def serve(settings: Settings) -> None:
    """Serve every configured channel and the web chat until interrupted.

    With several workers each process builds its own runtime from the environment and
    runs its own sender loop; outbox claims are conditional updates, so a message is
    still sent by one of them only.
    """
    sys.setswitchinterval(SWITCH_INTERVAL)
    _quiet_clients()
    if settings.workers > 1:
        migrate_only = build_runtime(settings)  # migrate once, before workers race to
        migrate_only.database.dispose()
        uvicorn.run(
            "bot.web.server:app_from_env",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            **_SERVER_OPTIONS,  # type: ignore[arg-type]
        )
        return
    runtime = build_runtime(settings)
    uvicorn.run(
        create_app(runtime),
        host=settings.host,
        port=settings.port,
        **_SERVER_OPTIONS,  # type: ignore[arg-type]
    )
    runtime.database.dispose()


async def _until_signal(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)


async def _run_workers(runtime: Runtime, poll_telegram: bool) -> None:
    _quiet_clients()
    channels = build_channels(runtime.settings)
    sender = Sender(Outbox(runtime.sessions, runtime.clock), channels)
    intake = Intake(runtime.service, sender.wake)
    stop = asyncio.Event()
    await _until_signal(stop)
    for channel in channels.values():
        await channel.start()
    tasks = [sender.run(stop), run_followups(runtime, sender, stop)]
    if poll_telegram:
        from bot.channels.telegram import TelegramChannel  # noqa: PLC0415 - optional

        telegram = channels.get("telegram")
        if not isinstance(telegram, TelegramChannel):
            raise SystemExit("telegram-poll needs TELEGRAM_BOT_TOKEN")
        tasks.append(telegram.poll(intake, stop))
    try:
        await asyncio.gather(*tasks)
    finally:
        for channel in channels.values():
            with contextlib.suppress(Exception):
                await channel.stop()


def telegram_poll(settings: Settings) -> None:
    """Take Telegram updates by long polling (no public URL needed), and send replies."""
    runtime = build_runtime(settings)
    asyncio.run(_run_workers(runtime, poll_telegram=True))
    runtime.database.dispose()


def worker(settings: Settings) -> None:
    """Send the outbox and due follow-ups, without serving HTTP."""
    runtime = build_runtime(settings)
    asyncio.run(_run_workers(runtime, poll_telegram=False))
    runtime.database.dispose()
