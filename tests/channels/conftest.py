"""Fixtures for channel tests: one runtime per session, fakes at every HTTP seam."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from fastapi import FastAPI
from sqlalchemy import func, select, update

from bot.channels import Seams, build_channels
from bot.clock import SystemClock
from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.web.app import create_app
from cases.models import Message
from cases.sealed import Keyring, install_keyring
from tests.channels.asgi import SyncClient, running
from tests.channels.fakes import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    BOT_TOKEN,
    PUBLIC_URL,
    SERVICE_SID,
    WEBHOOK_SECRET,
    FakeBotApi,
    FakeTwilioHttp,
    serve_in_thread,
)

#: One key for every runtime these tests build: the keyring is process-global, and
#: other test packages install their own.
KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _our_keyring() -> None:
    install_keyring(Keyring.from_setting(KEY, Path("/nonexistent")))


def channel_settings(data_dir: Path, **overrides: Any) -> Settings:
    base = Settings(
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'channels.db'}",
        keys=KEY,
        timezone="Europe/London",
        languages=None,
        public_url=PUBLIC_URL,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_messaging_service_sid=SERVICE_SID,
        sms_rate=1000.0,
        telegram_bot_token=BOT_TOKEN,
        telegram_webhook_secret=WEBHOOK_SECRET,
        quick_exit_url="http://127.0.0.1:9/neutral",
        help_contact="0800 000 000",
    )
    return replace(base, **overrides)


@pytest.fixture(scope="session")
def bot_api() -> Iterator[tuple[FakeBotApi, str]]:
    fake = FakeBotApi()
    with serve_in_thread(fake.app()) as url:
        yield fake, url


@pytest.fixture(scope="session")
def shared_runtime(
    tmp_path_factory: pytest.TempPathFactory, bot_api: tuple[FakeBotApi, str]
) -> Iterator[Runtime]:
    install_keyring(Keyring.from_setting(KEY, Path("/nonexistent")))
    data_dir = tmp_path_factory.mktemp("channels")
    settings = channel_settings(data_dir, telegram_api_base=bot_api[1] + "/bot")
    runtime = build_runtime(settings, clock=SystemClock())
    yield runtime
    runtime.database.dispose()


@dataclass
class Harness:
    """The app under test with its fakes."""

    app: FastAPI
    client: SyncClient
    runtime: Runtime
    twilio: FakeTwilioHttp
    bot_api: FakeBotApi

    def count(self, **where: Any) -> int:
        with self.runtime.sessions() as session:
            query = select(func.count()).select_from(Message)
            for name, value in where.items():
                query = query.where(getattr(Message, name) == value)
            return int(session.scalar(query) or 0)

    def flush(self) -> int:
        """Run the sender once, as the background loop would."""
        sender = self.app.state.sender
        return int(self.client.portal.call(sender.run_once))


@pytest.fixture
def h(shared_runtime: Runtime, bot_api: tuple[FakeBotApi, str]) -> Iterator[Harness]:
    fake_bot, _url = bot_api
    fake_bot.calls.clear()
    fake_bot.failures.clear()
    twilio = FakeTwilioHttp()
    channels = build_channels(shared_runtime.settings, Seams(twilio_http=twilio))
    app = create_app(shared_runtime, channels, background=False)
    with running(app, PUBLIC_URL) as client:
        yield Harness(app, client, shared_runtime, twilio, fake_bot)
    # Anything left in the outbox belongs to this test only.
    with shared_runtime.sessions.begin() as session:
        session.execute(
            update(Message)
            .where(Message.delivery.in_(("pending", "sending")))
            .values(delivery="cancelled")
        )
