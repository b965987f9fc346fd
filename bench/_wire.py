"""Lean HTTP/1.1 on loopback for the load benches: the load generator's client and the fake Twilio.

Both run on the same 2-core machine as the server they measure, so every millisecond
of CPU they spend is taken from it. With aiohttp's client and a Starlette fake Twilio
they cost about 1.2 ms of CPU a message together (measured: 0.9 ms the load
generator, 0.25 ms the fake Twilio), a seventh of what the whole machine spent a
message, and a server-side p99 measured next to them included their share of the
cores. Here both are asyncio protocols around httptools (the parser uvicorn uses), on
uvloop like the server, writing requests and answers built ahead of time: 0.4 ms a
message together. They do only what a bench needs (one request at a time on a
keep-alive connection, Content-Length bodies) and nothing a real client or server must.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import cast

import httptools
import uvloop

#: The status recorded for a request that got no answer (see ConnectionPool.request).
LOST = -1
#: How long a request waits for its answer before it counts as lost.
ANSWER_SECONDS = 60.0


class _ClientConnection(asyncio.Protocol):
    """One keep-alive connection to the server, carrying one request at a time."""

    def __init__(self, pool: ConnectionPool) -> None:
        self.pool = pool
        self.parser = httptools.HttpResponseParser(self)
        self.transport: asyncio.Transport | None = None
        self.answer: asyncio.Future[tuple[int, str]] | None = None
        self.timing = ""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        self.parser.feed_data(data)

    def on_header(self, name: bytes, value: bytes) -> None:
        if name.lower() == b"server-timing":
            self.timing = value.decode("latin-1")

    def on_message_complete(self) -> None:
        answer, self.answer = self.answer, None
        if answer is not None and not answer.done():
            answer.set_result((self.parser.get_status_code(), self.timing))
        self.timing = ""

    def connection_lost(self, exc: Exception | None) -> None:
        self.pool.forget(self)
        if self.answer is not None and not self.answer.done():
            self.answer.set_exception(ConnectionError("the server closed the connection"))


class ConnectionPool:
    """Keep-alive connections to one server; a request takes an idle one or opens one.

    Open loop: a request never waits for a connection to come free, so a slow server
    cannot slow the arrivals down.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.idle: list[_ClientConnection] = []

    def forget(self, connection: _ClientConnection) -> None:
        if connection in self.idle:
            self.idle.remove(connection)

    async def _connection(self) -> tuple[_ClientConnection, bool]:
        if self.idle:
            return self.idle.pop(), True
        loop = asyncio.get_running_loop()
        _, connection = await loop.create_connection(
            lambda: _ClientConnection(self), self.host, self.port
        )
        return connection, False

    async def request(self, raw: bytes) -> tuple[int, str]:
        """Send one request built by :func:`post_request`; returns (status, Server-Timing).

        A reused connection the server had just closed as idle is retried once on a new
        one (the server had read nothing of the request); any other failure is
        ``(LOST, "")``, as is a connection or an answer that takes longer than
        :data:`ANSWER_SECONDS`.
        """
        for attempt in range(2):
            try:
                connection, reused = await asyncio.wait_for(self._connection(), ANSWER_SECONDS)
            except (OSError, TimeoutError):  # refused, or no room left to connect
                return LOST, ""
            answer = asyncio.get_running_loop().create_future()
            connection.answer = answer
            assert connection.transport is not None
            connection.transport.write(raw)
            try:
                status, timing = await asyncio.wait_for(answer, ANSWER_SECONDS)
            except TimeoutError:
                connection.transport.close()
                return LOST, ""
            except ConnectionError:
                if reused and attempt == 0:
                    continue
                return LOST, ""
            if not connection.transport.is_closing():  # kept alive by the server
                self.idle.append(connection)
            return status, timing
        return LOST, ""

    def close(self) -> None:
        for connection in self.idle:
            if connection.transport is not None:
                connection.transport.close()
        self.idle.clear()


def post_request(host: str, path: str, body: bytes, headers: dict[str, str]) -> bytes:
    """An HTTP/1.1 form POST, as bytes ready to write."""
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}",
        "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {len(body)}",
        *(f"{name}: {value}" for name, value in headers.items()),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class _ServerConnection(asyncio.Protocol):
    """One connection to the fake server: answers each complete request."""

    def __init__(self, answer: Callable[[], bytes]) -> None:
        self.answer = answer
        self.parser = httptools.HttpRequestParser(self)
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def data_received(self, data: bytes) -> None:
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            assert self.transport is not None
            self.transport.close()

    def on_message_complete(self) -> None:
        assert self.transport is not None
        self.transport.write(self.answer())


def fake_twilio_answer(counter: dict[str, int]) -> Callable[[], bytes]:
    """The fake Twilio's answer to a message create: 201 with a new message SID."""

    def answer() -> bytes:
        counter["sent"] += 1
        body = b'{"sid": "SMout%029d", "status": "queued"}' % counter["sent"]
        head = b"HTTP/1.1 201 Created\r\nContent-Type: application/json\r\n"
        return head + b"Content-Length: %d\r\n\r\n" % len(body) + body

    return answer


def serve_in_thread(port: int, answer: Callable[[], bytes]) -> None:
    """Serve ``answer`` to every request on ``127.0.0.1:port`` from a daemon thread."""
    ready = threading.Event()

    def run() -> None:
        loop = uvloop.new_event_loop()
        server = loop.run_until_complete(
            loop.create_server(lambda: _ServerConnection(answer), "127.0.0.1", port)
        )
        ready.set()
        try:
            loop.run_forever()
        finally:
            server.close()

    threading.Thread(target=run, daemon=True).start()
    if not ready.wait(30):
        raise RuntimeError("the fake server did not start")
