"""Reporting centres: registering, links, the poster and its QR code, the CLI."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest
import segno
from sqlalchemy import select

from bot.cli import main
from cases.db import make_engine, session_factory, upgrade
from cases.models import AuditEvent
from content import poster_prompts
from content.i18n import translations
from officer.centre_models import Centre
from officer.centres import CentreError, LinkSettings, add_centre, find_centre, links_for
from officer.poster import DEFAULT_LANGUAGES, poster_svg, qr_code, wrap
from tests.conftest import START, TEST_KEY

NS = "{http://www.w3.org/2000/svg}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
PUBLIC = "https://tellsafe.example.org"


def centre(code: str = "LIB-7", name: str = "Central Library", area: str = "NG1") -> Centre:
    return Centre(code=code, name=name, area=area, created=START)


def test_links_carry_the_code() -> None:
    links = links_for("LIB-7", LinkSettings(PUBLIC + "/", "@TellSafeBot", "+447700900000"))
    assert links.web_chat == f"{PUBLIC}/chat?centre=LIB-7"
    assert links.telegram == "https://t.me/TellSafeBot?start=LIB-7"
    assert links.sms_keyword == "LIB-7"
    assert links.sms_number == "+447700900000"
    bare = links_for("lib_7", LinkSettings(PUBLIC))
    assert bare.telegram is None
    assert bare.sms_keyword == "LIB_7"
    assert bare.sms_number is None


def test_registering_centres(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    sessions = session_factory(engine)
    try:
        with sessions.begin() as session:
            made = add_centre(session, " LIB-7 ", "  Central   Library ", "NG1", START, "admin")
            assert (made.code, made.name) == ("LIB-7", "Central Library")
        for bad in (
            ("lib-7", "Another", "NG1"),  # the same code in another case
            ("LIB 8", "Spaces", "NG1"),
            ("", "No code", "NG1"),
            ("X" * 33, "Too long", "NG1"),
            ("LIB-9", "", "NG1"),
            ("LIB-9", "Library", ""),
            ("LIB-9", "L" * 121, "NG1"),
        ):
            with pytest.raises(CentreError), sessions.begin() as session:
                add_centre(session, *bad, START, "admin")
        with sessions() as session:
            stored = find_centre(session, "LIB-7")
            assert stored is not None
            assert stored.created == START
            assert session.scalars(select(Centre)).all() == [stored]
            actions = session.scalars(select(AuditEvent.action)).all()
            assert actions == ["centre.created"]
    finally:
        engine.dispose()


def test_the_poster_has_a_qr_code_of_the_web_chat_link() -> None:
    links = links_for("LIB-7", LinkSettings(PUBLIC, "TellSafeBot"))
    svg = poster_svg(centre(), links)
    root = ET.fromstring(svg)
    assert root.get("width") == "210mm"
    assert root.get("height") == "297mm"
    assert root.get("role") == "img"
    assert root.find(f"{NS}title").text == "TellSafe poster for Central Library"  # type: ignore[union-attr]
    assert links.web_chat in root.find(f"{NS}desc").text  # type: ignore[union-attr,operator]
    code = qr_code(links.web_chat)
    # 46 bytes need version 4 at level M (33 x 33 modules): small enough to scan from afar.
    # At least level M; segno raises it while the version has room.
    assert code.version == 4
    assert code.error in ("M", "Q", "H")
    assert not code.is_micro
    assert len(code.matrix) == len(code.matrix[0]) == 17 + 4 * 4
    assert segno.make(links.web_chat, error="m").matrix == code.matrix
    # The poster draws exactly segno's picture of that code.
    expected = ET.fromstring(code.svg_inline(omitsize=True, dark="#000", light="#fff"))
    drawn = list(root.iter(f"{NS}path"))
    assert [p.get("d") for p in drawn] == [p.get("d") for p in expected.iter("path")]
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert links.web_chat in texts
    assert "Telegram: t.me/TellSafeBot?start=LIB-7" in texts


def test_the_poster_invites_in_several_languages() -> None:
    links = links_for("LIB-7", LinkSettings(PUBLIC))
    root = ET.fromstring(poster_svg(centre(), links, ("en", "ar", "zh", "pl")))
    groups = {g.get("lang"): g for g in root.iter(f"{NS}g") if g.get("lang")}
    assert list(groups) == ["en", "ar", "zh", "pl"]
    assert all(g.get(XML_LANG) == lang for lang, g in groups.items())
    assert groups["ar"].get("direction") == "rtl"
    assert groups["en"].get("direction") is None
    for language, group in groups.items():
        words = " ".join(t.text or "" for t in group.iter(f"{NS}text"))
        headline = translations(language).gettext(poster_prompts.HEADLINE)
        assert headline in words
        if language != "en":
            assert headline != poster_prompts.HEADLINE  # really translated
    svg = poster_svg(centre(), links, ("xx", "en"))
    assert 'lang="xx"' not in svg
    default = ET.fromstring(poster_svg(centre(), links))
    shown = [g.get("lang") for g in default.iter(f"{NS}g") if g.get("lang")]
    assert tuple(shown) == DEFAULT_LANGUAGES


def test_the_poster_fits_the_page_and_escapes_names() -> None:
    links = links_for("LIB-7", LinkSettings(PUBLIC))
    svg = poster_svg(centre(name="<b>Café & Co</b>"), links, ("en", "uk", "bn", "fa", "so", "pt"))
    assert "<b>" not in svg
    assert "&lt;b&gt;Café &amp; Co&lt;/b&gt;" in svg
    root = ET.fromstring(svg)
    for text in root.iter(f"{NS}text"):
        assert 0 < float(text.get("y", "0")) <= 297


def test_wrapping() -> None:
    lines = wrap("one two three four five six seven", 4.0, 30.0)
    assert len(lines) > 1
    assert " ".join(lines) == "one two three four five six seven"
    chinese = wrap("用您自己的语言与聊天免费保密您也可以匿名", 4.0, 20.0)
    assert len(chinese) == 4
    assert "".join(chinese) == "用您自己的语言与聊天免费保密您也可以匿名"


def test_cli_registers_a_centre(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setenv("TELLSAFE_KEYS", TEST_KEY.decode())
    monkeypatch.setenv("TELLSAFE_PUBLIC_URL", PUBLIC)
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    args = ["centre", "add", "--db", url, "--code", "MOS-2", "--name", "Mosque", "--area", "NG7"]
    assert main(args) == 0
    assert f"{PUBLIC}/chat?centre=MOS-2" in capsys.readouterr().out
    assert main(args) == 2
    assert "already registered" in capsys.readouterr().err
    engine = make_engine(url)
    with session_factory(engine)() as session:
        stored = find_centre(session, "MOS-2")
        assert stored is not None
        assert stored.area == "NG7"
        assert isinstance(stored.created, datetime)
    engine.dispose()
