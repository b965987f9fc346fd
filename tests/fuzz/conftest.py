"""The web application under fuzzing: every channel configured, on SQLite and PostgreSQL.

One app per backend per module (building a runtime migrates a database and loads the
understander), with the channels' outbound seams faked: Twilio's HTTP client records
calls, and a local fake Bot API answers python-telegram-bot. The sender and follow-up
loops are off, so the database changes only through the requests themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi import FastAPI

from bot.channels import Seams, build_channels
from bot.clock import SystemClock
from bot.runtime import Runtime, build_runtime
from bot.web.app import create_app
from tests.auxil.proof import database_for, fingerprint
from tests.channels.asgi import SyncClient, running
from tests.channels.conftest import channel_settings
from tests.channels.fakes import PUBLIC_URL, FakeBotApi, FakeTwilioHttp, serve_in_thread
from tests.conftest import TEST_KEY


@dataclass
class Target:
    """The app under test and what it runs on."""

    app: FastAPI
    client: SyncClient
    runtime: Runtime
    twilio: FakeTwilioHttp
    backend: str

    def fingerprint(self) -> tuple[object, ...]:
        return fingerprint(self.runtime.sessions)


@pytest.fixture(scope="module")
def fake_bot_api() -> Iterator[str]:
    with serve_in_thread(FakeBotApi().app()) as url:
        yield url


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def target(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    fake_bot_api: str,
) -> Iterator[Target]:
    directory: Path = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    with database_for(request.param, directory) as url:
        settings = channel_settings(
            directory,
            database_url=url,
            keys=TEST_KEY.decode(),
            telegram_api_base=fake_bot_api + "/bot",
        )
        runtime = build_runtime(settings, clock=SystemClock())
        twilio = FakeTwilioHttp()
        channels = build_channels(settings, Seams(twilio_http=twilio))
        app = create_app(runtime, channels, background=False)
        try:
            with running(app, PUBLIC_URL) as client:
                yield Target(app, client, runtime, twilio, request.param)
        finally:
            runtime.database.dispose()
