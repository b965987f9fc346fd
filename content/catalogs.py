"""Maintaining the gettext catalogs: extract, update, compile (`tellsafe i18n`)."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Final

from babel.messages.frontend import CommandLineInterface

from content.i18n import DOMAIN, LOCALES_DIR, SOURCE_LANGUAGE, available_languages

logger = logging.getLogger(__name__)

PROJECT_ROOT: Final = LOCALES_DIR.parent.parent
TEMPLATE: Final = LOCALES_DIR / f"{DOMAIN}.pot"


def _pybabel(*args: str) -> None:
    # Babel's command line is untyped; it is the documented way to run its extract/update.
    CommandLineInterface().run(["pybabel", "-q", *args])  # type: ignore[no-untyped-call]


def extract(output: Path = TEMPLATE) -> Path:
    """Extract every marked message from the source into the template (or ``output``)."""
    # Run from the project root so the catalogs name source files by relative path.
    with contextlib.chdir(PROJECT_ROOT):
        _pybabel(
            "extract",
            "-F",
            "babel.cfg",
            "-o",
            str(output),
            "--sort-by-file",
            "--no-wrap",
            "--project=TellSafe",
            "--copyright-holder=TellSafe",
            "--add-comments=Translators:",
            ".",
        )
    return output


def update() -> None:
    """Merge the template into every language's catalog (new text arrives untranslated)."""
    for language in available_languages():
        if language == SOURCE_LANGUAGE:
            continue
        _pybabel(
            "update",
            "-i",
            str(TEMPLATE),
            "-d",
            str(LOCALES_DIR),
            "-D",
            DOMAIN,
            "-l",
            language,
            "--no-wrap",
            "--ignore-obsolete",
        )


def add(language: str) -> None:
    """Start a catalog for a new language from the template."""
    _pybabel(
        "init",
        "-i",
        str(TEMPLATE),
        "-d",
        str(LOCALES_DIR),
        "-D",
        DOMAIN,
        "-l",
        language,
        "--no-wrap",
    )


def compile_all() -> None:
    """Compile every catalog to ``.mo`` (refusing fuzzy entries)."""
    if len(available_languages()) > 1:
        _pybabel("compile", "-d", str(LOCALES_DIR), "-D", DOMAIN, "--statistics")
