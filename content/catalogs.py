"""Maintaining the gettext catalogs: extract, update, compile (`tellsafe i18n`)."""

from __future__ import annotations

import contextlib
import fcntl
import logging
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

import yaml
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

from content.i18n import (
    DOMAIN,
    EXTRA_KEYWORDS,
    LOCALES_DIR,
    SOURCE_LANGUAGE,
    available_languages,
)

logger = logging.getLogger(__name__)

PROJECT_ROOT: Final = LOCALES_DIR.parent.parent
TEMPLATE: Final = LOCALES_DIR / f"{DOMAIN}.pot"


@contextlib.contextmanager
def locked() -> Iterator[None]:
    """Hold the catalogs' lock, so two maintainers' edits never overwrite each other."""
    with (LOCALES_DIR / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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
            *(f"--keyword={keyword}" for keyword in EXTRA_KEYWORDS),
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


def import_translations(path: Path, locales_dir: Path = LOCALES_DIR) -> int:
    """Write translations from a YAML file into the catalogs.

    The file is a list of entries, each with ``msgid`` (and ``msgid_plural`` and ``context``
    when the message has them) and ``translations``: a mapping from language code to the text,
    or to a list of plural forms. This is how translators' work (and new text arriving with a
    change) enters the catalogs without hand-editing sixteen ``.po`` files.

    Args:
        path: The YAML file.
        locales_dir: The catalogs' directory.

    Returns:
        How many translations were written.

    Raises:
        KeyError: When an entry names a message the catalogs do not have (run extract/update).
    """
    entries: list[Mapping[str, Any]] = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    written = 0
    for po_path in sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        language = po_path.parent.parent.name
        if language == SOURCE_LANGUAGE:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        changed = False
        for entry in entries:
            text = entry["translations"].get(language)
            if text is None:
                continue
            msgid = entry["msgid"]
            key = (msgid, entry["msgid_plural"]) if entry.get("msgid_plural") else msgid
            message = catalog.get(msgid, context=entry.get("context"))
            if message is None:
                raise KeyError(f"{language}: no message {msgid!r}; run `tellsafe i18n` first")
            message.id = key
            message.string = tuple(text) if isinstance(text, list) else text
            message.flags.discard("fuzzy")
            changed = True
            written += 1
        if changed:
            with po_path.open("wb") as handle:
                write_po(handle, catalog, width=0, ignore_obsolete=True)
    return written
