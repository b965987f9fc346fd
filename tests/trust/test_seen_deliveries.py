"""Redelivered webhooks change nothing, before and after erasure, on both databases.

Handled provider ids are remembered as keyed digests in ``seen_deliveries``, a table
with no provider id in it and no link to a person, kept at least 48 hours and purged
by the worker's daily housekeeping.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, inspect, select, text
from sqlalchemy.orm import Session

from bot.clock import ManualClock
from bot.messages import InboundMessage
from bot.runtime import Runtime
from cases import deliveries, store
from cases.deliveries import SeenDelivery, purge_seen
from cases.erasure import complete_erasures
from cases.models import ChannelAddress, Contact, Message
from followup.worker import FollowUpLoop
from tests.auxil.person import Person

GREETING = "Hello, I want to report something that happened to me"
SMS_NUMBER = "+447700900777"
TELEGRAM_CHAT = "8200777"


def _advance(runtime: Runtime, delta: timedelta) -> None:
    clock = runtime.clock
    assert isinstance(clock, ManualClock)
    clock.set(clock.now() + delta)


def _inbound(runtime: Runtime, channel: str, address: str, text_: str, id_: str) -> InboundMessage:
    return InboundMessage(
        channel=channel,
        address=address,
        text=text_,
        received_at=runtime.clock.now(),
        external_id=id_,
    )


def _counts(engine: Engine) -> dict[str, int]:
    """Rows in every table of the database (found by inspection, not from a list)."""
    with engine.connect() as connection:
        return {
            table: int(connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one())
            for table in inspect(engine).get_table_names()
        }


def _seen_rows(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT * FROM seen_deliveries")).mappings()
        return [dict(row) for row in rows]


# (channel, address, ids of the three messages: a greeting, "delete my data", "yes")
CHANNELS = {
    "sms": (SMS_NUMBER, ["SM" + "a1" * 16, "SM" + "b2" * 16, "SM" + "c3" * 16]),
    # Telegram message keys (chat:message) and a button press's callback id.
    "telegram": (TELEGRAM_CHAT, [f"{TELEGRAM_CHAT}:1", f"{TELEGRAM_CHAT}:2", "cb:4471"]),
}


@pytest.mark.parametrize("channel", sorted(CHANNELS))
def test_a_redelivery_after_erasure_changes_nothing(trust_runtime: Runtime, channel: str) -> None:
    runtime = trust_runtime
    address, ids = CHANNELS[channel]
    person = Person(runtime, address=address, channel=channel)
    sent = [
        _inbound(runtime, channel, address, words, id_)
        for words, id_ in zip((GREETING, "delete my data", "yes"), ids, strict=True)
    ]
    for message in sent:
        runtime.service.handle(message)
        person.collect()
    assert "have been deleted" in person.last().text
    with runtime.sessions.begin() as session:
        assert complete_erasures(session, runtime.clock.now()) == 1
    before = _counts(runtime.database)
    assert before["contacts"] == before["channel_addresses"] == before["messages"] == 0
    assert before["seen_deliveries"] == 3

    # The provider redelivers, hours later (Twilio does, after a timeout).
    _advance(runtime, timedelta(hours=5))
    for message in sent:
        assert runtime.service.handle(message) == []
    assert person.collect() == []
    assert _counts(runtime.database) == before


def test_the_table_holds_no_provider_id_and_no_link_to_a_person(trust_runtime: Runtime) -> None:
    runtime = trust_runtime
    sms_id, telegram_id = "SM" + "d4" * 16, f"{TELEGRAM_CHAT}:9"
    runtime.service.handle(_inbound(runtime, "sms", SMS_NUMBER, GREETING, sms_id))
    runtime.service.handle(_inbound(runtime, "telegram", TELEGRAM_CHAT, GREETING, telegram_id))

    rows = _seen_rows(runtime.database)
    assert {row["channel"] for row in rows} == {"sms", "telegram"}
    assert set(rows[0]) == {"channel", "digest", "seen_at"}
    with runtime.sessions() as session:
        indexes = set(session.scalars(select(ChannelAddress.address_index)))
    for row in rows:
        stored = " ".join(str(value) for value in row.values())
        for secret in (sms_id, telegram_id, SMS_NUMBER, TELEGRAM_CHAT, "d4d4", *indexes):
            assert secret not in stored
        assert len(row["digest"]) == 64
    assert {row["digest"] for row in rows} == {
        deliveries.delivery_digest(sms_id),
        deliveries.delivery_digest(telegram_id),
    }
    assert inspect(runtime.database).get_foreign_keys("seen_deliveries") == []
    with runtime.sessions() as session:
        times = session.scalars(select(SeenDelivery.seen_at)).all()
    start = runtime.clock.now()
    assert times == [start.replace(minute=0, second=0, microsecond=0)] * 2


def test_a_redelivery_within_48_hours_is_dropped_even_after_a_short_setting(
    trust_runtime: Runtime,
) -> None:
    runtime = replace(
        trust_runtime, settings=replace(trust_runtime.settings, seen_deliveries_days=1)
    )
    message = _inbound(runtime, "sms", SMS_NUMBER, GREETING, "SM" + "e5" * 16)
    assert runtime.service.handle(message) != []
    loop = FollowUpLoop(runtime)
    for _day in range(2):  # two daily housekeeping passes, the second at 47:59
        _advance(runtime, timedelta(hours=23, minutes=59, seconds=30))
        loop._retention_due = None  # run the daily pass now
        loop.housekeeping()
    assert runtime.clock.now() - message.received_at < timedelta(hours=48)
    assert len(_seen_rows(runtime.database)) == 1
    assert runtime.service.handle(message) == []
    with runtime.sessions() as session:
        inbound = session.scalar(
            select(func.count()).select_from(Message).where(Message.direction == "in")
        )
    assert inbound == 1


def test_digests_are_purged_after_the_configured_window(trust_runtime: Runtime) -> None:
    runtime = replace(
        trust_runtime, settings=replace(trust_runtime.settings, seen_deliveries_days=3)
    )
    runtime.service.handle(_inbound(runtime, "sms", SMS_NUMBER, GREETING, "SM" + "f6" * 16))
    _advance(runtime, timedelta(days=1))
    runtime.service.handle(_inbound(runtime, "sms", SMS_NUMBER, "yes", "SM" + "f7" * 16))
    loop = FollowUpLoop(runtime)

    _advance(runtime, timedelta(days=2, hours=-1))  # the first is 3 days less an hour old
    loop.housekeeping()
    assert len(_seen_rows(runtime.database)) == 2
    _advance(runtime, timedelta(hours=2, minutes=1))  # past 3 days and the hour rounding
    loop._retention_due = None
    loop.housekeeping()
    assert [row["digest"] for row in _seen_rows(runtime.database)] == [
        deliveries.delivery_digest("SM" + "f7" * 16)
    ]


def test_purge_never_forgets_within_48_hours(trust_runtime: Runtime) -> None:
    runtime = trust_runtime
    now = runtime.clock.now()
    with runtime.sessions.begin() as session:
        deliveries.remember(session, "sms", "a" * 64, now)
    with runtime.sessions.begin() as session:
        assert purge_seen(session, now + timedelta(hours=48), keep=timedelta(0)) == 0
    with runtime.sessions.begin() as session:
        assert purge_seen(session, now + timedelta(hours=50), keep=timedelta(0)) == 1


def test_concurrent_deliveries_of_one_webhook_are_handled_once(
    trust_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = trust_runtime
    person = Person(runtime, address=SMS_NUMBER)
    person.say(GREETING)  # the person exists, so the racing turns only read at first
    barrier = threading.Barrier(2, timeout=30)
    open_turn = store.open_turn

    def both_inside(session: Session, *args: Any, **kwargs: Any) -> store.Opened | None:
        # Both turns have begun before either commits. On PostgreSQL the second then
        # waits on the digest the first remembered in this query, and fails on it once
        # the first commits; on SQLite both read, the second waits for the write lock
        # and fails on the seen digest at the end.
        barrier.wait()
        return open_turn(session, *args, **kwargs)

    monkeypatch.setattr(store, "open_turn", both_inside)
    message = _inbound(runtime, "sms", SMS_NUMBER, "yes", "SM" + "0a" * 16)
    results: list[list[int]] = []
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            results.append(runtime.service.handle(message))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(len(result) > 0 for result in results) == [False, True]
    assert len(_seen_rows(runtime.database)) == 1
    with runtime.sessions() as session:
        inbound = session.scalar(
            select(func.count()).select_from(Message).where(Message.direction == "in")
        )
        contacts = session.scalar(select(func.count()).select_from(Contact))
    assert (inbound, contacts) == (2, 1)  # the greeting and one "yes"


def test_a_database_server_remembers_the_delivery_in_the_turns_first_query(
    trust_runtime: Runtime,
) -> None:
    runtime = trust_runtime
    Person(runtime, address=SMS_NUMBER).say(GREETING)
    statements: list[str] = []

    def seen(*args: Any) -> None:
        statements.append(args[2])

    event.listen(runtime.database, "before_cursor_execute", seen)
    try:
        runtime.service.handle(_inbound(runtime, "sms", SMS_NUMBER, "yes", "SM" + "0b" * 16))
    finally:
        event.remove(runtime.database, "before_cursor_execute", seen)
    remembering = [index for index, sql in enumerate(statements) if "seen_deliveries" in sql]
    # PostgreSQL: with the query that opens the turn, a round trip fewer. SQLite has no
    # data-modifying WITH, and writes it last so its write lock is not held through the turn.
    first = runtime.database.dialect.name == "postgresql"
    assert remembering == [0 if first else len(statements) - 1]
    assert len(_seen_rows(runtime.database)) == 1
