"""SQLite writers take turns on an operating-system lock instead of sleeping.

SQLite lets one connection write at a time. A connection that finds the database locked
runs SQLite's busy handler, which sleeps 1, 2, 5, 10, 15 ... ms between tries. With two
``tellsafe serve`` processes (or a serve and a worker) on one file, every collision
costs such a sleep, and the tail latency of webhooks grew with every process added
(measured: p99 went from 55 ms with one process to seconds with two).

Here every write transaction of every process first takes one lock per database: a
thread lock within the process and an ``flock`` on a file beside the database across
processes. Waiting on it needs no polling (the kernel wakes the next writer when the
lock is let go), and it is held exactly as long as SQLite's own write lock: from the
first statement that writes (where :mod:`sqlite3` begins the transaction) to the
commit or rollback. Reads never take it (WAL: readers do not wait for the writer).
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
from pathlib import Path
from typing import Any, Final, Self

#: Statements :mod:`sqlite3` opens a write transaction for, and the others that write.
_WRITES: Final = ("INSERT", "UPDATE", "DELETE", "REPLACE", "BEGIN", "CREATE", "DROP", "ALTER")
#: As long as SQLite's own busy timeout: a writer that waited this long gives up.
WAIT_SECONDS: Final = 30.0


class WriterLock:
    """One database's write lock, shared by the threads of a process and by processes.

    Args:
        path: The lock file (created if missing; it holds nothing).
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._threads = threading.Lock()
        self._fd: int | None = None

    def acquire(self) -> None:
        """Wait for the lock.

        Raises:
            sqlite3.OperationalError: When another writer of this process held it for
                longer than :data:`WAIT_SECONDS` (as SQLite reports a locked database).
        """
        if not self._threads.acquire(timeout=WAIT_SECONDS):
            raise sqlite3.OperationalError("database is locked")
        try:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            # Only other processes can hold it now; each holds it for one short commit.
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._threads.release()
            raise

    def release(self) -> None:
        """Let the next writer in."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._threads.release()


class _Cursor(sqlite3.Cursor):
    """Takes the connection's write lock before the first statement that writes."""

    connection: SerialisedConnection

    def execute(self, sql: str, parameters: Any = (), /) -> Self:
        self.connection.before(sql)
        return super().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Any, /) -> Self:
        self.connection.before(sql)
        return super().executemany(sql, parameters)


class SerialisedConnection(sqlite3.Connection):
    """A :mod:`sqlite3` connection whose write transactions take a :class:`WriterLock`.

    Made by :func:`sqlite3.connect` with ``factory=`` (see :func:`cases.db.make_engine`);
    the lock (:func:`lock_for` the database path) is set right after.
    """

    writer_lock: WriterLock | None = None
    _holding: bool = False

    def cursor(self, factory: Any = None) -> Any:
        """A cursor that takes the write lock when it first writes."""
        return super().cursor(factory or _Cursor)

    def before(self, sql: str) -> None:
        """Take the lock if ``sql`` writes and this connection does not hold it yet."""
        if self._holding or self.writer_lock is None:
            return
        if sql.lstrip()[:7].upper().startswith(_WRITES):
            self.writer_lock.acquire()
            self._holding = True

    def commit(self) -> None:
        """Commit, then let the next writer in."""
        try:
            super().commit()
        finally:
            self._let_go()

    def rollback(self) -> None:
        """Roll back, then let the next writer in."""
        try:
            super().rollback()
        finally:
            self._let_go()

    def close(self) -> None:
        """Close (an open transaction rolls back), then let the next writer in."""
        try:
            super().close()
        finally:
            self._let_go()

    def _let_go(self) -> None:
        # A statement that wrote outside a transaction (DDL) has nothing left to end.
        if self._holding and not self.in_transaction:
            self._holding = False
            if self.writer_lock is not None:
                self.writer_lock.release()


_LOCKS: dict[Path, WriterLock] = {}
_LOCKS_GUARD = threading.Lock()


def lock_for(database: Path) -> WriterLock:
    """The process's one lock for ``database`` (all its connections must share it)."""
    path = database.resolve().with_name(database.name + ".writer-lock")
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(path, WriterLock(path))
