"""Officer notices by SMTP, Telegram and signed webhook; escalation of unclaimed urgent ones.

Every notifier talks to a real local server: aiosmtpd for e-mail, the fake Bot API of
the channel tests for Telegram, a Starlette app for the webhook.
"""

from __future__ import annotations

import asyncio
import email
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.clock import ManualClock
from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from cases import store
from cases.models import Handoff
from followup.escalation import HandoffNotices
from followup.models import HandoffNotification
from followup.notifiers import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Notification,
    SmtpNotifier,
    TelegramNotifier,
    WebhookNotifier,
    build_notifiers,
    verify,
)
from followup.settings import FollowUpSettings
from tests.channels.fakes import BOT_TOKEN, FakeBotApi, free_port, serve_in_thread
from tests.conftest import START, make_settings

SECRET_WORDS = "he threatened me outside the mosque on Elm Road"
PHONE = "+447700900123"
WEBHOOK_SECRET = "webhook-test-secret"


class Mailbox:
    """An aiosmtpd handler keeping every message."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


@dataclass
class Hook:
    """A webhook receiver: records requests, answers with ``status``."""

    status: int = 200
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)

    def app(self) -> Starlette:
        async def receive(request: Request) -> Response:
            self.requests.append((dict(request.headers), await request.body()))
            return Response(status_code=self.status)

        return Starlette(routes=[Route("/hook", receive, methods=["POST"])])


@pytest.fixture
def run() -> Iterator[Any]:
    """Runs coroutines on one event loop (clients are bound to their loop)."""
    loop = asyncio.new_event_loop()
    opened: list[HandoffNotices] = []

    def runner(notices: HandoffNotices) -> int:
        if notices not in opened:
            opened.append(notices)
        return loop.run_until_complete(notices.run_once())

    yield runner
    for notices in opened:
        loop.run_until_complete(notices.close())
    loop.close()


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


@pytest.fixture
def hook() -> Iterator[tuple[Hook, str]]:
    receiver = Hook()
    with serve_in_thread(receiver.app()) as url:
        yield receiver, url + "/hook"


def _runtime(tmp_path: Path) -> Runtime:
    return build_runtime(make_settings(tmp_path), clock=ManualClock(START))


def _handoff(runtime: Runtime, urgent: bool = True) -> tuple[int, str]:
    with runtime.sessions.begin() as session:
        conversation = store.open_conversation(
            session, "sms", PHONE, now=START, timezone="Europe/London", initial_state="closed"
        )
        case = store.new_case(session, conversation, "en", START)
        case.what_happened = SECRET_WORDS
        case.motivations = ["religion"]
        handoff = store.open_handoff(session, conversation, case, "danger", urgent, START)
        return handoff.id, case.reference


def _settings(runtime: Runtime, **followup: Any) -> Settings:
    return replace(
        runtime.settings,
        public_url="https://tellsafe.example.org",
        followup=replace(FollowUpSettings(), **followup),
    )


def _notices(runtime: Runtime, settings: Settings) -> HandoffNotices:
    return HandoffNotices(
        runtime.sessions,
        runtime.clock,
        build_notifiers(settings),
        "https://tellsafe.example.org/officer",
        timedelta(minutes=settings.followup.urgent_escalate_minutes),
    )


def _no_personal_data(text: str) -> None:
    assert SECRET_WORDS not in text
    assert "mosque" not in text
    assert PHONE not in text
    assert "religion" not in text


def test_email_notice_says_reference_urgency_reason_and_link_only(
    run: Any, tmp_path: Path, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    runtime = _runtime(tmp_path)
    handoff_id, reference = _handoff(runtime)
    settings = _settings(
        runtime,
        notify=("smtp",),
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_to=("officers@example.org",),
    )
    notices = _notices(runtime, settings)
    assert run(notices) == 1
    assert run(notices) == 0  # sent once, not again
    (message,) = box.messages
    body = message.get_payload()
    assert isinstance(body, str)
    assert message["Subject"] == f"TellSafe handoff {reference}: urgent"
    assert message["To"] == "officers@example.org"
    assert f"Reference: {reference}" in body
    assert "Reason: danger" in body
    assert "https://tellsafe.example.org/officer/conversations/" in body
    _no_personal_data(message.as_string())
    with runtime.sessions() as session:
        row = session.scalars(select(HandoffNotification)).one()
    assert (row.handoff_id, row.state, row.level) == (handoff_id, "sent", 0)
    runtime.database.dispose()


def test_telegram_notice_goes_to_the_officers_group() -> None:
    fake = FakeBotApi()
    with serve_in_thread(fake.app()) as url:
        notifier = TelegramNotifier(BOT_TOKEN, "-1001234", base_url=url + "/bot")
        notice = Notification(7, "TS-ABC123", True, "self_harm", "https://x.example/officer/c/7")

        async def send() -> None:
            await notifier.send(notice)
            await notifier.close()

        asyncio.run(send())
    (sent,) = fake.named("sendMessage")
    assert str(sent["chat_id"]) == "-1001234"
    assert sent["text"].splitlines() == [
        "TellSafe handoff TS-ABC123: urgent",
        "Reference: TS-ABC123",
        "Urgency: urgent",
        "Reason: self_harm",
        "Open: https://x.example/officer/c/7",
    ]


def test_webhook_notice_is_signed_with_a_timestamp(hook: tuple[Hook, str]) -> None:
    receiver, url = hook
    notifier = WebhookNotifier(url, WEBHOOK_SECRET)
    notice = Notification(9, "TS-XYZ789", False, "asked_for_person", "https://x.example/o/9")

    async def send() -> None:
        await notifier.send(notice)
        await notifier.close()

    asyncio.run(send())
    ((headers, body),) = receiver.requests
    timestamp = headers[TIMESTAMP_HEADER.lower()]
    signature = headers[SIGNATURE_HEADER.lower()]
    assert verify(WEBHOOK_SECRET, timestamp, body, signature)
    assert not verify("another-secret", timestamp, body, signature)
    assert not verify(WEBHOOK_SECRET, timestamp, body.replace(b"normal", b"urgent"), signature)
    assert not verify(WEBHOOK_SECRET, str(int(timestamp) - 3600), body, signature)
    assert json.loads(body) == {
        "event": "handoff",
        "handoff_id": 9,
        "reference": "TS-XYZ789",
        "urgency": "normal",
        "reason": "asked_for_person",
        "link": "https://x.example/o/9",
        "level": 0,
    }


def test_unclaimed_urgent_handoff_escalates_to_the_next_notifier(
    run: Any, tmp_path: Path, mailbox: tuple[Mailbox, int], hook: tuple[Hook, str]
) -> None:
    box, port = mailbox
    receiver, url = hook
    runtime = _runtime(tmp_path)
    clock = runtime.clock
    assert isinstance(clock, ManualClock)
    urgent_id, reference = _handoff(runtime, urgent=True)
    settings = _settings(
        runtime,
        notify=("smtp", "webhook"),
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_to=("officers@example.org",),
        webhook_url=url,
        webhook_secret=WEBHOOK_SECRET,
        urgent_escalate_minutes=15,
    )
    notices = _notices(runtime, settings)
    run(notices)
    assert len(box.messages) == 1
    assert receiver.requests == []
    clock.set(START + timedelta(minutes=10))
    run(notices)
    assert receiver.requests == []  # not yet: ten minutes is inside the limit
    clock.set(START + timedelta(minutes=16))
    assert run(notices) == 1
    ((_headers, body),) = receiver.requests
    assert json.loads(body)["level"] == 1
    assert json.loads(body)["reference"] == reference
    # An officer picks it up: nothing more, however long it then takes.
    with runtime.sessions.begin() as session:
        handoff = session.get(Handoff, urgent_id)
        assert handoff is not None
        handoff.status, handoff.claimed_at = "claimed", clock.now()
    clock.set(START + timedelta(hours=5))
    assert run(notices) == 0
    assert len(box.messages) == 1
    assert len(receiver.requests) == 1
    runtime.database.dispose()


def test_a_refused_notice_falls_through_to_the_next_notifier_at_once(
    run: Any, tmp_path: Path, mailbox: tuple[Mailbox, int], hook: tuple[Hook, str]
) -> None:
    box, port = mailbox
    receiver, url = hook
    receiver.status = 403
    runtime = _runtime(tmp_path)
    _handoff(runtime, urgent=True)
    settings = _settings(
        runtime,
        notify=("webhook", "smtp"),
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_to=("officers@example.org",),
        webhook_url=url,
        webhook_secret=WEBHOOK_SECRET,
    )
    notices = _notices(runtime, settings)
    assert run(notices) == 0  # the webhook refused it for good
    assert run(notices) == 1  # so e-mail takes over straight away
    assert len(box.messages) == 1
    with runtime.sessions() as session:
        states = [
            (row.notifier, row.state, row.error)
            for row in session.scalars(
                select(HandoffNotification).order_by(HandoffNotification.level)
            )
        ]
    assert states == [("webhook", "failed", "http_403"), ("smtp", "sent", None)]
    runtime.database.dispose()


def test_a_normal_handoff_is_notified_once_and_never_escalated(
    run: Any, tmp_path: Path, hook: tuple[Hook, str], mailbox: tuple[Mailbox, int]
) -> None:
    receiver, url = hook
    box, port = mailbox
    runtime = _runtime(tmp_path)
    clock = runtime.clock
    assert isinstance(clock, ManualClock)
    _handoff(runtime, urgent=False)
    settings = _settings(
        runtime,
        notify=("webhook", "smtp"),
        webhook_url=url,
        webhook_secret=WEBHOOK_SECRET,
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_to=("officers@example.org",),
    )
    notices = _notices(runtime, settings)
    run(notices)
    clock.set(START + timedelta(days=1))
    run(notices)
    assert len(receiver.requests) == 1
    assert box.messages == []
    runtime.database.dispose()


def test_unknown_or_unconfigured_notifiers() -> None:
    with pytest.raises(ValueError, match="pager"):
        FollowUpSettings.from_env({"TELLSAFE_NOTIFY": "smtp,pager"})
    settings = Settings.from_env({"TELLSAFE_NOTIFY": "smtp,webhook,telegram"})
    assert build_notifiers(settings) == []  # none has what it needs: warned, not crashed
    configured = Settings.from_env(
        {
            "TELLSAFE_NOTIFY": "webhook,smtp",
            "TELLSAFE_WEBHOOK_URL": "http://127.0.0.1:9/hook",
            "TELLSAFE_WEBHOOK_SECRET": "s",
            "TELLSAFE_SMTP_TO": "a@example.org, b@example.org",
        }
    )
    built = build_notifiers(configured)
    assert [n.name for n in built] == ["webhook", "smtp"]
    assert isinstance(built[1], SmtpNotifier)
    assert built[1].recipients == ("a@example.org", "b@example.org")
    for notifier in built:
        asyncio.run(notifier.close())
