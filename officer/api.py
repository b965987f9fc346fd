"""The JSON API under ``/api``: read-only, bearer tokens, an OpenAPI schema.

A force connects its own systems here (crime recording, performance dashboards). It
is a separate FastAPI application mounted at ``/api``, with its own schema at
``/api/openapi.json`` and its own error handling, so console redirects never reach a
machine client.

What a token reads depends on its scopes (:mod:`officer.api_tokens`): case summaries
carry codes, dates and outcomes; the Home Office flags (strands, religion sub-flag) need
``cases:flags`` and the person's own words ``cases:text``. Contact details are never
served: a force that needs them works through the console, which audits every view.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import date, datetime
from typing import Annotated, Any, Final
from zoneinfo import ZoneInfo

from anyio import to_thread
from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request, Response, Security
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.channels import dbwriter
from bot.runtime import Runtime
from cases.models import MAX_ROW_ID, Case
from officer import api_tokens
from officer.api_tokens import ApiToken
from officer.centre_models import Centre
from officer.centres import link_settings, links_for, list_centres
from officer.profile import (
    Count,
    Period,
    PeriodError,
    Profile,
    Row,
    counted_reports,
    profile_for,
    report_filter,
)

logger = logging.getLogger(__name__)

PREFIX: Final = "/api"
VERSION: Final = "1.0"
MAX_PAGE: Final = 200
#: Dates outside these are mistakes, not reports (and would overflow time arithmetic).
EARLIEST: Final = date(2000, 1, 1)
LATEST: Final = date(2999, 12, 31)
CODE: Final = r"^[A-Za-z0-9_-]{1,32}$"
REFERENCE: Final = r"^TS-[0-9A-Z]{4}-[0-9A-Z]{4}$"


# --- response models ------------------------------------------------------------------


class Problem(BaseModel):
    """An error."""

    detail: str = Field(description="What went wrong, in words.")


class LinksOut(BaseModel):
    """The ways a centre's visitors reach TellSafe with its code."""

    web_chat: str = Field(description="The web chat URL with the centre's code.")
    telegram: str | None = Field(description="The Telegram deep link, when configured.")
    sms_keyword: str = Field(description="The word to text.")
    sms_number: str | None = Field(description="The number to text it to, when known.")


class CentreOut(BaseModel):
    """A registered reporting centre."""

    code: str
    name: str
    area: str
    created: datetime
    links: LinksOut


class CountOut(BaseModel):
    """One labelled count of a breakdown."""

    key: str
    label: str
    count: int


class ShareOut(BaseModel):
    """A part of the reports."""

    key: str
    label: str
    count: int
    total: int
    percent: float | None = Field(description="Null when there are no reports.")


class WeekOut(BaseModel):
    """One week's figures (reports, each flag, repeat, referral, police report)."""

    week_start: date
    counts: dict[str, int]


class SatisfactionOut(BaseModel):
    """Follow-up satisfaction answers (1 very unhappy to 5 very happy)."""

    responses: int
    mean: float | None
    counts: list[CountOut]


class CentreOutcomeOut(BaseModel):
    """What came of the reports one centre sent."""

    code: str
    name: str
    area: str
    registered: bool
    reports: int
    referred: int
    police_reported: int
    handed_off: int
    satisfaction_responses: int
    mean_satisfaction: float | None


class ProfileOut(BaseModel):
    """The problem profile of a period (local dates, both included)."""

    start: date
    end: date
    centre: str | None
    total: int
    weeks: list[WeekOut]
    by_strand: list[CountOut]
    by_religion: list[CountOut]
    by_area: list[CountOut]
    by_channel: list[CountOut]
    by_centre: list[CountOut]
    shares: list[ShareOut]
    satisfaction: SatisfactionOut
    centres: list[CentreOutcomeOut]


class ReferralOut(BaseModel):
    """A referral question and its answer (withdrawn ones are left out)."""

    service: str | None
    consent: bool
    named: bool
    at: datetime


class HandoffOut(BaseModel):
    """The case's latest handoff to an officer."""

    reason: str
    urgent: bool
    status: str
    at: datetime


class FlagsOut(BaseModel):
    """Home Office flags and local strands: special category data (``cases:flags``)."""

    strands: list[str]
    religion: str | None = Field(description="The religion the offender perceived.")


