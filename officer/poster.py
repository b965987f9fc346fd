"""A reporting centre's printable poster: an A4 SVG with a QR code and an invitation.

The QR code (segno) opens the web chat with the centre's code, so the reports it
brings are credited to the centre. Under it, the invitation in several languages
(from the catalogs: :mod:`content.poster_prompts` and the conversation's safety line),
each marked with its language and direction, so screen readers and browsers get the
script right. Text is wrapped here because SVG does not wrap.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

import segno

from bot.prompts import EMERGENCY
from content import poster_prompts
from content.i18n import available_languages, language_name, translations

if TYPE_CHECKING:
    from officer.centre_models import Centre
    from officer.centres import CentreLinks

SVG_NS: Final = "http://www.w3.org/2000/svg"
#: A4 portrait, in millimetres (the viewBox unit).
WIDTH: Final = 210
HEIGHT: Final = 297
MARGIN: Final = 14
QR_SIZE: Final = 72
QR_TOP: Final = 30
#: Error correction M: survives a scuffed or partly covered print, still a small code.
QR_ERROR: Final = "m"
FONT: Final = "'Noto Sans', 'DejaVu Sans', system-ui, sans-serif"
INK: Final = "#111111"
MUTED: Final = "#444444"
#: Where the language blocks may go, top to bottom.
BLOCKS_TOP: Final = 128
BLOCKS_BOTTOM: Final = 280
#: Languages shown when none are chosen: English and the five main languages after it
#: in England and Wales (2021 Census). A centre picks its own on its page.
DEFAULT_LANGUAGES: Final = ("en", "pl", "ro", "pa", "ur", "pt")
MAX_LANGUAGES: Final = 6
RTL_LANGUAGES: Final = frozenset({"ar", "fa", "ur"})
#: Average glyph width of a proportional font, in ems (wide CJK glyphs are one em).
AVERAGE_EM: Final = 0.54
_WIDE: Final = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
_TOKENS: Final = re.compile(
    r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+|\s+"
)


@dataclass(frozen=True)
class _Style:
    size: float
    weight: str = "normal"
    fill: str = INK


def poster_languages() -> tuple[str, ...]:
    """Every language a poster can be printed in."""
    return available_languages()


def qr_code(url: str) -> segno.QRCode:
    """The QR code of ``url`` as the poster prints it."""
    return segno.make(url, error=QR_ERROR, micro=False)


def _width(text: str, size: float) -> float:
    return sum(
        size if unicodedata.east_asian_width(char) in "WF" else size * AVERAGE_EM for char in text
    )


def wrap(text: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` at font ``size`` (roughly).

    Spaces separate words; Chinese and Japanese break between any two characters.
    """
    lines: list[str] = []
    line = ""
    for token in _TOKENS.findall(text):
        candidate = line + token
        if line.strip() and not token.isspace() and _width(candidate.rstrip(), size) > width:
            lines.append(line.strip())
            line = token
        else:
            line = candidate
    if line.strip():
        lines.append(line.strip())
    return lines


def _block(language: str) -> list[tuple[str, _Style]]:
    catalog = translations(language)
    return [
        (language_name(language), _Style(3.4, "bold", MUTED)),
        (str(catalog.gettext(poster_prompts.HEADLINE)), _Style(5.2, "bold")),
        (
            f"{catalog.gettext(poster_prompts.INVITATION)} {catalog.gettext(poster_prompts.SCAN)}",
            _Style(4.0),
        ),
        (str(catalog.gettext(EMERGENCY.msgid)), _Style(3.4, fill=MUTED)),
    ]


def _layout(
    languages: Sequence[str], scale: float
) -> tuple[float, list[tuple[str, list[tuple[list[str], _Style]]]]]:
    blocks = []
    height = 0.0
    for language in languages:
        parts = []
        for text, style in _block(language):
            sized = _Style(style.size * scale, style.weight, style.fill)
            lines = wrap(text, sized.size, WIDTH - 2 * MARGIN)
            parts.append((lines, sized))
            height += len(lines) * sized.size * 1.3
        blocks.append((language, parts))
        height += 5 * scale
    return height, blocks


