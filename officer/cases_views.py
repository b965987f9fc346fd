"""Pages for cases: the list with filters, one case, its corrections, risk and packets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from anyio import to_thread
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.submission import awaits_last_answers
from cases import codes, risk_management, store
from cases.models import Case, Conversation, Handoff
from officer import casework
from officer.auth import CASE_ROLES, Role, require_role, runtime_of, verify_csrf
from officer.conversation_data import add_note, history, notes
from officer.models import Officer
from officer.templating import page, register_nav
from officer.views_common import RowId, back, not_found, notice_of, refused

register_nav("Cases", "/officer/cases", Role.OFFICER, Role.SUPERVISOR)

#: The logged-in officer or supervisor (the roles that work with cases).
CaseWorker = Annotated[Officer, Depends(require_role(*CASE_ROLES))]
#: The logged-in supervisor.
Supervisor = Annotated[Officer, Depends(require_role(Role.SUPERVISOR))]


def _actor(officer: Officer) -> str:
    return f"officer:{officer.id}"


def case_list(request: Request, officer: CaseWorker) -> Response:
    """Search and filter cases."""
    filters = casework.Filters.parse(request.query_params)
    runtime = runtime_of(request)
    with runtime.sessions() as session:
        found = casework.search(session, filters)
        rows = [
            {
                "id": case.id,
                "reference": case.reference,
                "created_at": case.created_at,
                "status": case.status,
                "channel": case.channel,
                "centre": case.centre or "",
                "risk": case.risk or "",
                "repeat": case.repeat_victim,
                "online": case.online,
                "strands": list(case.motivations or []),
            }
            for case in found
        ]
    return page(
        request,
        "cases.html",
        officer,
        rows=rows,
        filters=filters,
        strands=codes.STRANDS,
        risks=codes.RISK_LEVELS,
        limit=casework.SEARCH_LIMIT,
    )


def _case_context(session: Session, case: Case) -> dict[str, Any]:
    conversation = session.scalars(
        select(Conversation).where(Conversation.case_id == case.id)
    ).first()
    handoff = session.scalars(
        select(Handoff).where(Handoff.case_id == case.id).order_by(Handoff.id.desc())
    ).first()
    return {
        "case": case,
        "awaits_last_answers": awaits_last_answers(case, conversation),
        "conversation_id": conversation.id
        if conversation
        else (handoff.conversation_id if handoff else None),
        "history": history(session, case.contact_id, case),
        "notes": notes(session, case_id=case.id),
        "changes": casework.changes(session, case.id),
        "reviews": risk_management.reviews(session, case.id),
        "endorsed": risk_management.endorsed(session, case),
        "plans": risk_management.plans(session, case.id),
        "followups": casework.followups(session, case.id),
        "referrals": casework.referrals(session, case.id),
        "strands": codes.STRANDS,
        "religions": codes.RELIGIONS,
        "roles": codes.REPORTER_ROLES,
        "risks": codes.RISK_LEVELS,
    }


def case_page(case_id: RowId, request: Request, officer: CaseWorker) -> Response:
    """One case: the record, corrections, risk and plan, follow-ups, referrals, notes."""
    runtime = runtime_of(request)
    now = runtime.clock.now()
    with runtime.sessions.begin() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise not_found()
        store.audit(session, _actor(officer), "case.viewed", "case", case.id, now)
        context = _case_context(session, case)
        return page(
            request,
            "case.html",
            officer,
            notice=notice_of(request),
            supervisor=officer.role == Role.SUPERVISOR,
            today=now.date().isoformat(),
            **context,
        )


Action = Callable[[Session, Case, Officer, Any], str]


async def _run(
    request: Request, case_id: RowId, officer: Officer, action: Action, notice: str
) -> Response:
    form = await request.form()
    runtime = runtime_of(request)
    url = f"/officer/cases/{case_id}"

    def work() -> Response:
        try:
            with runtime.sessions.begin() as session:
                case = session.get(Case, case_id)
                if case is None:
                    raise not_found()
                action(session, case, officer, form)
        except (casework.CaseworkError, ValueError) as error:
            return refused(request, str(error), url)
        return back(url, notice)

    return await to_thread.run_sync(work)


def _text(form: Any, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _now(request: Request) -> Any:
    return runtime_of(request).clock.now()


async def edit_flags(case_id: RowId, request: Request, officer: CaseWorker) -> Response:
    """Correct the case's flags, with a reason."""
    now = _now(request)

    def act(session: Session, case: Case, who: Officer, form: Any) -> str:
        wanted = {
            "motivations": [v for v in form.getlist("motivations") if isinstance(v, str)],
            "religion": _text(form, "religion"),
            "online": _text(form, "online") == "yes",
            "repeat_victim": _text(form, "repeat_victim") == "yes",
            "reporter_role": _text(form, "reporter_role"),
        }
        changed = casework.edit_flags(session, case, who, wanted, _text(form, "reason"), now)
        if not changed:
            raise casework.CaseworkError("Nothing was changed.")
        return "saved"

    return await _run(request, case_id, officer, act, "saved")


