"""A whole report over SMS in each offered language, through the real simulation.

The person says hello, picks their language from the menu, answers every question by
its option number (free text where the question is open, written in that language)
and gets the closing message with a reference number. After the language is chosen,
no reply may contain a sentence of the English source: that is what a missing, fuzzy
or stale catalog entry looks like to the person.
"""

from __future__ import annotations

import io
import json
import re
import string
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from bot.clock import ManualClock
from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from bot.simulate import Simulator
from content import sms
from content.i18n import DOMAIN, LOCALES_DIR, language_name, translations
from tests.conftest import START, TEST_KEY

#: An account, where it happened and why, as a person might write them, per language.
FREE_TEXT: dict[str, tuple[str, str, str]] = {
    "cy": (
        "Gwaeddodd dau ddyn arna i ar y bws a fy ngwthio oherwydd fy nghrefydd.",
        "Ar y bws ar y Stryd Fawr",
        "Am fy mod i'n Fwslim ac yn gwisgo sgarff pen.",
    ),
    "pl": (
        "Dwóch mężczyzn w autobusie krzyczało na mnie z powodu mojej religii i mnie popchnęło.",
        "W autobusie na High Street",
        "Bo jestem muzułmanką i noszę chustę.",
    ),
    "ro": (
        "Doi bărbați din autobuz au țipat la mine din cauza religiei mele și m-au împins.",
        "În autobuz, pe High Street",
        "Pentru că sunt musulmană și port batic.",
    ),
    "ur": (
        "بس میں دو آدمیوں نے میرے مذہب کی وجہ سے مجھ پر چیخا اور مجھے دھکا دیا۔",
        "ہائی اسٹریٹ پر بس میں",
        "کیونکہ میں مسلمان ہوں اور حجاب پہنتی ہوں۔",
    ),
    "pa": (
        "ਬੱਸ ਵਿੱਚ ਦੋ ਆਦਮੀਆਂ ਨੇ ਮੇਰੇ ਧਰਮ ਕਰਕੇ ਮੇਰੇ 'ਤੇ ਚੀਕਿਆ ਅਤੇ ਮੈਨੂੰ ਧੱਕਾ ਦਿੱਤਾ।",
        "ਹਾਈ ਸਟ੍ਰੀਟ 'ਤੇ ਬੱਸ ਵਿੱਚ",
        "ਕਿਉਂਕਿ ਮੈਂ ਸਿੱਖ ਹਾਂ ਅਤੇ ਪੱਗ ਬੰਨ੍ਹਦਾ ਹਾਂ।",
    ),
    "bn": (
        "বাসে দুজন লোক আমার ধর্মের কারণে আমার দিকে চিৎকার করে আমাকে ধাক্কা দিয়েছে।",
        "হাই স্ট্রিটে বাসের মধ্যে",
        "কারণ আমি মুসলিম এবং হিজাব পরি।",
    ),
    "ar": (
        "صرخ رجلان في الحافلة في وجهي بسبب ديني ودفعاني.",
        "في الحافلة في الشارع الرئيسي",
        "لأنني مسلمة وأرتدي الحجاب.",
    ),
    "so": (
        "Laba nin oo basaska ku jiray ayaa igu qayliyay diintayda darteed oo i riixay.",
        "Basaska ku yaal High Street",
        "Sababtoo ah waxaan ahay Muslim oo xijaab ayaan xirtaa.",
    ),
    "pt": (
        "Dois homens no autocarro gritaram comigo por causa da minha religião e empurraram-me.",
        "No autocarro, na High Street",
        "Porque sou muçulmana e uso lenço na cabeça.",
    ),
    "es": (
        "Dos hombres en el autobús me gritaron por mi religión y me empujaron.",
        "En el autobús, en High Street",
        "Porque soy musulmana y llevo pañuelo.",
    ),
    "uk": (
        "Двоє чоловіків в автобусі кричали на мене через мою релігію і штовхнули мене.",
        "В автобусі на Гай-стріт",
        "Бо я мусульманка і ношу хустку.",
    ),
    "zh": (
        "公交车上有两个男人因为我的宗教对我大喊大叫，还推了我。",
        "在大街上的公交车里",
        "因为我是穆斯林，戴着头巾。",
    ),
    "lt": (
        "Du vyrai autobuse šaukė ant manęs dėl mano religijos ir mane pastūmė.",
        "Autobuse, High Street gatvėje",
        "Nes esu musulmonė ir dėviu skarelę.",
    ),
    "fa": (
        "دو مرد در اتوبوس به خاطر دینم سرم داد زدند و هلم دادند.",
        "در اتوبوس، در خیابان اصلی",
        "چون مسلمان هستم و روسری می‌پوشم.",
    ),
    "fr": (
        "Deux hommes dans le bus m'ont crié dessus à cause de ma religion et m'ont poussée.",
        "Dans le bus, sur High Street",
        "Parce que je suis musulmane et que je porte le voile.",
    ),
}
LANGUAGES = tuple(FREE_TEXT)

#: The option to pick wherever it is offered, most specific first (English msgids).
PREFERRED_OPTIONS = (
    "No, usual wording",  # the reading preference: standard wording
    "Yes, carry on",
    "Stay anonymous",
    "Yesterday",
    "It happened to me",
    "No, it was a stranger",
    "Yes, that is right",
    "Religion or belief",
    "Muslim",
    "A little",
    "No, thank you",
    "No, not now",
    "Any time from 9am to 9pm",
    "No",
    ("could", "No"),  # "Could the person find you again?": Welsh answers "Na allai"
)
#: The open questions, recognised by their (translated) wording.
ACCOUNT = "Please tell me what happened, in your own words. Take your time."
WHERE = (
    "Where did it happen? For example a street, a bus, a shop, your home or a postcode. "
    "If it happened online, tell me which app or website."
)
WHY = "Why do you think this happened to you?"
PLATFORM = "Which app, website or game was it on?"
NAME = "What name should we use for you?"
CLOSING = "Thank you. Your report is saved. Your reference number is {reference}."
CHOOSE_LANGUAGE = "Choose another language"

