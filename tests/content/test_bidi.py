"""Left-to-right pieces (numbers, links, references, names) in Arabic, Urdu and Persian."""

from __future__ import annotations

import pytest

from bot import prompts
from bot.messages import OutboundMessage, Text
from content import bidi, sms
from content.next_steps import POLICE_LATER
from content.render import render, render_text
from content.services import get_service

RTL = ("ar", "ur", "fa")
FSI, PDI, LRM = bidi.FSI, bidi.PDI, bidi.LRM


def balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += char == FSI
        depth -= char == PDI
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("language", ["ar", "ur", "fa", "he"])
def test_right_to_left_languages_come_from_babel(language: str) -> None:
    assert bidi.is_rtl(language)


@pytest.mark.parametrize("language", ["en", "pl", "zh", "pa", "bn"])
def test_left_to_right_languages_are_untouched(language: str) -> None:
    message = OutboundMessage(body=(POLICE_LATER,))
    for channel in ("web", "telegram", "sms"):
        text = render(message, language, channel=channel).text
        assert not {FSI, PDI, LRM} & set(text)


def test_runs_are_found_whole() -> None:
    text = "اتصل 0800 138 1625 أو report-it.org.uk (True Vision) TS-7KQ4-M9XD."
    runs = [text[start:end] for start, end in bidi.ltr_runs(text)]
    assert runs == ["0800 138 1625", "report-it.org.uk", "True Vision", "TS-7KQ4-M9XD"]


@pytest.mark.parametrize("language", RTL)
def test_a_plus_sign_ending_a_word_stays_with_it(language: str) -> None:
    # The isolate held "LGBT" and left "+" outside, where it showed as "+LGBT".
    text = "حمایت از افراد LGBT+ که"
    assert [text[start:end] for start, end in bidi.ltr_runs(text)] == ["LGBT+"]
    galop = Text.of(get_service("galop").description)
    assert f"{FSI}LGBT+{PDI}" in render_text(galop, language, marks=bidi.ISOLATE)


@pytest.mark.parametrize("language", RTL)
@pytest.mark.parametrize("channel", ["web", "telegram"])
def test_rich_channels_isolate_numbers_links_and_references(language: str, channel: str) -> None:
    closing = prompts.closing("TS-7KQ4-M9XD", [])
    text = render(closing, language, channel=channel).text
    assert f"{FSI}TS-7KQ4-M9XD{PDI}" in text
    later = render(OutboundMessage(body=(POLICE_LATER,)), language, channel=channel).text
    assert f"{FSI}0800 138 1625{PDI}" in later
    assert f"{FSI}report-it.org.uk{PDI}" in later
    assert f"{FSI}101{PDI}" in later
    assert f"{FSI}Stop Hate UK{PDI}" in later
    assert balanced(text)
    assert balanced(later)
    # Only controls were added: the words are exactly the catalog's.
    assert bidi.strip_controls(later) == render_text(POLICE_LATER, language)


@pytest.mark.parametrize("language", RTL)
def test_a_value_is_isolated_as_one_unit(language: str) -> None:
    text = Text.of(
        "Where: {value}", value="Victoria Bus Station, Stand 12"
    )  # an untranslated msgid: the template is left as is
    rendered = render(OutboundMessage(body=(text,)), language, channel="web").text
    assert f"{FSI}Victoria Bus Station, Stand 12{PDI}" in rendered
    service = get_service("stop_hate_uk")
    referral = render(prompts.referral(service), language, channel="web").text
    assert f"{FSI}Stop Hate UK{PDI}" in referral


@pytest.mark.parametrize("language", RTL)
def test_sms_marks_only_numbers_that_would_reverse_and_costs_little(language: str) -> None:
    message = OutboundMessage(body=(POLICE_LATER,))
    text = render(message, language, channel="sms").text
    assert not {FSI, PDI} & set(text)
    assert f"{LRM}0800 138 1625" in text  # spaces between digit groups would reverse
    assert f"{LRM}101" not in text  # a single group never reverses
    plain = bidi.strip_controls(text)
    assert text.count(LRM) == 1
    assert sms.segments(text) - sms.segments(plain) <= 1


def test_isolation_leaves_choice_labels_plain_for_matching() -> None:
    rendered = render(prompts.police(), "ar", channel="web")
    assert all(FSI not in label for _code, label in rendered.choices)
