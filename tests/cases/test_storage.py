"""Storage on SQLite and a real PostgreSQL server: migrations, sealing, lookups."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from cases import store
from cases.db import make_engine, session_factory, upgrade
from cases.models import Case, Message
from cases.sealed import Keyring, install_keyring
from tests.conftest import TEST_KEY

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
TABLES = {
    "contacts",
    "channel_addresses",
    "conversations",
    "messages",
    "cases",
    "consents",
    "followups",
    "handoffs",
    "audit_log",
    "alembic_version",
}


def test_migrations_create_every_table(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    upgrade(engine)  # idempotent
    assert set(inspect(engine).get_table_names()) >= TABLES
    engine.dispose()


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def _conversation_with_secrets(session: Session) -> Case:
    conversation = store.open_conversation(
        session, "sms", "+447700900999", now=NOW, timezone="Europe/London", initial_state="new"
    )
    case = store.new_case(session, conversation, "en", NOW)
    case.what_happened = "CANARY-ACCOUNT shouted at me"
    case.victim_words = "CANARY-WHY because of my faith"
    case.motivations = ["religion"]
    session.add(
        Message(
            conversation_id=conversation.id,
            direction="in",
            kind="inbound",
            channel="sms",
            text="CANARY-MESSAGE",
            created_at=NOW,
        )
    )
    return case


def test_sensitive_fields_are_sealed_at_rest_and_readable(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        case_id = _conversation_with_secrets(session).id
    with engine.connect() as connection:
        raw = " ".join(
            str(value)
            for table in ("cases", "messages", "channel_addresses")
            for row in connection.execute(text(f"SELECT * FROM {table}"))
            for value in row
        )
    for secret in ("CANARY", "+447700900999", "religion"):
        assert secret not in raw
    with sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert case.what_happened == "CANARY-ACCOUNT shouted at me"
        assert case.motivations == ["religion"]
    engine.dispose()


def test_address_lookup_uses_the_blind_index(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        first = store.open_conversation(
            session, "sms", "+447700900111", now=NOW, timezone="Europe/London", initial_state="new"
        )
    with sessions.begin() as session:
        again = store.open_conversation(
            session, "sms", "+447700900111", now=NOW, timezone="Europe/London", initial_state="new"
        )
        other = store.open_conversation(
            session,
            "telegram",
            "+447700900111",
            now=NOW,
            timezone="Europe/London",
            initial_state="new",
        )
    assert again.id == first.id
    assert other.id != first.id  # the same digits on another channel are another address
    engine.dispose()


def test_a_wrong_key_cannot_open_sealed_values(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'k.db'}")
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        case_id = _conversation_with_secrets(session).id
    install_keyring(Keyring([Fernet.generate_key()]))
    with sessions() as session, pytest.raises(ValueError, match="could not be opened"):
        session.get(Case, case_id)
    engine.dispose()


def test_rotated_keyring_still_reads_old_rows(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        case_id = _conversation_with_secrets(session).id
    install_keyring(Keyring([Fernet.generate_key(), TEST_KEY]))  # a new key first
    with sessions() as session:
        case = session.get(Case, case_id)
        assert case is not None
        assert case.victim_words == "CANARY-WHY because of my faith"
    engine.dispose()


def test_naive_datetimes_are_refused(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'n.db'}")
    upgrade(engine)
    sessions = session_factory(engine)
    with pytest.raises(Exception, match="naive datetimes"), sessions.begin() as session:
        store.open_conversation(
            session,
            "sms",
            "+1",
            now=datetime(2026, 1, 1),
            timezone="Europe/London",
            initial_state="new",
        )
    engine.dispose()
