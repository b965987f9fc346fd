"""The simulation and export contracts, through the real `tellsafe` command line."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TEST_KEY

SMS = "+447700900123"


def msg(text: str, at: str | None = None, **extra: Any) -> str:
    line: dict[str, Any] = {"channel": "sms", "from": SMS, "text": text, **extra}
    if at:
        line["at"] = at
    return json.dumps(line)


SCRIPT = [
    msg(
        "Hello, I want to report something that happened to me",
        at="2026-11-20T10:00:00Z",
        centre="MOSQUE7",
    ),
    msg("yes"),
    msg("2"),  # usual wording, not Easy Read
    msg("1"),
    msg("1"),
    msg("Two lads on the tram shouted at me and tried to pull off my turban"),
    msg("last night"),
    msg("the tram stop on Market Street, M1 1AA"),
    msg("1"),
    msg("2"),
    msg("Because I am a Sikh and wear a turban, they called me a terrorist"),
    msg("yes"),
    msg("2"),
    msg("1"),
    msg("2"),
    msg("1"),
    msg("yes"),
    msg("yes"),
    msg("1"),
    msg("yes"),
    msg("1"),
]


def tellsafe(args: list[str], stdin: str, env: dict[str, str]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "TELLSAFE_DATA_DIR": str(tmp_path), "TELLSAFE_KEYS": TEST_KEY.decode()}


def test_scripted_report_produces_the_case_in_the_export(
    tmp_path: Path, env: dict[str, str], database_url: str
) -> None:
    out = tellsafe(["simulate", "--db", database_url], "\n".join(SCRIPT) + "\n", env)
    lines = [json.loads(line) for line in out.splitlines()]
    assert all(set(line) == {"channel", "to", "text", "at", "kind", "choices"} for line in lines)
    assert all(line["to"] == SMS and line["channel"] == "sms" for line in lines)
    assert lines[0]["kind"] == "reply"
    assert "999" in lines[0]["text"]
    assert "Reply with a number:\n1 Yes" in lines[0]["text"]  # SMS shows options as numbers
    closing = lines[-1]["text"]

    exported = tellsafe(["export", "--db", database_url, "--format", "json"], "", env)
    cases = [json.loads(line) for line in exported.splitlines()]
    assert len(cases) == 1
    case = cases[0]
    assert case["reference"] in closing
    assert case["channel"] == "sms"
    assert case["language"] == "en"
    assert case["centre"] == "MOSQUE7"
    assert case["reporter_role"] == "victim"
    assert case["occurred_at"] == "2026-11-19T21:00:00+00:00"
    assert case["online"] is False
    assert case["motivations"] == ["religion"]
    assert case["religion"] == "sikh"
    assert case["victim_words"] == (
        "Because I am a Sikh and wear a turban, they called me a terrorist"
    )
    assert case["risk"] == "high"
    assert case["risk_reasons"] == [
        "threats",
        "offender_can_find_victim",
        "previous_incident",
        "severe_impact",
    ]
    assert case["repeat_victim"] is True
    assert [(r["service"], r["consent"]) for r in case["referrals"]] == [
        ("victim_support", True),
        ("stop_hate_uk", True),
    ]
    assert all(r["at"] == "2026-11-20T10:00:00+00:00" for r in case["referrals"])
    assert case["police_report"] == "none"
    assert case["followup_consent"] is True
    assert case["handoff"] == {
        "reason": "high_risk",
        "urgent": False,
        "at": "2026-11-20T10:00:00+00:00",
    }

    table = tellsafe(["export", "--db", database_url, "--format", "csv"], "", env)
    rows = list(csv.DictReader(io.StringIO(table)))
    assert len(rows) == 1
    assert rows[0]["reference"] == case["reference"]
    assert rows[0]["motivations"] == "religion"
    assert rows[0]["religion"] == "sikh"
    assert rows[0]["handoff_reason"] == "high_risk"


def test_advance_to_sends_checkins_at_their_time_in_safe_hours(env: dict[str, str]) -> None:
    # Medium risk (no officer holds the case): no threats, offender unknown, first time.
    risk = [msg("3"), msg("3"), msg("3"), msg("2")]
    script = [
        *SCRIPT[:12],  # up to the risk questions (SCRIPT has the reading answer)
        *risk,
        *SCRIPT[16:-1],
        msg("3"),  # evenings
        json.dumps({"advance_to": "2026-12-30T00:00:00Z"}),
    ]
    out = tellsafe(["simulate"], "\n".join(script) + "\n", env)
    followups = [
        json.loads(line) for line in out.splitlines() if json.loads(line)["kind"] == "followup"
    ]
    # The 2-day check-in at the start of the evening window; never answered, so one
    # reminder a day later, then nothing more (the 7- and 28-day ones are cancelled).
    assert [f["at"][:10] for f in followups] == ["2026-11-22", "2026-11-23"]
    assert [f["text"].splitlines()[0] for f in followups] == [
        "Hello, is now a good time for a quick chat?",
        "Hello again. Is now a good time for a quick chat?",
    ]
    for followup in followups:
        assert 17 <= int(followup["at"][11:13]) < 21
        assert "hate" not in followup["text"].lower()


def test_bad_lines_are_skipped_and_the_rest_goes_on(env: dict[str, str]) -> None:
    script = [
        "not json",
        "[1, 2]",
        json.dumps({"channel": "sms"}),
        msg("Hello, I want to report something", at="2026-11-20T10:00:00Z"),
    ]
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "simulate"],
        input="\n".join(script) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 1
    assert "999" in lines[0]["text"]
    assert result.stderr.count("skipped") == 3
