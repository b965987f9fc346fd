"""Erasure: removing everything held about a person, on their request or an officer's.

:func:`erase_contact` removes the person's messages, answers, name, contact details,
channel addresses, consents, check-ins (cancelled first) and handoffs (closed first).
Their submitted reports either go too or, when policy keeps statistics, stay as an
anonymous statistical record: strands, religion sub-flag, area, channel, centre, risk
and outcome, with dates cut to the week, no free text, a fresh reference nobody was
given, and no link to a person or to anything else.

Rows that point at the person's rows are found from the schema's foreign keys rather
than a hand-written list, so tables added later (officer notes, pattern keys) are
covered: a reference declared ``ON DELETE CASCADE`` is data about the person and is
deleted; any other reference is cut (set to null). The digests of handled provider
deliveries (:mod:`cases.deliveries`) have no such link and stay, so that a webhook
redelivered after the erasure is still recognised and changes nothing.

The person must still receive the confirmation. When one is to be sent, the contact,
the one channel address it goes to (sealed, as always) and that conversation are kept,
emptied, with an open :class:`ErasureRecord`; the confirmation is queued in that
conversation by the caller, and :func:`complete_erasures` (run by ``tellsafe retention
run`` and the worker loop) deletes what is left once the outbox has settled it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import (
    JSON,
    ForeignKey,
    Integer,
    String,
    Table,
    and_,
    delete,
    func,
    inspect,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from cases import store
from cases.models import (
    AuditEvent,
    Base,
    Case,
    ChannelAddress,
    Consent,
    Contact,
    Conversation,
    FollowUp,
    Handoff,
    Message,
    UTCDateTime,
)
from cases.schema import full_metadata
from cases.sealed import SealedText

logger = logging.getLogger(__name__)

#: Who asked.
BY_PERSON: Final = "person"
BY_OFFICER: Final = "officer"
BY_RETENTION: Final = "retention"

#: Reasons an officer may give (codes: the audit log holds no free text).
OFFICER_REASONS: Final = (
    "subject_request",
    "consent_withdrawn",
    "unlawful_processing",
    "no_longer_needed",
    "test_data",
)

#: Pull channels (the web chat) show a message when the page next asks, after the
#: outbox has marked it sent: keep the confirmation this long so an open page sees it.
PULL_CHANNELS: Final = frozenset({"web"})
PULL_GRACE: Final = timedelta(minutes=15)
#: A confirmation that has not gone out by then never will (the outbox gives up
#: after about a day of retries): finish the erasure regardless.
MAX_WAIT: Final = timedelta(days=3)
#: Outbox states that mean the message is still on its way.
_UNSETTLED: Final = ("pending", "sending")

#: Case columns kept in an anonymous statistical record; every other column is cleared.
_STATISTICAL_CASE_COLUMNS: Final = frozenset(
    {
        "id",
        "reference",
        "status",
        "created_at",
        "submitted_at",
        "channel",
        "language",
        "centre",
        "anonymous",
        "reporter_role",
        "occurred_at",
        "area",
        "online",
        "offender_known",
        "motivations",
        "religion",
        "risk",
        "risk_reasons",
        "repeat_victim",
        "police_report",
        "followup_consent",
    }
)
_ANONYMOUS_PREFIX: Final = "AN"


class ErasureRecord(Base):
    """One erasure: who asked, why, what went, and whether it has finished.

    While a confirmation is on its way, ``contact_id`` points at the emptied contact
    that still holds the address it goes to; it is cleared when the erasure completes,
    so a finished record links to nobody.
    """

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: person, officer or retention.
    source: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    #: A code from :data:`OFFICER_REASONS`, or ``request`` for the person's own.
    reason: Mapped[str] = mapped_column(String(32))
    #: The officer's note on the request (sealed: it may name how the request came).
    note: Mapped[str | None] = mapped_column(SealedText())
    #: How many rows of each kind went (counts only).
    counts: Mapped[dict[str, int]] = mapped_column(JSON)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contacts.id", ondelete="SET NULL"), index=True
    )


@dataclass(frozen=True)
class ErasurePolicy:
    """What erasure may keep.

    Attributes:
        keep_statistics: Keep submitted reports as anonymous statistical records
            (strands, area, week, outcome) instead of deleting them.
    """

    keep_statistics: bool = True


@dataclass
class ErasureCounts:
    """How many rows of each kind an erasure removed or changed."""

    contacts: int = 0
    addresses: int = 0
    conversations: int = 0
    messages: int = 0
    cases_deleted: int = 0
    cases_anonymised: int = 0
    consents: int = 0
    followups_cancelled: int = 0
    handoffs_closed: int = 0
    outbox_cancelled: int = 0
    other_rows: int = 0
    extra: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, int]:
        """The counts as a flat mapping for the audit log."""
        data = asdict(self)
        extra = data.pop("extra")
        return {**{k: int(v) for k, v in data.items()}, **extra}


class NothingToEraseError(LookupError):
    """The reference or address matches nobody whose data is held."""


def foreign_references(target: str) -> list[tuple[Table, Any, str | None]]:
    """Every column in the schema that references ``target.id``, with its ON DELETE rule."""
    found = []
    for table in full_metadata().sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == target and fk.column.name == "id":
                found.append((table, fk.parent, (fk.ondelete or "").upper() or None))
    return found


def purge_references(
    session: Session,
    target: str,
    ids: Iterable[int],
    *,
    skip: Iterable[str] = (),
) -> int:
    """Delete (ON DELETE CASCADE) or cut (anything else) every row pointing at ``ids``.

    Args:
        session: The open session.
        target: The referenced table.
        ids: Its ids.
        skip: Tables to leave alone (handled by the caller).

    Returns:
        How many rows were deleted or cut.
    """
    id_list = sorted(set(ids))
    if not id_list:
        return 0
    skipped = set(skip)
    touched = 0
    for table, column, ondelete in foreign_references(target):
        if table.name in skipped:
            continue
        if ondelete == "CASCADE" or not column.nullable:
            result = session.execute(delete(table).where(column.in_(id_list)))
        else:
            result = session.execute(
                update(table).where(column.in_(id_list)).values({column.name: None})
            )
        touched += int(getattr(result, "rowcount", 0) or 0)
    return touched


def _week_start(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    day = moment - timedelta(days=moment.weekday())
    return day.replace(hour=0, minute=0, second=0, microsecond=0)


def _anonymous_reference(session: Session) -> str:
    while True:
        candidate = f"{_ANONYMOUS_PREFIX}-{secrets.token_hex(6).upper()}"
        if session.scalar(select(Case.id).where(Case.reference == candidate)) is None:
            return candidate


def anonymise_case(session: Session, case_id: int) -> None:
    """Turn one case into an anonymous statistical record, cutting every link to it.

    Every row that points at the case goes (consents, check-ins, handoffs, notes) or is
    cut from it; free text, names, exact times and the reference the person knows are
    cleared. What stays is what the problem profile counts.

    Args:
        session: The open session.
        case_id: The case.
    """
    purge_references(session, "cases", [case_id])
    # The audit trail's exact times would undo the week rounding: cut its links too.
    _scrub_audit(session, {"case": {case_id}})
    times = session.execute(
        select(Case.created_at, Case.submitted_at, Case.occurred_at).where(Case.id == case_id)
    ).one_or_none()
    if times is None:
        return
    cleared: dict[str, Any] = {
        column.key: None
        for column in Case.__table__.columns
        if column.key not in _STATISTICAL_CASE_COLUMNS and column.nullable
    }
    cleared.update(
        reference=_anonymous_reference(session),
        anonymous=True,
        created_at=_week_start(times.created_at),
        submitted_at=_week_start(times.submitted_at),
        occurred_at=_week_start(times.occurred_at),
    )
    session.execute(update(Case).where(Case.id == case_id).values(**cleared))


def delete_case(session: Session, case_id: int) -> None:
    """Delete one case and everything that hangs from it.

    Args:
        session: The open session.
        case_id: The case.
    """
    purge_references(session, "cases", [case_id])
    _scrub_audit(session, {"case": {case_id}})
    session.execute(delete(Case).where(Case.id == case_id))


def _scrub_audit(session: Session, subjects: dict[str, set[int]]) -> int:
    """Cut the audit log's links to the person's rows (the events themselves stay)."""
    touched = 0
    for subject_type, ids in subjects.items():
        if not ids:
            continue
        result = session.execute(
            update(AuditEvent)
            .where(AuditEvent.subject_type == subject_type, AuditEvent.subject_id.in_(sorted(ids)))
            .values(subject_id=None)
        )
        touched += int(getattr(result, "rowcount", 0) or 0)
    return touched


def _forget_deleted(session: Session) -> None:
    """After bulk SQL: drop objects whose rows are gone from the session, reload the rest."""
    for obj in list(session.identity_map.values()):
        state = inspect(obj)
        mapper = state.mapper
        identity = state.identity or ()
        condition = and_(
            *(column == value for column, value in zip(mapper.primary_key, identity, strict=True))
        )
        still_there = session.scalar(
            select(func.count()).select_from(mapper.local_table).where(condition)
        )
        if still_there:
            session.expire(obj)
        else:
            session.expunge(obj)


@dataclass
class _Holdings:
    """The ids of everything held about one person."""

    conversations: list[Conversation]
    addresses: set[int]
    cases: set[int]
    consents: set[int]
    followups: set[int]
    handoffs: set[int]

    @classmethod
    def of(cls, session: Session, contact_id: int) -> _Holdings:
        conversations = list(
            session.scalars(select(Conversation).where(Conversation.contact_id == contact_id))
        )
        conversation_ids = sorted(c.id for c in conversations)
        cases = set(session.scalars(select(Case.id).where(Case.contact_id == contact_id)))
        cases |= {c.case_id for c in conversations if c.case_id is not None}
        case_ids = sorted(cases)
        return cls(
            conversations=conversations,
            addresses=set(
                session.scalars(
                    select(ChannelAddress.id).where(ChannelAddress.contact_id == contact_id)
                )
            ),
            cases=cases,
            consents=set(
                session.scalars(
                    select(Consent.id).where(
                        or_(Consent.contact_id == contact_id, Consent.case_id.in_(case_ids))
                    )
                )
            ),
            followups=set(
                session.scalars(
                    select(FollowUp.id).where(
                        or_(FollowUp.contact_id == contact_id, FollowUp.case_id.in_(case_ids))
                    )
                )
            ),
            handoffs=set(
                session.scalars(
                    select(Handoff.id).where(
                        or_(
                            Handoff.conversation_id.in_(conversation_ids),
                            Handoff.case_id.in_(case_ids),
                        )
                    )
                )
            ),
        )

    def audit_subjects(self, contact_id: int) -> dict[str, set[int]]:
        """The audit log's subject types and the person's ids of each."""
        return {
            "contact": {contact_id},
            "case": self.cases,
            "consent": self.consents,
            "followup": self.followups,
            "handoff": self.handoffs,
            "conversation": {c.id for c in self.conversations},
            "address": self.addresses,
        }


def erase_contact(
    session: Session,
    contact_id: int,
    *,
    now: datetime,
    policy: ErasurePolicy,
    source: str,
    actor: str = store.SYSTEM,
    reason: str = "request",
    note: str | None = None,
    keep_conversation_id: int | None = None,
) -> ErasureRecord:
    """Erase everything held about one person.

    Args:
        session: The open transaction (the erasure commits with it, or not at all).
        contact_id: The person.
        now: The time of the erasure.
        policy: What may be kept.
        source: Who asked: :data:`BY_PERSON`, :data:`BY_OFFICER` or :data:`BY_RETENTION`.
        actor: The officer's name, or ``system``.
        reason: A code (:data:`OFFICER_REASONS`, or ``request``).
        note: The officer's note (stored sealed on the erasure record).
        keep_conversation_id: A conversation to keep, emptied, so a confirmation can be
            queued in it; None to erase everything at once.

    Returns:
        The erasure record (completed unless a conversation was kept).
    """
    session.flush()
    counts = ErasureCounts()
    held = _Holdings.of(session, contact_id)
    conversations = held.conversations
    conversation_ids = {c.id for c in conversations}
    case_ids = held.cases
    keep = next((c for c in conversations if c.id == keep_conversation_id), None)

    # Settle what was in flight first, so nothing more goes out and the audit says so.
    counts.followups_cancelled = store.cancel_followups(session, contact_id, "erased", now)
    for conversation_id in conversation_ids:
        result = session.execute(
            update(Message)
            .where(
                Message.conversation_id == conversation_id,
                Message.delivery.in_(_UNSETTLED),
            )
            .values(delivery="cancelled")
        )
        counts.outbox_cancelled += int(getattr(result, "rowcount", 0) or 0)
    closed = session.execute(
        update(Handoff)
        .where(Handoff.id.in_(sorted(held.handoffs)), Handoff.status != "closed")
        .values(status="closed", closed_at=now)
    )
    counts.handoffs_closed = int(getattr(closed, "rowcount", 0) or 0)
    counts.messages = (
        session.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.conversation_id.in_(sorted(conversation_ids)))
        )
        or 0
    )
    counts.consents = len(held.consents)
    _scrub_audit(session, held.audit_subjects(contact_id))

    statuses = dict(
        session.execute(select(Case.id, Case.status).where(Case.id.in_(sorted(case_ids)))).all()
    )
    for case_id in sorted(case_ids):
        if policy.keep_statistics and statuses.get(case_id) == "submitted":
            anonymise_case(session, case_id)
            counts.cases_anonymised += 1
        else:
            delete_case(session, case_id)
            counts.cases_deleted += 1

    counts.other_rows += purge_references(session, "conversations", conversation_ids)
    gone_conversations = conversation_ids - ({keep.id} if keep else set())
    if gone_conversations:
        session.execute(delete(Conversation).where(Conversation.id.in_(sorted(gone_conversations))))
    counts.conversations = len(gone_conversations)
    gone_addresses = held.addresses - ({keep.address_id} if keep else set())
    counts.other_rows += purge_references(
        session, "channel_addresses", gone_addresses, skip=("conversations",)
    )
    if gone_addresses:
        session.execute(delete(ChannelAddress).where(ChannelAddress.id.in_(sorted(gone_addresses))))
    counts.addresses = len(gone_addresses)
    counts.other_rows += purge_references(
        session,
        "contacts",
        [contact_id],
        skip=("channel_addresses", "conversations", "erasures", "cases"),
    )

    record = ErasureRecord(
        requested_at=now,
        source=source,
        actor=actor[:64],
        reason=reason[:32],
        note=note,
        counts={},
    )
    if keep is None:
        session.execute(delete(Contact).where(Contact.id == contact_id))
        counts.contacts = 1
        record.completed_at = now
    else:
        session.execute(update(Contact).where(Contact.id == contact_id).values(name=None))
        session.execute(
            update(Conversation)
            .where(Conversation.id == keep.id)
            .values(
                state="new",
                resume_state=None,
                case_id=None,
                centre=None,
                scratch={},
                misunderstood=0,
                updated_at=now,
            )
        )
        record.contact_id = contact_id
    record.counts = counts.as_dict()
    session.add(record)
    session.flush()
    _forget_deleted(session)
    store.audit(
        session,
        actor,
        "erasure.done" if record.completed_at else "erasure.started",
        "erasure",
        record.id,
        now,
        {"source": source, "reason": record.reason, **record.counts},
    )
    logger.info("erasure %s by %s: %s", record.id, source, record.counts)
    return record


def complete_erasures(session: Session, now: datetime) -> int:
    """Finish erasures whose confirmation has been settled by the outbox.

    If the person wrote again after the erasure, their new conversation is theirs to
    keep: only what came before it (the confirmation and its request) goes.

    Args:
        session: The open transaction.
        now: The current time.

    Returns:
        How many erasures were completed.
    """
    done = 0
    open_records = session.scalars(
        select(ErasureRecord).where(
            ErasureRecord.completed_at.is_(None), ErasureRecord.contact_id.is_not(None)
        )
    ).all()
    for record in open_records:
        contact_id = record.contact_id
        if contact_id is None:
            continue
        conversations = session.scalars(
            select(Conversation).where(Conversation.contact_id == contact_id)
        ).all()
        ids = [c.id for c in conversations]
        overdue = now - record.requested_at >= MAX_WAIT
        unsettled = session.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.conversation_id.in_(ids), Message.delivery.in_(_UNSETTLED))
        )
        if unsettled and not overdue:
            continue
        last_sent = session.scalar(
            select(func.max(Message.sent_at)).where(Message.conversation_id.in_(ids))
        )
        pulled = any(c.channel in PULL_CHANNELS for c in conversations)
        if pulled and last_sent is not None and now - last_sent < PULL_GRACE and not overdue:
            continue
        came_back = session.scalar(
            select(func.min(Message.id)).where(
                Message.conversation_id.in_(ids),
                Message.direction == "in",
                Message.created_at > record.requested_at,
            )
        )
        if came_back is not None:
            # A fresh start after the erasure: remove only what came before it.
            session.execute(
                delete(Message).where(Message.conversation_id.in_(ids), Message.id < came_back)
            )
        else:
            purge_references(session, "contacts", [contact_id], skip=("erasures",))
            session.execute(delete(Contact).where(Contact.id == contact_id))
        record.contact_id = None
        record.completed_at = now
        store.audit(session, store.SYSTEM, "erasure.completed", "erasure", record.id, now)
        done += 1
    if done:
        _forget_deleted(session)
    return done


def contact_for_reference(session: Session, reference: str) -> int:
    """The person behind a case reference.

    Raises:
        NothingToEraseError: When no case has that reference or it links to nobody.
    """
    contact_id = session.scalar(
        select(Case.contact_id).where(Case.reference == reference.strip().upper())
    )
    if contact_id is None:
        raise NothingToEraseError("no case with that reference is linked to a person")
    return contact_id


def contact_for_address(session: Session, channel: str, address: str) -> int:
    """The person behind a channel address (looked up by its blind index).

    Raises:
        NothingToEraseError: When the address is not held.
    """
    found = store.find_address(session, channel, address)
    if found is None:
        raise NothingToEraseError("that address is not held")
    return found.contact_id


def confirmation_conversation(session: Session, contact_id: int) -> Conversation | None:
    """The conversation an officer-made erasure can be confirmed in, if any is safe.

    The most recently active one whose address is reachable and has not opted out.
    """
    conversations = session.scalars(
        select(Conversation)
        .join(ChannelAddress, Conversation.address_id == ChannelAddress.id)
        .join(Contact, Conversation.contact_id == Contact.id)
        .where(
            Conversation.contact_id == contact_id,
            ChannelAddress.opted_out_at.is_(None),
            ChannelAddress.unreachable_at.is_(None),
            Contact.opted_out_at.is_(None),
        )
        .order_by(Conversation.updated_at.desc())
    ).all()
    return conversations[0] if conversations else None
