"""kill -9 in the middle of many turns: no acknowledged message lost, nothing sent twice.

tests/channels/test_crash.py stops the server at one chosen point (after the commit,
before the send). Here ``tellsafe serve`` is killed with SIGKILL at an arbitrary moment
while dozens of people are mid-conversation, turns in every stage: being parsed, being
committed, replies being claimed and sent. Twilio (a fake server) is unreachable until
the kill, so no reply can have been accepted by the provider and then be in doubt (see
the note in the lead's report: that window is at-least-once by design).

After a restart the provider redelivers everything it did not get a 200 for, as Twilio
does. Then every message is stored once, every reply is sent once, in order per person.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

import httpx
import pytest
from twilio.request_validator import RequestValidator

from tests.channels.fakes import ACCOUNT_SID, AUTH_TOKEN, free_port, serve_in_thread
from tests.channels.test_crash import FakeTwilioServer, start_server, wait_for

pytestmark = pytest.mark.slow

PEOPLE = 30
#: Each person's messages, sent one after the other (a reply to the welcome, then more).
SCRIPT = ("Hello, I want to report something that happened to me", "yes", "1")
#: Kill once this many requests were acknowledged: well inside the stream.
KILL_AFTER = 25


def request(port: int, person: int, step: int) -> tuple[str, dict[str, str], dict[str, str]]:
    url = f"http://127.0.0.1:{port}/sms/twilio"
    sid = f"SM{person:016x}{step:016x}"
    params = {
        "MessageSid": sid,
        "SmsSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": f"+4477009{person:05d}",
        "To": "+447700900001",
        "Body": SCRIPT[step],
        "NumMedia": "0",
    }
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, params)
    return url, params, {"X-Twilio-Signature": signature}


async def load_then_kill(port: int, server: subprocess.Popen[bytes]) -> set[str]:
    """Every person writes their script; SIGKILL once KILL_AFTER were acknowledged."""
    acknowledged: set[str] = set()

    async def person(client: httpx.AsyncClient, number: int) -> None:
        for step in range(len(SCRIPT)):
            url, params, headers = request(port, number, step)
            try:
                response = await client.post(url, data=params, headers=headers)
            except httpx.HTTPError:
                return  # the server is gone: the provider will deliver again later
            if response.status_code != 200:
                return
            acknowledged.add(params["MessageSid"])
            if len(acknowledged) == KILL_AFTER:
                os.kill(server.pid, signal.SIGKILL)

    async with httpx.AsyncClient(timeout=30) as client:
        await asyncio.gather(*(person(client, number) for number in range(PEOPLE)))
    return acknowledged


def redeliver_all(port: int) -> Counter[int]:
    """The provider delivers every message again, in each person's order (Twilio retries)."""
    statuses: Counter[int] = Counter()
    with httpx.Client(timeout=30) as client:
        for number in range(PEOPLE):
            for step in range(len(SCRIPT)):
                url, params, headers = request(port, number, step)
                statuses[client.post(url, data=params, headers=headers).status_code] += 1
    return statuses


def query(database: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(database, timeout=30) as connection:
        return list(connection.execute(sql))


def test_sigkill_mid_stream_loses_nothing_acknowledged_and_sends_nothing_twice(
    tmp_path: Path,
) -> None:
    fake = FakeTwilioServer()
    twilio_port, port = free_port(), free_port()
    api_base = f"http://127.0.0.1:{twilio_port}"  # nothing listens there yet
    server = start_server(tmp_path, port, api_base, crash=False)
    try:
        acknowledged = asyncio.run(load_then_kill(port, server))
        assert server.wait(timeout=30) == -signal.SIGKILL
    finally:
        if server.poll() is None:
            server.kill()
    assert len(acknowledged) >= KILL_AFTER
    database = tmp_path / "tellsafe.db"
    stored = {
        str(row[0])
        for row in query(database, "SELECT external_id FROM messages WHERE direction = 'in'")
    }
    assert acknowledged <= stored, "an acknowledged message was lost"

    with serve_in_thread(fake.app(), port=twilio_port):
        restarted = start_server(tmp_path, port, api_base, crash=False)
        try:
            statuses = redeliver_all(port)
            assert statuses == Counter({200: PEOPLE * len(SCRIPT)})
            unsent = (
                "SELECT count(*) FROM messages "
                "WHERE direction = 'out' AND delivery IN ('pending', 'sending')"
            )
            # Replies that failed before the kill wait out their backoff (a claim cut off
            # by the kill waits out its 60 s lease).
            assert wait_for(lambda: query(database, unsent)[0][0] == 0, 90)
            time.sleep(2)  # time for any duplicate to show up
        finally:
            restarted.send_signal(signal.SIGTERM)
            try:
                restarted.wait(timeout=20)
            except subprocess.TimeoutExpired:
                restarted.kill()

    inbound = Counter(
        str(row[0])
        for row in query(database, "SELECT external_id FROM messages WHERE direction = 'in'")
    )
    assert set(inbound) == {
        request(port, n, s)[1]["MessageSid"] for n in range(PEOPLE) for s in range(len(SCRIPT))
    }
    assert max(inbound.values()) == 1, "a message was handled twice"
    outbound = query(
        database,
        "SELECT delivery, count(*) FROM messages WHERE direction = 'out' GROUP BY delivery",
    )
    assert {str(row[0]) for row in outbound} == {"sent"}
    sent = [(item["To"], item["Body"]) for item in fake.sent]
    assert len(sent) == len(set(sent)), "a reply was sent twice"
    assert {to for to, _body in sent} == {f"+4477009{n:05d}" for n in range(PEOPLE)}
    # In order per person: the welcome (with the emergency number) comes first.
    for number in range(PEOPLE):
        mine = [body for to, body in sent if to == f"+4477009{number:05d}"]
        assert "999" in mine[0]
