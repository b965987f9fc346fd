"""Gettext catalogs, loaded per language with Babel.

Catalogs live in ``content/locales/<lang>/LC_MESSAGES/messages.po``. The build compiles
them to ``.mo``; when a ``.mo`` is missing or older than its ``.po`` (a fresh clone, an
edited catalog) the ``.po`` is compiled in memory instead, so the product never runs
on stale text and never falls back to English silently for a language it offers.
"""

from __future__ import annotations

import io
import logging
from functools import cache
from pathlib import Path
from typing import Final

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

logger = logging.getLogger(__name__)

LOCALES_DIR: Final = Path(__file__).with_name("locales")
DOMAIN: Final = "messages"
SOURCE_LANGUAGE: Final = "en"


def N_(msgid: str) -> str:  # noqa: N802 - the gettext convention extractors look for
    """Mark ``msgid`` for extraction without translating it now."""
    return msgid


def PN_(context: str, msgid: str) -> str:  # noqa: N802 - a marker like N_
    """Mark ``msgid`` for extraction in a gettext ``context`` (``pgettext``) and return it.

    The context must be a string literal at the call site, so the extractor can read it.
    """
    return msgid


def NP_(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - a marker like N_
    """Mark a message with plural forms (``ngettext``) for extraction and return both ids."""
    return singular, plural


#: Extraction keywords for the markers above (Babel's defaults already cover ``N_``).
EXTRA_KEYWORDS: Final = ("PN_:1c,2", "NP_:1,2")


def available_languages() -> tuple[str, ...]:
    """Return the languages that have a catalog, the source language first."""
    found = sorted(
        path.parent.parent.name
        for path in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po")
        if path.parent.parent.name != SOURCE_LANGUAGE
    )
    return (SOURCE_LANGUAGE, *found)


@cache
def translations(language: str) -> NullTranslations:
    """Return the gettext translations for ``language``.

    Args:
        language: A language code with a catalog, or the source language.

    Returns:
        The translations; the source language gets its catalog when one exists
        (so wording fixes in English need no code change), else the identity.
    """
    po_path = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and (
        not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    ):
        with mo_path.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    if not po_path.exists():
        if language != SOURCE_LANGUAGE:
            raise LookupError(f"no catalog for language {language!r}")
        return NullTranslations()
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    logger.info("compiled catalog %s in memory", language)
    return Translations(buffer, domain=DOMAIN)


def language_name(language: str) -> str:
    """Return the language's name in that language, as a language menu shows it."""
    name = Locale.parse(language).get_display_name(language) or language
    return name[:1].upper() + name[1:]
