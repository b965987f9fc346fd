"""Time as an injected dependency, so tests and `tellsafe simulate` control it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Anything that tells the current time (always timezone-aware, UTC)."""

    def now(self) -> datetime:
        """Return the current time."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """Return the current UTC time."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to: for simulation and tests."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = (start or datetime.now(UTC)).astimezone(UTC)

    def now(self) -> datetime:
        """Return the time the clock was last set to."""
        return self._now

    def set(self, moment: datetime) -> None:
        """Move the clock to ``moment``; naive times are taken as UTC.

        Args:
            moment: The new current time.
        """
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        self._now = moment.astimezone(UTC)
