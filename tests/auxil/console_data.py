"""Seeded reports for the problem profile, centre and API tests, with the expected figures.

The reports are written straight into the tables (through ``cases.store`` where it has a
function for it), so the figures below are known exactly. ``START`` is Friday
2026-11-20 10:00 UTC (Europe/London is on UTC then); the default profile period is the
twelve weeks up to that day, 2026-08-29 to 2026-11-20.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import ManualClock
from bot.config import Settings
from bot.runtime import Runtime
from cases import codes, store
from cases.db import make_engine, session_factory, upgrade
from cases.models import Case, FollowUp
from officer.centres import add_centre
from tests.conftest import POSTGRES_ENV, START, make_settings, postgres_url

TODAY: Final = START.date()
DEFAULT_START: Final = date(2026, 8, 29)
LIB: Final = "LIB-7"
MOSQUE: Final = "MOS-2"
UNREGISTERED: Final = "OLD-1"


@dataclass(frozen=True)
class Seed:
    """One report to write."""

    days_ago: float
    channel: str
    centre: str | None
    area: str | None
    online: bool = False
    strands: tuple[str, ...] = ()
    religion: str | None = None
    repeat: bool = False
    referral: bool | None = None
    withdrawn: bool = False
    police: str | None = None
    status: str = "submitted"
    handoff: bool = False
    satisfaction: tuple[int, ...] = ()
    words: str = "He shouted at me near the mosque; call me on 07700 900123"


SEEDS: Final = (
    Seed(1, "web", LIB, "NG1", strands=(codes.RACE, codes.RELIGION), religion="muslim",
         repeat=True, referral=True, police=codes.POLICE_ANONYMOUS, satisfaction=(4, 5)),
    Seed(2, "sms", LIB, "NG1", online=True, strands=(codes.RACE,), referral=False,
         police=codes.POLICE_NONE, satisfaction=(2,)),
    Seed(9, "telegram", LIB, "NG7", online=True,
         strands=(codes.SEXUAL_ORIENTATION, codes.TRANSGENDER), referral=True, withdrawn=True,
         police=codes.POLICE_NAMED),
    Seed(10, "web", MOSQUE, "NG7", strands=(codes.RELIGION,), religion="jewish", referral=True,
         handoff=True),
    Seed(20, "sms", None, None, online=True),
    # Cut off by a danger handoff: still a report.
    Seed(3, "web", None, None, status="draft", handoff=True),
    # Abandoned after hello: not a report.
    Seed(3, "web", None, None, status="draft"),
    Seed(30, "web", UNREGISTERED, "NG3", strands=(codes.DISABILITY,)),
    # Outside the default period.
    Seed(200, "web", LIB, "NG1", strands=(codes.AGE,)),
)  # fmt: skip

#: The figures of the default period, every centre.
TOTAL: Final = 7
BY_STRAND: Final = {
    "race": 2, "religion": 2, "sexual_orientation": 1, "disability": 1, "transgender": 1,
    "sex_gender": 0, "alternative_subculture": 0, "age": 0, "not_stated": 2,
}  # fmt: skip
BY_CHANNEL: Final = {"sms": 2, "telegram": 1, "web": 4}
BY_AREA: Final = {"Unknown": 2, "NG1": 2, "NG7": 2, "NG3": 1}
BY_CENTRE: Final = {LIB: 3, MOSQUE: 1, UNREGISTERED: 1, "none": 2}
SHARES: Final = {"online": 3, "repeat": 1, "referral": 2, "police": 2}
SATISFACTION: Final = (2, 4, 5)
#: Reports per week (Mondays) in the default period; every other week has none.
WEEKS: Final = {
    date(2026, 11, 16): 3,
    date(2026, 11, 9): 2,
    date(2026, 10, 26): 1,
    date(2026, 10, 19): 1,
}


def seed_reports(session: Session, now: datetime = START) -> dict[str, Case]:
    """Write the centres and :data:`SEEDS`; returns the cases by a readable key."""
    add_centre(session, LIB, "Central Library", "Nottingham NG1", now, "test")
    add_centre(session, MOSQUE, "Bridge Street Mosque", "Nottingham NG7", now, "test")
    written: dict[str, Case] = {}
    for index, seed in enumerate(SEEDS):
        written[f"case{index}"] = seed_report(session, seed, now, index)
    return written


def seed_report(session: Session, seed: Seed, now: datetime, index: int) -> Case:
    """Write one report the way the conversation would have left it."""
    created = now - timedelta(days=seed.days_ago)
    conversation = store.open_conversation(
        session,
        seed.channel,
        f"+4477009{index:05d}",
        now=created,
        timezone="Europe/London",
        initial_state="closed",
    )
    conversation.centre = seed.centre
    case = store.new_case(session, conversation, "en", created)
    case.status = seed.status
    case.submitted_at = created if seed.status == "submitted" else None
    case.area = seed.area
    case.online = seed.online
    case.motivations = list(seed.strands) if seed.strands else None
    case.religion = seed.religion
    case.repeat_victim = seed.repeat
    case.police_report = seed.police
    case.what_happened = seed.words
    case.victim_words = "because of my faith"
    case.location = "12 Acacia Avenue"
    case.risk = codes.RISK_MEDIUM
    case.risk_reasons = ["fear"]
    if seed.referral is not None:
        consent = store.record_consent(
            session,
            case=case,
            contact_id=conversation.contact_id,
            purpose="referral",
            wording_version="referral:test",
            wording="May we pass your details to Victim Support?",
            language="en",
            answer=seed.referral,
            channel=seed.channel,
            now=created,
            service="victim_support",
        )
        if seed.withdrawn:
            consent.withdrawn_at = created + timedelta(hours=1)
    if seed.handoff:
        store.open_handoff(session, conversation, case, "danger", True, created)
    for n, score in enumerate(seed.satisfaction):
        session.add(
            FollowUp(
                case_id=case.id,
                contact_id=conversation.contact_id,
                address_id=conversation.address_id,
                kind="checkin",
                due_at=created + timedelta(days=2 + n),
                state="sent",
                attempts=1,
                done_at=created + timedelta(days=2 + n),
                satisfaction=score,
            )
        )
    session.flush()
    return case


@contextmanager
def seeded_database(database_url: str) -> Iterator[tuple[Engine, sessionmaker[Session]]]:
    """A migrated database holding the seeded reports."""
    engine = make_engine(database_url)
    upgrade(engine)
    sessions = session_factory(engine)
    with sessions.begin() as session:
        seed_reports(session)
    try:
        yield engine, sessions
    finally:
        engine.dispose()


def light_runtime(
    tmp_path: Path, sessions: sessionmaker[Session], engine: Engine, **settings: Any
) -> Runtime:
    """A runtime for code that reads only settings, sessions and the clock (the API).

    It has no conversation engine, so building it loads no language models.
    """
    base: Settings = replace(make_settings(tmp_path), **settings)
    return Runtime(
        settings=base,
        database=engine,
        sessions=sessions,
        service=None,  # type: ignore[arg-type]
        followups=None,  # type: ignore[arg-type]
        clock=ManualClock(START),
    )


@contextmanager
def database_url_for(kind: str, tmp_path: Path) -> Iterator[str]:
    """A SQLite or (when configured) PostgreSQL database for module-scoped fixtures.

    ``tests/conftest.py``'s ``database_url`` is per test; suites that seed once and run
    many requests against a server need a database that lives as long as the module.
    """
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'seeded.db'}"
        return
    base = postgres_url()
    if base is None:
        pytest.skip(f"{POSTGRES_ENV} is not set (.ci/run starts a server and sets it)")
    name = f"tellsafe_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
