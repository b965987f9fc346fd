"""Keyed ids on both databases: Telegram keys without the chat, and retiring keys keeps them.

- ``messages.external_id`` never holds a Telegram chat id; migration 0009 rewrites old
  values; the quick exit deletes by the keyed keys.
- ``tellsafe keys retire`` (a new blind-index key) moves every keyed digest whose source
  is kept: Telegram chat tags, pattern keys and alerts, officers' login counters; link
  codes, which are not kept, are expired cleanly.
- ``tellsafe retention run`` forgets old seen-delivery digests.
"""

from __future__ import annotations

import contextlib
import importlib.util
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import ModuleType

import pytest
from alembic.migration import MigrationContext
from alembic.operations import Operations
from cryptography.fernet import Fernet
from sqlalchemy import select, text

from bot.cli import main
from bot.runtime import Runtime
from cases import deliveries, rotation
from cases.deliveries import SeenDelivery
from cases.models import Case, Message
from cases.retention import RetentionPolicy, run_retention
from cases.sealed import Keyring, install_keyring
from cases.telegram_ids import callback_key, message_key
from followup import patterns
from followup.models import LinkCode, PatternAlert, PatternKey
from officer import auth
from officer.models import LoginAttempt, Officer
from tests.auxil.person import Person
from tests.auxil.telegram_chat import TelegramChat, fake_bot_api, telegram_chat
from tests.channels.fakes import FakeBotApi
from tests.conftest import TEST_KEY
from tests.trust.conftest import report

MIGRATION = Path(__file__).parents[2] / "cases/migrations/versions/0009_telegram_ids.py"
CHAT = 7_391_846_205
GREETING = "Hello, I want to report something that happened to me"


def _retire(runtime: Runtime) -> Keyring:
    """Rotate to a new key, retire the old one, and run on the retired ring (a restart)."""
    new = Fernet.generate_key()
    ring = [new, TEST_KEY]
    install_keyring(Keyring(ring))
    rotation.reencrypt(runtime.database, ring)
    assert rotation.retire(runtime.database, ring, batch=2) == [new]
    retired = Keyring([new])
    install_keyring(retired)
    return retired


@pytest.fixture
def bot_api() -> Iterator[tuple[FakeBotApi, str]]:
    with fake_bot_api() as served:
        yield served


def _chat(
    runtime: Runtime, bot_api: tuple[FakeBotApi, str]
) -> contextlib.AbstractContextManager[TelegramChat]:
    fake, url = bot_api
    return telegram_chat(runtime, fake, url, CHAT)


def _external_ids(runtime: Runtime) -> list[str]:
    with runtime.sessions() as session:
        return [i for i in session.scalars(select(Message.external_id)) if i]


def _load_migration() -> ModuleType:
    spec = importlib.util.spec_from_file_location("migration_0009", MIGRATION)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _migrate(runtime: Runtime) -> None:
    migration = _load_migration()
    with runtime.database.begin() as connection:
        context = MigrationContext.configure(connection)
        with Operations.context(context):
            migration.upgrade()


def test_telegram_ids_name_no_chat_and_the_quick_exit_deletes_by_them(
    trust_runtime: Runtime, bot_api: tuple[FakeBotApi, str]
) -> None:
    with _chat(trust_runtime, bot_api) as chat:
        first = chat.say(GREETING)
        chat.press("yes")
        ids = _external_ids(trust_runtime)
        assert message_key(CHAT, first["message"]["message_id"]) in ids
        assert not [i for i in ids if str(CHAT) in i]
        exit_update = chat.say("exit")
        assert {first["message"]["message_id"], exit_update["message"]["message_id"]} <= (
            chat.deleted()
        )


