"""The load benches' lean HTTP: the load generator's client and the fake Twilio.

The bench's figures are only as good as these: the client must read the status and
the server's own timing of every answer, survive the server closing idle connections,
and the fake Twilio must answer the real Twilio client as Twilio does.
"""

from __future__ import annotations

import asyncio
import importlib
import sys
from pathlib import Path
from types import ModuleType

import pytest
from starlette.types import Receive, Scope, Send
from twilio.rest import Client

from bot.channels.twilio_sms import AiohttpTwilioClient
from bot.web.app import ServerTiming
from tests.channels.fakes import free_port, serve_in_thread


def _wire() -> ModuleType:
    bench = str(Path(__file__).resolve().parents[2] / "bench")
    if bench not in sys.path:
        sys.path.append(bench)  # last: bench/nlu.py must not stand in for the nlu package
    return importlib.import_module("_wire")


async def _ok(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] != "http":
        return
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 200 if body else 400})
    await send({"type": "http.response.body", "body": body[::-1]})


def test_the_client_reads_status_and_server_timing_on_kept_alive_connections() -> None:
    wire = _wire()
    with serve_in_thread(ServerTiming(_ok)) as base:
        port = int(base.rsplit(":", 1)[1])

        async def run() -> tuple[list[tuple[int, str]], int]:
            pool = wire.ConnectionPool("127.0.0.1", port)
            form = wire.post_request(f"127.0.0.1:{port}", "/sms", b"Body=hi", {"X-A": "1"})
            empty = wire.post_request(f"127.0.0.1:{port}", "/sms", b"", {})
            answers = list(await asyncio.gather(*(pool.request(form) for _ in range(20))))
            answers.append(await pool.request(empty))
            # Twenty at once opened twenty connections; all are kept for reuse.
            kept = len(pool.idle)
            pool.close()
            return answers, kept

        answers, kept = asyncio.run(run())
    assert [status for status, _ in answers] == [200] * 20 + [400]
    assert all(timing.startswith("app;dur=") for _, timing in answers)
    assert kept == 20


def test_a_connection_the_server_closed_as_idle_is_replaced() -> None:
    wire = _wire()
    port = free_port()

    async def run() -> list[int]:
        import uvicorn

        config = uvicorn.Config(
            _ok, host="127.0.0.1", port=port, log_level="warning", timeout_keep_alive=0.2
        )
        server = uvicorn.Server(config)
        serving = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.02)
        pool = wire.ConnectionPool("127.0.0.1", port)
        raw = wire.post_request(f"127.0.0.1:{port}", "/", b"x=1", {})
        statuses = [(await pool.request(raw))[0]]
        await asyncio.sleep(0.6)  # the server closes the idle connection meanwhile
        statuses.append((await pool.request(raw))[0])
        pool.close()
        server.should_exit = True
        await serving
        return statuses

    assert asyncio.run(run()) == [200, 200]


@pytest.mark.parametrize("server_waits", [False, True], ids=["hangs up", "never answers"])
def test_a_request_without_an_answer_counts_as_lost(
    monkeypatch: pytest.MonkeyPatch, server_waits: bool
) -> None:
    wire = _wire()
    monkeypatch.setattr(wire, "ANSWER_SECONDS", 0.2)

    async def run() -> tuple[int, int]:
        done = asyncio.Event()

        async def no_answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            # Either closes on the request at once, or keeps it until the client gives up.
            await (reader.read() if server_waits else reader.read(1))
            writer.close()
            await writer.wait_closed()
            done.set()

        server = await asyncio.start_server(no_answer, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        pool = wire.ConnectionPool("127.0.0.1", port)
        raw = wire.post_request(f"127.0.0.1:{port}", "/", b"x=1", {})
        status, _ = await asyncio.wait_for(pool.request(raw), 10)
        await asyncio.wait_for(done.wait(), 10)
        server.close()
        await server.wait_closed()
        return int(status), len(pool.idle)

    # Lost, and the connection is not kept for another request.
    assert asyncio.run(run()) == (wire.LOST, 0)


def test_a_request_nobody_listens_for_counts_as_lost() -> None:
    wire = _wire()
    port = free_port()  # nothing listens on it

    async def run() -> int:
        pool = wire.ConnectionPool("127.0.0.1", port)
        raw = wire.post_request(f"127.0.0.1:{port}", "/", b"x=1", {})
        status, _ = await asyncio.wait_for(pool.request(raw), 10)
        return int(status)

    assert asyncio.run(run()) == wire.LOST


def test_the_fake_twilio_answers_the_real_twilio_client() -> None:
    wire = _wire()
    port = free_port()
    counter = {"sent": 0}
    wire.serve_in_thread(port, wire.fake_twilio_answer(counter))
    http = AiohttpTwilioClient(f"http://127.0.0.1:{port}")
    client = Client("AC" + "0" * 32, "token", http_client=http)

    async def send() -> list[str]:
        try:
            sids = []
            for text in ("one", "two ✓"):
                message = await client.messages.create_async(
                    to="+447700900123", messaging_service_sid="MG" + "1" * 32, body=text
                )
                sids.append(str(message.sid))
            return sids
        finally:
            await http.close()

    assert asyncio.run(send()) == [f"SMout{1:029d}", f"SMout{2:029d}"]
    assert counter["sent"] == 2
