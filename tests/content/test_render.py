from __future__ import annotations

from datetime import UTC, date, datetime

from bot.messages import Choice, Lines, OutboundMessage, RenderedMessage, Text
from content.render import numbered_choices_text, render, render_text


def test_parameters_nested_texts_lists_and_dates() -> None:
    text = Text.of(
        "{a} / {b} / {c} / {d}",
        a=Text.of("Yes"),
        b=(Text.of("Race"), Text.of("Age"), Text.of("Disability")),
        c=date(2026, 3, 12),
        d=datetime(2026, 7, 1, 20, 30, tzinfo=UTC),
    )
    assert (
        render_text(text, "en")
        == "Yes / Race, Age and Disability / 12 March 2026 / 01/07/2026, 21:30"
    )


def test_a_missing_placeholder_stays_visible_instead_of_failing() -> None:
    assert render_text(Text.of("Hello {name}"), "en") == "Hello {name}"


def test_paragraphs_lines_and_choices() -> None:
    message = OutboundMessage(
        body=(Text.of("One"), Lines((Text.of("a"), Text.of("b")))),
        choices=(Choice("yes", Text.of("Yes")), Choice("no", Text.of("No"))),
    )
    rendered = render(message, "en")
    assert rendered == RenderedMessage("One\n\na\nb", (("yes", "Yes"), ("no", "No")))
    assert numbered_choices_text(rendered, "en") == (
        "One\n\na\nb\n\nReply with a number:\n1 Yes\n2 No"
    )
