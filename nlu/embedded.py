"""The embedded understander: everything in-process, trained from the YAML at start-up."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from cases.codes import RELIGION
from nlu.danger import DangerDetector
from nlu.data_reader import DATA_DIR, available_languages, read_languages
from nlu.dates import resolve_date
from nlu.entities import EntityExtractor, find_postcode
from nlu.intents import IntentDecider
from nlu.language_id import MARKER_LOOKUP, LanguageGuess, LanguageIdentifier
from nlu.model_cache import trained_models
from nlu.motivation import MotivationDecider
from nlu.parse import GREETING, LANGUAGE, NO, NONE, NOT_SURE, REPORT, THANKS, YES, Parse
from nlu.questions import QuestionFinder, marked
from nlu.text import normalise, tokens

logger = logging.getLogger(__name__)

# Answers, courtesies and language requests carry no motivation even when a word in them
# looks like a cue ("can we talk in Polish" names a nationality).
_NO_MOTIVATION_INTENTS = frozenset({YES, NO, NOT_SURE, GREETING, THANKS, LANGUAGE})
#: Plain answers a message may open with before saying more ("yes, a man from work").
_LEAD_INTENTS = frozenset({YES, NO, NOT_SURE})
#: Where the opening of a message ends (normalised text keeps the Arabic comma).
_CLAUSE_BREAK = re.compile("[,\u060c;]")
# An account of what happened (or an answer the intent model cannot place, such as "coz
# of my skin") takes every suggested strand; other intents only the certain ones.
_ACCOUNT_INTENTS = frozenset({REPORT, NONE})


class EmbeddedUnderstander:
    """Rules for danger and entities, linear models for the rest, lingua for language.

    Args:
        languages: Language codes to understand; None for every language with data.
        data_dir: Where the Rasa-format training data lives.
        use_lingua: Whether to combine lingua with our own language model (tests of
            the romanised path may turn it off).
        cache_dir: Private directory of trained-model files (see :mod:`nlu.model_cache`);
            None trains at start-up every time.
    """

    def __init__(
        self,
        languages: Sequence[str] | None = None,
        *,
        data_dir: Path = DATA_DIR,
        use_lingua: bool = True,
        cache_dir: Path | None = None,
    ) -> None:
        started = time.perf_counter()
        every = available_languages(data_dir)
        wanted = tuple(
            every if languages is None else (code for code in languages if code in every)
        )
        if not wanted:
            raise ValueError("no training data for any of the requested languages")
        all_data = read_languages(every, data_dir)
        data = {code: all_data[code] for code in wanted}
        self._languages = wanted
        self._models = trained_models(data, cache_dir)
        # Safety and entity patterns from every language, whatever is configured:
        # people switch language when frightened, and platform names travel.
        self._danger = DangerDetector(all_data.values())
        self._entities = EntityExtractor(all_data.values())
        self._intents = IntentDecider(data.values())
        self._questions = QuestionFinder(data.values())
        self._motivation = MotivationDecider(all_data.values())
        self._language_id = LanguageIdentifier(
            wanted,
            use_lingua=use_lingua,
            markers={
                code: data[code].lookups.get(MARKER_LOOKUP, ())
                for code in wanted
                if MARKER_LOOKUP in data[code].lookups
            },
        )
        # First calls pay one-off costs (lazy tables in lingua and numpy); pay them now.
        self.parse("warm up", language=None, now=datetime.now().astimezone())
        logger.info(
            "embedded NLU ready: %d languages in %.2f s", len(wanted), time.perf_counter() - started
        )

    @property
    def languages(self) -> tuple[str, ...]:
        """The language codes this understander can read."""
        return self._languages

    def parse(self, text: str, *, language: str | None, now: datetime) -> Parse:
        """Understand one message; never raises (see :class:`nlu.parse.Understander`)."""
        try:
            return self._parse(text, language)
        except Exception as error:  # a message must never crash the conversation
            logger.error("parse failed: %s (length=%d)", type(error).__name__, len(text))
            return Parse(language=language, language_confidence=1.0 if language else 0.0)

    def _parse(self, text: str, language: str | None) -> Parse:
        if not isinstance(text, str):
            text = str(text)
        normalised = normalise(text)
        dangers = self._danger.detect_all(normalised)
        danger = self._danger.most_urgent(dangers)
        if not normalised:
            return Parse(language=language, language_confidence=1.0 if language else 0.0)
        scores = self._models.score(normalised)
        if language is not None:
            guess = LanguageGuess(language, 1.0)
        else:
            guess = self._language_id.identify(text, normalised, scores.language)
        postcode = find_postcode(normalised)
        choice_text = normalised.replace(postcode.casefold(), " ") if postcode else normalised
        numbers = self._entities.numbers(choice_text, guess.language)
        platform = self._entities.platform(normalised)
        motivation = self._motivation.decide(
            normalised,
            scores.motivation,
            scores.religion,
            platform=platform,
            language=guess.language,
        )
        only_numbers = bool(numbers) and len(tokens(choice_text)) <= len(numbers) * 2
        intent, confidence = self._intents.decide(
            normalised,
            scores.intent,
            language=guess.language,
            has_motivation=bool(motivation.sure),
            is_choice=only_numbers,
        )
        if intent in _NO_MOTIVATION_INTENTS:
            strands: frozenset[str] = frozenset()
        elif intent in _ACCOUNT_INTENTS:
            strands = motivation.strands
        else:
            # A command that mentions a strand word keeps only what is certain.
            strands = motivation.sure
        religion = motivation.religion if RELIGION in strands else None
        question_word = self._questions.worded(normalised, guess.language)
        if danger is not None and intent == NONE:
            intent, confidence = REPORT, max(confidence, 0.5)
        verbatim = intent == self._intents.exact(normalised, guess.language)
        return Parse(
            language=guess.language,
            language_confidence=guess.confidence,
            intent=intent,
            confidence=confidence,
            motivations=strands,
            religion=religion,
            online=motivation.online and intent not in _NO_MOTIVATION_INTENTS,
            platform=platform,
            danger=danger,
            dangers=dangers,
            postcode=postcode,
            numbers=numbers,
            verbatim=verbatim,
            verbatim_in=self._intents.languages(normalised, intent) if verbatim else frozenset(),
            lead=self._lead(normalised, guess.language),
            question=question_word or marked(text),
            question_word=question_word,
        )

    def _lead(self, normalised: str, language: str | None) -> str | None:
        """The yes, no or "not sure" before the first comma, said word for word."""
        parts = _CLAUSE_BREAK.split(normalised, maxsplit=1)
        if len(parts) < 2 or not parts[1].strip():
            return None
        intent = self._intents.exact(parts[0].strip(), language)
        return intent if intent in _LEAD_INTENTS else None

    def resolve_date(self, text: str, *, language: str, now: datetime) -> datetime | None:
        """Resolve when something happened (see :class:`nlu.parse.Understander`)."""
        return resolve_date(text, language=language, now=now)
