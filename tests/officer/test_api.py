"""The JSON API: bearer tokens (hashed, scoped, revocable) and what each endpoint serves."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.clock import ManualClock
from bot.runtime import Runtime
from cases.models import AuditEvent
from officer import api_tokens
from officer.api import PREFIX, create_api
from officer.api_tokens import ApiToken
from tests.auxil import console_data as data
from tests.channels.asgi import SyncClient, running
from tests.conftest import START, TEST_KEY

PUBLIC = "https://tellsafe.example.org"


@dataclass
class Api:
    client: SyncClient
    sessions: sessionmaker[Session]
    app: FastAPI
    runtime: Runtime

    @property
    def clock(self) -> ManualClock:
        clock = self.runtime.clock
        assert isinstance(clock, ManualClock)
        return clock

    def token(self, name: str, *scopes: str) -> str:
        with self.sessions.begin() as session:
            _row, token = api_tokens.create_token(
                session, name, START, scopes or api_tokens.DEFAULT_SCOPES
            )
        return token

    def get(self, path: str, token: str | None, **kwargs: Any) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.client.get(PREFIX + path, headers=headers, **kwargs)


def api_app(tmp_path: Path, database_url: str) -> Iterator[Api]:
    with data.seeded_database(database_url) as (engine, sessions):
        runtime = data.light_runtime(tmp_path, sessions, engine, public_url=PUBLIC)
        app = FastAPI()
        app.mount(PREFIX, create_api(runtime, {"web": object()}))
        with running(app, PUBLIC) as client:
            yield Api(client, sessions, app, runtime)


@pytest.fixture
def api(tmp_path: Path, database_url: str) -> Iterator[Api]:
    yield from api_app(tmp_path, database_url)


@pytest.fixture
def sqlite_api(tmp_path: Path) -> Iterator[Api]:
    yield from api_app(tmp_path, f"sqlite:///{tmp_path / 'api.db'}")


# --- tokens ---------------------------------------------------------------------------


def test_tokens_are_stored_hashed_and_shown_once(sqlite_api: Api) -> None:
    token = sqlite_api.token("force-rms")
    assert token.startswith(api_tokens.PREFIX)
    assert len(token) > 40
    with sqlite_api.sessions() as session:
        row = session.scalars(select(ApiToken)).one()
        assert token not in (row.token_hash, row.name, row.scopes)
        assert row.token_hash == api_tokens.digest(token)
        assert row.scope_set == set(api_tokens.DEFAULT_SCOPES)
        audit = session.scalars(select(AuditEvent.action)).all()
        assert "api_token.created" in audit
        assert api_tokens.authenticate(session, token) is not None
        assert api_tokens.authenticate(session, token + "x") is None
        assert api_tokens.authenticate(session, "Bearer " + token) is None


def test_token_names_and_scopes_are_checked(sqlite_api: Api) -> None:
    sqlite_api.token("force-rms")
    for name, scopes in (("force-rms", ["cases"]), ("", ["cases"]), ("x", ["everything"])):
        with pytest.raises(api_tokens.TokenError), sqlite_api.sessions.begin() as session:
            api_tokens.create_token(session, name, START, scopes)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer tsk_not-a-real-token"},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "tsk_without_scheme"},
    ],
)
def test_missing_or_invalid_tokens_get_401(sqlite_api: Api, headers: dict[str, str]) -> None:
    for path in ("/centres", "/centres/LIB-7", "/profile", "/cases", "/cases/TS-7KQ4-M9XD"):
        response = sqlite_api.client.get(PREFIX + path, headers=headers)
        assert response.status_code == 401, (path, headers)
        assert response.headers["www-authenticate"].startswith("Bearer")
        assert set(response.json()) == {"detail"}


def test_a_revoked_token_gets_401(sqlite_api: Api) -> None:
    token = sqlite_api.token("force-rms")
    assert sqlite_api.get("/centres", token).status_code == 200
    with sqlite_api.sessions.begin() as session:
        assert api_tokens.revoke(session, "force-rms", START)
        assert not api_tokens.revoke(session, "force-rms", START)
    response = sqlite_api.get("/centres", token)
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]


def test_a_token_without_the_scope_gets_403(sqlite_api: Api) -> None:
    token = sqlite_api.token("dashboard", "profile")
    assert sqlite_api.get("/profile", token).status_code == 200
    for path in ("/centres", "/cases", "/cases/TS-7KQ4-M9XD"):
        response = sqlite_api.get(path, token)
        assert response.status_code == 403
        assert "insufficient_scope" in response.headers["www-authenticate"]


def test_use_is_recorded_now_and_then(sqlite_api: Api) -> None:
    token = sqlite_api.token("force-rms")
    clock = sqlite_api.clock

    def last_used() -> Any:
        with sqlite_api.sessions() as session:
            return session.scalars(select(ApiToken.last_used_at)).one()

    assert last_used() is None
    sqlite_api.get("/centres", token)
    assert last_used() == START
    clock.set(START + timedelta(minutes=1))
    sqlite_api.get("/centres", token)
    assert last_used() == START  # not a write on every call
    clock.set(START + api_tokens.TOUCH_EVERY + timedelta(minutes=1))
    sqlite_api.get("/centres", token)
    assert last_used() == START + api_tokens.TOUCH_EVERY + timedelta(minutes=1)


def test_cli_creates_lists_and_revokes_tokens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELLSAFE_KEYS", TEST_KEY.decode())
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["api-token", "add", "--db", url, "--name", "rms", "--scope", "cases"]) == 0
    printed = capsys.readouterr().out
    token = printed.strip().splitlines()[-1]
    assert token.startswith(api_tokens.PREFIX)
    assert main(["api-token", "list", "--db", url]) == 0
    listing = capsys.readouterr().out
    assert "rms\tcases\tlive" in listing
    assert token not in listing
    assert main(["api-token", "add", "--db", url, "--name", "rms"]) == 2
    assert main(["api-token", "revoke", "--db", url, "--name", "rms"]) == 0
    assert main(["api-token", "revoke", "--db", url, "--name", "rms"]) == 2
    capsys.readouterr()
    assert main(["api-token", "list", "--db", url]) == 0
    assert "revoked" in capsys.readouterr().out


# --- endpoints ------------------------------------------------------------------------


def test_centres(api: Api) -> None:
    token = api.token("force", "centres")
    centres = api.get("/centres", token).json()
    assert [c["code"] for c in centres] == [data.LIB, data.MOSQUE]
    assert centres[0]["links"]["web_chat"] == f"{PUBLIC}/chat?centre={data.LIB}"
    assert centres[0]["links"]["telegram"] is None
    assert api.get("/centres", token).headers["cache-control"] == "no-store"
    one = api.get(f"/centres/{data.MOSQUE}", token)
    assert one.status_code == 200
    assert one.json()["name"] == "Bridge Street Mosque"
    assert api.get("/centres/NOPE", token).status_code == 404
    assert api.get("/centres/not%20a%20code", token).status_code == 422


def test_profile(api: Api) -> None:
    token = api.token("force", "profile")
    profile = api.get("/profile", token).json()
    assert (profile["start"], profile["end"]) == (str(data.DEFAULT_START), str(data.TODAY))
    assert profile["total"] == data.TOTAL
    assert {r["key"]: r["count"] for r in profile["by_strand"]} == data.BY_STRAND
    assert {r["key"]: r["count"] for r in profile["by_centre"]} == data.BY_CENTRE
    assert {s["key"]: s["count"] for s in profile["shares"]} == data.SHARES
    assert profile["satisfaction"]["responses"] == 3
    weeks = {w["week_start"]: w["counts"]["reports"] for w in profile["weeks"]}
    assert {k: v for k, v in weeks.items() if v} == {str(k): v for k, v in data.WEEKS.items()}
    library = api.get("/profile", token, params={"centre": data.LIB}).json()
    assert library["total"] == 3
    # Exact figures: the API is for the force, not for centre staff.
    assert {s["key"]: s["count"] for s in library["shares"]}["repeat"] == 1
    longer = api.get("/profile", token, params={"start": "2026-01-01"}).json()
    assert longer["total"] == data.TOTAL + 1
    reversed_ = api.get("/profile", token, params={"start": "2026-11-20", "end": "2026-11-01"})
    assert reversed_.status_code == 422
    assert reversed_.json()["detail"][0]["loc"] == ["query", "end"]
    too_long = api.get("/profile", token, params={"start": "2020-01-01", "end": "2026-01-01"})
    assert too_long.status_code == 422
    assert api.get("/profile", token, params={"start": "not a date"}).status_code == 422
    assert api.get("/profile", token, params={"end": "1999-12-31"}).status_code == 422


def test_cases_without_special_category_data(api: Api) -> None:
    token = api.token("force", "cases")
    page = api.get("/cases", token).json()
    assert len(page["items"]) == data.TOTAL
    assert page["next_after"] is None
    first = page["items"][0]
    assert first["flags"] is None
    assert first["narrative"] is None
    body = str(page)
    for private in ("07700", "shouted", "Acacia", "faith", "muslim", "race", "+44"):
        assert private not in body
    by_centre = {}
    for item in page["items"]:
        by_centre[item["centre"]] = by_centre.get(item["centre"], 0) + 1
    assert by_centre == {data.LIB: 3, data.MOSQUE: 1, data.UNREGISTERED: 1, None: 2}
    urgent = next(i for i in page["items"] if i["centre"] == data.MOSQUE)
    assert urgent["handoff"]["urgent"] is True
    assert urgent["handoff"]["status"] == "open"
    assert urgent["referrals"] == [
        {"service": "victim_support", "consent": True, "named": False, "at": urgent["created_at"]}
    ]
    one = api.get(f"/cases/{first['reference']}", token)
    assert one.status_code == 200
    assert one.json() == first
    assert api.get("/cases/TS-3333-3333", token).status_code == 404
    assert api.get("/cases/nonsense", token).status_code == 422


def test_cases_with_flags_and_text_scopes(api: Api) -> None:
    flags = api.token("flags", "cases", "cases:flags")
    items = api.get("/cases", flags).json()["items"]
    muslim = next(i for i in items if i["flags"]["religion"] == "muslim")
    assert muslim["flags"]["strands"] == ["race", "religion"]
    assert muslim["narrative"] is None
    text = api.token("text", "cases", "cases:text")
    detailed = api.get(f"/cases/{muslim['reference']}", text).json()
    assert detailed["flags"] is None
    assert detailed["narrative"]["what_happened"].startswith("He shouted")
    assert detailed["narrative"]["why"] == "because of my faith"


def test_cases_page_by_page(api: Api) -> None:
    token = api.token("force", "cases")
    seen: list[str] = []
    after = 0
    while True:
        page = api.get("/cases", token, params={"limit": 3, "after": after}).json()
        seen += [item["reference"] for item in page["items"]]
        if page["next_after"] is None:
            break
        after = page["next_after"]
    assert len(seen) == len(set(seen)) == data.TOTAL
    assert api.get("/cases", token, params={"limit": 0}).status_code == 422
    assert api.get("/cases", token, params={"after": 2**40}).status_code == 422
    library = api.get("/cases", token, params={"centre": data.LIB}).json()["items"]
    assert {i["centre"] for i in library} == {data.LIB}
    assert len(library) == 3


def test_the_schema_documents_auth_and_errors(sqlite_api: Api) -> None:
    schema = sqlite_api.client.get(PREFIX + "/openapi.json").json()
    assert schema["info"]["title"] == "TellSafe API"
    assert schema["components"]["securitySchemes"]["token"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["token"]["description"],
    }
    for path, operations in schema["paths"].items():
        get = operations["get"]
        assert get["security"] == [{"token": []}], path
        for status in ("200", "401", "403"):
            assert status in get["responses"], (path, status)
        if "{" in path:
            assert "404" in get["responses"], path
        if get.get("parameters"):
            assert "422" in get["responses"], path
    case = schema["components"]["schemas"]["CaseOut"]["properties"]
    assert "flags" in case
    assert "address" not in case
    assert "contact" not in case
