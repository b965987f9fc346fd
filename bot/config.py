"""Configuration from the environment, with embedded defaults that need no tokens.

Every setting has a default that runs the product on one machine: SQLite in a data
directory, keys generated on first use, no provider accounts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cases.retention import RetentionPolicy
from followup.settings import FollowUpSettings

DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "tellsafe"
#: Somewhere nobody would think twice about seeing on a screen.
DEFAULT_QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"
#: Victim Support's free national line, for the SMS HELP reply until a deployment sets its own.
DEFAULT_HELP_CONTACT = "Victim Support 08 08 16 89 111"


@dataclass(frozen=True)
class Settings:
    """The settings one TellSafe process runs with.

    Attributes:
        data_dir: Where the embedded SQLite database and generated keys live.
        database_url: Any SQLAlchemy URL; defaults to SQLite in ``data_dir``.
        keys: Comma-separated Fernet keys, newest first, or None to use the key file.
        timezone: The deployment's local time zone (safe hours are kept in it).
        languages: Language codes offered to people, in menu order.
        host: Interface ``tellsafe serve`` listens on.
        port: Port ``tellsafe serve`` listens on.
        public_url: The URL providers reach this server at (``TELLSAFE_PUBLIC_URL``);
            Twilio signatures are checked against it, so behind a proxy it is the
            forwarded URL, not the one the process sees.
        twilio_account_sid: Twilio account (SMS is off without it and the token).
        twilio_auth_token: Twilio auth token, also the webhook signing key.
        twilio_messaging_service_sid: Send through this Messaging Service...
        twilio_from_number: ...or from this number.
        twilio_api_base: Where the Twilio REST API is (tests and benches point it at a
            loopback fake); None for Twilio itself.
        sms_rate: SMS messages per second per sender.
        telegram_bot_token: Telegram bot token (Telegram is off without it).
        telegram_webhook_secret: The ``X-Telegram-Bot-Api-Secret-Token`` webhook secret.
        telegram_api_base: Bot API base URL ending in ``/bot``; None for Telegram itself.
        telegram_bot_username: The bot's @username for deep links on centre posters; by
            default the name Telegram reports once the channel has started.
        quick_exit_url: The neutral page the web chat's quick exit goes to.
        help_contact: Contact details in the SMS HELP reply.
        workers: Server processes for ``tellsafe serve`` (each also sends the outbox;
            claims keep every message single).
        web_only: ``tellsafe serve`` answers web requests only, and ``tellsafe worker``
            processes send the outbox and run check-ins (``TELLSAFE_WEB_ONLY``): under
            heavy load the web process then spends itself on people's messages alone.
        followup: Check-in worker, officer notifiers, escalation and pattern settings.
        retain_cases_months: Submitted cases are purged this long after closing
            (``TELLSAFE_RETAIN_CASES_MONTHS``; ``never`` keeps them).
        retain_transcripts_days: Messages, and people with no report left, are purged
            after this many days (``TELLSAFE_RETAIN_TRANSCRIPTS_DAYS``).
        retain_drafts_days: Unfinished reports are purged after this many days
            (``TELLSAFE_RETAIN_DRAFTS_DAYS``).
        erasure_keeps_statistics: Erasure and retention keep submitted reports as
            anonymous statistical records (``TELLSAFE_KEEP_ANONYMOUS_STATISTICS``).
        seen_deliveries_days: Digests of handled provider ids, which make redelivered
            webhooks change nothing, are kept this many days (at least 2:
            ``TELLSAFE_SEEN_DELIVERIES_DAYS``).
    """

    data_dir: Path
    database_url: str
    keys: str | None
    timezone: str
    languages: tuple[str, ...] | None
    host: str = "127.0.0.1"
    port: int = 8000
    public_url: str | None = None
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_messaging_service_sid: str | None = None
    twilio_from_number: str | None = None
    twilio_api_base: str | None = None
    sms_rate: float = 1.0
    telegram_bot_token: str | None = None
    telegram_webhook_secret: str | None = None
    telegram_api_base: str | None = None
    telegram_bot_username: str | None = None
    quick_exit_url: str = DEFAULT_QUICK_EXIT_URL
    help_contact: str = DEFAULT_HELP_CONTACT
    workers: int = 1
    web_only: bool = False
    followup: FollowUpSettings = field(default_factory=FollowUpSettings)
    retain_cases_months: int | None = 24
    retain_transcripts_days: int | None = 90
    retain_drafts_days: int | None = 30
    erasure_keeps_statistics: bool = True
    seen_deliveries_days: int = 7

    def retention(self) -> RetentionPolicy:
        """The retention policy these settings describe."""
        return RetentionPolicy(
            cases_months=self.retain_cases_months,
            transcripts_days=self.retain_transcripts_days,
            drafts_days=self.retain_drafts_days,
            keep_statistics=self.erasure_keeps_statistics,
        )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        """Read settings from ``TELLSAFE_*`` environment variables.

        Args:
            environ: The environment to read; the process environment by default.

        Returns:
            The settings.
        """
        env = dict(os.environ if environ is None else environ)
        data_dir = Path(env.get("TELLSAFE_DATA_DIR", str(DEFAULT_DATA_DIR))).expanduser()
        url = env.get("TELLSAFE_DATABASE_URL") or f"sqlite:///{data_dir / 'tellsafe.db'}"
        languages = env.get("TELLSAFE_LANGUAGES")
        return cls(
            data_dir=data_dir,
            database_url=url,
            keys=env.get("TELLSAFE_KEYS") or None,
            timezone=env.get("TELLSAFE_TIMEZONE", "Europe/London"),
            languages=tuple(code.strip() for code in languages.split(",")) if languages else None,
            host=env.get("TELLSAFE_HOST", "127.0.0.1"),
            port=int(env.get("TELLSAFE_PORT", "8000")),
            public_url=(env.get("TELLSAFE_PUBLIC_URL") or "").rstrip("/") or None,
            twilio_account_sid=env.get("TWILIO_ACCOUNT_SID") or None,
            twilio_auth_token=env.get("TWILIO_AUTH_TOKEN") or None,
            twilio_messaging_service_sid=env.get("TWILIO_MESSAGING_SERVICE_SID") or None,
            twilio_from_number=env.get("TWILIO_FROM_NUMBER") or None,
            twilio_api_base=(env.get("TWILIO_API_BASE") or "").rstrip("/") or None,
            sms_rate=float(env.get("TELLSAFE_SMS_RATE", "1")),
            telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET") or None,
            telegram_api_base=env.get("TELEGRAM_API_BASE") or None,
            telegram_bot_username=(env.get("TELEGRAM_BOT_USERNAME") or "").lstrip("@") or None,
            quick_exit_url=env.get("TELLSAFE_QUICK_EXIT_URL", DEFAULT_QUICK_EXIT_URL),
            help_contact=env.get("TELLSAFE_HELP_CONTACT", DEFAULT_HELP_CONTACT),
            workers=int(env.get("TELLSAFE_WORKERS", "1")),
            web_only=env.get("TELLSAFE_WEB_ONLY", "").lower() in ("1", "true", "yes"),
            followup=FollowUpSettings.from_env(env),
            retain_cases_months=_period(env.get("TELLSAFE_RETAIN_CASES_MONTHS"), 24),
            retain_transcripts_days=_period(env.get("TELLSAFE_RETAIN_TRANSCRIPTS_DAYS"), 90),
            retain_drafts_days=_period(env.get("TELLSAFE_RETAIN_DRAFTS_DAYS"), 30),
            erasure_keeps_statistics=(
                env.get("TELLSAFE_KEEP_ANONYMOUS_STATISTICS", "true").strip().lower()
                not in ("0", "false", "no", "off")
            ),
            seen_deliveries_days=int(env.get("TELLSAFE_SEEN_DELIVERIES_DAYS", "7")),
        )


def _period(value: str | None, default: int) -> int | None:
    """A retention period from the environment: a whole number, or ``never``."""
    if value is None or not value.strip():
        return default
    if value.strip().lower() == "never":
        return None
    return int(value)
