"""Mounting the officer console: login, logout, the home page, static files, headers.

Every console page lives under ``/officer``. Responses there are never cached (they
carry case data), may not be framed, and run only the console's own script and style.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Final
from urllib.parse import urlsplit

from anyio import to_thread
from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from officer import auth
from officer.auth import (
    CASE_ROLES,
    LOGIN_COOKIE,
    LOGIN_PATH,
    SESSION_COOKIE,
    LoginRequired,
    Role,
    require_role,
    runtime_of,
    verify_csrf,
)
from officer.models import Officer
from officer.templating import nav_items, page

PREFIX: Final = "/officer"
_STATIC_DIR: Final = Path(__file__).with_name("static")
_STATIC: Final = {
    "console.css": "text/css",
    "console.js": "application/javascript",
}
_HEADERS: Final = (
    (b"cache-control", b"no-store"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        b"connect-src 'self'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    ),
)


class ConsoleHeaders:
    """Adds the console's security headers to every response under ``/officer``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to console responses."""
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if not (path == PREFIX or path.startswith(PREFIX + "/")):
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in _HEADERS if name not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


def _secure(request: Request) -> bool:
    public = runtime_of(request).settings.public_url or ""
    return public.startswith("https://")


def _safe_next(target: str | None) -> str:
    """Only a path inside the console: never an open redirect elsewhere."""
    if not target:
        return PREFIX
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith(PREFIX) or "\\" in target:
        return PREFIX
    return target


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _login_required(request: Request, _error: Exception) -> Response:
    wants_json = "application/json" in request.headers.get("accept", "")
    if wants_json or request.method != "GET":
        response: Response = JSONResponse({"detail": "login required"}, status_code=401)
    else:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        response = RedirectResponse(f"{LOGIN_PATH}?next={_safe_next(target)}", status_code=303)
    if request.cookies.get(SESSION_COOKIE):
        response.delete_cookie(SESSION_COOKIE, path="/", samesite="strict", httponly=True)
    return response


async def _http_error(request: Request, error: Exception) -> Response:
    """Console errors as pages; everywhere else FastAPI's own JSON."""
    assert isinstance(error, StarletteHTTPException)
    path = request.url.path
    json_wanted = "application/json" in request.headers.get("accept", "")
    if not path.startswith(PREFIX) or json_wanted:
        return await http_exception_handler(request, error)
    officer = getattr(request.state, "officer", None)
    return page(
        request,
        "error.html",
        officer,
        status_code=error.status_code,
        status=error.status_code,
        detail=error.detail,
    )


def _login_page(request: Request, error: str | None = None, status_code: int = 200) -> Response:
    response = page(
        request,
        "login.html",
        None,
        status_code=status_code,
        error=error,
        next=_safe_next(request.query_params.get("next")),
    )
    fresh = getattr(request.state, "login_csrf", None)
    if fresh:
        response.set_cookie(
            LOGIN_COOKIE,
            fresh,
            httponly=True,
            samesite="strict",
            secure=_secure(request),
            path=LOGIN_PATH,
        )
    return response


def login_form(request: Request) -> Response:
    """The login page: username, password and the authenticator code."""
    return _login_page(request)


async def login_submit(request: Request) -> Response:
    """Check the credentials; start a session and go on, or show the page again."""
    await verify_csrf(request)
    form = await request.form()
    username = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    code = str(form.get("code") or "")
    runtime = runtime_of(request)

    def attempt() -> auth.LoginResult:
        with runtime.sessions.begin() as session:
            return auth.login(
                session, username, password, code, _client(request), runtime.clock.now()
            )

    result = await to_thread.run_sync(attempt)
    if result.limited:
        return _login_page(request, "Too many failed attempts. Wait 15 minutes and try again.", 429)
    if result.token is None:
        return _login_page(request, "The username, password or code is not right.", 400)
    target = _safe_next(str(form.get("next") or ""))
    response = RedirectResponse(target, status_code=303)
    # No Max-Age: a browser session cookie; the server ends it sooner by its timeouts.
    response.set_cookie(
        SESSION_COOKIE,
        result.token,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path=LOGIN_PATH, httponly=True, samesite="strict")
    return response


def logout(request: Request) -> Response:
    """End the session everywhere it could be used."""
    token = request.cookies.get(SESSION_COOKIE, "")
    runtime = runtime_of(request)
    if token:
        with runtime.sessions.begin() as session:
            auth.end_session(session, token, runtime.clock.now())
    response = RedirectResponse(LOGIN_PATH, status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="strict")
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


def home(request: Request, officer: Annotated[Officer, Depends(require_role())]) -> Response:
    """The console's front page: where this role can go."""
    if Role(officer.role) in CASE_ROLES:
        return RedirectResponse(f"{PREFIX}/queue", status_code=303)  # the work comes first
    items = nav_items(officer)
    if items:
        return RedirectResponse(items[0].href, status_code=303)
    return page(request, "home.html", officer)


def static(name: str) -> Response:
    """The console's own style sheet and script."""
    if name not in _STATIC:
        raise HTTPException(status_code=404)
    response = FileResponse(_STATIC_DIR / name, media_type=_STATIC[name])
    response.headers["Cache-Control"] = "no-cache"
    return response


def console_router() -> APIRouter:
    """Login, logout, the home page and static files."""
    router = APIRouter(prefix=PREFIX, include_in_schema=False)
    router.add_api_route("", home, methods=["GET"])
    router.add_api_route("/", home, methods=["GET"])
    router.add_api_route("/login", login_form, methods=["GET"])
    router.add_api_route("/login", login_submit, methods=["POST"])
    router.add_api_route("/logout", logout, methods=["POST"], dependencies=[Depends(verify_csrf)])
    router.add_api_route("/static/{name}", static, methods=["GET"])
    return router


def mount_console(app: FastAPI) -> None:
    """Add the console (this package's pages) to the web application.

    The runtime must already be on ``app.state.runtime``.
    """
    # Imported here: the page modules register their navigation links on import.
    from officer import cases_views, queue_views  # noqa: PLC0415

    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.include_router(console_router())
    app.include_router(queue_views.router())
    app.include_router(cases_views.router())
    app.add_middleware(ConsoleHeaders)


__all__ = ["PREFIX", "Role", "mount_console"]
