"""The one web application behind ``tellsafe serve``.

It mounts the routes of every configured channel and the web chat page, and runs the
outbox sender and the follow-up dispatcher as background tasks for its lifetime.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Mapping
from typing import Final

from fastapi import FastAPI, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.channels import build_channels, dbwriter
from bot.channels.base import Channel
from bot.channels.intake import Intake
from bot.channels.sender import Sender
from bot.outbox import Outbox
from bot.runtime import Runtime
from bot.web.chat import chat_router

logger = logging.getLogger(__name__)

#: How often due follow-ups are looked for.
FOLLOWUP_SECONDS: Final = 30.0


class ServerTiming:
    """Adds ``Server-Timing: app;dur=<ms>`` to every response (the bench reads it)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Time the request up to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed = (time.perf_counter() - started) * 1000
                headers = list(message.get("headers", []))
                headers.append((b"server-timing", f"app;dur={elapsed:.2f}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, timed_send)


def create_app(
    runtime: Runtime,
    channels: Mapping[str, Channel] | None = None,
    *,
    background: bool = True,
) -> FastAPI:
    """Build the web application.

    Args:
        runtime: The assembled TellSafe runtime.
        channels: The channels; by default those the runtime's settings configure.
        background: Whether to run the sender and follow-up loops while serving
            (tests that drive the outbox themselves turn this off).

    Returns:
        The ASGI application.
    """
    channels = dict(channels if channels is not None else build_channels(runtime.settings))
    outbox = Outbox(runtime.sessions, runtime.clock)
    sender = Sender(outbox, channels)
    intake = Intake(runtime.service, sender.wake)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        for channel in channels.values():
            try:
                await channel.start()
            except Exception:
                # A provider that is down at startup must not take the web chat down.
                logger.exception("channel %s did not start", channel.name)
        stop = asyncio.Event()
        tasks = []
        if background:
            tasks = [
                asyncio.create_task(sender.run(stop)),
                asyncio.create_task(run_followups(runtime, sender, stop)),
            ]
        logger.info("serving channels: %s", ", ".join(sorted(channels)))
        try:
            yield
        finally:
            stop.set()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            for channel in channels.values():
                with contextlib.suppress(Exception):
                    await channel.stop()

    app = FastAPI(lifespan=lifespan, docs_url=None, redoc_url=None, openapi_url=None)
    app.state.runtime = runtime
    app.state.channels = channels
    app.state.outbox = outbox
    app.state.sender = sender
    app.state.intake = intake
    for channel in channels.values():
        router = channel.router(intake)
        if router is not None:
            app.include_router(router)
    app.include_router(chat_router(runtime, intake))

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> Response:
        return Response("ok", media_type="text/plain")

    app.add_middleware(ServerTiming)
    return app


async def run_followups(runtime: Runtime, sender: Sender, stop: asyncio.Event) -> None:
    """Queue due check-ins every little while until ``stop``, waking the sender."""
    while not stop.is_set():
        try:
            if await dbwriter.run(runtime.followups.run_due):
                sender.wake()
        except Exception:
            logger.exception("follow-up loop error; carrying on")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), FOLLOWUP_SECONDS)
