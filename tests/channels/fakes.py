"""Fakes at the HTTP seams: Twilio's AsyncHttpClient, a local Bot API server, servers in threads."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from twilio.http import AsyncHttpClient
from twilio.http.response import Response as TwilioResponse

ACCOUNT_SID = "AC" + "0" * 32
AUTH_TOKEN = "twilio-test-auth-token"
SERVICE_SID = "MG" + "1" * 32
BOT_TOKEN = "123456:TEST-token"
WEBHOOK_SECRET = "telegram-test-secret"
PUBLIC_URL = "https://tellsafe.example.org"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class FakeTwilioHttp(AsyncHttpClient):  # type: ignore[misc]
    """Records Twilio REST calls; answers with queued responses or a created message.

    Messages it created can be listed back (``GET .../Messages.json?To=``), newest first,
    as Twilio does. :meth:`app` serves the same fake as an HTTP API, for tests of the
    channel's own HTTP seam.
    """

    def __init__(self) -> None:
        super().__init__(logger=None, is_async=True)
        self.requests: list[dict[str, Any]] = []
        self.responses: list[tuple[int, dict[str, Any]]] = []
        self.created: list[dict[str, Any]] = []
        #: Seconds the HTTP API waits before answering (a slow Twilio).
        self.delay = 0.0

    async def request(
        self,
        method: str,
        uri: str,
        params: Any = None,
        data: Any = None,
        headers: Any = None,
        auth: Any = None,
        timeout: Any = None,
        allow_redirects: bool = False,
    ) -> TwilioResponse:
        self.requests.append(
            {
                "method": method,
                "uri": uri,
                "data": dict(data or {}),
                "params": params,
                "headers": dict(headers or {}),
            }
        )
        status, body = self.responses.pop(0) if self.responses else (201, {})
        if status < 400 and method == "GET":
            return TwilioResponse(200, json.dumps(self._listed(dict(params or {}))))
        if status < 400:
            body = {
                "sid": "SM" + uuid.uuid4().hex,
                "status": "queued",
                "direction": "outbound-api",
                "to": (data or {}).get("To"),
                "body": (data or {}).get("Body"),
                "date_created": format_datetime(datetime.now(UTC)),
                **body,
            }
            self.created.append(body)
        return TwilioResponse(status, json.dumps(body))

    def app(self) -> Starlette:
        """Twilio's Messages resource over HTTP, answered by this fake."""

        async def messages(request: Request) -> Response:
            form = {key: str(value) for key, value in (await request.form()).items()}
            if self.delay:
                await asyncio.sleep(self.delay)
            answer = await self.request(
                request.method,
                str(request.url),
                params=dict(request.query_params),
                data=form,
                headers=dict(request.headers),
            )
            return Response(
                answer.text, status_code=answer.status_code, media_type="application/json"
            )

        path = "/2010-04-01/Accounts/{sid}/Messages.json"
        return Starlette(routes=[Route(path, messages, methods=["GET", "POST"])])

    def posts(self) -> list[dict[str, Any]]:
        """The requests that created messages."""
        return [request for request in self.requests if request["method"] == "POST"]

    def _listed(self, params: dict[str, Any]) -> dict[str, Any]:
        to = params.get("To")
        found = [message for message in reversed(self.created) if to in (None, message["to"])]
        size = int(params.get("PageSize", 50))
        return {"messages": found[:size], "next_page_uri": None, "page": 0, "page_size": size}

    def fail_next(self, status: int, code: int | None, message: str = "error") -> None:
        self.responses.append((status, {"code": code, "message": message, "status": status}))


@dataclass
class FakeBotApi:
    """A local stand-in for the Telegram Bot API that records every call."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    failures: list[tuple[int, str, int | None]] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    next_id: int = 1000

    def named(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    def app(self) -> Starlette:
        async def endpoint(request: Request) -> Response:
            method = request.path_params["method"]
            raw = await request.body()
            params: dict[str, Any] = {}
            if raw:
                if request.headers.get("content-type", "").startswith("application/json"):
                    params = json.loads(raw)
                else:
                    params = dict(parse_qsl(raw.decode()))
            self.calls.append((method, params))
            answer = self.answer(method, params)
            return JSONResponse(answer, status_code=200 if answer["ok"] else answer["error_code"])

        return Starlette(routes=[Route("/bot{token}/{method}", endpoint, methods=["POST"])])

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        if method == "sendMessage" and self.failures:
            code, description, retry_after = self.failures.pop(0)
            failure: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
            if retry_after is not None:
                failure["parameters"] = {"retry_after": retry_after}
            return failure
        if method == "getMe":
            return {
                "ok": True,
                "result": {
                    "id": 42,
                    "is_bot": True,
                    "first_name": "TellSafe",
                    "username": "tellsafe_test_bot",
                },
            }
        if method == "sendMessage":
            self.next_id += 1
            return {
                "ok": True,
                "result": {
                    "message_id": self.next_id,
                    "date": int(time.time()),
                    "chat": {"id": int(params["chat_id"]), "type": "private"},
                    "text": params.get("text", ""),
                },
            }
        if method == "getUpdates":
            pending, self.updates = self.updates, []
            return {"ok": True, "result": pending}
        return {"ok": True, "result": True}


@contextmanager
def serve_in_thread(app: Callable[..., Any], port: int | None = None) -> Iterator[str]:
    """Run an ASGI app with uvicorn on loopback in a thread; yields its base URL."""
    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
