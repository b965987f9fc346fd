"""Running TellSafe: the web server and Telegram polling."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Mapping
from typing import Final

import uvicorn
from fastapi import FastAPI

from bot.channels import quiet_http_logs
from bot.channels.base import Channel
from bot.channels.intake import Intake
from bot.config import Settings
from bot.runtime import build_runtime, freeze_startup_objects
from bot.web.app import create_app

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


def app_from_env() -> FastAPI:
    """The application built from the environment (for each of several workers)."""
    sys.setswitchinterval(SWITCH_INTERVAL)
    quiet_http_logs()
    settings = Settings.from_env()
    app = create_app(build_runtime(settings), background=not settings.web_only)
    freeze_startup_objects()
    return app


def serve(settings: Settings) -> None:
    """Serve every configured channel and the web chat until interrupted.

    With several workers each process builds its own runtime from the environment and
    runs its own sender loop; outbox claims are conditional updates, so a message is
    still sent by one of them only.
    """
    sys.setswitchinterval(SWITCH_INTERVAL)
    quiet_http_logs()
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
    app = create_app(runtime, background=not settings.web_only)
    freeze_startup_objects()
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        **_SERVER_OPTIONS,  # type: ignore[arg-type]
    )
    runtime.database.dispose()


async def _poll(channels: Mapping[str, Channel], intake: Intake, stop: asyncio.Event) -> None:
    from bot.channels.telegram import TelegramChannel  # noqa: PLC0415 - optional

    telegram = channels["telegram"]
    assert isinstance(telegram, TelegramChannel)  # the token was checked before starting
    await telegram.poll(intake, stop)


def telegram_poll(settings: Settings) -> None:
    """Take Telegram updates by long polling (no public URL needed), and send replies."""
    from followup.worker import work  # noqa: PLC0415 - keeps `serve` start-up light

    if not settings.telegram_bot_token:
        raise SystemExit("telegram-poll needs TELEGRAM_BOT_TOKEN")
    runtime = build_runtime(settings)
    asyncio.run(work(runtime, extra=_poll))
    runtime.database.dispose()
