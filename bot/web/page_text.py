"""The web chat page's own words (labels, hints, status lines) in the visitor's language.

The page is shown in the conversation's language once it is known; before that, in the
language the visitor asked for (``?lang=``) or the best match for their browser's
``Accept-Language``. The page's script gets the same words through the messages API when
the conversation's language settles, so the page switches without a reload.
"""

from __future__ import annotations

from typing import Final

from babel import Locale, UnknownLocaleError, negotiate_locale

from content.i18n import N_, SOURCE_LANGUAGE, available_languages, translations

#: Keys the template and the script use, and the source text of each.
PAGE_TEXT: Final = {
    "title": N_("TellSafe chat"),
    "quick_exit": N_("Quick exit"),
    "exit_hint": N_("Leaves this page at once and clears this chat."),
    "intro": N_(
        "A private chat to report a hate crime or hate incident. "
        "If you are in danger now, call 999."
    ),
    "conversation": N_("Conversation"),
    "bot_said": N_("TellSafe said:"),
    "you_said": N_("You said:"),
    "choose": N_("Choose an answer, or write your own below"),
    "your_message": N_("Your message"),
    "send": N_("Send"),
    "start_hint": N_("Say hello to start. You can write in your own language."),
    "empty": N_("Please write a message first."),
    "sending": N_("Sending..."),
    "not_sent": N_("Your message could not be sent. Please try again."),
}


def page_text(language: str) -> dict[str, str]:
    """Return the page's words in ``language``."""
    gettext = translations(language).gettext
    return {key: gettext(text) for key, text in PAGE_TEXT.items()}


def direction(language: str) -> str:
    """Return ``rtl`` or ``ltr``: the direction of the language's script."""
    try:
        order = Locale.parse(language).character_order
    except (UnknownLocaleError, ValueError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


def choose_language(asked: str | None, accept_language: str | None) -> str:
    """Pick the page language before the conversation has one.

    Args:
        asked: The ``lang`` query parameter, if any.
        accept_language: The browser's ``Accept-Language`` header, if any.

    Returns:
        A language with a catalog; the source language when nothing matches.
    """
    offered = available_languages()
    if asked in offered:
        return asked
    preferred = [
        part.split(";", 1)[0].strip().replace("-", "_")
        for part in (accept_language or "").split(",")
        if part.strip()
    ]
    # Match "pl-PL" to "pl" as well as exact codes.
    candidates = [code for tag in preferred for code in (tag, tag.split("_", 1)[0])]
    return negotiate_locale(candidates, offered) or SOURCE_LANGUAGE
