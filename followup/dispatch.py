"""Sending check-ins when they fall due, each exactly once.

Rows are claimed with a conditional UPDATE (``state='pending'`` to ``'claimed'``), so
when several workers look at one database only the one whose update matched sends.
The check-in message is written to the outbox in the same transaction as the claim.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from bot import states
from bot.clock import Clock
from bot.service import ConversationService
from cases import store
from cases.models import Contact, Conversation, FollowUp, Handoff
from followup.checkin_prompts import opener
from followup.schedule import next_safe_time

logger = logging.getLogger(__name__)

#: A check-in more than this late (after downtime) is skipped, not sent: "how are you
#: two days on" makes no sense a week later, and the next one in the schedule follows.
STALE_AFTER: Final = {"checkin": timedelta(days=3)}
BATCH: Final = 200


class FollowUpDispatcher:
    """Finds due check-ins and queues them in the outbox.

    Args:
        sessions: Session factory.
        service: The conversation service, whose outbox the check-ins join.
        clock: The clock.
    """

    def __init__(
        self, sessions: sessionmaker[Session], service: ConversationService, clock: Clock
    ) -> None:
        self.sessions = sessions
        self.service = service
        self.clock = clock

    def next_due(self) -> datetime | None:
        """When the next pending check-in falls due, if any."""
        with self.sessions() as session:
            return session.scalar(
                select(FollowUp.due_at)
                .where(FollowUp.state == "pending")
                .order_by(FollowUp.due_at)
                .limit(1)
            )

    def run_due(self) -> int:
        """Claim and queue every check-in due now; returns how many were queued."""
        queued = 0
        while True:
            with self.sessions() as session:
                due = session.scalars(
                    select(FollowUp.id)
                    .where(FollowUp.state == "pending", FollowUp.due_at <= self.clock.now())
                    .order_by(FollowUp.due_at)
                    .limit(BATCH)
                ).all()
            if not due:
                return queued
            for followup_id in due:
                queued += self._dispatch_one(followup_id)

    def _dispatch_one(self, followup_id: int) -> int:
        now = self.clock.now()
        with self.sessions.begin() as session:
            claimed = session.execute(
                update(FollowUp)
                .where(FollowUp.id == followup_id, FollowUp.state == "pending")
                .values(state="claimed", claimed_at=now)
            )
            if not getattr(claimed, "rowcount", 0):
                return 0  # another worker got it first
            followup = session.get(FollowUp, followup_id)
            contact = session.get(Contact, followup.contact_id) if followup else None
            if followup is None or contact is None:
                return 0
            outcome = self._reason_not_to_send(session, followup, contact, now)
            if outcome == "reschedule":
                followup.state = "pending"
                followup.due_at = next_safe_time(now, contact)
                return 0
            if outcome is not None:
                followup.state = "skipped"
                followup.outcome = outcome
                followup.done_at = now
                store.audit(
                    session,
                    store.SYSTEM,
                    "followup.skipped",
                    "followup",
                    followup.id,
                    now,
                    {"outcome": outcome},
                )
                logger.info("check-in %s skipped: %s", followup.id, outcome)
                return 0
            conversation = session.scalars(
                select(Conversation).where(Conversation.address_id == followup.address_id)
            ).one()
            conversation.state = states.CHECKIN_TIME
            conversation.case_id = followup.case_id
            conversation.scratch = {"followup": followup.id}
            conversation.updated_at = now
            followup.state = "sent"
            followup.done_at = now
            followup.attempts += 1
            self.service.queue(session, conversation, [opener()])
            store.audit(session, store.SYSTEM, "followup.sent", "followup", followup.id, now)
            return 1

    @staticmethod
    def _reason_not_to_send(
        session: Session, followup: FollowUp, contact: Contact, now: datetime
    ) -> str | None:
        if contact.opted_out_at is not None:
            return "opted_out"
        if now - followup.due_at > STALE_AFTER.get(followup.kind, timedelta(days=1)):
            return "stale"
        held = session.scalar(
            select(Handoff.id).where(
                Handoff.case_id == followup.case_id, Handoff.status.in_(("open", "claimed"))
            )
        )
        if held is not None:
            return "handoff_open"
        if next_safe_time(now, contact) != now:
            return "reschedule"
        return None
