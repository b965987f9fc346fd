"""Pages of the handoff queue and the conversation with the person."""

from __future__ import annotations

from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from cases.models import Conversation, Handoff, id_cursor
from officer import handoffs
from officer.auth import CASE_ROLES, Role, require_role, runtime_of, verify_csrf
from officer.conversation_data import add_note, conversation_view, line_json, transcript
from officer.models import Officer
from officer.templating import page, register_nav, waited
from officer.views_common import (
    RowId,
    back,
    not_found,
    notice_of,
    now_of,
    refused,
    wake_sender,
)

register_nav("Handoff queue", "/officer/queue", Role.OFFICER, Role.SUPERVISOR)

#: The logged-in officer or supervisor (the roles that work with cases).
CaseWorker = Annotated[Officer, Depends(require_role(*CASE_ROLES))]
#: The same for background polling, which must not keep an abandoned session alive.
Polling = Annotated[Officer, Depends(require_role(*CASE_ROLES, touch=False))]


def _item_json(item: handoffs.QueueItem, now_text: str) -> dict[str, Any]:
    return {
        "id": item.handoff_id,
        "conversation": item.conversation_id,
        "reference": item.reference or "",
        "reason": item.reason.replace("_", " "),
        "urgent": item.urgent,
        "status": item.status,
        "waited": now_text,
        "waited_seconds": item.waited_seconds,
        "channel": item.channel,
        "language": item.language or "",
        "risk": item.risk or "",
        "holder": item.holder or "",
    }


def _queue_items(request: Request) -> list[handoffs.QueueItem]:
    runtime = runtime_of(request)
    with runtime.sessions() as session:
        return handoffs.queue(session, runtime.clock.now())


def queue_page(request: Request, officer: CaseWorker) -> Response:
    """Waiting handoffs (urgent first, then longest waiting), and those being handled."""
    items = _queue_items(request)
    now = now_of(request)
    return page(
        request,
        "queue.html",
        officer,
        waiting=[i for i in items if i.status == handoffs.OPEN],
        held=[i for i in items if i.status == handoffs.CLAIMED],
        waited=lambda item: waited(item.created_at, now),
        notice=notice_of(request),
    )


def queue_json(request: Request, officer: Polling) -> Response:
    """The same queue for the page's script, which refreshes it without a reload."""
    now = now_of(request)
    items = _queue_items(request)
    return JSONResponse(
        {"handoffs": [_item_json(item, waited(item.created_at, now)) for item in items]}
    )


def claim(handoff_id: RowId, request: Request, officer: CaseWorker) -> Response:
    """Take a waiting handoff and open its conversation."""
    runtime = runtime_of(request)
    try:
        with runtime.sessions.begin() as session:
            handoff = handoffs.claim(session, handoff_id, officer, runtime.clock.now())
            conversation_id = handoff.conversation_id
    except handoffs.HandoffError as error:
        return refused(request, str(error), "/officer/queue")
    return back(f"/officer/conversations/{conversation_id}", "claimed")


def conversation_page(conversation_id: RowId, request: Request, officer: CaseWorker) -> Response:
    """The transcript, the report, risk, history and notes; reply and hand back."""
    runtime = runtime_of(request)
    with runtime.sessions.begin() as session:
        view = conversation_view(session, conversation_id, officer, runtime.clock.now())
        if view is None:
            raise not_found()
        holds = (
            view.handoff is not None
            and view.handoff.status == handoffs.CLAIMED
            and view.handoff.claimed_by == officer.id
        )
        return page(
            request,
            "conversation.html",
            officer,
            view=view,
            holds=holds,
            last_id=view.lines[-1].id if view.lines else 0,
            notice=notice_of(request),
        )


def conversation_messages(conversation_id: RowId, request: Request, officer: Polling) -> Response:
    """New transcript lines after ``after``, for the page's script."""
    after = id_cursor(request.query_params.get("after"))
    runtime = runtime_of(request)
    with runtime.sessions() as session:
        if session.get(Conversation, conversation_id) is None:
            raise not_found()
        lines = transcript(session, conversation_id, after)
    return JSONResponse({"messages": [line_json(line) for line in lines]})


