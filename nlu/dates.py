"""Resolving "when did it happen?" answers into timezone-aware datetimes.

dateparser does the multilingual work; it is imported lazily because importing and
warming it up costs hundreds of milliseconds and most messages never need it. A few
parts of the day ("last night", "this morning") are resolved here because dateparser
either ignores them or picks a time that is not what people mean (for a report,
"last night" is yesterday evening, not midnight).
"""

from __future__ import annotations

import calendar
import logging
import re
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, Final
from zoneinfo import ZoneInfo

from nlu.text import UNSPACED_RUN, normalise

logger = logging.getLogger(__name__)

#: Reports are made in the UK: day-first dates ("12/03" is 12 March).
UK_ZONE: Final = ZoneInfo("Europe/London")

# Phrases for a part of the day, per language: (days back, local hour). Several
# languages' phrases are listed together because people mix languages in one answer.
_DAY_PARTS: Final[dict[str, tuple[int, int]]] = {
    # English
    "last night": (1, 21),
    "yesterday night": (1, 21),
    "yesterday evening": (1, 19),
    "yesterday morning": (1, 9),
    "yesterday afternoon": (1, 15),
    "this morning": (0, 9),
    "this afternoon": (0, 15),
    "this evening": (0, 19),
    "tonight": (0, 20),
    "earlier today": (0, 12),
    "today": (0, 12),
    # Welsh
    "neithiwr": (1, 21),
    "bore 'ma": (0, 9),
    "bore ma": (0, 9),
    "heddiw": (0, 12),
    # Polish
    "wczoraj wieczorem": (1, 19),
    "wczoraj w nocy": (1, 21),
    "dziś rano": (0, 9),
    "dzisiaj rano": (0, 9),
    "zeszłej nocy": (1, 21),
    "przedwczoraj": (2, 12),
    "przedwczoraj wieczorem": (2, 19),
    "przedwczoraj w nocy": (2, 21),
    # Romanian
    "aseară": (1, 21),
    "azi noapte": (1, 23),
    "azi dimineață": (0, 9),
    "azi dimineata": (0, 9),
    "aseara": (1, 21),
    # Spanish, Portuguese, French
    "anoche": (1, 21),
    "ayer por la noche": (1, 21),
    "esta mañana": (0, 9),
    "ontem à noite": (1, 21),
    "ontem a noite": (1, 21),
    "esta manhã": (0, 9),
    "hier soir": (1, 21),
    "ce matin": (0, 9),
    # Ukrainian (вчора and учора both), Lithuanian, Chinese
    "вчора ввечері": (1, 21),
    "учора ввечері": (1, 21),
    "вчора вночі": (1, 21),
    "учора вночі": (1, 21),
    "сьогодні вранці": (0, 9),
    "vakar vakare": (1, 21),
    "šįryt": (0, 9),
    "昨晚": (1, 21),
    "昨天晚上": (1, 21),
    "今天早上": (0, 9),
    # Romanised Urdu / Punjabi and Urdu, Arabic, Persian, Somali, Bengali, Punjabi
    "kal raat": (1, 21),
    "raat ko": (1, 21),
    "aaj subah": (0, 9),
    "kal rat": (1, 21),
    "کل رات": (1, 21),
    "البارحة": (1, 21),
    "الليلة الماضية": (1, 21),
    "الليلة اللي فاتت": (1, 21),
    "ليلة أمس": (1, 21),
    "امس بالليل": (1, 21),
    "دیشب": (1, 21),
    "xalay": (1, 21),
    "saaka": (0, 9),
    "গতকাল রাতে": (1, 21),
    "গত রাতে": (1, 21),
    "কাল রাতে": (1, 21),
    "গতকাল সন্ধ্যায়": (1, 19),
    "আজ সকালে": (0, 9),
    "ਕੱਲ੍ਹ ਰਾਤ": (1, 21),
    "ਕੱਲ੍ਹ ਰਾਤੀਂ": (1, 21),
    "ਕੱਲ੍ਹ ਸ਼ਾਮ": (1, 19),
    "ਅੱਜ ਸਵੇਰੇ": (0, 9),
    "kal rate": (1, 21),
    # Yesterday as texted in Levantine and Egyptian Arabic, and "kal" (Urdu, Punjabi)
    # said of the past: dateparser knows only "أمس" and reads "kal" as nothing.
    "مبارح": (1, 12),
    "امبارح": (1, 12),
    "إمبارح": (1, 12),
    "مبارح الصبح": (1, 9),
    "مبارح العصر": (1, 15),
    "امبارح العصر": (1, 15),
    "مبارح بالليل": (1, 21),
    "امبارح بالليل": (1, 21),
    "mbare7": (1, 12),
    "embare7": (1, 12),
    "kal": (1, 12),
    "ਕੱਲ੍ਹ": (1, 12),
    # The day before yesterday, which dateparser does not know in these languages (or,
    # in French and Arabic, reads as yesterday: "avant-hier soir" holds "hier soir").
    "antes de ayer": (2, 12),
    "antier": (2, 12),
    "antes de ontem": (2, 12),
    "alaltăieri": (2, 12),
    "alaltaieri": (2, 12),
    "alaltăieri seara": (2, 21),
    "alaltaieri seara": (2, 21),
    "avant-hier soir": (2, 21),
    "avant hier soir": (2, 21),
    "echdoe": (2, 12),
    "užvakar": (2, 12),
    "dorraad": (2, 12),
    "پریروز": (2, 12),
    "پریشب": (2, 21),
    "أول امبارح": (2, 12),
    "اول امبارح": (2, 12),
    "أمس الأول": (2, 12),
    "امس الاول": (2, 12),
    # the everyday forms: "أول أمس" (first of yesterday) and "قبل أمس" held "أمس"
    "أول أمس": (2, 12),
    "اول امس": (2, 12),
    "أول امس": (2, 12),
    "قبل أمس": (2, 12),
    "قبل امس": (2, 12),
    "أول البارحة": (2, 12),
    "اول البارحة": (2, 12),
    "পরশু": (2, 12),
    "پرسوں": (2, 12),
    "parson": (2, 12),
    "parsoon": (2, 12),
    "parson raat": (2, 21),
    "ਪਰਸੋਂ": (2, 12),
    "ਪਰਸੋਂ ਸ਼ਾਮ": (2, 19),
    "ਪਰਸੋਂ ਰਾਤ": (2, 21),
    # A week ago, with no number for dateparser to count.
    "acum o săptămână": (7, 12),
    "acum o saptamana": (7, 12),
    "tydzień temu": (7, 12),
    "tydzien temu": (7, 12),
    "一周前": (7, 12),
    "一个星期前": (7, 12),
}

