"""The Telegram channel: real python-telegram-bot client against a local fake Bot API."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from typing import Any

import pytest
from sqlalchemy import select

from bot.channels.telegram import TelegramChannel
from bot.outbox import FAILED, PENDING
from cases import store
from cases.models import Contact, Conversation, Message
from tests.channels.conftest import Harness
from tests.channels.fakes import WEBHOOK_SECRET

_chats = itertools.count(5_000_001)
_updates = itertools.count(900_000_001)
_messages = itertools.count(1)


def new_chat() -> int:
    return next(_chats)


def text_update(chat: int, text: str, **extra: Any) -> dict[str, Any]:
    """An update shaped like the Bot API's real ``message`` update."""
    user = {"id": chat, "is_bot": False, "first_name": "Sam", "language_code": "en"}
    message: dict[str, Any] = {
        "message_id": next(_messages),
        "from": user,
        "chat": {"id": chat, "first_name": "Sam", "type": "private"},
        "date": int(time.time()),
        **extra,
    }
    if text:
        message["text"] = text
    if text.startswith("/start"):
        message["entities"] = [{"offset": 0, "length": 6, "type": "bot_command"}]
    return {"update_id": next(_updates), "message": message}


def callback_update(chat: int, data: str) -> dict[str, Any]:
    user = {"id": chat, "is_bot": False, "first_name": "Sam"}
    return {
        "update_id": next(_updates),
        "callback_query": {
            "id": str(next(_updates)),
            "from": user,
            "chat_instance": "-1",
            "data": data,
            "message": {
                "message_id": next(_messages),
                "date": int(time.time()),
                "chat": {"id": chat, "type": "private"},
                "text": "question",
                "from": {"id": 42, "is_bot": True, "first_name": "TellSafe"},
            },
        },
    }


def post(h: Harness, update: dict[str, Any], secret: str | None = WEBHOOK_SECRET) -> Any:
    headers = {} if secret is None else {"X-Telegram-Bot-Api-Secret-Token": secret}
    return h.client.post("/telegram/webhook", json=update, headers=headers)


def sent_to(h: Harness, chat: int) -> list[dict[str, Any]]:
    before = len(h.bot_api.calls)
    h.flush()
    return [
        params
        for name, params in h.bot_api.calls[before:]
        if name == "sendMessage" and int(params["chat_id"]) == chat
    ]


def conversation(h: Harness, chat: int) -> Conversation:
    with h.runtime.sessions() as session:
        address = store.find_address(session, "telegram", str(chat))
        assert address is not None
        return session.scalars(
            select(Conversation).where(Conversation.address_id == address.id)
        ).one()


def test_message_is_answered_with_an_inline_keyboard(h: Harness) -> None:
    chat = new_chat()
    assert post(h, text_update(chat, "Hello, I want to report something")).status_code == 200
    sent = sent_to(h, chat)
    assert sent
    assert "999" in sent[0]["text"]
    keyboards = [json.loads(p["reply_markup"]) for p in sent if "reply_markup" in p]
    assert keyboards
    buttons = [row[0] for row in keyboards[-1]["inline_keyboard"]]
    assert all(b["callback_data"] and b["text"] for b in buttons)


@pytest.mark.parametrize("secret", [None, "", "wrong-secret"])
def test_wrong_or_missing_secret_is_refused_and_writes_nothing(
    h: Harness, secret: str | None
) -> None:
    before = h.count()
    assert post(h, text_update(new_chat(), "hello"), secret=secret).status_code == 403
    assert h.count() == before


def test_redelivered_update_changes_nothing(h: Harness) -> None:
    update = text_update(new_chat(), "Hello, I want to report something")
    post(h, update)
    after_first = h.count()
    assert post(h, update).status_code == 200
    assert h.count() == after_first