def test_migration_rewrites_old_telegram_ids(trust_runtime: Runtime) -> None:
    runtime = trust_runtime
    old_message, old_callback, sms = f"{CHAT}:17", "cb:4471002", "SM" + "e5" * 16
    telegram = Person(runtime, address=str(CHAT), channel="telegram")
    telegram.say(GREETING, external_id=old_message)
    telegram.say("yes", external_id=old_callback)
    Person(runtime).say(GREETING, external_id=sms)
    with runtime.database.begin() as connection:  # the outbox rows as 0008 left them
        connection.execute(
            text(
                "UPDATE messages SET external_id = :key WHERE id = "
                "(SELECT min(id) FROM messages WHERE channel = 'telegram' AND direction = 'out')"
            ),
            {"key": f"{CHAT}:1001"},
        )
        connection.execute(text("DELETE FROM seen_deliveries"))

    _migrate(runtime)
    ids = set(_external_ids(runtime))
    assert {message_key(CHAT, 17), callback_key("4471002"), message_key(CHAT, 1001), sms} <= ids
    assert not [i for i in ids if str(CHAT) in i]
    # Inbound ids of the last week are remembered in their new form, so a redelivery of
    # an update handled just before the upgrade is still dropped (the test clock is
    # fixed, so whether that week includes it depends on today's date).
    with runtime.sessions() as session:
        digests = set(session.scalars(select(SeenDelivery.digest)))
    recent = runtime.clock.now() >= datetime.now(UTC) - timedelta(days=7)
    assert (deliveries.delivery_digest(message_key(CHAT, 17)) in digests) == recent
    assert (deliveries.delivery_digest(callback_key("4471002")) in digests) == recent

    _migrate(runtime)  # run again: nothing changes
    assert set(_external_ids(runtime)) == ids


