"""Every role against every console route and every case id: nobody sees what their role
forbids; centre staff and admins never see a case; anonymous visitors see nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import func, select

from cases.models import AuditEvent, Case, FollowUp, Handoff
from officer import cases_views, queue_views
from officer.auth import Role
from officer.console import console_router
from tests.officer.kit import Console, console_app, csrf_of, person_asking_for_help, reported

CASE_ROLES = {Role.OFFICER, Role.SUPERVISOR}
EVERYONE = set(Role)

#: (method, path template, roles allowed). Ids are filled in per case.
ROUTES: list[tuple[str, str, set[Role]]] = [
    ("GET", "/officer", EVERYONE),
    ("GET", "/officer/", EVERYONE),
    ("POST", "/officer/logout", EVERYONE),
    ("GET", "/officer/queue", CASE_ROLES),
    ("GET", "/officer/queue.json", CASE_ROLES),
    ("POST", "/officer/handoffs/{handoff}/claim", CASE_ROLES),
    ("POST", "/officer/handoffs/{handoff}/handback", CASE_ROLES),
    ("POST", "/officer/handoffs/{handoff}/close", CASE_ROLES),
    ("GET", "/officer/conversations/{conversation}", CASE_ROLES),
    ("GET", "/officer/conversations/{conversation}/messages.json", CASE_ROLES),
    ("POST", "/officer/conversations/{conversation}/reply", CASE_ROLES),
    ("POST", "/officer/conversations/{conversation}/ready", CASE_ROLES),
    ("POST", "/officer/conversations/{conversation}/note", CASE_ROLES),
    ("GET", "/officer/cases", CASE_ROLES),
    ("GET", "/officer/cases/{case}", CASE_ROLES),
    ("POST", "/officer/cases/{case}/flags", CASE_ROLES),
    ("POST", "/officer/cases/{case}/risk", {Role.SUPERVISOR}),
    ("POST", "/officer/cases/{case}/plan", CASE_ROLES),
    ("POST", "/officer/cases/{case}/notes", CASE_ROLES),
    ("POST", "/officer/cases/{case}/followups/{followup}/cancel", CASE_ROLES),
    ("POST", "/officer/cases/{case}/referrals/{consent}/withdraw", CASE_ROLES),
    ("GET", "/officer/cases/{case}/referrals/{consent}/packet", CASE_ROLES),
    ("GET", "/officer/cases/{case}/police-packet", CASE_ROLES),
]
PUBLIC = [("GET", "/officer/login"), ("POST", "/officer/login"), ("GET", "/officer/static/{name}")]


def _template(path: str) -> str:
    return re.sub(r"\{[a-z_]+\}", "{}", path)


def test_the_table_covers_every_route_of_the_console() -> None:
    declared = {
        (method, _template(route.path))
        for router in (console_router(), queue_views.router(), cases_views.router())
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in route.methods or ()
    }
    covered = {(m, _template(p)) for m, p, _ in ROUTES} | {(m, _template(p)) for m, p in PUBLIC}
    assert declared == covered


@pytest.fixture(scope="module")
def world(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Console, list[dict[str, int]]]]:
    """Two cases (one handed off), and an account of every role."""
    with console_app(Path(tmp_path_factory.mktemp("access"))) as console:
        reported(console.runtime, "+447700900201", named=True)
        person_asking_for_help(console, "+447700900202")
        for role in Role:
            console.add(role.value, role, centre="LIB-7" if role == Role.CENTRE_STAFF else None)
        ids: list[dict[str, int]] = []
        with console.runtime.sessions() as session:
            for case in session.scalars(select(Case).order_by(Case.id)):
                handoff = session.scalars(select(Handoff).where(Handoff.case_id == case.id)).first()
                followup = session.scalars(
                    select(FollowUp).where(FollowUp.case_id == case.id)
                ).first()
                consent = next((c for c in case.consents if c.purpose == "referral"), None)
                ids.append(
                    {
                        "case": case.id,
                        "handoff": handoff.id if handoff else 999_999,
                        "conversation": handoff.conversation_id if handoff else 1,
                        "followup": followup.id if followup else 999_999,
                        "consent": consent.id if consent else 999_999,
                    }
                )
        # An id that does not exist: refused the same way, so existence does not leak.
        ids.append(
            dict.fromkeys(("case", "handoff", "conversation", "followup", "consent"), 999999)
        )
        yield console, ids


def _call(console: Console, client, method: str, url: str, token: str):  # type: ignore[no-untyped-def]
    if method == "GET":
        return client.get(url, headers={"accept": "text/html"})
    return client.post(url, data={"csrf_token": token, "text": "x", "code": "safe_now"})


@pytest.mark.parametrize("role", [Role.CENTRE_STAFF, Role.ADMIN, Role.OFFICER])
def test_roles_without_access_are_refused_and_change_nothing(
    world: tuple[Console, list[dict[str, int]]], role: Role
) -> None:
    console, ids = world
    account = console.accounts[role.value]
    client = console.logged_in(account)
    # The CSRF token of this session, from any page with a form (even the refusal page has
    # the logout button), so the refusals below are for the role, not the token.
    token = csrf_of(client.get("/officer/queue" if role != Role.OFFICER else "/officer/cases").text)
    before = _audit_count(console, account.id)
    for method, path, allowed in ROUTES:
        if role in allowed:
            continue
        for case_ids in ids:
            url = path.format(**case_ids)
            response = _call(console, client, method, url, token)
            assert response.status_code == 403, (role, method, url, response.status_code)
            assert "hijab" not in response.text
            assert "Amina" not in response.text
    assert _audit_count(console, account.id) == before


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR])
def test_case_roles_open_every_case_page(
    world: tuple[Console, list[dict[str, int]]], role: Role
) -> None:
    console, ids = world
    client = console.logged_in(console.accounts[role.value])
    for method, path, allowed in ROUTES:
        if method != "GET" or role not in allowed:
            continue
        for case_ids in ids:
            url = path.format(**case_ids)
            status = client.get(url).status_code
            if "{" not in path:
                expected: tuple[int, ...] = (200, 303)
            elif case_ids["case"] == 999_999:
                expected = (404,)
            elif "packet" in path:
                expected = (200, 409)  # 409 where the person gave no such consent
            else:
                expected = (200,)
            assert status in expected, (role, url, status)


def test_centre_staff_and_admins_never_see_a_case(
    world: tuple[Console, list[dict[str, int]]],
) -> None:
    console, ids = world
    for role in (Role.CENTRE_STAFF, Role.ADMIN):
        client = console.logged_in(console.accounts[role.value])
        home = client.get("/officer")
        assert home.status_code in (200, 303)
        assert "hijab" not in home.text
        for case_ids in ids:
            for path in ("/officer/cases/{case}", "/officer/conversations/{conversation}"):
                assert client.get(path.format(**case_ids)).status_code == 403
        assert client.get("/officer/cases").status_code == 403
        assert (
            client.get("/officer/queue.json", headers={"accept": "application/json"}).status_code
            == 403
        )


def test_anonymous_visitors_see_nothing(world: tuple[Console, list[dict[str, int]]]) -> None:
    console, ids = world
    client = console.new_client()
    for method, path, _allowed in ROUTES:
        for case_ids in ids:
            url = path.format(**case_ids)
            if method == "GET":
                response = client.get(url)
                assert response.status_code in (303, 401), url
                if response.status_code == 303:
                    assert response.headers["location"].startswith("/officer/login?next=")
            else:
                response = client.post(url, data={"csrf_token": "x", "text": "x"})
                assert response.status_code in (401, 403), url
            assert "hijab" not in response.text
    assert (
        client.get("/officer/queue.json", headers={"accept": "application/json"}).status_code == 401
    )
    for name in ("console.css", "console.js"):
        assert client.get(f"/officer/static/{name}").status_code == 200
    assert client.get("/officer/static/base.html").status_code == 404


def _audit_count(console: Console, officer_id: int) -> int:
    with console.runtime.sessions() as session:
        return int(
            session.scalar(select(func.count()).where(AuditEvent.actor == f"officer:{officer_id}"))
            or 0
        )


def test_an_id_past_the_column_range_is_refused_not_a_server_error(
    world: tuple[Console, list[dict[str, int]]],
) -> None:
    # Ids are 32-bit INTEGER columns on PostgreSQL: a query with a larger one failed (a
    # 500) there, while SQLite answered "not found". The route refuses it first.
    console, _ids = world
    client = console.logged_in(console.accounts[Role.SUPERVISOR.value])
    token = csrf_of(client.get("/officer/cases").text)
    too_large = dict.fromkeys(("handoff", "conversation", "case", "followup", "consent"), 2**31)
    for method, path, _allowed in ROUTES:
        if "{" in path:
            url = path.format(**too_large)
            status = _call(console, client, method, url, token).status_code
            assert status == 422, (method, url, status)
