"""Telegram, through python-telegram-bot: webhook or polling, inline keyboards.

Only the Bot API client is used from python-telegram-bot, not its Application or
ConversationHandler: the dialogue is the engine's, shared with every channel. Updates
arrive at ``/telegram/webhook`` (checked against ``X-Telegram-Bot-Api-Secret-Token``)
or from ``tellsafe telegram-poll``; both go through :meth:`TelegramChannel.accept`.

Messages are keyed by :func:`cases.telegram_ids.message_key`: a keyed tag of the chat
and the message id, the same for a redelivered update (so redeliveries are dropped) and
enough to delete the message at a quick exit, but never the chat id itself, which is the
person's address and is stored only sealed. Button presses are keyed by a keyed digest
of the callback query id.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import re
import warnings
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Final

from fastapi import APIRouter, Request, Response

# Opt in to python-telegram-bot's coming timedelta durations now: without it, building
# a RetryAfter error emits a deprecation warning on every rate limit.
os.environ.setdefault("PTB_TIMEDELTA", "1")

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram import Message as TelegramMessage
from telegram.error import (
    BadRequest,
    Forbidden,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest

from bot.channels.base import Capabilities, Channel, RateLimit
from bot.channels.intake import Intake
from bot.messages import InboundMessage
from bot.outbox import OPTED_OUT, UNREACHABLE, Delivery, Outcome
from cases.telegram_ids import callback_key, message_ids, message_key

logger = logging.getLogger(__name__)

NAME: Final = "telegram"
WEBHOOK_PATH: Final = "/telegram/webhook"
SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
MAX_LENGTH: Final = 4096
#: The Bot API deletes at most this many messages per call.
DELETE_BATCH: Final = 100
#: Deep-link payloads we accept as a centre code (the Bot API allows [A-Za-z0-9_-]{1,64}).
CENTRE_CODE: Final = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
#: Callback data is limited to 64 bytes by the Bot API.
MAX_CALLBACK_DATA: Final = 64
POLL_TIMEOUT: Final = 25

_MEDIA_KINDS: Final = (
    ("photo", "photo"),
    ("document", "document"),
    ("video", "document"),
    ("voice", "voice"),
    ("audio", "voice"),
    ("video_note", "voice"),
    ("sticker", "sticker"),
)


class TelegramChannel(Channel):
    """The Telegram channel.

    Args:
        token: The bot token.
        secret: The webhook secret token, or None when only polling is used.
        base_url: The Bot API base URL (``.../bot``); tests point it at a local fake.
        public_url: This server's public base URL: with it and a secret, the webhook is
            registered with Telegram at start, so deploying is setting two variables.
    """

    name: ClassVar[str] = NAME
    capabilities: ClassVar[Capabilities] = Capabilities(
        buttons=True, max_length=MAX_LENGTH, media=True, erase=True
    )
    #: Telegram's documented limits: about 30 messages a second in all, one a second
    #: to one chat.
    rate_limit = RateLimit(overall=30.0, per_address=1.0)

    def __init__(
        self,
        token: str,
        secret: str | None,
        base_url: str | None = None,
        public_url: str | None = None,
    ) -> None:
        self.bot = Bot(
            token,
            base_url=base_url or "https://api.telegram.org/bot",
            request=HTTPXRequest(connection_pool_size=32),
            get_updates_request=HTTPXRequest(read_timeout=POLL_TIMEOUT + 10),
        )
        self.secret = secret
        self.webhook_url = public_url + WEBHOOK_PATH if public_url and secret else None
        _quiet_library_logs()
        self._background: set[asyncio.Task[Any]] = set()

    async def start(self) -> None:
        """Open the Bot API client and register the webhook when one is configured."""
        await self.bot.initialize()
        if self.webhook_url is None:
            return
        # Only the kinds of update we handle: Telegram then does not wake us for others.
        await self.bot.set_webhook(
            self.webhook_url,
            secret_token=self.secret,
            allowed_updates=["message", "callback_query"],
        )
        logger.info("telegram webhook registered")

    async def stop(self) -> None:
        """Close the Bot API client."""
        await self.bot.shutdown()

    def router(self, intake: Intake) -> APIRouter | None:
        """The webhook route (only when a webhook secret is configured)."""
        if not self.secret:
            return None
        router = APIRouter()
        secret = self.secret

        @router.post(WEBHOOK_PATH, include_in_schema=False)
        async def webhook(request: Request) -> Response:
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), secret.encode()):
                return Response(status_code=403)
            try:
                data = await request.json()
            except ValueError:
                return Response(status_code=200)  # authentic but unreadable: do not retry
            if not isinstance(data, dict):
                return Response(status_code=200)
            await self.accept(data, intake)
            return Response(status_code=200)

        return router

    async def accept(self, data: dict[str, Any], intake: Intake) -> None:
        """Handle one update (from the webhook or from polling)."""
        try:
            update = Update.de_json(data, self.bot)
            inbound = self._inbound(update) if update is not None else None
        except (AttributeError, KeyError, TypeError, ValueError):
            # Authentic but malformed (a field of the wrong type): answered, not a 500,
            # or Telegram would retry it and hold back every later update.
            logger.warning("unreadable telegram update ignored")
            return
        if update is None:
            return
        if inbound is None:
            logger.info("telegram update %s of a kind we do not handle", update.update_id)
            return
        await intake.accept(inbound)
        if update.callback_query is not None:
            self._in_background(self._answer_callback(update.callback_query.id))

    def _inbound(self, update: Update) -> InboundMessage | None:
        now = datetime.now(UTC)
        query = update.callback_query
        if query is not None:
            chat = query.message.chat if query.message is not None else None
            if chat is None or chat.type != "private" or not query.data:
                return None
            return InboundMessage(
                channel=NAME,
                address=str(chat.id),
                text=query.data,
                received_at=now,
                external_id=callback_key(query.id),
            )
        message = update.message
        if message is None or message.chat.type != "private":
            return None
        text = message.text or message.caption or ""
        if not isinstance(text, str):
            raise TypeError("message text is not a string")
        centre = None
        if text.startswith("/start"):
            # A deep link t.me/<bot>?start=<centre> arrives as "/start <centre>".
            payload = text.partition(" ")[2].strip()
            centre = payload if CENTRE_CODE.match(payload) else None
            text = ""
        media = _media(message)
        if not text and not media and centre is None and not message.text:
            return None  # a location, contact, poll...: nothing the engine can use
        return InboundMessage(
            channel=NAME,
            address=str(message.chat.id),
            text=text,
            received_at=message.date or now,
            external_id=message_key(message.chat.id, message.message_id),
            centre=centre,
            media=media,
        )

    async def _answer_callback(self, query_id: str) -> None:
        try:
            await self.bot.answer_callback_query(query_id)
        except TelegramError as error:
            logger.info("could not answer a callback query: %s", type(error).__name__)

    def _in_background(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def send(self, delivery: Delivery) -> Outcome:
        """Send one message, with its choices as an inline keyboard."""
        chat_id = int(delivery.address)
        if delivery.erase:
            await self._erase(chat_id, delivery.erase)
        rendered = delivery.rendered
        markup = None
        if rendered.choices:
            markup = InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(label, callback_data=code[:MAX_CALLBACK_DATA])]
                    for code, label in rendered.choices
                ]
            )
        parts = _split(rendered.text, MAX_LENGTH)
        sent: TelegramMessage | None = None
        index = delivery.parts_sent
        try:
            for index in range(delivery.parts_sent, len(parts)):
                last = index == len(parts) - 1
                sent = await self.bot.send_message(
                    chat_id, parts[index], reply_markup=markup if last else None
                )
        except RetryAfter as error:
            return Outcome(error="telegram:429", retry_after=_seconds(error), parts_sent=index)
        except Forbidden:
            # The person blocked the bot: as clear a "stop" as STOP itself.
            return Outcome(error="telegram:403", permanent=True, effect=OPTED_OUT)
        except BadRequest as error:
            gone = "chat not found" in str(error).lower()
            return Outcome(
                error="telegram:400", permanent=True, effect=UNREACHABLE if gone else None
            )
        except TimedOut:
            return Outcome(error="telegram:timeout", parts_sent=index)
        except TelegramError as error:
            return Outcome(error=f"telegram:{type(error).__name__}", parts_sent=index)
        if sent is None:  # every part went out on an earlier attempt
            return Outcome()
        return Outcome(provider_id=message_key(chat_id, sent.message_id))

    async def _erase(self, chat_id: int, keys: tuple[str, ...]) -> None:
        """Delete this session's messages in the chat, as far as the Bot API allows.

        Bots may delete their own messages and, in private chats, the person's, for 48
        hours; whatever it refuses stays (the quick exit still goes on).
        """
        # Keys of another chat (never expected) are skipped: their message ids would
        # name unrelated messages in this one.
        ids = message_ids(keys, chat_id)
        for start in range(0, len(ids), DELETE_BATCH):
            try:
                await self.bot.delete_messages(chat_id, ids[start : start + DELETE_BATCH])
            except TelegramError as error:
                logger.info("could not delete messages: %s", type(error).__name__)

    async def poll(self, intake: Intake, stop: asyncio.Event) -> None:
        """Fetch updates with long polling until ``stop`` (for deployments without a URL)."""
        await self.bot.delete_webhook()
        offset: int | None = None
        failures = 0
        while not stop.is_set():
            try:
                updates = await self.bot.get_updates(
                    offset=offset,
                    timeout=POLL_TIMEOUT,
                    allowed_updates=["message", "callback_query"],
                )
                failures = 0
            except TelegramError as error:
                failures += 1
                logger.warning("telegram polling failed: %s", type(error).__name__)
                await asyncio.sleep(min(2**failures, 60))
                continue
            for update in updates:
                await self.accept(update.to_dict(), intake)
                offset = update.update_id + 1


def _quiet_library_logs() -> None:
    """Keep python-telegram-bot's logger at INFO or above.

    At DEBUG it logs every Bot API call with its parameters and result: chat ids (the
    person's address) and message text.
    """
    library = logging.getLogger("telegram")
    if library.level < logging.INFO:
        library.setLevel(logging.INFO)


def _media(message: TelegramMessage) -> tuple[str, ...]:
    kinds = [kind for attribute, kind in _MEDIA_KINDS if getattr(message, attribute, None)]
    return tuple(dict.fromkeys(kinds))


def _seconds(error: RetryAfter) -> float:
    # python-telegram-bot 22 is moving retry_after from int to timedelta and warns on
    # access; either form is fine here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _split(text: str, limit: int) -> list[str]:
    """Split at paragraph, then line, then word boundaries into parts of ``limit``."""
    parts: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
        if cut <= 0:
            cut = limit
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    parts.append(rest)
    return parts
