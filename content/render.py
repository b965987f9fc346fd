"""Turn the engine's translatable messages into words in the person's language."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime
from typing import Final
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.lists import format_list

from bot.messages import Lines, OutboundMessage, Param, RenderedMessage, Text
from content.i18n import N_, translations

logger = logging.getLogger(__name__)

PARAGRAPH: Final = "\n\n"
DEFAULT_TIMEZONE: Final = "Europe/London"
#: Formatting locales where the bare language would format like another country:
#: people here read dates the British way.
_FORMAT_LOCALES: Final = {"en": "en_GB", "zh": "zh_Hans", "pa": "pa_Guru"}


def format_locale(language: str) -> str:
    """The Babel locale to format dates, numbers and lists with for ``language``."""
    return _FORMAT_LOCALES.get(language, language)


class _Placeholders(dict[str, str]):
    """Leave an unknown ``{placeholder}`` visible instead of failing the whole message."""

    def __missing__(self, key: str) -> str:
        logger.error("message has a placeholder with no value: %s", key)
        return "{" + key + "}"


def render_text(text: Text, language: str, timezone: str = DEFAULT_TIMEZONE) -> str:
    """Render one translatable text.

    Args:
        text: The message id and parameters.
        language: The language to render in.
        timezone: The person's time zone, for any times in the parameters.

    Returns:
        The text in ``language`` with its parameters filled in.
    """
    catalog = translations(language)
    template = str(
        catalog.pgettext(text.context, text.msgid) if text.context else catalog.gettext(text.msgid)
    )
    values = _Placeholders(
        {name: _render_param(value, language, timezone) for name, value in text.params}
    )
    return template.format_map(values)


def _render_param(value: Param, language: str, timezone: str) -> str:
    if isinstance(value, Text):
        return render_text(value, language, timezone)
    if isinstance(value, tuple):
        parts = [render_text(item, language, timezone) for item in value]
        return format_list(parts, locale=format_locale(language)) if parts else ""
    if isinstance(value, datetime):
        return format_datetime(
            value, "short", tzinfo=ZoneInfo(timezone), locale=format_locale(language)
        )
    if isinstance(value, date):
        return format_date(value, "long", locale=format_locale(language))
    return str(value)


def _render_part(part: Text | Lines, language: str, timezone: str) -> str:
    if isinstance(part, Lines):
        return "\n".join(render_text(item, language, timezone) for item in part.items)
    return render_text(part, language, timezone)


def render(
    message: OutboundMessage, language: str, timezone: str = DEFAULT_TIMEZONE
) -> RenderedMessage:
    """Render an outbound message for one person.

    Args:
        message: What the engine decided to say.
        language: The person's language.
        timezone: The person's time zone.

    Returns:
        The message in words, with its choices labelled.
    """
    body = PARAGRAPH.join(_render_part(part, language, timezone) for part in message.body)
    choices = tuple(
        (choice.code, render_text(choice.label, language, timezone)) for choice in message.choices
    )
    return RenderedMessage(text=body, choices=choices, kind=message.kind)


def numbered_choices_text(message: RenderedMessage, language: str) -> str:
    """Return the message as a text-only channel shows it: options as numbered lines.

    Args:
        message: The rendered message.
        language: The person's language, for the instruction line.

    Returns:
        The body followed by "Reply with a number" and one numbered line per option.
    """
    if not message.choices:
        return message.text
    lines = [f"{number} {label}" for number, (_code, label) in enumerate(message.choices, start=1)]
    instruction = render_text(Text.of(N_("Reply with a number:")), language)
    return message.text + PARAGRAPH + instruction + "\n" + "\n".join(lines)


def choice_labels(message: OutboundMessage, language: str) -> Mapping[str, str]:
    """Return each choice code's label in ``language`` (for matching typed answers)."""
    return {choice.code: render_text(choice.label, language) for choice in message.choices}
