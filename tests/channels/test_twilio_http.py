"""The SMS channel's own HTTP seam (aiohttp) against a Twilio REST API fake on loopback.

The other SMS tests swap the seam for the in-memory fake; these keep the real one and
put that fake behind HTTP (``FakeTwilioHttp.app``), so what goes over the wire (form
body, basic auth, the status callback, the resume lookup) and how network failures
come back are checked on real sockets.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.channels.twilio_sms import STATUS_PATH, AiohttpTwilioClient, SmsChannel
from bot.messages import RenderedMessage
from bot.outbox import UNREACHABLE, Delivery, Outcome
from tests.channels.conftest import channel_settings
from tests.channels.fakes import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    PUBLIC_URL,
    SERVICE_SID,
    FakeTwilioHttp,
    free_port,
    serve_in_thread,
)

NUMBER = "+447700900123"


@pytest.fixture
def api() -> Iterator[tuple[FakeTwilioHttp, str]]:
    fake = FakeTwilioHttp()
    with serve_in_thread(fake.app()) as url:
        yield fake, url


def channel(tmp_path: Path, api_base: str) -> SmsChannel:
    return SmsChannel.from_settings(channel_settings(tmp_path, twilio_api_base=api_base))


def delivery(text: str, resumed_since: datetime | None = None) -> Delivery:
    return Delivery(
        message_id=1,
        channel="sms",
        address=NUMBER,
        language="en",
        rendered=RenderedMessage(text=text),
        resumed_since=resumed_since,
    )


def send(sms: SmsChannel, *deliveries: Delivery) -> list[Any]:
    async def go() -> list[Any]:
        try:
            return [await sms.send(item) for item in deliveries]
        finally:
            await sms.stop()

    return asyncio.run(go())


def test_a_reply_is_posted_as_twilio_expects_and_its_sid_kept(
    tmp_path: Path, api: tuple[FakeTwilioHttp, str]
) -> None:
    fake, url = api
    [outcome] = send(channel(tmp_path, url), delivery("Thank you for telling us."))
    [request] = fake.requests
    assert request["method"] == "POST"
    assert request["data"] == {
        "To": NUMBER,
        "Body": "Thank you for telling us.",
        "MessagingServiceSid": SERVICE_SID,
        "StatusCallback": PUBLIC_URL + STATUS_PATH,
    }
    scheme, _, credentials = request["headers"]["authorization"].partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(credentials).decode() == f"{ACCOUNT_SID}:{AUTH_TOKEN}"
    assert outcome.ok
    assert outcome.provider_id == fake.created[0]["sid"]


def test_twilio_errors_come_back_as_temporary_or_permanent_outcomes(
    tmp_path: Path, api: tuple[FakeTwilioHttp, str]
) -> None:
    fake, url = api
    fake.fail_next(429, 20429, "Too Many Requests")
    fake.fail_next(400, 21211, "Invalid 'To' Phone Number")
    busy, bad = send(channel(tmp_path, url), delivery("first"), delivery("second"))
    assert (busy.ok, busy.permanent, busy.error) == (False, False, "twilio:20429")
    assert (bad.ok, bad.permanent, bad.effect) == (False, True, UNREACHABLE)
    assert fake.created == []


def test_a_resumed_text_twilio_already_has_is_found_by_listing_not_sent_again(
    tmp_path: Path, api: tuple[FakeTwilioHttp, str]
) -> None:
    fake, url = api
    claimed_at = datetime.now(UTC) - timedelta(seconds=30)
    [first] = send(channel(tmp_path, url), delivery("Are you safe now?"))
    [resumed] = send(channel(tmp_path, url), delivery("Are you safe now?", claimed_at))
    assert resumed.provider_id == first.provider_id
    assert [r["method"] for r in fake.requests] == ["POST", "GET"]
    assert fake.requests[1]["params"]["To"] == NUMBER
    assert len(fake.created) == 1


def assert_retried_later(outcome: Outcome) -> None:
    """A network failure: kept for a later attempt, with the error's kind noted."""
    assert not outcome.ok
    assert not outcome.permanent
    assert (outcome.error or "").startswith("http:")


def test_an_unreachable_api_is_a_temporary_failure(tmp_path: Path) -> None:
    [outcome] = send(channel(tmp_path, f"http://127.0.0.1:{free_port()}"), delivery("hello"))
    assert_retried_later(outcome)


def test_a_request_past_its_timeout_is_a_temporary_failure(
    tmp_path: Path, api: tuple[FakeTwilioHttp, str]
) -> None:
    fake, url = api
    fake.delay = 2.0
    sms = channel(tmp_path, url)
    assert isinstance(sms.client.http_client, AiohttpTwilioClient)
    sms.client.http_client.timeout = 0.2
    [outcome] = send(sms, delivery("hello"))
    assert_retried_later(outcome)


def test_stopping_closes_the_connections_and_a_later_send_opens_new_ones(
    tmp_path: Path, api: tuple[FakeTwilioHttp, str]
) -> None:
    fake, url = api
    sms = channel(tmp_path, url)
    http = sms.client.http_client
    assert isinstance(http, AiohttpTwilioClient)

    async def twice() -> list[bool]:
        first = await sms.send(delivery("one"))
        session = http._session
        await sms.stop()
        closed = session is not None and session.closed
        second = await sms.send(delivery("two"))
        await sms.stop()
        return [first.ok, closed, second.ok, http._session is None]

    assert asyncio.run(twice()) == [True, True, True, True]
    assert [r["data"]["Body"] for r in fake.requests] == ["one", "two"]
