"""Evaluation on the held-out split of the training data.

The split is the hash split of :attr:`nlu.data_reader.Example.held_out`: those examples
are never trained on (not by the models, not by the exact command table), so the
figures here are an honest estimate on unseen phrasings of the same kind.
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
from nlu.data_reader import DATA_DIR, Example, available_languages, read_languages
from nlu.embedded import EmbeddedUnderstander
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


@dataclass
class Report:
    """Every figure printed by ``python -m nlu eval``."""

    per_language: dict[str, dict[str, LabelCounts]] = field(default_factory=dict)
    overall: dict[str, LabelCounts] = field(default_factory=dict)
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    lid_total: Counter[str] = field(default_factory=Counter)
    lid_correct: Counter[str] = field(default_factory=Counter)
    intent_total: Counter[str] = field(default_factory=Counter)
    intent_correct: Counter[str] = field(default_factory=Counter)
    religion_total: int = 0
    religion_correct: int = 0

    def macro_f1(self, language: str | None = None) -> float:
        """Macro-F1 of the strands that occur (in ``language``, or overall)."""
        counts = self.overall if language is None else self.per_language.get(language, {})
        scores = [c.f1 for c in counts.values() if c.seen]
        return sum(scores) / len(scores) if scores else 0.0

    def lid_accuracy(self, language: str | None = None) -> float:
        """Share of held-out messages whose language was identified correctly."""
        if language is None:
            total, correct = sum(self.lid_total.values()), sum(self.lid_correct.values())
        else:
            total, correct = self.lid_total[language], self.lid_correct[language]
        return correct / total if total else 1.0


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
        if _long_enough(example):
            detected = understander.parse(example.text, language=None, now=now).language
            report.lid_total[example.language] += 1
            report.lid_correct[example.language] += detected == example.language
        parse = understander.parse(example.text, language=example.language, now=now)
        decoded = decode_labels(example)
        if decoded is None:
            report.intent_total[example.intent] += 1
            report.intent_correct[example.intent] += parse.intent == example.intent
            continue
        truth, predicted = set(decoded.strands), set(parse.motivations)
        per_language = report.per_language.setdefault(example.language, {})
        for strand in STRANDS:
            for counts in (per_language, report.overall):
                label = counts.setdefault(strand, LabelCounts())
                if strand in truth and strand in predicted:
                    label.tp += 1
                elif strand in predicted:
                    label.fp += 1
                elif strand in truth:
                    label.fn += 1
        for true_label in truth or {_NONE_LABEL}:
            for predicted_label in predicted or {_NONE_LABEL}:
                report.confusion[(true_label, predicted_label)] += 1
        if decoded.religion is not None and "religion" in predicted:
            report.religion_total += 1
            report.religion_correct += parse.religion == decoded.religion
    return report


def held_out_examples(languages: Sequence[str]) -> list[Example]:
    """Every held-out example of ``languages``."""
    data = read_languages(languages, DATA_DIR)
    return [e for code in languages for e in data[code].examples if e.held_out]


def format_report(report: Report) -> str:
    """Render the report as plain-text tables."""
    out = io.StringIO()
    out.write("Motivation (held-out): per language, per strand precision / recall / F1\n")
    for language in sorted(report.per_language):
        counts = report.per_language[language]
        out.write(f"\n[{language}] macro-F1 {report.macro_f1(language):.3f}\n")
        for strand, label in counts.items():
            if label.seen:
                out.write(
                    f"  {strand:24} P {label.precision:.2f}  R {label.recall:.2f}  "
                    f"F1 {label.f1:.2f}  (support {label.tp + label.fn})\n"
                )
    out.write("\nOverall per strand\n")
    for strand, label in report.overall.items():
        if label.seen:
            out.write(
                f"  {strand:24} P {label.precision:.2f}  R {label.recall:.2f}  "
                f"F1 {label.f1:.2f}  (support {label.tp + label.fn})\n"
            )
    labels = [*STRANDS, _NONE_LABEL]
    short = {label: label[:6] for label in labels}
    out.write("\nConfusion between strands (rows: truth, columns: predicted)\n")
    out.write(" " * 24 + " ".join(f"{short[c]:>6}" for c in labels) + "\n")
    for row in labels:
        cells = " ".join(f"{report.confusion[(row, column)]:>6}" for column in labels)
        out.write(f"  {row:22}{cells}\n")
    out.write("\nLanguage identification (held-out messages of 3+ words)\n")
    for language in sorted(report.lid_total):
        out.write(
            f"  {language}: {report.lid_accuracy(language):.3f} "
            f"({report.lid_correct[language]}/{report.lid_total[language]})\n"
        )
    intent_total = sum(report.intent_total.values())
    intent_correct = sum(report.intent_correct.values())
    if intent_total:
        out.write(
            f"\nIntent accuracy (held-out): {intent_correct / intent_total:.3f} ({intent_total})\n"
        )
    if report.religion_total:
        out.write(
            f"Perceived religion accuracy: {report.religion_correct / report.religion_total:.3f} "
            f"({report.religion_total})\n"
        )
    out.write(f"\nMotivation macro-F1 overall: {report.macro_f1():.3f}\n")
    worst = min(report.per_language, key=report.macro_f1, default=None)
    if worst is not None:
        out.write(f"Lowest language macro-F1: {worst} {report.macro_f1(worst):.3f}\n")
    out.write(f"Language identification accuracy: {report.lid_accuracy():.3f}\n")
    return out.getvalue()


def run(languages: Sequence[str] | None = None) -> Report:
    """Train on the training split and evaluate on the held-out split."""
    codes = tuple(languages) if languages else available_languages()
    understander = EmbeddedUnderstander(codes)
    return evaluate(understander, held_out_examples(codes))
