"""`tellsafe i18n --import`: translators' YAML into the catalogs, without hand-editing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from content.catalogs import import_translations
from content.i18n import LOCALES_DIR


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    copy = tmp_path / "locales"
    for language in ("en", "fr", "pl"):
        source = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
        if source.exists():
            target = copy / language / "LC_MESSAGES" / "messages.po"
            target.parent.mkdir(parents=True)
            shutil.copy(source, target)
    return copy


def catalog(locales: Path, language: str) -> Catalog:
    with (locales / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def test_translations_land_in_each_language_and_clear_fuzzy(locales: Path, tmp_path: Path) -> None:
    entry = {
        "msgid": "Send",
        "translations": {"fr": "Envoyer maintenant", "pl": "Wyślij teraz"},
    }
    before = catalog(locales, "fr").get("Quick exit")
    assert before is not None
    path = tmp_path / "t.yml"
    path.write_text(yaml.safe_dump([entry], allow_unicode=True), encoding="utf-8")
    assert import_translations(path, locales) == 2
    french = catalog(locales, "fr").get("Send")
    polish = catalog(locales, "pl").get("Send")
    assert french is not None
    assert polish is not None
    assert french.string == "Envoyer maintenant"
    assert polish.string == "Wyślij teraz"
    assert "fuzzy" not in french.flags
    # Other entries are untouched.
    other = catalog(locales, "fr").get("Quick exit")
    assert other is not None
    assert other.string == before.string


def test_an_unknown_message_is_refused(locales: Path, tmp_path: Path) -> None:
    path = tmp_path / "t.yml"
    path.write_text(
        yaml.safe_dump([{"msgid": "No such message here", "translations": {"fr": "x"}}]),
        encoding="utf-8",
    )
    with pytest.raises(KeyError, match="tellsafe i18n"):
        import_translations(path, locales)