#: Enough turns for the whole report, with room for a re-asked question or two.
MAX_TURNS = 40


@cache
def english_fragments() -> frozenset[str]:
    """The English source text that must not reach someone who chose another language."""
    with (LOCALES_DIR / f"{DOMAIN}.pot").open("rb") as handle:
        template = read_po(handle)
    fragments = set()
    for message in template:
        if not message.id or not isinstance(message.id, str):
            continue
        for literal, *_ in string.Formatter().parse(message.id):
            if len(literal.strip()) > 12:
                fragments.add(literal.strip())
    return frozenset(fragments)


def tr(language: str, msgid: str | tuple[str, str]) -> str:
    """The translation of a msgid, or of a (context, msgid) pair."""
    if isinstance(msgid, tuple):
        return str(translations(language).pgettext(*msgid))
    return str(translations(language).gettext(msgid))


def prefix(language: str, msgid: str) -> str:
    """The translated text before its first placeholder."""
    return tr(language, msgid).split("{", 1)[0].strip()


@dataclass
class Person:
    """One person texting the simulated service, keeping what they were sent."""

    simulator: Simulator
    out: io.StringIO
    number: str
    replies: list[dict[str, Any]] = field(default_factory=list)

    def send(self, text: str) -> list[dict[str, Any]]:
        start = self.out.tell()
        self.simulator.step({"channel": "sms", "from": self.number, "text": text})
        self.out.seek(start)
        new = [json.loads(line) for line in self.out.read().splitlines() if line.strip()]
        assert new, f"no reply to {text!r}"
        self.replies.extend(new)
        return new


@pytest.fixture(scope="module")
def simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Simulator, io.StringIO]]:
    data_dir: Path = tmp_path_factory.mktemp("tellsafe-e2e")
    settings = replace(
        Settings.from_env({"TELLSAFE_DATA_DIR": str(data_dir)}),
        database_url=f"sqlite:///{data_dir / 'tellsafe.db'}",
        keys=TEST_KEY.decode(),
    )
    runtime: Runtime = build_runtime(settings, clock=ManualClock(START))
    out = io.StringIO()
    yield Simulator(runtime, out), out
    runtime.database.dispose()


def answer(language: str, reply: dict[str, Any]) -> str:
    """What the scripted person answers to one reply, in ``language``."""
    text: str = reply["text"]
    account, place, why = FREE_TEXT[language]
    open_questions = (
        (ACCOUNT, account),
        (WHERE, place),
        (WHY, why),
        (PLATFORM, "Facebook"),
        (NAME, "Sam"),
    )
    for msgid, response in open_questions:
        if prefix(language, msgid) in text:
            return response
    labels: list[str] = reply["choices"]
    for option in PREFERRED_OPTIONS:
        label = tr(language, option)
        if label in labels:
            return str(labels.index(label) + 1)
    raise AssertionError(f"{language}: no scripted answer to {text!r}")


def choose_language(person: Person, language: str) -> None:
    """Say hello, open the language menu if needed, and pick ``language`` by number."""
    replies = person.send("hello")
    for _ in range(2):
        labels: list[str] = replies[-1]["choices"]
        name = language_name(language)
        if name in labels:
            person.send(str(labels.index(name) + 1))
            return
        assert CHOOSE_LANGUAGE in labels, f"neither the menu nor its option: {labels}"
        replies = person.send(str(labels.index(CHOOSE_LANGUAGE) + 1))
    raise AssertionError(f"{language} is not in the language menu")


def test_script_matches_the_source_text() -> None:
    """The script finds questions by their English msgids: fail clearly if one changed."""
    with (LOCALES_DIR / f"{DOMAIN}.pot").open("rb") as handle:
        msgids = {message.id for message in read_po(handle) if message.id}
    options = {option if isinstance(option, str) else option[1] for option in PREFERRED_OPTIONS}
    scripted = {ACCOUNT, WHERE, WHY, PLATFORM, NAME, CLOSING, CHOOSE_LANGUAGE, *options}
    assert not scripted - msgids, f"no longer in the template: {sorted(scripted - msgids)}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_whole_report_in_language(language: str, simulator: tuple[Simulator, io.StringIO]) -> None:
    sim, out = simulator
    person = Person(sim, out, number=f"+4477009{LANGUAGES.index(language):05d}")
    choose_language(person, language)
    after_choice = len(person.replies) - 1  # the reply to the language number onwards

    closing = re.compile(re.escape(prefix(language, CLOSING)) + r"\s*(TS-[0-9A-Z]{4}-[0-9A-Z]{4})")
    reference = None
    for _ in range(MAX_TURNS):
        last = person.replies[-1]
        found = closing.search(last["text"])
        if found:
            reference = found.group(1)
            break
        person.send(answer(language, last))
    assert reference, f"{language}: no closing message after {MAX_TURNS} turns"

    english = english_fragments()
    for reply in person.replies[after_choice:]:
        leaked = sorted(fragment for fragment in english if fragment in reply["text"])
        assert not leaked, f"{language}: English in a reply: {leaked}"
        assert sms.segments(reply["text"]) <= sms.SEGMENT_BUDGET, (
            f"{language}: {sms.segments(reply['text'])} segments: {reply['text'][:80]!r}"
        )
    assert reference in person.replies[-1]["text"]
