"""Language identification: script rules, our own char n-gram model, and lingua.

lingua knows real language well but not romanised Urdu, Punjabi and Bengali, Arabizi or
Finglish, which it reads as English, Portuguese or Somali. Our char n-gram model is
trained on our own data, romanised forms included, labelled with the language they are
in. Writing systems settle several languages outright (Gurmukhi is Punjabi here).
Very short texts ("ok", "hi", emoji, digits) get a low confidence so that the engine
shows the language menu instead of guessing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from nlu.text import MAX_CHARS, has_letters, phrase_pattern, script_of, tokens

logger = logging.getLogger(__name__)

#: Languages commonly written in Latin script instead of their own (romanised).
ROMANISED: Final = frozenset({"ur", "pa", "bn", "ar", "fa"})
#: Scripts that decide the language among the supported ones.
_SCRIPT_LANGUAGE: Final = {"gurmukhi": "pa", "bengali": "bn", "cyrillic": "uk", "han": "zh"}
_ARABIC_SCRIPT: Final = ("ar", "ur", "fa", "pa")
#: The script each supported language is written in, where it is not Latin (Punjabi in
#: the UK is written in Gurmukhi and in Shahmukhi; Gurmukhi is its own).
OWN_SCRIPTS: Final = {
    **{language: script for script, language in _SCRIPT_LANGUAGE.items()},
    **dict.fromkeys(("ar", "fa", "ur"), "arabic"),
}
#: Below this many letters a text says little about its language.
_FULL_CONFIDENCE_LETTERS: Final = 14
#: Weight of our own model against lingua on Latin-script text it does not romanise.
_OWN_WEIGHT: Final = 0.6
#: Rasa lookup tables of words that only one language uses (``language_markers``).
MARKER_LOOKUP: Final = "language_markers"
#: Weight of marker words against the models, from one marker found, growing by a step
#: per further marker up to a cap. Close pairs (romanised Punjabi and Roman Urdu share
#: most content words) differ mainly in function words: "mainu"/"mujhe", "si"/"tha",
#: "kitta"/"kiya"; our char n-gram model and lingua blur them.
_MARKER_WEIGHT: Final = 0.6
_MARKER_WEIGHT_STEP: Final = 0.1
_MARKER_WEIGHT_MAX: Final = 0.8


def own_script(language: str) -> str:
    """The script ``language`` is written in (see :func:`nlu.text.letter_script`)."""
    return OWN_SCRIPTS.get(language, "latin")


@dataclass(frozen=True)
class LanguageGuess:
    """A detected language and how sure we are (0..1)."""

    language: str | None
    confidence: float


def _lingua_detector(languages: Sequence[str]) -> Any:
    try:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder  # noqa: PLC0415
    except ImportError:  # pragma: no cover - lingua is a declared dependency
        return None
    wanted = []
    for code in languages:
        iso = getattr(IsoCode639_1, code.upper(), None)
        if iso is not None:
            wanted.append(Language.from_iso_code_639_1(iso))
    if len(wanted) < 2:
        return None
    # Low-accuracy mode (trigrams only) preloads in ~60 ms and ~50 MB; the high-accuracy
    # models cost over a second and ~350 MB, breaking the start-up and memory budgets.
    # Our own model covers the short texts where the difference shows.
    return (
        LanguageDetectorBuilder.from_languages(*wanted)
        .with_low_accuracy_mode()
        .with_preloaded_language_models()
        .build()
    )


class LanguageIdentifier:
    """Detects the language of a message among the configured ones."""

    def __init__(
        self,
        languages: Sequence[str],
        *,
        use_lingua: bool = True,
        markers: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        self.languages = tuple(languages)
        self._detector = _lingua_detector(self.languages) if use_lingua else None
        self._markers = {
            code: pattern
            for code, words in (markers or {}).items()
            if code in self.languages
            and (pattern := phrase_pattern(w.casefold().strip() for w in words)) is not None
        }

    def _lingua(self, text: str) -> dict[str, float]:
        if self._detector is None:
            return {}
        # lingua's cost grows with the text (40 ms for a 10,000-character paste); the
        # first few hundred characters say as much about the language.
        values = self._detector.compute_language_confidence_values(text[:MAX_CHARS])
        return {value.language.iso_code_639_1.name.lower(): float(value.value) for value in values}

    def identify(self, text: str, normalised: str, own: Mapping[str, float]) -> LanguageGuess:
        """Return the language of ``text``.

        Args:
            text: The raw message (lingua is given it as written).
            normalised: The normalised message.
            own: Our model's probabilities per language for this message.

        Returns:
            The guess; language None when nothing can be said (no letters).
        """
        if not has_letters(normalised):
            return LanguageGuess(None, 0.0)
        script = script_of(normalised)
        letters = sum(1 for char in normalised if char.isalpha())
        shortness = min(1.0, letters / _FULL_CONFIDENCE_LETTERS)
        if len(self.languages) == 1:
            return LanguageGuess(self.languages[0], round(shortness, 4))
        scripted = _SCRIPT_LANGUAGE.get(script or "")
        if scripted in self.languages:
            # Chinese packs a word into one or two characters: do not call it short.
            return LanguageGuess(scripted, 0.99 if scripted == "zh" else max(0.6, 0.99 * shortness))
        own_scores = {code: p for code, p in own.items() if code in self.languages}
        if script == "arabic":
            candidates: Sequence[str] = [c for c in _ARABIC_SCRIPT if c in self.languages]
            combined = self._combine(text, own_scores, candidates, own_weight=0.5)
        elif script == "latin":
            candidates = [c for c in self.languages if c not in ("uk", "zh")]
            best_own = max(own_scores, key=lambda code: own_scores[code], default=None)
            if best_own in ROMANISED:
                # lingua has no idea of romanised Urdu: trust our model alone.
                combined = _renormalise(own_scores, candidates)
            else:
                combined = self._combine(text, own_scores, candidates, own_weight=_OWN_WEIGHT)
        else:
            combined = _renormalise(own_scores, self.languages)
        combined = self._apply_markers(normalised, combined)
        if not combined:
            return LanguageGuess(None, 0.0)
        best = max(combined, key=lambda code: combined[code])
        confidence = combined[best] * shortness
        if len(tokens(normalised)) <= 1:
            confidence = min(confidence, 0.5)
        return LanguageGuess(best, round(confidence, 4))

    def _apply_markers(self, normalised: str, scores: dict[str, float]) -> dict[str, float]:
        """Let marker words decide between the languages that have them.

        Only when the best guess is already one of those languages (romanised Punjabi or
        Roman Urdu, say): their share of the score is redistributed, part by the models,
        part by the markers found (more markers, more weight). Other languages keep
        their scores, so a stray "asi" in Spanish changes nothing.
        """
        if not self._markers or not scores:
            return scores
        best = max(scores, key=lambda code: scores[code])
        if best not in self._markers:
            return scores
        group = [code for code in self._markers if code in scores]
        hits = {code: len(self._markers[code].findall(normalised)) for code in group}
        total_hits = sum(hits.values())
        if not total_hits:
            return scores
        mass = sum(scores[code] for code in group)
        weight = min(_MARKER_WEIGHT_MAX, _MARKER_WEIGHT + _MARKER_WEIGHT_STEP * (total_hits - 1))
        adjusted = dict(scores)
        for code in group:
            model_share = scores[code] / mass if mass else 0.0
            adjusted[code] = mass * ((1 - weight) * model_share + weight * hits[code] / total_hits)
        return adjusted

    def _combine(
        self, text: str, own: Mapping[str, float], candidates: Sequence[str], *, own_weight: float
    ) -> dict[str, float]:
        own_part = _renormalise(own, candidates)
        lingua_part = _renormalise(self._lingua(text), candidates)
        if not lingua_part:
            return own_part
        if not own_part:
            return lingua_part
        return {
            code: own_weight * own_part.get(code, 0.0)
            + (1 - own_weight) * lingua_part.get(code, 0.0)
            for code in candidates
        }


def _renormalise(scores: Mapping[str, float], candidates: Sequence[str]) -> dict[str, float]:
    kept = {code: scores.get(code, 0.0) for code in candidates}
    total = sum(kept.values())
    if total <= 0:
        return {}
    return {code: value / total for code, value in kept.items()}
