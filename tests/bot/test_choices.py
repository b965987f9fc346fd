"""Typed answers to a question with options, matched in the person's language."""

from __future__ import annotations

import pytest

from bot import prompts
from bot.choices import (
    LIST_SEPARATORS,
    denies_beside_answers,
    holds_listed,
    match_one,
    match_words,
    said_not,
    whole_label,
)
from bot.messages import Choice, OutboundMessage
from cases import codes
from content.i18n import available_languages
from content.render import render_text
from followup import checkin_prompts
from nlu import parse as intents
from nlu.parse import Parse

ROLE = prompts.role().choices


@pytest.mark.parametrize(
    ("language", "answer", "code"),
    [
        ("en", "me", codes.VICTIM),
        ("en", "Myself.", codes.VICTIM),
        ("en", "it was me", codes.VICTIM),
        ("en", "witness", codes.WITNESS),
        ("en", "my husband", codes.THIRD_PARTY),
        ("en", "it happened to my son", codes.PARENT),
        ("zh", "我自己", codes.VICTIM),  # myself
        ("zh", "是我儿子", codes.PARENT),  # it was my son
        ("fr", "moi", codes.VICTIM),
        ("fr", "c'est moi", codes.VICTIM),  # it's me: once "Sorry", "moi" is too short
        ("en", "it's me", codes.VICTIM),
        ("fr", "c'était mon fils", codes.PARENT),  # it was my son
        ("cy", "fi", codes.VICTIM),  # me
        ("cy", "fy ffrind", codes.THIRD_PARTY),  # my friend
        ("ur", "میں", codes.VICTIM),  # I
        ("ur", "mere saath hua", codes.VICTIM),  # romanised Urdu: it happened to me
        ("ur", "main ne dekha", codes.WITNESS),  # I saw (it), though it holds "main" (I)
        ("ar", "صديقي", codes.THIRD_PARTY),  # my friend
        ("pl", "mój syn", codes.PARENT),  # my son
        ("pl", "widziałam", codes.WITNESS),  # I saw (it)
        ("ar", "شفت بس", codes.WITNESS),  # I just saw it: once "I did not understand"
        ("uk", "я сама", codes.VICTIM),  # myself
        ("fa", "خودم", codes.VICTIM),  # myself
        ("so", "wiilkayga", codes.PARENT),  # my son
        ("es", "fui testigo", codes.WITNESS),  # I was a witness
        # As people write them, inflected: each once "Sorry" (or, in Bengali, the victim).
        ("zh", "我是替朋友举报的", codes.THIRD_PARTY),  # I am reporting for a friend
        ("zh", "是我", codes.VICTIM),  # it's me
        ("zh", "是我朋友", codes.THIRD_PARTY),  # it's my friend: "是我" shares "我" with "我朋友"
        ("zh", "我当时在场", codes.WITNESS),  # I was there at the time
        ("pl", "zgłaszam w imieniu koleżanki", codes.THIRD_PARTY),  # on behalf of a friend
        ("pl", "zgłaszam w imieniu mojego dziecka", codes.PARENT),  # on behalf of my child
        ("pl", "to spotkało moją córkę", codes.PARENT),  # it happened to my daughter
        ("uk", "це сталося з моєю подругою", codes.THIRD_PARTY),  # it happened to my friend
        ("uk", "з моїм сином", codes.PARENT),  # with my son
        ("ar", "شفت الموقف", codes.WITNESS),  # I saw what happened
        ("ro", "i s-a întâmplat fiului meu", codes.PARENT),  # it happened to my son
        ("ur", "apni dost ke liye", codes.THIRD_PARTY),  # for my friend
        ("ur", "mere bete ke saath hua", codes.PARENT),  # it happened to my son
        ("lt", "tai nutiko mano sūnui", codes.PARENT),  # it happened to my son
        ("lt", "man nutiko", codes.VICTIM),  # it happened to me
        ("bn", "আমার বন্ধুর হয়ে জানাচ্ছি", codes.THIRD_PARTY),  # reporting for my friend
        ("pa", "ਮੇਰੇ ਦੋਸਤ ਲਈ", codes.THIRD_PARTY),  # for my friend
        ("pa", "ਮੇਰੇ ਪੁੱਤਰ ਨਾਲ ਹੋਇਆ", codes.PARENT),  # it happened to my son
        ("lt", "man ir mano šeimai", codes.VICTIM),  # to me and my family: once "Sorry"
        ("en", "me and my family", codes.VICTIM),
        ("ar", "أنا وعائلتي", codes.VICTIM),
        # "It happened to my brother" once chose the victim: "আমার" (my) is on its list.
        ("bn", "আমার ভাইয়ের সাথে হয়েছে", codes.THIRD_PARTY),
        ("ur", "mere bhai ke saath hua", codes.THIRD_PARTY),  # with my brother (oblique)
        ("pa", "ਮੇਰੇ ਭਰਾ ਨਾਲ ਹੋਇਆ", codes.THIRD_PARTY),
        ("ar", "صار مع أخوي", codes.THIRD_PARTY),  # Levantine "my brother"
        ("pl", "to spotkało mojego brata", codes.THIRD_PARTY),
        ("uk", "це сталося з моїм братом", codes.THIRD_PARTY),
        ("lt", "tai nutiko mano broliui", codes.THIRD_PARTY),
        # Saying so in the first person: each once "Sorry".
        ("en", "I'm the victim", codes.VICTIM),
        ("en", "I was the one attacked", codes.VICTIM),
        ("en", "both of us", codes.VICTIM),
        ("pl", "jestem ofiarą", codes.VICTIM),
        ("es", "yo soy la víctima", codes.VICTIM),
        ("uk", "на мене напали", codes.VICTIM),  # they attacked me
        ("zh", "我是受害者", codes.VICTIM),
        ("ar", "أنا الضحية", codes.VICTIM),
        # but not "both" or a victim of someone else
        ("en", "my son was the victim", codes.PARENT),
        ("pt", "os dois homens atacaram o meu filho", codes.PARENT),  # the two men: my son
        ("ar", "ابنتي تعرضت للاعتداء", codes.PARENT),  # my daughter was assaulted
        # There when someone they name was attacked: they saw it. Each once "Sorry".
        ("en", "I was there, it was my friend they attacked", codes.WITNESS),
        ("en", "I saw it and I called my friend", codes.WITNESS),
        ("pl", "byłam tam, zaatakowali moją przyjaciółkę", codes.WITNESS),
        ("fr", "j'étais là, c'est mon ami qu'ils ont frappé", codes.WITNESS),
        ("zh", "我看到了，他们打了我朋友", codes.WITNESS),
        # and a child's parent who was there is the parent
        ("en", "I saw my son get attacked", codes.PARENT),
    ],
)
def test_other_answers_in_each_language_choose_the_option(
    language: str, answer: str, code: str
) -> None:
    assert match_words(answer, ROLE, language) == code


