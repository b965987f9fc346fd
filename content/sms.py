"""SMS encoding and segment rules (GSM 03.38 / 3GPP TS 23.038).

An SMS is sent in the GSM 7-bit default alphabet when every character fits it, and
otherwise in UCS-2 (UTF-16), which more than halves what one segment holds. A long
text travels as several concatenated segments, each losing room to the concatenation
header, and every segment is billed. One stray curly quote or non-breaking space in a
catalog is enough to turn a whole message into UCS-2, so the renderer and the catalog
tests measure text with these rules.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Final

GSM7: Final = "GSM-7"
UCS2: Final = "UCS-2"

#: The GSM 03.38 default alphabet (one septet each). The escape code 0x1B is left out:
#: it is not a character of its own but the prefix of the extension table.
GSM7_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅå"
    "Δ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)

#: The GSM 03.38 extension table: each is sent as ESC + code, so counts two septets.
GSM7_EXTENSION: Final = frozenset("\f^{}\\[~]|€")

#: Septets in a single GSM-7 message, and per part of a concatenated one.
GSM7_SINGLE: Final = 160
GSM7_PART: Final = 153
#: UTF-16 code units in a single UCS-2 message, and per part of a concatenated one.
UCS2_SINGLE: Final = 70
UCS2_PART: Final = 67

#: The most segments any one rendered outbound message may take on SMS. Past this,
#: some handsets and carriers drop or garble concatenated messages, and cost adds up.
SEGMENT_BUDGET: Final = 10

#: The most segments one part produced by :func:`split` may take.
MAX_SEGMENTS_PER_MESSAGE: Final = 4

#: Look-alikes that force UCS-2 for no reason, and their GSM-7 stand-ins.
_GSM_LOOKALIKES: Final = {
    "\u2018": "'",  # left single quotation mark
    "\u2019": "'",  # right single quotation mark (and typographic apostrophe)
    "\u201a": "'",  # single low-9 quotation mark
    "\u201b": "'",  # single high-reversed-9 quotation mark
    "\u2032": "'",  # prime
    "\u201c": '"',  # left double quotation mark
    "\u201d": '"',  # right double quotation mark
    "\u201e": '"',  # double low-9 quotation mark
    "\u201f": '"',  # double high-reversed-9 quotation mark
    "\u2033": '"',  # double prime
    "\u00a0": " ",  # no-break space
    "\u202f": " ",  # narrow no-break space
    "\u2007": " ",  # figure space
    "\u2009": " ",  # thin space
    "\u200a": " ",  # hair space
    "\u2010": "-",  # hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2012": "-",  # figure dash
    "\u2013": "-",  # en dash
    "\u2014": "-",  # em dash
    "\u2015": "-",  # horizontal bar
    "\u2212": "-",  # minus sign
    "\u2026": "...",  # horizontal ellipsis
    "\u2022": "-",  # bullet
    "\u00ad": "",  # soft hyphen: invisible, yet it would force UCS-2
}
_GSM_TRANSLATION: Final = str.maketrans(_GSM_LOOKALIKES)

#: Where to split, most preferred first: paragraphs, lines, sentences, words.
_BOUNDARIES: Final = (
    re.compile(r"\n\s*\n"),
    re.compile(r"\n"),
    # After sentence punctuation and its spaces; scripts such as Chinese put no space.
    re.compile(r"(?<=[.!?])\s+|(?<=[。！？؟।۔])\s*"),
    re.compile(r"\s+"),
)


def is_gsm7(text: str) -> bool:
    """Return whether every character of ``text`` fits the GSM 7-bit alphabet."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def encoding(text: str) -> str:
    """Return the encoding an SMS carrying ``text`` is sent in.

    Args:
        text: The message text.

    Returns:
        ``"GSM-7"`` when every character fits the GSM 03.38 alphabet or its
        extension table, else ``"UCS-2"``.
    """
    return GSM7 if is_gsm7(text) else UCS2


def _unit_sizes(text: str) -> tuple[list[int], int, int]:
    """Each character's size in its encoding's units, with the single and part limits."""
    if is_gsm7(text):
        sizes = [2 if char in GSM7_EXTENSION else 1 for char in text]
        return sizes, GSM7_SINGLE, GSM7_PART
    # Characters outside the Basic Multilingual Plane (most emoji) are a surrogate pair.
    sizes = [2 if ord(char) > 0xFFFF else 1 for char in text]
    return sizes, UCS2_SINGLE, UCS2_PART


