"""A person on Telegram, through the real channel, against a local fake Bot API.

For tests outside ``tests/channels`` that need what only the channel does: the keys it
stores for messages and button presses, and the quick exit's deletions.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from bot.channels import Seams, build_channels
from bot.runtime import Runtime
from bot.web.app import create_app
from tests.channels.asgi import SyncClient, running
from tests.channels.fakes import BOT_TOKEN, PUBLIC_URL, WEBHOOK_SECRET, FakeBotApi, serve_in_thread

_ids = itertools.count(1)


@dataclass
class TelegramChat:
    """One private chat with the bot, driven through the webhook."""

    client: SyncClient
    sender: Any
    bot_api: FakeBotApi
    chat: int

    def say(self, text: str) -> dict[str, Any]:
        """Send a text message, deliver the replies; returns the update sent."""
        update = {
            "update_id": next(_ids),
            "message": {
                "message_id": next(_ids),
                "from": {"id": self.chat, "is_bot": False, "first_name": "Sam"},
                "chat": {"id": self.chat, "type": "private", "first_name": "Sam"},
                "date": int(time.time()),
                "text": text,
            },
        }
        self._post(update)
        return update

    def press(self, data: str) -> None:
        """Press an inline button whose callback data is ``data``."""
        self._post(
            {
                "update_id": next(_ids),
                "callback_query": {
                    "id": str(next(_ids)),
                    "from": {"id": self.chat, "is_bot": False, "first_name": "Sam"},
                    "chat_instance": "-1",
                    "data": data,
                    "message": {
                        "message_id": next(_ids),
                        "date": int(time.time()),
                        "chat": {"id": self.chat, "type": "private"},
                        "text": "question",
                        "from": {"id": 42, "is_bot": True, "first_name": "TellSafe"},
                    },
                },
            }
        )

    def _post(self, update: dict[str, Any]) -> None:
        response = self.client.post(
            "/telegram/webhook",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
        )
        assert response.status_code == 200, response.text[:200]
        self.client.portal.call(self.sender.run_once)

    def sent(self) -> list[dict[str, Any]]:
        """Every sendMessage to this chat so far."""
        return [p for p in self.bot_api.named("sendMessage") if int(p["chat_id"]) == self.chat]

    def deleted(self) -> set[int]:
        """Every message id the bot asked Telegram to delete in this chat."""
        return {
            message_id
            for params in self.bot_api.named("deleteMessages")
            if int(params["chat_id"]) == self.chat
            for message_id in json.loads(params["message_ids"])
        }


@contextlib.contextmanager
def fake_bot_api() -> Iterator[tuple[FakeBotApi, str]]:
    """A fake Bot API on a free loopback port, and its base URL."""
    fake = FakeBotApi()
    with serve_in_thread(fake.app()) as url:
        yield fake, url


@contextlib.contextmanager
def telegram_chat(
    runtime: Runtime, bot_api: FakeBotApi, url: str, chat: int
) -> Iterator[TelegramChat]:
    """Serve ``runtime`` with the Telegram channel only (no background loops) for one chat."""
    settings = replace(
        runtime.settings,
        telegram_bot_token=BOT_TOKEN,
        telegram_webhook_secret=WEBHOOK_SECRET,
        telegram_api_base=url + "/bot",
        twilio_account_sid=None,
    )
    channels = {
        name: channel
        for name, channel in build_channels(settings, Seams()).items()
        if name == "telegram"
    }
    app = create_app(runtime, channels, background=False)
    with running(app, PUBLIC_URL) as client:
        yield TelegramChat(client, app.state.sender, bot_api, chat)
