"""A running console for tests: accounts, logged-in clients, people who need help."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pyotp
from anyio.from_thread import BlockingPortal
from argon2 import PasswordHasher
from fastapi import FastAPI
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import states
from bot.channels.web import WebChannel
from bot.clock import Clock, ManualClock
from bot.runtime import Runtime, build_runtime
from bot.web.app import create_app
from cases.models import Conversation, Handoff
from officer.accounts import create_officer
from officer.auth import Role
from officer.models import Officer
from tests.auxil.person import Person
from tests.channels.asgi import SyncClient, running
from tests.channels.fakes import free_port, serve_in_thread
from tests.conftest import START, make_settings

PUBLIC: str = "https://tellsafe.example.org"
PASSWORD: str = "correct horse battery staple"
#: Cheap argon2 parameters: tests log in many times on a busy machine.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The first CSRF token on a page."""
    found = _CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


@dataclass
class Account:
    """A console account made for a test."""

    id: int
    username: str
    role: Role
    secret: str
    centre: str | None = None


@dataclass
class Console:
    """The web application with the console, on a manual clock."""

    app: FastAPI
    runtime: Runtime
    portal: BlockingPortal
    client: SyncClient
    accounts: dict[str, Account] = field(default_factory=dict)
    _clients: list[httpx.AsyncClient] = field(default_factory=list)

    @property
    def clock(self) -> ManualClock:
        clock = self.runtime.clock
        assert isinstance(clock, ManualClock)
        return clock

    def advance(self, delta: timedelta) -> None:
        self.clock.set(self.clock.now() + delta)

    def add(self, username: str, role: Role, centre: str | None = None) -> Account:
        with self.runtime.sessions.begin() as session:
            officer, secret = create_officer(
                session,
                username=username,
                role=role.value,
                password=PASSWORD,
                centre=centre,
                now=self.clock.now(),
                hasher=CHEAP_HASHER,
            )
            account = Account(officer.id, username, role, secret, centre)
        self.accounts[username] = account
        return account

    def new_client(self) -> SyncClient:
        """A separate browser (its own cookies)."""
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url=PUBLIC)
        self._clients.append(client)
        return SyncClient(self.portal, client)

    def code(self, account: Account, offset: int = 0) -> str:
        """The account's TOTP code now (``offset`` steps of 30 s away)."""
        moment = self.clock.now() + timedelta(seconds=30 * offset)
        return pyotp.TOTP(account.secret).at(moment)

    def login(
        self,
        account: Account,
        client: SyncClient | None = None,
        *,
        advance: bool = True,
        **form: str,
    ) -> httpx.Response:
        """Log in through the form; by default first moving to a fresh TOTP step."""
        client = client or self.new_client()
        if advance:
            self.advance(timedelta(seconds=31))
        page = client.get("/officer/login")
        data = {
            "csrf_token": csrf_of(page.text),
            "username": account.username,
            "password": PASSWORD,
            "code": self.code(account),
            "next": "/officer",
        }
        data.update(form)
        return client.post("/officer/login", data=data)

    def logged_in(self, account: Account) -> SyncClient:
        client = self.new_client()
        response = self.login(account, client)
        assert response.status_code == 303, response.text
        return client

    def post(
        self,
        client: SyncClient,
        url: str,
        data: dict[str, Any] | None = None,
        page: str = "/officer/queue",
    ) -> httpx.Response:
        """POST a console form with the CSRF token of ``page``."""
        token = csrf_of(client.get(page).text)
        return client.post(url, data={"csrf_token": token, **(data or {})})

    def handoffs(self) -> list[Handoff]:
        with self.runtime.sessions() as session:
            return list(session.scalars(select(Handoff).order_by(Handoff.id)))

    def conversation(self, conversation_id: int) -> Conversation:
        with self.runtime.sessions() as session:
            found = session.get(Conversation, conversation_id)
            assert found is not None
            return found

    def officer(self, username: str) -> Officer:
        with self.runtime.sessions() as session:
            return session.scalars(select(Officer).where(Officer.username == username)).one()


#: Answers by state on the way to the "where" question (any other question: option 1).
ANSWERS = {
    states.NEW: "Hello, I want to report something that happened to me",
    states.LANGUAGE_CONFIRM: "yes",
    states.WHAT_HAPPENED: "A man on the bus shouted at me and pulled at my hijab",
    states.WHEN: "last night",
}


