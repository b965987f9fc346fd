"""Logging in with a password and TOTP, sessions and their timeouts, CSRF, rate limits."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from cases.models import AuditEvent
from officer.auth import ABSOLUTE_TIMEOUT, CLIENT_LIMIT, IDLE_TIMEOUT, USER_LIMIT, Role
from officer.models import OfficerSession
from tests.officer.kit import Console, csrf_of


def test_login_with_password_and_totp_starts_a_session(console: Console) -> None:
    alice = console.add("alice", Role.OFFICER)
    client = console.new_client()
    response = console.login(alice, client)
    assert response.status_code == 303
    assert response.headers["location"] == "/officer"
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("tellsafe_officer=")
    )
    for flag in ("HttpOnly", "Secure", "SameSite=strict"):
        assert flag.lower() in cookie.lower()
    assert "max-age" not in cookie.lower()  # a browser-session cookie
    queue = client.get("/officer/queue")
    assert queue.status_code == 200
    assert "Handoff queue" in queue.text
    assert queue.headers["cache-control"] == "no-store"
    assert "frame-ancestors 'none'" in queue.headers["content-security-policy"]
    # Only a hash of the token is stored.
    token = client.client.cookies["tellsafe_officer"]
    with console.runtime.sessions() as session:
        stored = session.scalars(select(OfficerSession.token_hash)).all()
    assert token not in stored
    assert len(stored) == 1


def test_wrong_password_or_code_is_refused_the_same_way(console: Console) -> None:
    alice = console.add("alice", Role.OFFICER)
    wrong_password = console.login(alice, password="not the password at all")
    wrong_code = console.login(
        alice, code="000000" if console.code(alice) != "000000" else "111111"
    )
    unknown = console.login(alice, username="nobody")
    for response in (wrong_password, wrong_code, unknown):
        assert response.status_code == 400
        assert "username, password or code is not right" in response.text
        assert "tellsafe_officer=" not in response.headers.get("set-cookie", "")


def test_a_totp_code_works_only_once(console: Console) -> None:
    alice = console.add("alice", Role.OFFICER)
    first = console.new_client()
    assert console.login(alice, first).status_code == 303
    code = console.code(alice)
    replay = console.new_client()
    page = replay.get("/officer/login")
    response = replay.post(
        "/officer/login",
        data={
            "csrf_token": csrf_of(page.text),
            "username": "alice",
            "password": "correct horse battery staple",
            "code": code,
        },
    )
    assert response.status_code == 400


def test_next_code_is_accepted_for_clock_drift(console: Console) -> None:
    alice = console.add("alice", Role.OFFICER)
    console.advance(timedelta(seconds=31))
    response = console.login(alice, advance=False, code=console.code(alice, offset=2))
    assert response.status_code == 400  # two steps ahead is too far
    response = console.login(alice, advance=False, code=console.code(alice, offset=1))
    assert response.status_code == 303


def test_failed_logins_are_limited_per_username(console: Console) -> None:
    alice = console.add("alice", Role.OFFICER)
    for _ in range(USER_LIMIT):
        assert console.login(alice, password="wrong password here").status_code == 400
    # Even the right password is refused now, from any client.
    assert console.login(alice).status_code == 429
    console.advance(timedelta(minutes=16))
    assert console.login(alice).status_code == 303


def test_failed_logins_are_limited_per_client(console: Console) -> None:
    accounts = [console.add(f"user{i}", Role.OFFICER) for i in range(CLIENT_LIMIT // 4 + 1)]
    failures = 0
    for account in accounts:
        for _ in range(4):
            if failures == CLIENT_LIMIT:
                break
            assert console.login(account, password="wrong password here").status_code == 400
            failures += 1
    fresh = console.add("fresh", Role.OFFICER)
    assert console.login(fresh).status_code == 429


def test_login_needs_its_csrf_token(console: Console) -> None:
    alice = console.add("alice", Role.OFFICER)
    client = console.new_client()
    client.get("/officer/login")
    response = client.post(
        "/officer/login",
        data={
            "csrf_token": "forged",
            "username": "alice",
            "password": "correct horse battery staple",
            "code": console.code(alice),
        },
    )
    assert response.status_code == 403


def test_forms_without_the_csrf_token_are_refused(console: Console) -> None:
    alice = console.add("alice", Role.OFFICER)
    client = console.logged_in(alice)
    assert client.post("/officer/logout", data={}).status_code == 403
    assert client.post("/officer/logout", data={"csrf_token": "x" * 64}).status_code == 403
    # A token from another session does not work either.
    other = console.logged_in(console.add("bob", Role.OFFICER))
    foreign = csrf_of(other.get("/officer/queue").text)
    assert client.post("/officer/logout", data={"csrf_token": foreign}).status_code == 403
    assert client.get("/officer/queue").status_code == 200  # still logged in


def test_idle_timeout_ends_the_session(console: Console) -> None:
    alice = console.add("alice", Role.OFFICER)
    client = console.logged_in(alice)
    console.advance(IDLE_TIMEOUT - timedelta(seconds=5))
    assert client.get("/officer/queue").status_code == 200  # activity keeps it alive
    console.advance(IDLE_TIMEOUT - timedelta(seconds=5))
    assert client.get("/officer/queue").status_code == 200
    console.advance(IDLE_TIMEOUT + timedelta(seconds=1))
    response = client.get("/officer/queue")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/officer/login?next=/officer/queue")


def test_background_polling_does_not_keep_a_session_alive(console: Console) -> None:
    alice = console.add("alice", Role.OFFICER)
    client = console.logged_in(alice)
    json = {"accept": "application/json"}
    for _ in range(4):
        console.advance(timedelta(minutes=5))
        assert client.get("/officer/queue.json", headers=json).status_code in (200, 401)
    assert client.get("/officer/queue.json", headers=json).status_code == 401


def test_absolute_timeout_ends_even_a_busy_session(console: Console) -> None:
    alice = console.add("alice", Role.OFFICER)
    client = console.logged_in(alice)
    elapsed = timedelta(0)
    while elapsed < ABSOLUTE_TIMEOUT - timedelta(minutes=10):
        console.advance(timedelta(minutes=10))
        elapsed += timedelta(minutes=10)
        assert client.get("/officer/queue").status_code == 200
    console.advance(timedelta(minutes=11))
    assert client.get("/officer/queue").status_code == 303


def test_logout_ends_the_session_for_good(console: Console) -> None:
    alice = console.add("alice", Role.OFFICER)
    client = console.logged_in(alice)
    token = client.client.cookies["tellsafe_officer"]
    response = console.post(client, "/officer/logout")
    assert response.status_code == 303
    assert response.headers["location"] == "/officer/login"
    replay = console.new_client()
    replay.client.cookies.set("tellsafe_officer", token, domain="tellsafe.example.org")
    assert replay.get("/officer/queue").status_code == 303


def test_inactive_accounts_cannot_log_in(console: Console) -> None:
    alice = console.add("alice", Role.OFFICER)
    client = console.logged_in(alice)
    with console.runtime.sessions.begin() as session:
        from officer.models import Officer

        officer = session.get(Officer, alice.id)
        assert officer is not None
        officer.active = False
    assert client.get("/officer/queue").status_code == 303
    assert console.login(alice).status_code == 400


def test_login_redirects_only_inside_the_console(console: Console) -> None:
    alice = console.add("alice", Role.OFFICER)
    for target in ("https://evil.example/", "//evil.example/x", "/chat", "/officer\\@evil"):
        response = console.login(alice, next=target)
        assert response.headers["location"] == "/officer", target


def test_logins_are_audited_without_passwords(console: Console) -> None:
    alice = console.add("alice", Role.OFFICER)
    console.login(alice)
    with console.runtime.sessions() as session:
        events = session.scalars(select(AuditEvent)).all()
    assert all("correct horse" not in str(event.details) for event in events)
