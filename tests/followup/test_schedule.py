from __future__ import annotations

from datetime import UTC, datetime

import pytest

from cases.models import Contact
from followup.schedule import WEEKDAYS, WEEKENDS, next_safe_time


def contact(start: int, end: int, zone: str = "Europe/London") -> Contact:
    return Contact(timezone=zone, safe_from_minute=start, safe_to_minute=end)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2026, 11, 20, 18, 0, tzinfo=UTC), datetime(2026, 11, 20, 18, 0, tzinfo=UTC)),
        (datetime(2026, 11, 20, 10, 0, tzinfo=UTC), datetime(2026, 11, 20, 17, 0, tzinfo=UTC)),
        (datetime(2026, 11, 20, 22, 0, tzinfo=UTC), datetime(2026, 11, 21, 17, 0, tzinfo=UTC)),
        # British Summer Time: the 17:00 window opens at 16:00 UTC.
        (datetime(2026, 7, 1, 8, 0, tzinfo=UTC), datetime(2026, 7, 1, 16, 0, tzinfo=UTC)),
    ],
)
def test_next_safe_time_evenings(moment: datetime, expected: datetime) -> None:
    assert next_safe_time(moment, contact(17 * 60, 21 * 60)) == expected


def test_next_safe_time_in_another_time_zone() -> None:
    warsaw = contact(9 * 60, 12 * 60, "Europe/Warsaw")
    assert next_safe_time(datetime(2026, 11, 20, 12, 0, tzinfo=UTC), warsaw) == datetime(
        2026, 11, 21, 8, 0, tzinfo=UTC
    )


def _nov(day: int, hour: int) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "days", "expected"),
    [
        # Friday 20 November 2026 at 22:00: the weekend is skipped, Monday's window opens.
        (
            _nov(20, 22),
            WEEKDAYS,
            _nov(23, 17),
        ),
        # Saturday inside the hours: still the weekend.
        (
            _nov(21, 18),
            WEEKDAYS,
            _nov(23, 17),
        ),
        # Weekends only: from Monday to Saturday evening.
        (
            _nov(23, 18),
            WEEKENDS,
            _nov(28, 17),
        ),
        (
            _nov(21, 18),
            WEEKENDS,
            _nov(21, 18),
        ),
    ],
)
def test_next_safe_time_keeps_the_safe_days(
    moment: datetime, days: int, expected: datetime
) -> None:
    evenings = contact(17 * 60, 21 * 60)
    evenings.safe_days = days
    assert next_safe_time(moment, evenings) == expected
