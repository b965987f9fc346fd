"""Submitting a report: the moment a draft becomes a report that officers work."""

from __future__ import annotations

from bot.turn import Turn
from cases import store
from followup import patterns
from followup.schedule import schedule_checkins


def submit(turn: Turn) -> None:
    """Submit the turn's case, with check-ins if the person agreed and still hears from us."""
    case = turn.require_case()
    case.status = "submitted"
    case.submitted_at = turn.now
    if case.followup_consent and turn.contact.opted_out_at is None:
        schedule_checkins(turn.session, case, turn.contact, turn.conversation.address_id, turn.now)
    store.audit(turn.session, store.SYSTEM, "case.submitted", "case", case.id, turn.now)
    patterns.record_case(turn.session, case, turn.now)
