"""One turn of the conversation: the context every step handler works with."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot import states
from bot.messages import InboundMessage, OutboundMessage, Text
from cases import store
from cases.models import Case, Contact, Conversation
from content.render import render_text
from content.texts import shown
from nlu.parse import Parse


@dataclass
class Turn:
    """Everything one inbound message is handled with, and the replies it produces.

    Attributes:
        session: The open transaction; state and replies commit together.
        conversation: The conversation, whose state this turn moves on.
        contact: The person.
        case: The report being made or last made, if any.
        inbound: The message.
        text: The message text, cleaned of control characters.
        parse: What the understander made of it.
        now: The time of the turn.
        replies: What to send back, in order.
    """

    session: Session
    conversation: Conversation
    contact: Contact
    case: Case | None
    inbound: InboundMessage
    text: str
    parse: Parse
    now: datetime
    replies: list[OutboundMessage] = field(default_factory=list)

    @property
    def language(self) -> str:
        """The conversation language (the source language until one is chosen)."""
        return self.contact.language or "en"

    @property
    def scratch(self) -> dict[str, Any]:
        """The conversation's working memory (sealed at rest)."""
        if self.conversation.scratch is None:
            self.conversation.scratch = {}
        return self.conversation.scratch

    def remember(self, key: str, value: Any) -> None:
        """Store a value in the working memory (re-assigned so the change is saved)."""
        scratch = dict(self.scratch)
        scratch[key] = value
        self.conversation.scratch = scratch

    def take(self, key: str) -> Any:
        """Remove a value from the working memory and return it (None if it is not there)."""
        scratch = dict(self.scratch)
        value = scratch.pop(key, None)
        self.conversation.scratch = scratch
        return value

    def asked_within(self, key: str, window: timedelta) -> bool:
        """Whether a question remembered under ``key`` (with its time) was asked within ``window``.

        For questions asked beside the dialogue ("delete everything?", "which consent?"):
        a while later, the same words mean whatever was asked since.
        """
        asked = self.scratch.get(key)
        if not isinstance(asked, str):
            return False
        return self.now - datetime.fromisoformat(asked) <= window

    def forget(self) -> None:
        """Clear the working memory when a report ends or starts again."""
        self.conversation.scratch = {}

    def close(self) -> None:
        """End what the conversation was doing: its working memory goes, and it is closed."""
        self.forget()
        self.conversation.state = states.CLOSED

    def require_case(self) -> Case:
        """Return the report being made.

        Raises:
            LookupError: When the conversation has no case (a state bug, never input).
        """
        if self.case is None:
            raise LookupError("this state needs a case but the conversation has none")
        return self.case

    def new_case(self) -> Case:
        """Start a new draft report in this conversation."""
        self.case = store.new_case(self.session, self.conversation, self.language, self.now)
        return self.case

    def discard_draft(self) -> None:
        """Drop the draft report being made (the store keeps one an officer needs)."""
        if self.case is None or self.case.status != "draft":
            return
        store.discard_draft(self.session, self.case, self.now)
        self.case = None
        self.conversation.case_id = None

    def consent(
        self,
        purpose: str,
        question: Text,
        answer: bool,
        *,
        service: str | None = None,
        named: bool = False,
    ) -> None:
        """Record a consent with the exact wording the person was shown."""
        # Easy Read readers were shown the Easy Read wording: record that, as its own version.
        question = shown(question, self.contact.reading)
        digest = hashlib.sha256(question.msgid.encode("utf-8")).hexdigest()[:12]
        store.record_consent(
            self.session,
            case=self.case,
            contact_id=self.contact.id,
            purpose=purpose,
            wording_version=f"{purpose}:{digest}",
            wording=render_text(question, self.language, self.contact.timezone),
            language=self.language,
            answer=answer,
            channel=self.conversation.channel,
            now=self.now,
            service=service,
            named=named,
        )
