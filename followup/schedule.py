"""Scheduling check-ins after a report, only ever inside the person's safe hours."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from cases import store
from cases.codes import RISK_HIGH
from cases.models import Case, Contact, FollowUp

#: Kinds of follow-up row: the check-in itself, its one reminder, and the closing row
#: that records "no answer" when the reminder is not answered either.
CHECKIN: Final = "checkin"
REMINDER: Final = "reminder"
LAPSE: Final = "lapse"
#: How long an unanswered check-in waits before its one reminder (then moved into the
#: safe window), and how long the reminder waits before the check-in is closed unanswered.
REMINDER_AFTER: Final = timedelta(days=1)
LAPSE_AFTER: Final = timedelta(days=1)
#: Days after the report, as the domain brief suggests (2 days, a week, four weeks);
#: sooner and more often when the risk is high.
STANDARD_SCHEDULE: Final = (2, 7, 28)
#: Safe days as a bit a day, Monday (bit 0) to Sunday (bit 6): every day, Monday to
#: Friday, the weekend.
ALL_DAYS: Final = 0b1111111
WEEKDAYS: Final = 0b0011111
WEEKENDS: Final = 0b1100000
HIGH_RISK_SCHEDULE: Final = (1, 3, 7, 28)


def next_safe_time(moment: datetime, contact: Contact) -> datetime:
    """Return ``moment`` if it falls in the person's safe window, else the window's next start.

    Args:
        moment: A timezone-aware time.
        contact: The person, with their time zone, safe window (minutes after midnight)
            and safe days (a bit a day, Monday first).

    Returns:
        The earliest time at or after ``moment`` inside the window on a safe day, in UTC.
    """
    zone = ZoneInfo(contact.timezone)
    local = moment.astimezone(zone)
    minute = local.hour * 60 + local.minute
    start, end = contact.safe_from_minute, contact.safe_to_minute
    days = contact.safe_days or ALL_DAYS  # no day at all cannot be meant: every day
    if _safe_day(local.date(), days) and start <= minute < end:
        return moment
    day = local.date() if minute < start else local.date() + timedelta(days=1)
    while not _safe_day(day, days):
        day += timedelta(days=1)
    opening = datetime(day.year, day.month, day.day, start // 60, start % 60, tzinfo=zone)
    return opening.astimezone(ZoneInfo("UTC"))


def _safe_day(day: date, days: int) -> bool:
    return bool(days >> day.weekday() & 1)


def schedule_checkins(
    session: Session,
    case: Case,
    contact: Contact,
    address_id: int,
    now: datetime,
    schedule: Sequence[int] | None = None,
) -> list[FollowUp]:
    """Schedule the check-ins for a report whose author consented to them.

    Args:
        session: The open session.
        case: The submitted case.
        contact: The person (safe window and time zone).
        address_id: The channel address to use (the one they reported on).
        now: The current time.
        schedule: Days after ``now``; by default chosen by the case's risk.

    Earlier check-ins still pending for the same person are cancelled (outcome
    ``superseded``): one person gets one schedule, counted from their latest report.

    Returns:
        The new follow-up rows.
    """
    store.cancel_followups(session, contact.id, "superseded", now)
    days = schedule or (HIGH_RISK_SCHEDULE if case.risk == RISK_HIGH else STANDARD_SCHEDULE)
    rows = [
        FollowUp(
            case_id=case.id,
            contact_id=contact.id,
            address_id=address_id,
            kind=CHECKIN,
            due_at=next_safe_time(now + timedelta(days=day), contact),
            state="pending",
            attempts=0,
        )
        for day in days
    ]
    session.add_all(rows)
    return rows
