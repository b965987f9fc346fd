"""The referral service (it tells the strand) is sealed, and audit events never name it.

Also the upgrade of a database made before: migration 0008 seals the services stored
in the clear and takes them out of old audit details; migration 0007 copies the last
week's inbound provider ids into ``seen_deliveries`` as digests.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, select, text

from bot.runtime import Runtime
from cases import deliveries, store
from cases.db import make_engine, session_factory, upgrade
from cases.models import AuditEvent, Consent, Message
from cases.sealed import current_keyring
from tests.auxil.person import Person
from tests.conftest import START
from tests.trust.conftest import report

NEW_REVISIONS = {"0007", "0008"}


def _raw(engine: Engine, query: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(query))]


def test_a_referral_stores_no_service_name_in_the_clear(trust_runtime: Runtime) -> None:
    runtime = trust_runtime
    person = Person(runtime)
    report(person)
    with runtime.sessions() as session:
        referred = session.scalars(
            select(Consent.service).where(Consent.purpose == "referral", Consent.answer)
        ).all()
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("consent.%"))
        ).all()
    assert referred == ["tell_mama"]  # read back through the sealed column
    stored = [str(row[0]) for row in _raw(runtime.database, "SELECT service FROM consents")]
    assert "tell_mama" not in " ".join(stored)
    assert all(value == "None" or value.startswith("gAAAAA") for value in stored)
    assert events
    for event in events:
        assert event.subject_type == "consent"
        assert event.subject_id is not None
        assert set(event.details or {}) <= {"answer"}


def _migrations() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(Path(store.__file__).with_name("migrations")))
    return ScriptDirectory.from_config(config)


def test_upgrading_seals_old_services_scrubs_audit_and_remembers_recent_ids(
    database_url: str,
) -> None:
    engine = make_engine(database_url)
    for head in sorted(set(_migrations().get_heads()) - NEW_REVISIONS):
        upgrade(engine, head)
    recent, old = "SM" + "1b" * 16, "SM" + "2c" * 16
    # The migration copies the week before the real time it runs at.
    now = datetime.now(UTC)
    with session_factory(engine).begin() as session:
        conversation = store.open_conversation(
            session,
            "sms",
            "+447700900888",
            now=START,
            timezone="Europe/London",
            initial_state="new",
        )
        for external_id, age in ((recent, timedelta(hours=3)), (old, timedelta(days=30))):
            session.add(
                Message(
                    conversation_id=conversation.id,
                    direction="in",
                    kind="inbound",
                    channel="sms",
                    text="hello",
                    external_id=external_id,
                    created_at=now - age,
                )
            )
        contact_id = conversation.contact_id
    with engine.begin() as connection:
        wording = current_keyring().encrypt("May we pass your details to Tell MAMA?")
        connection.execute(
            text(
                "INSERT INTO consents (contact_id, purpose, service, wording_version, wording,"
                " language, answer, named, channel, at) VALUES (:contact, 'referral',"
                " 'tell_mama', 'referral:x', :wording, 'en', :yes, :no, 'sms', :at)"
            ),
            {"contact": contact_id, "wording": wording, "yes": True, "no": False, "at": START},
        )
        connection.execute(
            text(
                "INSERT INTO audit_log (at, actor, action, subject_type, subject_id, details)"
                " VALUES (:at, 'system', 'consent.referral', 'consent', 1, :details)"
            ),
            {"at": START, "details": json.dumps({"answer": True, "service": "tell_mama"})},
        )

    upgrade(engine)  # every head: 0007 and 0008 run now, with the keyring installed

    (token,) = _raw(engine, "SELECT service FROM consents")[0]
    assert str(token).startswith("gAAAAA")
    assert current_keyring().decrypt(str(token)) == "tell_mama"
    with session_factory(engine)() as session:
        assert session.scalars(select(Consent.service)).one() == "tell_mama"
    (details,) = _raw(engine, "SELECT details FROM audit_log")[0]
    loaded = json.loads(details) if isinstance(details, str) else details
    assert loaded == {"answer": True}
    # Only the message from the last week is remembered.
    digests = {row[0] for row in _raw(engine, "SELECT digest FROM seen_deliveries")}
    assert digests == {deliveries.delivery_digest(recent)}

    upgrade(engine)  # running again changes nothing
    assert _raw(engine, "SELECT service FROM consents")[0][0] == token
    engine.dispose()
