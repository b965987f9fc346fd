"""Running TellSafe: the web server, Telegram polling, and a stand-alone sender."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

import uvicorn

from bot.channels import build_channels
from bot.channels.intake import Intake
from bot.channels.sender import Sender
from bot.config import Settings
from bot.outbox import Outbox
from bot.runtime import Runtime, build_runtime
from bot.web.app import create_app, run_followups

logger = logging.getLogger(__name__)


def serve(settings: Settings) -> None:
    """Serve every configured channel and the web chat until interrupted."""
    runtime = build_runtime(settings)
    app = create_app(runtime)
    # One worker process: the sender loop runs inside it. More processes (or
    # `tellsafe worker`) may share the database; claims keep each send single.
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
        access_log=False,  # access logs carry query strings; ids are logged instead
        log_level="warning",
    )
    runtime.database.dispose()


async def _until_signal(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)


async def _run_workers(runtime: Runtime, poll_telegram: bool) -> None:
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
