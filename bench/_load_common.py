"""Shared helpers for the load benches: the webhook load generator, PostgreSQL, reporting.

The open-loop load process, the fake Twilio REST API, starting and stopping the server
and the report are those of ``bench/webhooks`` (imported from it, not copied); this
module adds what a PostgreSQL bench needs: a throwaway cluster (``initdb`` in a
temporary directory, as ``.ci/run`` does) or a server given by URL, and a server that
may be several processes.
"""

from __future__ import annotations

import contextlib
import importlib.machinery
import importlib.util
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
POSTGRES_URL_ENV = "TELLSAFE_BENCH_POSTGRES_URL"


def _script(name: str) -> ModuleType:
    """Import a bench script (a file without ``.py``) as a module."""
    path = BENCH / name
    loader = importlib.machinery.SourceFileLoader(f"bench_{name}", str(path))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


webhooks = _script("webhooks")
free_port = webhooks.free_port
percentile = webhooks.percentile
fake_twilio = webhooks.fake_twilio
measure = webhooks.measure
wait_until_serving = webhooks.wait_until_serving
stop = webhooks.stop
report = webhooks.report
ACCOUNT_SID: str = webhooks.ACCOUNT_SID
AUTH_TOKEN: str = webhooks.AUTH_TOKEN
SERVICE_SID: str = webhooks.SERVICE_SID


def _postgres_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: p.parts)
    if not versions:
        raise SystemExit("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb)")
    return versions[-1].parent


def _as_postgres(command: list[str]) -> list[str]:
    # initdb refuses to run as root; .ci/run uses the postgres user the same way.
    if os.geteuid() == 0:
        return ["su", "postgres", "-c", " ".join(command)]
    return command


@contextlib.contextmanager
def postgres() -> Iterator[str]:
    """A PostgreSQL server URL: ``TELLSAFE_BENCH_POSTGRES_URL``, or a throwaway cluster."""
    given = os.environ.get(POSTGRES_URL_ENV)
    if given:
        yield given
        return
    binaries = _postgres_bin()
    scratch = Path(tempfile.mkdtemp(prefix="tellsafe-bench-pg-"))
    port = free_port()
    if os.geteuid() == 0:
        shutil.chown(scratch, "postgres")
    data = scratch / "data"
    subprocess.run(
        _as_postgres([str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"]),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    options = f"-p {port} -k {scratch} -c listen_addresses=127.0.0.1 -c max_connections=200"
    pg_ctl = str(binaries / "pg_ctl")
    subprocess.run(
        _as_postgres(
            [
                pg_ctl,
                "-D",
                str(data),
                "-o",
                f"'{options}'",
                "-l",
                str(scratch / "log"),
                "-w",
                "start",
            ]
        ),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-m", "fast", "stop"]),
            check=False,
            stdout=subprocess.DEVNULL,
        )
        shutil.rmtree(scratch, ignore_errors=True)


@contextlib.contextmanager
def fresh_database(server_url: str) -> Iterator[str]:
    """An empty database on the server for one run, dropped afterwards."""
    from sqlalchemy import create_engine, text  # noqa: PLC0415 - only the bench process needs it

    name = f"tellsafe_bench_{os.getpid()}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