#: Text-speak for words the phrase tables or dateparser know, as the full word: dateparser
#: read "2day" as the 2nd of the month, and "yday", "2nite" or "thurs" as nothing.
_SHORTHAND: Final[dict[str, str]] = {
    "2day": "today",
    "2nite": "tonight",
    "2night": "tonight",
    "tonite": "tonight",
    "nite": "night",
    "yday": "yesterday",
    "yest": "yesterday",
    "tmrw": "tomorrow",
    "2moro": "tomorrow",
    "weds": "wednesday",
    "thur": "thursday",
    "thurs": "thursday",
}
_SHORTHAND_PATTERN: Final = re.compile(rf"(?<!\w)({'|'.join(_SHORTHAND)})(?!\w)")

#: An hour after English "at" or "about" with no part of the day ("tuesday about 8"): it
#: could be morning or evening, so the day alone is read. Given the number, dateparser
#: read the 8th of the month.
_BARE_HOUR: Final = re.compile(r"(?<!\w)(?:at|about|around|abt|round)\s+\d{1,2}(?![\w/:.,-])")

#: Words for a part of the day, in every language, and its local hour (as above:
#: morning 9, afternoon 15, evening 19, night 21).
_PARTS_OF_DAY: Final[dict[str, int]] = {
    **dict.fromkeys(["morning", "in the morning"], 9),
    **dict.fromkeys(["afternoon", "in the afternoon"], 15),
    **dict.fromkeys(["evening", "in the evening"], 19),
    **dict.fromkeys(["night", "at night"], 21),
    # Spanish, Portuguese, French (Spanish "mañana" alone is also tomorrow; said of an
    # incident with a day, it is the morning). "de la noche", "da noite": the forms said
    # after an hour ("a las 9 de la noche", at 9 at night).
    **dict.fromkeys(["por la mañana", "de la mañana", "de manhã", "pela manhã", "da manhã"], 9),
    **dict.fromkeys(["matin", "le matin"], 9),
    **dict.fromkeys(["por la tarde", "de la tarde", "à tarde", "a tarde", "da tarde"], 15),
    **dict.fromkeys(["après-midi", "apres-midi"], 15),
    **dict.fromkeys(["soir", "le soir", "por la noche", "de la noche"], 21),
    **dict.fromkeys(["à noite", "a noite", "da noite", "nuit"], 21),
    # Romanian, Polish, Lithuanian, Welsh
    **dict.fromkeys(["dimineață", "dimineata", "rano", "ryte", "rytą", "bore"], 9),
    **dict.fromkeys(["după-amiază", "dupa-amiaza", "după amiază", "po południu"], 15),
    **dict.fromkeys(["popiet", "po pietų", "prynhawn"], 15),
    **dict.fromkeys(["seară", "seara", "wieczorem", "vakare", "vakarą", "gyda'r nos"], 19),
    **dict.fromkeys(["noaptea", "w nocy", "naktį", "nos"], 21),
    # Ukrainian ("ранку", "вечора", "ночі": the forms said after an hour, "о 9 вечора")
    **dict.fromkeys(["вранці", "уранці", "зранку", "ранку"], 9),
    "вдень": 15,
    **dict.fromkeys(["ввечері", "увечері", "вечора"], 19),
    **dict.fromkeys(["вночі", "уночі", "ночі"], 21),
    # Arabic, Persian, Urdu
    **dict.fromkeys(["الصبح", "صباحا", "صباحاً", "الصباح", "صبح"], 9),
    **dict.fromkeys(["العصر", "بعد الظهر", "عصر", "بعدازظهر", "دوپہر"], 15),
    **dict.fromkeys(["مساء", "مساءً", "المساء", "شام"], 19),
    **dict.fromkeys(["بالليل", "في الليل", "الليل", "ليلا", "ليلاً", "شب", "رات"], 21),
    # Urdu (and Punjabi) romanised, as many text it
    **dict.fromkeys(["subah", "subha", "subeh"], 9),
    **dict.fromkeys(["dopahar", "dopehar", "dupehar"], 15),
    **dict.fromkeys(["shaam", "sham"], 19),
    "raat": 21,
    # Bengali, Punjabi, Somali
    **dict.fromkeys(["সকালে", "সকাল", "ਸਵੇਰੇ", "subaxdii", "subaxnimadii"], 9),
    **dict.fromkeys(["দুপুরে", "বিকেলে", "বিকেল", "ਦੁਪਹਿਰੇ", "ਦੁਪਹਿਰ ਨੂੰ", "galabtii"], 15),
    **dict.fromkeys(["সন্ধ্যায়", "সন্ধ্যা", "ਸ਼ਾਮ", "ਸ਼ਾਮ ਨੂੰ", "fiidkii"], 19),
    **dict.fromkeys(["রাতে", "রাত", "ਰਾਤ", "ਰਾਤ ਨੂੰ", "habeenkii"], 21),
    # Chinese, written with no spaces (matched inside a run: "昨天下午")
    **dict.fromkeys(["早上", "上午", "早晨"], 9),
    **dict.fromkeys(["下午", "中午"], 15),
    **dict.fromkeys(["傍晚"], 19),
    **dict.fromkeys(["晚上", "夜里", "半夜"], 21),
}

