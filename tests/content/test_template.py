"""The committed template holds exactly the text the source code marks for translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

from content.catalogs import TEMPLATE, extract


def _ids(path: Path) -> set[str]:
    with path.open("rb") as handle:
        return {str(message.id) for message in read_po(handle) if message.id}


def test_template_is_up_to_date_with_the_source(tmp_path: Path) -> None:
    fresh = _ids(extract(tmp_path / "fresh.pot"))
    committed = _ids(TEMPLATE)
    assert fresh - committed == set(), "new text: run `tellsafe i18n` and translate it"
    assert committed - fresh == set(), "removed text: run `tellsafe i18n`"
