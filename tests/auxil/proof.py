"""Shared pieces of the proof suites (tests/properties, tests/fuzz, tests/faults).

Hypothesis budgets: the suites run in CI with a bounded, derandomised budget; a longer,
randomised run is selected with ``TELLSAFE_HYPOTHESIS_PROFILE=long``::

    TELLSAFE_HYPOTHESIS_PROFILE=long pytest -q tests/properties tests/fuzz -p no:cacheprovider

The profiles are applied per test (``budget(...)``), never loaded globally, so other
test packages keep their own Hypothesis settings.

Runtimes: a migrated SQLite template is copied per example, and the runtime is
assembled around the process-wide understander, so a fresh database costs a file copy.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Final

import pytest
from hypothesis import HealthCheck, settings
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.engine import Engine
from bot.runtime import Runtime
from bot.service import ConversationService
from cases.db import make_engine, session_factory, upgrade
from cases.models import (
    AuditEvent,
    Case,
    ChannelAddress,
    Consent,
    Contact,
    Conversation,
    FollowUp,
    Handoff,
    Message,
)
from followup.dispatch import FollowUpDispatcher
from nlu import load_understander
from tests.conftest import POSTGRES_ENV, make_settings, postgres_url

PROFILE_ENV: Final = "TELLSAFE_HYPOTHESIS_PROFILE"
CI: Final = "tellsafe-ci"
LONG: Final = "tellsafe-long"
#: How much more the long profile does than CI: examples and steps per example.
LONG_EXAMPLES: Final = 25
LONG_STEPS: Final = 3

_SLOW_IS_FINE: Final = [HealthCheck.too_slow, HealthCheck.data_too_large]

# CI: the same examples every run (no flaky failures from a new seed), no example
# database, no per-example deadline (the machine is shared and busy).
settings.register_profile(
    CI,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=_SLOW_IS_FINE,
)
# Long: random seeds and the local example database (.hypothesis/, git-ignored), so a
# failure found once is replayed first next time.
settings.register_profile(
    LONG,
    deadline=None,
    print_blob=True,
    suppress_health_check=_SLOW_IS_FINE,
)


def long_run() -> bool:
    """Whether the long profile was asked for."""
    return os.environ.get(PROFILE_ENV, "ci").strip().lower() in ("long", LONG)


def budget(examples: int, steps: int | None = None) -> settings:
    """Settings for one test: ``examples`` (and ``steps``) in CI, many more in the long run.

    Args:
        examples: Examples in the CI profile.
        steps: Steps per example of a state machine, in the CI profile.

    Returns:
        The settings to decorate the test with (or give a state machine).
    """
    parent = settings.get_profile(LONG if long_run() else CI)
    factor = LONG_EXAMPLES if long_run() else 1
    options: dict[str, int] = {"max_examples": examples * factor}
    if steps is not None:
        options["stateful_step_count"] = steps * (LONG_STEPS if long_run() else 1)
    return settings(parent, **options)  # type: ignore[arg-type]


def migrated_template(directory: Path) -> Path:
    """Create a migrated, empty SQLite database file to copy for each example."""
    path = directory / "template.db"
    database = make_engine(f"sqlite:///{path}")
    upgrade(database)
    database.dispose()  # the last connection checkpoints the WAL into the file
    return path


def runtime_from_template(template: Path, directory: Path, name: str, clock: Clock) -> Runtime:
    """A runtime on a private copy of ``template``, sharing the process's understander.

    The caller disposes ``runtime.database`` when done.
    """
    path = directory / f"{name}.db"
    shutil.copyfile(template, path)
    base = make_settings(directory)
    config = replace(base, database_url=f"sqlite:///{path}")
    database = make_engine(config.database_url)
    sessions = session_factory(database)
    engine = Engine(load_understander(config.languages))
    service = ConversationService(sessions, engine, clock, config.timezone)
    followups = FollowUpDispatcher(sessions, service, clock)
    return Runtime(config, database, sessions, service, followups, clock)


@contextlib.contextmanager
def postgres_database(base_url: str) -> Iterator[str]:
    """A fresh PostgreSQL database on the test server, dropped afterwards."""
    name = f"tellsafe_proof_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def database_for(backend: str, directory: Path) -> contextlib.AbstractContextManager[str]:
    """A database URL for ``backend`` (``sqlite`` or ``postgres``); skips without a server."""
    if backend == "sqlite":
        return contextlib.nullcontext(f"sqlite:///{directory / 'proof.db'}")
    base = postgres_url()
    if base is None:
        pytest.skip(f"{POSTGRES_ENV} is not set (.ci/run starts a server and sets it)")
    return postgres_database(base)


def fingerprint(sessions: sessionmaker[Session]) -> tuple[object, ...]:
    """Everything a webhook can change, to compare before and after a request."""
    with sessions() as session:
        return (
            tuple(
                session.execute(
                    select(
                        Message.id, Message.delivery, Message.error, Message.external_id
                    ).order_by(Message.id)
                ).all()
            ),
            tuple(
                session.execute(
                    select(
                        ChannelAddress.id,
                        ChannelAddress.opted_out_at,
                        ChannelAddress.unreachable_at,
                    ).order_by(ChannelAddress.id)
                ).all()
            ),
            tuple(
                session.execute(
                    select(Contact.id, Contact.opted_out_at, Contact.language).order_by(Contact.id)
                ).all()
            ),
            tuple(
                session.execute(
                    select(Conversation.id, Conversation.state, Conversation.updated_at).order_by(
                        Conversation.id
                    )
                ).all()
            ),
            tuple(
                session.scalar(select(func.count()).select_from(model))
                for model in (Case, Consent, FollowUp, Handoff, AuditEvent)
            ),
        )