#: A time of day in digits: "18h", "18h30", "18:30", "6pm", "6.30 pm"; Chinese "9点",
#: "9点半" (half past 9), "9点15分"; Bengali "৯টায়" (at 9).
_CLOCK: Final = re.compile(
    r"(?<![\d/.:])(?P<hour>\d{1,2})"
    r"(?:(?:[:h](?P<minute>\d{2})?|(?:\.(?P<dotted>\d{2}))?\s*(?P<half>am|pm))(?!\w)"
    r"|[点點](?:(?P<han_minute>\d{1,2})分?|(?P<han_half>半))?|টা)"
)
#: An hour past 12 said as one: after a word for "at", ending the answer ("o 19", "a
#: las 19"; not English "about 16", more often an age), or with a word for "hour" ("19
#: val.", "о 19 годині"). On the 24-hour clock it can be no other hour. Read as a bare
#: number it was lost ("wczoraj o 19" was noon), and "vakar 19 val." was nineteen
#: hours back (the day before at 15:00).
_HOUR_SAID: Final = re.compile(
    r"(?<!\w)(?:at|o|około|okolo|о|об|близько|a las|sobre las|às|pe la|la|apie|am)\s+"
    r"(?P<at>1[3-9]|2[0-3])(?=\s*(?:[.,;!?]|$))"
    r"|(?<![\w/.:,-])(?P<of>1[3-9]|2[0-3])\s*"
    r"(?:val|valandą|valanda|godz|godzinie|godzina|годині|година|годин|год)(?!\w)\.?"
)
#: A number standing alone: an hour when a part of the day is said with it ("a las 9
#: de la noche", at 9 at night). Not part of a date or a decimal ("12/03", "9.5").
_LONE_NUMBER: Final = re.compile(r"(?<![\w/.:,-])\d{1,2}(?![\w/:-]|[.,]\d)")

#: Words that count back from now ("2h ago"), in every language: a count of hours
#: with them is no time of day.
_COUNTED_BACK: Final = re.compile(
    r"(?<!\w)(ago|il y a|hace|há|ha|temu|acum|în urmă|in urma|тому|prieš|pries|yn ôl|yn ol"
    r"|ka hor|پیش|قبل|پہلے|আগে|ਪਹਿਲਾਂ)(?!\w)|前"
)