@pytest.mark.parametrize(
    ("language", "answer"),
    [
        ("en", "text me"),  # "me" alone is an answer, not a word inside another
        ("en", "my son and my friend"),  # a parent and someone else's friend: ask again
        ("en", "to meet"),
        ("zh", "我朋友和我儿子"),  # my friend and my son
    ],
)
def test_an_answer_naming_no_single_option_chooses_none(language: str, answer: str) -> None:
    assert match_words(answer, ROLE, language) is None


def test_a_listed_answer_counts_as_the_whole_label() -> None:
    # A command the classifier is sure of gives way only to a whole label; a listed
    # answer is as plain ("fi" is "me" in Welsh, once taken for "help").
    assert whole_label("fi", ROLE, "cy") == codes.VICTIM
    assert whole_label("I saw it happen", ROLE, "en") == codes.WITNESS
    assert whole_label("my son was", ROLE, "en") is None


@pytest.mark.parametrize(
    "question", [prompts.role(), prompts.risk_harm(first=False)], ids=["role", "harm"]
)
def test_every_language_lists_other_answers_for_every_option(
    question: OutboundMessage,
) -> None:
    for language in available_languages():
        for choice in question.choices:
            assert choice.also is not None
            listed = render_text(choice.also, language)
            assert listed, (language, choice.code)
            assert language == "en" or listed != choice.also.msgid, (language, choice.code)


PREVIOUS = prompts.risk_previous().choices


@pytest.mark.parametrize(
    ("language", "answer", "code"),
    [
        ("ro", "o dată", "once"),  # once; the classifier once took it for "delete my data"
        ("ro", "prima dată", "no"),  # the first time
        ("pl", "pierwszy raz", "no"),
        ("pl", "raz", "once"),
        ("zh", "第一次", "no"),
        ("zh", "不止一次", "many"),  # more than once, though it holds "一次" (once)
        ("es", "más de una vez", "many"),
        ("fr", "c'est la première fois", "no"),
        ("uk", "вперше", "no"),
        # "Sometimes" got "Sorry" in every language.
        ("en", "sometimes", "many"),
        ("en", "a couple of times", "many"),
        ("pl", "czasami", "many"),
        ("es", "a veces", "many"),
        ("ar", "أحيانا", "many"),
        ("zh", "有时候", "many"),
        ("ur", "کبھی کبھی", "many"),
        ("cy", "weithiau", "many"),
    ],
)
def test_times_in_words_choose_the_option(language: str, answer: str, code: str) -> None:
    assert whole_label(answer, PREVIOUS, language) == code


