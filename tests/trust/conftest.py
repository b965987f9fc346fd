"""Fixtures for the trust tests: runtimes on both databases, and a generic row scanner."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import InvalidToken
from sqlalchemy import Engine, inspect, select, text

from bot import states
from bot.clock import ManualClock
from bot.runtime import Runtime, build_runtime
from cases.models import (
    Case,
    ChannelAddress,
    Consent,
    Conversation,
    FollowUp,
    Handoff,
    Message,
)
from cases.sealed import Keyring
from tests.auxil.person import Person
from tests.conftest import START, make_settings

NAME = "Zelda Canaryname"
ACCOUNT = "CANARY-ACCOUNT a man on the bus shouted at me and pulled at my hijab"
WHY = "CANARY-WHY because I am Muslim and I wear a hijab"
#: The answer given in each state of a named report (other helpers add states; any
#: state not listed here is answered "no", which declines the optional extras).
ANSWERS: dict[str, str] = {
    states.NEW: "Hello, I want to report something that happened to me",
    states.LANGUAGE_CONFIRM: "yes",
    states.PRIVACY: "1",
    states.ANONYMITY: "2",
    states.NAME: NAME,
    states.WHAT_HAPPENED: ACCOUNT,
    states.WHEN: "last night",
    states.WHERE: "the 36 bus in Nottingham NG1 5AA",
    states.ROLE: "1",
    states.OFFENDER_KNOWN: "2",
    states.WHY: WHY,
    states.STRANDS_CONFIRM: "yes",
    states.RISK_HARM: "2",
    states.RISK_OFFENDER: "3",
    states.RISK_PREVIOUS: "3",
    states.RISK_IMPACT: "3",
    states.POLICE: "2",
    states.FOLLOWUP_CONSENT: "yes",
    states.SAFE_HOURS: "4",
}
#: Stop here: the report is submitted.
_DONE = (states.CLOSED,)


#: Audit subject types and the table each names.
AUDIT_SUBJECTS = {
    "contact": "contacts",
    "case": "cases",
    "consent": "consents",
    "followup": "followups",
    "handoff": "handoffs",
    "conversation": "conversations",
    "address": "channel_addresses",
}


@pytest.fixture
def trust_runtime(database_url: str, tmp_path: Path) -> Iterator[Runtime]:
    """A full runtime on SQLite, then PostgreSQL, with a manual clock."""
    built = build_runtime(make_settings(tmp_path, database_url), clock=ManualClock(START))
    yield built
    built.database.dispose()


def report(person: Person, until: str = states.CLOSED) -> None:
    """Make a named report, answering whatever each state asks, until ``until``."""
    referrals = 0
    person.say(ANSWERS[states.NEW])
    for _turn in range(60):
        state = person.state()
        if state == until:
            return
        if state == states.REFERRAL:
            referrals += 1
            person.say("yes" if referrals == 1 else "no")
        else:
            person.say(ANSWERS.get(state, "no"))
    raise AssertionError(f"the report never reached {until}: stuck in {person.state()}")


@dataclass
class Holdings:
    """Ids of everything stored about one person, by table, and their secrets."""

    ids: dict[str, set[int]] = field(default_factory=dict)
    secrets: set[str] = field(default_factory=set)
    #: Rows that may stay as anonymous statistics, as long as nothing points at them.
    statistical: dict[str, set[int]] = field(default_factory=dict)


def holdings(runtime: Runtime, person: Person) -> Holdings:
    """Collect what is held about ``person`` before it is erased."""
    found = Holdings()
    contact_id = person.contact().id
    with runtime.sessions() as session:
        conversations = session.scalars(
            select(Conversation).where(Conversation.contact_id == contact_id)
        ).all()
        conversation_ids = {c.id for c in conversations}
        cases = session.scalars(select(Case).where(Case.contact_id == contact_id)).all()
        case_ids = {c.id for c in cases}
        addresses = session.scalars(
            select(ChannelAddress).where(ChannelAddress.contact_id == contact_id)
        ).all()
        found.ids = {
            "contacts": {contact_id},
            "channel_addresses": {a.id for a in addresses},
            "conversations": conversation_ids,
            "messages": set(
                session.scalars(
                    select(Message.id).where(Message.conversation_id.in_(conversation_ids))
                )
            ),
            "cases": case_ids,
            "consents": set(
                session.scalars(select(Consent.id).where(Consent.contact_id == contact_id))
            ),
            "followups": set(
                session.scalars(select(FollowUp.id).where(FollowUp.contact_id == contact_id))
            ),
            "handoffs": set(
                session.scalars(
                    select(Handoff.id).where(Handoff.conversation_id.in_(conversation_ids))
                )
            ),
        }
        found.secrets = {person.address, *(a.address_index for a in addresses)}
        found.secrets |= {c.reference for c in cases}
    return found


def _opened(value: Any, keyring: Keyring) -> list[str]:
    """A stored value as text, and decrypted too when it is a sealed token."""
    if value is None:
        return []
    raw = value if isinstance(value, str) else json.dumps(value, default=str)
    shown = [raw]
    if isinstance(value, str) and value.startswith("gAAAA"):
        with contextlib.suppress(ValueError, InvalidToken):
            shown.append(keyring.decrypt(value))
    return shown


def traces(engine: Engine, keyring: Keyring, held: Holdings) -> list[str]:
    """Every row, in every table, that still points at or contains the person.

    Tables and foreign keys come from inspecting the database, not from a list, so a
    table added by any feature is scanned too.
    """
    problems: list[str] = []
    inspector = inspect(engine)
    with engine.connect() as connection:
        for table in inspector.get_table_names():
            keys = inspector.get_pk_constraint(table)["constrained_columns"]
            foreign = inspector.get_foreign_keys(table)
            own = held.ids.get(table, set()) - held.statistical.get(table, set())
            for row in connection.execute(text(f'SELECT * FROM "{table}"')).mappings():
                where = f"{table} { {k: row[k] for k in keys} }"
                if len(keys) == 1 and row[keys[0]] in own:
                    problems.append(f"{where}: the person's own row is still there")
                for fk in foreign:
                    targets = held.ids.get(fk["referred_table"], set())
                    for column in fk["constrained_columns"]:
                        if row[column] is not None and row[column] in targets:
                            problems.append(f"{where}.{column} points at the person")
                if table == "audit_log" and row["subject_id"] is not None:
                    subject_table = AUDIT_SUBJECTS.get(row["subject_type"], "")
                    if row["subject_id"] in held.ids.get(subject_table, set()):
                        problems.append(f"{where}: audit subject is the person")
                for column, value in row.items():
                    for shown in _opened(value, keyring):
                        problems.extend(
                            f"{where}.{column} holds a secret"
                            for secret in held.secrets
                            if secret and secret in shown
                        )
    return problems
