"""Configuration from the environment, with embedded defaults that need no tokens.

Every setting has a default that runs the product on one machine: SQLite in a data
directory, keys generated on first use, no provider accounts.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATA_DIR = Path.home() / ".local" / "share" / "tellsafe"


@dataclass(frozen=True)
class Settings:
    """The settings one TellSafe process runs with.

    Attributes:
        data_dir: Where the embedded SQLite database and generated keys live.
        database_url: Any SQLAlchemy URL; defaults to SQLite in ``data_dir``.
        keys: Comma-separated Fernet keys, newest first, or None to use the key file.
        timezone: The deployment's local time zone (safe hours are kept in it).
        languages: Language codes offered to people, in menu order.
    """

    data_dir: Path
    database_url: str
    keys: str | None
    timezone: str
    languages: tuple[str, ...] | None

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
        )