OFFENDER_KNOWN = prompts.offender_known().choices


@pytest.mark.parametrize(
    ("language", "answer", "code"),
    [
        ("en", "I don't know him", "no"),
        ("en", "I know him", "yes"),
        ("en", "he is my neighbour", "yes"),
        ("ro", "nu îl cunosc", "no"),  # I don't know him, though it holds "îl cunosc"
        ("ro", "nu îl cunosc deloc", "no"),  # I don't know him at all
        ("ro", "îl cunosc", "yes"),
        ("zh", "我不认识他们", "no"),  # I don't know them, though it holds "认识" (know)
        ("zh", "好像认识", "not_sure"),  # I seem to know them
        ("pl", "nie znam go", "no"),
        ("es", "es mi vecino", "yes"),  # he is my neighbour
        # Each once "Sorry": whether the offender is known, as people say it.
        ("en", "some random guy", "no"),
        ("en", "someone from work", "yes"),
        ("en", "kids from school", "yes"),
        ("en", "I've seen him around", "not_sure"),
        ("es", "un tipo cualquiera", "no"),  # some random guy
        ("pl", "jakiś facet", "no"),  # some guy
        ("ar", "حدا من الشغل", "yes"),  # someone from work
        ("zh", "见过他", "not_sure"),  # I have seen him
        ("fr", "je le connais de vue", "not_sure"),  # I know him by sight
        ("en", "a random man", "no"),
        ("en", "some teenagers", "no"),
        ("en", "a group of men", "no"),
        ("pl", "jacyś nastolatkowie", "no"),  # some teenagers
        ("es", "un grupo de adolescentes", "no"),  # a group of teenagers
        ("zh", "一群男人", "no"),  # a group of men
        # Children could be from the person's own school: asked again, not a stranger.
        ("en", "some kids from my school", None),
    ],
)
def test_whether_the_offender_is_known_in_their_words(
    language: str, answer: str, code: str | None
) -> None:
    # The longest listed answer wins over the ones inside it ("nu îl cunosc", "不认识").
    assert match_words(answer, OFFENDER_KNOWN, language) == code


IMPACT = prompts.risk_impact().choices


@pytest.mark.parametrize(
    ("language", "answer", "code"),
    [
        ("en", "not very much", "mild"),  # holds "very much" (severe)
        ("en", "quite a bit", "moderate"),  # holds "a bit" (mild)
        ("en", "I'm scared to go out", "severe"),
        ("ar", "كتير، صرت خايفة اركب الباص", "severe"),  # a lot, I'm afraid to take the bus
        ("ar", "مش كتير", "mild"),  # not much
        ("ro", "destul de mult", "moderate"),  # quite a lot, though it holds "mult" (a lot)
        ("fr", "pas beaucoup", "mild"),
        ("zh", "有一点", "mild"),  # a little
        ("zh", "一般", "mild"),  # so-so: once "Sorry"
        # Each once "Sorry": sleep, children, "pretty bad", "I'm ok".
        ("en", "I can't sleep", "severe"),
        ("en", "my kids are scared to go to school", "severe"),
        ("en", "pretty bad", "moderate"),
        ("en", "I'm ok", "mild"),
        ("es", "no puedo dormir", "severe"),
        ("pl", "nie mogę spać", "severe"),
        ("ur", "نیند نہیں آتی", "severe"),  # I can't sleep
        ("pt", "não muito mal", "mild"),  # not too bad, though it holds "muito mal" (very bad)
        ("cy", "gwael iawn", "severe"),  # very bad, though it holds "iawn" (fine)
    ],
)
def test_how_much_it_affects_them_in_their_own_words(language: str, answer: str, code: str) -> None:
    assert match_words(answer, IMPACT, language) == code


SAFE_HOURS = prompts.safe_hours().choices


@pytest.mark.parametrize(
    ("language", "answer", "code"),
    [
        ("ar", "الصبح", "morning"),  # the label says "صباحا"
        ("es", "por la tarde", "afternoon"),
        ("pl", "wieczorem", "evening"),
        ("en", "whenever", "any"),
        ("zh", "晚上", "evening"),
    ],
)
def test_safe_hours_in_their_own_words(language: str, answer: str, code: str) -> None:
    assert match_words(answer, SAFE_HOURS, language) == code


