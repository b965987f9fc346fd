"""Telling officers about a handoff: e-mail, a Telegram officers' group, a signed webhook.

Notifiers are registered by name (:data:`NOTIFIERS`) and configured by settings
(``TELLSAFE_NOTIFY=smtp,telegram,webhook``, in escalation order). A notice carries the
case reference, the urgency, the reason code and a link to the console: never what
the person said, their name, number or strands, because e-mail, group chats and
webhook receivers are places special category data must not go.

Every notifier is async and never blocks the event loop: SMTP (a blocking library)
runs on a worker thread. Failures raise :class:`NotifyError` saying whether retrying
can help.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import smtplib
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, ClassVar, Final

import httpx

from bot.config import Settings

logger = logging.getLogger(__name__)

#: Header names of the signed webhook.
SIGNATURE_HEADER: Final = "X-TellSafe-Signature"
TIMESTAMP_HEADER: Final = "X-TellSafe-Timestamp"
TIMEOUT_SECONDS: Final = 10.0


@dataclass(frozen=True)
class Notification:
    """What officers are told about a handoff, and nothing more.

    Attributes:
        handoff_id: The handoff.
        reference: The case reference (``H<handoff id>`` when the handoff has no case).
        urgent: Whether it is urgent.
        reason: The reason code (``danger``, ``high_risk``, ``asked_for_person``...).
        link: Where in the officer console to pick it up.
        level: 0 for the first notice; higher for escalations.
    """

    handoff_id: int
    reference: str
    urgent: bool
    reason: str
    link: str
    level: int = 0

    @property
    def urgency(self) -> str:
        """``urgent`` or ``normal``."""
        return "urgent" if self.urgent else "normal"

    def subject(self) -> str:
        """A one-line summary for an e-mail subject or a chat message's first line."""
        escalated = " (escalated: not yet picked up)" if self.level else ""
        return f"TellSafe handoff {self.reference}: {self.urgency}{escalated}"

    def text(self) -> str:
        """The plain-text body."""
        return "\n".join(
            (
                self.subject(),
                f"Reference: {self.reference}",
                f"Urgency: {self.urgency}",
                f"Reason: {self.reason}",
                f"Open: {self.link}",
            )
        )

    def payload(self) -> dict[str, Any]:
        """The webhook's JSON body."""
        return {
            "event": "handoff",
            "handoff_id": self.handoff_id,
            "reference": self.reference,
            "urgency": self.urgency,
            "reason": self.reason,
            "link": self.link,
            "level": self.level,
        }


class NotifyError(Exception):
    """A notice could not be delivered.

    Args:
        code: A short error code (exception name, status), never message content.
        permanent: Whether retrying can never help (bad configuration, refused).
    """

    def __init__(self, code: str, *, permanent: bool = False) -> None:
        super().__init__(code)
        self.code = code
        self.permanent = permanent


class Notifier(ABC):
    """One way of telling officers."""

    name: ClassVar[str]

    @abstractmethod
    async def send(self, notification: Notification) -> None:
        """Deliver one notice.

        Raises:
            NotifyError: When it was not delivered.
        """

    async def close(self) -> None:  # noqa: B027 - optional hook
        """Release clients."""


class SmtpNotifier(Notifier):
    """E-mail through an SMTP server (stdlib ``smtplib``, on a worker thread).

    Args:
        host: The server.
        port: Its port.
        sender: The From address.
        recipients: The officers' addresses.
        user: Login, if needed.
        password: Password, if needed.
        starttls: Upgrade the connection with STARTTLS first.
    """

    name = "smtp"

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        recipients: tuple[str, ...],
        *,
        user: str | None = None,
        password: str | None = None,
        starttls: bool = False,
    ) -> None:
        self.host = host
        self.port = port
        self.sender = sender
        self.recipients = recipients
        self.user = user
        self.password = password
        self.starttls = starttls

    def message(self, notification: Notification) -> EmailMessage:
        """The e-mail for a notice."""
        message = EmailMessage()
        message["Subject"] = notification.subject()
        message["From"] = self.sender
        message["To"] = ", ".join(self.recipients)
        if notification.urgent:
            message["Importance"] = "high"
            message["X-Priority"] = "1"
        message.set_content(notification.text())
        return message

    def _send_blocking(self, notification: Notification) -> None:
        try:
            with smtplib.SMTP(self.host, self.port, timeout=TIMEOUT_SECONDS) as client:
                if self.starttls:
                    client.starttls()
                if self.user and self.password:
                    client.login(self.user, self.password)
                client.send_message(self.message(notification))
        except smtplib.SMTPRecipientsRefused as error:
            raise NotifyError("smtp_recipients_refused", permanent=True) from error
        except smtplib.SMTPAuthenticationError as error:
            raise NotifyError("smtp_auth", permanent=True) from error
        except (smtplib.SMTPException, OSError) as error:
            raise NotifyError(type(error).__name__) from error

    async def send(self, notification: Notification) -> None:
        """Send the e-mail without blocking the event loop."""
        await asyncio.to_thread(self._send_blocking, notification)


