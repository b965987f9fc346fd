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

from bot.clock import ManualClock
from bot.runtime import Runtime, build_runtime
from cases import db, store
from tests.auxil.person import Person
from tests.conftest import START, make_settings
from tests.faults.conftest import TcpProxy, proxied


@pytest.fixture
def proxy_and_runtime(postgres_database: str, tmp_path: Path) -> Iterator[tuple[TcpProxy, Runtime]]:
    """A runtime reaching PostgreSQL through a proxy the test can cut."""
    with proxied(postgres_database) as (url, proxy):
        built = build_runtime(make_settings(tmp_path, url), clock=ManualClock(START))
        yield proxy, built
        built.database.dispose()


@pytest.fixture
def pg_runtime(proxy_and_runtime: tuple[TcpProxy, Runtime]) -> Runtime:
    return proxy_and_runtime[1]


def _count_pings(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    pings: list[int] = []
    ping = runtime.database.dialect.do_ping

    def counted(dbapi_connection: Any) -> bool:
        pings.append(1)
        return ping(dbapi_connection)

    monkeypatch.setattr(runtime.database.dialect, "do_ping", counted)
    return pings


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
    proxy_and_runtime: tuple[TcpProxy, Runtime], monkeypatch: pytest.MonkeyPatch
) -> None:
    proxy, runtime = proxy_and_runtime
    person = Person(runtime)
    person.say("hello")
    proxy.down()  # every pooled connection is reset, as by a server restart
    proxy.up()
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
