"""The trained part of the embedded NLU: one feature space, four small linear models.

Character n-grams (inside word boundaries) carry typos, romanised spellings and scripts
without spaces (Chinese); word n-grams carry short phrases ("go back", "wasn't about").
One shared feature space means each message is featurised once for all models, which
keeps parse latency low. Linear models train in about a second on this data size and
their probabilities are good enough for confidence and fallback decisions. Fitted models
reduce to plain arrays (:meth:`Models.to_arrays`), which :mod:`nlu.model_cache` stores so
that start-up can skip training.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from cases.codes import RELIGIONS, STRANDS
from nlu.data_reader import Example, LanguageData
from nlu.featurise import TfidfPart, combined_row
from nlu.parse import NONE, REPORT
from nlu.text import fold_latin_marks, normalise, tokens, with_folded_words

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


#: The two feature spaces, by name; their parameters are part of the cache key's code.
_VECTORISER_PARAMS: Final[dict[str, dict[str, Any]]] = {
    "chars": {"analyzer": "char_wb", "ngram_range": (1, 4), "sublinear_tf": True},
    "words": {
        "analyzer": "word",
        "ngram_range": (1, 2),
        "sublinear_tf": True,
        "token_pattern": r"(?u)\b\w+(?:'\w+)?\b",
    },
}

#: What each feature space reads of a normalised text. Most Polish, Romanian, Lithuanian
#: or Welsh texts are typed without accents, some with: char n-grams see the text plus
#: the accent-free spelling of its accented words (both spellings then share n-grams,
#: and the accented n-grams still tell the language model which language it is); words
#: are read without accents. In 5-fold cross-validation on the training data it gave
#: the best motivation macro-F1 on each of three fold deals (+0.0008 to +0.0015 over
#: no folding, +0.0003 to +0.0008 over folding the whole text), the intent model's
#: out-of-fold accuracy rose from 0.917 to 0.924 (mostly Lithuanian, Romanian, Polish
#: and Portuguese commands), and language identification was unchanged.
_PART_INPUT: Final[dict[str, Callable[[str], str]]] = {
    "chars": with_folded_words,
    "words": fold_latin_marks,
}


class Features:
    """Character and word n-gram TF-IDF side by side, one sparse row per text."""

    def __init__(self, parts: dict[str, TfidfVectorizer]) -> None:
        self.parts = parts
        # The same fitted state in plain arrays, for featurising one message at parse
        # time without scikit-learn's per-call validation (see nlu.featurise).
        self._fast: list[TfidfPart] = []
        offset = 0
        for name, part in parts.items():
            self._fast.append(
                TfidfPart.from_params(part.vocabulary_, part.idf_, _VECTORISER_PARAMS[name], offset)
            )
            offset += len(part.vocabulary_)
        self.width = offset

    @classmethod
    def fit(cls, texts: list[str]) -> tuple[Features, Any]:
        """Fit both vectorisers on ``texts``; returns the features and the training matrix."""
        parts = {
            name: TfidfVectorizer(dtype=np.float32, **params)
            for name, params in _VECTORISER_PARAMS.items()
        }
        matrices = [
            part.fit_transform([_PART_INPUT[name](text) for text in texts])
            for name, part in parts.items()
        ]
        return cls(parts), sparse.hstack(matrices, format="csr")

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, Any]) -> Features:
        """Rebuild fitted vectorisers from :meth:`to_arrays` output (no refitting)."""
        parts = {}
        for name, params in _VECTORISER_PARAMS.items():
            terms = [str(term) for term in arrays[f"vocab_{name}"]]
            part = TfidfVectorizer(
                dtype=np.float32, vocabulary={term: i for i, term in enumerate(terms)}, **params
            )
            part.idf_ = np.asarray(arrays[f"idf_{name}"], dtype=np.float64)
            parts[name] = part
        return cls(parts)

    def to_arrays(self) -> dict[str, Any]:
        """The fitted state as plain arrays (text and numbers only, no pickled objects)."""
        arrays: dict[str, Any] = {}
        for name, part in self.parts.items():
            terms = [""] * len(part.vocabulary_)
            for term, index in part.vocabulary_.items():
                terms[index] = term
            arrays[f"vocab_{name}"] = np.array(terms, dtype=np.str_)
            arrays[f"idf_{name}"] = np.asarray(part.idf_)
        return arrays

    def transform(self, texts: list[str]) -> Any:
        """Featurise ``texts`` (already normalised) with scikit-learn: a sparse matrix."""
        return sparse.hstack(
            [
                part.transform([_PART_INPUT[name](text) for text in texts])
                for name, part in self.parts.items()
            ],
            format="csr",
        )

    def row(self, normalised: str) -> tuple[Any, Any]:
        """Featurise one text without scikit-learn: ``(columns, values)`` of its row.

        Equal to the non-zero entries of ``transform([normalised])``, in column order.
        """
        return combined_row(self._fast, [_PART_INPUT[name](normalised) for name in self.parts])


class _Linear:
    """A fitted linear model reduced to arrays, so scoring is one sparse product."""

    def __init__(self, classes: list[str], coef: Any, intercept: Any, *, multiclass: bool) -> None:
        self.classes = classes
        self.coef = np.ascontiguousarray(np.asarray(coef, dtype=np.float32).T)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.multiclass = multiclass

    def scores(self, features: Any) -> dict[str, float]:
        """Probabilities per class for one row of a scikit-learn feature matrix."""
        return self.probabilities(np.asarray(features @ self.coef).ravel() + self.intercept)

    def probabilities(self, logits: Any) -> dict[str, float]:
        """Probabilities per class from the logits (softmax, or sigmoid per label)."""
        if self.multiclass:
            shifted = np.exp(logits - logits.max())
            probabilities = shifted / shifted.sum()
        else:
            probabilities = 1.0 / (1.0 + np.exp(-logits))
        return {label: float(p) for label, p in zip(self.classes, probabilities, strict=True)}

    def to_arrays(self, prefix: str) -> dict[str, Any]:
        """The model as plain arrays under ``prefix`` (see :meth:`from_arrays`)."""
        return {
            f"{prefix}_classes": np.array(self.classes, dtype=np.str_),
            f"{prefix}_coef": self.coef,
            f"{prefix}_intercept": self.intercept,
            f"{prefix}_multiclass": np.array(self.multiclass),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, Any], prefix: str) -> _Linear | None:
        """Rebuild a model saved by :meth:`to_arrays`; None when it was not saved."""
        if f"{prefix}_coef" not in arrays:
            return None
        # ``coef`` is stored transposed already; pass it back in fitted orientation.
        return cls(
            [str(label) for label in arrays[f"{prefix}_classes"]],
            np.asarray(arrays[f"{prefix}_coef"]).T,
            arrays[f"{prefix}_intercept"],
            multiclass=bool(arrays[f"{prefix}_multiclass"]),
        )


def _fit_language(features: Any, labels: list[str]) -> _Linear | None:
    # Naive Bayes over char n-grams is the classic language identifier: it trains in
    # milliseconds (multinomial logistic regression took seconds on 16 languages).
    if len(set(labels)) < 2:
        return None
    from sklearn.naive_bayes import MultinomialNB  # noqa: PLC0415  (not needed to load a cache)

    model = MultinomialNB(alpha=0.05)
    model.fit(features, labels)
    return _Linear(
        [str(c) for c in model.classes_],
        model.feature_log_prob_,
        model.class_log_prior_,
        multiclass=True,
    )


def _fit_multiclass(
    features: Any, labels: list[str], c: float, *, balanced: bool = False, epochs: int = 40
) -> _Linear | None:
    classes = sorted(set(labels))
    if len(classes) < 2:
        return None
    from sklearn.linear_model import SGDClassifier  # noqa: PLC0415  (not needed to load a cache)

    # SGD with log loss: logistic regression trained in a fraction of the time of
    # lbfgs, which matters when training happens at start-up (budget: 3 s). Balanced
    # class weights: the report class holds every incident description of every
    # language and would otherwise swallow short commands the model has not seen.
    model = SGDClassifier(
        loss="log_loss",
        alpha=1.0 / (c * len(labels)),
        max_iter=epochs,
        tol=None,
        random_state=0,
        class_weight="balanced" if balanced else None,
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
    from sklearn.linear_model import SGDClassifier  # noqa: PLC0415  (as above)

    # One binary logistic regression per label, trained by SGD with the same penalty as
    # C (alpha = 1 / (C n)). liblinear took 3-4 s of CPU for the nine labels at start-up;
    # SGD takes a tenth of a second, and matched or beat it in 5-fold cross-validation
    # on the training data (model alone, F1 per strand at the decision threshold).
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
        model = SGDClassifier(
            loss="log_loss",
            alpha=1.0 / (c * features.shape[0]),
            max_iter=_MULTILABEL_EPOCHS,
            tol=None,
            random_state=0,
            class_weight="balanced",
        )
        model.fit(features, y)
        coefs.append(model.coef_[0])
        intercepts.append(float(model.intercept_[0]))
    return _Linear(names, np.vstack(coefs), np.array(intercepts), multiclass=False)


_MODEL_NAMES: Final = ("language", "intent", "motivation", "religion")
#: Passes over the motivation examples per label (SGD); more did not help in validation.
_MULTILABEL_EPOCHS: Final = 20
#: Passes over every example for the intent model. In 5-fold cross-validation on the
#: training data, 12, 20 and 40 passes gave the same out-of-fold accuracy (0.785 on
#: commands and answers, 0.992 on reports); 15 costs about a third of 40's CPU time.
_INTENT_EPOCHS: Final = 15


class Models:
    """The features and the language, intent, motivation and religion models."""

    def __init__(
        self,
        features: Features,
        *,
        language: _Linear | None,
        intent: _Linear | None,
        motivation: _Linear,
        religion: _Linear | None,
        languages: tuple[str, ...],
    ) -> None:
        self._features = features
        self._language = language
        self._intent = intent
        self._motivation = motivation
        self._religion = religion
        self.languages = languages
        # Every model's weights side by side: scoring a message is one gather of the
        # rows of its n-grams and one small product for all four models.
        present = [
            (name, model)
            for name, model in zip(
                _MODEL_NAMES, (language, intent, motivation, religion), strict=True
            )
            if model is not None
        ]
        self._weights = np.ascontiguousarray(
            np.hstack([model.coef for _, model in present]), dtype=np.float32
        )
        self._bias = np.concatenate([model.intercept for _, model in present]).astype(np.float32)
        self._slices: dict[str, tuple[_Linear, slice]] = {}
        start = 0
        for name, model in present:
            self._slices[name] = (model, slice(start, start + len(model.classes)))
            start += len(model.classes)

    @classmethod
    def train(cls, data: Mapping[str, LanguageData]) -> Models:
        """Train every model from all the training data of the given languages.

        Args:
            data: Language data keyed by code (``nlu/data``; the held-out evaluation set
                lives elsewhere and is never passed here).

        Returns:
            The trained models.
        """
        examples = [
            example for language_data in data.values() for example in language_data.examples
        ]
        texts = [normalise(example.text) for example in examples]
        features, matrix = Features.fit(texts)

        language = _fit_language(matrix, [e.language for e in examples])

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

        intent = _fit_multiclass(
            matrix[intent_rows], intent_labels, c=20.0, balanced=True, epochs=_INTENT_EPOCHS
        )
        motivation = _fit_multilabel(matrix[motive_rows], motive_targets, MOTIVATION_LABELS, c=10.0)
        religion = _fit_multiclass(matrix[religion_rows], religion_labels, c=10.0)
        logger.info(
            "trained NLU models: %d examples, %d features, %d languages",
            len(examples),
            matrix.shape[1],
            len(data),
        )
        return cls(
            features,
            language=language,
            intent=intent,
            motivation=motivation,
            religion=religion,
            languages=tuple(sorted(data)),
        )

    def to_arrays(self) -> dict[str, Any]:
        """Everything fitted, as named plain arrays (for :mod:`nlu.model_cache`)."""
        arrays = self._features.to_arrays()
        arrays["languages"] = np.array(self.languages, dtype=np.str_)
        models = (self._language, self._intent, self._motivation, self._religion)
        for name, model in zip(_MODEL_NAMES, models, strict=True):
            if model is not None:
                arrays.update(model.to_arrays(name))
        return arrays

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, Any]) -> Models:
        """Rebuild models saved by :meth:`to_arrays`, exactly as they were trained.

        Raises:
            KeyError: When a required array is missing.
        """
        motivation = _Linear.from_arrays(arrays, "motivation")
        if motivation is None:
            raise KeyError("motivation")
        return cls(
            Features.from_arrays(arrays),
            language=_Linear.from_arrays(arrays, "language"),
            intent=_Linear.from_arrays(arrays, "intent"),
            motivation=motivation,
            religion=_Linear.from_arrays(arrays, "religion"),
            languages=tuple(str(code) for code in arrays["languages"]),
        )

    def score(self, normalised: str) -> Scores:
        """Score one normalised message with every model.

        Computed from the fitted arrays directly (see :mod:`nlu.featurise`), without
        scikit-learn's per-call validation; equal to :meth:`reference_score`.
        """
        columns, values = self._features.row(normalised)
        # Products rounded to float32 and summed row after row, as scipy's sparse-dense
        # product does, so the logits equal reference_score's exactly.
        logits = (values[:, np.newaxis] * self._weights[columns]).sum(axis=0) + self._bias

        def part(name: str) -> dict[str, float] | None:
            found = self._slices.get(name)
            if found is None:
                return None
            model, where = found
            return model.probabilities(logits[where])

        return Scores(
            language=part("language") or {},
            intent=part("intent") or {NONE: 1.0},
            motivation=part("motivation") or {},
            religion=part("religion") or {},
        )

    def reference_score(self, normalised: str) -> Scores:
        """Score one message through scikit-learn's own transform (slower; for checks)."""
        features = self._features.transform([normalised])
        return Scores(
            language=self._language.scores(features) if self._language else {},
            intent=self._intent.scores(features) if self._intent else {NONE: 1.0},
            motivation=self._motivation.scores(features),
            religion=self._religion.scores(features) if self._religion else {},
        )
