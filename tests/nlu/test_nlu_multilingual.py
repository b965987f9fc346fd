from __future__ import annotations

from datetime import datetime

import pytest

from cases.codes import DISABILITY, RACE, RELIGION, SEXUAL_ORIENTATION
from nlu import parse as p
from nlu.embedded import EmbeddedUnderstander


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("powiedział żebym wrócił do swojego kraju i nazwał mnie polaczkiem", "pl"),
        ("mujhe paki bola aur kaha apne mulk wapas jao", "ur"),
        ("انہوں نے مجھے گالی دی اور کہا واپس جاؤ", "ur"),
        ("ਉਸਨੇ ਮੇਰੀ ਪੱਗ ਲਾਹ ਦਿੱਤੀ", "pa"),
        ("আমার হিজাব টেনে খুলে দিল", "bn"),
        ("dywedodd wrtha i am fynd yn ôl i fy ngwlad", "cy"),
        ("він сказав повертайся у свою країну", "uk"),
        ("他叫我滚回自己的国家", "zh"),
        ("me dijeron que me volviera a mi país", "es"),
        ("il m'a dit de retourner dans mon pays", "fr"),
        ("wuxuu igu yiri dalkaaga ku noqo", "so"),
    ],
)
def test_language_identification(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str
) -> None:
    parse = understander.parse(text, language=None, now=now)
    assert parse.language == language
    assert parse.language_confidence > 0.5


@pytest.mark.parametrize("text", ["ok", "hi", "😀", "123", "?"])
def test_short_texts_are_unsure(
    understander: EmbeddedUnderstander, now: datetime, text: str
) -> None:
    parse = understander.parse(text, language=None, now=now)
    assert parse.language is None or parse.language_confidence <= 0.5


def test_yes_never_redetects(understander: EmbeddedUnderstander, now: datetime) -> None:
    for language in ("ur", "cy", "zh", "ar"):
        parse = understander.parse("yes", language=language, now=now)
        assert parse.language == language
        assert parse.intent == p.YES


@pytest.mark.parametrize(
    ("text", "language", "intent"),
    [
        ("haan ji", "ur", p.YES),
        ("nahi", "ur", p.NO),
        ("nie", "pl", p.NO),
        ("tak", "pl", p.YES),
        ("ні", "uk", p.NO),
        ("不", "zh", p.NO),
        ("shukriya", "ur", p.THANKS),
        ("nahi shukriya", "ur", p.NO),  # no thanks: once "thanks", and "Sorry" at a referral
        ("أيوه كملي", "ar", p.CONTINUE),  # yes, go on (Egyptian, to a woman): once a report
        ("مش عارفة", "ar", p.NOT_SURE),  # I don't know (a woman): once "no"
        ("creo que no", "es", p.NO),  # I think not
        ("نمی\u200cدونم", "fa", p.NOT_SURE),  # I don't know, with the zero-width non-joiner
        ("zmień język", "pl", p.LANGUAGE),
        ("borra mis datos", "es", p.DELETE),
        ("diolch", "cy", p.THANKS),
    ],
)
def test_intents_in_other_languages(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str, intent: str
) -> None:
    assert understander.parse(text, language=language, now=now).intent == intent


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # Not in the training data: each once read as "no" (or "yes", or a request for
        # help) where people say they cannot remember or have no idea.
        ("naprawdę nie pamiętam", "pl"),
        ("la verdad no me acuerdo", "es"),
        ("راستش یادم نیست", "fa"),
        ("mujhe yaad nahi", "ur"),
        ("والله ما بتذكر", "ar"),
        ("não me lembro bem", "pt"),
        ("je m'en souviens pas", "fr"),
        ("я не пам'ятаю", "uk"),
        ("tikrai neprisimenu", "lt"),
        ("nu-mi mai amintesc", "ro"),
        ("dwi ddim yn cofio'n iawn", "cy"),
        ("আমার ঠিক মনে নেই", "bn"),
        ("ਮੈਨੂੰ ਯਾਦ ਨਹੀਂ ਹੈ", "pa"),
        ("runtii garan maayo", "so"),
        ("我不太记得了", "zh"),
        ("honestly can't remember", "en"),
    ],
)
def test_not_remembering_is_not_sure(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str
) -> None:
    parse = understander.parse(text, language=language, now=now)
    assert (parse.intent, parse.confidence >= p.SURE_CONFIDENCE) == (p.NOT_SURE, True)


