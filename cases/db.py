"""Database engine, sessions and migrations.

SQLite is the embedded default (a file in the data directory, WAL mode so readers do
not block the writer); any SQLAlchemy URL works, PostgreSQL in production.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any, Final

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
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
        engine = create_engine(url, hide_parameters=True)
        _ping_when_idle(engine)
        return engine
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


#: A pooled server connection idle this long is pinged before use (see _ping_when_idle).
PING_AFTER_IDLE_SECONDS = 2.0

_IDLE_SINCE: Final = "tellsafe_idle_since"


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use, but only after it sat idle.

    Idle is when connections break: a server restart, a failover, an idle timeout in a
    proxy. ``pool_pre_ping`` pinged before every transaction, a round trip that under
    load was a tenth of a turn's time on the one database thread; a connection back in
    use within milliseconds is not worth it. One that breaks mid-use fails its request
    with a 503 the provider retries, and SQLAlchemy then replaces the whole pool.
    """

    @event.listens_for(engine, "checkin")
    def _idle_from(_dbapi_connection: Any, record: Any) -> None:
        record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop(_IDLE_SINCE, None)
        if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            # The pool's documented signal: drop this connection and check out another.
            raise DisconnectionError from error


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
