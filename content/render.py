"""Turn the engine's translatable messages into words in the person's language."""

from __future__ import annotations

import logging
import string
from collections.abc import Mapping
from datetime import date, datetime
from typing import Final
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.lists import format_list

from bot.messages import FOLLOWUP, Lines, OutboundMessage, Param, RenderedMessage, Text
from content import bidi
from content.i18n import N_, translations
from content.texts import STANDARD, RichText, neutral, shown

logger = logging.getLogger(__name__)

PARAGRAPH: Final = "\n\n"
DEFAULT_TIMEZONE: Final = "Europe/London"
#: What a follow-up opens with when its first paragraph is not already a neutral
#: greeting: a lock screen shows the first line, and it must not reveal the report.
NEUTRAL_GREETING: Final = neutral(Text.of(N_("Hello.")))
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


def render_text(
    text: Text,
    language: str,
    timezone: str = DEFAULT_TIMEZONE,
    *,
    reading: str = STANDARD,
    marks: str = bidi.NONE,
) -> str:
    """Render one translatable text.

    Args:
        text: The message id and parameters.
        language: The language to render in.
        timezone: The person's time zone, for any times in the parameters.
        reading: The person's reading preference: Easy Read texts replace standard ones
            that have an Easy Read alternative.
        marks: How to mark left-to-right runs in right-to-left text (``content.bidi``);
            none by default, so option labels compare as plain text.

    Returns:
        The text in ``language`` with its parameters filled in.
    """
    template = _template(shown(text, reading), language)
    values = _Placeholders(
        {
            name: _render_param(value, language, timezone, reading, marks)
            for name, value in text.params
        }
    )
    if marks == bidi.NONE:
        return template.format_map(values)
    # Mark the translated words' own left-to-right runs (999, report-it.org.uk), but
    # not inside the values, which are marked as whole units.
    pieces = []
    for literal, field, spec, conversion in string.Formatter().parse(template):
        pieces.append(bidi.mark_runs(literal, marks))
        if field is not None:
            value = values[field]
            if conversion:
                value = {"r": repr, "a": ascii}.get(conversion, str)(value)
            pieces.append(format(value, spec or ""))
    return "".join(pieces)


def _template(text: Text, language: str) -> str:
    """The translated wording of ``text``: its context, plural form and all."""
    catalog = translations(language)
    if isinstance(text, RichText) and text.plural:
        if text.context:
            return str(catalog.npgettext(text.context, text.msgid, text.plural, text.count))
        return str(catalog.ngettext(text.msgid, text.plural, text.count))
    if text.context:
        return str(catalog.pgettext(text.context, text.msgid))
    return str(catalog.gettext(text.msgid))


def _render_param(value: Param, language: str, timezone: str, reading: str, marks: str) -> str:
    if isinstance(value, Text):
        return render_text(value, language, timezone, reading=reading, marks=marks)
    if isinstance(value, tuple):
        parts = [
            render_text(item, language, timezone, reading=reading, marks=marks) for item in value
        ]
        return format_list(parts, locale=format_locale(language)) if parts else ""
    if isinstance(value, datetime):
        # CLDR's patterns already carry the marks right-to-left locales need (Arabic
        # dates have RLMs between their parts), so dates are left as Babel gives them.
        return format_datetime(
            value, "short", tzinfo=ZoneInfo(timezone), locale=format_locale(language)
        )
    if isinstance(value, date):
        return format_date(value, "long", locale=format_locale(language))
    return bidi.isolate_value(str(value), marks)


def _render_part(part: Text | Lines, language: str, timezone: str, reading: str, marks: str) -> str:
    if isinstance(part, Lines):
        return "\n".join(
            render_text(item, language, timezone, reading=reading, marks=marks)
            for item in part.items
        )
    return render_text(part, language, timezone, reading=reading, marks=marks)


def opens_neutrally(message: OutboundMessage) -> bool:
    """Whether the message's first paragraph is a neutral greeting."""
    first = message.body[0] if message.body else None
    return isinstance(first, RichText) and first.neutral


def render(
    message: OutboundMessage,
    language: str,
    timezone: str = DEFAULT_TIMEZONE,
    *,
    reading: str = STANDARD,
    channel: str | None = None,
) -> RenderedMessage:
    """Render an outbound message for one person.

    A follow-up (a message the person did not just ask for) always opens with a neutral
    greeting, whatever its author put first: the person's safe-contact rule.

    Args:
        message: What the engine decided to say.
        language: The person's language.
        timezone: The person's time zone.
        reading: The person's reading preference (``standard`` or ``easy_read``).
        channel: The channel it goes out on (``sms`` marks right-to-left text more
            cheaply than the isolates used elsewhere; see ``content.bidi``).

    Returns:
        The message in words, with its choices labelled.
    """
    marks = bidi.mode(language, channel)
    body: tuple[Text | Lines, ...] = message.body
    if message.kind == FOLLOWUP and not opens_neutrally(message):
        body = (NEUTRAL_GREETING, *body)
    text = PARAGRAPH.join(_render_part(part, language, timezone, reading, marks) for part in body)
    choices = tuple(
        (choice.code, render_text(choice.label, language, timezone)) for choice in message.choices
    )
    return RenderedMessage(text=text, choices=choices, kind=message.kind, multiple=message.multiple)


def numbered_choices_text(message: RenderedMessage, language: str) -> str:
    """Return the message as a text-only channel shows it: options as numbered lines.

    Args:
        message: The rendered message.
        language: The person's language, for the instruction line.

    Returns:
        The body followed by "Reply with a number" (or, where several options may be
        chosen, "Reply with one or more numbers") and one numbered line per option.
    """
    if not message.choices:
        return message.text
    lines = [f"{number} {label}" for number, (_code, label) in enumerate(message.choices, start=1)]
    # A question where several options may be chosen says so: "Reply with a number" under
    # "you can choose more than one" told the person to pick one.
    footer = N_("Reply with a number:")
    if message.multiple:
        footer = N_("Reply with one or more numbers:")
    instruction = render_text(Text.of(footer), language)
    return message.text + PARAGRAPH + instruction + "\n" + "\n".join(lines)


def choice_labels(message: OutboundMessage, language: str) -> Mapping[str, str]:
    """Return each choice code's label in ``language`` (for matching typed answers)."""
    return {choice.code: render_text(choice.label, language) for choice in message.choices}
