"""The threads that do the database work of async code, one or two per process.

SQLite has one writer at a time. When many threads of one process write at once they
queue on the database lock with sleeping busy handlers and fight over the GIL, and
throughput collapses under load (measured: a third of the serialised rate, with
seconds of tail latency). On SQLite every transaction is therefore handed to one
thread, which keeps each short and back to back.

A database server is different: a turn there spends half its time waiting for the
server's answers (about 8 round trips), and a single thread left that time unused, so
the turns of a busy process queued behind it. Two threads overlap those waits
(``bench/load``, two processes, alternating pairs against one thread: at 150 messages/s
a median p99 of 80 ms against 104 ms over 5 pairs, at 200/s 0.56 s against 1.26 s over
5 pairs). More lose again to the GIL (four: p99 0.29 and 0.15 s against 0.12 and 0.08 s
with two, at 150/s).
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Final, TypeVar

from sqlalchemy import Engine

_T = TypeVar("_T")

#: Threads for a database server (SQLite always gets one).
SERVER_THREADS: Final = 2

_PREFIX: Final = "tellsafe-db"
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=_PREFIX)
_threads = 1


def threads_for(database: Engine) -> int:
    """How many database threads suit ``database``: one for SQLite, more for a server."""
    return 1 if database.dialect.name == "sqlite" else SERVER_THREADS


def use(database: Engine) -> None:
    """Size the database threads for ``database`` (the process's one database).

    Called where a process starts serving. Jobs already handed over still run.
    """
    global _executor, _threads  # noqa: PLW0603 - one pool per process, as its database
    threads = threads_for(database)
    if threads != _threads:
        previous = _executor
        _executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix=_PREFIX)
        _threads = threads
        previous.shutdown(wait=False)


async def run(function: Callable[..., _T], *args: object) -> _T:
    """Run ``function(*args)`` on a database thread and wait for its result."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_executor, functools.partial(function, *args))