@pytest.mark.parametrize(
    ("language", "answer", "denies"),
    [
        ("en", "not in the mornings, he is home then", True),
        ("en", "it doesn't matter", False),
        ("ar", "الصبح ما بصير", True),  # the "not" after the time
        ("ar", "ما في مشكلة، أي وقت", False),  # no problem, any time
        ("bn", "সকালে না", True),
        ("bn", "কোনো সমস্যা নেই", False),
        ("cy", "dim yn y bore", True),
        ("cy", "does dim ots gen i", False),
        ("es", "por la mañana no, está en casa", True),
        ("es", "no importa", False),
        ("fa", "صبح نه", True),
        ("fa", "مهم نیست", False),
        ("fr", "pas le matin", True),
        ("fr", "ça ne me dérange pas", False),
        ("lt", "ne ryte", True),
        ("lt", "man nesvarbu", False),
        ("pa", "ਸਵੇਰੇ ਨਹੀਂ", True),
        ("pa", "ਕੋਈ ਗੱਲ ਨਹੀਂ", False),
        ("pl", "nie rano, wtedy jest w domu", True),
        ("pl", "nie ma znaczenia", False),
        ("pt", "de manhã não", True),
        ("pt", "não importa", False),
        ("ro", "nu dimineața", True),
        ("ro", "nu contează", False),
        ("so", "subaxdii maya", True),
        ("so", "dhib ma leh", False),
        ("uk", "тільки не вранці", True),
        ("uk", "не важливо", False),
        ("ur", "صبح نہیں", True),  # "صبح" is short, and still a whole word
        ("ur", "کوئی مسئلہ نہیں", False),
        ("zh", "上午不行，他在家", True),
        ("zh", "没关系，随时都可以", False),
    ],
)
def test_a_safe_time_ruled_out_and_a_not_inside_an_answer(
    language: str, answer: str, denies: bool
) -> None:
    assert denies_beside_answers(answer, SAFE_HOURS, prompts.NEGATIONS, language) is denies


def _typed(language: str) -> Parse:
    """What the classifier makes of an answer with more in it than yes or no."""
    return Parse(language=language, intent=intents.REPORT, confidence=0.8)


@pytest.mark.parametrize(
    ("language", "answer", "code"),
    [
        ("lt", "taip, tai kolegos iš darbo", "yes"),  # yes, it's colleagues from work
        ("en", "yes it was the man next door", "yes"),
        ("en", "no, never seen him before", "no"),
        ("so", "maya, ma aqaan", "no"),  # no, I don't know (him)
        # The zero-width non-joiner inside a Persian word is no word break.
        ("fa", "نمیشناسمش", "no"),
        ("fa", "نمی\u200cشناسمش", "no"),
    ],
)
def test_an_answer_that_begins_like_one_option_chooses_it(
    language: str, answer: str, code: str
) -> None:
    # "Yes, I know who it was", "No, it was a stranger": a reply that starts "yes, ..."
    # once got "Sorry, I did not understand" when the rest of it named no option.
    assert match_one(answer, _typed(language), OFFENDER_KNOWN, language) == code


POLICE = prompts.police().choices


@pytest.mark.parametrize(
    ("language", "answer", "code"),
    [
        ("pt", "sim, ele mora ao lado", "yes"),  # yes, he lives next door: once "Sorry"
        ("pt", "não sei bem", "not_sure"),  # begins like "Não sei" and like "Não"
        ("en", "no he doesn't know where I live", "no"),
    ],
)
def test_an_answer_that_begins_with_a_whole_label_chooses_it(
    language: str, answer: str, code: str
) -> None:
    choices = prompts.risk_offender().choices
    assert match_one(answer, _typed(language), choices, language) == code


def test_a_beginning_shared_by_two_options_chooses_neither() -> None:
    # "Yes, without my name" and "Yes, with my name...": "yes, ..." is either.
    assert match_one("yes, I think so", _typed("en"), POLICE, "en") is None


HARM = prompts.risk_harm(first=False).choices


