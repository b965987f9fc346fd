from __future__ import annotations

from datetime import datetime

import pytest

from nlu.embedded import EmbeddedUnderstander
from nlu.parse import DANGER_NOW, FOLLOWED, SELF_HARM, WEAPON

CASES = [
    ("he is outside my door now", DANGER_NOW),
    ("they're still here", DANGER_NOW),
    ("I'm scared they'll come back tonight", DANGER_NOW),
    ("theyre trying to break in", DANGER_NOW),
    ("he has a knife", WEAPON),
    ("he had a knife last week when he shouted at me", WEAPON),
    ("someone is following me", FOLLOWED),
    ("a man followed me home from the bus stop", FOLLOWED),
    ("I want to kill myself", SELF_HARM),
    ("i dont want to live anymore", SELF_HARM),
    ("sometimes i think about suicide", SELF_HARM),
    ("he said he'll be back tonight", DANGER_NOW),
    ("I can see them from my window", DANGER_NOW),
    ("i just want it all to end", SELF_HARM),
]


@pytest.mark.parametrize(("text", "kind"), CASES)
def test_danger_kinds(
    understander: EmbeddedUnderstander, now: datetime, text: str, kind: str
) -> None:
    assert understander.parse(text, language=None, now=now).danger == kind
    assert understander.parse(text, language="en", now=now).danger == kind


@pytest.mark.parametrize(
    "text",
    [
        "they called me names in the street last month",
        "i'm not in danger now, they left",
        "he followed me on instagram and then sent abuse",
        "yes",
        "stop",
        # at a door in the past, and home now
        "كنت عند باب المدرسة الآن أنا في البيت",
        "ele estava atrás de mim na fila",  # he was behind me in the queue
    ],
)
def test_no_danger(understander: EmbeddedUnderstander, now: datetime, text: str) -> None:
    assert understander.parse(text, language="en", now=now).danger is None


def test_danger_overrides_intent(understander: EmbeddedUnderstander, now: datetime) -> None:
    parse = understander.parse("help he is outside my door now", language="en", now=now)
    assert parse.danger == DANGER_NOW


def test_every_kind_is_reported(understander: EmbeddedUnderstander, now: datetime) -> None:
    parse = understander.parse("he has a knife and i want to kill myself", language="en", now=now)
    assert parse.dangers == frozenset({WEAPON, SELF_HARM})
    assert parse.danger == WEAPON  # the most urgent, as before
    assert understander.parse("hello", language="en", now=now).dangers == frozenset()


# A place near the home, given as the answer to "where did it happen?", is not danger:
# someone must be there now (a subject, "is standing", "is knocking", "still").
@pytest.mark.parametrize(
    ("text", "language", "danger"),
    [
        ("біля мого будинку, Лестер LE1 6RN", "uk", None),  # near my house, Leicester
        ("під моїми дверима", "uk", None),  # at my door
        ("він зараз стоїть під моїми дверима", "uk", DANGER_NOW),  # he is at my door now
        ("вони біля мого будинку", "uk", DANGER_NOW),  # they are near my house
        ("قدام بيتي، لندن", "ar", None),  # in front of my house, London
        ("عند الباب", "ar", None),  # at the door
        ("كان هو عند الباب وصرخ علي", "ar", None),  # he was at the door and shouted at me
        ("في حدا قدام بيتي", "ar", DANGER_NOW),  # someone is in front of my house
        ("عم يدقوا ع الباب", "ar", DANGER_NOW),  # they are knocking on the door
        ("prie namų, Vilniaus gatvė", "lt", None),  # near the house, Vilnius street
        ("prie mano durų", "lt", None),  # at my door
        ("jis stovi prie durų", "lt", DANGER_NOW),  # he is standing at the door
        ("jie vis dar prie namu", "lt", DANGER_NOW),  # they are still near the house
        ("ਮੇਰੇ ਘਰ ਦੇ ਬਾਹਰ, ਸਾਊਥਹਾਲ", "pa", None),  # outside my house, Southall
        ("ਉਹ ਮੇਰੇ ਘਰ ਦੇ ਬਾਹਰ ਚੀਕਿਆ", "pa", None),  # he shouted outside my house
        ("ਉਹ ਮੇਰੇ ਘਰ ਦੇ ਬਾਹਰ ਖੜ੍ਹਾ ਹੈ", "pa", DANGER_NOW),  # he is standing outside my house
        ("ਕੋਈ ਦਰਵਾਜ਼ਾ ਖੜਕਾ ਰਿਹਾ ਹੈ", "pa", DANGER_NOW),  # someone is knocking on the door
        ("guriga agtiisa, Bristol", "so", None),  # near the house, Bristol
        ("wuxuu taagan yahay albaabka hortiisa", "so", DANGER_NOW),  # he stands at the door
        ("albaabka ayay garaacayaan", "so", DANGER_NOW),  # they are knocking on the door
        ("在我家门口", "zh", None),  # at my front door
        ("在我家楼下，伦敦", "zh", None),  # downstairs from my flat, London
        ("我现在在家里", "zh", None),  # I am at home now
        ("他在我家门口", "zh", DANGER_NOW),  # he is at my front door
        ("他们还在我家楼下", "zh", DANGER_NOW),  # they are still downstairs
        ("有人正在敲我家的门", "zh", DANGER_NOW),  # someone is knocking on my door
    ],
)
def test_danger_needs_someone_there_not_a_place_alone(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str, danger: str | None
) -> None:
    assert understander.parse(text, language=language, now=now).danger == danger


