"""The database threads: one on SQLite, where writers must take turns; two on a server."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine

from bot.channels import dbwriter


@pytest.fixture
def sqlite() -> Iterator[Engine]:
    engine = create_engine("sqlite://")
    yield engine
    dbwriter.use(engine)  # as every other test expects
    engine.dispose()


def overlapping(jobs: int) -> int:
    """Run ``jobs`` jobs that each wait a moment; returns how many ever ran at once."""
    lock = threading.Lock()
    running = most = 0

    def job() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        time.sleep(0.05)
        with lock:
            running -= 1

    async def all_of_them() -> None:
        await asyncio.gather(*(dbwriter.run(job) for _ in range(jobs)))

    asyncio.run(all_of_them())
    return most


def test_sqlite_gets_one_thread_so_its_writers_never_overlap(sqlite: Engine) -> None:
    dbwriter.use(sqlite)
    assert dbwriter.threads_for(sqlite) == 1
    assert overlapping(4) == 1


def test_a_database_server_gets_two_threads(sqlite: Engine) -> None:
    server = create_engine("postgresql+psycopg://tellsafe@127.0.0.1:9/tellsafe")  # never dialled
    dbwriter.use(server)
    assert dbwriter.threads_for(server) == dbwriter.SERVER_THREADS == 2
    assert overlapping(4) == 2
    dbwriter.use(sqlite)
    assert overlapping(4) == 1


def test_jobs_handed_over_before_a_resize_still_finish(sqlite: Engine) -> None:
    server = create_engine("postgresql+psycopg://tellsafe@127.0.0.1:9/tellsafe")
    dbwriter.use(sqlite)
    release = threading.Event()

    async def scenario() -> list[str]:
        first = asyncio.ensure_future(dbwriter.run(lambda: release.wait(5) and "first"))
        queued = asyncio.ensure_future(dbwriter.run(lambda: "queued"))
        await asyncio.sleep(0.05)
        dbwriter.use(server)
        release.set()
        return [await first, await queued, await dbwriter.run(lambda: "after")]

    assert asyncio.run(scenario()) == ["first", "queued", "after"]
