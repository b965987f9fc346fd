"""Canary proof: what a person says is found nowhere in the clear.

Canary strings (free text, a name, a phone number, the words given for why) go through
a whole conversation; then the SQLite file bytes (with its WAL), a pg_dump of the
PostgreSQL database, every log record at DEBUG and the stderr of ``tellsafe simulate``
are searched for them. A Telegram conversation through the real channel (messages,
a button press, replies sent and a quick exit) adds its chat id, the person's
Telegram address, which must be found nowhere either (not even in message keys).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.clock import ManualClock
from bot.runtime import Runtime, build_runtime
from cases.models import Consent, Message
from tests.auxil.person import Person
from tests.auxil.telegram_chat import fake_bot_api, telegram_chat
from tests.conftest import START, make_settings
from tests.trust.conftest import NAME, report

PHONE = "+447700900555"
TELEGRAM_CHAT = 7_380_512_946
CANARIES = (
    NAME,
    "Canaryname",
    "CANARY-ACCOUNT",
    "CANARY-WHY",
    "hijab",
    "Muslim",
    "36 bus",
    PHONE,
    PHONE.removeprefix("+"),
    str(TELEGRAM_CHAT),
    # The report agrees to a referral to this service, which names the strand.
    "tell_mama",
    "Tell MAMA",
)
PG_DUMP = Path("/usr/lib/postgresql/15/bin/pg_dump")


def _found(haystack: bytes) -> list[str]:
    return [c for c in CANARIES if c.encode() in haystack or c.lower().encode() in haystack]


def _converse(database_url: str, tmp_path: Path) -> None:
    runtime = build_runtime(make_settings(tmp_path, database_url), clock=ManualClock(START))
    person = Person(runtime, address=PHONE)
    report(person)
    assert _referred_to_tell_mama(runtime)
    person.say("CANARY-ACCOUNT I have one more thing to add about the hijab")
    assert any(NAME not in r.text for r in person.received)
    _telegram(runtime)
    runtime.database.dispose()


def _telegram(runtime: Runtime) -> None:
    """A Telegram conversation through the channel, so its keys are stored as it stores them."""
    with (
        fake_bot_api() as (bot_api, url),
        telegram_chat(runtime, bot_api, url, TELEGRAM_CHAT) as chat,
    ):
        chat.say("Hello, I want to report something that happened to me")
        chat.press("yes")
        chat.say("exit")
        assert chat.sent()
        assert chat.deleted()
    with runtime.sessions() as session:
        keys = session.scalars(
            select(Message.external_id).where(Message.channel == "telegram")
        ).all()
    # Stored, in and out, or the search below would prove nothing.
    assert len([key for key in keys if key]) >= 4


def _referred_to_tell_mama(runtime: Runtime) -> bool:
    """Whether the report's referral went to the Muslim service (so its name is a canary)."""
    with runtime.sessions() as session:
        services = session.scalars(
            select(Consent.service).where(Consent.purpose == "referral", Consent.answer)
        ).all()
    return "tell_mama" in services


def test_sqlite_file_and_logs_hold_no_canary(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("sqlalchemy.engine", "sqlalchemy.pool", "alembic", "httpx"):
        caplog.set_level(logging.DEBUG, logger=name)
    database = tmp_path / "canary.db"
    runtime = build_runtime(
        make_settings(tmp_path, f"sqlite:///{database}"), clock=ManualClock(START)
    )
    person = Person(runtime, address=PHONE)
    report(person)
    assert _referred_to_tell_mama(runtime)
    _telegram(runtime)
    # While the engine is open the newest pages are in the WAL: read it before it is merged.
    files = {path.name: path.read_bytes() for path in tmp_path.glob("canary.db*")}
    assert "canary.db-wal" in files
    assert len(files["canary.db-wal"]) > 0
    runtime.database.dispose()
    files["canary.db (checkpointed)"] = database.read_bytes()
    for name, content in files.items():
        assert _found(content) == [], name
    assert len(caplog.records) > 50  # the SQL itself was logged, with its parameters
    leaks = {
        (record.name, record.msg[:20], tuple(_found(_logged(record))))
        for record in caplog.records
        if _found(_logged(record)) and not _is_row_echo(record)
    }
    assert leaks == set()


def _logged(record: logging.LogRecord) -> bytes:
    return f"{record.getMessage()} {record.args!r} {record.exc_text or ''}".encode()


def _is_row_echo(record: logging.LogRecord) -> bool:
    """SQLAlchemy's DEBUG echo of result rows (after decryption: see the test below)."""
    return record.name.startswith("sqlalchemy.engine") and str(record.msg).startswith("Row ")


@pytest.mark.skipif(not PG_DUMP.exists(), reason="pg_dump 15 is not installed")
def test_postgres_dump_holds_no_canary(postgres_database: str, tmp_path: Path) -> None:
    _converse(postgres_database, tmp_path)
    url = make_url(postgres_database).set(drivername="postgresql")
    dump = subprocess.run(
        [str(PG_DUMP), "--no-owner", url.render_as_string(hide_password=False)],
        capture_output=True,
        check=True,
        timeout=60,
    ).stdout
    assert b"CREATE TABLE public.cases" in dump
    assert b"COPY public.messages" in dump
    assert _found(dump) == []


def test_simulate_stderr_holds_no_canary(tmp_path: Path) -> None:
    lines = [
        {"channel": "sms", "from": PHONE, "text": text, "at": START.isoformat()}
        for text in (
            "Hello, I want to report something that happened to me",
            "yes",
            "no",
            "1",
            "2",
            NAME,
            "CANARY-ACCOUNT a man on the bus shouted at me and pulled at my hijab",
            "last night",
            "the 36 bus in Nottingham NG1 5AA",
            "CANARY-WHY because I am Muslim",
        )
    ]
    env = {**os.environ, "TELLSAFE_DATA_DIR": str(tmp_path)}
    env.pop("TELLSAFE_KEYS", None)
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "-v", "simulate"],
        input="\n".join(json.dumps(line) for line in lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=env,
    )
    assert result.stdout.count("\n") >= len(lines)  # it did answer
    assert _found(result.stderr.encode()) == []


def test_sqlalchemy_debug_row_echo_is_suppressed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from cases import store

    runtime = build_runtime(make_settings(tmp_path), clock=ManualClock(START))
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")
    with runtime.sessions() as session:
        store.open_conversation(
            session, "sms", PHONE, now=START, timezone="Europe/London", initial_state="new"
        )
        session.commit()
        store.find_address(session, "sms", PHONE)
    runtime.database.dispose()
    assert not [r for r in caplog.records if _found(_logged(r))]
