"""Retention: keeping data only as long as it is needed, then purging it on schedule.

:func:`run_retention` (``tellsafe retention run``, and the worker loop) applies a
:class:`RetentionPolicy`:

- unfinished drafts older than ``drafts_days`` are deleted;
- submitted cases whose report was closed more than ``cases_months`` ago (with no open
  handoff and no check-in still due) become anonymous statistical records, or are
  deleted when policy keeps no statistics (the same treatment as an erasure);
- message transcripts older than ``transcripts_days`` are deleted (the case keeps the
  answers; messages still waiting to be sent and conversations an officer holds stay);
- a person with no report left, nothing due, and no message for ``transcripts_days``
  is deleted with their addresses;
- erasures whose confirmation has been delivered are completed;
- given ``seen_keep``, the digests of handled provider deliveries older than that
  (:func:`cases.deliveries.purge_seen`, never under 48 hours) are forgotten.

Each part runs in short transactions so a large purge does not hold locks while the
service answers people. The audit log gets one event per run, with counts only.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import Select, delete, exists, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from cases import store
from cases.deliveries import purge_seen
from cases.erasure import (
    ErasureRecord,
    anonymise_case,
    complete_erasures,
    delete_case,
    purge_references,
)
from cases.models import Case, Contact, Conversation, FollowUp, Handoff, Message

logger = logging.getLogger(__name__)

#: Rows handled per transaction.
BATCH: Final = 100
#: Conversation states (``bot.states``; ``cases`` does not import ``bot``) that a purge
#: of the conversation's case sends back to, or leaves alone.
_NEW_STATE: Final = "new"
_STOPPED_STATE: Final = "stopped"
_OPEN_HANDOFF: Final = ("open", "claimed")
_UNSETTLED: Final = ("pending", "sending")


@dataclass(frozen=True)
class RetentionPolicy:
    """How long each kind of data is kept. None keeps it for ever.

    Attributes:
        cases_months: Submitted cases, counted from when the report was closed.
        transcripts_days: Messages, and people with no report left.
        drafts_days: Unfinished reports.
        keep_statistics: Keep purged cases as anonymous statistical records.
    """

    cases_months: int | None = 24
    transcripts_days: int | None = 90
    drafts_days: int | None = 30
    keep_statistics: bool = True


@dataclass
class RetentionReport:
    """What one run purged (counts only)."""

    drafts_deleted: int = 0
    cases_anonymised: int = 0
    cases_deleted: int = 0
    messages_deleted: int = 0
    contacts_deleted: int = 0
    erasures_completed: int = 0
    deliveries_forgotten: int = 0

    def as_dict(self) -> dict[str, int]:
        """The counts as a mapping."""
        return asdict(self)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time ``months`` calendar months earlier (clamped to month end)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    next_month = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=moment.tzinfo)
    last_day = (next_month - timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def _release_conversations(session: Session, case_id: int) -> None:
    """Conversations on a purged case start afresh next time (STOP stays STOP)."""
    session.execute(
        update(Conversation)
        .where(Conversation.case_id == case_id, Conversation.state == _STOPPED_STATE)
        .values(resume_state=None, scratch={}, case_id=None)
    )
    session.execute(
        update(Conversation)
        .where(Conversation.case_id == case_id)
        .values(state=_NEW_STATE, resume_state=None, scratch={}, case_id=None)
    )


def _no_open_handoff(
    case_id_column: ColumnElement[int] | InstrumentedAttribute[int],
) -> ColumnElement[bool]:
    return ~exists().where(Handoff.case_id == case_id_column, Handoff.status.in_(_OPEN_HANDOFF))


def _purge_cases(sessions: sessionmaker[Session], query: Select[Any], anonymise: bool) -> int:
    done = 0
    while True:
        with sessions.begin() as session:
            ids: list[int] = list(session.scalars(query).all())
            for case_id in ids:
                _release_conversations(session, case_id)
                if anonymise:
                    anonymise_case(session, case_id)
                else:
                    delete_case(session, case_id)
            done += len(ids)
        if len(ids) < BATCH:
            return done


def run_retention(
    sessions: sessionmaker[Session],
    policy: RetentionPolicy,
    now: datetime,
    seen_keep: timedelta | None = None,
) -> RetentionReport:
    """Purge whatever the policy no longer allows to be kept.

    Args:
        sessions: Session factory.
        policy: The retention policy.
        now: The current time.
        seen_keep: How long to remember handled provider deliveries
            (``TELLSAFE_SEEN_DELIVERIES_DAYS``); None leaves them to the caller.

    Returns:
        Counts of what was purged.
    """
    report = RetentionReport()
    with sessions.begin() as session:
        report.erasures_completed = complete_erasures(session, now)

    if policy.drafts_days is not None:
        cutoff = now - timedelta(days=policy.drafts_days)
        drafts = (
            select(Case.id)
            .where(Case.status == "draft", Case.created_at < cutoff, _no_open_handoff(Case.id))
            .order_by(Case.id)
            .limit(BATCH)
        )
        report.drafts_deleted = _purge_cases(sessions, drafts, False)

    if policy.cases_months is not None:
        cutoff = months_before(now, policy.cases_months)
        closed = (
            select(Case.id)
            .where(
                Case.status == "submitted",
                Case.contact_id.is_not(None),  # anonymous records are already statistics
                Case.submitted_at < cutoff,
                _no_open_handoff(Case.id),
                ~exists().where(FollowUp.case_id == Case.id, FollowUp.state == "pending"),
            )
            .order_by(Case.id)
            .limit(BATCH)
        )
        purged = _purge_cases(sessions, closed, policy.keep_statistics)
        if policy.keep_statistics:
            report.cases_anonymised = purged
        else:
            report.cases_deleted = purged

    if policy.transcripts_days is not None:
        cutoff = now - timedelta(days=policy.transcripts_days)
        held = select(Handoff.conversation_id).where(Handoff.status.in_(_OPEN_HANDOFF))
        with sessions.begin() as session:
            result = session.execute(
                delete(Message).where(
                    Message.created_at < cutoff,
                    Message.delivery.is_(None) | Message.delivery.not_in(_UNSETTLED),
                    Message.conversation_id.not_in(held),
                )
            )
            report.messages_deleted = int(getattr(result, "rowcount", 0) or 0)
        report.contacts_deleted = _purge_dormant_contacts(sessions, cutoff)

    if seen_keep is not None:
        with sessions.begin() as session:
            report.deliveries_forgotten = purge_seen(session, now, seen_keep)

    with sessions.begin() as session:
        store.audit(
            session, store.SYSTEM, "retention.run", "retention", None, now, report.as_dict()
        )
    logger.info("retention run: %s", report.as_dict())
    return report


def _purge_dormant_contacts(sessions: sessionmaker[Session], cutoff: datetime) -> int:
    """Delete people with no report, nothing due and no recent conversation."""
    dormant = (
        select(Contact.id)
        .where(
            Contact.created_at < cutoff,
            ~exists().where(Case.contact_id == Contact.id),
            ~exists().where(
                FollowUp.contact_id == Contact.id, FollowUp.state.in_(("pending", "claimed"))
            ),
            ~exists().where(
                Conversation.contact_id == Contact.id, Conversation.updated_at >= cutoff
            ),
            ~exists().where(
                ErasureRecord.contact_id == Contact.id, ErasureRecord.completed_at.is_(None)
            ),
            ~exists()
            .where(Message.conversation_id == Conversation.id, Message.delivery.in_(_UNSETTLED))
            .where(Conversation.contact_id == Contact.id),
        )
        .order_by(Contact.id)
        .limit(BATCH)
    )
    done = 0
    while True:
        with sessions.begin() as session:
            ids = list(session.scalars(dormant).all())
            if ids:
                purge_references(session, "contacts", ids)
                session.execute(delete(Contact).where(Contact.id.in_(ids)))
            done += len(ids)
        if len(ids) < BATCH:
            return done
