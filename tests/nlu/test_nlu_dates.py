from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from bot import prompts
from bot.messages import Text
from content.i18n import available_languages
from content.render import render_text
from nlu.dates import UK_ZONE, day_back
from nlu.embedded import EmbeddedUnderstander


def local(moment: datetime) -> datetime:
    return moment.astimezone(UK_ZONE)


def test_last_night(understander: EmbeddedUnderstander, now: datetime) -> None:
    found = understander.resolve_date("last night", language="en", now=now)
    assert found is not None
    assert found.tzinfo is not None
    assert local(found).date() == (local(now) - timedelta(days=1)).date()
    assert local(found).hour == 21


#: The quotation marks the translations put around an example.
_QUOTED = re.compile('["«“„”]([^"«»“”„]+)["»”“]')


@pytest.mark.parametrize("language", available_languages())
def test_the_example_the_when_question_gives_is_understood(
    understander: EmbeddedUnderstander, now: datetime, language: str
) -> None:
    # "last night" as each language's question words it: Arabic "الليلة الماضية" and
    # Bengali "গত রাতে" were once understood as no day at all.
    question = prompts.when().body[0]
    assert isinstance(question, Text)
    example = _QUOTED.findall(render_text(question, language))[0]
    found = understander.resolve_date(example, language=language, now=now)
    assert found is not None, example
    assert local(found).date() == (local(now) - timedelta(days=1)).date()
    assert local(found).hour >= 18, example


def test_this_morning(understander: EmbeddedUnderstander, now: datetime) -> None:
    found = understander.resolve_date("this morning", language="en", now=now)
    assert found is not None
    assert local(found).date() == local(now).date()
    assert local(found).hour == 9


@pytest.mark.parametrize(
    ("text", "language", "days"),
    [
        ("yesterday", "en", 1),
        ("2 days ago", "en", 2),
        ("wczoraj", "pl", 1),
        ("ayer", "es", 1),
        ("вчора", "uk", 1),
        # "серед білого дня" (in broad daylight) was read as Wednesday
        ("серед білого дня вчора", "uk", 1),
        ("پچھلے ہفتے", "ur", 7),  # last week
        ("ਪਿਛਲੇ ਹਫ਼ਤੇ", "pa", 7),
    ],
)
def test_relative_days(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str, days: int
) -> None:
    found = understander.resolve_date(text, language=language, now=now)
    assert found is not None
    assert local(found).date() == (local(now) - timedelta(days=days)).date()


def test_last_tuesday(understander: EmbeddedUnderstander, now: datetime) -> None:
    found = understander.resolve_date("last Tuesday", language="en", now=now)
    assert found is not None
    assert found.weekday() == 1
    assert found <= now
    assert now - found < timedelta(days=8)


def test_day_first(understander: EmbeddedUnderstander, now: datetime) -> None:
    found = understander.resolve_date("12/03", language="en", now=now)
    assert found is not None
    assert (found.day, found.month) == (12, 3)
    assert found <= now


def test_never_future(understander: EmbeddedUnderstander, now: datetime) -> None:
    for text in ["tomorrow", "next week", "25/12", "friday"]:
        found = understander.resolve_date(text, language="en", now=now)
        assert found is None or found <= now


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("tomorrow", "en"),
        ("tmrw", "en"),
        ("mañana", "es"),
        ("demain", "fr"),
        ("jutro", "pl"),
        ("in 2 days", "en"),
    ],
)
def test_a_word_for_the_future_is_no_date(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str
) -> None:
    # Once stepped back a week: Spanish "mañana" alone was stored as six days ago.
    assert understander.resolve_date(text, language=language, now=now) is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("in march", "en"),
        ("last month", "en"),
        ("last year", "en"),
        ("march 2024", "en"),
        ("w marcu", "pl"),  # in March
        ("el año pasado", "es"),  # last year
    ],
)
def test_a_month_or_a_year_is_no_day(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str
) -> None:
    # dateparser gave "in march" today's day of the month, which the summary then
    # showed the person as the day it happened; their words are kept instead.
    assert understander.resolve_date(text, language=language, now=now) is None


