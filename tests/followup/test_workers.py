"""Two `tellsafe worker` processes on one database, killed with SIGKILL at random moments.

Every due check-in must be queued exactly once (one outbox row each), and the ones
that fell due too long ago must be skipped, with the reason recorded, never silently.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bot.clock import SystemClock
from bot.runtime import Runtime, build_runtime
from cases import store
from cases.models import AuditEvent, Contact, FollowUp, Message
from followup.schedule import CHECKIN
from tests.conftest import TEST_KEY, make_settings

FRESH = 300
STALE = 10
#: Kills first, then this long at most for the survivors to finish.
DEADLINE_SECONDS = 30
KILLS = 4


@contextmanager
def _runtime(database_url: str, tmp_path: Path) -> Iterator[Runtime]:
    """A runtime on the test's database, disposed of however the test ends.

    Left undisposed after a failed assertion, its pooled PostgreSQL connections were
    collected during some later test and failed that one with a ResourceWarning.
    """
    runtime = build_runtime(make_settings(tmp_path, database_url), clock=SystemClock())
    try:
        yield runtime
    finally:
        runtime.database.dispose()


def _seed(database_url: str, tmp_path: Path) -> None:
    with _runtime(database_url, tmp_path) as runtime:
        _add_due_checkins(runtime)


def _add_due_checkins(runtime: Runtime) -> None:
    now = datetime.now(UTC)
    with runtime.sessions.begin() as session:
        for number in range(FRESH + STALE):
            conversation = store.open_conversation(
                session,
                "web",
                f"session-{number}",
                now=now,
                timezone="Europe/London",
                initial_state="closed",
            )
            case = store.new_case(session, conversation, "en", now)
            case.status = "submitted"
            contact = session.get(Contact, conversation.contact_id)
            assert contact is not None
            contact.safe_from_minute, contact.safe_to_minute = 0, 24 * 60  # any time
            stale = number >= FRESH
            session.add(
                FollowUp(
                    case_id=case.id,
                    contact_id=contact.id,
                    address_id=conversation.address_id,
                    kind=CHECKIN,
                    due_at=now - (timedelta(days=10) if stale else timedelta(minutes=1)),
                    state="pending",
                    attempts=0,
                )
            )


def _start(database_url: str, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TELLSAFE_DATABASE_URL": database_url,
        "TELLSAFE_DATA_DIR": str(tmp_path),
        "TELLSAFE_KEYS": TEST_KEY.decode(),
        "TELLSAFE_FOLLOWUP_POLL_SECONDS": "0.05",
        "TELLSAFE_FOLLOWUP_BATCH": "4",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_two_workers_killed_at_random_send_each_checkin_once(
    database_url: str, tmp_path: Path
) -> None:
    _seed(database_url, tmp_path)
    with _runtime(database_url, tmp_path) as runtime:
        _run_and_check(runtime, database_url, tmp_path)


def _run_and_check(runtime: Runtime, database_url: str, tmp_path: Path) -> None:
    def pending() -> int:
        with runtime.sessions() as session:
            return int(
                session.scalar(
                    select(func.count())
                    .select_from(FollowUp)
                    .where(FollowUp.kind == CHECKIN, FollowUp.state.in_(("pending", "claimed")))
                )
                or 0
            )

    rng = random.Random(6)
    workers = [_start(database_url, tmp_path), _start(database_url, tmp_path)]
    try:
        # Chaos first: SIGKILL a worker at random moments (some while it starts, even
        # while it migrates; most in the middle of a batch) and start it again.
        for _kill in range(KILLS):
            time.sleep(rng.uniform(0.8, 3.0))
            victim = rng.randrange(2)
            workers[victim].send_signal(signal.SIGKILL)
            workers[victim].wait()
            workers[victim] = _start(database_url, tmp_path)
        # Then let the two survivors finish what is left.
        deadline = time.monotonic() + DEADLINE_SECONDS
        while pending() and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGKILL)
            worker.wait()
    assert pending() == 0, "the workers did not finish in time"

    with runtime.sessions() as session:
        per_conversation = dict(
            session.execute(
                select(Message.conversation_id, func.count())
                .where(Message.kind == "followup", Message.direction == "out")
                .group_by(Message.conversation_id)
            ).all()
        )
        rows = session.scalars(select(FollowUp).where(FollowUp.kind == CHECKIN)).all()
        sent_audits = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "followup.sent")
        )
        skipped_audits = session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "followup.skipped")
        )
    assert len(per_conversation) == FRESH
    assert set(per_conversation.values()) == {1}  # exactly once each
    assert sorted((row.state, row.outcome) for row in rows) == sorted(
        [("sent", None)] * FRESH + [("skipped", "stale")] * STALE
    )
    assert sent_audits == FRESH
    assert skipped_audits == STALE
