"""Reporting centres: registering them, their links, their pages and their posters.

Admins register a centre (code, name, area) here or with ``tellsafe centre add``. A
centre's links carry its code into the conversation (the web chat's ``?centre=``, the
Telegram deep link's ``start`` payload), the case records it, and the centre's page
shows what came of the reports it sent. Centre staff see only their own centre, and
only figures with small numbers withheld, never a case.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Final
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

from anyio import to_thread
from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from markupsafe import Markup
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.channels import dbwriter
from bot.config import Settings
from bot.runtime import Runtime
from cases import store
from content.i18n import language_name
from officer.auth import Role, require_role, runtime_of, verify_csrf
from officer.centre_models import CODE_PATTERN, MAX_AREA, MAX_NAME, Centre
from officer.models import Officer
from officer.poster import DEFAULT_LANGUAGES, poster_languages, poster_svg
from officer.profile import DEFAULT_WEEKS, SUPPRESS_BELOW, Period, profile_for, shown
from officer.templating import page, register_nav

logger = logging.getLogger(__name__)

#: The Telegram bot's username, for deep links (``t.me/<username>?start=<code>``).
#: Roles that see every centre; centre staff see their own.
ALL_CENTRES: Final = (Role.OFFICER, Role.SUPERVISOR, Role.ADMIN)
ANY_ROLE: Final = (*ALL_CENTRES, Role.CENTRE_STAFF)


class CentreError(ValueError):
    """A centre that cannot be registered as asked."""


@dataclass(frozen=True)
class LinkSettings:
    """What a centre's links are built from.

    Attributes:
        public_url: The base URL people reach the web chat at.
        telegram_username: The bot's username, when Telegram is set up.
        sms_number: The number people text, when SMS sends from a number.
    """

    public_url: str
    telegram_username: str | None = None
    sms_number: str | None = None


@dataclass(frozen=True)
class CentreLinks:
    """The ways a centre's visitors reach TellSafe with the centre's code.

    Attributes:
        web_chat: The web chat URL with the code.
        telegram: The Telegram deep link, when a bot username is known.
        sms_keyword: The word to text (the code, as SMS keywords are written).
        sms_number: The number to text it to, when known.
    """

    web_chat: str
    telegram: str | None
    sms_keyword: str
    sms_number: str | None


def links_for(code: str, settings: LinkSettings) -> CentreLinks:
    """The links of the centre with ``code``."""
    username = (settings.telegram_username or "").lstrip("@") or None
    return CentreLinks(
        web_chat=f"{settings.public_url.rstrip('/')}/chat?{urlencode({'centre': code})}",
        telegram=f"https://t.me/{quote(username)}?start={quote(code)}" if username else None,
        sms_keyword=code.upper(),
        sms_number=settings.sms_number,
    )


def validate(code: str, name: str, area: str) -> tuple[str, str, str]:
    """Trim and check a centre's fields.

    Raises:
        CentreError: When a field is empty, too long or (the code) not link-safe.
    """
    code, name, area = code.strip(), " ".join(name.split()), " ".join(area.split())
    if not CODE_PATTERN.match(code):
        raise CentreError("The code must be 1 to 32 letters, digits, hyphens or underscores.")
    if not name or len(name) > MAX_NAME:
        raise CentreError(f"The name must be 1 to {MAX_NAME} characters.")
    if not area or len(area) > MAX_AREA:
        raise CentreError(f"The area must be 1 to {MAX_AREA} characters.")
    return code, name, area


def add_centre(
    session: Session, code: str, name: str, area: str, now: datetime, actor: str
) -> Centre:
    """Register a centre.

    Args:
        session: An open transaction.
        code: The code for its links (letters, digits, ``-``, ``_``).
        name: Its name.
        area: Where it is.
        now: The current time.
        actor: Who registers it, for the audit log.

    Returns:
        The new centre.

    Raises:
        CentreError: When a field is not acceptable or the code is taken (in any case:
            ``LIB-7`` and ``lib-7`` on two posters would only confuse).
    """
    code, name, area = validate(code, name, area)
    taken = session.scalar(select(Centre.id).where(func.lower(Centre.code) == code.lower()))
    if taken is not None:
        raise CentreError(f"The code {code} is already registered.")
    centre = Centre(code=code, name=name, area=area, created=now)
    session.add(centre)
    session.flush()
    store.audit(session, actor, "centre.created", "centre", centre.id, now, {"code": code})
    return centre


def find_centre(session: Session, code: str) -> Centre | None:
    """The centre with ``code``, or None."""
    return session.scalars(select(Centre).where(Centre.code == code)).one_or_none()


def list_centres(session: Session) -> list[Centre]:
    """Every centre, by code."""
    return list(session.scalars(select(Centre).order_by(Centre.code)))


def link_settings(settings: Settings, channels: Mapping[str, Any], base_url: str) -> LinkSettings:
    """The link settings of a running application.

    Args:
        settings: The application's settings.
        channels: Its channels, by name.
        base_url: The URL this request reached the application at, used when no public
            URL is configured.

    Returns:
        The link settings.
    """
    username = settings.telegram_bot_username or _running_bot_username(channels)
    return LinkSettings(
        public_url=settings.public_url or base_url.rstrip("/"),
        telegram_username=username,
        sms_number=settings.twilio_from_number if "sms" in channels else None,
    )


def request_links(request: Request) -> LinkSettings:
    """The link settings, for a console page."""
    channels: Mapping[str, Any] = getattr(request.app.state, "channels", {})
    return link_settings(runtime_of(request).settings, channels, str(request.base_url))


def _running_bot_username(channels: Mapping[str, Any]) -> str | None:
    """The username Telegram gave the bot when the channel started, if it has."""
    bot = getattr(channels.get("telegram"), "bot", None)
    try:
        username = getattr(bot, "username", None)
    except RuntimeError:
        # python-telegram-bot raises until the bot has been initialised (get_me).
        return None
    return username if isinstance(username, str) else None


# --- pages ----------------------------------------------------------------------------


def _visible(officer: Officer, code: str) -> bool:
    return Role(officer.role) != Role.CENTRE_STAFF or officer.centre == code


def _threshold(officer: Officer) -> int | None:
    return SUPPRESS_BELOW if Role(officer.role) == Role.CENTRE_STAFF else None


def _centre_or_404(runtime: Runtime, officer: Officer, code: str) -> Centre:
    # Another centre's page is "not found" to centre staff: not even its existence shows.
    if not _visible(officer, code):
        raise HTTPException(status_code=404, detail="No such centre.")
    with runtime.sessions() as session:
        centre = find_centre(session, code)
    if centre is None:
        raise HTTPException(status_code=404, detail="No such centre.")
    return centre


#: The logged-in account of a centre page (module level: FastAPI resolves it by name).
CentreViewer = Annotated[Officer, Depends(require_role(*ANY_ROLE))]
CentreAdmin = Annotated[Officer, Depends(require_role(Role.ADMIN))]


def centres_router() -> APIRouter:
    """The reporting-centre pages under ``/officer/centres``."""
    router = APIRouter(prefix="/officer/centres", include_in_schema=False)
    register_nav("Reporting centres", "/officer/centres", *ANY_ROLE)

    def listing(
        request: Request,
        officer: Officer,
        error: str | None = None,
        form: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Response:
        runtime = runtime_of(request)
        with runtime.sessions() as session:
            centres = [c for c in list_centres(session) if _visible(officer, c.code)]
        settings = request_links(request)
        return page(
            request,
            "centres.html",
            officer,
            status_code=status_code,
            centres=[(c, links_for(c.code, settings)) for c in centres],
            can_add=Role(officer.role) == Role.ADMIN,
            error=error,
            form=form or {},
        )

    @router.get("")
    def index(request: Request, officer: CentreViewer) -> Response:
        return listing(request, officer)

    @router.post("", dependencies=[Depends(verify_csrf)])
    async def create(request: Request, officer: CentreAdmin) -> Response:
        form = await request.form()
        values = {key: str(form.get(key) or "") for key in ("code", "name", "area")}
        runtime = runtime_of(request)

        def write() -> str:
            with runtime.sessions.begin() as session:
                centre = add_centre(
                    session, **values, now=runtime.clock.now(), actor=f"officer:{officer.id}"
                )
                return centre.code

        try:
            code = await dbwriter.run(write)
        except CentreError as error:
            message = str(error)
            return await to_thread.run_sync(lambda: listing(request, officer, message, values, 422))
        logger.info("centre registered by officer %s", officer.id)
        return RedirectResponse(f"/officer/centres/{quote(code)}", status_code=303)

    @router.get("/{code}")
    def detail(request: Request, code: str, officer: CentreViewer) -> Response:
        runtime = runtime_of(request)
        centre = _centre_or_404(runtime, officer, code)
        today = runtime.clock.now().astimezone(ZoneInfo(runtime.settings.timezone)).date()
        period = Period.ending(today)
        with runtime.sessions() as session:
            profile = profile_for(
                session, period, runtime.settings.timezone, centre.code, _threshold(officer)
            )
        return page(
            request,
            "centre.html",
            officer,
            centre=centre,
            links=links_for(centre.code, request_links(request)),
            profile=profile,
            outcome=profile.centres[0] if profile.centres else None,
            weeks=DEFAULT_WEEKS,
            shown=lambda count: shown(count, profile.threshold),
            languages=poster_languages(),
            language_names={code: language_name(code) for code in poster_languages()},
            default_languages=DEFAULT_LANGUAGES,
        )

    @router.get("/{code}/poster")
    def poster_page(request: Request, code: str, officer: CentreViewer) -> Response:
        runtime = runtime_of(request)
        centre = _centre_or_404(runtime, officer, code)
        chosen = _chosen_languages(request)
        links = links_for(centre.code, request_links(request))
        return page(
            request,
            "centre_poster.html",
            officer,
            centre=centre,
            # ElementTree escaped every text in it.
            poster=Markup(poster_svg(centre, links, chosen, standalone=False)),  # noqa: S704
            download=f"/officer/centres/{quote(centre.code)}/poster.svg?"
            + urlencode([("lang", language) for language in chosen]),
        )

    @router.get("/{code}/poster.svg")
    def poster_file(request: Request, code: str, officer: CentreViewer) -> Response:
        runtime = runtime_of(request)
        centre = _centre_or_404(runtime, officer, code)
        links = links_for(centre.code, request_links(request))
        svg = poster_svg(centre, links, _chosen_languages(request))
        return Response(
            svg,
            media_type="image/svg+xml",
            headers={
                "Content-Disposition": f'inline; filename="tellsafe-poster-{centre.code}.svg"',
                "X-Content-Type-Options": "nosniff",
                # The poster is a picture: no script may run in it, opened on its own.
                "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
            },
        )

    return router


def _chosen_languages(request: Request) -> tuple[str, ...]:
    """The poster languages asked for (known ones only), or the default set."""
    asked = [lang for lang in request.query_params.getlist("lang") if lang in poster_languages()]
    return tuple(dict.fromkeys(asked)) or DEFAULT_LANGUAGES
