"""Cross-validation of the motivation decision on the TRAINING data only.

Thresholds and other knobs of :mod:`nlu.motivation` are chosen here, never on the
held-out set (``nlu/heldout``), which is only for the final estimate printed by
``python -m nlu eval``. Each language's examples are dealt into ``folds`` folds (dealt
per label, so every fold holds every strand); for each fold the models are trained on
the other folds and score the fold's motivation examples. The decision is then replayed
on those out-of-fold probabilities with the lexicon cues (which are fixed data, not
learned, so they are the same in every fold), at a grid of thresholds per strand.

The decider suggests a strand at the lower of its threshold and
:data:`nlu.motivation.STRAND_THRESHOLD` (the "looks like a report" level), so a best
threshold above that level is a hint, not a setting.

Caveat: the lexicons were written alongside the training examples, so cue recall here
is more optimistic than on unseen text; use the figures to compare settings, not as
the estimate.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from cases.codes import STRANDS, TRANSGENDER
from nlu.classifiers import Models, decode_labels
from nlu.data_reader import DATA_DIR, Example, LanguageData, available_languages, read_languages
from nlu.evaluate import LabelCounts
from nlu.motivation import STRAND_THRESHOLDS, MotivationDecider, reread_gender_cue
from nlu.text import normalise

#: Folds used by ``python -m nlu cv`` unless told otherwise.
DEFAULT_FOLDS: Final = 5
#: Thresholds tried per strand.
GRID: Final = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)


@dataclass(frozen=True)
class Scored:
    """One motivation example scored by a model that never saw it."""

    language: str
    truth: frozenset[str]
    probabilities: Mapping[str, float]
    affirmed: frozenset[str]
    negated: frozenset[str]


def _order(example: Example) -> str:
    # A stable pseudo-random order that does not depend on file order or PYTHONHASHSEED.
    return hashlib.sha256(f"{example.language}\x00{example.text}".encode()).hexdigest()


def assign_folds(data: Mapping[str, LanguageData], folds: int) -> list[list[Example]]:
    """Deal every example into ``folds`` folds, per language and label.

    Raises:
        ValueError: When ``folds`` is below 2.
    """
    if folds < 2:
        raise ValueError("cross-validation needs at least 2 folds")
    dealt: list[list[Example]] = [[] for _ in range(folds)]
    for code in sorted(data):
        groups: dict[str, list[Example]] = {}
        for example in data[code].examples:
            groups.setdefault(example.intent, []).append(example)
        # Continue dealing where the previous label stopped, so labels with one or two
        # examples do not all land in fold 0.
        position = 0
        for label in sorted(groups):
            for example in sorted(groups[label], key=_order):
                dealt[position % folds].append(example)
                position += 1
    return dealt


def _subset(
    data: Mapping[str, LanguageData], examples: Iterable[Example]
) -> dict[str, LanguageData]:
    subset = {
        code: LanguageData(code, [], language.synonyms, language.lookups, language.regexes)
        for code, language in data.items()
    }
    for example in examples:
        subset[example.language].examples.append(example)
    return subset


def score_out_of_fold(data: Mapping[str, LanguageData], folds: int) -> list[Scored]:
    """Score every motivation example with models trained on the other folds.

    Args:
        data: Training data keyed by language (the held-out set is never passed here).
        folds: Number of folds.

    Returns:
        One :class:`Scored` per motivation example.
    """
    decider = MotivationDecider(data.values())
    dealt = assign_folds(data, folds)
    scored: list[Scored] = []
    for held, fold in enumerate(dealt):
        training = [example for i, other in enumerate(dealt) if i != held for example in other]
        models = Models.train(_subset(data, training))
        for example in fold:
            labels = decode_labels(example)
            if labels is None:
                continue
            normalised = normalise(example.text)
            affirmed, negated = decider.cues(normalised, example.language)
            scored.append(
                Scored(
                    language=example.language,
                    truth=labels.strands,
                    probabilities=models.score(normalised).motivation,
                    affirmed=frozenset(affirmed),
                    negated=frozenset(negated),
                )
            )
    return scored


def decided(item: Scored, thresholds: Mapping[str, float]) -> set[str]:
    """The strands :class:`nlu.motivation.MotivationDecider` would give at ``thresholds``.

    A strand missing from ``thresholds`` is never suggested by the model (cues only).
    """
    affirmed = reread_gender_cue(
        item.affirmed,
        item.negated,
        item.probabilities,
        thresholds.get(TRANSGENDER, STRAND_THRESHOLDS[TRANSGENDER]),
    )
    return {
        strand
        for strand in STRANDS
        if strand in affirmed
        or (
            strand not in item.negated
            and item.probabilities.get(strand, 0.0) >= thresholds.get(strand, 1.0)
        )
    }


@dataclass
class CvFigures:
    """Strand counts overall and per language at one set of thresholds."""

    overall: dict[str, LabelCounts]
    per_language: dict[str, dict[str, LabelCounts]]

    @staticmethod
    def macro(counts: Mapping[str, LabelCounts]) -> float:
        """Macro-F1 over the strands that occur."""
        scores = [c.f1 for c in counts.values() if c.seen]
        return sum(scores) / len(scores) if scores else 0.0


def figures(scored: Sequence[Scored], thresholds: Mapping[str, float]) -> CvFigures:
    """Count agreements of the decision at ``thresholds`` with the truth."""
    overall = {strand: LabelCounts() for strand in STRANDS}
    per_language: dict[str, dict[str, LabelCounts]] = {}
    for item in scored:
        predicted = decided(item, thresholds)
        language = per_language.setdefault(
            item.language, {strand: LabelCounts() for strand in STRANDS}
        )
        for strand in STRANDS:
            for counts in (overall, language):
                counts[strand].add(strand in item.truth, strand in predicted)
    return CvFigures(overall, per_language)


#: Out-of-fold F1 this close to the best counts as equally good (the curves are flat
#: near their peak; differences this small are noise between folds).
TOLERANCE: Final = 0.005


def best_thresholds(
    scored: Sequence[Scored], grid: Sequence[float] = GRID, tolerance: float = TOLERANCE
) -> dict[str, float]:
    """Per strand, the highest threshold of ``grid`` within ``tolerance`` of the best F1.

    Strands are independent in the decision, so each is tuned alone. Among thresholds
    about as good as the best, the highest wins: fewer false strands ("a black car
    nearly hit me" is not racism) for the same out-of-fold F1.
    """
    chosen: dict[str, float] = {}
    for strand in STRANDS:
        f1 = {
            threshold: figures(scored, {strand: threshold}).overall[strand].f1 for threshold in grid
        }
        best = max(f1.values(), default=0.0)
        good = [threshold for threshold, value in f1.items() if value >= best - tolerance]
        chosen[strand] = max(good, default=1.0)
    return chosen


def format_cv(scored: Sequence[Scored], thresholds: Mapping[str, float], title: str) -> str:
    """Per-strand and per-language out-of-fold figures at ``thresholds``."""
    result = figures(scored, thresholds)
    out = io.StringIO()
    out.write(f"{title}: out-of-fold macro-F1 {CvFigures.macro(result.overall):.3f}\n")
    for strand, counts in result.overall.items():
        out.write(
            f"  {strand:24} thr {thresholds.get(strand, 1.0):.2f}  P {counts.precision:.2f}  "
            f"R {counts.recall:.2f}  F1 {counts.f1:.2f}  (support {counts.tp + counts.fn})\n"
        )
    out.write(
        "  per language: "
        + "  ".join(
            f"{code} {CvFigures.macro(counts):.3f}"
            for code, counts in sorted(result.per_language.items())
        )
        + "\n"
    )
    return out.getvalue()


def run(languages: Sequence[str] | None = None, folds: int = DEFAULT_FOLDS) -> str:
    """Cross-validate on the training data; report current and best thresholds."""
    codes = tuple(languages) if languages else available_languages()
    scored = score_out_of_fold(read_languages(codes, DATA_DIR), folds)
    best = best_thresholds(scored)
    return (
        f"{folds}-fold cross-validation on nlu/data ({len(scored)} motivation examples)\n"
        + format_cv(scored, STRAND_THRESHOLDS, "current thresholds")
        + format_cv(scored, best, "best thresholds on this grid")
    )