@pytest.mark.parametrize(
    ("text", "language", "strands", "religion"),
    [
        ("usne meri pagri utaar di", "ur", {RELIGION}, "sikh"),
        ("mera hijab kheencha aur paki bola", "ur", {RACE, RELIGION}, "muslim"),
        ("amar hijab tene dilo", "bn", {RELIGION}, "muslim"),
        ("2al li rja3 3a baladak", "ar", {RACE}, None),
        ("chon gayam", "fa", {SEXUAL_ORIENTATION}, None),
        ("wyśmiewał moje kule", "pl", {DISABILITY}, None),
        # code-switching: Urdu with English words
        ("bus stop pe usne mujhe go back to your country bola", "ur", {RACE}, None),
    ],
)
def test_romanised_and_code_switched_motivations(
    understander: EmbeddedUnderstander,
    now: datetime,
    text: str,
    language: str,
    strands: set[str],
    religion: str | None,
) -> None:
    parse = understander.parse(text, language=language, now=now)
    assert parse.motivations == frozenset(strands)
    assert parse.religion == religion


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("mazhab ki wajah se nahi tha, usay mera phone chahiye tha", "ur"),
        ("no fue por mi religión, quería mi móvil", "es"),
        ("不是因为宗教，他想抢我的手机", "zh"),
    ],
)
def test_negation_in_other_languages(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str
) -> None:
    assert RELIGION not in understander.parse(text, language=language, now=now).motivations


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("woh abhi mere darwaze ke bahar hai", p.DANGER_NOW),
        ("uske paas chaku hai", p.WEAPON),
        ("ma idzie za mną, śledzi mnie", p.FOLLOWED),
        ("nie chcę żyć", p.SELF_HARM),
        ("tengo miedo, tiene un cuchillo", p.WEAPON),
        ("他在我家门口", p.DANGER_NOW),
        ("我想自杀", p.SELF_HARM),
        ("بدي موت", p.SELF_HARM),
        # said of several people, each once no danger
        ("śledzą mnie", p.FOLLOWED),  # they are following me
        ("idą za mną", p.FOLLOWED),
        ("يلحقونني", p.FOLLOWED),
        ("دارن دنبالم میان", p.FOLLOWED),  # they are coming after me
        ("هو عند باب البيت الآن", p.DANGER_NOW),  # he is at the door of the house now
        ("estão atrás de mim", p.FOLLOWED),  # they are after me
        ("ils me poursuivent", p.FOLLOWED),
        ("вони йдуть за мною", p.FOLLOWED),
        ("vin după mine", p.FOLLOWED),
        # Found walking conversations (session 24): danger now, said indirectly.
        ("están afuera de mi casa ahora", p.DANGER_NOW),
        ("siguen afuera", p.DANGER_NOW),
        ("eles estão na minha porta agora", p.DANGER_NOW),
        ("eles ainda estão lá fora", p.DANGER_NOW),
        ("ils sont toujours dehors devant mon immeuble", p.DANGER_NOW),
        ("إنه خارج بابي الآن", p.DANGER_NOW),  # he is outside my door now
        ("هو أمام بيتي الآن", p.DANGER_NOW),  # he is in front of my house now
        # Self-harm, and not being able to go on.
        ("quiero morirme", p.SELF_HARM),
        ("no quiero seguir viviendo", p.SELF_HARM),
        ("j'ai envie d'en finir", p.SELF_HARM),
        ("je ne veux plus vivre", p.SELF_HARM),
        ("não quero mais viver", p.SELF_HARM),
        ("não aguento mais", p.SELF_HARM),
        ("我撑不下去了", p.SELF_HARM),
        ("活着有什么意思", p.SELF_HARM),
        ("لا أريد أن أعيش بعد الآن", p.SELF_HARM),  # I don't want to live any more
        ("ਮੈਂ ਹੁਣ ਜਿਉਣਾ ਨਹੀਂ ਚਾਹੁੰਦਾ", p.SELF_HARM),  # I don't want to live now
        ("ਜੀਣ ਦਾ ਕੋਈ ਫ਼ਾਇਦਾ ਨਹੀਂ", p.SELF_HARM),  # there is no point in living
        ("মরে যেতে ইচ্ছে করে", p.SELF_HARM),  # I feel like dying
    ],
)
def test_danger_in_other_languages(
    understander: EmbeddedUnderstander, now: datetime, text: str, kind: str
) -> None:
    # Danger patterns of every language apply whatever the conversation language.
    assert understander.parse(text, language=None, now=now).danger == kind
    assert understander.parse(text, language="en", now=now).danger == kind


