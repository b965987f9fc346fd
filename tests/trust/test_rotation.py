"""Key rotation on both databases: every row readable, old keys useless, lookups kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select

from bot.cli import main
from bot.runtime import Runtime
from cases import rotation, store
from cases.models import Case, Contact
from cases.sealed import Keyring, install_keyring
from tests.auxil.person import Person
from tests.conftest import TEST_KEY
from tests.trust.conftest import ACCOUNT, NAME, report


def _tokens(runtime: Runtime) -> list[str]:
    """Every sealed value as stored."""
    found = []
    with runtime.database.connect() as connection:
        for table, column in rotation.sealed_columns():
            _view, token, _keys = rotation._raw(table, column)
            found += [row[0] for row in connection.execute(select(token).where(token.is_not(None)))]
    return found


def _opens(key: bytes, token: str) -> bool:
    try:
        Fernet(key).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


def test_rotate_then_retire(trust_runtime: Runtime) -> None:
    runtime = trust_runtime
    person = Person(runtime)
    report(person)
    reference = person.case().reference
    before = _tokens(runtime)
    assert len(before) > 50
    assert all(_opens(TEST_KEY, t) for t in before)

    new = Fernet.generate_key()
    ring = [new, TEST_KEY]
    install_keyring(Keyring(ring))  # what a restarted service would run with
    done = rotation.reencrypt(runtime.database, ring, batch=7)
    assert done.total == len(before)
    after = _tokens(runtime)
    assert all(_opens(new, t) and not _opens(TEST_KEY, t) for t in after)
    assert rotation.reencrypt(runtime.database, ring).total == 0  # resumable: nothing left

    with runtime.sessions() as session:
        case = session.scalars(select(Case).where(Case.reference == reference)).one()
        assert case.what_happened == ACCOUNT
        assert session.get(Contact, case.contact_id).name == NAME  # type: ignore[union-attr]
        assert store.find_address(session, "sms", person.address) is not None
    assert "closed" in person.state()  # the service looks the person up as before
    person.say("help")

    retired = rotation.retire(runtime.database, ring, batch=3)
    assert retired == [new]
    install_keyring(Keyring(retired))
    with runtime.sessions() as session:
        assert store.find_address(session, "sms", person.address) is not None
        case = session.scalars(select(Case).where(Case.reference == reference)).one()
        assert case.victim_words
        assert "CANARY-WHY" in case.victim_words
    install_keyring(Keyring([TEST_KEY]))
    with runtime.sessions() as session, pytest.raises(ValueError, match="could not be opened"):
        session.scalars(select(Case)).all()


def test_retire_refuses_while_old_keys_are_needed(trust_runtime: Runtime) -> None:
    report(Person(trust_runtime))
    with pytest.raises(RuntimeError, match="still need an old key"):
        rotation.retire(trust_runtime.database, [Fernet.generate_key(), TEST_KEY])


def test_a_value_written_while_rotating_survives(trust_runtime: Runtime) -> None:
    person = Person(trust_runtime)
    report(person)
    ring = [Fernet.generate_key(), TEST_KEY]
    install_keyring(Keyring(ring))
    seen: list[str] = []

    def meanwhile(name: str, _count: int) -> None:
        if name == "cases.what_happened" and not seen:
            with trust_runtime.sessions.begin() as session:  # the service writes
                session.scalars(select(Case)).one().what_happened = "changed meanwhile"
            seen.append(name)

    rotation.reencrypt(trust_runtime.database, ring, progress=meanwhile)
    rotation.reencrypt(trust_runtime.database, ring)
    assert person.case().what_happened == "changed meanwhile"
    assert all(_opens(ring[0], t) for t in _tokens(trust_runtime))


def test_cli_adds_a_key_to_the_key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELLSAFE_KEYS", raising=False)
    monkeypatch.setenv("TELLSAFE_DATA_DIR", str(tmp_path))
    url = f"sqlite:///{tmp_path / 'k.db'}"
    assert main(["keys", "rotate", "--db", url]) == 0
    keys = (tmp_path / "keys").read_bytes().split()
    assert len(keys) == 2
    assert (tmp_path / "keys").stat().st_mode & 0o777 == 0o600
    assert main(["keys", "retire", "--db", url]) == 2  # refuses without --service-stopped
    assert main(["keys", "retire", "--db", url, "--service-stopped"]) == 0
    assert (tmp_path / "keys").read_bytes().split() == keys[:1]