#: Number words for a count of days, weeks or months ("dwa dni temu", two days ago), in
#: the languages whose dateparser data reads such counts only as digits ("2 dni temu").
_COUNTS: Final[dict[str, dict[str, int]]] = {
    "es": {"dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7},
    "pt": {
        "dois": 2,
        "duas": 2,
        "três": 3,
        "tres": 3,
        "quatro": 4,
        "cinco": 5,
        "seis": 6,
        "sete": 7,
    },
    "pl": {"dwa": 2, "dwie": 2, "trzy": 3, "cztery": 4, "pięć": 5, "sześć": 6, "siedem": 7},
    "ro": {"doi": 2, "două": 2, "doua": 2, "trei": 3, "patru": 4, "cinci": 5, "șase": 6, "sase": 6},
    "cy": {"dau": 2, "dwy": 2, "tri": 3, "tair": 3, "pedwar": 4, "pedair": 4, "pum": 5, "pump": 5},
    "fa": {"دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "هفت": 7},
    # Urdu in its own script, and romanised as many Urdu speakers text.
    "ur": {
        "دو": 2,
        "تین": 3,
        "چار": 4,
        "پانچ": 5,
        "چھ": 6,
        "سات": 7,
        "ek": 1,
        "do": 2,
        "teen": 3,
        "char": 4,
        "chaar": 4,
        "panch": 5,
        "paanch": 5,
        "chhe": 6,
        "saat": 7,
    },
    "bn": {"দুই": 2, "দু": 2, "তিন": 3, "চার": 4, "পাঁচ": 5, "ছয়": 6, "সাত": 7},
    "pa": {"ਦੋ": 2, "ਤਿੰਨ": 3, "ਚਾਰ": 4, "ਪੰਜ": 5, "ਛੇ": 6, "ਸੱਤ": 7},
    # Lithuanian counts after "prieš" (ago) are accusative: "prieš dvi dienas".
    "lt": {
        "dvi": 2,
        "du": 2,
        "tris": 3,
        "keturias": 4,
        "keturis": 4,
        "penkias": 5,
        "penkis": 5,
        "šešias": 6,
        "sesias": 6,
        "septynias": 7,
    },
    "so": {"laba": 2, "saddex": 3, "afar": 4, "shan": 5, "lix": 6, "toddoba": 7},
}
#: Chinese counts run into their unit with no space: "两天前" (two days ago).
_CHINESE_COUNT: Final = re.compile("([一两二三四五六七])(?=(天|日|周|个|星期|月|年|小时))")
_CHINESE_DIGITS: Final = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7}


#: "上周五" (Friday of last week; weeks start on Monday): dateparser reads a week ago.
_CHINESE_LAST_WEEK_DAY: Final = re.compile("上个?(?:周|星期|礼拜)([一二三四五六日天])")
_CHINESE_WEEKDAYS: Final = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}


