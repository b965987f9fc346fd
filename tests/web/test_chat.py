"""The web chat page over HTTP: sessions, headers, the conversation, quick exit."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from bot import states
from bot.web.chat import COOKIE
from bot.web.page_text import PAGE_TEXT, page_text
from cases import store
from cases.models import Conversation
from content.i18n import available_languages
from tests.channels.conftest import Harness

WEB = Path(__file__).resolve().parents[2] / "bot" / "web"


def fresh_session(h: Harness) -> str:
    h.client.client.cookies.clear()
    response = h.client.get("/chat")
    assert response.status_code == 200
    return str(response.cookies[COOKIE])


def test_page_sets_an_anonymous_strict_http_only_session_cookie(h: Harness) -> None:
    h.client.client.cookies.clear()
    response = h.client.get("/chat")
    cookie = response.headers["set-cookie"]
    assert re.search(rf"{COOKIE}=[A-Za-z0-9_-]{{43}};", cookie)
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert "Max-Age" not in cookie
    assert "expires" not in cookie.lower()
    assert "Secure" in cookie  # the public URL is https


def test_page_headers_keep_nothing_and_allow_nothing_third_party(h: Harness) -> None:
    response = h.client.get("/chat")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp


def test_no_third_party_assets_and_no_browser_storage() -> None:
    for path in [
        WEB / "templates" / "chat.html",
        WEB / "static" / "chat.js",
        WEB / "static" / "chat.css",
    ]:
        text = path.read_text()
        assert not re.search(r"(src|href)=\"(https?:)?//", text), path
        assert "@import" not in text
        assert "localStorage" not in text.replace("nothing is written to localStorage", "")
        assert "sessionStorage" not in text.replace("sessionStorage or IndexedDB", "")


def test_a_message_is_answered_on_the_page(h: Harness) -> None:
    fresh_session(h)
    response = h.client.post("/chat/api/send", json={"text": "Hello, I want to report something"})
    assert response.json() == {"ok": True}
    data = h.client.get("/chat/api/messages?after=0").json()
    kinds = [m["from"] for m in data["messages"]]
    assert kinds[0] == "you"
    assert "bot" in kinds
    assert any("999" in m["text"] for m in data["messages"])
    last = data["messages"][-1]["id"]
    assert h.client.get(f"/chat/api/messages?after={last}").json()["messages"] == []
    for beyond in (2**31, 2**63 - 1, 10**40):  # past any id: nothing new, and no error
        assert h.client.get(f"/chat/api/messages?after={beyond}").json()["messages"] == []


def test_the_page_works_without_script(h: Harness) -> None:
    fresh_session(h)
    response = h.client.post("/chat", data={"text": "Hello, I want to report something"})
    assert response.status_code == 303
    page = h.client.get("/chat").text
    assert "You said:" in page
    assert "TellSafe said:" in page
    assert 'class="choice"' in page


def test_centre_code_is_recorded(h: Harness) -> None:
    token = fresh_session(h)
    page = h.client.get("/chat?centre=NOTTS-LIB-3").text
    assert 'name="centre" value="NOTTS-LIB-3"' in page
    h.client.post("/chat", data={"text": "Hello", "centre": "NOTTS-LIB-3"})
    with h.runtime.sessions() as session:
        address = store.find_address(session, "web", token)
        assert address is not None
        conversation = session.scalars(
            select(Conversation).where(Conversation.address_id == address.id)
        ).one()
        assert conversation.centre == "NOTTS-LIB-3"


def test_bad_centre_codes_are_ignored(h: Harness) -> None:
    fresh_session(h)
    page = h.client.get("/chat?centre=%3Cscript%3E").text
    assert "<script>" not in page
    assert 'name="centre"' not in page


def test_quick_exit_clears_the_session_and_leaves_for_a_neutral_page(h: Harness) -> None:
    fresh_session(h)
    h.client.post("/chat/api/send", json={"text": "Hello"})
    response = h.client.post("/chat/exit")
    assert response.status_code == 303
    assert response.headers["location"] == h.runtime.settings.quick_exit_url
    assert (
        f'{COOKIE}=""' in response.headers["set-cookie"]
        or "Max-Age=0" in response.headers["set-cookie"]
    )
    h.client.client.cookies.clear()
    assert h.client.get("/chat/api/messages?after=0").json()["messages"] == []


def test_quick_exit_pauses_the_report_and_sends_nothing_more(h: Harness) -> None:
    token = fresh_session(h)
    h.client.post("/chat/api/send", json={"text": "Hello, I want to report something"})
    h.client.post("/chat/exit")
    with h.runtime.sessions() as session:
        address = store.find_address(session, "web", token)
        assert address is not None
        conversation = session.scalars(
            select(Conversation).where(Conversation.address_id == address.id)
        ).one()
        assert conversation.state == states.PAUSED
        assert conversation.resume_state is not None


def test_quick_exit_without_a_conversation_creates_nothing(h: Harness) -> None:
    token = fresh_session(h)
    h.client.post("/chat/exit")
    with h.runtime.sessions() as session:
        assert store.find_address(session, "web", token) is None


def test_the_page_speaks_the_browsers_language_until_the_chat_has_one(h: Harness) -> None:
    h.client.client.cookies.clear()
    page = h.client.get("/chat", headers={"accept-language": "pl-PL,pl;q=0.9,en;q=0.5"}).text
    assert '<html lang="pl" dir="ltr">' in page
    assert page_text("pl")["send"] in page
    assert ">Send<" not in page
    page = h.client.get("/chat?lang=ar").text
    assert '<html lang="ar" dir="rtl">' in page
    assert page_text("ar")["quick_exit"] in page
    # Neither a language we do not offer nor a made-up one breaks the page.
    page = h.client.get("/chat?lang=xx", headers={"accept-language": "de-DE"}).text
    assert '<html lang="en" dir="ltr">' in page


def test_the_page_switches_to_the_conversations_language(h: Harness) -> None:
    fresh_session(h)
    h.client.post("/chat/api/send", json={"text": "Dzień dobry, chcę zgłosić atak na mnie"})
    data = h.client.get("/chat/api/messages?after=0&ui=en").json()
    assert data["language"] == "pl"
    assert data["ui"]["text"] == page_text("pl")
    assert data["ui"]["dir"] == "ltr"
    # Once the page shows that language, the words are not sent again.
    assert "ui" not in h.client.get("/chat/api/messages?after=0&ui=pl").json()
    page = h.client.get("/chat").text
    assert '<html lang="pl"' in page


def test_every_page_word_is_translated_in_every_language() -> None:
    english = page_text("en")
    for language in available_languages()[1:]:
        words = page_text(language)
        untranslated = [key for key in PAGE_TEXT if words[key] == english[key]]
        # Brand-only or international words may legitimately match English.
        assert set(untranslated) <= {"conversation", "title"}, (language, untranslated)


def test_only_the_pages_own_assets_are_served(h: Harness) -> None:
    assert h.client.get("/chat/static/chat.js").status_code == 200
    assert h.client.get("/chat/static/chat.css").status_code == 200
    assert h.client.get("/chat/static/..%2Fchat.py").status_code == 404
    assert h.client.get("/chat/static/app.py").status_code == 404


def test_empty_and_malformed_messages_are_refused_quietly(h: Harness) -> None:
    fresh_session(h)
    before = h.count()
    assert h.client.post("/chat/api/send", json={"text": "   "}).status_code == 200
    assert (
        h.client.post(
            "/chat/api/send", content=b"nonsense", headers={"content-type": "application/json"}
        ).status_code
        == 400
    )
    assert h.count() == before


def test_server_timing_is_reported(h: Harness) -> None:
    assert h.client.get("/healthz").headers["server-timing"].startswith("app;dur=")
