"""The trained part of the embedded NLU: one feature space, four small linear models.

Character n-grams (inside word boundaries) carry typos, romanised spellings and scripts
without spaces (Chinese); word n-grams carry short phrases ("go back", "wasn't about").
One shared vectoriser means each message is featurised once for all models, which keeps
parse latency low. Linear models train in well under a second on this data size and
their probabilities are good enough for confidence and fallback decisions.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import FeatureUnion

from cases.codes import RELIGIONS, STRANDS
from nlu.data_reader import Example, LanguageData
from nlu.parse import NONE, REPORT
from nlu.text import normalise, tokens

logger = logging.getLogger(__name__)

#: Prefix of motivation labels in the data (``hate_race``, ``hate_religion_muslim``).
HATE_PREFIX: Final = "hate_"
#: Label for "not hate-related / I don't know" answers.
HATE_NONE: Final = "hate_none"
#: Label added to motivation examples that happened online.
ONLINE_LABEL: Final = "online"
_RELIGION_PREFIX: Final = "hate_religion"

#: Labels of the multi-label motivation model: the strands plus the online flag.
MOTIVATION_LABELS: Final = (*STRANDS, ONLINE_LABEL)

# Short "I don't know" answers are not reports; leaving them out of the intent model's
# report class keeps "dunno" as not_sure.
_MIN_REPORT_TOKENS: Final = 5


@dataclass(frozen=True)
class Labels:
    """Motivation labels decoded from an example's intent name."""

    strands: frozenset[str]
    religion: str | None
    online: bool


def decode_labels(example: Example) -> Labels | None:
    """Decode ``hate_race+hate_religion_muslim+online`` into strands, religion, online.

    Returns:
        The labels, or None when the example is not a motivation example.
    """
    labels = example.labels
    if not any(label.startswith(HATE_PREFIX) for label in labels):
        return None
    strands: set[str] = set()
    religion: str | None = None
    for label in labels:
        if label.startswith(_RELIGION_PREFIX):
            strands.add("religion")
            code = label[len(_RELIGION_PREFIX) + 1 :]
            religion = code if code in RELIGIONS else "unknown"
        elif label.startswith(HATE_PREFIX) and label != HATE_NONE:
            strand = label[len(HATE_PREFIX) :]
            if strand in STRANDS:
                strands.add(strand)
    return Labels(frozenset(strands), religion, ONLINE_LABEL in labels)


def intent_label(example: Example) -> str | None:
    """The intent an example teaches the intent model, or None to leave it out."""
    decoded = decode_labels(example)
    if decoded is None:
        return example.intent
    if (
        not decoded.strands
        and not decoded.online
        and len(tokens(normalise(example.text))) < _MIN_REPORT_TOKENS
    ):
        return None
    return REPORT


@dataclass(frozen=True)
class Scores:
    """Probabilities from every model for one message."""

    language: dict[str, float]
    intent: dict[str, float]
    motivation: dict[str, float]
    religion: dict[str, float]


def _vectoriser() -> FeatureUnion:
    return FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=(1, 4),
                    sublinear_tf=True,
                    min_df=1,
                    dtype=np.float32,
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    analyzer="word",
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                    token_pattern=r"(?u)\b\w+(?:'\w+)?\b",  # noqa: S106  (a regex, not a password)
                    dtype=np.float32,
                ),
            ),
        ]
    )


class _Linear:
    """A fitted linear model reduced to arrays, so scoring is one sparse product."""

    def __init__(self, classes: list[str], coef: Any, intercept: Any, *, multiclass: bool) -> None:
        self.classes = classes
        self.coef = np.ascontiguousarray(np.asarray(coef, dtype=np.float32).T)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.multiclass = multiclass

    def scores(self, features: Any) -> dict[str, float]:
        logits = np.asarray(features @ self.coef).ravel() + self.intercept
        if self.multiclass:
            shifted = np.exp(logits - logits.max())
            probabilities = shifted / shifted.sum()
        else:
            probabilities = 1.0 / (1.0 + np.exp(-logits))
        return {label: float(p) for label, p in zip(self.classes, probabilities, strict=True)}


def _fit_language(features: Any, labels: list[str]) -> _Linear | None:
    # Naive Bayes over char n-grams is the classic language identifier: it trains in
    # milliseconds (multinomial logistic regression took seconds on 16 languages).
    if len(set(labels)) < 2:
        return None
    model = MultinomialNB(alpha=0.05)
    model.fit(features, labels)
    return _Linear(
        [str(c) for c in model.classes_],
        model.feature_log_prob_,
        model.class_log_prior_,
        multiclass=True,
    )


