"""The console's Jinja2 templates, the navigation, and rendering a page.

Pages extend ``base.html`` and fill the blocks ``title`` and ``content``. Templates get
``csrf_token(request)`` and ``nav_items(officer)`` as globals; other console modules add
their pages to the navigation with :func:`register_nav`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Final

from fastapi import Request, Response
from fastapi.templating import Jinja2Templates

from cases import codes
from officer.auth import Role, csrf_token
from officer.models import Officer

TEMPLATES_DIR: Final = Path(__file__).with_name("templates")

#: The console's templates (other console modules render through this one too).
templates: Final = Jinja2Templates(directory=str(TEMPLATES_DIR))


@dataclass(frozen=True)
class NavItem:
    """A link in the console's navigation, shown to the roles that may follow it."""

    label: str
    href: str
    roles: frozenset[Role]


_NAV: list[NavItem] = []


def register_nav(label: str, href: str, *roles: Role) -> None:
    """Add a link to the navigation for ``roles`` (each href once)."""
    if any(item.href == href for item in _NAV):
        return
    _NAV.append(NavItem(label, href, frozenset(roles)))


def nav_items(officer: Officer | None) -> list[NavItem]:
    """The links the officer's role may follow, in the order they were registered."""
    if officer is None:
        return []
    role = Role(officer.role)
    return [item for item in _NAV if role in item.roles]


def waited(since: datetime | None, now: datetime) -> str:
    """A short human duration ("3 min", "2 h 5 min", "1 d 4 h") since ``since``."""
    if since is None:
        return ""
    minutes = max(int((now - since) / timedelta(minutes=1)), 0)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def when(moment: datetime | None) -> str:
    """A timestamp as officers read it (UTC, minutes)."""
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else ""


#: What the person said about the police, as the case page says it.
POLICE_ANSWERS: Final = {
    codes.POLICE_NONE: "not to be passed to the police",
    codes.POLICE_ANONYMOUS: "to be passed to the police without their name",
    codes.POLICE_NAMED: "to be passed to the police with their name",
    codes.POLICE_ALREADY: "they reported it to the police themselves",
}


def police(answer: str | None) -> str:
    """The person's police answer in words (a code no version wrote is shown as it is)."""
    return "not answered" if answer is None else POLICE_ANSWERS.get(answer, answer)


templates.env.globals["csrf_token"] = csrf_token
templates.env.globals["nav_items"] = nav_items
templates.env.filters["when"] = when
templates.env.filters["police"] = police


def page(
    request: Request,
    name: str,
    officer: Officer | None,
    status_code: int = 200,
    **context: Any,
) -> Response:
    """Render a console page with the officer (for the navigation) in its context."""
    return templates.TemplateResponse(
        request, name, {"officer": officer, **context}, status_code=status_code
    )