@pytest.mark.parametrize(
    "update",
    [
        {
            "update_id": 1,
            "edited_message": {
                "message_id": 1,
                "date": 0,
                "text": "x",
                "chat": {"id": 7, "type": "private"},
            },
        },
        {
            "update_id": 2,
            "my_chat_member": {
                "chat": {"id": 7, "type": "private"},
                "from": {"id": 7, "is_bot": False, "first_name": "S"},
                "date": 0,
                "old_chat_member": {
                    "status": "member",
                    "user": {"id": 42, "is_bot": True, "first_name": "T"},
                },
                "new_chat_member": {
                    "status": "kicked",
                    "until_date": 0,
                    "user": {"id": 42, "is_bot": True, "first_name": "T"},
                },
            },
        },
        {
            "update_id": 3,
            "message": {
                "message_id": 1,
                "date": 0,
                "text": "hi",
                "chat": {"id": -100, "type": "group", "title": "g"},
            },
        },
        {
            "update_id": 4,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": 8, "type": "private"},
                "location": {"latitude": 52.9, "longitude": -1.1},
            },
        },
        {"not": "an update"},
        [1, 2, 3],
    ],
)
def test_kinds_we_do_not_handle_get_200_and_write_nothing(h: Harness, update: Any) -> None:
    before = h.count()
    assert post(h, update).status_code == 200
    assert h.count() == before


def test_deep_link_records_the_reporting_centre(h: Harness) -> None:
    chat = new_chat()
    post(h, text_update(chat, "/start NOTTS-LIB-3"))
    assert conversation(h, chat).centre == "NOTTS-LIB-3"
    assert sent_to(h, chat)


def test_button_press_is_an_answer_and_is_acknowledged(h: Harness) -> None:
    chat = new_chat()
    post(h, text_update(chat, "Hello, I want to report something"))
    sent = sent_to(h, chat)
    keyboard = json.loads(sent[-1]["reply_markup"])["inline_keyboard"]
    state_before = conversation(h, chat).state
    assert post(h, callback_update(chat, keyboard[0][0]["callback_data"])).status_code == 200
    assert conversation(h, chat).state != state_before
    deadline = time.monotonic() + 5
    while not h.bot_api.named("answerCallbackQuery") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert h.bot_api.named("answerCallbackQuery")


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            {"photo": [{"file_id": "p1", "file_unique_id": "u1", "width": 90, "height": 90}]},
            "evidence",
        ),
        (
            {"document": {"file_id": "d1", "file_unique_id": "u2", "file_name": "shot.pdf"}},
            "evidence",
        ),
        ({"voice": {"file_id": "v1", "file_unique_id": "u3", "duration": 3}}, "voice"),
        (
            {
                "sticker": {
                    "file_id": "s1",
                    "file_unique_id": "u4",
                    "width": 1,
                    "height": 1,
                    "is_animated": False,
                    "is_video": False,
                    "type": "regular",
                }
            },
            "sticker",
        ),
    ],
)
def test_media(h: Harness, extra: dict[str, Any], expected: str) -> None:
    chat = new_chat()
    post(h, text_update(chat, "Hello, I want to report something"))
    sent_to(h, chat)
    post(h, text_update(chat, "yes"))
    sent_to(h, chat)
    assert post(h, text_update(chat, "", **extra)).status_code == 200
    sent = sent_to(h, chat)
    assert sent
    assert expected in sent[0]["text"]
    # Stored, not forwarded: no other chat received anything.
    assert all(int(p["chat_id"]) == chat for p in h.bot_api.named("sendMessage"))


def test_quick_exit_deletes_the_sessions_messages(h: Harness) -> None:
    chat = new_chat()
    first = text_update(chat, "Hello, I want to report something")
    post(h, first)
    sent_to(h, chat)
    exit_update = text_update(chat, "exit")
    post(h, exit_update)
    sent = sent_to(h, chat)
    deleted = [
        json.loads(p["message_ids"])
        for p in h.bot_api.named("deleteMessages")
        if int(p["chat_id"]) == chat
    ]
    assert deleted
    ids = {i for batch in deleted for i in batch}
    assert first["message"]["message_id"] in ids
    assert exit_update["message"]["message_id"] in ids
    assert len(sent) == 1  # only the neutral notice is left


