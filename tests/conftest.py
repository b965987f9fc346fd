"""Shared fixtures: the network guard, keys, databases on SQLite and PostgreSQL.

Owned by the core team; channel-specific fixtures live in tests/channels/conftest.py.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, text

from bot.clock import ManualClock
from bot.config import Settings
from bot.runtime import Runtime, build_runtime
from cases.sealed import Keyring, install_keyring

POSTGRES_ENV = "TELLSAFE_TEST_POSTGRES_URL"
# One trained-model cache for the whole run, subprocesses included (they inherit the
# environment): the models are trained once, not once per temporary data directory, and
# the developer's own cache is never touched.
os.environ.setdefault(
    "TELLSAFE_NLU_CACHE", str(Path(tempfile.gettempdir()) / f"tellsafe-test-nlu-{os.getuid()}")
)
TEST_KEY = Fernet.generate_key()
#: A Friday morning in November (Europe/London is UTC): "last night" is 21:00 before.
START = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def _is_loopback(host: object) -> bool:
    if not isinstance(host, str):
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any connection or name lookup that is not loopback (fake servers stay allowed)."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(address: object) -> None:
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            raise RuntimeError(f"network access attempted in a test: {address[0]!r}")

    def connect(self: socket.socket, address: Any) -> None:
        check(address)
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        check(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback(host):
            raise RuntimeError(f"name lookup attempted in a test: {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(autouse=True)
def keyring() -> Keyring:
    """Install one test keyring for sealed columns."""
    ring = Keyring([TEST_KEY])
    install_keyring(ring)
    return ring


def postgres_url() -> str | None:
    """The PostgreSQL server to test against, when one is configured."""
    return os.environ.get(POSTGRES_ENV) or None


@pytest.fixture
def postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (dropped afterwards)."""
    base = postgres_url()
    if base is None:
        pytest.skip(f"{POSTGRES_ENV} is not set (.ci/run starts a server and sets it)")
    name = f"tellsafe_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = base.rsplit("/", 1)[0] + "/" + name
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database URL: a SQLite file, then (when configured) a real PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tellsafe.db'}"
    url: str = request.getfixturevalue("postgres_database")
    return url


def make_settings(tmp_path: Path, database_url: str | None = None) -> Settings:
    """Settings for a test: data in ``tmp_path``, the test key."""
    settings = Settings.from_env({"TELLSAFE_DATA_DIR": str(tmp_path)})
    return replace(
        settings,
        database_url=database_url or f"sqlite:///{tmp_path / 'tellsafe.db'}",
        keys=TEST_KEY.decode(),
    )


@pytest.fixture
def runtime(tmp_path: Path) -> Iterator[Runtime]:
    """A full runtime on SQLite with a manual clock at a fixed weekday morning."""
    built = build_runtime(make_settings(tmp_path), clock=ManualClock(START))
    yield built
    built.database.dispose()