@pytest.mark.parametrize(
    ("language", "answer", "code"),
    [
        ("en", "he hit me", "hurt"),
        ("en", "nobody was hurt", "no"),  # though it holds "hurt"
        ("en", "they threatened me", "threatened"),
        ("es", "nadie salió herido", "no"),  # nobody was hurt, though it holds "herido"
        ("pl", "pobili mnie", "hurt"),  # they beat me up
        ("ur", "مجھے دھمکی دی", "threatened"),  # (he) threatened me
        ("zh", "没人受伤", "no"),  # nobody was hurt, though it holds "受伤" (hurt)
        ("so", "qofna ma dhaawacmin", "no"),  # nobody was hurt
        # Nobody was hurt, but he threatened me: once "no", and the threat lost.
        ("uk", "ні, ніхто не постраждав, але він погрожував", "threatened"),
        ("en", "nobody was hurt but they threatened me", "threatened"),
        # Attacked but not injured: the option is "attacked or hurt" (assault without
        # injury is assault), though "not injured" is a no's answer.
        ("fa", "هلم دادن ولی زخمی نشدم", "hurt"),  # they pushed me, I wasn't injured
        ("ar", "شد الطرحة بس ماتعورتش", "hurt"),  # pulled my headscarf, I wasn't hurt
        ("en", "he spat on me but didn't hit me", "hurt"),
        ("fr", "il m'a craché dessus mais il ne m'a pas frappée", "hurt"),
        ("cy", "do, ges i fy ngwthio", "hurt"),  # yes, I was pushed: once "which one?"
        ("pa", "ਮੇਰੀ ਪੱਗ ਲਾਹੀ", "hurt"),  # knocked my turban off
        ("fa", "روسریمو کشیدن", "hurt"),  # they pulled my headscarf (spoken plural)
        ("fa", "تهدیدم کردن", "threatened"),  # they threatened me (spoken plural)
        ("en", "both", "hurt"),  # attacked and threatened: the graver, once "Sorry"
        ("zh", "都有", "hurt"),
        ("pl", "jedno i drugie", "hurt"),
        ("en", "I wasn't hurt", "no"),
        ("pl", "nie zostałam ranna", "no"),  # I was not hurt, though it holds "ranna"
        # An attack told with a threat is the attack: both once got "which one?".
        ("en", "he grabbed me and threatened me", "hurt"),
        ("en", "threatened and hurt", "hurt"),
        ("es", "me empujó y me amenazó", "hurt"),  # he pushed me and threatened me
        ("pl", "popchnął mnie i groził mi", "hurt"),  # he pushed me and threatened me
        ("en", "I was pushed and threatened", "hurt"),
        ("en", "I was spat on", "hurt"),
        # He spat on my car, he didn't touch me (texting French drops the "ne").
        ("fr", "il a craché sur ma voiture, il m'a pas touchée", "no"),
        ("en", "he didn't touch me but he threatened me", "threatened"),
        # About someone else (a parent, a witness): once only "me" forms were listed.
        ("en", "they pushed her and pulled her hijab", "hurt"),
        ("en", "he hit him", "hurt"),
        ("ar", "شدوا حجابها ودفشوها", "hurt"),  # they pulled her hijab and pushed her
        ("pl", "popchnęli go", "hurt"),  # they pushed him
        ("uk", "так, його побили", "hurt"),  # yes, they beat him up: once "which one?"
        ("ro", "da, l-au bătut", "hurt"),  # yes, they beat him
    ],
)
def test_whether_anyone_was_hurt_in_their_own_words(language: str, answer: str, code: str) -> None:
    assert match_words(answer, HARM, language) == code


ANONYMITY = prompts.anonymity().choices


@pytest.mark.parametrize(
    ("language", "answer", "code"),
    [
        # Vowel signs are part of Gurmukhi and Bengali words: read as breaks, "ਮੇਰਾ ਨਾਮ ਨਾ
        # ਲਿਖੋ" (don't write my name) held "ਨਾਮ ਨਾਲ" (with my name) in pieces.
        ("pa", "ਮੇਰਾ ਨਾਮ ਨਾ ਲਿਖੋ", "anonymous"),
        ("pa", "ਮੈਂ ਨਾਮ ਦੱਸਾਂਗਾ", "named"),  # I'll give my name
        ("bn", "বেনামে থাকতে চাই", "anonymous"),  # I want to stay anonymous
        ("bn", "আমার নাম বলব", "named"),  # I'll say my name
        # Holding the whole label "Dar mi nombre" (give my name), these once chose it.
        ("es", "prefiero no dar mi nombre", "anonymous"),
        ("en", "please don't give my name", "anonymous"),
        ("zh", "不提供我的名字", "anonymous"),
        ("ro", "nu-mi dau numele", "anonymous"),
        # Ways of passing over the name: each was asked "Shall we call you Private?".
        ("en", "Private", "anonymous"),
        ("en", "skip", "anonymous"),
        ("en", "nobody", "anonymous"),
        ("en", "prefer not to say", "anonymous"),
        ("pl", "wolę nie mówić", "anonymous"),
        ("pt", "prefiro não dizer", "anonymous"),
        ("es", "Nadie", "anonymous"),
        ("fr", "je passe", "anonymous"),
        ("uk", "не скажу", "anonymous"),
        ("lt", "nesakysiu", "anonymous"),
        ("ar", "لا أحد", "anonymous"),
        ("fa", "محرمانه", "anonymous"),
        ("zh", "保密", "anonymous"),
        ("bn", "গোপন", "anonymous"),
        # the labels in Portuguese and Romanian, which no longer take a man's form
        ("pt", "manter o anonimato", "anonymous"),
        ("pt", "ficar anónima", "anonymous"),
        ("ro", "păstrez anonimatul", "anonymous"),
    ],
)
def test_anonymity_in_their_own_words(language: str, answer: str, code: str) -> None:
    assert match_words(answer, ANONYMITY, language) == code