def walk_to(person: Person, target: str, limit: int = 20) -> None:
    """Answer the report's questions until the conversation is in ``target``."""
    for _ in range(limit):
        state = person.state() if person.received else states.NEW
        if state == target:
            return
        person.say(ANSWERS.get(state, "1"))
    raise AssertionError(f"never reached {target}")


def person_asking_for_help(console: Console, address: str, channel: str = "sms") -> Person:
    """A person at the report's "where" question who asks for a person (a handoff opens)."""
    person = Person(console.runtime, address=address, channel=channel)
    walk_to(person, states.WHERE)
    person.say("person")
    return person


@contextmanager
def console_app(tmp_path: Path, database_url: str | None = None) -> Iterator[Console]:
    """Build the application on its own database, with only the web chat channel."""
    runtime = build_runtime(make_settings(tmp_path, database_url), clock=ManualClock(START))
    runtime = replace(runtime, settings=replace(runtime.settings, public_url=PUBLIC))
    app = create_app(runtime, {"web": WebChannel()}, background=False)
    with running(app, PUBLIC) as client:
        console = Console(app, runtime, client.portal, client)
        try:
            yield console
        finally:
            for extra in console._clients:
                client.portal.call(extra.aclose)
    runtime.database.dispose()


def reported(runtime: Runtime, address: str, *, named: bool, until: str = states.CLOSED) -> Person:
    """A person who made a full report: referrals yes, police (named or not), check-ins.

    With ``until`` they stop answering when the conversation gets there.
    """
    answers = dict(ANSWERS)
    answers.update(
        {
            states.ANONYMITY: "2" if named else "1",
            states.NAME: "Amina Khan",
            states.WHERE: "the 36 bus in Nottingham NG1 5AA",
            states.OFFENDER_KNOWN: "2",
            states.WHY: "because I am Muslim and I wear a hijab",
            states.STRANDS_CONFIRM: "yes",
            states.RISK_HARM: "2",
            states.RISK_OFFENDER: "3",
            states.RISK_PREVIOUS: "3",
            states.RISK_IMPACT: "3",
            states.REFERRAL: "yes",
            states.POLICE: "3" if named else "2",
            states.FOLLOWUP_CONSENT: "yes",
            states.SAFE_HOURS: "4",
        }
    )
    person = Person(runtime, address=address)
    person.say(answers[states.NEW])
    for _ in range(40):
        state = person.state()
        if state == until:
            return person
        person.say(answers.get(state, "1"))
    raise AssertionError(f"the report never reached {until}")


class ConsoleSite:
    """The console served on loopback for browser tests, and the accounts on it."""

    def __init__(self, base: str, runtime: Runtime) -> None:
        self.base = base
        self.runtime = runtime
        self.secrets: dict[str, str] = {}

    def account(self, username: str, role: Role, centre: str | None = None) -> str:
        with self.runtime.sessions.begin() as session:
            _officer, secret = create_officer(
                session,
                username=username,
                role=role.value,
                password=PASSWORD,
                centre=centre,
                now=self.runtime.clock.now(),
                hasher=CHEAP_HASHER,
            )
        self.secrets[username] = secret
        return username

    def login(self, page: Any, username: str, path: str = "/officer/queue") -> None:
        """Open ``path``, log in on the page it sends us to, and come back."""
        clock = self.runtime.clock
        if isinstance(clock, ManualClock):
            # A fresh TOTP step: each code is accepted once.
            clock.set(clock.now() + timedelta(seconds=31))
        page.goto(f"{self.base}{path}")
        assert "/officer/login" in page.url  # sent to log in first
        page.fill("#username", username)
        page.fill("#password", PASSWORD)
        page.fill("#code", pyotp.TOTP(self.secrets[username]).at(clock.now()))
        page.click("button[type=submit]")
        page.wait_for_url(f"{self.base}{path}")


@contextmanager
def served_console(
    directory: Path,
    clock: Clock,
    *,
    background: bool,
    seed: Callable[[Session], object] | None = None,
) -> Iterator[ConsoleSite]:
    """Serve the whole app (web chat and console) on a free loopback port."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = make_settings(directory)
    runtime = build_runtime(
        replace(settings, public_url=base, quick_exit_url=f"{base}/healthz"), clock=clock
    )
    if seed is not None:
        with runtime.sessions.begin() as session:
            seed(session)
    app = create_app(runtime, {"web": WebChannel()}, background=background)
    with serve_in_thread(app, port):
        yield ConsoleSite(base, runtime)
    runtime.database.dispose()