def _conversation_action(
    request: Request, conversation_id: RowId, officer: Officer, action: str, value: str
) -> Response:
    runtime = runtime_of(request)
    url = f"/officer/conversations/{conversation_id}"
    now = runtime.clock.now()
    try:
        with runtime.sessions.begin() as session:
            conversation = session.get(Conversation, conversation_id)
            if conversation is None:
                raise not_found()
            if action == "reply":
                handoffs.reply(session, conversation, officer, value, now)
            elif action == "ready":
                handoffs.send_ready(session, runtime.service, conversation, officer, value, now)
            else:
                add_note(
                    session,
                    officer,
                    value,
                    now,
                    case_id=conversation.case_id,
                    conversation_id=conversation.id,
                )
    except (handoffs.HandoffError, ValueError) as error:
        return refused(request, str(error), url)
    if action == "note":
        return back(url, "noted")
    wake_sender(request)
    return back(url, "sent")


async def _field(request: Request, name: str) -> str:
    form = await request.form()
    value = form.get(name)
    return value if isinstance(value, str) else ""


def reply_route(action: str) -> Any:
    """A POST handler for one conversation action (reply, ready reply, note)."""
    field = {"reply": "text", "ready": "code", "note": "text"}[action]

    async def handler(conversation_id: RowId, request: Request, officer: CaseWorker) -> Response:
        value = await _field(request, field)
        return await to_thread.run_sync(
            _conversation_action, request, conversation_id, officer, action, value
        )

    handler.__name__ = f"conversation_{action}"
    return handler


def finish(handoff_id: RowId, request: Request, officer: Officer, how: str) -> Response:
    """Hand back to the bot or close."""
    runtime = runtime_of(request)
    now = runtime.clock.now()
    try:
        with runtime.sessions.begin() as session:
            handoff = session.get(Handoff, handoff_id)
            if handoff is None:
                raise not_found()
            conversation_id = handoff.conversation_id
            if how == "handback":
                handoffs.hand_back(session, runtime.service, handoff, officer, now)
            else:
                handoffs.close(session, handoff, officer, now)
    except handoffs.HandoffError as error:
        return refused(request, str(error), "/officer/queue")
    if how == "handback":
        wake_sender(request)
    return back(
        f"/officer/conversations/{conversation_id}",
        "handed_back" if how == "handback" else "closed",
    )


def hand_back(handoff_id: RowId, request: Request, officer: CaseWorker) -> Response:
    """Give the conversation back to the bot."""
    return finish(handoff_id, request, officer, "handback")


def close(handoff_id: RowId, request: Request, officer: CaseWorker) -> Response:
    """Close the handoff."""
    return finish(handoff_id, request, officer, "close")


def router() -> APIRouter:
    """The queue and conversation routes (every POST checks CSRF)."""
    csrf = [Depends(verify_csrf)]
    routes = APIRouter(prefix="/officer", include_in_schema=False)
    routes.add_api_route("/queue", queue_page, methods=["GET"])
    routes.add_api_route("/queue.json", queue_json, methods=["GET"])
    routes.add_api_route("/handoffs/{handoff_id}/claim", claim, methods=["POST"], dependencies=csrf)
    routes.add_api_route(
        "/handoffs/{handoff_id}/handback", hand_back, methods=["POST"], dependencies=csrf
    )
    routes.add_api_route("/handoffs/{handoff_id}/close", close, methods=["POST"], dependencies=csrf)
    routes.add_api_route("/conversations/{conversation_id}", conversation_page, methods=["GET"])
    routes.add_api_route(
        "/conversations/{conversation_id}/messages.json", conversation_messages, methods=["GET"]
    )
    for action in ("reply", "ready", "note"):
        routes.add_api_route(
            f"/conversations/{{conversation_id}}/{action}",
            reply_route(action),
            methods=["POST"],
            dependencies=csrf,
        )
    return routes
