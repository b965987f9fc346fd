"""Translatable texts with more than one wording: Easy Read, plural forms, neutral openers.

The engine speaks in :class:`~bot.messages.Text` values. Some texts carry more: an Easy
Read alternative (a separate message id in the ``easy_read`` gettext context, chosen by
the renderer for people who asked for Easy Read), plural forms chosen by a count
(``ngettext``), or a mark that the text is a neutral greeting a follow-up may open with.
:class:`RichText` is still a ``Text``, so everything that passes texts around keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from bot.messages import Param, Text

#: The reading preferences a person can choose, stored on ``Contact.reading``.
STANDARD: Final = "standard"
EASY_READ: Final = "easy_read"
READINGS: Final = (STANDARD, EASY_READ)
#: The gettext context of every Easy Read message id.
EASY_READ_CONTEXT: Final = EASY_READ


@dataclass(frozen=True)
class RichText(Text):
    """A text with an Easy Read alternative, plural forms, or a neutral mark.

    Attributes:
        plural: The plural message id (``ngettext``), when the text has plural forms.
        count: The number that chooses the plural form (also the ``{count}`` parameter).
        easy: The Easy Read message id (context ``easy_read``), if the text has one. It
            uses the same parameters as the standard text (or fewer).
        neutral: Whether the text says nothing about a report, so a follow-up may start
            with it (what a lock screen shows).
    """

    plural: str | None = None
    count: int = 0
    easy: str | None = None
    neutral: bool = False


def easy(text: Text, easy_msgid: str) -> RichText:
    """Give ``text`` an Easy Read alternative.

    Args:
        text: The standard text.
        easy_msgid: The Easy Read wording, marked ``PN_("easy_read", ...)`` where written.

    Returns:
        The same text, which renders as ``easy_msgid`` for people who chose Easy Read.
    """
    if isinstance(text, RichText):
        return replace(text, easy=easy_msgid)
    return RichText(text.msgid, text.params, text.context, easy=easy_msgid)


def plural(
    forms: tuple[str, str], count: int, context: str | None = None, **params: Param
) -> RichText:
    """A text whose wording depends on ``count`` (one service, three services).

    Args:
        forms: The singular and plural message ids, marked ``NP_(...)`` where written.
        count: The number; it is also available to the text as ``{count}``.
        context: An optional gettext context.
        **params: Other parameters.

    Returns:
        The text, rendered with the plural form the person's language needs for ``count``.
    """
    singular, plural_id = forms
    values = tuple(sorted({**params, "count": count}.items()))
    return RichText(singular, values, context, plural=plural_id, count=count)


def neutral(text: Text) -> RichText:
    """Mark ``text`` as a neutral greeting a follow-up may open with."""
    if isinstance(text, RichText):
        return replace(text, neutral=True)
    return RichText(text.msgid, text.params, text.context, neutral=True)


def shown(text: Text, reading: str | None) -> Text:
    """Return the text a person with this reading preference actually sees.

    For Easy Read readers a text with an Easy Read alternative becomes that alternative
    (so a consent records the exact words shown); everything else is unchanged.

    Args:
        text: The text the engine chose.
        reading: The person's reading preference.

    Returns:
        The Easy Read text (msgid in the ``easy_read`` context) or ``text`` itself.
    """
    if reading == EASY_READ and isinstance(text, RichText) and text.easy:
        return Text(text.easy, text.params, EASY_READ_CONTEXT)
    return text