class NarrativeOut(BaseModel):
    """The person's own words: special category free text (``cases:text``)."""

    what_happened: str | None
    occurred: str | None
    location: str | None
    platform: str | None
    why: str | None = Field(description="Their answer to: why do you think it happened?")


class CaseOut(BaseModel):
    """A report, as a force's systems need it, without contact details."""

    reference: str
    status: str
    created_at: datetime
    submitted_at: datetime | None
    occurred_at: datetime | None
    channel: str
    language: str
    centre: str | None
    area: str | None
    reporter_role: str | None
    anonymous: bool
    online: bool
    risk: str | None
    risk_reasons: list[str]
    repeat_victim: bool
    police_report: str | None
    followup_consent: bool
    referrals: list[ReferralOut]
    handoff: HandoffOut | None
    linked_reference: str | None
    flags: FlagsOut | None = Field(description="Present with the cases:flags scope.")
    narrative: NarrativeOut | None = Field(description="Present with the cases:text scope.")


class CasePage(BaseModel):
    """One page of reports, oldest first."""

    items: list[CaseOut]
    next_after: int | None = Field(
        description="Pass as ``after`` for the next page; null on the last page."
    )


# --- authentication -------------------------------------------------------------------

_bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    description="A token from `tellsafe api-token add`, as `Authorization: Bearer <token>`.",
)
_UNAUTHORISED = {"WWW-Authenticate": "Bearer"}
ERRORS: Final[dict[int | str, dict[str, Any]]] = {
    401: {"model": Problem, "description": "No token, or an unknown or revoked one."},
    403: {"model": Problem, "description": "The token lacks the scope this needs."},
}
NOT_FOUND: Final[dict[int | str, dict[str, Any]]] = {
    404: {"model": Problem, "description": "Nothing with that identifier."}
}


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def require_scope(scope: str) -> Callable[..., Awaitable[ApiToken]]:
    """A dependency: the request's live token, which must hold ``scope``."""

    async def dependency(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    ) -> ApiToken:
        if credentials is None:
            raise HTTPException(401, "A bearer token is required.", headers=_UNAUTHORISED)
        runtime = _runtime(request)
        now = runtime.clock.now()

        def check() -> ApiToken | None:
            with runtime.sessions() as session:
                return api_tokens.authenticate(session, credentials.credentials)

        token = await to_thread.run_sync(check)
        if token is None:
            raise HTTPException(
                401,
                "The token is not valid.",
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        if api_tokens.needs_touch(token, now):
            await dbwriter.run(_touch, runtime, token.id, now)
        if scope not in token.scope_set:
            raise HTTPException(
                403,
                f"The token does not have the {scope!r} scope.",
                headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'},
            )
        logger.info("api token %s read %s", token.id, request.url.path)
        return token

    return dependency


def _touch(runtime: Runtime, token_id: int, now: datetime) -> None:
    with runtime.sessions.begin() as session:
        api_tokens.touch(session, token_id, now)


# --- conversion -----------------------------------------------------------------------


def _n(count: Count) -> int:
    # The API serves exact figures: nothing in it is ever suppressed.
    return count or 0


def _counts(rows: tuple[Row, ...]) -> list[CountOut]:
    return [CountOut(key=r.key, label=r.label, count=_n(r.count)) for r in rows]


def profile_out(profile: Profile) -> ProfileOut:
    """The API form of a profile."""
    return ProfileOut(
        start=profile.period.start,
        end=profile.period.end,
        centre=profile.centre,
        total=_n(profile.total),
        weeks=[
            WeekOut(week_start=w.start, counts={k: _n(v) for k, v in w.counts.items()})
            for w in profile.weeks
        ],
        by_strand=_counts(profile.by_strand),
        by_religion=_counts(profile.by_religion),
        by_area=_counts(profile.by_area),
        by_channel=_counts(profile.by_channel),
        by_centre=_counts(profile.by_centre),
        shares=[
            ShareOut(
                key=s.key, label=s.label, count=_n(s.count), total=_n(s.total), percent=s.percent
            )
            for s in profile.shares
        ],
        satisfaction=SatisfactionOut(
            responses=_n(profile.satisfaction_responses),
            mean=profile.mean_satisfaction,
            counts=_counts(profile.satisfaction),
        ),
        centres=[
            CentreOutcomeOut(
                code=o.code,
                name=o.name,
                area=o.area,
                registered=o.registered,
                reports=_n(o.reports),
                referred=_n(o.referred),
                police_reported=_n(o.police_reported),
                handed_off=_n(o.handed_off),
                satisfaction_responses=_n(o.satisfaction_responses),
                mean_satisfaction=o.mean_satisfaction,
            )
            for o in profile.centres
        ],
    )


def case_out(case: Case, scopes: frozenset[str], linked: Mapping[int, str]) -> CaseOut:
    """The API form of a case, with what the token's scopes allow."""
    handoff = case.handoffs[-1] if case.handoffs else None
    return CaseOut(
        reference=case.reference,
        status=case.status,
        created_at=case.created_at,
        submitted_at=case.submitted_at,
        occurred_at=case.occurred_at,
        channel=case.channel,
        language=case.language,
        centre=case.centre,
        area=case.area,
        reporter_role=case.reporter_role,
        anonymous=bool(case.anonymous),
        online=bool(case.online),
        risk=case.risk,
        risk_reasons=list(case.risk_reasons or []),
        repeat_victim=bool(case.repeat_victim),
        police_report=case.police_report,
        followup_consent=bool(case.followup_consent),
        referrals=[
            ReferralOut(service=c.service, consent=c.answer, named=c.named, at=c.at)
            for c in case.consents
            if c.purpose == "referral" and c.withdrawn_at is None
        ],
        handoff=(
            HandoffOut(
                reason=handoff.reason,
                urgent=handoff.urgent,
                status=handoff.status,
                at=handoff.created_at,
            )
            if handoff
            else None
        ),
        linked_reference=linked.get(case.linked_case_id) if case.linked_case_id else None,
        flags=(
            FlagsOut(strands=list(case.motivations or []), religion=case.religion)
            if api_tokens.SCOPE_CASE_FLAGS in scopes
            else None
        ),
        narrative=(
            NarrativeOut(
                what_happened=case.what_happened,
                occurred=case.occurred_text,
                location=case.location,
                platform=case.platform,
                why=case.victim_words,
            )
            if api_tokens.SCOPE_CASE_TEXT in scopes
            else None
        ),
    )


def _centre_out(centre: Centre, request: Request) -> CentreOut:
    app_state = request.app.state
    base = str(request.base_url).rstrip("/").removesuffix(PREFIX)
    links = links_for(
        centre.code, link_settings(app_state.runtime.settings, app_state.channels, base)
    )
    return CentreOut(
        code=centre.code,
        name=centre.name,
        area=centre.area,
        created=centre.created,
        links=LinksOut(
            web_chat=links.web_chat,
            telegram=links.telegram,
            sms_keyword=links.sms_keyword,
            sms_number=links.sms_number,
        ),
    )


def _period(runtime: Runtime, start: date | None, end: date | None) -> Period:
    """The period asked for; by default the twelve weeks up to today (or ``start``)."""
    today = runtime.clock.now().astimezone(ZoneInfo(runtime.settings.timezone)).date()
    if end is None:
        end = today if start is None or start <= today else start
    try:
        return Period(start, end) if start else Period.ending(end)
    except PeriodError as error:
        # The same shape as FastAPI's own 422, so clients handle one kind of error.
        raise RequestValidationError(
            [{"type": "value_error", "loc": ("query", "end"), "msg": str(error), "input": None}]
        ) from error


# --- the application ------------------------------------------------------------------

DateParam = Annotated[date | None, Query(ge=EARLIEST, le=LATEST)]
CentreParam = Annotated[str | None, Query(pattern=CODE, description="A centre's code.")]


def create_api(runtime: Runtime, channels: Mapping[str, Any]) -> FastAPI:
    """The API application, to mount at ``/api``.

    Args:
        runtime: The running TellSafe.
        channels: The configured channels (for the centres' links).

    Returns:
        The application; its schema is at ``/openapi.json`` under the mount.
    """
    api = FastAPI(
        title="TellSafe API",
        version=VERSION,
        summary="Read-only access to reports, the problem profile and reporting centres.",
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
        responses=ERRORS,
    )
    api.state.runtime = runtime
    api.state.channels = dict(channels)

    @api.middleware("http")
    async def no_store(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # Answers carry case data: no cache, shared or private, may keep them.
        response = await call_next(request)
        response.headers["Cache-Control"] = "no-store"
        return response

    @api.get("/centres", response_model=list[CentreOut], tags=["centres"])
    async def get_centres(
        request: Request, _token: Annotated[ApiToken, Depends(require_scope("centres"))]
    ) -> list[CentreOut]:
        """Every registered reporting centre, with its links."""

        def read() -> list[Centre]:
            with runtime.sessions() as session:
                return list_centres(session)

        return [_centre_out(c, request) for c in await to_thread.run_sync(read)]

    @api.get("/centres/{code}", response_model=CentreOut, responses=NOT_FOUND, tags=["centres"])
    async def get_centre(
        request: Request,
        code: Annotated[str, Path(pattern=CODE)],
        _token: Annotated[ApiToken, Depends(require_scope("centres"))],
    ) -> CentreOut:
        """One reporting centre."""

        def read() -> Centre | None:
            with runtime.sessions() as session:
                return session.scalars(select(Centre).where(Centre.code == code)).one_or_none()

        centre = await to_thread.run_sync(read)
        if centre is None:
            raise HTTPException(404, "No centre has that code.")
        return _centre_out(centre, request)

    @api.get("/profile", response_model=ProfileOut, tags=["profile"])
    async def get_profile(
        _token: Annotated[ApiToken, Depends(require_scope("profile"))],
        start: DateParam = None,
        end: DateParam = None,
        centre: CentreParam = None,
    ) -> ProfileOut:
        """The problem profile: reports by week, strand, area, channel and centre.

        Dates are local calendar dates, both included; by default the last twelve weeks.
        A period covers at most 731 days (else 422).
        """
        period = _period(runtime, start, end)

        def read() -> Profile:
            with runtime.sessions() as session:
                return profile_for(session, period, runtime.settings.timezone, centre)

        return profile_out(await to_thread.run_sync(read))

    @api.get("/cases", response_model=CasePage, tags=["cases"])
    async def get_cases(
        token: Annotated[ApiToken, Depends(require_scope("cases"))],
        start: DateParam = None,
        end: DateParam = None,
        centre: CentreParam = None,
        after: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    ) -> CasePage:
        """Reports made in a period, oldest first, a page at a time.

        Reports are submitted cases and drafts an officer was handed (a report cut off
        by a danger handoff still matters). Contact details are never included.
        """
        period = _period(runtime, start, end)
        scopes = token.scope_set

        def read() -> CasePage:
            with runtime.sessions() as session:
                return _case_page(session, runtime, period, centre, after, limit, scopes)

        return await to_thread.run_sync(read)

    @api.get("/cases/{reference}", response_model=CaseOut, responses=NOT_FOUND, tags=["cases"])
    async def get_case(
        reference: Annotated[str, Path(pattern=REFERENCE, description="Like TS-7KQ4-M9XD.")],
        token: Annotated[ApiToken, Depends(require_scope("cases"))],
    ) -> CaseOut:
        """One report, by its reference."""
        scopes = token.scope_set

        def read() -> CaseOut | None:
            with runtime.sessions() as session:
                case = session.scalars(
                    select(Case)
                    .options(selectinload(Case.consents), selectinload(Case.handoffs))
                    .where(Case.reference == reference, counted_reports())
                ).one_or_none()
                if case is None:
                    return None
                return case_out(case, scopes, _linked(session, [case]))

        found = await to_thread.run_sync(read)
        if found is None:
            raise HTTPException(404, "No report has that reference.")
        return found

    return api


def _linked(session: Session, cases: list[Case]) -> dict[int, str]:
    ids = {c.linked_case_id for c in cases if c.linked_case_id}
    if not ids:
        return {}
    return dict(session.execute(select(Case.id, Case.reference).where(Case.id.in_(ids))).tuples())


def _case_page(
    session: Session,
    runtime: Runtime,
    period: Period,
    centre: str | None,
    after: int,
    limit: int,
    scopes: frozenset[str],
) -> CasePage:
    cases = session.scalars(
        select(Case)
        .options(selectinload(Case.consents), selectinload(Case.handoffs))
        .where(*report_filter(period, runtime.settings.timezone, centre), Case.id > after)
        .order_by(Case.id)
        .limit(limit + 1)
    ).all()
    page, more = cases[:limit], len(cases) > limit
    linked = _linked(session, list(page))
    return CasePage(
        items=[case_out(case, scopes, linked) for case in page],
        next_after=page[-1].id if more and page else None,
    )
