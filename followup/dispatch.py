"""Sending check-ins when they fall due, each exactly once.

Due rows are claimed in batches inside one transaction that also writes what they
cause (the outbox message, the conversation state, the reminder row), so a worker
killed at any moment either did all of a batch or none of it:

- on PostgreSQL with ``SELECT ... FOR UPDATE SKIP LOCKED``: two workers take disjoint
  rows and neither waits for the other;
- elsewhere (SQLite) with a conditional ``UPDATE ... WHERE state = 'pending'``: SQLite
  has one writer at a time, so the second worker's update sees the first one's result
  and matches nothing it has already taken.

After downtime, a row that fell due is still sent unless it is too stale for its kind
(:data:`STALE_AFTER`); then it is skipped with the reason recorded on the row, in the
audit log, and as a count in the log (ids and codes only, never personal data).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from bot import states
from bot.clock import Clock
from bot.messages import OutboundMessage, RenderedMessage
from bot.outbox import pending_values
from bot.service import ConversationService
from cases import store
from cases.models import (
    AuditEvent,
    Base,
    Case,
    Contact,
    Conversation,
    FollowUp,
    Handoff,
    Message,
)
from content.render import render
from followup.checkin_prompts import opener, reminder
from followup.schedule import CHECKIN, LAPSE, LAPSE_AFTER, REMINDER, REMINDER_AFTER, next_safe_time

logger = logging.getLogger(__name__)

#: How late each kind may go out after downtime before it is skipped instead: "how are
#: you two days on" makes no sense a week later (the next one in the schedule follows);
#: a reminder a day late is no longer a reminder. Closing an unanswered check-in is
#: bookkeeping and is never stale.
STALE_AFTER: Final[dict[str, timedelta | None]] = {
    CHECKIN: timedelta(days=3),
    REMINDER: timedelta(days=1),
    LAPSE: None,
}
#: Rows claimed per transaction: large enough for thousands a second, small enough
#: that a web request waiting for SQLite's write lock waits only milliseconds.
BATCH: Final = 200
#: A check-in that would interrupt a report in progress waits a day, at most this often.
MAX_POSTPONES: Final = 3
POSTPONE: Final = timedelta(days=1)
#: Conversation states a check-in may start from without interrupting anything.
_IDLE_STATES: Final = (states.CLOSED, *states.CHECKIN_STATES)
#: Handoff states in which an officer, not the bot, keeps in touch.
_HELD: Final = ("open", "claimed")

#: The two messages the dispatcher sends; the same words for everyone in a language.
OPENER: Final = opener()
REMINDER_MESSAGE: Final = reminder()

PENDING: Final = "pending"
CLAIMED: Final = "claimed"
SENT: Final = "sent"
SKIPPED: Final = "skipped"
DONE: Final = "done"


@dataclass
class _Batch:
    """What one batch needs to know, loaded with a few queries rather than per row.

    The rows it causes (outbox messages, the follow-on reminders, audit events) are
    collected and written with one bulk ``INSERT`` per table: building an ORM object
    per row was most of the cost of a batch (measured).
    """

    contacts: dict[int, Contact]
    conversations: dict[int, Conversation]
    held_cases: set[int]
    parents: dict[int, FollowUp]
    messages: list[dict[str, Any]] = field(default_factory=list)
    followups: list[dict[str, Any]] = field(default_factory=list)
    audits: list[dict[str, Any]] = field(default_factory=list)

    def audit(
        self, action: str, followup_id: int, now: datetime, details: dict[str, Any] | None = None
    ) -> None:
        """Note an audit event about a follow-up (ids and codes only)."""
        self.audits.append(
            store.audit_values(store.SYSTEM, action, "followup", followup_id, now, details)
        )

    def write(self, session: Session) -> None:
        """Insert the collected rows, in the order they were made."""
        tables: tuple[tuple[type[Base], list[dict[str, Any]]], ...] = (
            (Message, self.messages),
            (FollowUp, self.followups),
            (AuditEvent, self.audits),
        )
        for model, rows in tables:
            if rows:
                session.execute(insert(model), rows)
                rows.clear()


def _left_after_close(conversation: Conversation, now: datetime) -> bool:
    """Whether "add to your report, or a new one?" has gone unanswered for a day.

    A "thank you" or a stray word after the report asks that question; left unanswered,
    it held the conversation busy and every check-in was postponed, then dropped.
    """
    return (
        conversation.state == states.ADD_OR_NEW
        and conversation.updated_at is not None
        and now - conversation.updated_at >= POSTPONE
    )


def _keep_addition(session: Session, conversation: Conversation, now: datetime) -> None:
    """Add what was written after the report to it, before a check-in replaces the question.

    The words were sent about the report just made, and an officer reads them there;
    the check-in starts afresh and would otherwise lose them.
    """
    addition = (conversation.scratch or {}).get("addition")
    text = addition.get("text") if isinstance(addition, dict) else addition
    case = session.get(Case, conversation.case_id) if conversation.case_id else None
    if not isinstance(text, str) or not text or case is None:
        return
    store.add_to_account(session, case, text, now)


class FollowUpDispatcher:
    """Finds due follow-up rows and acts on them: check-ins, reminders, closing.

    Args:
        sessions: Session factory.
        service: The conversation service, whose outbox the check-ins join.
        clock: The clock.
        batch: Rows claimed per transaction.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        service: ConversationService,
        clock: Clock,
        batch: int = BATCH,
    ) -> None:
        self.sessions = sessions
        self.service = service
        self.clock = clock
        self.batch = batch
        #: Rendered check-in texts by (message, language, zone, reading, channel): a
        #: batch of thousands renders each wording once.
        self._rendered: dict[tuple[str, str, str, str, str], RenderedMessage] = {}

    def next_due(self) -> datetime | None:
        """When the next pending row falls due, if any."""
        with self.sessions() as session:
            return session.scalar(
                select(FollowUp.due_at)
                .where(FollowUp.state == PENDING)
                .order_by(FollowUp.due_at)
                .limit(1)
            )

    def run_due(self) -> int:
        """Act on every row due now; returns how many messages were queued.

        Logs one line of counts by outcome (``sent``, ``skipped_stale``...) when
        anything was done, so an outage's aftermath is visible without personal data.
        """
        totals: Counter[str] = Counter()
        while True:
            tally = self._run_batch()
            if tally is None:
                break
            totals.update(tally)
        if totals:
            logger.info(
                "follow-ups done: %s", ", ".join(f"{key}={totals[key]}" for key in sorted(totals))
            )
        return totals["sent"] + totals["reminded"]

    # --- claiming ---------------------------------------------------------------------

    def _claim(self, session: Session, now: datetime) -> Sequence[FollowUp]:
        due = (
            select(FollowUp.id)
            .where(FollowUp.state == PENDING, FollowUp.due_at <= now)
            .order_by(FollowUp.due_at)
            .limit(self.batch)
        )
        if session.get_bind().dialect.name == "postgresql":
            # The state again on the locked rows, not only in the subquery: a row another
            # worker sent and committed after this statement's snapshot is locked here
            # anyway, and PostgreSQL re-checks only the outer conditions on the row as it
            # now is. With the state in the subquery alone, that row came back and its
            # check-in went out twice (the chaos test in tests/followup caught it).
            return session.scalars(
                select(FollowUp)
                .where(FollowUp.id.in_(due.scalar_subquery()), FollowUp.state == PENDING)
                .with_for_update(skip_locked=True)
            ).all()
        # ``+state`` (unary plus) keeps SQLite from answering the outer condition with the
        # (state, due_at) index, i.e. from walking every pending row to find the chosen
        # ids: with a million scheduled that made each claim 110 ms instead of 2 ms.
        unindexed_state: UnaryExpression[str] = UnaryExpression(
            FollowUp.state.expression, operator=custom_op("+")
        )
        claimed = session.scalars(
            update(FollowUp)
            .where(FollowUp.id.in_(due.scalar_subquery()), unindexed_state == PENDING)
            .values(state=CLAIMED, claimed_at=now)
            .returning(FollowUp.id)
            .execution_options(synchronize_session=False)
        ).all()
        if not claimed:
            return []
        return session.scalars(select(FollowUp).where(FollowUp.id.in_(claimed))).all()

    def _load(self, session: Session, rows: Sequence[FollowUp]) -> _Batch:
        contact_ids = {row.contact_id for row in rows}
        address_ids = {row.address_id for row in rows}
        case_ids = {row.case_id for row in rows}
        parent_ids = {row.parent_id for row in rows if row.parent_id is not None}
        contacts = session.scalars(select(Contact).where(Contact.id.in_(contact_ids))).all()
        conversations = session.scalars(
            select(Conversation).where(Conversation.address_id.in_(address_ids))
        ).all()
        held = session.scalars(
            select(Handoff.case_id).where(Handoff.case_id.in_(case_ids), Handoff.status.in_(_HELD))
        ).all()
        parents = (
            session.scalars(select(FollowUp).where(FollowUp.id.in_(parent_ids))).all()
            if parent_ids
            else []
        )
        return _Batch(
            contacts={contact.id: contact for contact in contacts},
            conversations={c.address_id: c for c in conversations},
            held_cases={case_id for case_id in held if case_id is not None},
            parents={parent.id: parent for parent in parents},
        )

    def _run_batch(self) -> Counter[str] | None:
        now = self.clock.now()
        tally: Counter[str] = Counter()
        with self.sessions.begin() as session:
            rows = self._claim(session, now)
            if not rows:
                return None
            batch = self._load(session, rows)
            for row in rows:
                tally[self._handle(session, row, batch, now)] += 1
            batch.write(session)
        return tally

    # --- one row ----------------------------------------------------------------------

    def _handle(self, session: Session, row: FollowUp, batch: _Batch, now: datetime) -> str:
        contact = batch.contacts.get(row.contact_id)
        conversation = batch.conversations.get(row.address_id)
        if contact is None or conversation is None:
            return self._skip(batch, row, "no_contact", now)
        if row.kind == LAPSE:
            return self._lapse(session, row, batch, conversation, now)
        if contact.opted_out_at is not None:
            return self._skip(batch, row, "opted_out", now)
        stale = STALE_AFTER.get(row.kind, timedelta(days=1))
        if stale is not None and now - row.due_at > stale:
            if row.kind == REMINDER:
                parent = batch.parents.get(row.parent_id or 0)
                if parent is not None and not self._answered(session, conversation, parent):
                    self._no_answer(session, batch, parent, contact, conversation, now)
            return self._skip(batch, row, "stale", now)
        if row.case_id in batch.held_cases:
            # An officer keeps in touch while they hold the case.
            return self._skip(batch, row, "handoff_open", now)
        window = next_safe_time(now, contact)
        if window != now:
            row.state = PENDING
            row.due_at = window
            return "rescheduled"
        if row.kind == REMINDER:
            return self._remind(session, row, batch, contact, conversation, now)
        return self._check_in(session, row, batch, contact, conversation, now)

    def _check_in(
        self,
        session: Session,
        row: FollowUp,
        batch: _Batch,
        contact: Contact,
        conversation: Conversation,
        now: datetime,
    ) -> str:
        if _left_after_close(conversation, now):
            _keep_addition(session, conversation, now)
        elif conversation.state not in _IDLE_STATES:
            # Mid-report or waiting for an officer: a check-in now would interrupt.
            if row.attempts >= MAX_POSTPONES:
                return self._skip(batch, row, "busy", now)
            row.attempts += 1
            row.state = PENDING
            row.due_at = now + POSTPONE
            return "postponed"
        conversation.state = states.CHECKIN_TIME
        conversation.resume_state = None
        conversation.case_id = row.case_id
        conversation.scratch = {"followup": row.id}
        conversation.updated_at = now
        self._send(batch, row, conversation, contact, CHECKIN, OPENER, now)
        self._then(batch, row, REMINDER, now + REMINDER_AFTER, parent_id=row.id)
        batch.audit("followup.sent", row.id, now)
        return "sent"

    def _send(
        self,
        batch: _Batch,
        row: FollowUp,
        conversation: Conversation,
        contact: Contact,
        name: str,
        message: OutboundMessage,
        now: datetime,
    ) -> None:
        """Settle ``row`` as sent and queue its message."""
        row.state = SENT
        row.done_at = now
        row.attempts += 1
        self._queue(batch, conversation, contact, name, message)

    @staticmethod
    def _then(batch: _Batch, row: FollowUp, kind: str, due_at: datetime, parent_id: int) -> None:
        """Schedule what follows ``row`` if nobody answers (a reminder, then the lapse)."""
        batch.followups.append(
            {
                "case_id": row.case_id,
                "contact_id": row.contact_id,
                "address_id": row.address_id,
                "kind": kind,
                "due_at": due_at,
                "state": PENDING,
                "attempts": 0,
                "parent_id": parent_id,
            }
        )

    def _queue(
        self,
        batch: _Batch,
        conversation: Conversation,
        contact: Contact,
        name: str,
        message: OutboundMessage,
    ) -> None:
        """Add one check-in message to the outbox, rendered for the person.

        The batched twin of :meth:`bot.service.ConversationService.queue`: the same
        rendering and row, but cached and without a flush per row (measured: the flush
        per row made claiming ten times slower).
        """
        language = contact.language or "en"
        key = (
            name,
            language,
            contact.timezone,
            contact.reading,
            conversation.channel,
        )
        rendered = self._rendered.get(key)
        if rendered is None:
            rendered = render(
                message,
                language,
                contact.timezone,
                reading=contact.reading,
                channel=conversation.channel,
            )
            self._rendered[key] = rendered
        batch.messages.append(pending_values(conversation, rendered, self.clock.now()))

    def _remind(
        self,
        session: Session,
        row: FollowUp,
        batch: _Batch,
        contact: Contact,
        conversation: Conversation,
        now: datetime,
    ) -> str:
        parent = batch.parents.get(row.parent_id or 0)
        if parent is None or self._answered(session, conversation, parent):
            return self._skip(batch, row, "answered", now, audit=False)
        if conversation.state != states.CHECKIN_TIME:
            return self._skip(batch, row, "moved_on", now, audit=False)
        self._send(batch, row, conversation, contact, REMINDER, REMINDER_MESSAGE, now)
        self._then(batch, row, LAPSE, now + LAPSE_AFTER, parent_id=parent.id)
        batch.audit("followup.reminded", parent.id, now)
        return "reminded"

    def _lapse(
        self,
        session: Session,
        row: FollowUp,
        batch: _Batch,
        conversation: Conversation,
        now: datetime,
    ) -> str:
        parent = batch.parents.get(row.parent_id or 0)
        contact = batch.contacts[row.contact_id]
        row.state = DONE
        row.done_at = now
        if parent is None or self._answered(session, conversation, parent):
            row.outcome = "answered"
            return "answered"
        row.outcome = "no_answer"
        self._no_answer(session, batch, parent, contact, conversation, now)
        return "no_answer"

    @staticmethod
    def _no_answer(
        session: Session,
        batch: _Batch,
        parent: FollowUp,
        contact: Contact,
        conversation: Conversation,
        now: datetime,
    ) -> None:
        """No answer to a check-in or its reminder: record it and contact them no more.

        Two unanswered messages may mean the phone is no longer theirs alone, or that
        they want no more contact; either way the safe thing is to stop.
        """
        parent.outcome = "no_answer"
        batch.write(session)  # a reminder made earlier in this batch is cancelled too
        cancelled = store.cancel_followups(session, contact.id, "no_answer", now)
        if conversation.state == states.CHECKIN_TIME:
            conversation.state = states.CLOSED
            conversation.scratch = {}
        store.audit(
            session,
            store.SYSTEM,
            "followup.no_answer",
            "followup",
            parent.id,
            now,
            {"cancelled": cancelled},
        )

    @staticmethod
    def _answered(session: Session, conversation: Conversation, parent: FollowUp) -> bool:
        """Whether the person wrote anything since the check-in went out."""
        since = parent.done_at or parent.due_at
        return (
            session.scalar(
                select(Message.id)
                .where(
                    Message.conversation_id == conversation.id,
                    Message.direction == "in",
                    Message.created_at >= since,
                )
                .limit(1)
            )
            is not None
        )

    @staticmethod
    def _skip(
        batch: _Batch, row: FollowUp, outcome: str, now: datetime, *, audit: bool = True
    ) -> str:
        row.state = SKIPPED
        row.outcome = outcome
        row.done_at = now
        if audit:
            batch.audit("followup.skipped", row.id, now, {"outcome": outcome, "kind": row.kind})
        return f"skipped_{outcome}"
