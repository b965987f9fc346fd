"""Shared helpers for the load benches: the webhook load generator, PostgreSQL, reporting.

The open-loop load process, the fake Twilio REST API and the percentiles are those of
``bench/webhooks`` (imported from it, not copied); this module adds what a PostgreSQL
bench needs: a throwaway cluster (``initdb`` in a temporary directory, as ``.ci/run``
does) or a server given by URL, and a server that may be several processes.
"""

from __future__ import annotations

import contextlib
import importlib.machinery
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
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


def wait_until_serving(base: str, server: subprocess.Popen[bytes], seconds: float = 300) -> None:
    """Wait for ``/healthz`` to answer, or fail if the server dies first."""
    import httpx  # noqa: PLC0415 - only the bench process needs it

    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            raise SystemExit("tellsafe serve did not start")
        time.sleep(0.5)


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop a server process, politely first."""
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def report(title: str, rate: float, seconds: float, result: dict[str, object]) -> dict[str, float]:
    """Print the figures of one run; returns them (requests/s, server p50/p99 in ms)."""
    server_ms = result["server_ms"]
    client_ms = result["client_ms"]
    assert isinstance(server_ms, list)
    assert isinstance(client_ms, list)
    requests = int(result["requests"])  # type: ignore[call-overload]
    elapsed = float(result["elapsed_s"])  # type: ignore[arg-type]
    figures = {
        "requests_per_s": len(server_ms) / elapsed if elapsed else 0.0,
        "server_p50_ms": percentile(server_ms, 50),
        "server_p99_ms": percentile(server_ms, 99),
    }
    print(f"offered rate      {rate:.0f} msg/s for {seconds:.0f} s ({title})")
    print(
        f"handled           {len(server_ms)}/{requests} in {elapsed:.1f} s = "
        f"{figures['requests_per_s']:.0f} requests/s; statuses {result['statuses']}"
    )
    if server_ms:
        print(
            f"server-side ms    p50 {figures['server_p50_ms']:.1f}  "
            f"p99 {figures['server_p99_ms']:.1f}  max {max(server_ms):.1f}  "
            f"mean {statistics.fmean(server_ms):.1f}"
        )
        print(
            f"client ms         p50 {percentile(client_ms, 50):.1f}  "
            f"p99 {percentile(client_ms, 99):.1f}"
        )
    sys.stdout.flush()
    return figures
