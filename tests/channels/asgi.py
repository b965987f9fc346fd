"""A synchronous client for an ASGI app, with its lifespan, on httpx's ASGI transport.

(Starlette's TestClient now warns about httpx, and warnings are errors here.)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import httpx
from anyio.from_thread import BlockingPortal, start_blocking_portal
from fastapi import FastAPI


class SyncClient:
    """Calls the app through a blocking portal, so tests stay synchronous."""

    def __init__(self, portal: BlockingPortal, client: httpx.AsyncClient) -> None:
        self.portal = portal
        self.client = client

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        return self.portal.call(lambda: self.client.request(method, url, **kwargs))

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)


@contextlib.contextmanager
def running(app: FastAPI, base_url: str) -> Iterator[SyncClient]:
    with start_blocking_portal() as portal:
        lifespan = portal.wrap_async_context_manager(app.router.lifespan_context(app))
        with lifespan:
            client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url)
            try:
                yield SyncClient(portal, client)
            finally:
                portal.call(client.aclose)
