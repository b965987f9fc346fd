"""TF-IDF features of one message without scikit-learn's per-call overhead.

Training uses scikit-learn's ``TfidfVectorizer``; at parse time the same fitted state
(vocabulary and idf) is applied here in plain Python and NumPy. ``transform`` on one
short text spent about two thirds of a parse in input validation (``check_array``,
feature-name and dataframe checks, parameter validation), not in the arithmetic. This
module repeats exactly what the vectoriser computes for the analysers we use
(``char_wb`` and ``word`` n-grams, lowercase, sublinear tf, idf, l2 norm per part); a
test checks it against the scikit-learn path on every training and held-out text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt

# As in scikit-learn's ``_VectorizerMixin._white_spaces`` (runs of whitespace).
_WHITE_SPACES: Final = re.compile(r"\s\s+")
#: scikit-learn's default word pattern, used when a part does not set one.
DEFAULT_WORD_PATTERN: Final = r"(?u)\b\w\w+\b"


def char_wb_ngrams(text: str, min_n: int, max_n: int) -> list[str]:
    """Character n-grams inside word boundaries, padded with a space at each edge.

    Same n-grams, in the same order, as scikit-learn's ``char_wb`` analyser.
    """
    grams: list[str] = []
    append = grams.append
    for word in _WHITE_SPACES.sub(" ", text).split():
        padded = f" {word} "
        length = len(padded)
        for n in range(min_n, max_n + 1):
            offset = 0
            append(padded[offset : offset + n])
            while offset + n < length:
                offset += 1
                append(padded[offset : offset + n])
            if offset == 0:  # a word shorter than n is counted once
                break
    return grams


def word_ngrams(words: list[str], min_n: int, max_n: int) -> list[str]:
    """Word n-grams joined by spaces, as scikit-learn's ``word`` analyser makes them."""
    if max_n == 1:
        return list(words) if min_n == 1 else []
    grams = list(words) if min_n == 1 else []
    first = max(min_n, 2)
    for n in range(first, min(max_n + 1, len(words) + 1)):
        grams.extend(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return grams


@dataclass(frozen=True)
class TfidfPart:
    """One fitted vectoriser reduced to what transforming a text needs.

    Attributes:
        vocabulary: N-gram to column (within this part).
        idf: Inverse document frequency per column.
        analyzer: ``char_wb`` or ``word``.
        ngram_range: Smallest and largest n.
        token_pattern: Word pattern (``word`` analyser only).
        sublinear_tf: Whether term counts become ``1 + log(count)``.
        offset: The part's first column in the combined feature space.
    """

    vocabulary: Mapping[str, int]
    idf: npt.NDArray[np.float64]
    analyzer: str
    ngram_range: tuple[int, int]
    token_pattern: re.Pattern[str]
    sublinear_tf: bool
    offset: int

    @classmethod
    def from_params(
        cls,
        vocabulary: Mapping[str, int],
        idf: Any,
        params: Mapping[str, Any],
        offset: int,
    ) -> TfidfPart:
        """Build a part from a vectoriser's parameters (as passed to ``TfidfVectorizer``).

        Raises:
            ValueError: For an analyser or option this module does not reproduce.
        """
        analyzer = str(params.get("analyzer", "word"))
        if analyzer not in ("char_wb", "word"):
            raise ValueError(f"unsupported analyzer {analyzer!r}")
        unsupported = set(params) - {"analyzer", "ngram_range", "sublinear_tf", "token_pattern"}
        if unsupported:
            raise ValueError(f"unsupported vectoriser options {sorted(unsupported)}")
        low, high = params.get("ngram_range", (1, 1))
        return cls(
            vocabulary=vocabulary,
            idf=np.asarray(idf, dtype=np.float64),
            analyzer=analyzer,
            ngram_range=(int(low), int(high)),
            token_pattern=re.compile(str(params.get("token_pattern", DEFAULT_WORD_PATTERN))),
            sublinear_tf=bool(params.get("sublinear_tf", False)),
            offset=offset,
        )

    def grams(self, text: str) -> list[str]:
        """The n-grams of ``text`` (lowercased, as the vectoriser's preprocessor does)."""
        lowered = text.lower()
        low, high = self.ngram_range
        if self.analyzer == "char_wb":
            return char_wb_ngrams(lowered, low, high)
        return word_ngrams(self.token_pattern.findall(lowered), low, high)

    def row(self, text: str) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]:
        """Columns (in the combined space) and l2-normalised TF-IDF values of ``text``."""
        counts: dict[int, int] = {}
        vocabulary = self.vocabulary
        for gram in self.grams(text):
            column = vocabulary.get(gram)
            if column is not None:
                counts[column] = counts.get(column, 0) + 1
        # Every step below repeats scikit-learn's arithmetic in the same order and
        # precision (sorted columns, float32 values, float64 idf product and norm
        # accumulated left to right), so the values are bit-for-bit the same.
        columns = np.fromiter(sorted(counts), dtype=np.intp, count=len(counts))
        values = np.fromiter(
            (counts[column] for column in columns.tolist()), dtype=np.float32, count=len(counts)
        )
        if self.sublinear_tf:
            np.log(values, out=values)
            values += np.float32(1.0)
        values *= self.idf[columns]
        squares = np.cumsum((values * values).astype(np.float64))
        if len(squares) and squares[-1] != 0.0:
            values = (values.astype(np.float64) / np.sqrt(squares[-1])).astype(np.float32)
        return columns + self.offset, values


def combined_row(
    parts: list[TfidfPart], texts: Sequence[str]
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.float32]]:
    """Columns and values of one message in the parts laid side by side (as ``hstack``).

    Args:
        parts: The fitted parts, in column order.
        texts: What each part reads of the message (one text per part, in order).
    """
    rows = [part.row(text) for part, text in zip(parts, texts, strict=True)]
    return (
        np.concatenate([columns for columns, _ in rows]),
        np.concatenate([values for _, values in rows]),
    )