def _text(parent: ET.Element, y: float, words: str, style: _Style, **attrs: str) -> None:
    element = ET.SubElement(
        parent,
        "text",
        {
            "x": f"{WIDTH / 2:g}",
            "y": f"{y:.2f}",
            "text-anchor": "middle",
            "font-size": f"{style.size:.2f}",
            "font-weight": style.weight,
            "fill": style.fill,
            **attrs,
        },
    )
    element.text = words


def _qr(parent: ET.Element, url: str) -> None:
    holder = ET.SubElement(
        parent,
        "svg",
        {
            "x": f"{(WIDTH - QR_SIZE) / 2:g}",
            "y": str(QR_TOP),
            "width": str(QR_SIZE),
            "height": str(QR_SIZE),
            "aria-hidden": "true",
        },
    )
    # segno's own SVG (viewBox, no size) fills the holder; quiet zone included.
    drawn = ET.fromstring(qr_code(url).svg_inline(omitsize=True, dark="#000", light="#fff"))  # noqa: S314 - our own segno output
    holder.append(drawn)


def poster_svg(
    centre: Centre,
    links: CentreLinks,
    languages: Sequence[str] = DEFAULT_LANGUAGES,
    *,
    standalone: bool = True,
) -> str:
    """The centre's poster.

    Args:
        centre: The centre.
        links: Its links; the QR code is the web chat link.
        languages: The invitation's languages, at most :data:`MAX_LANGUAGES`.
        standalone: A printable file (A4 size, XML declaration) rather than a picture
            inside a page.

    Returns:
        The SVG document.
    """
    chosen = [lang for lang in dict.fromkeys(languages) if lang in poster_languages()]
    chosen = chosen[:MAX_LANGUAGES] or list(DEFAULT_LANGUAGES)
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {WIDTH} {HEIGHT}",
            "role": "img",
            "aria-labelledby": "poster-title poster-desc",
            "lang": "en",
            "xml:lang": "en",
            "font-family": FONT,
            "class": "poster",
        },
    )
    if standalone:
        root.set("width", f"{WIDTH}mm")
        root.set("height", f"{HEIGHT}mm")
    names = ", ".join(language_name(lang) for lang in chosen)
    ET.SubElement(root, "title", {"id": "poster-title"}).text = f"TellSafe poster for {centre.name}"
    ET.SubElement(root, "desc", {"id": "poster-desc"}).text = (
        f"A QR code that opens the TellSafe web chat at {links.web_chat}, and an invitation "
        f"to report hate crime in {names}."
    )
    ET.SubElement(root, "rect", {"width": str(WIDTH), "height": str(HEIGHT), "fill": "#fff"})
    _text(root, 22, "TellSafe", _Style(12, "bold"))
    _qr(root, links.web_chat)
    y: float = QR_TOP + QR_SIZE + 7
    _text(root, y, links.web_chat, _Style(3.6), **{"font-family": "monospace"})
    for extra in _other_ways(links):
        y += 5.5
        _text(root, y, extra, _Style(3.6), **{"font-family": "monospace"})

    scale = 1.0
    height, blocks = _layout(chosen, scale)
    while height > BLOCKS_BOTTOM - BLOCKS_TOP and scale > 0.55:
        scale *= 0.92
        height, blocks = _layout(chosen, scale)
    y = BLOCKS_TOP + max(0.0, (BLOCKS_BOTTOM - BLOCKS_TOP - height) / 2)
    for language, parts in blocks:
        group = ET.SubElement(root, "g", {"lang": language, "xml:lang": language})
        if language in RTL_LANGUAGES:
            group.set("direction", "rtl")
        for lines, style in parts:
            for line in lines:
                y += style.size * 1.3
                _text(group, y - style.size * 0.3, line, style)
        y += 5 * scale
    _text(root, HEIGHT - 8, f"{centre.name} \u00b7 {centre.area}", _Style(3.4, fill=MUTED))
    body = ET.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body if standalone else body


def _other_ways(links: CentreLinks) -> list[str]:
    ways = []
    if links.telegram:
        ways.append("Telegram: " + links.telegram.removeprefix("https://"))
    if links.sms_number:
        ways.append(f"SMS: {links.sms_keyword} \u2192 {links.sms_number}")
    return ways