def test_migration_refuses_to_leave_chat_ids_without_keys(
    trust_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    Person(trust_runtime, address=str(CHAT), channel="telegram").say(
        GREETING, external_id=f"{CHAT}:3"
    )
    monkeypatch.setattr("cases.sealed._keyring", None)
    with pytest.raises(RuntimeError, match="needs the encryption keys"):
        _migrate(trust_runtime)


def test_quick_exit_after_a_retire_still_deletes_the_sessions_messages(
    trust_runtime: Runtime, bot_api: tuple[FakeBotApi, str]
) -> None:
    with _chat(trust_runtime, bot_api) as chat:
        first = chat.say(GREETING)
        chat.say("yes")
    retired = _retire(trust_runtime)
    ids = _external_ids(trust_runtime)
    assert message_key(CHAT, first["message"]["message_id"], retired) in ids
    with _chat(trust_runtime, bot_api) as chat:  # the service restarted on the new ring
        exit_update = chat.say("exit")
        assert {first["message"]["message_id"], exit_update["message"]["message_id"]} <= (
            chat.deleted()
        )


def _pattern_alerts(runtime: Runtime) -> dict[str, tuple[int, int]]:
    with runtime.sessions.begin() as session:
        patterns.scan(session, runtime.clock.now(), window_days=28, area_min=3)
    with runtime.sessions() as session:
        alerts = session.scalars(select(PatternAlert).order_by(PatternAlert.id)).all()
        return {alert.kind: (alert.id, alert.case_count) for alert in alerts}


def test_patterns_spanning_a_retire_still_match(trust_runtime: Runtime) -> None:
    runtime = trust_runtime
    for number in range(2):  # two people, one place: a place alert; the area needs three
        report(Person(runtime, address=f"+44770090060{number}"))
    before = _pattern_alerts(runtime)
    assert set(before) == {"place"}
    with runtime.sessions.begin() as session:  # an officer corrects one account's place
        case = session.scalars(select(Case).order_by(Case.id)).first()
        assert case is not None
        case.location = "somewhere else entirely"

    _retire(runtime)
    with runtime.sessions() as session:
        kept = session.scalars(select(PatternKey.kind)).all()
    # The corrected case's old place key can never match again, so it went.
    assert sorted(kept) == ["area", "area", "place"]

    report(Person(runtime, address="+447700900609"))
    after = _pattern_alerts(runtime)
    # The area alert needs reports from before and after the retire to reach three;
    # the place alert opened before it is extended, not opened again.
    assert after["area"][1] == 3
    assert after["place"] == (before["place"][0], 3)


def test_a_link_code_from_before_a_retire_is_cleanly_expired(trust_runtime: Runtime) -> None:
    runtime = trust_runtime
    sms = Person(runtime)
    report(sms)
    sms.say("LINK")
    code = _code(sms)
    _retire(runtime)
    with runtime.sessions() as session:
        live = session.scalars(select(LinkCode).where(LinkCode.used_at.is_(None))).all()
        assert live
        assert all(c.expires_at == c.created_at for c in live)
    telegram = Person(runtime, address="8200990", channel="telegram")
    telegram.say(code)  # no code is live: a first message, nothing linked, no error
    assert telegram.contact().id != sms.contact().id
    sms.say("LINK")
    fresh = _code(sms)
    other = Person(runtime, address="8200991", channel="telegram")
    assert other.say(fresh)[0].text.startswith("Done: this chat is now linked")
    assert other.contact().id == sms.contact().id


def _code(person: Person) -> str:
    found = re.search(r"\b(\d{4} \d{4})\b", person.last().text)
    assert found is not None
    return found.group(1)


def test_officers_login_counters_move_and_client_ones_cannot(trust_runtime: Runtime) -> None:
    runtime = trust_runtime
    now = runtime.clock.now()
    with runtime.sessions.begin() as session:
        session.add(
            Officer(
                username="Alice",
                role="officer",
                password_hash=auth.hash_password("right horse battery"),
                totp_secret=auth.new_totp_secret(),
                created_at=now,
            )
        )
    with runtime.sessions.begin() as session:
        assert auth.login(session, "alice", "wrong", "000000", "192.0.2.7", now).officer is None
    retired = _retire(runtime)
    with runtime.sessions() as session:
        keys = session.scalars(select(LoginAttempt.key)).all()
    assert auth._limit_key("user", "alice") in keys  # counted under the new key
    assert auth._limit_key("client", "192.0.2.7") not in keys  # not kept: starts afresh
    assert retired.index("officer-login:user:alice") == auth._limit_key("user", "alice")


def test_reindex_report_counts_what_moved(trust_runtime: Runtime) -> None:
    runtime = trust_runtime
    report(Person(runtime))
    Person(runtime, address=str(CHAT), channel="telegram").say(
        GREETING, external_id=message_key(CHAT, 5)
    )
    Person(runtime).say("LINK")
    new = Fernet.generate_key()
    ring = Keyring([new, TEST_KEY])
    done = rotation.reindex_all(runtime.database, ring, Keyring([new]))
    assert done.addresses == 2
    assert done.telegram_ids == 1
    assert done.pattern_keys >= 2  # area and place
    assert done.pattern_keys_dropped == 0
    assert done.link_codes_expired == 1
    again = rotation.reindex_all(runtime.database, ring, Keyring([new]))
    assert again.as_dict() == dict.fromkeys(again.as_dict(), 0)  # resumable: nothing left


def test_retention_run_forgets_old_delivery_digests(
    trust_runtime: Runtime, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runtime = trust_runtime
    # The command runs on the system clock: the digests are placed relative to it.
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    with runtime.sessions.begin() as session:
        session.add(SeenDelivery(channel="sms", digest="a" * 64, seen_at=now - timedelta(days=30)))
        session.add(SeenDelivery(channel="sms", digest="b" * 64, seen_at=now - timedelta(hours=3)))
    # Without a keep period the caller (the worker loop) purges them itself.
    run_retention(runtime.sessions, RetentionPolicy(), now)
    with runtime.sessions() as session:
        assert len(session.scalars(select(SeenDelivery)).all()) == 2

    monkeypatch.setenv("TELLSAFE_KEYS", runtime.settings.keys or "")
    monkeypatch.setenv("TELLSAFE_SEEN_DELIVERIES_DAYS", "7")
    url = runtime.database.url.render_as_string(hide_password=False)
    assert main(["retention", "run", "--db", url]) == 0
    assert '"deliveries_forgotten": 1' in capsys.readouterr().out
    with runtime.sessions() as session:
        assert session.scalars(select(SeenDelivery.digest)).all() == ["b" * 64]