@pytest.mark.parametrize(
    ("days", "hour", "expected"),
    [
        (0, 12, "2026-03-14 12:00"),
        (1, 12, "2026-03-13 12:00"),
        (0, 21, "2026-03-14 18:30"),  # never after now
    ],
)
def test_a_day_back_is_its_local_noon(days: int, hour: int, expected: str) -> None:
    now = datetime(2026, 3, 14, 18, 30, tzinfo=UK_ZONE)
    assert day_back(days, hour, now=now).strftime("%Y-%m-%d %H:%M") == expected


@pytest.mark.parametrize(
    ("text", "language", "hour"),
    [
        ("friday", "en", 12),  # a day alone: its noon, not dateparser's midnight
        ("dydd Gwener", "cy", 12),
        ("5 days ago", "en", 12),  # not the present hour
        ("friday at midnight", "en", 0),  # a time that was written stays
        ("friday at 10pm", "en", 22),
        ("أول أمس في الليل", "ar", 21),  # a part of the day that was written stays
    ],
)
def test_a_day_without_a_time_is_kept_at_its_noon(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str, hour: int
) -> None:
    found = understander.resolve_date(text, language=language, now=now)
    assert found is not None
    assert (local(found).hour, local(found).minute) == (hour, 0)
    assert local(found).date() < local(now).date()


@pytest.mark.parametrize(
    ("text", "language", "weekday", "hour"),
    [
        ("penktadienį", "lt", 4, 12),  # on Friday (accusative), unread by dateparser
        ("praėjusį šeštadienį vakare", "lt", 5, 19),
        ("pirmadienio vakarą", "lt", 0, 19),
        ("maalintii jimcaha", "so", 4, 12),
        ("vinerea trecută", "ro", 4, 12),
        ("lunea trecută seara", "ro", 0, 19),
        ("jumme ko", "ur", 4, 12),  # romanised Urdu
        ("mangal ko shaam", "ur", 1, 19),
        # Ukrainian after "минулої" (last), and typed without the apostrophe
        ("минулої п'ятниці ввечері", "uk", 4, 19),
        ("минулої пʼятниці", "uk", 4, 12),
        ("в пятницю", "uk", 4, 12),
        ("минулого понеділка", "uk", 0, 12),
        ("минулої неділі", "uk", 6, 12),
        # Saturday in Urdu ("ہفتہ" is also "week") and Punjabi
        ("ہفتے کو", "ur", 5, 12),
        ("سنیچر کو", "ur", 5, 12),
        ("ਸ਼ਨੀਵਾਰ ਰਾਤ ਨੂੰ", "pa", 5, 21),
        # Polish "nie" (not) is no Sunday ("niedziela"), which dateparser took it for.
        ("nie pamiętam dokładnie, chyba w poniedziałek", "pl", 0, 12),
        ("nie wiem, w środę wieczorem", "pl", 2, 19),
        ("w niedzielę", "pl", 6, 12),
    ],
)
def test_a_weekday_as_people_inflect_it(
    understander: EmbeddedUnderstander,
    now: datetime,
    text: str,
    language: str,
    weekday: int,
    hour: int,
) -> None:
    found = understander.resolve_date(text, language=language, now=now)
    assert found is not None
    assert (local(found).weekday(), local(found).hour) == (weekday, hour)
    assert timedelta(0) < now - found < timedelta(days=8)


@pytest.mark.parametrize(
    ("texted", "written"),
    [
        # Once nothing, or (2day) the 2nd of the month.
        ("2day", "today"),
        ("yday", "yesterday"),
        ("yest about 8pm", "yesterday about 8pm"),
        ("2nite", "tonight"),
        ("tonite", "tonight"),
        ("last nite", "last night"),
        ("thurs", "thursday"),
        ("weds night", "wednesday night"),
    ],
)
def test_text_speak_is_read_as_the_words(
    understander: EmbeddedUnderstander, now: datetime, texted: str, written: str
) -> None:
    found = understander.resolve_date(texted, language="en", now=now)
    assert found is not None
    assert found == understander.resolve_date(written, language="en", now=now)


@pytest.mark.parametrize(
    ("text", "weekday"),
    [("tues about 8", 1), ("tuesday about 8", 1), ("friday at 10", 4), ("thurs around 9", 3)],
)
def test_a_weekday_with_a_bare_hour_is_that_day(
    understander: EmbeddedUnderstander, now: datetime, text: str, weekday: int
) -> None:
    # Once the 8th (or 10th) of the month: the hour, morning or evening, is not made up.
    found = understander.resolve_date(text, language="en", now=now)
    assert found is not None
    assert (local(found).weekday(), local(found).hour) == (weekday, 12)
    assert timedelta(0) < now - found < timedelta(days=8)