def _fit_multiclass(features: Any, labels: list[str], c: float) -> _Linear | None:
    classes = sorted(set(labels))
    if len(classes) < 2:
        return None
    # SGD with log loss: logistic regression trained in a fraction of the time of
    # lbfgs, which matters because training happens at start-up (budget: 3 s).
    model = SGDClassifier(
        loss="log_loss", alpha=1.0 / (c * len(labels)), max_iter=40, tol=None, random_state=0
    )
    model.fit(features, labels)
    coef, intercept = model.coef_, model.intercept_
    if coef.shape[0] == 1:
        # Binary LogisticRegression keeps one row; softmax over (-z/2, z/2) equals the
        # sigmoid of z, so two halves give the same probabilities in the multiclass form.
        coef = np.vstack([-coef / 2, coef / 2])
        intercept = np.concatenate([-intercept / 2, intercept / 2])
    return _Linear([str(c) for c in model.classes_], coef, intercept, multiclass=True)


def _fit_multilabel(
    features: Any, targets: list[frozenset[str]], labels: Iterable[str], c: float
) -> _Linear:
    names: list[str] = []
    coefs: list[Any] = []
    intercepts: list[float] = []
    for label in labels:
        y = np.array([label in target for target in targets], dtype=np.int8)
        names.append(label)
        if y.min() == y.max():
            # No positive (or no negative) example: the label can never fire.
            coefs.append(np.zeros(features.shape[1], dtype=np.float32))
            intercepts.append(-10.0 if y.max() == 0 else 10.0)
            continue
        model = LogisticRegression(C=c, class_weight="balanced", solver="liblinear")
        model.fit(features, y)
        coefs.append(model.coef_[0])
        intercepts.append(float(model.intercept_[0]))
    return _Linear(names, np.vstack(coefs), np.array(intercepts), multiclass=False)


class Models:
    """The vectoriser and the language, intent, motivation and religion models."""

    def __init__(
        self,
        vectoriser: FeatureUnion,
        *,
        language: _Linear | None,
        intent: _Linear | None,
        motivation: _Linear,
        religion: _Linear | None,
        languages: tuple[str, ...],
    ) -> None:
        self._vectoriser = vectoriser
        self._language = language
        self._intent = intent
        self._motivation = motivation
        self._religion = religion
        self.languages = languages

    @classmethod
    def train(cls, data: Mapping[str, LanguageData], *, include_held_out: bool = False) -> Models:
        """Train every model from the data of the given languages.

        Args:
            data: Language data keyed by code.
            include_held_out: Also train on the evaluation split. Never true for
                evaluation; the default keeps the split clean everywhere.

        Returns:
            The trained models.
        """
        examples = [
            example
            for language_data in data.values()
            for example in language_data.examples
            if include_held_out or not example.held_out
        ]
        texts = [normalise(example.text) for example in examples]
        vectoriser = _vectoriser()
        features = vectoriser.fit_transform(texts).tocsr()

        language = _fit_language(features, [e.language for e in examples])

        intent_rows: list[int] = []
        intent_labels: list[str] = []
        motive_rows: list[int] = []
        motive_targets: list[frozenset[str]] = []
        religion_rows: list[int] = []
        religion_labels: list[str] = []
        for row, example in enumerate(examples):
            label = intent_label(example)
            if label is not None:
                intent_rows.append(row)
                intent_labels.append(label)
            decoded = decode_labels(example)
            if decoded is None:
                continue
            motive_rows.append(row)
            target = set(decoded.strands)
            if decoded.online:
                target.add(ONLINE_LABEL)
            motive_targets.append(frozenset(target))
            if decoded.religion is not None:
                religion_rows.append(row)
                religion_labels.append(decoded.religion)

        intent = _fit_multiclass(features[intent_rows], intent_labels, c=20.0)
        motivation = _fit_multilabel(
            features[motive_rows], motive_targets, MOTIVATION_LABELS, c=10.0
        )
        religion = _fit_multiclass(features[religion_rows], religion_labels, c=10.0)
        logger.info(
            "trained NLU models: %d examples, %d features, %d languages",
            len(examples),
            features.shape[1],
            len(data),
        )
        return cls(
            vectoriser,
            language=language,
            intent=intent,
            motivation=motivation,
            religion=religion,
            languages=tuple(sorted(data)),
        )

    def score(self, normalised: str) -> Scores:
        """Score one normalised message with every model."""
        features = self._vectoriser.transform([normalised])
        return Scores(
            language=self._language.scores(features) if self._language else {},
            intent=self._intent.scores(features) if self._intent else {NONE: 1.0},
            motivation=self._motivation.scores(features),
            religion=self._religion.scores(features) if self._religion else {},
        )
