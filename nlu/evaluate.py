"""Evaluation on the held-out set, ``nlu/heldout/<language>/*.yml``.

The held-out set is written separately from the training data (``nlu/data``), in the same
Rasa format, and is never trained on: not by the models, not by the exact command table.
A test checks that no held-out example also appears in the training data. The figures are
an estimate on unseen phrasings; on real traffic expect them to be lower.

Besides intents (``yes``, ``stop``...) and motivation examples (``hate_race+online``...),
held-out files may hold danger examples under an intent named after the danger kind
(``danger_now``, ``weapon``, ``followed``, ``self_harm``): every one must be caught.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Final

from cases.codes import STRANDS
from nlu.classifiers import decode_labels
from nlu.data_reader import HELD_OUT_DIR, Example, available_languages, read_languages
from nlu.embedded import EmbeddedUnderstander
from nlu.parse import DANGER_KINDS
from nlu.text import normalise, tokens

#: Language identification is judged on messages, not on one-word answers (which the
#: engine never detects from: it shows the language menu instead).
MIN_LID_TOKENS: Final = 3
MIN_LID_CHARS_NO_SPACES: Final = 4
_NONE_LABEL: Final = "(none)"


@dataclass
class LabelCounts:
    """True positives, false positives and false negatives of one label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """Tp / (tp + fp), 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Tp / (tp + fn), 1.0 when there was nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def seen(self) -> bool:
        """Whether the label occurred in the truth or the predictions."""
        return bool(self.tp + self.fp + self.fn)

    def add(self, truth: bool, predicted: bool) -> None:
        """Count one decision."""
        if truth and predicted:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif truth:
            self.fn += 1


@dataclass
class Ratio:
    """Correct out of total."""

    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        """Count one case."""
        self.total += 1
        self.correct += ok

    @property
    def value(self) -> float:
        """Correct / total, 1.0 when there was nothing to count."""
        return self.correct / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{self.value:.3f} ({self.correct}/{self.total})"


@dataclass
class LanguageFigures:
    """Every figure for one language (or overall)."""

    strands: dict[str, LabelCounts] = field(
        default_factory=lambda: {strand: LabelCounts() for strand in STRANDS}
    )
    online: LabelCounts = field(default_factory=LabelCounts)
    intent: Ratio = field(default_factory=Ratio)
    religion: Ratio = field(default_factory=Ratio)
    lid: Ratio = field(default_factory=Ratio)
    danger: Ratio = field(default_factory=Ratio)
    danger_kind: Ratio = field(default_factory=Ratio)
    false_danger: Ratio = field(default_factory=Ratio)

    def macro_f1(self) -> float:
        """Macro-F1 of the strands that occur."""
        scores = [c.f1 for c in self.strands.values() if c.seen]
        return sum(scores) / len(scores) if scores else 0.0


@dataclass
class Report:
    """Every figure printed by ``python -m nlu eval``."""

    per_language: dict[str, LanguageFigures] = field(default_factory=dict)
    overall: LanguageFigures = field(default_factory=LanguageFigures)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    intent_errors: Counter[tuple[str, str]] = field(default_factory=Counter)
    religion_given_strand: Ratio = field(default_factory=Ratio)

    def figures(self, language: str | None = None) -> LanguageFigures:
        """The figures of ``language``, or overall."""
        if language is None:
            return self.overall
        return self.per_language.setdefault(language, LanguageFigures())

    def macro_f1(self, language: str | None = None) -> float:
        """Motivation macro-F1 (in ``language``, or overall)."""
        return self.figures(language).macro_f1()

    def lid_accuracy(self, language: str | None = None) -> float:
        """Share of held-out messages whose language was identified correctly."""
        return self.figures(language).lid.value

    def intent_accuracy(self, language: str | None = None) -> float:
        """Share of held-out intent examples given the right intent."""
        return self.figures(language).intent.value

    def danger_recall(self, language: str | None = None) -> float:
        """Share of held-out danger examples that raised a danger."""
        return self.figures(language).danger.value


def _long_enough(example: Example) -> bool:
    normalised = normalise(example.text)
    if " " not in normalised:
        return len(normalised) >= MIN_LID_CHARS_NO_SPACES and not normalised.isascii()
    return len(tokens(normalised)) >= MIN_LID_TOKENS


def evaluate(
    understander: EmbeddedUnderstander, examples: Iterable[Example], now: datetime | None = None
) -> Report:
    """Run the understander on held-out examples and count agreements.

    Args:
        understander: A trained embedded understander.
        examples: Held-out examples (any language the understander reads).
        now: The time passed to parse.

    Returns:
        The report.
    """
    now = now or datetime.now(UTC)
    report = Report()
    for example in examples:
        both = (report.figures(example.language), report.overall)
        if _long_enough(example):
            detected = understander.parse(example.text, language=None, now=now).language
            for figures in both:
                figures.lid.add(detected == example.language)
        parse = understander.parse(example.text, language=example.language, now=now)
        if example.intent in DANGER_KINDS:
            for figures in both:
                figures.danger.add(bool(parse.dangers))
                figures.danger_kind.add(example.intent in parse.dangers)
            continue
        for figures in both:
            figures.false_danger.add(bool(parse.dangers))
        decoded = decode_labels(example)
        if decoded is None:
            for figures in both:
                figures.intent.add(parse.intent == example.intent)
            if parse.intent != example.intent:
                report.intent_errors[(example.intent, parse.intent)] += 1
            continue
        truth, predicted = set(decoded.strands), set(parse.motivations)
        for figures in both:
            for strand in STRANDS:
                figures.strands[strand].add(strand in truth, strand in predicted)
            figures.online.add(decoded.online, parse.online)
            if decoded.religion is not None:
                figures.religion.add(parse.religion == decoded.religion)
        if decoded.religion is not None and "religion" in predicted:
            report.religion_given_strand.add(parse.religion == decoded.religion)
        for true_label in truth or {_NONE_LABEL}:
            for predicted_label in predicted or {_NONE_LABEL}:
                report.confusion[(true_label, predicted_label)] += 1
    return report


def held_out_examples(languages: Sequence[str]) -> list[Example]:
    """Every held-out example of ``languages`` (from ``nlu/heldout``)."""
    codes = [code for code in languages if code in available_languages(HELD_OUT_DIR)]
    data = read_languages(codes, HELD_OUT_DIR)
    return [example for code in codes for example in data[code].examples]


def _strand_rows(out: io.StringIO, counts: dict[str, LabelCounts]) -> None:
    for strand, label in counts.items():
        if label.seen:
            out.write(
                f"  {strand:24} P {label.precision:.2f}  R {label.recall:.2f}  "
                f"F1 {label.f1:.2f}  (support {label.tp + label.fn})\n"
            )


def format_report(report: Report) -> str:
    """Render the report as plain-text tables."""
    out = io.StringIO()
    out.write("Held-out evaluation (nlu/heldout, never trained on)\n\n")
    out.write(
        f"{'lang':5}{'intent acc':>18}{'motiv F1':>10}{'religion acc':>16}"
        f"{'online F1':>11}{'lang-ID acc':>17}{'danger recall':>17}\n"
    )
    for language in sorted(report.per_language):
        figures = report.per_language[language]
        out.write(
            f"{language:5}{figures.intent!s:>18}{figures.macro_f1():>10.3f}"
            f"{figures.religion!s:>16}{figures.online.f1:>11.3f}{figures.lid!s:>17}"
            f"{figures.danger!s:>17}\n"
        )
    overall = report.overall
    out.write(
        f"{'ALL':5}{overall.intent!s:>18}{overall.macro_f1():>10.3f}{overall.religion!s:>16}"
        f"{overall.online.f1:>11.3f}{overall.lid!s:>17}{overall.danger!s:>17}\n"
    )
    out.write("\nMotivation per language, per strand: precision / recall / F1\n")
    for language in sorted(report.per_language):
        figures = report.per_language[language]
        out.write(f"[{language}] macro-F1 {figures.macro_f1():.3f}\n")
        _strand_rows(out, figures.strands)
    out.write("\nOverall per strand\n")
    _strand_rows(out, overall.strands)
    online = overall.online
    out.write(
        f"  {'online (flag)':24} P {online.precision:.2f}  R {online.recall:.2f}  "
        f"F1 {online.f1:.2f}  (support {online.tp + online.fn})\n"
    )
    labels = [*STRANDS, _NONE_LABEL]
    out.write("\nConfusion between strands (rows: truth, columns: predicted)\n")
    out.write(" " * 24 + " ".join(f"{c[:6]:>6}" for c in labels) + "\n")
    for row in labels:
        cells = " ".join(f"{report.confusion[(row, column)]:>6}" for column in labels)
        out.write(f"  {row:22}{cells}\n")
    if report.intent_errors:
        out.write("\nMost frequent intent errors (truth -> predicted: count)\n")
        for (truth, predicted), count in report.intent_errors.most_common(12):
            out.write(f"  {truth} -> {predicted}: {count}\n")
    out.write(
        f"\nIntent accuracy: {overall.intent}\n"
        f"Perceived religion accuracy (all religion examples): {overall.religion}\n"
        f"Perceived religion accuracy (when religion was found): {report.religion_given_strand}\n"
        f"Online flag: P {online.precision:.3f} R {online.recall:.3f} F1 {online.f1:.3f}\n"
        f"Danger recall: {overall.danger}; right kind among those raised: {overall.danger_kind}\n"
        f"Danger raised on non-danger examples: {overall.false_danger}\n"
        f"Motivation macro-F1 overall: {overall.macro_f1():.3f}\n"
    )
    worst = min(report.per_language, key=report.macro_f1, default=None)
    if worst is not None:
        out.write(f"Lowest language macro-F1: {worst} {report.macro_f1(worst):.3f}\n")
    out.write(f"Language identification accuracy: {overall.lid}\n")
    return out.getvalue()


def run(languages: Sequence[str] | None = None) -> Report:
    """Train on all the training data (no cache) and evaluate on the held-out set."""
    codes = tuple(languages) if languages else available_languages()
    understander = EmbeddedUnderstander(codes)
    return evaluate(understander, held_out_examples(codes))
