"""The console in real headless Chromium: log in with TOTP, take a handoff as it arrives,
reply and see it reach the person's web chat, hand back, endorse risk; axe on every page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot import states
from bot.clock import SystemClock
from cases.models import Consent, Conversation
from cases.risk_management import RiskReview
from officer.auth import Role
from tests.auxil.browser import axe_violations, chromium, loopback_page, needs_chromium
from tests.auxil.person import Person
from tests.officer.kit import ConsoleSite as Site
from tests.officer.kit import reported, served_console, walk_to

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with served_console(
        Path(tmp_path_factory.mktemp("console-browser")), SystemClock(), background=True
    ) as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def chat_send(page: Any, text: str) -> None:
    before = page.locator("#log li.bot").count()
    page.fill("#text", text)
    page.click("#send")
    page.locator("#log li.bot").nth(before).wait_for()


def test_take_a_handoff_reply_and_hand_back(browser: Any, site: Site) -> None:
    site.account("olivia", Role.OFFICER)
    with loopback_page(browser) as officer, loopback_page(browser) as person:
        site.login(officer, "olivia")
        assert "Nobody is waiting." in officer.locator("#waiting").inner_text()

        person.goto(f"{site.base}/chat")
        chat_send(person, "Hello, I want to report something")
        chat_send(person, "person")

        # The new handoff appears in the open queue page without a reload.
        row = officer.locator("#waiting tr[data-id]").first
        row.wait_for(timeout=15_000)
        assert "asked for person" in row.inner_text()
        officer.locator("#queue-status").filter(has_text="new handoff").wait_for()

        row.get_by_role("button").click()
        officer.wait_for_url("**/officer/conversations/**")
        assert "You hold this conversation now" in officer.locator(".notice").inner_text()
        assert "Hello, I want to report something" in officer.locator("#transcript").inner_text()

        officer.fill("#reply-text", "Hello, I am Olivia. I am here to help you.")
        officer.click("#send-reply")
        officer.locator(".notice").filter(has_text="queued").wait_for()
        person.locator("#log li.bot", has_text="I am Olivia").wait_for()

        # The person's answer reaches the officer's open page without a reload.
        before = person.locator("#log li").count()
        person.fill("#text", "Thank you, I feel safer now")
        person.click("#send")
        person.locator("#log li").nth(before).wait_for()
        officer.locator("#transcript li", has_text="I feel safer now").wait_for()

        officer.click("#hand-back")
        officer.locator(".notice").filter(has_text="back with the bot").wait_for()
        person.locator("#log li.bot", has_text="You are back with TellSafe").wait_for()


def test_supervisor_endorses_the_risk(browser: Any, site: Site) -> None:
    case = reported(site.runtime, "+447700900301", named=False).case()
    site.account("sam", Role.SUPERVISOR)
    with loopback_page(browser) as page:
        site.login(page, "sam")
        page.goto(f"{site.base}/officer/cases?reference={case.reference}")
        page.get_by_role("link", name=case.reference).click()
        page.wait_for_url(f"**/officer/cases/{case.id}")
        page.select_option("#risk-new", case.risk or "low")
        page.fill("#risk-reason", "Agreed after speaking to her on the phone")
        page.click("#review-risk")
        page.locator(".notice").filter(has_text="risk review is recorded").wait_for()
        assert "Endorsed by" in page.inner_text("main")
    with site.runtime.sessions() as session:
        review = session.scalars(select(RiskReview).where(RiskReview.case_id == case.id)).one()
    assert (review.decision, review.level) == ("endorsed", case.risk)


def test_every_console_page_passes_axe(browser: Any, site: Site) -> None:
    case = reported(site.runtime, "+447700900302", named=True).case()
    with site.runtime.sessions() as session:
        consent = session.scalars(
            select(Consent).where(Consent.case_id == case.id, Consent.purpose == "referral")
        ).first()
        assert consent is not None
    waiting = Person(site.runtime, address="+447700900303")
    walk_to(waiting, states.WHERE)
    waiting.say("person")
    site.account("ada", Role.SUPERVISOR)
    pages = [
        "/officer/queue",
        "/officer/cases",
        f"/officer/cases/{case.id}",
        f"/officer/cases/{case.id}/referrals/{consent.id}/packet",
        f"/officer/cases/{case.id}/police-packet",
        "/officer/cases/999999",
    ]
    with loopback_page(browser, bypass_csp=True) as page:
        page.goto(f"{site.base}/officer/login")
        for viewport in ({"width": 1280, "height": 800}, {"width": 360, "height": 740}):
            page.set_viewport_size(viewport)
            assert axe_violations(page) == [], ("login", viewport)
        site.login(page, "ada")
        conversation = _conversation_of(site, case.id)
        for path in [*pages, f"/officer/conversations/{conversation}"]:
            page.goto(f"{site.base}{path}")
            for viewport in ({"width": 1280, "height": 800}, {"width": 360, "height": 740}):
                page.set_viewport_size(viewport)
                assert axe_violations(page) == [], (path, viewport)
        # A conversation the officer holds, with the reply forms and ready-made replies.
        page.goto(f"{site.base}/officer/queue")
        page.locator("#waiting tr[data-id] button").first.click()
        page.wait_for_url("**/officer/conversations/**")
        page.locator("#reply-text").wait_for()
        for viewport in ({"width": 1280, "height": 800}, {"width": 360, "height": 740}):
            page.set_viewport_size(viewport)
            assert axe_violations(page) == [], ("held conversation", viewport)


def _conversation_of(site: Site, case_id: int) -> int:
    with site.runtime.sessions() as session:
        found = session.scalars(
            select(Conversation.id).where(Conversation.case_id == case_id)
        ).one()
    return int(found)