@pytest.mark.parametrize(
    ("text", "language", "dangers"),
    [
        # "sigue" + a gerund is "keeps doing", not "follows me".
        ('me sigue llamando "el" aunque sabe que soy una mujer trans', "es", set()),
        ("me siguen insultando en la calle", "es", set()),
        ("un hombre me sigue a casa", "es", {FOLLOWED}),
        ("me sigue en instagram", "es", set()),
        # "tirer sur" a headscarf is pulling at it; at a person, or "tirer dessus", shooting.
        ("elle a tiré sur mon foulard", "fr", set()),
        ("elle a tire sur mon foulard", "fr", set()),
        ("il a tiré sur moi", "fr", {WEAPON}),
        ("il m'a tiré dessus", "fr", {WEAPON}),
        # Persian "کلت" (a Colt) is inside Urdu "نکلتے" (coming out).
        ("مسجد سے نکلتے وقت دو لڑکوں نے مجھے دہشت گرد کہا", "ur", set()),
        ("یه کلت داشت", "fa", {WEAPON}),  # he had a Colt
        # Ending a matter, not a life.
        ("je veux en finir avec cette histoire", "fr", set()),
        ("quiero acabar con todo esto del acoso", "es", set()),
        ("quero acabar com tudo isto", "pt", set()),
        ("oblał mnie wodą", "pl", set()),  # threw water over me
    ],
)
def test_words_that_only_look_like_danger(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str, dangers: set[str]
) -> None:
    assert understander.parse(text, language=language, now=now).dangers == dangers


