"""The interface between the conversation engine and language understanding.

The engine only ever sees a :class:`Parse`; how it was produced (rules, a trained
model, a Rasa server) is hidden behind :class:`Understander`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, Protocol

# Intents the engine acts on. Global commands are recognised in every state.
GREETING: Final = "greeting"
REPORT: Final = "report"
YES: Final = "yes"
NO: Final = "no"
NOT_SURE: Final = "not_sure"
HELP: Final = "help"
HUMAN: Final = "human"
STOP: Final = "stop"
START: Final = "start"
EXIT: Final = "exit"
DELETE: Final = "delete"
WITHDRAW: Final = "withdraw"
LANGUAGE: Final = "language"
RESTART: Final = "restart"
CONTINUE: Final = "continue"
#: Back to the question asked before, to change an answer.
BACK: Final = "back"
THANKS: Final = "thanks"
#: Nothing recognisable as a command or answer: the text is content (or noise).
NONE: Final = "none"

INTENTS: Final = (
    GREETING,
    REPORT,
    YES,
    NO,
    NOT_SURE,
    HELP,
    HUMAN,
    STOP,
    START,
    EXIT,
    DELETE,
    WITHDRAW,
    LANGUAGE,
    RESTART,
    CONTINUE,
    BACK,
    THANKS,
    NONE,
)

#: Commands that end or set aside a report.
ENDING: Final = frozenset({STOP, EXIT, RESTART})
#: A command this likely is sure. An ending command needs it before it is acted on,
#: whichever understander guessed it: short answers a model has not seen look like
#: commands ("me" came out of the embedded classifier as stop at 0.64). A sure command
#: is also not taken for an option that merely contains its word.
SURE_CONFIDENCE: Final = 0.85


def unsure_ending(intent: str, confidence: float) -> bool:
    """Whether ``intent`` ends a report on a guess too weak to act on (:data:`SURE_CONFIDENCE`)."""
    return intent in ENDING and confidence < SURE_CONFIDENCE


# Kinds of danger. Any of them interrupts the conversation with safety advice.
DANGER_NOW: Final = "danger_now"
WEAPON: Final = "weapon"
FOLLOWED: Final = "followed"
SELF_HARM: Final = "self_harm"
DANGER_KINDS: Final = (DANGER_NOW, WEAPON, FOLLOWED, SELF_HARM)


@dataclass(frozen=True)
class Parse:
    """What was understood from one message.

    Attributes:
        language: ISO 639-1 code of the language the text is in, or None when unsure.
        language_confidence: 0..1 confidence in ``language``.
        intent: One of :data:`INTENTS`.
        confidence: 0..1 confidence in ``intent``.
        motivations: Strand codes the text suggests (see ``cases.codes.STRANDS``);
            empty when none is suggested or the person says they do not know.
        religion: Perceived religion code when the religion strand is suggested.
        online: Whether the text describes an online or device-based incident.
        platform: The online platform named, in a canonical spelling, if any.
        danger: The most urgent of ``dangers`` (see ``nlu.danger.PRIORITY``), else None.
        dangers: Every kind of :data:`DANGER_KINDS` the text signals ("he has a knife and
            i want to die" is a weapon and self-harm: 999 and Samaritans both apply).
        postcode: A valid UK postcode found in the text, normalised.
        numbers: Whole numbers typed as choices ("1", "2 and 5").
        verbatim: Whether ``intent`` was read from the whole message as the data has it
            word for word (a known command: "stop", "stop messaging me"), or from a
            control, not guessed by a model ("at the bus stop" was guessed a stop).
        verbatim_in: The languages whose data has the whole message word for word as
            ``intent`` (when ``verbatim``): "sim" is a yes in Portuguese, "ok" in many.
        lead: The yes, no or "not sure" a message opens with before a comma, when that
            part is one word for word ("ايه، ولاد بصفها": yeah, boys in her class).
        question: Whether the message asks something back ("what happens if I say
            yes?"): a question mark after its last word, or a question word.
        question_word: Whether it asks with a question word of its language, not only
            a mark ("Hyson Green?" is an answer the person is unsure of).
    """

    language: str | None = None
    language_confidence: float = 0.0
    intent: str = NONE
    confidence: float = 0.0
    motivations: frozenset[str] = field(default_factory=frozenset)
    religion: str | None = None
    online: bool = False
    platform: str | None = None
    danger: str | None = None
    dangers: frozenset[str] = field(default_factory=frozenset)
    postcode: str | None = None
    numbers: tuple[int, ...] = ()
    verbatim: bool = False
    verbatim_in: frozenset[str] = field(default_factory=frozenset)
    lead: str | None = None
    question: bool = False
    question_word: bool = False


class Understander(Protocol):
    """Anything that turns a message into a :class:`Parse`."""

    @property
    def languages(self) -> tuple[str, ...]:
        """The language codes this understander can read."""
        ...

    def parse(self, text: str, *, language: str | None, now: datetime) -> Parse:
        """Understand one message.

        Args:
            text: The message as the person sent it.
            language: The conversation's language when already known. When given,
                the language is not detected again (a "yes" must not switch it).
            now: The current time, for resolving relative dates ("last night").

        Returns:
            The parse. Never raises for any text, however odd.
        """
        ...

    def resolve_date(self, text: str, *, language: str, now: datetime) -> datetime | None:
        """Resolve when something happened ("last night", "on Tuesday", "12/03").

        Kept apart from :meth:`parse` because date parsing is slow and only needed
        when the conversation has asked "when did it happen?".

        Args:
            text: The answer as the person sent it.
            language: The conversation's language.
            now: The current time (timezone-aware); relative dates resolve against it
                and never into the future.

        Returns:
            A timezone-aware datetime, or None when no date can be understood.
        """
        ...
