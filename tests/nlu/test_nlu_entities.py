from __future__ import annotations

from datetime import datetime

import pytest

from nlu.embedded import EmbeddedUnderstander
from nlu.entities import find_postcode


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sw1a 1aa", "SW1A 1AA"),
        ("it was near M1 1AE in town", "M1 1AE"),
        ("B338TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("EC1A1BB", "EC1A 1BB"),
        ("GIR 0AA", "GIR 0AA"),
    ],
)
def test_valid_postcodes(text: str, expected: str) -> None:
    assert find_postcode(text) == expected


@pytest.mark.parametrize(
    "text",
    ["QQ1 1AA", "SW1A 1CI", "12345", "hello", "", "AB1", "ZZ9 9ZZ", "XX1 1AA", "V1 1AA"],
)
def test_invalid_postcodes(text: str) -> None:
    assert find_postcode(text) is None


@pytest.mark.parametrize(
    ("language", "text", "platform"),
    [
        ("pl", "pisał obraźliwe komentarze na Facebooku", "facebook"),
        ("pl", "na Instagramie", "instagram"),
        ("pl", "wysyła mi wiadomości na WhatsAppie", "whatsapp"),
        ("uk", "пише мені погрози у фейсбуці", "facebook"),
        ("uk", "у вайбері", "viber"),
        ("lt", "rašė komentarus feisbuke", "facebook"),
        ("ro", "pe facebookul lui", "facebook"),
        ("ar", "يكتب تعليقات عنصرية على الفيسبوك", "facebook"),
        ("ar", "في الواتساب", "whatsapp"),
        ("fa", "توی فیس‌بوک", "facebook"),  # with the zero-width non-joiner people type
        ("fa", "توی فیسبوک", "facebook"),  # without it
        ("fa", "توی فیس بوک", "facebook"),  # or with a space
        ("fa", "تو تلگرام", "telegram"),
        ("ur", "فیس بک پر", "facebook"),
        ("bn", "ফেসবুকে গালি দিয়েছে", "facebook"),
        ("pa", "ਇੰਸਟਾਗ੍ਰਾਮ 'ਤੇ", "instagram"),
        ("zh", "有人在脸书上骂我", "facebook"),  # no spaces around the name
        ("zh", "在Facebook上", "facebook"),
        ("cy", "ar Trydar", "twitter"),
        ("en", "on viber", "viber"),
    ],
)
def test_platforms_in_each_language_as_people_write_them(
    understander: EmbeddedUnderstander, now: datetime, language: str, text: str, platform: str
) -> None:
    assert understander.parse(text, language=language, now=now).platform == platform


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "he snapped at me instantly at the bus stop"),
        ("zh", "他在公交车上骂我"),
        ("pl", "krzyczał na mnie w autobusie"),
    ],
)
def test_no_platform_where_none_is_named(
    understander: EmbeddedUnderstander, now: datetime, language: str, text: str
) -> None:
    assert understander.parse(text, language=language, now=now).platform is None
