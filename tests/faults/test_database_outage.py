"""The database goes away for a while: webhooks ask to be retried, and nothing is lost.

While the database cannot be written (PostgreSQL connection refused, SQLite locked by
another writer) every inbound route answers 503 with Retry-After, so the provider
delivers again; the request's transaction rolled back, so it left nothing half done.
When the database is back, the redelivered messages are handled once, their replies
are sent once by the background sender (which carried on through the outage), and a
further redelivery changes nothing.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select
from twilio.request_validator import RequestValidator

from bot.channels import Seams, build_channels
from bot.channels.telegram import SECRET_HEADER
from bot.channels.telegram import WEBHOOK_PATH as TELEGRAM_PATH
from bot.channels.twilio_sms import INBOUND_PATH, SIGNATURE_HEADER
from bot.clock import SystemClock
from bot.runtime import Runtime, build_runtime
from bot.web.app import create_app
from cases.models import Message
from cases.telegram_ids import message_key
from tests.auxil.proof import database_for, fingerprint
from tests.channels.asgi import SyncClient, running
from tests.channels.conftest import channel_settings
from tests.channels.fakes import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    PUBLIC_URL,
    WEBHOOK_SECRET,
    FakeBotApi,
    FakeTwilioHttp,
    serve_in_thread,
)
from tests.conftest import TEST_KEY
from tests.faults.conftest import proxied, shorten_sqlite_busy_timeout, sqlite_write_lock

pytestmark = pytest.mark.slow


@dataclass
class Outage:
    client: SyncClient
    runtime: Runtime
    twilio: FakeTwilioHttp
    down: Callable[[], contextlib.AbstractContextManager[None]]

    def sms(self, sid: str, sender: str, body: str) -> Any:
        params = {
            "MessageSid": sid,
            "SmsSid": sid,
            "AccountSid": ACCOUNT_SID,
            "From": sender,
            "To": "+447700900001",
            "Body": body,
            "NumMedia": "0",
        }
        signature = RequestValidator(AUTH_TOKEN).compute_signature(
            PUBLIC_URL + INBOUND_PATH, params
        )
        return self.client.post(
            INBOUND_PATH,
            content=urlencode(params).encode(),
            headers={
                "content-type": "application/x-www-form-urlencoded",
                SIGNATURE_HEADER: signature,
            },
        )

    def telegram(self, update: dict[str, Any]) -> Any:
        return self.client.post(
            TELEGRAM_PATH,
            content=json.dumps(update).encode(),
            headers={"content-type": "application/json", SECRET_HEADER: WEBHOOK_SECRET},
        )

    def inbound(self, external_id: str) -> int:
        with self.runtime.sessions() as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(Message)
                    .where(Message.direction == "in", Message.external_id == external_id)
                )
                or 0
            )

    def unsent(self) -> int:
        with self.runtime.sessions() as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(Message)
                    .where(Message.direction == "out", Message.delivery.in_(("pending", "sending")))
                )
                or 0
            )


@pytest.fixture(scope="module")
def bot_api_url() -> Iterator[str]:
    with serve_in_thread(FakeBotApi().app()) as url:
        yield url


@contextlib.contextmanager
def outage_target(backend: str, directory: Path, bot_api_url: str) -> Iterator[Outage]:
    with database_for(backend, directory) as direct, contextlib.ExitStack() as stack:
        url, proxy = direct, None
        if backend == "postgres":
            url, proxy = stack.enter_context(proxied(direct))
        settings = channel_settings(
            directory,
            database_url=url,
            keys=TEST_KEY.decode(),
            telegram_api_base=bot_api_url + "/bot",
        )
        runtime = build_runtime(settings, clock=SystemClock())
        stack.callback(runtime.database.dispose)

        @contextlib.contextmanager
        def down() -> Iterator[None]:
            if proxy is not None:
                proxy.down()
                try:
                    yield
                finally:
                    proxy.up()
            else:
                with sqlite_write_lock(directory / "proof.db"):
                    yield

        if backend == "sqlite":
            shorten_sqlite_busy_timeout(runtime)
        twilio = FakeTwilioHttp()
        channels = build_channels(settings, Seams(twilio_http=twilio))
        app = create_app(runtime, channels, background=True)
        with running(app, PUBLIC_URL) as client:
            yield Outage(client, runtime, twilio, down)


def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def update(chat: int, message_id: int, text: str) -> dict[str, Any]:
    return {
        "update_id": message_id,
        "message": {
            "message_id": message_id,
            "chat": {"id": chat, "type": "private"},
            "date": int(time.time()),
            "text": text,
        },
    }


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_an_outage_gets_503_and_redelivery_afterwards_loses_nothing(
    backend: str, tmp_path: Path, bot_api_url: str
) -> None:
    with outage_target(backend, tmp_path, bot_api_url) as target:
        number = "+447700900321"
        assert (
            target.sms("SM" + "a" * 32, number, "Hello, I want to report something").status_code
            == 200
        )
        assert wait_for(lambda: target.unsent() == 0, 20)
        sent_before = len(target.twilio.requests)

        late_sms = ("SM" + "b" * 32, number, "yes")
        late_update = update(8_200_001, 1, "Hello, I need help")
        with target.down():
            refused = [
                target.sms(*late_sms),
                target.telegram(late_update),
                target.client.post("/chat/api/send", json={"text": "hello"}),
            ]
            time.sleep(1.5)  # the background sender meets the outage too, and carries on
        for response in refused:
            assert response.status_code == 503, response.text[:200]
            assert int(response.headers["retry-after"]) > 0
        assert target.inbound(late_sms[0]) == 0  # nothing half-kept

        # The providers deliver again once we answer 503.
        assert target.sms(*late_sms).status_code == 200
        assert target.telegram(late_update).status_code == 200
        assert target.inbound(late_sms[0]) == 1
        assert target.inbound(message_key(8_200_001, 1)) == 1
        assert wait_for(lambda: target.unsent() == 0, 20)
        settled = fingerprint(target.runtime.sessions)
        sms_sent = target.twilio.requests[sent_before:]
        assert sms_sent, "the reply to the redelivered SMS was never sent"
        bodies = [str(request["data"]["Body"]) for request in sms_sent]
        assert len(bodies) == len(set(bodies)), "a reply was sent twice"

        # A redelivery after that changes nothing and sends nothing.
        assert target.sms(*late_sms).status_code == 200
        assert target.telegram(late_update).status_code == 200
        time.sleep(1.5)
        assert fingerprint(target.runtime.sessions) == settled
        assert len(target.twilio.requests) == sent_before + len(sms_sent)
