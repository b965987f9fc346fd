"""Deciding the intent of a message: exact commands, the classifier, and guards.

Commands must fire only when the message *is* the command. Three guards make sure of it:
an exact table of the data's short examples (so "STOP" is certain), a length limit past
which a message can only be a report or nothing ("he wouldn't stop shouting at me" keeps
its "stop" but is a report), and a check that a would-be command is not in fact an
incident with a motivation in it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Final

from nlu.classifiers import decode_labels
from nlu.data_reader import LanguageData
from nlu.language_id import own_script
from nlu.parse import (
    BACK,
    CONTINUE,
    DELETE,
    EXIT,
    GREETING,
    HELP,
    HUMAN,
    LANGUAGE,
    NO,
    NONE,
    NOT_SURE,
    REPORT,
    RESTART,
    START,
    STOP,
    THANKS,
    WITHDRAW,
    YES,
    unsure_ending,
)
from nlu.text import normalise, phrase_pattern, script_of, tokens

#: Intents that take over the conversation wherever it is.
COMMANDS: Final = frozenset(
    {HELP, HUMAN, STOP, START, EXIT, DELETE, WITHDRAW, LANGUAGE, RESTART, CONTINUE, BACK}
)
#: Longer than this, a message is content (a report) or noise, never a command or answer.
MAX_COMMAND_TOKENS: Final = 12
#: Below this probability the classifier's choice is not trusted: fall back to none.
MIN_CONFIDENCE: Final = 0.4
#: Confidence given to a message found verbatim in the command table.
EXACT_CONFIDENCE: Final = 0.97
#: "Can we talk in Polish" names a language, which is also a race cue ("speak English!");
#: a language request at least this likely stays one instead of turning into a report.
LANGUAGE_OVER_MOTIVATION: Final = 0.6

# People answer with emoji; these are unambiguous enough to act on.
_EMOJI: Final = {
    "👍": YES,
    "👌": YES,
    "✅": YES,
    "✔": YES,
    "☑": YES,
    "🆗": YES,
    "👎": NO,
    "❌": NO,
    "✖": NO,
    "🚫": NO,
    "🙏": THANKS,
    "❤": THANKS,
    "🤷": NOT_SURE,
    "👋": GREETING,
    "🆘": HELP,
}


#: Rasa lookup table of words of courtesy ("please", "pls", "por favor"): a command said
#: with one ("pls stop texting") is still the command the data has word for word.
COURTESY_LOOKUP: Final = "courtesy"


class IntentDecider:
    """Turns classifier probabilities into one intent with guards for commands."""

    def __init__(self, data: Iterable[LanguageData]) -> None:
        data = list(data)
        self._courtesy = phrase_pattern(
            " ".join(tokens(normalise(word)))
            for language_data in data
            for word in language_data.lookups.get(COURTESY_LOOKUP, ())
        )
        table: dict[str, Counter[str]] = {}
        by_language: dict[str, dict[str, str]] = {}
        for language_data in data:
            for example in language_data.examples:
                if decode_labels(example) is not None or example.intent == REPORT:
                    continue
                key = self._key(normalise(example.text))
                if not key or len(key.split()) > MAX_COMMAND_TOKENS:
                    continue
                table.setdefault(key, Counter())[example.intent] += 1
                by_language.setdefault(key, {})[language_data.language] = example.intent
        self._table = table
        self._by_language = by_language

    def _key(self, normalised: str) -> str:
        """The words of a message as the exact table holds them, courtesy left out."""
        words = " ".join(tokens(normalised))
        if self._courtesy is None:
            return words
        return " ".join(self._courtesy.sub(" ", words).split())

    def exact(self, normalised: str, language: str | None) -> str | None:
        """The intent of a message found verbatim in the data, if any (courtesy aside)."""
        key = self._key(normalised)
        languages = self._by_language.get(key, {})
        if language is not None and language in languages:
            return languages[language]
        counts = self._table.get(key)
        return None if counts is None else counts.most_common(1)[0][0]

    def languages(self, normalised: str, intent: str) -> frozenset[str]:
        """The languages whose data has the message word for word as ``intent``.

        A one-word answer is too short for language identification, but "sim" is a yes
        in Portuguese only. Where several languages have it, those written in the
        message's script come first: "tak" is Polish, and Ukrainian only as many type
        it in Latin letters.
        """
        languages = self._by_language.get(self._key(normalised), {})
        found = frozenset(language for language, said in languages.items() if said == intent)
        script = script_of(normalised)
        own = frozenset(language for language in found if own_script(language) == script)
        return own or found

    def decide(
        self,
        normalised: str,
        probabilities: Mapping[str, float],
        *,
        language: str | None,
        has_motivation: bool,
        is_choice: bool,
    ) -> tuple[str, float]:
        """Return the intent and its confidence.

        Args:
            normalised: The normalised message.
            probabilities: The intent classifier's probabilities.
            language: The conversation language when known (breaks ties in the table).
            has_motivation: Whether the motivation model found a strand in the text.
            is_choice: Whether the message is only numbers (a numbered choice).

        Returns:
            ``(intent, confidence)``; ``none`` when nothing applies or we are unsure.
        """
        stripped = normalised.replace("\ufe0f", "").strip()
        if stripped in _EMOJI:
            return _EMOJI[stripped], 0.9
        words = tokens(normalised)
        if not words:
            return NONE, 1.0
        if is_choice:
            return NONE, 0.9
        exact = self.exact(normalised, language)
        if exact is not None:
            return exact, EXACT_CONFIDENCE
        if not probabilities:
            return NONE, 0.0
        if len(words) > MAX_COMMAND_TOKENS:
            report = probabilities.get(REPORT, 0.0)
            none = probabilities.get(NONE, 0.0)
            if report >= none or has_motivation:
                return REPORT, round(max(report / max(report + none, 1e-9), 0.5), 4)
            return NONE, round(none / max(report + none, 1e-9), 4)
        best = max(probabilities, key=lambda name: probabilities[name])
        confidence = probabilities[best]
        if (
            best != REPORT
            and has_motivation
            and len(words) >= 3
            and not (best == LANGUAGE and confidence >= LANGUAGE_OVER_MOTIVATION)
        ):
            return REPORT, round(max(probabilities.get(REPORT, 0.0), 0.5), 4)
        # Command words are exact (0.97); the held-out commands the classifier gets right
        # all score above SURE_CONFIDENCE.
        if confidence < MIN_CONFIDENCE or unsure_ending(best, confidence):
            return NONE, round(1.0 - confidence, 4)
        return best, round(confidence, 4)