class TelegramNotifier(Notifier):
    """A message to the officers' Telegram group, with the channel's bot.

    Args:
        token: The bot token.
        chat_id: The officers' group chat id.
        base_url: Bot API base URL ending in ``/bot``; None for Telegram itself.
    """

    name = "telegram"

    def __init__(self, token: str, chat_id: str, base_url: str | None = None) -> None:
        from telegram import Bot  # noqa: PLC0415 - only when configured
        from telegram.request import HTTPXRequest  # noqa: PLC0415

        self.chat_id = chat_id
        self.bot = Bot(
            token,
            base_url=base_url or "https://api.telegram.org/bot",
            request=HTTPXRequest(connection_pool_size=4),
        )
        self._ready = False

    async def send(self, notification: Notification) -> None:
        """Post the notice to the group."""
        from telegram.error import BadRequest, Forbidden, TelegramError  # noqa: PLC0415

        try:
            if not self._ready:
                await self.bot.initialize()
                self._ready = True
            await self.bot.send_message(chat_id=self.chat_id, text=notification.text())
        except (Forbidden, BadRequest) as error:
            raise NotifyError(f"telegram_{type(error).__name__}", permanent=True) from error
        except TelegramError as error:
            raise NotifyError(f"telegram_{type(error).__name__}") from error

    async def close(self) -> None:
        """Close the bot's HTTP client."""
        if self._ready:
            await self.bot.shutdown()


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The webhook signature: ``sha256=`` + hex HMAC-SHA256 of ``timestamp.body``.

    The timestamp is inside the signed bytes so a receiver can refuse replays of an old
    notice (check it is recent, then compare signatures in constant time).
    """
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(
    secret: str, timestamp: str, body: bytes, signature: str, tolerance: float = 300
) -> bool:
    """Check a webhook signature and that the timestamp is recent (for receivers)."""
    try:
        fresh = abs(time.time() - float(timestamp)) <= tolerance
    except ValueError:
        return False
    return fresh and hmac.compare_digest(sign(secret, timestamp, body), signature)


class WebhookNotifier(Notifier):
    """A signed JSON POST to the deployment's own endpoint.

    Args:
        url: Where to post.
        secret: The HMAC key.
        clock: Seconds since the epoch (tests may fix it).
        transport: An httpx transport (tests may replace it).
    """

    name = "webhook"

    def __init__(
        self,
        url: str,
        secret: str,
        clock: Callable[[], float] = time.time,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.url = url
        self.secret = secret
        self.clock = clock
        self.client = httpx.AsyncClient(timeout=TIMEOUT_SECONDS, transport=transport)

    async def send(self, notification: Notification) -> None:
        """Post the signed notice."""
        body = json.dumps(notification.payload(), separators=(",", ":")).encode()
        timestamp = str(int(self.clock()))
        headers = {
            "Content-Type": "application/json",
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: sign(self.secret, timestamp, body),
        }
        try:
            response = await self.client.post(self.url, content=body, headers=headers)
        except httpx.HTTPError as error:
            raise NotifyError(type(error).__name__) from error
        if response.status_code >= 400:
            # 4xx (other than throttling) will not get better by retrying.
            permanent = 400 <= response.status_code < 500 and response.status_code != 429
            raise NotifyError(f"http_{response.status_code}", permanent=permanent)

    async def close(self) -> None:
        """Close the HTTP client."""
        await self.client.aclose()


def _smtp(settings: Settings) -> Notifier | None:
    config = settings.followup
    if not config.smtp_to:
        return None
    return SmtpNotifier(
        config.smtp_host,
        config.smtp_port,
        config.smtp_from,
        config.smtp_to,
        user=config.smtp_user,
        password=config.smtp_password,
        starttls=config.smtp_starttls,
    )


def _telegram(settings: Settings) -> Notifier | None:
    chat = settings.followup.officers_chat_id
    if not (settings.telegram_bot_token and chat):
        return None
    return TelegramNotifier(settings.telegram_bot_token, chat, settings.telegram_api_base)


def _webhook(settings: Settings) -> Notifier | None:
    config = settings.followup
    if not (config.webhook_url and config.webhook_secret):
        return None
    return WebhookNotifier(config.webhook_url, config.webhook_secret)


#: Notifier factories by name; each returns None when its settings are missing.
NOTIFIERS: Final[dict[str, Callable[[Settings], Notifier | None]]] = {
    "smtp": _smtp,
    "telegram": _telegram,
    "webhook": _webhook,
}


def build_notifiers(settings: Settings) -> list[Notifier]:
    """The configured notifiers, in ``TELLSAFE_NOTIFY`` order (escalation order).

    A notifier named but not fully configured is left out with a warning, so a typo
    in one does not silence the others.
    """
    built: list[Notifier] = []
    for name in settings.followup.notify:
        notifier = NOTIFIERS[name](settings)
        if notifier is None:
            logger.warning("notifier %s is named in TELLSAFE_NOTIFY but not configured", name)
            continue
        built.append(notifier)
    return built


def console_base(settings: Settings) -> str:
    """The officer console's base URL, for links in notices."""
    if settings.followup.console_url:
        return settings.followup.console_url
    root = settings.public_url or f"http://{settings.host}:{settings.port}"
    return f"{root}/officer"
