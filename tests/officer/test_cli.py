"""`tellsafe officer add`: accounts with an argon2 hash and a TOTP secret to enrol."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from bot.cli import main
from cases.db import make_engine, session_factory
from officer.auth import check_password
from officer.models import Officer
from tests.conftest import TEST_KEY


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("TELLSAFE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("TELLSAFE_KEYS", TEST_KEY.decode())
    monkeypatch.setenv("TELLSAFE_OFFICER_PASSWORD", "a long enough passphrase")
    return url


def test_officer_add_prints_the_totp_uri(env: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["officer", "add", "--db", env, "--username", "alice", "--role", "supervisor"])
    assert code == 0
    out = capsys.readouterr().out
    uri = next(line for line in out.splitlines() if line.startswith("otpauth://totp/"))
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    engine = make_engine(env)
    with session_factory(engine)() as session:
        officer = session.scalars(select(Officer)).one()
        assert (officer.username, officer.role, officer.centre) == ("alice", "supervisor", None)
        assert officer.totp_secret == secret
        assert officer.password_hash.startswith("$argon2id$")
        assert check_password(officer.password_hash, "a long enough passphrase")
    engine.dispose()
    assert "a long enough passphrase" not in out


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--username", "bob", "--role", "centre_staff"], "centre staff need --centre"),
        (["--username", "bob", "--role", "officer", "--centre", "LIB-7"], "only centre staff"),
        (["--username", "b b", "--role", "officer"], "usernames are"),
    ],
)
def test_officer_add_refuses_bad_accounts(
    env: str, capsys: pytest.CaptureFixture[str], args: list[str], problem: str
) -> None:
    assert main(["officer", "add", "--db", env, *args]) == 2
    assert problem in capsys.readouterr().err


def test_short_passwords_and_taken_names_are_refused(
    env: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ["officer", "add", "--db", env, "--username", "cara", "--role", "officer"]
    assert main(base) == 0
    assert main(base) == 2
    assert "taken" in capsys.readouterr().err
    monkeypatch.setenv("TELLSAFE_OFFICER_PASSWORD", "short")
    assert main([*base[:-3], "dan", "--role", "admin"]) == 2
    assert "at least 12" in capsys.readouterr().err
