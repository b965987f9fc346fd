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

from fastapi import FastAPI, Request, Response
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.channels import build_channels, dbwriter
from bot.channels.base import Channel
from bot.channels.intake import Intake
from bot.channels.sender import Sender
from bot.outbox import Outbox
from bot.runtime import Runtime
from bot.web.chat import chat_router
from officer import api
from officer.centres import centres_router
from officer.console import mount_console
from officer.profile import profile_router

logger = logging.getLogger(__name__)


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
    dbwriter.use(runtime.database)
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
    mount_console(app)
    app.include_router(profile_router())
    app.include_router(centres_router())
    app.mount(api.PREFIX, api.create_api(runtime, channels))

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> Response:
        return Response("ok", media_type="text/plain")

    for unavailable in (OperationalError, InterfaceError, PoolTimeout):
        app.add_exception_handler(unavailable, database_unavailable)
    app.add_middleware(ServerTiming)
    return app


#: How long a provider is asked to wait before delivering again when the database is down.
RETRY_AFTER_SECONDS = 5


async def database_unavailable(_request: Request, error: Exception) -> Response:
    """503 with Retry-After when the database cannot be reached (down, locked, pool full).

    The request's transaction rolled back, so nothing of it was kept: a 503 makes the
    provider deliver it again (Telegram retries any failure; Twilio retries 5xx with a
    ``#rp=5xx`` connection override), and redelivery is idempotent. A 500 would say "bug".
    """
    logger.error("database unavailable (%s): answered 503", type(error).__name__)
    return Response(status_code=503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


async def run_followups(runtime: Runtime, sender: Sender, stop: asyncio.Event) -> None:
    """Due check-ins, pattern alerts and officer notices until ``stop`` (in-process worker).

    Every ``TELLSAFE_FOLLOWUP_POLL_SECONDS``; see :mod:`followup.worker`.
    """
    from followup.worker import FollowUpLoop  # noqa: PLC0415 - keeps app imports light

    await FollowUpLoop(runtime).run(sender, stop)