@pytest.mark.parametrize(
    ("text", "days"),
    [("do din pehle", 2), ("teen din pehle", 3), ("parson", 2), ("2 hafte pehle", 14)],
)
def test_days_back_in_romanised_urdu(
    understander: EmbeddedUnderstander, now: datetime, text: str, days: int
) -> None:
    found = understander.resolve_date(text, language="ur", now=now)
    assert found is not None
    assert local(found).date() == (local(now) - timedelta(days=days)).date()


@pytest.mark.parametrize("text", ["", "asdfgh", "🙂", "\x00\x01", "x" * 10000])
def test_garbage_dates(understander: EmbeddedUnderstander, now: datetime, text: str) -> None:
    assert understander.resolve_date(text, language="en", now=now) is None


@pytest.mark.parametrize(
    ("text", "language", "days_back"),
    [
        # Counts written as words, which dateparser reads only as digits in these
        # languages: "acum două zile" (two days ago) was once today.
        ("acum două zile", "ro", 2),
        ("dwa dni temu", "pl", 2),
        ("hace tres días", "es", 3),
        ("há dois dias", "pt", 2),
        ("两天前", "zh", 2),
        ("دو روز پیش", "fa", 2),
        ("দুই দিন আগে", "bn", 2),
        ("دو دن پہلے", "ur", 2),
        ("ਦੋ ਦਿਨ ਪਹਿਲਾਂ", "pa", 2),
        # The day before yesterday: unknown to dateparser here, or read as yesterday.
        ("alaltăieri seara", "ro", 2),
        ("avant-hier soir", "fr", 2),
        ("echdoe", "cy", 2),
        ("پریروز", "fa", 2),
        ("پریشب", "fa", 2),  # the night before last
        ("أول امبارح", "ar", 2),
        ("أول أمس", "ar", 2),  # the everyday forms held "أمس", and were yesterday
        ("قبل أمس", "ar", 2),
        ("أول البارحة في الليل", "ar", 2),
        ("أمس", "ar", 1),  # still yesterday
        ("užvakar", "lt", 2),
        ("przedwczoraj wieczorem", "pl", 2),  # dateparser knows the day, not the evening
        # A week ago, with no number in it.
        ("acum o săptămână", "ro", 7),
        ("tydzień temu", "pl", 7),
        ("一周前", "zh", 7),
        # A Chinese day phrase inside a run of Han with no space after it: once no day.
        ("昨晚我被骂了", "zh", 1),  # last night I was sworn at
        ("一周前在公园", "zh", 7),  # a week ago in the park
        # "N days ago" where dateparser reads it in no form: Lithuanian and Somali have
        # no relative dates there, Welsh mutates "diwrnod" after "dau", Chinese counts
        # weeks as 个星期.
        ("prieš dvi dienas", "lt", 2),
        ("pries 3 dienas", "lt", 3),  # texted without accents
        ("prieš savaitę", "lt", 7),
        ("laba maalmood ka hor", "so", 2),
        ("toddobaad ka hor", "so", 7),
        ("dau ddiwrnod yn ôl", "cy", 2),
        ("wythnos yn ôl", "cy", 7),
        ("pythefnos yn ôl", "cy", 14),
        ("三个星期前", "zh", 21),
        ("两个礼拜前", "zh", 14),
        ("上周五", "zh", 8),  # Friday of last week, said on a Saturday (once a week ago)
        ("上个星期一晚上8点", "zh", 12),
        ("hier soir", "fr", 1),  # still yesterday
        ("مبارح العصر", "ar", 1),  # yesterday afternoon, as texted in Levantine Arabic
        ("ਕੱਲ੍ਹ", "pa", 1),  # "kal", yesterday or tomorrow: of an incident, yesterday
        ("کل", "ur", 1),  # the same in Urdu script
        ("کل شام کو", "ur", 1),  # yesterday evening
    ],
)
def test_days_back_in_words(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str, days_back: int
) -> None:
    found = understander.resolve_date(text, language=language, now=now)
    assert found is not None
    assert local(found).date() == (local(now) - timedelta(days=days_back)).date()


