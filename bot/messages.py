"""The values that cross the engine's boundary: inbound messages and outbound replies.

The engine never renders text: it returns :class:`OutboundMessage` values made of
translatable :class:`Text` (a gettext message id plus parameters), which the renderer
turns into words in the person's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final, Union

REPLY: Final = "reply"
FOLLOWUP: Final = "followup"
NOTICE: Final = "notice"

#: A parameter of a message: plain text, a number, a day or a moment, or more
#: translatable text (a tuple of texts reads as a list: "a, b and c").
Param = Union[str, int, date, datetime, "Text", tuple["Text", ...]]


@dataclass(frozen=True)
class Text:
    """A translatable message: a gettext msgid and its ``{named}`` parameters.

    Attributes:
        msgid: The English source text, marked for extraction with ``N_``.
        params: Values for the ``{placeholders}`` in the message.
        context: A gettext message context (``pgettext``) when one English text needs
            different translations in different places.
    """

    msgid: str
    params: tuple[tuple[str, Param], ...] = ()
    context: str | None = None

    @classmethod
    def of(cls, msgid: str, context: str | None = None, **params: Param) -> Text:
        """Build a Text with keyword parameters."""
        return cls(msgid, tuple(sorted(params.items())), context)

    def param_map(self) -> Mapping[str, Param]:
        """Return the parameters as a mapping."""
        return dict(self.params)


@dataclass(frozen=True)
class Lines:
    """Texts shown as one block, one per line (a summary, say)."""

    items: tuple[Text, ...]


@dataclass(frozen=True)
class Choice:
    """One option offered to the person.

    Attributes:
        code: What the engine records when this option is chosen.
        label: What the person sees.
        also: Other answers that choose it, never shown: a comma-separated list each
            language writes for itself ("me, myself" for "It happened to me").
        means: A plain answer it stands for besides its code ("no" for the police
            question's "No, not now", "continue" for "Yes, carry on"), so a "no" or an
            "OK, go on" in any language chooses it.
        covers: Codes of other options it takes in when an answer names both: "he
            grabbed me and threatened me" is the attack, which alone makes the risk high.
    """

    code: str
    label: Text
    also: Text | None = None
    means: str | None = None
    covers: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutboundMessage:
    """One message the engine wants sent.

    Attributes:
        body: Paragraphs of the message, rendered and joined with blank lines.
        choices: Options offered (buttons where the channel has them, numbers on SMS).
        kind: ``reply``, ``followup`` or ``notice``.
        multiple: Whether more than one option may be chosen at once.
    """

    body: tuple[Text | Lines, ...]
    choices: tuple[Choice, ...] = ()
    kind: str = REPLY
    multiple: bool = False


@dataclass(frozen=True)
class InboundMessage:
    """One message from a person, as any channel adapter hands it over.

    Attributes:
        channel: ``sms``, ``telegram`` or ``web``.
        address: The channel address (phone number, chat id, web session token).
        text: What the person wrote (empty for media without a caption).
        received_at: When it arrived (timezone-aware).
        external_id: The provider's id for the message, for dropping redeliveries.
        centre: The reporting centre that pointed the person here, if known.
        media: Kinds of attachment (photo, document, voice, sticker), if any.
        command: An intent given by a control rather than typed (the web chat's quick-exit
            button), taken as meant without reading the text.
        carrier_opt_out: What the provider itself did with the address on this message:
            True when it opted it out (SMS STOP: nothing more reaches the person through
            it), False when it opted it back in (START), None when neither.
    """

    channel: str
    address: str
    text: str
    received_at: datetime
    external_id: str | None = None
    centre: str | None = None
    media: tuple[str, ...] = field(default_factory=tuple)
    command: str | None = None
    carrier_opt_out: bool | None = None


@dataclass(frozen=True)
class RenderedMessage:
    """An outbound message in words, ready for a channel.

    Attributes:
        text: The message body in the person's language.
        choices: ``(code, label)`` pairs in the person's language.
        kind: ``reply``, ``followup`` or ``notice``.
        multiple: Whether more than one option may be chosen at once.
    """

    text: str
    choices: tuple[tuple[str, str], ...] = ()
    kind: str = REPLY
    multiple: bool = False
