"""The parse-time scorer (nlu.featurise) must agree with scikit-learn's own transform."""

from __future__ import annotations

import time
from datetime import datetime

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from nlu.classifiers import Models
from nlu.data_reader import HELD_OUT_DIR, Example, available_languages, read_languages
from nlu.embedded import EmbeddedUnderstander
from nlu.featurise import TfidfPart, char_wb_ngrams, word_ngrams
from nlu.text import normalise

ODD = ["", " ", "😀😀", "x" * 700, "a  b\t\tc", "İstanbul ß ǅ", "la2 em7o 3a", "他叫我滚回去"]


def _every_example() -> list[Example]:
    training = read_languages(available_languages())
    held = read_languages(available_languages(HELD_OUT_DIR), HELD_OUT_DIR)
    return [e for data in (*training.values(), *held.values()) for e in data.examples]


@pytest.fixture(scope="module")
def examples() -> list[Example]:
    return _every_example()


def test_ngrams_match_scikit_learn() -> None:
    texts = [normalise(e.text) for e in _every_example()[::7]] + ODD
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4)).build_analyzer()
    words = TfidfVectorizer(
        analyzer="word", ngram_range=(1, 2), token_pattern=r"(?u)\b\w+(?:'\w+)?\b"
    )
    word_analyzer = words.build_analyzer()
    tokenise = words.build_tokenizer()
    for text in texts:
        assert char_wb_ngrams(text.lower(), 1, 4) == chars(text)
        assert word_ngrams(tokenise(text.lower()), 1, 2) == word_analyzer(text)


def test_rows_equal_scikit_learn_transform(
    understander: EmbeddedUnderstander, examples: list[Example]
) -> None:
    features = understander._models._features
    for text in [normalise(e.text) for e in examples[::3]] + ODD:
        reference = features.transform([text]).tocsr()
        columns, values = features.row(text)
        assert np.array_equal(columns, reference.indices)
        assert values.dtype == reference.data.dtype
        assert np.array_equal(values, reference.data)  # bit for bit, not approximately


def test_scores_equal_reference_on_every_example(
    understander: EmbeddedUnderstander, examples: list[Example]
) -> None:
    models = understander._models
    different = [
        text
        for text in [normalise(e.text) for e in examples] + ODD
        if models.score(text) != models.reference_score(text)
    ]
    assert not different, different[:5]


def test_parses_identical_to_scikit_learn_path(
    understander: EmbeddedUnderstander,
    examples: list[Example],
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    texts = [(e.text, e.language) for e in examples] + [(t, None) for t in ODD]
    fast = [understander.parse(text, language=code, now=now) for text, code in texts]
    models = understander._models
    monkeypatch.setattr(models, "score", models.reference_score)
    slow = [understander.parse(text, language=code, now=now) for text, code in texts]
    different = [texts[i][0] for i, (a, b) in enumerate(zip(fast, slow, strict=True)) if a != b]
    assert not different, different[:5]


def test_part_refuses_options_it_does_not_reproduce() -> None:
    with pytest.raises(ValueError, match="analyzer"):
        TfidfPart.from_params({}, [], {"analyzer": "char"}, 0)
    with pytest.raises(ValueError, match="options"):
        TfidfPart.from_params({}, [], {"analyzer": "word", "stop_words": "english"}, 0)


def test_cold_training_is_fast() -> None:
    data = read_languages(available_languages())
    started = time.process_time()
    Models.train(data)
    # About 1 s of CPU on the reference machine; generous for a busy shared one.
    assert time.process_time() - started < 4.0