async def review_risk(case_id: RowId, request: Request, officer: Supervisor) -> Response:
    """A supervisor endorses or changes the risk level, with a reason."""
    now = _now(request)

    def act(session: Session, case: Case, who: Officer, form: Any) -> str:
        risk_management.review_risk(
            session, case, _text(form, "level"), _text(form, "reason"), _actor(who), now
        )
        return "risk"

    return await _run(request, case_id, officer, act, "risk")


async def record_plan(case_id: RowId, request: Request, officer: CaseWorker) -> Response:
    """Record the risk management plan."""
    now = _now(request)

    def act(session: Session, case: Case, who: Officer, form: Any) -> str:
        try:
            review_on = date.fromisoformat(_text(form, "review_on"))
        except ValueError as error:
            raise casework.CaseworkError("Give the review date.") from error
        risk_management.record_plan(
            session,
            case,
            actions=_text(form, "actions"),
            owners=_text(form, "owners"),
            review_on=review_on,
            actor=_actor(who),
            now=now,
        )
        return "plan"

    return await _run(request, case_id, officer, act, "plan")


async def add_case_note(case_id: RowId, request: Request, officer: CaseWorker) -> Response:
    """A note on the case."""
    now = _now(request)

    def act(session: Session, case: Case, who: Officer, form: Any) -> str:
        add_note(session, who, _text(form, "text"), now, case_id=case.id, conversation_id=None)
        return "noted"

    return await _run(request, case_id, officer, act, "noted")


async def cancel_followup(
    case_id: RowId, followup_id: RowId, request: Request, officer: CaseWorker
) -> Response:
    """Cancel a pending check-in."""
    now = _now(request)

    def act(session: Session, case: Case, who: Officer, form: Any) -> str:
        casework.cancel_followup(session, case, followup_id, who, now)
        return "cancelled"

    return await _run(request, case_id, officer, act, "cancelled")


async def withdraw_referral(
    case_id: RowId, consent_id: RowId, request: Request, officer: CaseWorker
) -> Response:
    """Withdraw a referral consent."""
    now = _now(request)

    def act(session: Session, case: Case, who: Officer, form: Any) -> str:
        casework.withdraw_referral(session, case, consent_id, who, now)
        return "withdrawn"

    return await _run(request, case_id, officer, act, "withdrawn")


def referral_packet(
    case_id: RowId, consent_id: RowId, request: Request, officer: CaseWorker
) -> Response:
    """The printable packet for a support service, named or anonymous as consented."""
    runtime = runtime_of(request)
    now = runtime.clock.now()
    url = f"/officer/cases/{case_id}"
    with runtime.sessions.begin() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise not_found()
        try:
            packet = casework.referral_packet(session, case, consent_id)
        except casework.CaseworkError as error:
            return refused(request, str(error), url)
        casework.audit_packet(session, case, officer, "referral", now)
        return page(request, "packet_referral.html", officer, packet=packet, produced=now)


def police_packet(case_id: RowId, request: Request, officer: CaseWorker) -> Response:
    """The printable police report packet, named or anonymous as the person chose."""
    runtime = runtime_of(request)
    now = runtime.clock.now()
    url = f"/officer/cases/{case_id}"
    with runtime.sessions.begin() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise not_found()
        try:
            packet = casework.police_packet(session, case)
        except casework.CaseworkError as error:
            return refused(request, str(error), url)
        casework.audit_packet(session, case, officer, "police", now)
        return page(request, "packet_police.html", officer, packet=packet, produced=now)


def router() -> APIRouter:
    """The case routes (every POST checks CSRF)."""
    csrf = [Depends(verify_csrf)]
    routes = APIRouter(prefix="/officer/cases", include_in_schema=False)
    routes.add_api_route("", case_list, methods=["GET"])
    routes.add_api_route("/{case_id}", case_page, methods=["GET"])
    routes.add_api_route("/{case_id}/flags", edit_flags, methods=["POST"], dependencies=csrf)
    routes.add_api_route("/{case_id}/risk", review_risk, methods=["POST"], dependencies=csrf)
    routes.add_api_route("/{case_id}/plan", record_plan, methods=["POST"], dependencies=csrf)
    routes.add_api_route("/{case_id}/notes", add_case_note, methods=["POST"], dependencies=csrf)
    routes.add_api_route(
        "/{case_id}/followups/{followup_id}/cancel",
        cancel_followup,
        methods=["POST"],
        dependencies=csrf,
    )
    routes.add_api_route(
        "/{case_id}/referrals/{consent_id}/withdraw",
        withdraw_referral,
        methods=["POST"],
        dependencies=csrf,
    )
    routes.add_api_route(
        "/{case_id}/referrals/{consent_id}/packet", referral_packet, methods=["GET"]
    )
    routes.add_api_route("/{case_id}/police-packet", police_packet, methods=["GET"])
    return routes