@pytest.mark.parametrize(
    ("text", "language", "dangers"),
    [
        # A threat to kill is danger, not self-harm: "il allait me tuer" (he was going to
        # kill me) once got the Samaritans' number instead of the police's.
        ("il a dit qu'il allait me tuer, il est encore devant la porte", "fr", {DANGER_NOW}),
        ("il va me tuer", "fr", {DANGER_NOW}),
        ("je vais me tuer", "fr", {SELF_HARM}),
        ("jvais me tuer", "fr", {SELF_HARM}),
        ("ele disse que vai me matar", "pt", {DANGER_NOW}),
        ("vou me matar", "pt", {SELF_HARM}),
        ("quiere matarme", "es", {DANGER_NOW}),  # he wants to kill me
        ("quiero matarme", "es", {SELF_HARM}),  # I want to kill myself
        ("me voy a matar", "es", {SELF_HARM}),  # I am going to kill myself: once nothing
        # He said he would kill me: once no danger at all in these languages.
        ("powiedział że mnie zabije", "pl", {DANGER_NOW}),
        ("zabiję się", "pl", {SELF_HARM}),
        ("sakė, kad mane užmuš", "lt", {DANGER_NOW}),
        ("قال إنه سيقتلني", "ar", {DANGER_NOW}),
        ("他说要杀了我", "zh", {DANGER_NOW}),
        ("我想杀了我自己", "zh", {SELF_HARM}),
        ("dwedodd o ei fod am fy lladd i", "cy", {DANGER_NOW}),
        ("wuxuu yiri wuu i dili doonaa", "so", {DANGER_NOW}),
        ("he said he would kill me", "en", {DANGER_NOW}),
        ("he'll kill me", "en", {DANGER_NOW}),
        ("a zis că o să mă omoare", "ro", {DANGER_NOW}),
        ("وہ مجھے مار ڈالے گا", "ur", {DANGER_NOW}),
        ("گفت می‌کشمت", "fa", {DANGER_NOW}),  # he said "I'll kill you"
        ("هددني إنه يقتلني", "ar", {DANGER_NOW}),  # he threatened he would kill me
        # I will kill myself: once nothing in these languages.
        ("main apne aap ko khatam kar lunga", "ur", {SELF_HARM}),
        ("ਮੈਂ ਆਪਣੇ ਆਪ ਨੂੰ ਮਾਰ ਲਵਾਂਗਾ", "pa", {SELF_HARM}),
        ("আমি নিজেকে মেরে ফেলব", "bn", {SELF_HARM}),
        ("اس نے مجھے مارا", "ur", set()),  # he hit me: no threat to kill
        # An overdose: once nothing at all, in any language.
        ("i took a load of pills", "en", {SELF_HARM}),
        ("I've overdosed", "en", {SELF_HARM}),
        ("I had a lot of pills to take for my arthritis", "en", set()),  # a prescription
        ("me tomé todas las pastillas", "es", {SELF_HARM}),
        ("j'ai pris trop de médicaments", "fr", {SELF_HARM}),
        ("tomei muitos comprimidos", "pt", {SELF_HARM}),
        ("połknęłam wszystkie tabletki", "pl", {SELF_HARM}),
        ("am luat toate pastilele", "ro", {SELF_HARM}),
        ("я випила всі таблетки", "uk", {SELF_HARM}),
        ("بلعت كل الحبوب", "ar", {SELF_HARM}),
        ("我吃了一大把安眠药", "zh", {SELF_HARM}),
        ("išgėriau visas tabletes", "lt", {SELF_HARM}),
        ("cymerais i lot o dabledi", "cy", {SELF_HARM}),
        ("kiniin badan ayaan liqay", "so", {SELF_HARM}),
        ("همه قرص\u200cهایم را خوردم", "fa", {SELF_HARM}),
        ("میں نے ساری گولیاں کھا لیں", "ur", {SELF_HARM}),
        ("ਮੈਂ ਸਾਰੀਆਂ ਗੋਲੀਆਂ ਖਾ ਲਈਆਂ", "pa", {SELF_HARM}),
        ("আমি অনেক ঘুমের ওষুধ খেয়েছি", "bn", {SELF_HARM}),
        # Happening now, and once nothing: someone outside, a door kicked in, a fire,
        # bleeding, a child being hit.
        ("I'm locked in the bathroom, they're outside", "en", {DANGER_NOW}),
        ("there's a gang outside my flat", "en", {DANGER_NOW}),
        ("they're kicking my door in", "en", {DANGER_NOW}),
        ("he just threw a brick through my window", "en", {DANGER_NOW}),
        ("the house is on fire", "en", {DANGER_NOW}),
        ("I'm bleeding", "en", {DANGER_NOW}),
        ("he's hitting my son right now", "en", {DANGER_NOW}),
        ("he just called me a paki", "en", set()),  # words, however recent
        # A fire, bleeding, a door broken in: once nothing in each of these languages.
        ("la casa está ardiendo", "es", {DANGER_NOW}),
        ("je saigne", "fr", {DANGER_NOW}),
        ("dom się pali", "pl", {DANGER_NOW}),
        ("البيت عم يحترق", "ar", {DANGER_NOW}),
        ("گھر میں آگ لگی ہے", "ur", {DANGER_NOW}),
        ("房子着火了", "zh", {DANGER_NOW}),
        ("estou a sangrar", "pt", {DANGER_NOW}),
        ("arde casa", "ro", {DANGER_NOW}),
        ("вони під моїм домом", "uk", {DANGER_NOW}),
        ("dega namas", "lt", {DANGER_NOW}),
        ("mae'r tŷ ar dân", "cy", {DANGER_NOW}),
        ("gurigu wuu gubanayaa", "so", {DANGER_NOW}),
        ("خونه آتیش گرفته", "fa", {DANGER_NOW}),
        ("الان جلوی خونمه", "fa", {DANGER_NOW}),  # he is at my house now: once nothing
        # Wanting to die or to end it, as people say it: once nothing.
        ("chcę się zabić", "pl", {SELF_HARM}),
        ("je veux en finir", "fr", {SELF_HARM}),
        ("quero acabar com tudo", "pt", {SELF_HARM}),
        ("я хочу вмерти", "uk", {SELF_HARM}),
        ("noriu numirti", "lt", {SELF_HARM}),
        ("waxaan rabaa inaan dhinto", "so", {SELF_HARM}),
        ("بدي خلص من حياتي", "ar", {SELF_HARM}),
        ("我想结束自己的生命", "zh", {SELF_HARM}),
        ("ਮੈਂ ਖ਼ੁਦਕੁਸ਼ੀ ਕਰ ਲਵਾਂਗਾ", "pa", {SELF_HARM}),  # with the nukta
        ("vreau să-mi iau viața", "ro", {SELF_HARM}),
        # Acid, as the word is inflected or spelled: once nothing.
        ("oblał mnie kwasem", "pl", {WEAPON}),
        ("رشني بالأسيد", "ar", {WEAPON}),
        ("usne mujh par tezaab phenka", "ur", {WEAPON}),
        ("облив мене кислотою", "uk", {WEAPON}),
        ("apipylė mane rūgštimi", "lt", {WEAPON}),
        ("ਘਰ ਨੂੰ ਅੱਗ ਲੱਗ ਗਈ", "pa", {DANGER_NOW}),
        ("বাড়িতে আগুন লেগেছে", "bn", {DANGER_NOW}),
        ("nao foi por causa da cadeira de rodas", "pt", set()),  # "usa" inside "causa"
        # Followed, as people say it: once nothing.
        ("me están siguiendo", "es", {FOLLOWED}),
        ("estão a seguir-me", "pt", {FOLLOWED}),
        ("за мною йдуть", "uk", {FOLLOWED}),
        ("mane seka", "lt", {FOLLOWED}),
        ("way i daba socdaan", "so", {FOLLOWED}),
        ("دنبالم میکنن", "fa", {FOLLOWED}),
        ("mane seka instagrame", "lt", set()),  # follows me on Instagram
        ("me están siguiendo en tiktok", "es", set()),
    ],
)
def test_a_threat_to_kill_is_danger_and_killing_oneself_is_self_harm(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str, dangers: set[str]
) -> None:
    assert understander.parse(text, language=language, now=now).dangers == dangers
