"""Check-ins, repeats and linking end to end through `tellsafe simulate --db`.

The reports themselves are made in-process (answering whatever the dialogue asks, so
these tests do not depend on its exact shape); everything after is the real command
line with a controlled clock (``{"advance_to": ...}``).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.clock import ManualClock
from bot.runtime import build_runtime
from tests.auxil.person import Person
from tests.conftest import START, TEST_KEY, make_settings
from tests.followup.conftest import Answers, report

EVENING = "+447700900123"
MORNING = "+447700900456"
OPENER = "Hello, is now a good time for a quick chat?"
REMINDER = "Hello again. Is now a good time for a quick chat?"


def simulate(db: str, lines: list[dict[str, Any]], data_dir: Path) -> list[dict[str, Any]]:
    env = {**os.environ, "TELLSAFE_DATA_DIR": str(data_dir), "TELLSAFE_KEYS": TEST_KEY.decode()}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "simulate", "--db", db],
        input="".join(json.dumps(line) + "\n" for line in lines),
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return [json.loads(line) for line in result.stdout.splitlines()]


def export(db: str, data_dir: Path) -> list[dict[str, Any]]:
    env = {**os.environ, "TELLSAFE_DATA_DIR": str(data_dir), "TELLSAFE_KEYS": TEST_KEY.decode()}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "export", "--db", db, "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines()]


NEW_INCIDENT = "+447700900789"


def _hour(line: dict[str, Any]) -> int:
    return datetime.fromisoformat(line["at"]).hour


LINK_CODE = re.compile(r"code is (\d{4} \d{4})")


def test_checkins_repeats_and_linking_through_simulate(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'sim.db'}"
    runtime = build_runtime(make_settings(tmp_path, db), clock=ManualClock(START))
    report(Person(runtime, address=EVENING), Answers(safe_hours=3))
    report(Person(runtime, address=MORNING), Answers(safe_hours=1))
    third = Person(runtime, address=NEW_INCIDENT)
    report(third, Answers(safe_hours=3))
    third.say("LINK")
    found = LINK_CODE.search(third.last().text)
    assert found is not None
    runtime.database.dispose()

    out = simulate(
        db,
        [
            # Linking: the code from the SMS chat, sent from Telegram within 15 minutes.
            {
                "channel": "telegram",
                "from": "777001",
                "text": found.group(1),
                "at": "2026-11-20T10:05:00Z",
            },
            {
                "channel": "telegram",
                "from": "777001",
                "text": "hello",
                "at": "2026-11-20T10:06:00Z",
            },
            {"advance_to": "2026-11-22T17:30:00Z"},
            # A check-in that reports a new incident.
            {"channel": "sms", "from": NEW_INCIDENT, "text": "yes"},
            {"channel": "sms", "from": NEW_INCIDENT, "text": "not so good"},
            {"channel": "sms", "from": NEW_INCIDENT, "text": "yes"},
            {"advance_to": "2026-11-23T00:00:00Z"},
            {"channel": "sms", "from": MORNING, "text": "STOP", "at": "2026-11-23T08:00:00Z"},
            {"advance_to": "2027-01-30T00:00:00Z"},
        ],
        tmp_path,
    )
    linked = [line for line in out if line["to"] == "777001"]
    assert linked[0]["text"].startswith("Done: this chat is now linked to your other one")
    # The linked chat knows the person: it offers to add to their report or make a new one.
    assert "Make a new report" in linked[1]["choices"]

    evening = [line for line in out if line["to"] == EVENING]
    morning = [line for line in out if line["to"] == MORNING]
    # Two days on, at the start of the evening window; neutral first line; one reminder.
    assert [(line["at"][:10], _hour(line)) for line in evening] == [
        ("2026-11-22", 17),
        ("2026-11-23", 17),
    ]
    assert [line["text"].splitlines()[0] for line in evening] == [OPENER, REMINDER]
    assert all(line["kind"] == "followup" for line in evening)
    # Reported at 10:00, safe 09:00-12:00: due exactly two days on, inside the window.
    assert morning[0]["at"].startswith("2026-11-22T10:00")
    assert morning[0]["text"].splitlines()[0] == OPENER
    # After STOP only its confirmation: never another check-in or a reminder.
    assert len(morning) == 2
    assert morning[1]["kind"] != "followup"
    for line in out:
        assert "hate" not in line["text"].splitlines()[0].lower()
        if line["kind"] == "followup":
            hour = _hour(line)
            assert 17 <= hour < 21 or 9 <= hour < 12

    told = [line for line in out if line["to"] == NEW_INCIDENT]
    assert "new report, linked to your first one" in told[-1]["text"]
    cases = {case["reference"]: case for case in export(db, tmp_path)}
    new = [case for case in cases.values() if case["repeat_victim"]]
    assert len(new) == 1
    (first_reference,) = new[0]["linked_cases"]
    assert new[0]["reference"] in cases[first_reference]["linked_cases"]