@pytest.mark.parametrize(
    ("language", "answer", "code"),
    [
        ("pa", "ਮੇਰੇ ਨਾਲ ਹੋਇਆ", codes.VICTIM),  # it happened to me
        ("pa", "ਮੇਰੀ ਧੀ ਨਾਲ", codes.PARENT),  # to my daughter
        ("bn", "আমার ছেলের সাথে", codes.PARENT),  # to my son
    ],
)
def test_roles_in_scripts_with_vowel_signs(language: str, answer: str, code: str) -> None:
    assert match_words(answer, ROLE, language) == code


def test_carry_on_in_words_agrees_to_go_on() -> None:
    # "好的，继续" (OK, carry on) was the continue intent, which no option's code was:
    # "Sorry" at the privacy notice, before anything could be reported.
    choices = prompts.privacy().choices
    parse = Parse(language="zh", intent=intents.CONTINUE, confidence=0.82)
    assert match_one("好的，继续", parse, choices, "zh") == prompts.YES


def test_a_few_times_before_in_chinese() -> None:
    assert match_words("以前也有过几次", PREVIOUS, "zh") == "many"  # a few times before


UNSURE = 0.95


@pytest.mark.parametrize(
    ("language", "answer"),
    [
        ("en", "no idea"),  # holds the listed "no": once "No, thank you"
        ("en", "no clue"),
        ("pl", "nie pamiętam"),  # I don't remember: holds "nie" (no)
        ("pl", "nie mam pojęcia"),  # no idea
        ("ur", "مجھے یاد نہیں"),  # I don't remember: holds "نہیں" (no)
        ("pa", "ਕੋਈ ਪਤਾ ਨਹੀਂ"),  # no idea: holds "ਨਹੀਂ" (no)
    ],
)
def test_a_dont_know_chooses_nothing_where_no_option_is_not_sure(
    language: str, answer: str
) -> None:
    parse = Parse(language=language, intent=intents.NOT_SURE, confidence=UNSURE)
    assert match_one(answer, parse, prompts.yes_no(), language) is None


@pytest.mark.parametrize(
    ("language", "answer", "code"),
    [
        ("en", "no idea", "not_sure"),
        ("pl", "nie pamiętam", "not_sure"),
        ("en", "I don't know him", "no"),  # listed whole for "a stranger"
        ("ro", "nu îl cunosc", "no"),  # I don't know him
    ],
)
def test_a_dont_know_is_not_sure_unless_it_is_listed_whole(
    language: str, answer: str, code: str
) -> None:
    parse = Parse(language=language, intent=intents.NOT_SURE, confidence=UNSURE)
    assert match_one(answer, parse, prompts.offender_known().choices, language) == code


@pytest.mark.parametrize(
    ("answer", "numbers", "chooses"),
    [
        ("what happens if I say yes?", (), None),  # held a yes: once a consent
        ("do I have to give my name?", (), None),  # held the label "Give my name"
        ("yes?", (), "yes"),  # a whole answer, asked or not
        ("2?", (2,), "no"),  # so is a number
    ],
)
def test_a_question_asked_back_chooses_only_a_whole_answer(
    answer: str, numbers: tuple[int, ...], chooses: str | None
) -> None:
    parse = Parse(language="en", intent=intents.YES, confidence=0.9, numbers=numbers, question=True)
    choices = [*prompts.yes_no(), prompts.anonymity().choices[1]]
    assert match_one(answer, parse, choices, "en") == chooses


def test_a_question_the_data_holds_as_an_answer_is_that_answer() -> None:
    # "Why not?" is a yes, question mark and all.
    parse = Parse(language="en", intent=intents.YES, confidence=1.0, verbatim=True, question=True)
    assert match_one("why not?", parse, prompts.yes_no(), "en") == "yes"


QUESTIONS_WITH_LISTS = {
    "easy read": prompts.reading(),
    "role": prompts.role(),
    "anonymity": prompts.anonymity(),
    "offender": prompts.offender_known(),
    "harm": prompts.risk_harm(first=False),
    "previous": prompts.risk_previous(),
    "impact": prompts.risk_impact(),
    "safe hours": prompts.safe_hours(),
    "anything else at a check-in": checkin_prompts.anything_else(),
    "check-in opener": checkin_prompts.opener(),
    "support at a check-in": checkin_prompts.support_now(),
    "police": prompts.police(),
}


