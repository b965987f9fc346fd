"""Safe hours named on the clock (bot.safe_window)."""

from __future__ import annotations

import pytest

from bot.safe_window import shown, window_named


@pytest.mark.parametrize(
    ("language", "text", "window"),
    [
        ("en", "after 6pm", (18 * 60, 21 * 60)),
        ("en", "after 6", (18 * 60, 21 * 60)),  # no check-in goes at six in the morning
        ("en", "any time after 11am", (11 * 60, 21 * 60)),
        ("en", "until 2.30pm", (9 * 60, 14 * 60 + 30)),
        ("en", "2-4pm", (14 * 60, 16 * 60)),
        ("en", "9-5", (9 * 60, 17 * 60)),
        ("en", "at 6pm", (18 * 60, 19 * 60)),  # one time alone: the hour from it
        ("en", "18:00", (18 * 60, 19 * 60)),
        ("en", "between 7am and 10", (9 * 60, 10 * 60)),  # only within our hours
        ("fr", "après 18h", (18 * 60, 21 * 60)),
        ("pl", "od 10 do 14", (10 * 60, 14 * 60)),
        ("bn", "৬টার পরে", (18 * 60, 21 * 60)),  # any script's digits
        # no time chosen
        ("en", "evenings", None),
        ("en", "5", None),  # a bare small number may be a mistyped option
        ("en", "after 10pm", None),  # no check-in goes then
        ("en", "any time except 6 to 8", None),  # a time ruled out
        ("en", "12am", None),
        ("en", "25:00", None),
    ],
)
def test_the_window_named(language: str, text: str, window: tuple[int, int] | None) -> None:
    assert window_named(text, language) == window


def test_a_minute_is_shown_on_the_24_hour_clock() -> None:
    assert shown(9 * 60 + 5) == "09:05"