def test_rate_limit_error_is_retried_later(h: Harness) -> None:
    chat = new_chat()
    h.bot_api.failures.append((429, "Too Many Requests: retry after 7", 7))
    post(h, text_update(chat, "Hello"))
    h.flush()
    with h.runtime.sessions() as session:
        row = session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation(h, chat).id, Message.direction == "out")
            .order_by(Message.id)
        ).first()
        assert row is not None
        assert row.delivery == PENDING
        assert row.next_attempt_at is not None
        assert (row.next_attempt_at - h.runtime.clock.now()).total_seconds() >= 6


def test_blocked_bot_is_permanent_and_stops_messages(h: Harness) -> None:
    chat = new_chat()
    h.bot_api.failures.append((403, "Forbidden: bot was blocked by the user", None))
    post(h, text_update(chat, "Hello"))
    h.flush()
    conv = conversation(h, chat)
    with h.runtime.sessions() as session:
        contact = session.get(Contact, conv.contact_id)
        assert contact is not None
        assert contact.opted_out_at is not None
        failed = session.scalars(
            select(Message).where(Message.conversation_id == conv.id, Message.delivery == FAILED)
        ).all()
        assert failed


def test_polling_feeds_the_same_handler(h: Harness) -> None:
    chat = new_chat()
    h.bot_api.updates.append(text_update(chat, "Hello, I want to report something"))
    channel = h.app.state.channels["telegram"]
    assert isinstance(channel, TelegramChannel)

    async def poll_once() -> None:
        stop = asyncio.Event()
        task = asyncio.ensure_future(channel.poll(h.app.state.intake, stop))
        for _ in range(200):
            if h.bot_api.named("getUpdates") and not h.bot_api.updates:
                break
            await asyncio.sleep(0.02)
        await asyncio.sleep(0.2)
        stop.set()
        task.cancel()

    h.client.portal.call(poll_once)
    assert h.bot_api.named("deleteWebhook")
    assert sent_to(h, chat)


def test_the_webhook_is_registered_with_its_secret_at_start(h: Harness) -> None:
    # The harness app was started (its lifespan ran) with a public URL and a secret.
    registered = h.bot_api.named("setWebhook")
    assert registered
    assert registered[-1]["url"] == f"{h.runtime.settings.public_url}/telegram/webhook"
    assert registered[-1]["secret_token"] == WEBHOOK_SECRET
    assert set(json.loads(registered[-1]["allowed_updates"])) == {"message", "callback_query"}


def test_without_a_public_url_nothing_is_registered(bot_api: tuple[Any, str]) -> None:
    fake, url = bot_api
    channel = TelegramChannel("123:abc", WEBHOOK_SECRET, f"{url}/bot", public_url=None)
    before = len(fake.named("setWebhook"))

    async def start_and_stop() -> None:
        await channel.start()
        await channel.stop()

    asyncio.run(start_and_stop())
    assert len(fake.named("setWebhook")) == before


def test_stored_ids_never_name_the_chat(h: Harness) -> None:
    chat = new_chat()
    post(h, text_update(chat, "Hello, I want to report something"))
    sent_to(h, chat)
    post(h, callback_update(chat, "yes"))
    sent_to(h, chat)
    with h.runtime.sessions() as session:
        rows = session.execute(
            select(Message.direction, Message.external_id).where(
                Message.conversation_id == conversation(h, chat).id
            )
        ).all()
    ids = [external_id for _direction, external_id in rows if external_id]
    assert {direction for direction, _id in rows} == {"in", "out"}
    assert len(ids) == len(rows), "every message keeps a key (the quick exit deletes by it)"
    assert not [i for i in ids if str(chat) in i]
    assert {i[:2] for i in ids} == {"m:", "q:"}  # message keys and a button press
