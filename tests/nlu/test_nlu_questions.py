"""Questions asked back to the bot, told from answers in every language."""

from __future__ import annotations

from datetime import datetime

import pytest

from nlu.data_reader import LanguageData, available_languages, read_languages
from nlu.embedded import EmbeddedUnderstander
from nlu.questions import QUESTION_LOOKUP, QUESTION_WITHIN_LOOKUP, QuestionFinder, marked


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("what happens if I say yes?", "en"),
        ("do I have to give my name", "en"),  # no mark: the question word says it
        ("yes??? 😕", "en"),  # marks after the last word, whatever follows them
        ("¿es gratis", "es"),  # the Spanish opening mark alone
        ("que significa anónimo", "es"),
        ("c'est quoi Victim Support", "fr"),
        ("o que acontece se eu disser que sim", "pt"),
        ("czy mogę bez imienia", "pl"),  # the Polish question particle
        ("ce înseamnă anonim", "ro"),
        ("ar turiu sakyti vardą", "lt"),
        ("чи треба називати ім'я", "uk"),
        ("هل يجب أن أعطي اسمي", "ar"),
        ("ماذا يحدث إذا وافقت؟", "ar"),  # the Arabic question mark
        ("یعنی چی ناشناس", "fa"),
        ("kya mujhe naam dena hoga", "ur"),
        ("ਕੀ ਮੈਨੂੰ ਨਾਮ ਦੱਸਣਾ ਪਵੇਗਾ", "pa"),
        ("কি আমাকে নাম দিতে হবে", "bn"),
        ("要钱吗", "zh"),  # the question particle at the end, no mark
        ("这是什么意思", "zh"),
        ("是否要留名字？", "zh"),  # the full-width mark
        ("maxay ka dhigan tahay", "so"),
        ("হ্যাঁ বললে কী হবে", "bn"),  # what happens if I say yes: the question word last
        ("اگه بگم آره چی میشه", "fa"),  # the same, in Persian
        ("so what happens next", "en"),
        ("what did he say", "en"),  # the verb first: asked, not told
        ("kyun poochh rahe ho", "ur"),  # why are you asking
        ("beth yw ystyr dienw", "cy"),
    ],
)
def test_questions_asked_back(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str
) -> None:
    assert understander.parse(text, language=language, now=now).question


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("yes", "en"),
        ("when I was walking home", "en"),  # "when" and "where" begin answers too
        ("whatever you think", "en"),  # a question word only as a whole word
        ("porque soy gay", "es"),  # because, not why
        ("jak najbardziej", "pl"),  # absolutely: "jak" alone is no question word
        ("maxaa yeelay waxaan ahay muslim", "so"),  # because I am Muslim
        ("没什么", "zh"),  # it's nothing
        ("можна", "uk"),  # you may: a yes to "may we...?"
        ("ممكن", "ar"),  # maybe, possibly
        # "What" words that also mean "every": how often it happened, not a question.
        ("co tydzień", "pl"),  # every week
        ("що тижня", "uk"),  # every week
        ("kas savaitę", "lt"),  # every week
        ("ce-i drept, de multe ori", "ro"),  # truth be told, many times
        ("¡sí!", "es"),
        ("ok :)", "en"),
        # A question word opening an account: a question puts the verb first.
        ("what he said was vile", "en"),
        ("how they treated me was disgusting", "en"),
        # Because, written as two words ("kyun", why, and "ke"): once a question.
        ("kyun ke woh mujhse nafrat karte hain", "ur"),
        ("کیوں کہ میں مسلمان ہوں", "ur"),
        ("ਕਿਉਂ ਕਿ ਮੈਂ ਸਿੱਖ ਹਾਂ", "pa"),
    ],
)
def test_answers_are_not_questions(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str
) -> None:
    assert not understander.parse(text, language=language, now=now).question


def test_without_a_language_only_the_marks_tell() -> None:
    finder = QuestionFinder([LanguageData("en", lookups={QUESTION_LOOKUP: ["what"]})])
    assert finder.worded("what now", "en")
    assert not finder.worded("what now", None)
    assert marked("what now?")


def test_every_language_lists_its_question_words() -> None:
    every = read_languages(available_languages())
    listed = {QUESTION_LOOKUP, QUESTION_WITHIN_LOOKUP}
    assert [code for code, data in every.items() if not listed & set(data.lookups)] == []


def test_a_mark_alone_is_a_question_without_a_question_word(
    understander: EmbeddedUnderstander, now: datetime
) -> None:
    unsure = understander.parse("Hyson Green?", language="en", now=now)
    asked = understander.parse("do you need my address?", language="en", now=now)
    assert (unsure.question, unsure.question_word) == (True, False)
    assert (asked.question, asked.question_word) == (True, True)