@pytest.mark.parametrize(
    ("text", "language", "days_back", "hour"),
    [
        # dateparser gave the day at the present hour, and the phrases above the day
        # at noon: the morning, afternoon, evening or night said with it was lost.
        ("ayer por la mañana", "es", 1, 9),
        ("ontem à tarde", "pt", 1, 15),
        ("hier matin", "fr", 1, 9),
        ("ieri seară", "ro", 1, 19),
        ("wczoraj rano", "pl", 1, 9),
        ("bore ddoe", "cy", 1, 9),
        ("užvakar vakare", "lt", 2, 19),
        ("вчора вранці", "uk", 1, 9),
        ("امس الصبح", "ar", 1, 9),
        ("دیروز عصر", "fa", 1, 15),
        ("پرسوں رات", "ur", 2, 21),
        ("পরশু রাতে", "bn", 2, 21),
        ("dorraad habeenkii", "so", 2, 21),
        ("昨天下午", "zh", 1, 15),
        ("ਕੱਲ੍ਹ ਸਵੇਰੇ", "pa", 1, 9),
        ("yesterday at 3pm", "en", 1, 15),  # a time in digits is still dateparser's
        ("antes de ayer", "es", 2, 12),  # once read as yesterday
        ("nos Wener", "cy", 1, 21),  # Friday night, said on a Saturday; once no day at all
    ],
)
def test_the_part_of_the_day_said_with_a_day(
    understander: EmbeddedUnderstander,
    now: datetime,
    text: str,
    language: str,
    days_back: int,
    hour: int,
) -> None:
    found = understander.resolve_date(text, language=language, now=now)
    assert found is not None
    assert local(found).date() == (local(now) - timedelta(days=days_back)).date()
    assert local(found).hour == hour


@pytest.mark.parametrize(
    ("text", "language", "days_back", "clock"),
    [
        ("ontem às 18h", "pt", 1, (18, 0)),  # once the day before, at 10 pm
        ("avant-hier vers 18h", "fr", 2, (18, 0)),  # "vers" (around) lost the time
        ("hier 18h30", "fr", 1, (18, 30)),
        ("yesterday around 6pm", "en", 1, (18, 0)),
        ("wczoraj o 18:30", "pl", 1, (18, 30)),
        ("昨天18:30", "zh", 1, (18, 30)),
        ("il y a 2h", "fr", 0, (13, 0)),  # two hours ago, not two o'clock
        # An hour said with a part of the day is on the 12-hour clock: these were noon
        # of the day (or 9:00), the time the person gave lost.
        ("ieri pe la 9 seara", "ro", 1, (21, 0)),
        ("ayer a las 9 de la noche", "es", 1, (21, 0)),
        ("ayer a las 7 de la tarde", "es", 1, (19, 0)),
        ("ontem às 9 da noite", "pt", 1, (21, 0)),
        ("hier soir à 9h", "fr", 1, (21, 0)),
        ("wczoraj o 9 wieczorem", "pl", 1, (21, 0)),
        ("вчора о 9 вечора", "uk", 1, (21, 0)),
        ("vakar 9 vakare", "lt", 1, (21, 0)),
        ("shalay habeenkii 9", "so", 1, (21, 0)),
        ("গতকাল রাত ৯টায়", "bn", 1, (21, 0)),
        ("昨天晚上9点半", "zh", 1, (21, 30)),
        ("昨天下午3点", "zh", 1, (15, 0)),  # once no day at all
        ("last night at 11", "en", 1, (23, 0)),
        ("last night at 2", "en", 0, (2, 0)),  # the small hours after that evening
        ("ayer a las 10 de la mañana", "es", 1, (10, 0)),
        # A number that cannot be an hour of that part of the day is none.
        ("yesterday evening 2 men", "en", 1, (19, 0)),
        # Digits that are no time leave the part of the day its own hour.
        ("hace 2 días por la tarde", "es", 2, (15, 0)),
        ("last night around 11, 2 men", "en", 1, (21, 0)),
        # No part of the day: a bare hour could be morning or evening, so the day only.
        ("yesterday at 9", "en", 1, (12, 0)),
        # Unless it is past 12, on the 24-hour clock: the hour was lost ("wczoraj o
        # 19" was noon), or with an hour word the day was wrong ("vakar apie 19 val.",
        # yesterday at about 19:00, was the day before at 15:00).
        ("yesterday at 19", "en", 1, (19, 0)),
        ("wczoraj o 19", "pl", 1, (19, 0)),
        ("wczoraj około 19", "pl", 1, (19, 0)),
        ("vakar apie 19 val.", "lt", 1, (19, 0)),
        ("vakar 19 val.", "lt", 1, (19, 0)),
        ("вчора о 19 годині", "uk", 1, (19, 0)),
        ("вчора о 19", "uk", 1, (19, 0)),
        ("ayer a las 19", "es", 1, (19, 0)),
        ("ontem às 22", "pt", 1, (22, 0)),
        ("ieri pe la 20", "ro", 1, (20, 0)),
        ("wczoraj o 19 godz.", "pl", 1, (19, 0)),
    ],
)
def test_a_time_of_day_in_digits(
    understander: EmbeddedUnderstander,
    now: datetime,
    text: str,
    language: str,
    days_back: int,
    clock: tuple[int, int],
) -> None:
    found = understander.resolve_date(text, language=language, now=now)
    assert found is not None, text
    assert local(found).date() == (local(now) - timedelta(days=days_back)).date(), text
    assert (local(found).hour, local(found).minute) == clock, text


