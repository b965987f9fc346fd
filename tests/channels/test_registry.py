"""Channels are built from settings; with no tokens only the web chat runs."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.channels import REGISTRY, Seams, build_channels
from bot.channels.keywords import HELP, START, STOP, engine_text, keyword
from bot.channels.twilio_sms import SmsChannel, _parts
from tests.channels.conftest import channel_settings
from tests.channels.fakes import FakeTwilioHttp


def test_no_tokens_means_web_chat_only(tmp_path: Path) -> None:
    bare = replace(
        channel_settings(tmp_path),
        twilio_account_sid=None,
        twilio_auth_token=None,
        telegram_bot_token=None,
    )
    assert set(build_channels(bare)) == {"web"}


def test_every_configured_channel_is_built(tmp_path: Path) -> None:
    channels = build_channels(channel_settings(tmp_path), Seams(twilio_http=FakeTwilioHttp()))
    assert set(channels) == set(REGISTRY) == {"web", "sms", "telegram"}
    assert isinstance(channels["sms"], SmsChannel)


def test_sms_needs_a_sender(tmp_path: Path) -> None:
    settings = replace(
        channel_settings(tmp_path), twilio_messaging_service_sid=None, twilio_from_number=None
    )
    assert "sms" not in build_channels(settings)


def test_carrier_keywords() -> None:
    assert [keyword(w) for w in ("STOP", " stopall ", "Unsubscribe", "end", "QUIT", "cancel")] == [
        STOP
    ] * 6
    assert keyword("START") == START
    assert keyword("unstop") == START
    assert keyword("HELP") == keyword("info") == HELP
    assert keyword("please stop the man who hurt me") is None
    assert keyword("anything", opt_out_type="STOP") == STOP
    assert engine_text("Unsubscribe", STOP) == "STOP"
    assert engine_text("yes", START) == "yes"  # YES is an answer, not a command
    assert engine_text("unstop", START) == "START"


def test_long_sms_is_split_and_kept_gsm7() -> None:
    paragraph = "We are sorry this happened to you. “You are not alone” – help is here. "
    parts = _parts((paragraph * 3 + "\n\n") * 12)
    assert len(parts) > 1
    for part in parts:
        assert "“" not in part
        assert "–" not in part
        assert len(part) <= 4 * 153


def test_sms_from_a_number_when_there_is_no_messaging_service(tmp_path: Path) -> None:
    import asyncio

    from bot.messages import RenderedMessage
    from bot.outbox import Delivery

    settings = replace(
        channel_settings(tmp_path),
        twilio_messaging_service_sid=None,
        twilio_from_number="+447700900002",
    )
    fake = FakeTwilioHttp()
    channel = build_channels(settings, Seams(twilio_http=fake))["sms"]
    delivery = Delivery(
        1, "sms", "+447700900123", "en", RenderedMessage("Pick one", (("a", "Yes"), ("b", "No")))
    )
    outcome = asyncio.run(channel.send(delivery))
    assert outcome.ok
    data = fake.requests[0]["data"]
    assert data["From"] == "+447700900002"
    assert "MessagingServiceSid" not in data
    assert "1 Yes" in data["Body"]
    assert "2 No" in data["Body"]
