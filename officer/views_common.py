"""Helpers shared by the console's page handlers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Final

from anyio import from_thread
from fastapi import HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response

from cases.models import MAX_ROW_ID
from officer.auth import runtime_of
from officer.templating import page

#: A flash message is passed back through the redirect's query string as a code only.
NOTICES: Final = {
    "claimed": "You hold this conversation now. The bot will stay quiet until you hand back.",
    "sent": "Your message is queued to the person on their channel.",
    "noted": "Note saved.",
    "handed_back": "The conversation is back with the bot.",
    "closed": "The handoff is closed.",
    "saved": "Saved.",
    "risk": "The risk review is recorded.",
    "plan": "The management plan is recorded.",
    "cancelled": "The follow-up is cancelled.",
    "withdrawn": "The referral consent is withdrawn.",
}


#: A record's id in a console path: one past the column's range is refused (422), as a
#: query with it would fail (a 500) on PostgreSQL.
RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


def back(url: str, notice: str | None = None) -> RedirectResponse:
    """Redirect after a form (303, so a reload does not post twice)."""
    return RedirectResponse(f"{url}?notice={notice}" if notice else url, status_code=303)


def notice_of(request: Request) -> str | None:
    """The notice to show after a redirect (only the fixed texts above)."""
    return NOTICES.get(request.query_params.get("notice", ""))


def refused(request: Request, message: str, back_to: str) -> Response:
    """A form that could not be carried out: say why, with a way back (409)."""
    officer = getattr(request.state, "officer", None)
    return page(
        request, "error.html", officer, status_code=409, status=409, detail=message, back=back_to
    )


def wake_sender(request: Request) -> None:
    """Tell the outbox sender (in the event loop) that replies are waiting."""
    sender = getattr(request.app.state, "sender", None)
    if sender is not None:
        from_thread.run_sync(sender.wake)


def not_found() -> HTTPException:
    """A 404 for a record that does not exist."""
    return HTTPException(status_code=404, detail="Not found.")


def now_of(request: Request) -> datetime:
    """The runtime clock's current time."""
    return runtime_of(request).clock.now()
