"""A crash between the state commit and the send loses nothing and sends once.

``tellsafe serve`` runs as a real process with a test hook that exits right after the
transaction that queued the replies commits; after a restart the replies reach a fake
Twilio server exactly once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from twilio.request_validator import RequestValidator

from bot.channels.intake import CRASH_AFTER_COMMIT_ENV, CRASH_EXIT_CODE
from tests.channels.conftest import KEY
from tests.channels.fakes import ACCOUNT_SID, AUTH_TOKEN, SERVICE_SID, free_port, serve_in_thread

TELLSAFE = str(Path(sys.executable).with_name("tellsafe"))

pytestmark = pytest.mark.slow


class FakeTwilioServer:
    def __init__(self) -> None:
        self.sent: list[dict[str, str]] = []

    def app(self) -> Starlette:
        async def create(request: Request) -> JSONResponse:
            form = await request.form()
            self.sent.append({k: str(v) for k, v in form.items()})
            return JSONResponse(
                {"sid": f"SMfake{len(self.sent):026d}", "status": "queued"}, status_code=201
            )

        return Starlette(
            routes=[Route("/2010-04-01/Accounts/{sid}/Messages.json", create, methods=["POST"])]
        )


@pytest.fixture
def twilio_server() -> Iterator[tuple[FakeTwilioServer, str]]:
    fake = FakeTwilioServer()
    with serve_in_thread(fake.app()) as url:
        yield fake, url


def _env(data_dir: Path, port: int, api_base: str) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(data_dir),
        "TELLSAFE_DATA_DIR": str(data_dir),
        "TELLSAFE_KEYS": KEY,
        "TELLSAFE_LANGUAGES": "en",
        "TELLSAFE_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_MESSAGING_SERVICE_SID": SERVICE_SID,
        "TWILIO_API_BASE": api_base,
        "TELLSAFE_SMS_RATE": "100",
    }


def start_server(
    data_dir: Path, port: int, api_base: str, crash: bool, web_only: bool = False
) -> subprocess.Popen[bytes]:
    env = _env(data_dir, port, api_base)
    if web_only:
        env["TELLSAFE_WEB_ONLY"] = "1"
    if crash:
        env[CRASH_AFTER_COMMIT_ENV] = "1"
    log = data_dir / f"serve-{'crash' if crash else 'run'}.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [TELLSAFE, "serve", "--port", str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(log.read_text())
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start")


def post_sms(port: int, params: dict[str, str]) -> Any:
    url = f"http://127.0.0.1:{port}/sms/twilio"
    signature = RequestValidator(AUTH_TOKEN).compute_signature(url, params)
    return httpx.post(url, data=params, headers={"X-Twilio-Signature": signature}, timeout=30)


def wait_for(condition: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_crash_after_commit_then_restart_sends_each_reply_once(
    tmp_path: Path, twilio_server: tuple[FakeTwilioServer, str]
) -> None:
    fake, api_base = twilio_server
    port = free_port()
    params = {
        "MessageSid": "SM" + "c" * 32,
        "SmsSid": "SM" + "c" * 32,
        "AccountSid": ACCOUNT_SID,
        "From": "+447700900777",
        "To": "+447700900001",
        "Body": "Hello, I want to report something",
        "NumMedia": "0",
    }

    crashing = start_server(tmp_path, port, api_base, crash=True)
    try:
        with pytest.raises(httpx.HTTPError):
            post_sms(port, params)  # the process dies mid-request
        assert crashing.wait(timeout=30) == CRASH_EXIT_CODE
    finally:
        if crashing.poll() is None:
            crashing.kill()
    time.sleep(0.5)
    assert fake.sent == []

    restarted = start_server(tmp_path, port, api_base, crash=False)
    try:
        assert wait_for(lambda: len(fake.sent) > 0, 30)
        time.sleep(3)  # long enough for any duplicate to show up
        bodies = [item["Body"] for item in fake.sent]
        assert "999" in bodies[0]
        assert len(bodies) == len(set(bodies))
        assert all(item["To"] == "+447700900777" for item in fake.sent)
        count = len(fake.sent)
        # The provider retrying the webhook after the crash changes nothing.
        assert post_sms(port, params).status_code == 200
        time.sleep(2)
        assert len(fake.sent) == count
    finally:
        stop(restarted)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_a_web_only_server_leaves_sending_to_a_worker_process(
    tmp_path: Path, twilio_server: tuple[FakeTwilioServer, str]
) -> None:
    fake, api_base = twilio_server
    port = free_port()
    params = {
        "MessageSid": "SM" + "d" * 32,
        "AccountSid": ACCOUNT_SID,
        "From": "+447700900778",
        "To": "+447700900001",
        "Body": "Hello, I want to report something",
        "NumMedia": "0",
    }
    server = start_server(tmp_path, port, api_base, crash=False, web_only=True)
    worker: subprocess.Popen[bytes] | None = None
    try:
        assert post_sms(port, params).status_code == 200
        time.sleep(2)
        assert fake.sent == []  # queued in the outbox, not sent by the web process
        with (tmp_path / "worker.log").open("wb") as log:
            worker = subprocess.Popen(
                [TELLSAFE, "worker"],
                env=_env(tmp_path, port, api_base),
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        assert wait_for(lambda: len(fake.sent) > 0, 60), (tmp_path / "worker.log").read_text()
        time.sleep(2)
        bodies = [item["Body"] for item in fake.sent]
        assert "999" in bodies[0]
        assert len(bodies) == len(set(bodies))
    finally:
        stop(server)
        if worker is not None:
            stop(worker)