@pytest.mark.parametrize("language", available_languages())
def test_every_listed_answer_and_label_chooses_its_own_option(language: str) -> None:
    # A translator's list can take a word another option needs ("a mí" inside "a mi
    # hijo"): each answer, typed alone, must still choose the option it is listed for.
    wrong = [
        (name, said, choice.code, match_words(said, question.choices, language))
        for name, question in QUESTIONS_WITH_LISTS.items()
        for choice in question.choices
        for said in _answers_of(choice, language)
        if match_words(said, question.choices, language) != choice.code
    ]
    assert wrong == []


def _answers_of(choice: Choice, language: str) -> list[str]:
    """An option's label and its listed answers, as shown and listed in ``language``."""
    listed = render_text(choice.also, language) if choice.also is not None else ""
    answers = [render_text(choice.label, language), *LIST_SEPARATORS.split(listed)]
    return [answer.strip() for answer in answers if answer.strip()]


@pytest.mark.parametrize(
    ("language", "answer", "code"),
    [
        ("uk", "ні, все добре", "no"),  # no, all is well: once a new report, "добре" a yes
        ("pl", "nie, wszystko dobrze", "no"),
        ("es", "no, todo bien", "no"),
        ("pt", "não, está tudo bem", "no"),
        ("ro", "nu, e totul bine", "no"),
        ("lt", "ne, viskas gerai", "no"),
        ("zh", "没有，一切都好", "no"),
        ("ar", "ما صار شي", "no"),  # nothing happened
        ("uk", "не все добре", "yes"),  # not all is well: something to tell
        ("en", "not all good", "yes"),
        ("en", "it happened again", "yes"),
    ],
)
def test_all_is_well_is_a_no_to_whether_anything_else_happened(
    language: str, answer: str, code: str
) -> None:
    assert match_words(answer, checkin_prompts.anything_else().choices, language) == code


@pytest.mark.parametrize(
    ("language", "answer", "code"),
    [
        ("en", "can you message me later", "no"),  # once "Sorry" at the neutral opener
        ("pl", "później", "no"),  # later
        ("ar", "مشغولة", "no"),  # busy
        ("zh", "现在不方便", "no"),  # not convenient now
        ("en", "go ahead", "yes"),
    ],
)
def test_later_is_not_now_at_a_checkin(language: str, answer: str, code: str) -> None:
    assert match_words(answer, checkin_prompts.opener().choices, language) == code


@pytest.mark.parametrize(
    ("language", "answer", "code"),
    [
        ("en", "I'm fine thanks", "no"),  # once "Sorry"
        ("en", "that would help", "yes"),  # once the help command
        ("uk", "не треба", "no"),  # no need
        ("es", "estoy bien", "no"),
        # "I want support now": each once read as a no, and nobody was asked to call.
        ("en", "I want support now", "yes"),
        ("lt", "noriu pagalbos dabar", "yes"),
        ("pl", "chcę wsparcia teraz", "yes"),
        ("uk", "хочу підтримку зараз", "yes"),
        ("cy", "dw i eisiau cymorth nawr", "yes"),
        ("ro", "vreau sprijin acum", "yes"),
        ("so", "waxaan rabaa taageero", "yes"),
        # Its denial is a no, though it holds the yes.
        ("en", "I don't need support", "no"),
        ("pl", "nie potrzebuję pomocy", "no"),
        ("fr", "je n'ai pas besoin d'aide", "no"),
        ("ro", "nu am nevoie de ajutor", "no"),
        ("zh", "我不需要帮助", "no"),
    ],
)
def test_whether_they_want_support_now_in_their_words(
    language: str, answer: str, code: str
) -> None:
    assert match_words(answer, checkin_prompts.support_now().choices, language) == code


@pytest.mark.parametrize(
    ("language", "answer", "holds"),
    [
        ("en", "not in the morning", True),
        ("en", "mornings please", False),
        ("pl", "nie rano", True),
        ("zh", "除了上午", True),  # except the morning
        ("ar", "مش الصبح", True),  # not the morning
        ("uk", "ввечері", False),
    ],
)
def test_a_time_named_as_an_exception(language: str, answer: str, holds: bool) -> None:
    assert holds_listed(answer, prompts.NEGATIONS, language) is holds


@pytest.mark.parametrize(
    ("language", "answer", "code"),
    [
        # A consent: once "which one do you mean?", and never may it be the named report.
        ("en", "yes but don't give my name", codes.POLICE_ANONYMOUS),
        ("es", "sí, pero sin mi nombre", codes.POLICE_ANONYMOUS),
        ("zh", "可以，但不要留我的名字", codes.POLICE_ANONYMOUS),  # holds "留我的名字" (named)
        ("so", "haa, magacayga la'aan", codes.POLICE_ANONYMOUS),  # holds "magacayga" (my name)
        ("pl", "tak, z moim nazwiskiem", codes.POLICE_NAMED),
        ("ar", "ما بدي شرطة", codes.POLICE_NONE),  # I don't want police
    ],
)
def test_whether_to_tell_the_police_in_their_words(language: str, answer: str, code: str) -> None:
    assert match_words(answer, prompts.police().choices, language) == code


