"""PostgreSQL connections: checked after sitting idle, and one turn at a time per conversation.

A connection is pinged before use only when it sat idle in the pool (where restarts and
idle timeouts break connections), not before every transaction. And two turns of one
conversation in different processes or threads take turns on its row, so neither
overwrites the state the other moved on.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from bot.clock import ManualClock
from bot.runtime import Runtime, build_runtime
from cases import db, store
from tests.auxil.person import Person
from tests.conftest import START, make_settings


@pytest.fixture
def pg_runtime(postgres_database: str, tmp_path: Path) -> Iterator[Runtime]:
    built = build_runtime(make_settings(tmp_path, postgres_database), clock=ManualClock(START))
    yield built
    built.database.dispose()


def _count_pings(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    pings: list[int] = []
    ping = runtime.database.dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        pings.append(1)
        return ping(dbapi_connection)

    monkeypatch.setattr(runtime.database.dialect, "do_ping", counted)
    return pings


def _terminate_connections(url: str) -> int:
    """End every server connection to the test database, as a server restart would."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            return len(
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).all()
            )
    finally:
        admin.dispose()


def test_a_connection_in_steady_use_is_not_pinged(
    pg_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    pings = _count_pings(pg_runtime, monkeypatch)
    person = Person(pg_runtime)
    for _ in range(10):
        person.say("hello")
    assert pings == []
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
    person.say("hello")
    assert pings, "a connection idle longer than the limit is pinged"


def test_a_connection_broken_while_idle_is_replaced_before_use(
    pg_runtime: Runtime, postgres_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = Person(pg_runtime)
    person.say("hello")
    assert _terminate_connections(postgres_database) >= 1
    monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)  # as if it sat idle for long
    replies = person.say("hello")  # would fail on the dead connection without the ping
    assert replies


def test_turns_of_one_conversation_take_turns_on_its_row(pg_runtime: Runtime) -> None:
    Person(pg_runtime).say("hello")
    holding = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def first_turn() -> None:
        with pg_runtime.sessions.begin() as session:
            assert store.open_turn(session, "sms", Person.address) is not None
            order.append("first opened")
            holding.set()
            release.wait(10)
            order.append("first done")

    def second_turn() -> None:
        with pg_runtime.sessions.begin() as session:
            assert store.open_turn(session, "sms", Person.address) is not None
            order.append("second opened")

    first = threading.Thread(target=first_turn)
    first.start()
    assert holding.wait(10)
    second = threading.Thread(target=second_turn)
    second.start()
    second.join(0.5)
    assert second.is_alive(), "the second turn read the row while the first held it"
    release.set()
    first.join(10)
    second.join(10)
    assert order == ["first opened", "first done", "second opened"]
