"""The web chat page: anonymous, accessible, no third-party assets, nothing left behind.

A visitor is an anonymous random token in a session cookie (HttpOnly, SameSite=Strict,
gone when the browser closes), used as the ``web`` channel address. The page works as
plain HTML forms; a small script served from here makes it live (fetch, polling, a live
region). Nothing is written to browser storage, forms have autocomplete off, and every
response says ``no-store`` so neither the cache nor the back button keeps the talk.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

from anyio import to_thread
from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import select
from starlette.background import BackgroundTask

from bot.channels.intake import Intake
from bot.channels.web import NAME
from bot.messages import InboundMessage
from bot.outbox import CANCELLED, FAILED
from bot.runtime import Runtime
from bot.web.page_text import choose_language, direction, page_text
from cases import store
from cases.models import Contact, Conversation, Message, id_cursor
from nlu.parse import EXIT

COOKIE: Final = "tellsafe_chat"
_TOKEN: Final = re.compile(r"^[A-Za-z0-9_-]{43}$")
_CENTRE: Final = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
#: What a person may type in one message; the engine cuts longer ones anyway.
MAX_TEXT: Final = 4000
_HERE: Final = Path(__file__).parent
_STATIC: Final = {
    "chat.js": ("application/javascript", _HERE / "static" / "chat.js"),
    "chat.css": ("text/css", _HERE / "static" / "chat.css"),
}


def _security_headers(response: Response, exit_url: str) -> None:
    exit_origin = "{0.scheme}://{0.netloc}".format(urlsplit(exit_url))
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; base-uri 'none'; frame-ancestors 'none'; "
        f"form-action 'self' {exit_origin}"
    )


def _centre(value: str | None) -> str | None:
    return value if value and _CENTRE.match(value) else None


class ChatRoutes:
    """The chat page's handlers, around one runtime and intake."""

    def __init__(self, runtime: Runtime, intake: Intake) -> None:
        self.runtime = runtime
        self.intake = intake
        self.exit_url = runtime.settings.quick_exit_url
        public = runtime.settings.public_url or ""
        self.secure_cookie = public.startswith("https://")
        self.templates = Jinja2Templates(directory=str(_HERE / "templates"))

    def token(self, request: Request) -> tuple[str, bool]:
        """The visitor's token, and whether it is new."""
        given = request.cookies.get(COOKIE, "")
        if _TOKEN.match(given):
            return given, False
        return secrets.token_urlsafe(32), True

    def finish(self, response: Response, token: str, new: bool) -> Response:
        """Add the cookie (when new) and the security headers."""
        if new:
            # No Max-Age: a session cookie, gone when the browser closes.
            response.set_cookie(
                COOKIE,
                token,
                httponly=True,
                samesite="strict",
                secure=self.secure_cookie,
                path="/chat",
            )
        _security_headers(response, self.exit_url)
        return response

    def known(self, token: str) -> bool:
        """Whether the visitor has talked to the bot (so there is a conversation to pause)."""
        with self.runtime.sessions() as session:
            return store.find_address(session, NAME, token) is not None

    def transcript(self, token: str, after: int = 0) -> tuple[str | None, list[dict[str, Any]]]:
        """The visitor's messages after ``after``, and their language (None: not known yet)."""
        with self.runtime.sessions() as session:
            address = store.find_address(session, NAME, token)
            if address is None:
                return None, []
            conversation = session.scalars(
                select(Conversation).where(Conversation.address_id == address.id)
            ).one_or_none()
            if conversation is None:
                return None, []
            contact = session.get(Contact, conversation.contact_id)
            language = contact.language if contact else None
            rows = session.scalars(
                select(Message)
                .where(Message.conversation_id == conversation.id, Message.id > after)
                .order_by(Message.id)
            ).all()
            return language, [
                {
                    "id": row.id,
                    "from": "you" if row.direction == "in" else "bot",
                    "text": row.text,
                    "choices": [c["label"] for c in row.choices or []],
                }
                for row in rows
                if row.delivery not in (CANCELLED, FAILED)
            ]

    async def accept(self, token: str, text: str, centre: str | None) -> None:
        """Hand one typed message to the engine."""
        text = text.strip()[:MAX_TEXT]
        if not text:
            return
        clock = self.runtime.clock
        await self.intake.accept(
            InboundMessage(
                channel=NAME,
                address=token,
                text=text,
                received_at=clock.now(),
                centre=_centre(centre),
            )
        )

    async def page(self, request: Request) -> Response:
        """The chat page, with the conversation so far (for use without script)."""
        token, new = self.token(request)
        known, messages = await to_thread.run_sync(self.transcript, token)
        language = known or choose_language(
            request.query_params.get("lang"), request.headers.get("accept-language")
        )
        last_bot = next((m for m in reversed(messages) if m["from"] == "bot"), None)
        response = self.templates.TemplateResponse(
            request,
            "chat.html",
            {
                "messages": messages,
                "language": language,
                "dir": direction(language),
                "t": page_text(language),
                "choices": last_bot["choices"] if last_bot else [],
                "last_id": messages[-1]["id"] if messages else 0,
                "centre": _centre(request.query_params.get("centre")),
                "exit_url": self.exit_url,
            },
        )
        return self.finish(response, token, new)

    async def post_form(self, request: Request) -> Response:
        """A message sent without script: handle it, then show the page again."""
        token, new = self.token(request)
        form = await request.form()
        centre = str(form.get("centre") or "") or None
        await self.accept(token, str(form.get("text") or ""), centre)
        response = RedirectResponse("/chat", status_code=303)
        return self.finish(response, token, new)

    async def post_api(self, request: Request) -> Response:
        """A message sent by the page's script."""
        token, new = self.token(request)
        try:
            data = await request.json()
        except ValueError:
            data = None
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            return self.finish(JSONResponse({"ok": False}, status_code=400), token, new)
        centre = data.get("centre") if isinstance(data.get("centre"), str) else None
        await self.accept(token, data["text"], centre)
        return self.finish(JSONResponse({"ok": True}), token, new)

    async def messages(self, request: Request) -> Response:
        """New messages since ``after``, for the page's script."""
        token, new = self.token(request)
        after = id_cursor(request.query_params.get("after"))
        language, messages = await to_thread.run_sync(self.transcript, token, after)
        payload: dict[str, Any] = {"language": language, "messages": messages}
        if language and language != request.query_params.get("ui"):
            # The conversation's language has settled on another than the page's: send
            # the page's words in it, so the page switches without a reload.
            payload["ui"] = {"dir": direction(language), "text": page_text(language)}
        return self.finish(JSONResponse(payload), token, new)

    async def quick_exit(self, request: Request) -> Response:
        """Forget the session and go to a neutral page; then pause its report."""
        response = RedirectResponse(self.exit_url, status_code=303)
        response.delete_cookie(COOKIE, path="/chat", httponly=True, samesite="strict")
        response.headers["Clear-Site-Data"] = '"cache", "storage"'
        _security_headers(response, self.exit_url)
        given = request.cookies.get(COOKIE, "")
        if _TOKEN.match(given) is not None:
            # After the response: leaving must not wait for the engine's turn.
            response.background = BackgroundTask(self.pause, given)
        return response

    async def pause(self, token: str) -> None:
        """Pause the visitor's report like a typed "exit".

        The report is kept for an officer, and nothing more is sent to a page nobody may
        be watching.
        """
        if not await to_thread.run_sync(self.known, token):
            return
        await self.intake.accept(
            InboundMessage(
                channel=NAME,
                address=token,
                text="",
                received_at=self.runtime.clock.now(),
                command=EXIT,
            )
        )

    async def static(self, name: str) -> Response:
        """The page's own script and style sheet (no third-party assets)."""
        if name not in _STATIC:
            return Response(status_code=404)
        media_type, path = _STATIC[name]
        response = FileResponse(path, media_type=media_type)
        response.headers["Cache-Control"] = "no-cache"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def chat_router(runtime: Runtime, intake: Intake) -> APIRouter:
    """The web chat routes under ``/chat``."""
    routes = ChatRoutes(runtime, intake)
    router = APIRouter()
    router.add_api_route("/chat", routes.page, methods=["GET"], include_in_schema=False)
    router.add_api_route("/chat", routes.post_form, methods=["POST"], include_in_schema=False)
    router.add_api_route(
        "/chat/api/send", routes.post_api, methods=["POST"], include_in_schema=False
    )
    router.add_api_route(
        "/chat/api/messages", routes.messages, methods=["GET"], include_in_schema=False
    )
    router.add_api_route("/chat/exit", routes.quick_exit, methods=["POST"], include_in_schema=False)
    router.add_api_route(
        "/chat/static/{name}", routes.static, methods=["GET"], include_in_schema=False
    )
    return router
