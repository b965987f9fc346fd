"""Channel adapters, registered by name.

Each channel module is the only code that talks to its provider. A channel is built only
when its settings are present, so ``tellsafe serve`` with no tokens serves the web chat
alone. Adding a channel: see CONTRIBUTING.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.channels.base import Channel
from bot.config import Settings

logger = logging.getLogger(__name__)


def quiet_http_logs() -> None:
    """Keep HTTP clients' request lines out of the logs: Bot API URLs carry the bot token."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Seams:
    """Things a deployment or a test may hand to channels instead of the defaults.

    Attributes:
        twilio_http: A ``twilio.http.AsyncHttpClient`` for the Twilio REST calls.
    """

    twilio_http: Any = None


#: A factory builds the channel from settings, or returns None when not configured.
Factory = Callable[[Settings, Seams], Channel | None]
REGISTRY: dict[str, Factory] = {}


def register(name: str) -> Callable[[Factory], Factory]:
    """Register a channel factory under ``name``."""

    def decorate(factory: Factory) -> Factory:
        REGISTRY[name] = factory
        return factory

    return decorate


@register("web")
def _web(settings: Settings, seams: Seams) -> Channel | None:
    from bot.channels.web import WebChannel  # noqa: PLC0415 - see build_channels

    return WebChannel()


@register("sms")
def _sms(settings: Settings, seams: Seams) -> Channel | None:
    if not (settings.twilio_account_sid and settings.twilio_auth_token):
        return None
    if not (settings.twilio_messaging_service_sid or settings.twilio_from_number):
        return None
    from bot.channels.twilio_sms import SmsChannel  # noqa: PLC0415 - see build_channels

    if not settings.public_url:
        # Signatures cover the URL Twilio called: without it every webhook is refused.
        logger.warning("SMS sends, but refuses webhooks until TELLSAFE_PUBLIC_URL is set")
    return SmsChannel.from_settings(settings, seams.twilio_http)


@register("telegram")
def _telegram(settings: Settings, seams: Seams) -> Channel | None:
    if not settings.telegram_bot_token:
        return None
    from bot.channels.telegram import TelegramChannel  # noqa: PLC0415 - see build_channels

    return TelegramChannel(
        settings.telegram_bot_token,
        settings.telegram_webhook_secret,
        settings.telegram_api_base,
        settings.public_url,
    )


def build_channels(settings: Settings, seams: Seams | None = None) -> dict[str, Channel]:
    """Build every configured channel.

    Provider libraries are imported inside the factories, so a deployment loads only
    the clients of the channels it configures.

    Args:
        settings: The configuration.
        seams: Replacement clients (tests, benches).

    Returns:
        The channels, by name.
    """
    built: dict[str, Channel] = {}
    for name, factory in REGISTRY.items():
        channel = factory(settings, seams or Seams())
        if channel is not None:
            built[name] = channel
    return built
