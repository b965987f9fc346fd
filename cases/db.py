"""Database engine, sessions and migrations.

SQLite is the embedded default (a file in the data directory, WAL mode so readers do
not block the writer); any SQLAlchemy URL works, PostgreSQL in production.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from cases.lawful_basis import seed_bases
from cases.sqlite_writer import SerialisedConnection, lock_for

logger = logging.getLogger(__name__)

_MIGRATIONS = Path(__file__).with_name("migrations")


class _NoRowEcho(logging.Filter):
    """Drops SQLAlchemy's DEBUG echo of result rows: they hold decrypted special category data."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(("Row ", "Col "))


# On the engine logger itself, so turning on DEBUG for "sqlalchemy" anywhere cannot leak.
logging.getLogger("sqlalchemy.engine.Engine").addFilter(_NoRowEcho())


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``, preparing SQLite for concurrent use.

    Args:
        url: A SQLAlchemy database URL.

    Returns:
        The engine.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    database = Path(parsed.database) if parsed.database and parsed.database != ":memory:" else None
    if database is not None:
        # Private: the database holds special category data (sealed, but still).
        database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # hide_parameters: statements may be logged, the values bound into them never.
    engine = create_engine(
        url,
        connect_args={"timeout": 30, "factory": SerialisedConnection},
        hide_parameters=True,
    )
    writer_lock = lock_for(database) if database is not None else None

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Writers of every process take turns on one lock (see cases.sqlite_writer).
        dbapi_connection.writer_lock = writer_lock
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


def session_factory(engine: Engine) -> sessionmaker[Session]:
    """Return a session factory bound to ``engine`` (objects stay usable after commit)."""
    return sessionmaker(engine, expire_on_commit=False)


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Migrate the database behind ``engine`` to ``revision`` with Alembic.

    Args:
        engine: The engine whose database to migrate.
        revision: The target revision. The default, every head, lets independent branches of
            the schema (one per feature, each from the initial schema) apply together. Only
            then are the lawful bases of the current policy written (an older schema may
            not have their table yet).
    """
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        if revision == "heads":
            seed_bases(connection)
    logger.info("database migrated to %s", revision)
