"""The web chat page over HTTP: sessions, headers, the conversation, quick exit."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from bot.web.chat import COOKIE
from cases import store
from cases.models import Conversation
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
