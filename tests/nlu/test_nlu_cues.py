"""Lexicon matching without accents, unspaced scripts, and Punjabi/Urdu marker words
(examples written for these tests, not copied from the training or held-out data)."""

from __future__ import annotations

from datetime import datetime

import pytest

from cases.codes import DISABILITY, RELIGION, SEX_GENDER
from nlu.embedded import EmbeddedUnderstander
from nlu.language_id import LanguageIdentifier
from nlu.text import fold_latin_marks, normalise, script_of


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("żółta ściana", "zolta sciana"),
        ("țară și școală", "tara si scoala"),
        ("vežimėlis", "vezimelis"),
        ("não é", "nao e"),
        ("ŵyr", "wyr"),
        # Marks that belong to the letter in other scripts stay.
        ("عصای سفید", "عصای سفید"),
        ("হুইলচেয়ার", "হুইলচেয়ার"),
        ("їжак й", "їжак й"),
        ("ਖੁਸਰਾ", "ਖੁਸਰਾ"),
    ],
)
def test_fold_latin_marks(text: str, folded: str) -> None:
    assert fold_latin_marks(normalise(text)) == folded


def test_han_outweighs_a_few_english_words() -> None:
    assert script_of(normalise("昨天有人在insta上骂我gay")) == "han"
    assert script_of(normalise("we ate at 中国 town")) == "latin"


def test_cue_written_with_accents_matches_text_typed_without(
    understander: EmbeddedUnderstander, now: datetime
) -> None:
    # The Lithuanian lexicon has "luoš" (cripple) only with its accent.
    parse = understander.parse("vadino mane luosiu prie parduotuves", language="lt", now=now)
    assert DISABILITY in parse.motivations


@pytest.mark.parametrize(
    ("text", "strands", "online"),
    [
        ("昨天有人私信骂我女人就该闭嘴", {SEX_GENDER}, True),
        ("他们在清真寺外面朝我们扔东西", {RELIGION}, False),
    ],
)
def test_lexicons_match_inside_unspaced_chinese(
    understander: EmbeddedUnderstander, now: datetime, text: str, strands: set[str], online: bool
) -> None:
    parse = understander.parse(text, language="zh", now=now)
    assert strands <= parse.motivations
    assert parse.online is online
    if RELIGION in strands:
        assert parse.religion == "muslim"


@pytest.mark.parametrize(
    ("language", "text", "online"),
    [
        # Said face to face: "comments", "a group", "posted" and "messages" once made
        # these online (every language's cues apply to all), and the person was asked
        # which app it happened on instead of where, and sent screenshot advice.
        ("en", "a group of lads shouted at me", False),
        ("en", "my boss keeps making racist comments about me at work", False),
        ("en", "someone posted dog poo through my letterbox with a note", False),
        ("en", "he made comments about my turban on the bus", False),
        ("es", "mi jefe hace comentarios racistas en el trabajo", False),
        ("pl", "sąsiad robi komentarze o moim pochodzeniu", False),
        ("ar", "جاري بيحكي تعليقات عنصرية لما يشوفني", False),
        ("cy", "mae fy mos yn gwneud sylwadau hiliol yn y gwaith", False),
        ("uk", "сусід постійно робить коментарі про мій акцент", False),
        ("ro", "șeful face comentarii rasiste la serviciu", False),
        ("pt", "o meu chefe faz comentários racistas no trabalho", False),
        ("ur", "میرا باس کام پر نسل پرستانہ کمنٹس کرتا ہے", False),
        # And online, as people say it.
        ("en", "people keep leaving racist comments on my posts", True),
        ("en", "he keeps sending me texts calling me a paki", True),
        ("en", "they made a group chat to mock me", True),
        ("es", "me dejan comentarios racistas en mis publicaciones", True),
        ("fr", "on me laisse des commentaires racistes sous mes photos", True),
        ("pl", "ludzie piszą rasistowskie komentarze pod moimi zdjęciami", True),
        ("ar", "عم يكتبوا تعليقات عنصرية على صوري", True),
        ("cy", "maen nhw'n gadael sylwadau hiliol ar fy lluniau", True),
        ("fa", "زیر عکسام کامنت نژادپرستانه میذارن", True),
        ("pt", "deixam comentários racistas nas minhas fotos", True),
    ],
)
def test_comments_and_groups_online_only_when_they_were(
    understander: EmbeddedUnderstander, now: datetime, language: str, text: str, online: bool
) -> None:
    assert understander.parse(text, language=language, now=now).online is online


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("ohne mainu school de bahar dhakka maarya", "pa"),
        ("tusi mainu dasso ki karna chahida", "pa"),
        ("oh kal vi othe khada si te gaalan kadd reha si", "pa"),
        ("اوہنے مینوں گلی وچ دھکا دتا", "pa"),
        ("usne mujhe school ke bahar dhakka diya", "ur"),
        ("mujhe batao kya karna chahiye", "ur"),
        ("اس نے مجھے گلی میں دھکا دیا تھا", "ur"),
    ],
)
def test_punjabi_and_urdu_marker_words(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str
) -> None:
    assert understander.parse(text, language=None, now=now).language == language


def test_markers_only_decide_between_their_own_languages() -> None:
    identifier = LanguageIdentifier(
        ("es", "pa", "ur"), use_lingua=False, markers={"pa": ["asi"], "ur": ["mujhe"]}
    )
    # "asi" is a Punjabi marker but also Spanish typed without the accent: when the
    # models say Spanish, the marker changes nothing.
    own = {"es": 0.9, "pa": 0.05, "ur": 0.05}
    guess = identifier.identify("lo hizo asi sin mas", "lo hizo asi sin mas", own)
    assert guess.language == "es"
    # Between Punjabi and Urdu, the marker decides.
    own = {"es": 0.02, "pa": 0.3, "ur": 0.68}
    guess = identifier.identify("asi ghar gaye", "asi ghar gaye", own)
    assert guess.language == "pa"