def _weekdays(
    names: dict[str, str], form: str = r"\b{}\w*"
) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Rewrites of weekday names into English, which dateparser reads.

    For the forms it does not know: Lithuanian "penktadienį" (on Friday), Somali
    "jimcaha", Romanian "vinerea" (the Friday), Welsh "nos Wener" (Friday night).

    Args:
        names: Each name (a regular expression) and the English weekday.
        form: Where the name stands in its pattern; by default a stem with any ending.
    """
    return tuple((re.compile(form.format(name)), english) for name, english in names.items())


#: Phrasings dateparser cannot read, each rewritten into English, which dateparser is
#: always also given. "N days ago": Lithuanian and Somali have no relative dates in its
#: data; Welsh mutates "diwrnod" after "dau" (two days) and says "a week ago" with no
#: number; Chinese counts weeks with 个星期 or 礼拜. Welsh "nos Wener" (Friday night)
#: mutates the day's name after "nos" (its night is read from "nos" as a part of day).
_REWRITES: Final[dict[str, tuple[tuple[re.Pattern[str], str], ...]]] = {
    # "منذ أسبوعين" (two weeks ago) with "منذ", as often said as "قبل", which dateparser reads.
    # A single week or day ago ("قبل أسبوع", a week ago), which it does not read.
    "ar": (
        (re.compile(r"(?<!\S)منذ(?!\S)"), "قبل"),
        (re.compile(r"(?<!\S)قبل (?:ا|أ)سبوع(?!\S)"), "1 week ago"),
        (re.compile(r"(?<!\S)قبل يوم(?!\S)"), "1 day ago"),
    ),
    # "هفته پیش" (last week) and "جمعه‌ی پیش" (last Friday): "پیش" after a name, not
    # after a count ("دو هفته پیش", two weeks ago, which dateparser reads), is "گذشته".
    "fa": (
        (
            re.compile(
                r"(?<!\d )(?<!\S)"
                r"(یکشنبه|دوشنبه|سه ?شنبه|چهارشنبه|پنج ?شنبه|جمعه|شنبه|هفته|ماه)ی? پیش(?!\S)"
            ),
            r"\1 گذشته",
        ),
    ),
    "lt": (
        (re.compile(r"\bprie[šs] (\d+) (dien|par)\w*"), r"\1 days ago"),
        (re.compile(r"\bprie[šs] (\d+) savait\w*"), r"\1 weeks ago"),
        (re.compile(r"\bprie[šs] (\d+) m[ėe]nes\w*"), r"\1 months ago"),
        (re.compile(r"\bprie[šs] savait[ęe]\b"), "1 week ago"),
        (re.compile(r"\bprie[šs] m[ėe]nes[įi]\b"), "1 month ago"),
        # "praėjusį" (last) before a weekday: the last one is the one dateparser gives.
        (re.compile(r"\b(pra[ėe]jus|praeit)\w* (?=\w+dien)"), ""),
        *_weekdays(
            {
                "pirmadien": "monday",
                "antradien": "tuesday",
                "tre[čc]iadien": "wednesday",
                "ketvirtadien": "thursday",
                "penktadien": "friday",
                "[šs]e[šs]tadien": "saturday",
                "sekmadien": "sunday",
            }
        ),
    ),
    # "nie" (not) is Sunday to dateparser (its short "niedziela"): "nie pamiętam, chyba w
    # poniedziałek" (I don't remember, probably Monday) was the Sunday before.
    "pl": ((re.compile(r"(?<!\S)nie(?!\S)"), ""),),
    "so": (
        (re.compile(r"\b(\d+) (maalmood|maalin|cisho)\w* ka hor\b"), r"\1 days ago"),
        (re.compile(r"\b(\d+) toddobaad\w* ka hor\b"), r"\1 weeks ago"),
        (re.compile(r"\b(\d+) bil\w* ka hor\b"), r"\1 months ago"),
        (re.compile(r"\btoddobaad ka hor\b"), "1 week ago"),
        (re.compile(r"\bbil ka hor\b"), "1 month ago"),
        *_weekdays(
            {
                "isniin": "monday",
                "talaad": "tuesday",
                "arbac": "wednesday",
                "khamiis": "thursday",
                "jimc": "friday",
                "sabti": "saturday",
                "axad": "sunday",
            }
        ),
    ),
    "ro": (
        # The articulated forms ("vinerea trecută", last Friday), which dateparser lacks.
        *_weekdays(
            {
                "lunea": "monday",
                "mar[țţt]ea": "tuesday",
                "miercurea": "wednesday",
                "joia": "thursday",
                "vinerea": "friday",
                "s[âa]mb[ăa]ta": "saturday",
                "duminica": "sunday",
            },
            r"\b{}(?: trecut[ăa])?\b",
        ),
    ),
    "ur": (
        # Romanised Urdu ("do din pehle", two days ago), as many Urdu speakers text.
        (re.compile(r"\b(\d+) din\w* (pehl|pahl|qabl)\w*"), r"\1 days ago"),
        (re.compile(r"\b(\d+) haft\w* (pehl|pahl)\w*"), r"\1 weeks ago"),
        (re.compile(r"\b(\d+) mah[ie]e?n\w* (pehl|pahl)\w*"), r"\1 months ago"),
        (re.compile(r"\bpich+l\w* haft\w*"), "last week"),
        (re.compile(r"\bpich+l\w* mah[ie]e?n\w*"), "last month"),
        *_weekdays({"(peer|pir|somwaa?r)": "monday", "jumm?(a|ah|e|ay|ey)": "friday"}, r"\b{}\b"),
        *_weekdays(
            {
                "mangal": "tuesday",
                "budh": "wednesday",
                "jume?raa?t": "thursday",
                "itwaa?r": "sunday",
            }
        ),
        # Saturday: "ہفتہ" is also "week", so only "on Saturday" ("ہفتے کو", "ہفتے کے
        # دن"); "پچھلے ہفتے" is last week.
        (re.compile(r"\bہفت[ہے] (?:کو|کے دن)\b"), "saturday"),
        (re.compile(r"\bسنیچر\b|\bsanichar\b|\bhaft[ae] (?:ko|ke din)\b"), "saturday"),
        (re.compile(r"\bپچھل[ےا] ہفت[ےہ]\b"), "last week"),
    ),
    "cy": (
        (re.compile(r"\b(\d+) d?diwrnod yn [oô]l\b"), r"\1 days ago"),
        (re.compile(r"(?<!\d )\bwythnos yn [oô]l\b"), "1 week ago"),
        (re.compile(r"\bpythefnos yn [oô]l\b"), "2 weeks ago"),
        (re.compile(r"(?<!\d )\bmis yn [oô]l\b"), "1 month ago"),
        *_weekdays(
            {
                "lun": "monday",
                "fawrth": "tuesday",
                "fercher": "wednesday",
                "iau": "thursday",
                "wener": "friday",
                "sadwrn": "saturday",
                "sul": "sunday",
            },
            r"\bnos {}\b",
        ),
    ),
    # The genitive after "минулої" (last) and the days written without the apostrophe
    # ("в пятницю"), which dateparser lacks. Whole forms: "серед" is also "among", and
    # "в середині дня" is "in the middle of the day".
    "uk": (
        (
            re.compile(r"\bминул\w* (?=(понеділ|вівтор|серед|четвер|п['ʼ’]?ятниц|субот|неділ))"),
            "",
        ),
        # "серед білого дня" (in broad daylight): dateparser reads "серед" as Wednesday.
        (re.compile(r"\bсеред\b"), ""),
        *_weekdays(
            {
                "понеділ(?:ок|ка|ку)": "monday",
                "вівтор(?:ок|ка|ку)": "tuesday",
                "серед(?:а|у|и)": "wednesday",
                "четвер(?:га|гу)?": "thursday",
                "п['ʼ’]?ятниц(?:я|ю|і)": "friday",
                "субот(?:а|у|и)": "saturday",
                "неділ(?:я|ю|і)": "sunday",
            },
            r"\b{}\b",
        ),
    ),
    # Saturday's names and "last week", which dateparser lacks (no word boundaries: vowel
    # signs are not word characters to the re module).
    "pa": (
        (re.compile("ਸ਼ਨੀਵਾਰ|ਸ਼ਨਿੱਚਰਵਾਰ|ਛਨਿੱਚਰਵਾਰ|ਸ਼ਨਿਚਰਵਾਰ|ਸ਼ਨਿੱਚਰ"), "saturday"),
        (re.compile("ਪਿਛਲੇ (?:ਹਫ਼ਤੇ|ਹਫ\u0a3cਤੇ|ਹਫਤੇ)"), "last week"),
    ),
    "zh": (
        (re.compile(r"(\d+)个?(星期|礼拜)前"), r"\1周前"),
        (re.compile(r"上个?(星期|礼拜)"), "上周"),
        # "3月12日" (12 March), the question's own example, which dateparser reads only
        # with a year: the day, the month's English name and any year, alone. Left among
        # Chinese words ("大概3月12日", about 12 March; "3月12日晚上", in the evening), it
        # was read as Chinese, the "12" alone: the 12th of this month. The part of the
        # day and a time are read from the person's own words.
        *(
            (
                re.compile(rf".*?(?:(\d{{4}})年)?(?<!\d){number}月(\d{{1,2}})[日号].*"),
                rf"\2 {month} \1",
            )
            for number, month in enumerate(calendar.month_name[1:], start=1)
        ),
    ),
}


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """Any of the phrases, the longest first ("avant-hier soir", not "hier soir").

    As whole words, except a phrase in Han, written with no spaces between words: it is
    found inside its run ("昨晚我被骂了", last night I was sworn at).
    """
    alternatives = "|".join(
        re.escape(p) if UNSPACED_RUN.fullmatch(p) else rf"(?<!\w){re.escape(p)}(?!\w)"
        for p in sorted(phrases, key=len, reverse=True)
    )
    return re.compile(f"({alternatives})")


_DAY_PART_PATTERN: Final = _phrase_pattern(_DAY_PARTS)
_PART_OF_DAY_PATTERN: Final = _phrase_pattern(_PARTS_OF_DAY)

#: Phrases that name a day in one language only: Urdu "کل" (yesterday or tomorrow; of
#: an incident, yesterday) means "whole" in Persian.
_LANGUAGE_DAY_PARTS: Final[dict[str, dict[str, tuple[int, int]]]] = {
    "ur": {"کل صبح": (1, 9), "کل شام": (1, 19), "کل": (1, 12)},
}
_LANGUAGE_DAY_PART_PATTERNS: Final = {
    language: _phrase_pattern(phrases) for language, phrases in _LANGUAGE_DAY_PARTS.items()
}

# dateparser language codes differ from ours only where a romanised form has no support.
_DATEPARSER_LANGUAGES: Final = frozenset(
    ["en", "cy", "pl", "ro", "ur", "pa", "bn", "ar", "so", "pt", "es", "uk", "zh", "lt", "fa", "fr"]
)


#: dateparser's periods too long to stand for a day.
_TOO_VAGUE: Final = frozenset({"month", "year"})


def _settings(now: datetime, zone: tzinfo) -> dict[str, Any]:
    local = now.astimezone(zone)
    return {
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": local.replace(tzinfo=None),
        "DATE_ORDER": "DMY",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": str(zone),
        "TO_TIMEZONE": str(zone),
    }


def resolve_date(
    text: str, *, language: str, now: datetime, zone: tzinfo = UK_ZONE
) -> datetime | None:
    """Resolve a "when" answer to a timezone-aware datetime that is never after ``now``.

    Args:
        text: The answer as the person sent it.
        language: The conversation language (dateparser is also allowed English, which
            people mix in).
        now: The current time; naive values are taken as UTC.
        zone: The local zone that day parts ("this morning") refer to.

    Returns:
        The moment, or None when nothing can be understood. Never raises.
    """
    try:
        return _resolve(text, language, now, zone)
    except Exception:  # dateparser raises on odd inputs; a date is never worth a crash.
        logger.warning("date resolution failed (language=%s, length=%d)", language, len(text))
        return None


def _resolve(text: str, language: str, now: datetime, zone: tzinfo) -> datetime | None:
    if now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo("UTC"))
    cleaned = _SHORTHAND_PATTERN.sub(lambda word: _SHORTHAND[word.group()], normalise(text)[:200])
    if not cleaned:
        return None
    written = _time_written(cleaned, language)
    if written is not None:
        timed = _at_time(*written, language, now, zone)
        if timed is not None:
            return timed
    without_hour = _BARE_HOUR.sub(" ", cleaned)
    if without_hour != cleaned and not _COUNTED_BACK.search(cleaned):
        # Unless the number was the day of the month ("around 12 March") or a count
        # ("about 2 days ago"), which the rest alone does not name.
        day = _resolve_day(without_hour, language, now, zone)
        if day is not None:
            return day
    return _resolve_day(cleaned, language, now, zone)


def _time_written(cleaned: str, language: str) -> tuple[time, int, str] | None:
    """The time of day the text gives, the days it lies after the day named, the rest.

    The rest of the text names the day. dateparser reads "18h" in some languages only,
    and around a time ("vers 18h", "around 6pm") not at all: "ontem às 18h" (yesterday
    at 6pm) was the day before. An hour said with a part of the day is on the 12-hour
    clock: "hier soir à 9h" and "ieri pe la 9 seara" are 21:00 (once 9:00 and noon),
    "last night at 2" the small hours after that day. A number alone is an hour only
    with a part of the day it can be in: "2 men in the evening" names no time.
    """
    if _COUNTED_BACK.search(cleaned):
        return None  # "il y a 2h" is two hours ago, not two o'clock
    part = _part_of_day(cleaned, language)
    clock = _CLOCK.search(cleaned)
    if clock is not None:
        hour, minute = int(clock.group("hour")), _minutes(clock)
        half = clock.group("half")
        if half == "pm" and hour < 12:
            hour += 12
        elif half == "am" and hour == 12:
            hour = 0
        later = 0
        if half is None and part is not None and hour <= 12:
            hour, later = _in_part_of_day(hour, part) or (hour, 0)
        start, end = clock.span()
    elif part is None and (said := _HOUR_SAID.search(cleaned)) is not None:
        hour, minute, later = int(said.group("at") or said.group("of")), 0, 0
        start, end = said.span()
    else:
        numbers = list(_LONE_NUMBER.finditer(cleaned))
        if part is None or len(numbers) != 1:
            return None
        shifted = _in_part_of_day(int(numbers[0].group()), part)
        if shifted is None:
            return None
        (hour, later), minute = shifted, 0
        start, end = numbers[0].span()
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute), later, f"{cleaned[:start]} {cleaned[end:]}".strip()


def _minutes(clock: re.Match[str]) -> int:
    written = clock.group("minute") or clock.group("dotted") or clock.group("han_minute")
    return int(written) if written else 30 if clock.group("han_half") else 0


def _in_part_of_day(hour: int, part: int) -> tuple[int, int] | None:
    """An hour said with a part of the day, on the 24-hour clock, and the days it is after.

    ``part`` is the part's hour, as in :data:`_PARTS_OF_DAY`. None if the hour cannot
    be in that part of the day.
    """
    if part < 12:  # the morning
        return (hour, 0) if 4 <= hour <= 11 else None
    if part < 18:  # the afternoon; "las 7 de la tarde" is 19:00
        if 12 <= hour <= 19:
            return hour, 0
        return (hour + 12, 0) if 1 <= hour <= 7 else None
    if part < 21:  # the evening
        if 17 <= hour <= 23:
            return hour, 0
        return (hour + 12, 0) if 5 <= hour <= 11 else None
    if 20 <= hour <= 23:  # the night, which runs on into the next day
        return hour, 0
    if 7 <= hour <= 11:
        return hour + 12, 0
    return (hour % 12, 1) if hour <= 4 or hour == 12 else None


def _part_of_day(cleaned: str, language: str) -> int | None:
    """The hour of the part of the day the text names ("seara", "last night"), if any."""
    found = _PART_OF_DAY_PATTERN.search(cleaned)
    if found is not None:
        return _PARTS_OF_DAY[found.group(1)]
    part = _DAY_PART_PATTERN.search(cleaned)
    day = _DAY_PARTS[part.group(1)] if part else _language_day_part(cleaned, language)
    # A day named alone ("yesterday") is at noon: no part of it.
    return day[1] if day is not None and day[1] != 12 else None


def _at_time(
    at: time, later: int, rest: str, language: str, now: datetime, zone: tzinfo
) -> datetime | None:
    """The day the rest of the text names (and ``later`` days on), at the time ``at``."""
    day = _resolve_day(rest, language, now, zone)
    if day is None:
        return None
    local = day.astimezone(zone).date() + timedelta(days=later)
    return min(datetime.combine(local, at, tzinfo=zone), now.astimezone(zone))


def _resolve_day(cleaned: str, language: str, now: datetime, zone: tzinfo) -> datetime | None:
    part = _DAY_PART_PATTERN.search(cleaned)
    day = _DAY_PARTS[part.group(1)] if part else None
    weekday = _last_week_day(cleaned, language, now.astimezone(zone).date())
    if weekday is not None:
        day = weekday  # which dateparser gets wrong, with or without a time
    # With digits ("last night at 11pm", "12/03 this morning") dateparser may know more.
    elif day is None or any(char.isdigit() for char in cleaned):
        found = _dateparser(_for_dateparser(cleaned, language), language, now, zone)
        if found is not None:
            # A time in digits is dateparser's; one it made up from words ("ayer por la
            # mañana" at the present hour) gives way to the part of the day named.
            moment, timed = found
            if timed and any(char.isdigit() for char in cleaned):
                return moment
            return _at_part_of_day(moment, cleaned, now, zone)
        day = day or _language_day_part(cleaned, language)
        if day is None:
            return None
    return _at_part_of_day(day_back(*day, now=now, zone=zone), cleaned, now, zone)


def day_back(days: int, hour: int = 12, *, now: datetime, zone: tzinfo = UK_ZONE) -> datetime:
    """The local day ``days`` before ``now`` at ``hour``, never after ``now``.

    A day named without a time ("yesterday", or the option "Yesterday") is its noon,
    so that a time of day is not made up.
    """
    local_day = now.astimezone(zone).date() - timedelta(days=days)
    return min(datetime.combine(local_day, time(hour), tzinfo=zone), now.astimezone(zone))


def _at_part_of_day(moment: datetime, cleaned: str, now: datetime, zone: tzinfo) -> datetime:
    """The day of ``moment`` at the part of the day the text names, if it names one.

    dateparser reads "ayer por la mañana" (yesterday morning) as yesterday at the
    present hour, and the phrases above name a day only ("užvakar vakare", the evening
    before yesterday, was its noon).
    """
    found = _PART_OF_DAY_PATTERN.search(cleaned)
    if found is None:
        return moment
    local = moment.astimezone(zone)
    at = datetime.combine(local.date(), time(_PARTS_OF_DAY[found.group(1)]), tzinfo=zone)
    return min(at, now.astimezone(zone))


def _last_week_day(cleaned: str, language: str, today: date) -> tuple[int, int] | None:
    """The day (days back, local hour) of "上周五" (Friday of last week), if named."""
    found = _CHINESE_LAST_WEEK_DAY.search(cleaned) if language == "zh" else None
    if found is None:
        return None
    return today.weekday() + 7 - _CHINESE_WEEKDAYS[found.group(1)], 12


def _language_day_part(cleaned: str, language: str) -> tuple[int, int] | None:
    """The day (days back, local hour) a phrase of this language alone names, if any."""
    pattern = _LANGUAGE_DAY_PART_PATTERNS.get(language)
    found = pattern.search(cleaned) if pattern is not None else None
    return _LANGUAGE_DAY_PARTS[language][found.group(1)] if found is not None else None


def _for_dateparser(cleaned: str, language: str) -> str:
    """The text with its counts in digits, and "N days ago" where only English reads it."""
    readable = _with_digits(cleaned, language)
    for pattern, english in _REWRITES.get(language, ()):
        readable = pattern.sub(english, readable)
    return readable


def _with_digits(cleaned: str, language: str) -> str:
    """The text with its counts in digits, which dateparser reads in every language."""
    if language == "zh":
        return _CHINESE_COUNT.sub(lambda match: str(_CHINESE_DIGITS[match.group(1)]), cleaned)
    counts = _COUNTS.get(language)
    if counts is None:
        return cleaned
    return " ".join(str(counts.get(word, word)) for word in cleaned.split(" "))


def _dateparser(
    cleaned: str, language: str, now: datetime, zone: tzinfo
) -> tuple[datetime, bool] | None:
    """The moment dateparser reads, and whether it read a time of day."""
    import dateparser.search  # noqa: PLC0415  (slow import, only needed on "when" answers)
    from dateparser.date import DateDataParser  # noqa: PLC0415

    languages = [language] if language in _DATEPARSER_LANGUAGES else []
    if "en" not in languages:
        languages.append("en")
    # The period tells a time of day that was written ("friday at 10pm") from one made up.
    settings = {**_settings(now, zone), "RETURN_TIME_AS_PERIOD": True}
    parser = DateDataParser(languages=languages, settings=settings)
    data = parser.get_date_data(cleaned)
    if data.date_obj is None:
        results = dateparser.search.search_dates(cleaned, languages=languages, settings=settings)
        if results:
            data = parser.get_date_data(results[0][0])
    found = data.date_obj
    if found is None:
        return None
    if found.tzinfo is None:
        found = found.replace(tzinfo=zone)
    if found > now or data.period in _TOO_VAGUE:
        # Weekdays and dates already resolve to the past (PREFER_DATES_FROM), so this is
        # a word for the future ("mañana" alone is tomorrow); or it names a month or a
        # year ("in March"), for which dateparser makes up today's day of the month. No
        # date is better than a made-up one; the person's words are kept with the report.
        return None
    if data.period == "time":
        return found, True
    # A day without a time: its noon, as the phrase tables have it, not dateparser's
    # midnight ("friday") or the present hour ("2 days ago", "ayer por la mañana").
    return min(datetime.combine(found.astimezone(zone).date(), time(12), tzinfo=zone), now), False
