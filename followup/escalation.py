"""Notifying officers of handoffs, and escalating urgent ones nobody picks up.

Each pass (:meth:`HandoffNotices.run_once`, from the worker loop):

1. *plan*: every open handoff without a notice at its urgency gets one for the first
   notifier (a handoff that became urgent gets a new, urgent notice); an urgent handoff
   still unclaimed ``urgent_escalate_minutes`` after its last notice, or whose last
   notice failed for good, gets a notice for the next notifier;
2. *claim*: due notice rows are leased with a conditional update (several workers never
   send one notice at the same time; a worker that died mid-send loses its lease);
3. *send* through the notifier and record the outcome, retrying temporary failures
   with backoff. Everything is audited by id and code.

A unique constraint on (handoff, level, urgency) keeps two workers planning at once
from creating two notices.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.channels import dbwriter
from bot.clock import Clock
from bot.outbox import backoff
from cases import store
from cases.models import Case, Handoff
from followup.models import HandoffNotification
from followup.notifiers import Notification, Notifier, NotifyError

logger = logging.getLogger(__name__)

PENDING: Final = "pending"
SENDING: Final = "sending"
SENT: Final = "sent"
FAILED: Final = "failed"
SKIPPED: Final = "skipped"
#: How long a claim holds a notice before another worker may send it.
LEASE: Final = timedelta(seconds=60)
MAX_ATTEMPTS: Final = 6
OPEN: Final = "open"


@dataclass(frozen=True)
class _Claimed:
    row_id: int
    notifier: str
    notification: Notification


class HandoffNotices:
    """Plans, claims and sends handoff notices.

    Args:
        sessions: Session factory.
        clock: The clock.
        notifiers: The notifiers in escalation order.
        console_base: The officer console's base URL.
        escalate_after: How long an urgent handoff may go unclaimed after a notice.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        clock: Clock,
        notifiers: Sequence[Notifier],
        console_base: str,
        escalate_after: timedelta,
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.notifiers = list(notifiers)
        self.by_name = {notifier.name: notifier for notifier in self.notifiers}
        self.console_base = console_base.rstrip("/")
        self.escalate_after = escalate_after

    # --- planning ---------------------------------------------------------------------

    def plan(self) -> int:
        """Create the notices that are due; returns how many were created."""
        if not self.notifiers:
            return 0
        now = self.clock.now()
        created = 0
        with self.sessions.begin() as session:
            for handoff_id, urgent in self._unannounced(session):
                created += self._add(session, handoff_id, 0, urgent, now)
            for handoff_id, level in self._to_escalate(session, now):
                created += self._add(session, handoff_id, level, True, now)
        return created

    @staticmethod
    def _unannounced(session: Session) -> list[tuple[int, bool]]:
        announced = exists().where(
            HandoffNotification.handoff_id == Handoff.id,
            HandoffNotification.urgent == Handoff.urgent,
        )
        rows = session.execute(
            select(Handoff.id, Handoff.urgent)
            .where(Handoff.status == OPEN, Handoff.claimed_at.is_(None), ~announced)
            .order_by(Handoff.urgent.desc(), Handoff.created_at)
        ).all()
        return [(handoff_id, bool(urgent)) for handoff_id, urgent in rows]

    def _to_escalate(self, session: Session, now: datetime) -> list[tuple[int, int]]:
        """Urgent, unclaimed handoffs whose latest notice is old enough or failed."""
        latest = (
            select(
                HandoffNotification.handoff_id.label("handoff_id"),
                func.max(HandoffNotification.level).label("level"),
            )
            .where(HandoffNotification.urgent.is_(True))
            .group_by(HandoffNotification.handoff_id)
            .subquery()
        )
        rows = session.execute(
            select(HandoffNotification.handoff_id, HandoffNotification.level)
            .join(
                latest,
                and_(
                    latest.c.handoff_id == HandoffNotification.handoff_id,
                    latest.c.level == HandoffNotification.level,
                ),
            )
            .join(Handoff, Handoff.id == HandoffNotification.handoff_id)
            .where(
                HandoffNotification.urgent.is_(True),
                Handoff.status == OPEN,
                Handoff.urgent.is_(True),
                Handoff.claimed_at.is_(None),
                HandoffNotification.level + 1 < len(self.notifiers),
                or_(
                    HandoffNotification.state == FAILED,
                    and_(
                        HandoffNotification.state == SENT,
                        HandoffNotification.sent_at <= now - self.escalate_after,
                    ),
                ),
            )
        ).all()
        return [(handoff_id, level + 1) for handoff_id, level in rows]

    def _add(
        self, session: Session, handoff_id: int, level: int, urgent: bool, now: datetime
    ) -> int:
        notifier = self.notifiers[level].name
        try:
            with session.begin_nested():
                row = HandoffNotification(
                    handoff_id=handoff_id,
                    level=level,
                    notifier=notifier,
                    urgent=urgent,
                    state=PENDING,
                    attempts=0,
                    due_at=now,
                    created_at=now,
                )
                session.add(row)
                session.flush()
        except IntegrityError:
            return 0  # another worker planned the same notice first
        if level:
            store.audit(
                session,
                store.SYSTEM,
                "handoff.escalated_notice",
                "handoff",
                handoff_id,
                now,
                {"level": level, "notifier": notifier},
            )
            logger.warning(
                "urgent handoff %s not picked up: escalating to %s", handoff_id, notifier
            )
        return 1

    # --- claiming and recording -------------------------------------------------------

    def claim(self, limit: int = 50) -> list[_Claimed]:
        """Lease due notices and build what each one says."""
        now = self.clock.now()
        claimed: list[_Claimed] = []
        with self.sessions.begin() as session:
            due = session.execute(
                select(
                    HandoffNotification.id, HandoffNotification.state, HandoffNotification.due_at
                )
                .where(
                    HandoffNotification.state.in_((PENDING, SENDING)),
                    HandoffNotification.due_at <= now,
                )
                .order_by(HandoffNotification.urgent.desc(), HandoffNotification.id)
                .limit(limit)
            ).all()
            for row_id, state, due_at in due:
                won = session.execute(
                    update(HandoffNotification)
                    .where(
                        HandoffNotification.id == row_id,
                        HandoffNotification.state == state,
                        HandoffNotification.due_at == due_at,
                    )
                    .values(state=SENDING, due_at=now + LEASE)
                )
                if not getattr(won, "rowcount", 0):
                    continue
                item = self._build(session, row_id, now)
                if item is not None:
                    claimed.append(item)
        return claimed

    def _build(self, session: Session, row_id: int, now: datetime) -> _Claimed | None:
        row = session.get(HandoffNotification, row_id)
        handoff = session.get(Handoff, row.handoff_id) if row else None
        if row is None or handoff is None:
            return None
        if (
            handoff.status != OPEN
            or handoff.claimed_at is not None
            or row.notifier not in self.by_name
        ):
            # Picked up already, or the notifier is no longer configured: say so, once.
            row.state = SKIPPED
            row.error = "claimed" if row.notifier in self.by_name else "not_configured"
            return None
        reference = session.scalar(select(Case.reference).where(Case.id == handoff.case_id))
        notification = Notification(
            handoff_id=handoff.id,
            reference=reference or f"H{handoff.id}",
            urgent=row.urgent,
            reason=handoff.reason,
            link=f"{self.console_base}/conversations/{handoff.conversation_id}",
            level=row.level,
        )
        return _Claimed(row.id, row.notifier, notification)

    def record(self, item: _Claimed, error: NotifyError | None) -> None:
        """Settle a leased notice with the outcome of sending it."""
        now = self.clock.now()
        with self.sessions.begin() as session:
            row = session.get(HandoffNotification, item.row_id)
            if row is None or row.state != SENDING:
                return
            row.attempts += 1
            details = {"notifier": row.notifier, "level": row.level}
            if error is None:
                row.state = SENT
                row.sent_at = now
                row.error = None
                store.audit(
                    session,
                    store.SYSTEM,
                    "handoff.notified",
                    "handoff",
                    row.handoff_id,
                    now,
                    details,
                )
                return
            row.error = error.code[:64]
            if error.permanent or row.attempts >= MAX_ATTEMPTS:
                row.state = FAILED
                store.audit(
                    session,
                    store.SYSTEM,
                    "handoff.notify_failed",
                    "handoff",
                    row.handoff_id,
                    now,
                    {**details, "error": row.error},
                )
                logger.error(
                    "handoff %s notice by %s failed: %s", row.handoff_id, row.notifier, row.error
                )
                return
            row.state = PENDING
            row.due_at = now + backoff(row.attempts)

    async def run_once(self) -> int:
        """Plan, claim and send; returns how many notices were sent."""
        if not self.notifiers:
            return 0
        await dbwriter.run(self.plan)
        sent = 0
        for item in await dbwriter.run(self.claim):
            error: NotifyError | None = None
            try:
                await self.by_name[item.notifier].send(item.notification)
            except NotifyError as failure:
                error = failure
            except Exception as failure:  # a bug in a notifier must not stop the loop
                logger.exception("notifier %s crashed", item.notifier)
                error = NotifyError(type(failure).__name__)
            await dbwriter.run(self.record, item, error)
            sent += error is None
        return sent

    async def close(self) -> None:
        """Close every notifier's clients."""
        for notifier in self.notifiers:
            try:
                await notifier.close()
            except Exception:  # closing must not hide the real shutdown
                logger.exception("closing notifier %s", notifier.name)