def segments(text: str) -> int:
    """Return how many SMS segments ``text`` takes.

    A GSM-7 message holds 160 septets alone or 153 per part when concatenated; an
    extension character takes two septets. A UCS-2 message holds 70 UTF-16 code units
    alone or 67 per part; a character outside the BMP takes two. Neither an escape
    sequence nor a surrogate pair is ever split across parts, so a part can hold a
    unit less than its limit.

    Args:
        text: The message text.

    Returns:
        The number of segments; 0 for empty text.
    """
    if not text:
        return 0
    sizes, single, part = _unit_sizes(text)
    if sum(sizes) <= single:
        return 1
    count, used = 1, 0
    for size in sizes:
        if used + size > part:
            count, used = count + 1, 0
        used += size
    return count


def sanitize_for_gsm(text: str) -> str:
    """Replace typographic look-alikes that would needlessly force UCS-2.

    Curly quotes, no-break and narrow spaces, dashes, the ellipsis character and bullets
    become their plain GSM-7 equivalents. Real letters outside GSM-7 (Polish, Arabic,
    Welsh circumflexes and so on) are left alone: changing them would change the words.

    Args:
        text: The message text.

    Returns:
        The text with look-alikes replaced.
    """
    return text.translate(_GSM_TRANSLATION)


def split(text: str, max_chars_per_part: int | None = None) -> list[str]:
    """Split a long text into separate messages at sensible boundaries.

    Each part takes at most :data:`MAX_SEGMENTS_PER_MESSAGE` segments (and, when given,
    at most ``max_chars_per_part`` characters). Splits fall between paragraphs where
    possible, then between lines, then sentences, then words; only a single word too
    long for a part is cut, and never inside a character with its combining marks.

    Args:
        text: The message text.
        max_chars_per_part: An optional extra limit on each part's length.

    Returns:
        The parts in order, without leading or trailing whitespace; an empty list for
        blank text.

    Raises:
        ValueError: If ``max_chars_per_part`` is less than 1.
    """
    if max_chars_per_part is not None and max_chars_per_part < 1:
        raise ValueError("max_chars_per_part must be at least 1")

    def fits(part: str) -> bool:
        if max_chars_per_part is not None and len(part) > max_chars_per_part:
            return False
        return segments(part) <= MAX_SEGMENTS_PER_MESSAGE

    stripped = text.strip()
    if not stripped:
        return []
    return [part for part in _pack(stripped, 0, fits) if part]


def _pieces(text: str, boundary: re.Pattern[str]) -> Iterator[str]:
    """Cut ``text`` after each boundary, keeping the separator with the piece before it."""
    start = 0
    for match in boundary.finditer(text):
        if match.end() > start and match.start() > start:
            yield text[start : match.end()]
            start = match.end()
    if start < len(text):
        yield text[start:]


def _pack(text: str, level: int, fits: Callable[[str], bool]) -> list[str]:
    """Greedily join pieces at ``level`` into parts that fit, going finer when needed."""
    if fits(text):
        return [text]
    if level == len(_BOUNDARIES):
        return _cut(text, fits)
    parts: list[str] = []
    current = ""
    for piece in _pieces(text, _BOUNDARIES[level]):
        if fits((current + piece).rstrip()):
            current += piece
            continue
        if current:
            parts.append(current.rstrip())
        if fits(piece.rstrip()):
            current = piece
        else:
            parts.extend(_pack(piece.rstrip(), level + 1, fits))
            current = ""
    if current.strip():
        parts.append(current.rstrip())
    return parts


def _cut(text: str, fits: Callable[[str], bool]) -> list[str]:
    """Cut one over-long word, keeping each base character with its combining marks."""
    clusters: list[str] = []
    for char in text:
        if clusters and unicodedata.combining(char):
            clusters[-1] += char
        else:
            clusters.append(char)
    parts: list[str] = []
    current = ""
    for cluster in clusters:
        if current and not fits(current + cluster):
            parts.append(current)
            current = ""
        current += cluster
    if current:
        parts.append(current)
    return parts
