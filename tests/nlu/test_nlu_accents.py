"""Accent folding in the features and danger patterns, and the gender-cue rule
(examples written for these tests, not copied from the training or held-out data)."""

from __future__ import annotations

from datetime import datetime

import pytest

from cases.codes import SEX_GENDER, TRANSGENDER
from nlu.crossval import Scored, decided
from nlu.embedded import EmbeddedUnderstander
from nlu.motivation import GENDER_CUE_MODEL_MAX, STRAND_THRESHOLDS, reread_gender_cue
from nlu.parse import DANGER_NOW, SELF_HARM, WEAPON
from nlu.text import fold_latin_marks, normalise, with_folded_words


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("łódź", "lodz"),
        ("sœur", "soeur"),
        ("søster", "soster"),
        ("ẁyr", "wyr"),
        ("n\u0308", "n"),  # a mark NFKC cannot fold into the letter
        ("مُسلِم", "مُسلِم"),  # Arabic harakat are not Latin marks
    ],
)
def test_fold_table(text: str, folded: str) -> None:
    assert fold_latin_marks(normalise(text)) == folded


def test_with_folded_words_adds_only_words_that_change() -> None:
    assert with_folded_words("był z mężczyzną") == "był z mężczyzną byl mezczyzna"
    assert with_folded_words("plain ascii") == "plain ascii"


@pytest.mark.parametrize(
    ("accented", "plain"),
    [
        ("śmiał się z mojej kuli i wózka", "smial sie z mojej kuli i wozka"),
        ("mi-a zis să mă întorc în țara mea", "mi-a zis sa ma intorc in tara mea"),
        ("tyčiojosi iš mano vežimėlio", "tyciojosi is mano vezimelio"),
    ],
)
def test_unaccented_text_shares_the_accented_features(
    understander: EmbeddedUnderstander, accented: str, plain: str
) -> None:
    # Every n-gram of the text typed without accents is also an n-gram of the accented
    # text, which keeps its accented char n-grams as well (they tell the language).
    features = understander._models._features
    plain_columns = set(features.row(normalise(plain))[0].tolist())
    accented_columns = set(features.row(normalise(accented))[0].tolist())
    assert plain_columns <= accented_columns
    assert accented_columns - plain_columns


@pytest.mark.parametrize(
    ("language", "accented", "plain"),
    [
        (
            "pl",
            "wyzywał mnie od pedałów bo trzymałem chłopaka za rękę",
            "wyzywal mnie od pedalow bo trzymalem chlopaka za reke",
        ),
        (
            "pl",
            "sąsiad krzyczy że mam wracać do swojego kraju",
            "sasiad krzyczy ze mam wracac do swojego kraju",
        ),
        (
            "pl",
            "zerwał mi chustę z głowy i nazwał terrorystką",
            "zerwal mi chuste z glowy i nazwal terrorystka",
        ),
        (
            "ro",
            "m-a făcut țigan și mi-a zis să plec din țară",
            "m-a facut tigan si mi-a zis sa plec din tara",
        ),
        ("lt", "tyčiojosi iš mano vežimėlio autobuse", "tyciojosi is mano vezimelio autobuse"),
        (
            "pt",
            "chamou-me de maricas por estar de mãos dadas com o namorado",
            "chamou-me de maricas por estar de maos dadas com o namorado",
        ),
    ],
)
def test_unaccented_message_gets_the_same_motivation(
    understander: EmbeddedUnderstander, now: datetime, language: str, accented: str, plain: str
) -> None:
    with_marks = understander.parse(accented, language=None, now=now)
    without = understander.parse(plain, language=None, now=now)
    assert with_marks.motivations
    assert without.motivations == with_marks.motivations
    # Language identification still sees the text as typed.
    assert with_marks.language == without.language == language


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # These patterns are written only with their accents in the data.
        ("wciaz tu sa", DANGER_NOW),
        ("wciąż tu są", DANGER_NOW),
        ("jestem w niebezpieczenstwie", DANGER_NOW),
        ("as pavojuje, padekit", DANGER_NOW),
        ("m-a impuscat in picior", WEAPON),
        ("galvoju apie savizudybe", SELF_HARM),
    ],
)
def test_danger_patterns_match_without_accents(
    understander: EmbeddedUnderstander, now: datetime, text: str, kind: str
) -> None:
    assert understander.parse(text, language=None, now=now).danger == kind


TRANS = STRAND_THRESHOLDS[TRANSGENDER]


@pytest.mark.parametrize(
    ("probabilities", "negated", "expected"),
    [
        # The model reads gender identity, the sex/gender word is only a cue: reread.
        ({TRANSGENDER: TRANS, SEX_GENDER: 0.1}, set(), {TRANSGENDER}),
        # The model itself leans to sex/gender: keep it.
        ({TRANSGENDER: 0.9, SEX_GENDER: GENDER_CUE_MODEL_MAX}, set(), {SEX_GENDER}),
        # Gender identity below its threshold, or negated: keep the cue.
        ({TRANSGENDER: TRANS - 0.01, SEX_GENDER: 0.1}, set(), {SEX_GENDER}),
        ({TRANSGENDER: 0.9, SEX_GENDER: 0.1}, {TRANSGENDER}, {SEX_GENDER}),
    ],
)
def test_reread_gender_cue(
    probabilities: dict[str, float], negated: set[str], expected: set[str]
) -> None:
    assert reread_gender_cue(frozenset({SEX_GENDER}), frozenset(negated), probabilities) == expected


def test_decision_and_cross_validation_apply_the_gender_cue_rule(
    understander: EmbeddedUnderstander,
) -> None:
    text = normalise("he said a woman shouldn't have hands like mine")
    decider = understander._motivation
    affirmed, negated = decider.cues(text, "en")
    assert SEX_GENDER in affirmed
    trans_report = {TRANSGENDER: 0.8, SEX_GENDER: 0.2}
    decision = decider.decide(text, trans_report, {}, platform=None, language="en")
    assert decision.strands == {TRANSGENDER}
    assert TRANSGENDER in decision.sure  # the cue still says it is a report
    other = decider.decide(
        text, {TRANSGENDER: 0.1, SEX_GENDER: 0.2}, {}, platform=None, language="en"
    )
    assert other.strands == {SEX_GENDER}
    item = Scored("en", frozenset(), trans_report, frozenset(affirmed), frozenset(negated))
    assert decided(item, STRAND_THRESHOLDS) == {TRANSGENDER}