@pytest.mark.parametrize(
    ("text", "language", "intent"),
    [
        ("thik h", "ur", p.YES),
        ("pta nai", "ur", p.NOT_SURE),
        ("haanji", "pa", p.YES),
        ("jani na", "bn", p.NOT_SURE),
        ("aywa", "ar", p.YES),
        ("mersi", "fa", p.THANKS),
        ("nie wiem", "pl", p.NOT_SURE),
        ("nu stiu", "ro", p.NOT_SURE),
        ("jsp", "fr", p.NOT_SURE),
        ("dim diolch", "cy", p.NO),
        ("mahadsanid walaal", "so", p.THANKS),
        ("nezinau", "lt", p.NOT_SURE),
        ("deleat my data", "en", p.DELETE),
    ],
)
def test_texting_style_intents(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str, intent: str
) -> None:
    assert understander.parse(text, language=language, now=now).intent == intent


@pytest.mark.parametrize(
    ("text", "language", "delete"),
    [
        # "dată"/"data" is a date or a time in these languages, not "my data".
        ("o dată", "ro", False),  # once: an option of "has this happened before?"
        ("prima dată", "ro", False),  # the first time
        ("pe data de 12 martie", "ro", False),
        ("a data", "pt", False),
        ("data", "pl", False),
        ("data", "lt", False),
        ("șterge datele mele", "ro", True),
        ("vreau să îmi ștergeți datele", "ro", True),
        ("apagar os meus dados", "pt", True),
        ("usuń moje dane", "pl", True),
        ("ištrinkite mano duomenis", "lt", True),
    ],
)
def test_a_date_is_not_my_data(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str, delete: bool
) -> None:
    assert (understander.parse(text, language=language, now=now).intent == p.DELETE) is delete


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("صح", p.YES),  # right (Levantine): "is this correct?" once went unanswered
        ("مظبوط", p.YES),  # exactly
        ("ايوا", p.YES),
        ("طبعا", p.YES),  # of course
        ("غلط", p.NO),  # wrong
        ("مش صحيح", p.NO),  # not right, though it holds "صحيح" (right)
        # I agree: once a withdrawal of consent at the privacy question (it shares its
        # letters with "أسحب موافقتي"), and the report could not start.
        ("موافق", p.YES),
        ("أوافق", p.YES),
        ("لا أوافق", p.NO),  # I don't agree
        ("مش موافقة", p.NO),
        ("أسحب موافقتي", p.WITHDRAW),  # still: I withdraw my consent
    ],
)
def test_arabic_yes_and_no_as_people_say_them(
    understander: EmbeddedUnderstander, now: datetime, text: str, intent: str
) -> None:
    assert understander.parse(text, language="ar", now=now).intent == intent


@pytest.mark.parametrize(("text", "language"), [("جی", "ur"), ("ਜੀ", "pa"), ("ji", "ur")])
def test_a_polite_ji_is_yes(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str
) -> None:
    # Urdu "جی" once came out as "no" (0.50): "is this correct?" then asked them to choose.
    assert understander.parse(text, language=language, now=now).intent == p.YES


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # A nationality given as the reason once named no strand.
        ("because we are Syrian", "en"),
        ("because I'm Nigerian", "en"),
        ("cos we're Kurdish", "en"),
        ("لأننا سوريين", "ar"),  # because we are Syrian
        ("عشان أنا مصري", "ar"),  # because I am Egyptian
        ("کیونکہ ہم پاکستانی ہیں", "ur"),  # because we are Pakistani
        ("parce que je suis algérien", "fr"),
    ],
)
def test_a_nationality_given_as_the_reason_is_race(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str
) -> None:
    assert RACE in understander.parse(text, language=language, now=now).motivations


@pytest.mark.parametrize(
    ("text", "language", "strands"),
    [
        # Everyday words holding the letters of Bengali "গে" (gay) named that strand, and
        # an LGBT+ service was offered to a man abused for being Bangladeshi.
        ("আগের মতোই, আমি বাংলাদেশি বলে", "bn", {"race"}),  # as before, as I'm Bangladeshi
        ("ভয় লাগে", "bn", set()),  # I'm scared
        ("আগে কখনো হয়নি", "bn", set()),  # it never happened before
        ("ও আমাকে গে বলে গালি দিল", "bn", {"sexual_orientation"}),  # he abused me as gay
        ("কারণ আমি মুসলমান", "bn", {"religion"}),  # because I am Muslim: once none
        ("ملیت و گرایش جنسی", "fa", {"race", "sexual_orientation"}),  # nationality and ...
        ("nationality and religion", "en", {"race", "religion"}),
        ("كل يوم", "ar", set()),  # every day: once sex/gender
    ],
)
def test_strands_named_and_everyday_words(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str, strands: set[str]
) -> None:
    assert set(understander.parse(text, language=language, now=now).motivations) == strands