def test_a_date_in_digits_keeps_the_part_of_the_day(
    understander: EmbeddedUnderstander, now: datetime
) -> None:
    # "12 martie seara" is the 12th in the evening, not 12 o'clock and not its noon.
    found = understander.resolve_date("12 martie seara", language="ro", now=now)
    assert found is not None
    assert (local(found).month, local(found).day, local(found).hour) == (3, 12, 19)


def test_urdu_kal_is_not_a_day_in_persian(
    understander: EmbeddedUnderstander, now: datetime
) -> None:
    # "کل" is "whole" in Persian: "کل روز" is the whole day, not yesterday.
    assert understander.resolve_date("کل ماجرا", language="fa", now=now) is None


@pytest.mark.parametrize(
    ("text", "month", "day"),
    [
        # The when question's own Chinese example (12 March), once not understood.
        ("3月12日", 3, 12),
        ("3月12号", 3, 12),
        ("11月3号晚上", 11, 3),
    ],
)
def test_a_chinese_month_and_day(
    understander: EmbeddedUnderstander, now: datetime, text: str, month: int, day: int
) -> None:
    found = understander.resolve_date(text, language="zh", now=now)
    assert found is not None
    assert (local(found).month, local(found).day) == (month, day)
    assert found <= now


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # Among other Chinese words the date was read as the 12th of this month.
        ("大概3月12日", "zh"),  # about 12 March
        ("大约3月12号", "zh"),
        ("差不多3月12日", "zh"),
        ("3月12日左右", "zh"),
        ("3月12日我在公交车上被打了", "zh"),  # 12 March, I was hit on the bus
        ("around 12 March", "en"),
        ("vers le 12 mars", "fr"),
        ("około 12 marca", "pl"),
        ("alrededor del 12 de marzo", "es"),
    ],
)
def test_a_date_said_with_a_hedge(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str
) -> None:
    found = understander.resolve_date(text, language=language, now=now)
    assert found is not None, text
    assert (local(found).month, local(found).day) == (3, 12), text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The year and the time with a Chinese date: once the 12th of this month, or none.
        ("2024年3月12日晚上", datetime(2024, 3, 12, 21, 0)),
        ("3月12号下午3点", datetime(2026, 3, 12, 15, 0)),
    ],
)
def test_a_chinese_date_keeps_its_year_and_time(
    understander: EmbeddedUnderstander, now: datetime, text: str, expected: datetime
) -> None:
    found = understander.resolve_date(text, language="zh", now=now)
    assert found is not None
    assert local(found).replace(tzinfo=None) == expected


@pytest.mark.parametrize(
    ("text", "language", "days_back"),
    [
        # Each once not understood, and the person's words alone kept.
        ("منذ أسبوعين", "ar", 14),  # two weeks ago, with "منذ"
        ("منذ أسبوع", "ar", 7),  # a week ago
        ("قبل يوم", "ar", 1),  # a day ago
        ("هفته پیش", "fa", 7),  # last week
        ("دو هفته پیش", "fa", 14),  # two weeks ago: still a count
    ],
)
def test_ago_as_said_in_arabic_and_persian(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str, days_back: int
) -> None:
    found = understander.resolve_date(text, language=language, now=now)
    assert found is not None
    assert local(found).date() == (local(now) - timedelta(days=days_back)).date()
