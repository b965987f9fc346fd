"""Settings of the follow-up side: the worker, notifiers, escalation and patterns.

Read from the environment with the rest of :class:`bot.config.Settings` (its
``followup`` field). Every value has a default that runs on one machine with no
accounts: no notifier is configured until ``TELLSAFE_NOTIFY`` names some.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

#: Notifier names, in the order escalation may use them.
KNOWN_NOTIFIERS: Final = ("smtp", "telegram", "webhook")


def _names(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip().lower() for part in (value or "").split(",") if part.strip())


@dataclass(frozen=True)
class FollowUpSettings:
    """How follow-ups, officer notifications and pattern alerts run.

    Attributes:
        poll_seconds: How often the worker looks for due check-ins and notifications
            (``TELLSAFE_FOLLOWUP_POLL_SECONDS``).
        batch: Check-ins claimed per transaction (``TELLSAFE_FOLLOWUP_BATCH``).
        notify: Notifiers in escalation order (``TELLSAFE_NOTIFY=smtp,telegram,webhook``).
        smtp_host: SMTP server (``TELLSAFE_SMTP_HOST``).
        smtp_port: SMTP port (``TELLSAFE_SMTP_PORT``).
        smtp_from: Sender address (``TELLSAFE_SMTP_FROM``).
        smtp_to: Officers' addresses, comma-separated (``TELLSAFE_SMTP_TO``).
        smtp_user: Login, if the server wants one (``TELLSAFE_SMTP_USER``).
        smtp_password: Password for ``smtp_user`` (``TELLSAFE_SMTP_PASSWORD``).
        smtp_starttls: Upgrade the connection with STARTTLS (``TELLSAFE_SMTP_STARTTLS=1``).
        officers_chat_id: The officers' Telegram group (``TELLSAFE_OFFICERS_CHAT_ID``);
            sent with the bot token of the Telegram channel.
        webhook_url: Where signed handoff notices are posted (``TELLSAFE_WEBHOOK_URL``).
        webhook_secret: HMAC-SHA256 key for the signature (``TELLSAFE_WEBHOOK_SECRET``).
        console_url: Base URL of the officer console, for links in notices
            (``TELLSAFE_CONSOLE_URL``; by default the public URL + ``/officer``).
        urgent_escalate_minutes: An urgent handoff nobody has claimed this long after
            a notice goes to the next notifier (``TELLSAFE_URGENT_ESCALATE_MINUTES``).
        pattern_window_days: Reports this close together can form a cross-victim
            pattern (``TELLSAFE_PATTERN_WINDOW_DAYS``).
        pattern_area_min: Reports from one postcode area that make an area alert
            (``TELLSAFE_PATTERN_AREA_MIN``); a shared place or account needs two.
        unfinished_after_hours: A report whose author stopped replying after its risk
            assessment is submitted as it stands this long after their last message
            (``TELLSAFE_SUBMIT_UNFINISHED_HOURS``).
    """

    poll_seconds: float = 30.0
    batch: int = 200
    notify: tuple[str, ...] = ()
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_from: str = "tellsafe@localhost"
    smtp_to: tuple[str, ...] = ()
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    officers_chat_id: str | None = None
    webhook_url: str | None = None
    webhook_secret: str | None = None
    console_url: str | None = None
    urgent_escalate_minutes: float = 15.0
    pattern_window_days: int = 28
    pattern_area_min: int = 3
    unfinished_after_hours: float = 24.0

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> FollowUpSettings:
        """Read the settings from environment variables.

        Args:
            env: The environment.

        Returns:
            The settings.

        Raises:
            ValueError: When ``TELLSAFE_NOTIFY`` names an unknown notifier.
        """
        notify = _names(env.get("TELLSAFE_NOTIFY"))
        unknown = [name for name in notify if name not in KNOWN_NOTIFIERS]
        if unknown:
            raise ValueError(f"TELLSAFE_NOTIFY: unknown notifier(s) {', '.join(unknown)}")
        return cls(
            poll_seconds=float(env.get("TELLSAFE_FOLLOWUP_POLL_SECONDS", "30")),
            batch=int(env.get("TELLSAFE_FOLLOWUP_BATCH", "200")),
            notify=notify,
            smtp_host=env.get("TELLSAFE_SMTP_HOST", "localhost"),
            smtp_port=int(env.get("TELLSAFE_SMTP_PORT", "25")),
            smtp_from=env.get("TELLSAFE_SMTP_FROM", "tellsafe@localhost"),
            smtp_to=tuple(
                part.strip() for part in env.get("TELLSAFE_SMTP_TO", "").split(",") if part.strip()
            ),
            smtp_user=env.get("TELLSAFE_SMTP_USER") or None,
            smtp_password=env.get("TELLSAFE_SMTP_PASSWORD") or None,
            smtp_starttls=env.get("TELLSAFE_SMTP_STARTTLS", "") in ("1", "true", "yes"),
            officers_chat_id=env.get("TELLSAFE_OFFICERS_CHAT_ID") or None,
            webhook_url=env.get("TELLSAFE_WEBHOOK_URL") or None,
            webhook_secret=env.get("TELLSAFE_WEBHOOK_SECRET") or None,
            console_url=(env.get("TELLSAFE_CONSOLE_URL") or "").rstrip("/") or None,
            urgent_escalate_minutes=float(env.get("TELLSAFE_URGENT_ESCALATE_MINUTES", "15")),
            pattern_window_days=int(env.get("TELLSAFE_PATTERN_WINDOW_DAYS", "28")),
            pattern_area_min=int(env.get("TELLSAFE_PATTERN_AREA_MIN", "3")),
            unfinished_after_hours=float(env.get("TELLSAFE_SUBMIT_UNFINISHED_HOURS", "24")),
        )
