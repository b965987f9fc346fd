"""The web chat in real headless Chromium: a full report, quick exit, keyboard, axe."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select

from bot import states
from bot.channels.web import WebChannel
from bot.runtime import Runtime
from bot.web.app import create_app
from bot.web.page_text import page_text
from cases import store
from cases.models import Case, Conversation
from tests.auxil.browser import axe_violations, chromium, loopback_page, needs_chromium
from tests.channels.fakes import free_port, serve_in_thread

pytestmark = [pytest.mark.browser, needs_chromium]

#: Answers along the report, as in the engine tests' happy path.
REPORT = [
    "Hello, I want to report something that happened to me",
    "yes",
    "2",  # usual wording, not Easy Read
    "1",
    "1",
    "A man on the bus shouted at me and pulled at my hijab",
    "last night",
    "the 36 bus in Nottingham NG1 5AA",
    "1",
    "2",
    "because I am Muslim and I wear a hijab",
    "yes",
    "2",
    "3",
    "3",
    "3",
    "yes",
    "no",
    "no",
    "2",
    "yes",
    "4",
]


@pytest.fixture(scope="module")
def site(shared_runtime: Runtime) -> Iterator[tuple[str, Runtime]]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    runtime = replace(
        shared_runtime,
        settings=replace(
            shared_runtime.settings, quick_exit_url=f"{base}/healthz", public_url=base
        ),
    )
    app = create_app(runtime, {"web": WebChannel()}, background=True)
    with serve_in_thread(app, port):
        yield base, runtime


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any, site: tuple[str, Runtime]) -> Iterator[Any]:
    with loopback_page(browser) as opened:
        yield opened


def bot_count(page: Any) -> int:
    return int(page.locator("#log li.bot").count())


def send(page: Any, text: str) -> None:
    before = bot_count(page)
    page.fill("#text", text)
    page.click("#send")
    page.locator("#log li.bot").nth(before).wait_for()


def token_of(page: Any) -> str:
    cookies = page.context.cookies()
    return str(next(c["value"] for c in cookies if c["name"] == "tellsafe_chat"))


def test_a_full_report_through_the_page(page: Any, site: tuple[str, Runtime]) -> None:
    base, runtime = site
    page.goto(f"{base}/chat?centre=LIB-7")
    assert page.locator("label[for=text]").inner_text() == "Your message"
    for answer in REPORT[:2]:
        send(page, answer)
    # Answer the privacy question with its button, as a person would.
    before = bot_count(page)
    page.locator("#options button.choice").first.click()
    page.locator("#log li.bot").nth(before).wait_for()
    for answer in REPORT[3:]:
        send(page, answer)
    token = token_of(page)
    with runtime.sessions() as session:
        address = store.find_address(session, "web", token)
        assert address is not None
        conversation = session.scalars(
            select(Conversation).where(Conversation.address_id == address.id)
        ).one()
        assert conversation.state == states.CLOSED
        case = session.get(Case, conversation.case_id)
        assert case is not None
        assert case.status == "submitted"
        assert case.centre == "LIB-7"
        assert case.channel == "web"
    assert case.reference in page.locator("#log").inner_text()
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0


def test_quick_exit_leaves_and_clears_the_session(page: Any, site: tuple[str, Runtime]) -> None:
    base, _runtime = site
    page.goto(f"{base}/chat")
    send(page, "Hello, I want to report something")
    assert page.locator("#quick-exit").is_visible()
    page.click("#quick-exit")
    page.wait_for_url(f"{base}/healthz")
    assert not any(c["name"] == "tellsafe_chat" for c in page.context.cookies())
    # Back does not bring the conversation back.
    page.go_back()
    page.wait_for_load_state()
    if page.url.startswith(f"{base}/chat"):
        assert bot_count(page) == 0


def test_the_page_switches_to_the_language_the_person_writes_in(
    page: Any, site: tuple[str, Runtime]
) -> None:
    base, _runtime = site
    page.goto(f"{base}/chat")
    assert page.locator("html").get_attribute("lang") == "en"
    send(page, "سلام، میں ایک واقعے کی اطلاع دینا چاہتا ہوں")
    page.wait_for_function("document.documentElement.lang === 'ur'")
    assert page.locator("html").get_attribute("dir") == "rtl"
    words = page_text("ur")
    assert page.locator("#send").inner_text() == words["send"]
    assert page.locator("label[for=text]").inner_text() == words["your_message"]
    assert words["bot_said"] in page.locator("#log li.bot").first.inner_text()


def test_keyboard_only(page: Any, site: tuple[str, Runtime]) -> None:
    base, _runtime = site
    page.goto(f"{base}/chat")
    order = []
    for _ in range(3):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.id"))
    assert order == ["quick-exit", "text", "send"]
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("Hello, I want to report something")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.locator("#log li.bot").nth(0).wait_for()
    page.locator("#options button.choice").first.wait_for()
    assert page.evaluate("document.activeElement.id") == "text"
    # The options come before the text box in the tab order; choose one with the keyboard.
    before = bot_count(page)
    page.keyboard.press("Shift+Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "choice" in focused
    page.keyboard.press("Enter")
    page.locator("#log li.bot").nth(before).wait_for()
    outline = page.evaluate("getComputedStyle(document.querySelector('#text')).outlineStyle")
    assert outline != "none"


def test_no_accessibility_violations(browser: Any, site: tuple[str, Runtime]) -> None:
    base, _runtime = site
    # axe is injected as an inline script, which the page's own policy rightly refuses.
    with loopback_page(browser, bypass_csp=True) as page:
        page.goto(f"{base}/chat")
        send(page, "Hello, I want to report something")
        for viewport in ({"width": 1280, "height": 800}, {"width": 360, "height": 740}):
            page.set_viewport_size(viewport)
            violations = axe_violations(page)
            assert violations == [], violations
