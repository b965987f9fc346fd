"""Cross-validation on the training data, per-strand thresholds and gendered-slur cues
(examples written for these tests, not copied from the training or held-out data)."""

from __future__ import annotations

import io
from collections import Counter
from contextlib import redirect_stdout
from datetime import datetime

import pytest

from cases.codes import RACE, SEX_GENDER, STRANDS
from nlu import crossval
from nlu.__main__ import main
from nlu.data_reader import DATA_DIR, Example, LanguageData, read_languages
from nlu.embedded import EmbeddedUnderstander
from nlu.motivation import STRAND_THRESHOLD, STRAND_THRESHOLDS, MotivationDecider


def _data() -> dict[str, LanguageData]:
    examples = [Example(f"text {i}", "hate_race", "en") for i in range(7)]
    examples += [Example(f"other {i}", "hate_age", "en") for i in range(3)]
    examples += [Example("yes", "yes", "en"), Example("tak", "yes", "pl")]
    data = {"en": LanguageData("en"), "pl": LanguageData("pl")}
    for example in examples:
        data[example.language].examples.append(example)
    return data


def test_folds_hold_every_example_once_and_spread_each_label() -> None:
    data = _data()
    folds = crossval.assign_folds(data, 3)
    dealt = [example for fold in folds for example in fold]
    assert sorted(dealt, key=repr) == sorted(
        (e for d in data.values() for e in d.examples), key=repr
    )
    race_per_fold = [sum(e.intent == "hate_race" for e in fold) for fold in folds]
    assert max(race_per_fold) - min(race_per_fold) <= 1
    # Dealing is a pure function of the data: the same folds every run.
    assert crossval.assign_folds(data, 3) == folds


def test_folds_need_at_least_two() -> None:
    with pytest.raises(ValueError, match="2 folds"):
        crossval.assign_folds(_data(), 1)


def _scored(
    truth: set[str],
    race: float,
    affirmed: frozenset[str] = frozenset(),
    negated: frozenset[str] = frozenset(),
) -> crossval.Scored:
    return crossval.Scored(
        language="en",
        truth=frozenset(truth),
        probabilities={RACE: race},
        affirmed=frozenset(affirmed),
        negated=frozenset(negated),
    )


def test_decided_replays_cues_negation_and_threshold() -> None:
    thresholds = {RACE: 0.5}
    assert crossval.decided(_scored({RACE}, 0.6), thresholds) == {RACE}
    assert crossval.decided(_scored({RACE}, 0.4), thresholds) == set()
    assert crossval.decided(_scored({RACE}, 0.1, affirmed=frozenset({RACE})), thresholds) == {RACE}
    assert crossval.decided(_scored(set(), 0.9, negated=frozenset({RACE})), thresholds) == set()


def test_best_threshold_separates_out_of_fold_scores() -> None:
    scored = [_scored({RACE}, p) for p in (0.45, 0.5, 0.9)] + [
        _scored(set(), p) for p in (0.05, 0.2, 0.3)
    ]
    best = crossval.best_thresholds(scored)
    assert 0.3 < best[RACE] <= 0.45
    figures = crossval.figures(scored, best)
    assert figures.overall[RACE].f1 == 1.0
    assert figures.per_language["en"][RACE].tp == 3


def test_cv_command_runs_on_training_data_only(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: Counter[str] = Counter()
    original = read_languages

    def reading(codes: tuple[str, ...], directory: object) -> dict[str, LanguageData]:
        seen[str(directory)] += 1
        return original(codes, DATA_DIR)

    monkeypatch.setattr(crossval, "read_languages", reading)
    out = io.StringIO()
    with redirect_stdout(out):
        assert main(["cv", "--languages", "cy", "--folds", "2"]) == 0
    text = out.getvalue()
    assert "2-fold cross-validation on nlu/data" in text
    assert "best thresholds" in text
    assert list(seen) == [str(DATA_DIR)]


def test_thresholds_cover_every_strand_and_never_exceed_the_report_level() -> None:
    assert set(STRAND_THRESHOLDS) == set(STRANDS)
    assert all(0.0 < value <= STRAND_THRESHOLD for value in STRAND_THRESHOLDS.values())


def test_middling_score_suggests_a_strand_but_does_not_make_a_report() -> None:
    decider = MotivationDecider(read_languages(["en"]).values())
    middling = (STRAND_THRESHOLDS[RACE] + STRAND_THRESHOLD) / 2
    decided = decider.decide(
        "something happened", {RACE: middling}, {}, platform=None, language="en"
    )
    assert decided.strands == {RACE}
    assert decided.sure == frozenset()
    certain = decider.decide("something happened", {RACE: 0.9}, {}, platform=None, language="en")
    assert certain.sure == {RACE}


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("nazwał mnie dziwką na przystanku", "pl"),
        ("called me a bitch and kicked my bike", "en"),
        ("在地铁上骂我骚货", "zh"),
        ("isvadino mane kekse prie parduotuves", "lt"),
        ("назвав мене повією біля магазину", "uk"),
    ],
)
def test_gendered_slurs_point_to_sex_gender(
    understander: EmbeddedUnderstander, now: datetime, text: str, language: str
) -> None:
    assert SEX_GENDER in understander.parse(text, language=language, now=now).motivations


def test_negated_sex_gender_is_still_vetoed(
    understander: EmbeddedUnderstander, now: datetime
) -> None:
    parse = understander.parse(
        "it wasnt because im a woman, he just wanted my phone", language="en", now=now
    )
    assert SEX_GENDER not in parse.motivations


def test_a_command_keeps_only_certain_strands(
    understander: EmbeddedUnderstander, now: datetime
) -> None:
    parse = understander.parse("stop", language="en", now=now)
    assert parse.intent == "stop"
    assert not parse.motivations
