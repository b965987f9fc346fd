"""The problem profile: what was reported, when, where, how, and what came of it.

Strands are sealed (special category data), so SQL cannot group by them: the reports in
a period are read once as :class:`ReportFacts` (a few codes each, never free text) and
counted here. A force takes a few thousand hate crime reports a year, so this is cheap.

Figures for reporting-centre staff go through :func:`suppress`: counts of 1 or 2 (below
:data:`SUPPRESS_BELOW`) are withheld, as are shares and averages built on them, so a
small centre's figures cannot single out a visitor.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Annotated, Final
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import Session, selectinload

from bot.runtime import Runtime
from cases import codes, store
from cases.export import case_record
from cases.models import Case, Consent, FollowUp, Handoff
from officer.auth import CASE_ROLES, Role, require_role, runtime_of
from officer.centre_models import Centre
from officer.models import Officer
from officer.templating import page, register_nav

#: Counts from 1 up to this (exclusive) are withheld in centre-staff views.
SUPPRESS_BELOW: Final = 3
#: The longest period one profile covers (charts stay legible, queries bounded).
MAX_DAYS: Final = 731
#: The period a profile covers when none is asked for.
DEFAULT_WEEKS: Final = 12
#: Areas beyond this many are summed into one row.
MAX_AREAS: Final = 20

#: A count, or None where a small number is withheld.
Count = int | None

STRAND_LABELS: Final = {
    codes.RACE: "Race",
    codes.RELIGION: "Religion or belief",
    codes.SEXUAL_ORIENTATION: "Sexual orientation",
    codes.DISABILITY: "Disability",
    codes.TRANSGENDER: "Transgender identity",
    codes.SEX_GENDER: "Sex or gender",
    codes.ALTERNATIVE_SUBCULTURE: "Alternative sub-culture",
    codes.AGE: "Age",
}
RELIGION_LABELS: Final = {
    "christian": "Christian",
    "buddhist": "Buddhist",
    "hindu": "Hindu",
    "jewish": "Jewish",
    "muslim": "Muslim",
    "sikh": "Sikh",
    "other": "Other",
    "none": "No religion",
    "unknown": "Unknown",
}
CHANNEL_LABELS: Final = {"sms": "SMS", "telegram": "Telegram", "web": "Web chat"}
NO_STRAND: Final = "not_stated"
NO_STRAND_LABEL: Final = "Not stated"
NO_CENTRE: Final = "none"
NO_CENTRE_LABEL: Final = "No centre (came directly)"
UNKNOWN_AREA: Final = "Unknown"
OTHER_AREAS: Final = "Other areas"

#: Home Office flag columns (monitored strands, the religion sub-flag, cyber-enabled),
#: then the locally recorded strands, as the CSV names them.
HOME_OFFICE_FLAGS: Final = tuple(f"flag_{strand}" for strand in codes.MONITORED_STRANDS)
LOCAL_FLAGS: Final = tuple(f"local_{strand}" for strand in codes.LOCAL_STRANDS)
CYBER_FLAG: Final = "flag_cyber_enabled"
#: The weekly figures, in CSV column order.
WEEKLY_MEASURES: Final = (
    "reports",
    *HOME_OFFICE_FLAGS,
    CYBER_FLAG,
    *LOCAL_FLAGS,
    "repeat_victim",
    "referral_consented",
    "police_report",
)


class PeriodError(ValueError):
    """A period that cannot be profiled (reversed or too long)."""


@dataclass(frozen=True)
class Period:
    """Local calendar dates, both included.

    Attributes:
        start: The first day.
        end: The last day.
    """

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodError("the end date is before the start date")
        if (self.end - self.start).days >= MAX_DAYS:
            raise PeriodError(f"a profile covers at most {MAX_DAYS} days")

    @classmethod
    def ending(cls, today: date, weeks: int = DEFAULT_WEEKS) -> Period:
        """The ``weeks`` whole weeks up to and including ``today``."""
        return cls(today - timedelta(days=7 * weeks - 1), today)

    def bounds(self, timezone: str) -> tuple[datetime, datetime]:
        """The period as a half-open range of aware times (local midnights)."""
        zone = ZoneInfo(timezone)
        return (
            datetime.combine(self.start, time(), zone),
            datetime.combine(self.end + timedelta(days=1), time(), zone),
        )

    def weeks(self) -> tuple[date, ...]:
        """The Monday of every week the period touches."""
        first = week_of(self.start)
        count = (week_of(self.end) - first).days // 7 + 1
        return tuple(first + timedelta(weeks=n) for n in range(count))


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class ReportFacts:
    """What the profile counts about one report: codes and yes/no answers only."""

    day: date
    channel: str
    centre: str | None
    area: str | None
    online: bool
    repeat: bool
    strands: tuple[str, ...]
    religion: str | None
    referred: bool
    police_reported: bool
    handed_off: bool
    satisfaction: tuple[int, ...] = ()


@dataclass(frozen=True)
class Row:
    """One labelled figure of a breakdown."""

    key: str
    label: str
    count: Count


@dataclass(frozen=True)
class Share:
    """A part of the reports, such as those flagged online."""

    key: str
    label: str
    count: Count
    total: Count

    @property
    def percent(self) -> float | None:
        """The share in percent, or None when withheld or there is nothing to divide."""
        if self.count is None or not self.total:
            return None
        return 100.0 * self.count / self.total


@dataclass(frozen=True)
class Week:
    """The figures of one week, by measure (see :data:`WEEKLY_MEASURES`)."""

    start: date
    counts: Mapping[str, Count]


@dataclass(frozen=True)
class CentreOutcome:
    """What came of the reports one centre sent."""

    code: str
    name: str
    area: str
    registered: bool
    reports: Count
    referred: Count
    police_reported: Count
    handed_off: Count
    satisfaction_responses: Count
    mean_satisfaction: float | None


@dataclass(frozen=True)
class Profile:
    """The problem profile of one period, for everyone or for one centre.

    Attributes:
        period: The dates covered.
        centre: The centre the figures are limited to, or None for all reports.
        threshold: The suppression threshold applied, or None for exact figures.
        total: How many reports.
        weeks: The weekly figures.
        by_strand: Reports by strand (a report can have several).
        by_religion: Reports by the religion the offender perceived.
        by_area: Reports by postcode district.
        by_channel: Reports by channel.
        by_centre: Reports by reporting centre.
        shares: Online, repeat, referral and police-report shares.
        satisfaction: Follow-up satisfaction answers, 1 to 5.
        satisfaction_responses: How many answers.
        mean_satisfaction: Their mean.
        centres: Each centre's reports and outcomes.
    """

    period: Period
    centre: str | None
    threshold: int | None
    total: Count
    weeks: tuple[Week, ...]
    by_strand: tuple[Row, ...]
    by_religion: tuple[Row, ...]
    by_area: tuple[Row, ...]
    by_channel: tuple[Row, ...]
    by_centre: tuple[Row, ...]
    shares: tuple[Share, ...]
    satisfaction: tuple[Row, ...]
    satisfaction_responses: Count
    mean_satisfaction: float | None
    centres: tuple[CentreOutcome, ...] = field(default=())


# --- reading --------------------------------------------------------------------------


def counted_reports() -> ColumnElement[bool]:
    """Which cases are reports: submitted ones, and drafts an officer was handed.

    A draft abandoned after "hello" is not a report; one cut off by a danger handoff is.
    """
    return or_(Case.status == "submitted", exists().where(Handoff.case_id == Case.id))


def report_filter(
    period: Period, timezone: str, centre: str | None = None
) -> list[ColumnElement[bool]]:
    """The WHERE clauses of the reports made in ``period`` (through ``centre``)."""
    since, until = period.bounds(timezone)
    clauses = [counted_reports(), Case.created_at >= since, Case.created_at < until]
    if centre is not None:
        clauses.append(Case.centre == centre)
    return clauses


def load_facts(
    session: Session, period: Period, timezone: str, centre: str | None = None
) -> list[ReportFacts]:
    """Read the facts of every report made in ``period``.

    Args:
        session: An open session.
        period: The local dates.
        timezone: The deployment's time zone (days and weeks are local).
        centre: Only reports through this centre, when given.

    Returns:
        One :class:`ReportFacts` per report, oldest first.
    """
    referred = exists().where(
        Consent.case_id == Case.id,
        Consent.purpose == "referral",
        Consent.answer.is_(True),
        Consent.withdrawn_at.is_(None),
    )
    handed = exists().where(Handoff.case_id == Case.id)
    where = report_filter(period, timezone, centre)
    rows = session.execute(
        select(
            Case.id,
            Case.created_at,
            Case.channel,
            Case.centre,
            Case.area,
            Case.online,
            Case.repeat_victim,
            Case.motivations,
            Case.religion,
            Case.police_report,
            referred.label("referred"),
            handed.label("handed"),
        )
        .where(*where)
        .order_by(Case.created_at, Case.id)
    ).all()
    answers = satisfaction_answers(session, where)
    zone = ZoneInfo(timezone)
    return [
        ReportFacts(
            day=row.created_at.astimezone(zone).date(),
            channel=row.channel,
            centre=row.centre,
            area=row.area,
            online=bool(row.online),
            repeat=bool(row.repeat_victim),
            strands=tuple(s for s in row.motivations or () if s in STRAND_LABELS),
            religion=row.religion,
            referred=bool(row.referred),
            police_reported=row.police_report in codes.POLICE_KNOW,
            handed_off=bool(row.handed),
            satisfaction=tuple(answers.get(row.id, ())),
        )
        for row in rows
    ]


def satisfaction_answers(
    session: Session, where: Sequence[ColumnElement[bool]]
) -> dict[int, list[int]]:
    """The check-in satisfaction answers (1-5) of the reports ``where`` selects, by case."""
    answers: dict[int, list[int]] = {}
    for case_id, score in session.execute(
        select(FollowUp.case_id, FollowUp.satisfaction)
        .join(Case, Case.id == FollowUp.case_id)
        .where(*where, FollowUp.satisfaction.is_not(None))
        .order_by(FollowUp.id)
    ):
        if score is not None:
            answers.setdefault(case_id, []).append(score)
    return answers


def load_centres(session: Session) -> list[Centre]:
    """Every registered centre, by code."""
    return list(session.scalars(select(Centre).order_by(Centre.code)))


# --- counting -------------------------------------------------------------------------


def _week_counts(facts: Sequence[ReportFacts]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for fact in facts:
        counts["reports"] += 1
        for strand in fact.strands:
            prefix = "flag" if strand in codes.MONITORED_STRANDS else "local"
            counts[f"{prefix}_{strand}"] += 1
        counts[CYBER_FLAG] += fact.online
        counts["repeat_victim"] += fact.repeat
        counts["referral_consented"] += fact.referred
        counts["police_report"] += fact.police_reported
    return counts


def _mean(scores: Sequence[int]) -> float | None:
    return sum(scores) / len(scores) if scores else None


def _outcome(
    code: str, name: str, area: str, registered: bool, facts: Sequence[ReportFacts]
) -> CentreOutcome:
    scores = [score for fact in facts for score in fact.satisfaction]
    return CentreOutcome(
        code=code,
        name=name,
        area=area,
        registered=registered,
        reports=len(facts),
        referred=sum(f.referred for f in facts),
        police_reported=sum(f.police_reported for f in facts),
        handed_off=sum(f.handed_off for f in facts),
        satisfaction_responses=len(scores),
        mean_satisfaction=_mean(scores),
    )


def build_profile(
    facts: Sequence[ReportFacts],
    period: Period,
    centres: Iterable[Centre] = (),
    centre: str | None = None,
) -> Profile:
    """Count the facts into a profile (exact figures; see :func:`suppress`).

    Args:
        facts: The reports of the period, as :func:`load_facts` reads them.
        period: The period they cover.
        centres: The registered centres, to name codes and list centres with no reports.
        centre: The centre the facts were limited to, if any: only it is listed.

    Returns:
        The profile.
    """
    known = {c.code: c for c in centres if centre is None or c.code == centre}
    total = len(facts)

    by_week: dict[date, list[ReportFacts]] = {}
    for fact in facts:
        by_week.setdefault(week_of(fact.day), []).append(fact)
    weeks = []
    for monday in period.weeks():
        counted = _week_counts(by_week.get(monday, []))
        weeks.append(Week(monday, {measure: counted[measure] for measure in WEEKLY_MEASURES}))

    strands = Counter(s for f in facts for s in f.strands)
    by_strand = [Row(s, label, strands[s]) for s, label in STRAND_LABELS.items()]
    by_strand.append(Row(NO_STRAND, NO_STRAND_LABEL, sum(1 for f in facts if not f.strands)))

    religions = Counter(f.religion for f in facts if codes.RELIGION in f.strands)
    by_religion = [
        Row(code, label, religions[code])
        for code, label in RELIGION_LABELS.items()
        if religions[code]
    ]
    unrecorded = sum(n for code, n in religions.items() if code not in RELIGION_LABELS)
    if unrecorded:
        by_religion.append(Row("not_recorded", "Not recorded", unrecorded))

    areas = Counter(f.area or UNKNOWN_AREA for f in facts).most_common()
    by_area = [Row(a, a, n) for a, n in areas[:MAX_AREAS]]
    if len(areas) > MAX_AREAS:
        by_area.append(Row(OTHER_AREAS, OTHER_AREAS, sum(n for _, n in areas[MAX_AREAS:])))

    channels = Counter(f.channel for f in facts)
    by_channel = [Row(c, CHANNEL_LABELS.get(c, c), channels[c]) for c in codes.CHANNELS]
    by_channel += [Row(c, c, n) for c, n in sorted(channels.items()) if c not in codes.CHANNELS]

    per_centre: dict[str, list[ReportFacts]] = {code: [] for code in known}
    direct = []
    for fact in facts:
        if fact.centre is None:
            direct.append(fact)
        else:
            per_centre.setdefault(fact.centre, []).append(fact)
    outcomes = [
        _outcome(
            code,
            known[code].name if code in known else code,
            known[code].area if code in known else "",
            code in known,
            listed,
        )
        for code, listed in sorted(per_centre.items())
    ]
    by_centre = [Row(o.code, o.name, o.reports) for o in outcomes]
    if centre is None:
        by_centre.append(Row(NO_CENTRE, NO_CENTRE_LABEL, len(direct)))

    scores = [score for fact in facts for score in fact.satisfaction]
    answered = Counter(scores)
    return Profile(
        period=period,
        centre=centre,
        threshold=None,
        total=total,
        weeks=tuple(weeks),
        by_strand=tuple(by_strand),
        by_religion=tuple(by_religion),
        by_area=tuple(by_area),
        by_channel=tuple(by_channel),
        by_centre=tuple(by_centre),
        shares=(
            Share("online", "Online (cyber-enabled)", sum(f.online for f in facts), total),
            Share("repeat", "Repeat victims", sum(f.repeat for f in facts), total),
            Share("referral", "Referred to support", sum(f.referred for f in facts), total),
            Share("police", "Reported to the police", sum(f.police_reported for f in facts), total),
        ),
        satisfaction=tuple(Row(str(n), str(n), answered[n]) for n in range(1, 6)),
        satisfaction_responses=len(scores),
        mean_satisfaction=_mean(scores),
        centres=tuple(outcomes),
    )


def profile_for(
    session: Session,
    period: Period,
    timezone: str,
    centre: str | None = None,
    threshold: int | None = None,
) -> Profile:
    """Read and count the profile of ``period``, suppressed when ``threshold`` is given."""
    facts = load_facts(session, period, timezone, centre)
    built = build_profile(facts, period, load_centres(session), centre)
    return suppress(built, threshold) if threshold else built


# --- suppression ----------------------------------------------------------------------


def small(count: Count, threshold: int) -> Count:
    """``count``, or None when it is a small number that could identify someone."""
    if count is None or 0 < count < threshold:
        return None
    return count


def _rows(rows: Iterable[Row], threshold: int) -> tuple[Row, ...]:
    return tuple(replace(row, count=small(row.count, threshold)) for row in rows)


def suppress(profile: Profile, threshold: int = SUPPRESS_BELOW) -> Profile:
    """Withhold every count from 1 to ``threshold - 1``, and what is built on them.

    Zero is shown: "no reports" identifies nobody. A share is withheld when its part or
    its whole is; a mean when it rests on fewer than ``threshold`` answers or reports.
    """
    total = small(profile.total, threshold)
    responses = small(profile.satisfaction_responses, threshold)
    return replace(
        profile,
        threshold=threshold,
        total=total,
        weeks=tuple(
            Week(w.start, {k: small(v, threshold) for k, v in w.counts.items()})
            for w in profile.weeks
        ),
        by_strand=_rows(profile.by_strand, threshold),
        by_religion=_rows(profile.by_religion, threshold),
        by_area=_rows(profile.by_area, threshold),
        by_channel=_rows(profile.by_channel, threshold),
        by_centre=_rows(profile.by_centre, threshold),
        shares=tuple(
            replace(s, count=small(s.count, threshold), total=total) for s in profile.shares
        ),
        satisfaction=_rows(profile.satisfaction, threshold),
        satisfaction_responses=responses,
        # A mean of few people's answers, or of few people, could be read back to them.
        mean_satisfaction=profile.mean_satisfaction if responses and total else None,
        centres=tuple(
            replace(
                o,
                reports=small(o.reports, threshold),
                referred=small(o.referred, threshold),
                police_reported=small(o.police_reported, threshold),
                handed_off=small(o.handed_off, threshold),
                satisfaction_responses=small(o.satisfaction_responses, threshold),
                mean_satisfaction=(
                    o.mean_satisfaction
                    if small(o.satisfaction_responses, threshold) and small(o.reports, threshold)
                    else None
                ),
            )
            for o in profile.centres
        ),
    )


def shown(count: Count, threshold: int | None = SUPPRESS_BELOW) -> str:
    """A count as a page or CSV shows it."""
    if count is None:
        return f"fewer than {threshold or SUPPRESS_BELOW}"
    return str(count)


# --- CSV ------------------------------------------------------------------------------

#: Columns of the case-level CSV: codes and flags only, never free text or contacts.
CASE_COLUMNS: Final = (
    "reference",
    "created_at",
    "week",
    "status",
    "channel",
    "language",
    "centre",
    "area",
    "reporter_role",
    *HOME_OFFICE_FLAGS,
    "religion_perceived",
    CYBER_FLAG,
    *LOCAL_FLAGS,
    "repeat_victim",
    "risk",
    "referral_consented",
    "police_report",
    "followup_consent",
    "handoff_reason",
    "handoff_urgent",
    "satisfaction",
)


def _yes(value: bool) -> str:
    return "true" if value else "false"


def case_rows(session: Session, period: Period, timezone: str) -> list[dict[str, str]]:
    """One row of Home Office flags and outcomes per report made in ``period``.

    The flags come from the export contract's record (:func:`cases.export.case_record`),
    then the free text in it (the person's own words) is left behind.
    """
    zone = ZoneInfo(timezone)
    cases = session.scalars(
        select(Case)
        .options(selectinload(Case.consents), selectinload(Case.handoffs))
        .where(*report_filter(period, timezone))
        .order_by(Case.created_at, Case.id)
    ).all()
    scores = satisfaction_answers(session, report_filter(period, timezone))
    rows = []
    for case in cases:
        record = case_record(case)
        strands = set(record["motivations"])
        handoff = record["handoff"] or {}
        mean = _mean(scores.get(case.id, []))
        row = {
            "reference": record["reference"],
            "created_at": record["created_at"],
            "week": week_of(case.created_at.astimezone(zone).date()).isoformat(),
            "status": case.status,
            "channel": record["channel"],
            "language": record["language"],
            "centre": record["centre"] or "",
            "area": case.area or "",
            "reporter_role": record["reporter_role"] or "",
            "religion_perceived": record["religion"] or "",
            CYBER_FLAG: _yes(record["online"]),
            "repeat_victim": _yes(record["repeat_victim"]),
            "risk": record["risk"] or "",
            "referral_consented": _yes(any(r["consent"] for r in record["referrals"])),
            "police_report": record["police_report"] or "",
            "followup_consent": _yes(record["followup_consent"]),
            "handoff_reason": handoff.get("reason") or "",
            "handoff_urgent": _yes(bool(handoff.get("urgent"))) if handoff else "",
            "satisfaction": f"{mean:.1f}" if mean is not None else "",
        }
        for strand in codes.STRANDS:
            prefix = "flag" if strand in codes.MONITORED_STRANDS else "local"
            row[f"{prefix}_{strand}"] = _yes(strand in strands)
        rows.append(row)
    return rows


def case_csv(rows: Iterable[Mapping[str, str]]) -> str:
    """The case-level rows as CSV text."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CASE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def weekly_csv(profile: Profile) -> str:
    """The weekly figures of a profile as CSV (withheld counts say so)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["week", *WEEKLY_MEASURES])
    for week in profile.weeks:
        writer.writerow(
            [
                week.start.isoformat(),
                *(shown(week.counts[m], profile.threshold) for m in WEEKLY_MEASURES),
            ]
        )
    return buffer.getvalue()


# --- pages ----------------------------------------------------------------------------


def _parse_period(request: Request, today: date) -> tuple[Period, str | None]:
    """The period in the query string, or the default one and what was wrong."""
    given = {key: request.query_params.get(key, "").strip() for key in ("start", "end")}
    default = Period.ending(today)
    if not any(given.values()):
        return default, None
    try:
        end = date.fromisoformat(given["end"]) if given["end"] else today
        start = date.fromisoformat(given["start"]) if given["start"] else Period.ending(end).start
        return Period(start, end), None
    except PeriodError as error:
        return (
            default,
            f"Those dates cannot be shown: {error}. Showing the last {DEFAULT_WEEKS} weeks.",
        )
    except ValueError:
        return (
            default,
            f"Dates are written like 2026-11-20. Showing the last {DEFAULT_WEEKS} weeks.",
        )


def _scope(officer: Officer) -> tuple[str | None, int | None]:
    """The centre and suppression threshold an account's figures come with."""
    if Role(officer.role) != Role.CENTRE_STAFF:
        return None, None
    if not officer.centre:
        # Centre staff without a centre would otherwise see every centre's figures.
        raise HTTPException(status_code=403, detail="Your account belongs to no centre.")
    return officer.centre, SUPPRESS_BELOW


def _local_today(runtime: Runtime) -> date:
    return runtime.clock.now().astimezone(ZoneInfo(runtime.settings.timezone)).date()


#: Every console role sees the profile; centre staff see their centre's, suppressed.
PROFILE_ROLES: Final = (Role.OFFICER, Role.SUPERVISOR, Role.ADMIN, Role.CENTRE_STAFF)
#: The logged-in account of a profile request (module level: FastAPI resolves it by name).
ProfileViewer = Annotated[Officer, Depends(require_role(*PROFILE_ROLES))]


def profile_router() -> APIRouter:
    """The problem profile page and its CSV downloads under ``/officer/profile``."""
    from officer.charts import profile_charts  # noqa: PLC0415 - charts import this module

    router = APIRouter(prefix="/officer", include_in_schema=False)
    register_nav("Problem profile", "/officer/profile", *PROFILE_ROLES)

    @router.get("/profile")
    def profile_page(request: Request, officer: ProfileViewer) -> Response:
        runtime = runtime_of(request)
        centre, threshold = _scope(officer)
        period, error = _parse_period(request, _local_today(runtime))
        with runtime.sessions() as session:
            profile = profile_for(session, period, runtime.settings.timezone, centre, threshold)
        query = urlencode({"start": period.start.isoformat(), "end": period.end.isoformat()})
        response = page(
            request,
            "profile.html",
            officer,
            status_code=422 if error else 200,
            profile=profile,
            charts=profile_charts(profile),
            error=error,
            shown=lambda count: shown(count, threshold),
            weekly_csv=f"/officer/profile.csv?{query}&kind=weekly",
            cases_csv=(
                f"/officer/profile.csv?{query}&kind=cases"
                if Role(officer.role) in CASE_ROLES
                else None
            ),
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    @router.get("/profile.csv")
    def profile_csv(request: Request, officer: ProfileViewer) -> Response:
        runtime = runtime_of(request)
        centre, threshold = _scope(officer)
        period, error = _parse_period(request, _local_today(runtime))
        if error:
            raise HTTPException(status_code=422, detail=error)
        kind = request.query_params.get("kind", "weekly")
        span = f"{period.start.isoformat()}-to-{period.end.isoformat()}"
        if kind == "cases":
            # Report-level rows are case data: only the roles that work with cases.
            if Role(officer.role) not in CASE_ROLES:
                raise HTTPException(status_code=403, detail="Your role may not export reports.")
            with runtime.sessions.begin() as session:
                rows = case_rows(session, period, runtime.settings.timezone)
                store.audit(
                    session,
                    f"officer:{officer.id}",
                    "profile.exported",
                    "case",
                    None,
                    runtime.clock.now(),
                    {"reports": len(rows), "start": str(period.start), "end": str(period.end)},
                )
            body, name = case_csv(rows), f"tellsafe-reports-{span}.csv"
        elif kind == "weekly":
            with runtime.sessions() as session:
                profile = profile_for(session, period, runtime.settings.timezone, centre, threshold)
            body, name = weekly_csv(profile), f"tellsafe-profile-{span}.csv"
        else:
            raise HTTPException(status_code=404, detail="No such download.")
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "Cache-Control": "no-store",
            },
        )

    return router
