"""What the conversation and case pages show, read in one place.

Sealed columns are opened here, only after the route has checked the viewer's role,
and every read of a case is audited (``case.viewed``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.ready_replies import READY_REPLIES
from bot.submission import awaits_last_answers
from cases import store
from cases.models import Case, Contact, Conversation, Handoff, Message
from content.render import render_text
from officer.models import CaseNote, Officer


@dataclass(frozen=True)
class Line:
    """One message of the transcript."""

    id: int
    at: datetime
    direction: str
    kind: str
    text: str
    author: str
    delivery: str | None


@dataclass
class ConversationView:
    """Everything the conversation page shows."""

    conversation: Conversation
    contact: Contact
    case: Case | None
    handoff: Handoff | None
    holder: str | None
    lines: list[Line]
    notes: list[tuple[CaseNote, str]]
    history: list[Case]
    ready: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def awaits_last_answers(self) -> bool:
        """Whether its report was submitted before the person answered the last questions."""
        return self.case is not None and awaits_last_answers(self.case, self.conversation)


def officer_names(session: Session, ids: set[int]) -> dict[int, str]:
    """Usernames of the given accounts."""
    if not ids:
        return {}
    return dict(
        session.execute(select(Officer.id, Officer.username).where(Officer.id.in_(ids))).all()
    )


def transcript(session: Session, conversation_id: int, after: int = 0) -> list[Line]:
    """The conversation's messages after message ``after``, oldest first."""
    rows = session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation_id, Message.id > after)
        .order_by(Message.id)
    ).all()
    names = officer_names(session, {row.officer_id for row in rows if row.officer_id})
    return [
        Line(
            id=row.id,
            at=row.created_at,
            direction=row.direction,
            kind=row.kind,
            text=row.text,
            author=(
                "Person"
                if row.direction == "in"
                else f"Officer {names.get(row.officer_id, '')}".strip()
                if row.officer_id
                else "Bot"
            ),
            delivery=row.delivery,
        )
        for row in rows
    ]


def history(session: Session, contact_id: int | None, case: Case | None) -> list[Case]:
    """The person's other reports and any linked ones (repeat victimisation)."""
    conditions = []
    if contact_id is not None:
        conditions.append(Case.contact_id == contact_id)
    if case is not None:
        conditions.append(Case.linked_case_id == case.id)
        if case.linked_case_id is not None:
            conditions.append(Case.id == case.linked_case_id)
    if not conditions:
        return []
    query = select(Case).where(or_(*conditions)).order_by(Case.created_at)
    if case is not None:
        query = query.where(Case.id != case.id)
    return list(session.scalars(query))


def notes(
    session: Session, *, case_id: int | None = None, conversation_id: int | None = None
) -> list[tuple[CaseNote, str]]:
    """Notes on a case or a conversation, oldest first, with their authors."""
    conditions = []
    if case_id is not None:
        conditions.append(CaseNote.case_id == case_id)
    if conversation_id is not None:
        conditions.append(CaseNote.conversation_id == conversation_id)
    if not conditions:
        return []
    rows = list(session.scalars(select(CaseNote).where(or_(*conditions)).order_by(CaseNote.id)))
    names = officer_names(session, {row.officer_id for row in rows if row.officer_id})
    return [(row, names.get(row.officer_id or 0, "(removed account)")) for row in rows]


def add_note(
    session: Session,
    officer: Officer,
    text: str,
    now: datetime,
    *,
    case_id: int | None,
    conversation_id: int | None,
) -> CaseNote:
    """Save a note (sealed) and audit it.

    Raises:
        ValueError: For an empty note.
    """
    text = text.strip()
    if not text:
        raise ValueError("Write the note first.")
    note = CaseNote(
        case_id=case_id, conversation_id=conversation_id, officer_id=officer.id, at=now, text=text
    )
    session.add(note)
    session.flush()
    subject, subject_id = ("case", case_id) if case_id else ("conversation", conversation_id)
    store.audit(
        session,
        f"officer:{officer.id}",
        f"{subject}.noted",
        subject,
        subject_id,
        now,
        {"note": note.id},
    )
    return note


def conversation_view(
    session: Session, conversation_id: int, officer: Officer, now: datetime
) -> ConversationView | None:
    """Load the conversation page's data and audit the view; None when there is none."""
    conversation = session.get(Conversation, conversation_id)
    if conversation is None:
        return None
    contact = session.get(Contact, conversation.contact_id)
    if contact is None:
        return None
    case = session.get(Case, conversation.case_id) if conversation.case_id else None
    handoff = session.scalars(
        select(Handoff)
        .where(Handoff.conversation_id == conversation.id)
        .order_by((Handoff.status == "closed").asc(), Handoff.id.desc())
    ).first()
    holder = None
    if handoff is not None and handoff.claimed_by:
        holder = officer_names(session, {handoff.claimed_by}).get(handoff.claimed_by)
    language = contact.language or "en"
    ready = [
        (reply.code, render_text(reply.text, "en"), render_text(reply.text, language))
        for reply in READY_REPLIES
    ]
    actor = f"officer:{officer.id}"
    store.audit(session, actor, "conversation.viewed", "conversation", conversation.id, now)
    if case is not None:
        store.audit(session, actor, "case.viewed", "case", case.id, now)
    return ConversationView(
        conversation=conversation,
        contact=contact,
        case=case,
        handoff=handoff,
        holder=holder,
        lines=transcript(session, conversation.id),
        notes=notes(session, conversation_id=conversation.id, case_id=case.id if case else None),
        history=history(session, contact.id, case),
        ready=ready,
    )


def line_json(line: Line) -> dict[str, Any]:
    """A transcript line for the page's script."""
    return {
        "id": line.id,
        "at": line.at.strftime("%Y-%m-%d %H:%M UTC"),
        "direction": line.direction,
        "author": line.author,
        "text": line.text,
        "delivery": line.delivery or "",
    }