@pytest.mark.parametrize(
    ("language", "answer", "code"),
    [
        # A parent saying who they are: once "Sorry, I did not understand".
        ("ar", "أنا أمها وعم بلّغ عنها", "parent"),  # I'm her mother, reporting for her
        ("en", "I'm his mum", "parent"),
        ("fr", "je suis sa mère", "parent"),
        ("zh", "我是她妈妈", "parent"),
        ("en", "my mum", "third_party"),  # it happened to my mum
        ("pl", "mojemu synowi", "parent"),  # to my son (dative): once "Sorry"
    ],
)
def test_a_parent_says_who_they_are(language: str, answer: str, code: str) -> None:
    assert match_words(answer, ROLE, language) == code


@pytest.mark.parametrize(
    ("language", "answer", "denied"),
    [
        ("en", "it didn't happen to me", True),
        ("en", "it happened to me, not my son", False),
        ("pt", "não foi comigo", True),  # it was not me
        ("pl", "nie mnie, mojemu synowi", True),  # not me, my son
        ("zh", "不是我", True),  # not me
        ("zh", "不是我，是我", False),  # not me... it is me: named once without a denial
        ("zh", "是我", False),
        ("en", "me", False),
    ],
)
def test_an_option_named_only_to_be_denied(language: str, answer: str, denied: bool) -> None:
    assert said_not(answer, ROLE, "victim", prompts.NEGATIONS, language) is denied


@pytest.mark.parametrize(
    ("language", "answer", "denied"),
    [
        # Each once recorded an attack, raised the risk to high and handed the person over.
        ("zh", "他没打我", True),  # he did not hit me
        ("zh", "没人打我", True),  # nobody hit me
        ("ar", "محدش ضربني", True),  # nobody hit me (Egyptian)
        ("ur", "اس نے مجھے مارا نہیں", True),  # he did not hit me: the "not" after the verb
        ("pa", "ਮੈਨੂੰ ਮਾਰਿਆ ਨਹੀਂ", True),  # (he) did not hit me
        ("es", "nadie me pegó", True),  # nobody hit me
        ("ur", "اس نے مجھے مارا", False),  # he hit me
        ("zh", "他打了我", False),  # he hit me
        ("pa", "ਮੈਨੂੰ ਕੁੱਟਿਆ", False),  # (he) beat me
    ],
)
def test_an_attack_named_only_to_be_denied(language: str, answer: str, denied: bool) -> None:
    assert said_not(answer, HARM, "hurt", prompts.NEGATIONS, language) is denied


READING = prompts.reading().choices


@pytest.mark.parametrize(
    ("language", "answer", "code"),
    [
        # The second question everyone is asked: these once got "Sorry".
        ("en", "normal please", "no"),
        ("en", "simple please", "yes"),
        ("en", "no easy read", "no"),  # though it holds "easy read"
        ("ar", "ايه، سهل القراءة", "yes"),  # yeah, easy to read
        ("ar", "عادي", "no"),  # normal
        ("uk", "просто звичайний", "no"),  # just the usual
        ("zh", "普通的就行", "no"),  # the usual is fine
    ],
)
def test_easy_read_or_not_in_their_own_words(language: str, answer: str, code: str) -> None:
    assert match_one(answer, _typed(language), READING, language) == code


@pytest.mark.parametrize(
    ("lead", "question", "code"),
    [
        (intents.YES, prompts.offender_known(), "yes"),  # "ايه، ولاد بصفها": yeah, boys...
        (intents.NO, prompts.offender_known(), "no"),
        (intents.YES, prompts.risk_harm(first=False), None),  # two kinds of yes: which one?
    ],
)
def test_a_yes_or_no_the_answer_opens_with(lead: str, question: OutboundMessage, code: str) -> None:
    parse = Parse(language="ar", intent=intents.REPORT, confidence=0.8, lead=lead)
    assert match_one("ايه، ولاد بصفها", parse, question.choices, "ar") == code


@pytest.mark.parametrize(
    ("answer", "question", "code"),
    [
        # Typed with a space where the label has a zero-width non-joiner: once "Sorry".
        ("خیلی راضی ام", checkin_prompts.satisfaction(), "5"),  # very happy
        ("صبح ها", prompts.safe_hours(), "morning"),  # mornings
    ],
)
def test_a_persian_non_joiner_typed_as_a_space(
    answer: str, question: OutboundMessage, code: str
) -> None:
    assert match_words(answer, question.choices, "fa") == code
