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


def test_a_question_with_several_answers_asks_for_one_or_more_numbers() -> None:
    # "You can choose more than one: send the numbers" was followed by "Reply with a
    # number:", in every language.
    options = (Choice("race", Text.of("Race")), Choice("age", Text.of("Age")))
    question = (Text.of("Which?"),)
    several = render(OutboundMessage(body=question, choices=options, multiple=True), "en")
    assert several.multiple
    assert numbered_choices_text(several, "en") == (
        "Which?\n\nReply with one or more numbers:\n1 Race\n2 Age"
    )
    one = render(OutboundMessage(body=question, choices=options), "en")
    assert "Reply with a number:" in numbered_choices_text(one, "en")
    assert numbered_choices_text(several, "ar") != numbered_choices_text(one, "ar")


# --- plural forms, dates per locale, Easy Read, neutral follow-ups, right-to-left -------


def test_plural_forms_follow_each_languages_rules() -> None:
    from content.next_steps import SERVICES_HEADING
    from content.texts import plural

    def heading(language: str, count: int) -> str:
        return render_text(plural(SERVICES_HEADING, count), language)

    assert heading("en", 1) == "1 service can help you:"
    assert heading("en", 3) == "3 services can help you:"
    # Polish: one, few (2-4), many (5+).
    assert heading("pl", 1) == "1 organizacja może Ci pomóc:"
    assert heading("pl", 3) == "3 organizacje mogą Ci pomóc:"
    assert heading("pl", 5) == "5 organizacji może Ci pomóc:"
    # Arabic has a dual; Welsh mutates after two.
    assert heading("ar", 2) == "2 خدمتان يمكنهما مساعدتك:"
    assert heading("ar", 3) == "3 خدمات يمكنها مساعدتك:"
    assert heading("cy", 2) == "Mae 2 wasanaeth yn gallu eich helpu:"


def test_dates_and_times_are_formatted_per_locale() -> None:
    text = Text.of("{d} | {t}", d=date(2026, 3, 12), t=datetime(2026, 7, 1, 20, 30, tzinfo=UTC))
    assert render_text(text, "en") == "12 March 2026 | 01/07/2026, 21:30"
    assert render_text(text, "pl") == "12 marca 2026 | 1.07.2026, 21:30"
    assert render_text(text, "fr").startswith("12 mars 2026 | 01/07/2026")
    assert "مارس" in render_text(text, "ar")
    assert "3月12日" in render_text(text, "zh")


def test_a_religion_proposed_reads_as_it_does_after_a_colon() -> None:
    from bot import prompts

    # "Religija: Islamas." wrote the option label, capitalised, where Lithuanian (like
    # Polish, French and Ukrainian) writes the religion in lower case.
    proposal = prompts.strands_confirm(["religion"], "muslim")
    assert "Religija: islamas." in render(proposal, "lt").text
    assert "Religia: islam." in render(proposal, "pl").text
    assert "Religion: Muslim." in render(proposal, "en").text
    assert render_text(prompts.RELIGION_LABELS["muslim"], "lt") == "Islamas"  # the option


def test_easy_read_alternative_is_chosen_by_the_reading_preference() -> None:
    from bot import prompts

    question = prompts.what_happened()
    standard = render(question, "pl").text
    easy_read = render(question, "pl", reading="easy_read").text
    assert standard.startswith("Opowiedz") or standard != easy_read
    assert easy_read == "Napisz, co się stało. Użyj własnych słów. Nie spiesz się."
    assert render(question, "en", reading="easy_read").text == (
        "Tell me what happened. Use your own words. Take your time."
    )
    # A text without an Easy Read alternative is the same for everyone.
    same = OutboundMessage(body=(Text.of("What we recorded:"),))
    assert render(same, "en", reading="easy_read").text == "What we recorded:"


def test_a_followup_always_opens_with_a_neutral_line() -> None:
    from followup import checkin_prompts

    opener = render(checkin_prompts.opener(), "en")
    assert opener.text.splitlines()[0] == "Hello, is now a good time for a quick chat?"
    easy = render(checkin_prompts.opener(), "ur", reading="easy_read")
    assert easy.text.splitlines()[0] == "السلام علیکم۔ کیا آپ ابھی بات کر سکتے ہیں؟"
    # Any other follow-up gets a neutral greeting put first, whatever its author wrote.
    revealing = OutboundMessage(
        body=(Text.of("Thank you. This is TellSafe, checking in after your report."),),
        kind="followup",
    )
    assert render(revealing, "en").text.splitlines()[0] == "Hello."
    assert render(revealing, "ar").text.splitlines()[0] == "مرحبا."
    # Replies the person asked for are left as they are.
    reply = OutboundMessage(body=revealing.body)
    assert render(reply, "en").text.startswith("Thank you.")
