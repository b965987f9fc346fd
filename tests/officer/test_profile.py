"""The problem profile's figures, suppression and CSV, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from cases import codes
from officer.profile import (
    CASE_COLUMNS,
    HOME_OFFICE_FLAGS,
    Period,
    PeriodError,
    ReportFacts,
    build_profile,
    case_csv,
    case_rows,
    load_facts,
    profile_for,
    shown,
    suppress,
    weekly_csv,
)
from tests.auxil import console_data as data

TZ = "Europe/London"


@pytest.fixture
def seeded(database_url: str):  # type: ignore[no-untyped-def]
    with data.seeded_database(database_url) as (_engine, sessions):
        yield sessions


def rows(breakdown) -> dict[str, int | None]:  # type: ignore[no-untyped-def]
    return {row.key: row.count for row in breakdown}


def test_the_default_period_is_twelve_whole_weeks() -> None:
    period = Period.ending(data.TODAY)
    assert (period.start, period.end) == (data.DEFAULT_START, data.TODAY)
    assert len(period.weeks()) == 13  # the first Monday is before the start
    assert all(monday.weekday() == 0 for monday in period.weeks())


def test_periods_that_cannot_be_profiled() -> None:
    with pytest.raises(PeriodError):
        Period(date(2026, 2, 2), date(2026, 2, 1))
    with pytest.raises(PeriodError):
        Period(date(2024, 1, 1), date(2026, 1, 1))


def test_figures_match_the_seeded_reports(seeded) -> None:  # type: ignore[no-untyped-def]
    with seeded() as session:
        profile = profile_for(session, Period.ending(data.TODAY), TZ)
    assert profile.total == data.TOTAL
    assert rows(profile.by_strand) == data.BY_STRAND
    assert rows(profile.by_channel) == data.BY_CHANNEL
    assert rows(profile.by_area) == data.BY_AREA
    assert rows(profile.by_centre) == data.BY_CENTRE
    assert {s.key: s.count for s in profile.shares} == data.SHARES
    assert {s.key: s.total for s in profile.shares} == dict.fromkeys(data.SHARES, data.TOTAL)
    assert rows(profile.by_religion) == {"jewish": 1, "muslim": 1}
    assert profile.satisfaction_responses == 3
    assert profile.mean_satisfaction == pytest.approx(sum(data.SATISFACTION) / 3)
    assert rows(profile.satisfaction) == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
    weekly = {week.start: week.counts["reports"] for week in profile.weeks}
    assert {k: v for k, v in weekly.items() if v} == data.WEEKS
    assert sum(weekly.values()) == data.TOTAL
    busiest = next(w for w in profile.weeks if w.start == date(2026, 11, 16))
    assert busiest.counts["flag_race"] == 2
    assert busiest.counts["flag_religion"] == 1
    assert busiest.counts["flag_cyber_enabled"] == 1
    assert busiest.counts["referral_consented"] == 1


def test_centre_outcomes(seeded) -> None:  # type: ignore[no-untyped-def]
    with seeded() as session:
        profile = profile_for(session, Period.ending(data.TODAY), TZ)
    outcomes = {o.code: o for o in profile.centres}
    assert set(outcomes) == {data.LIB, data.MOSQUE, data.UNREGISTERED}
    library = outcomes[data.LIB]
    assert library.name == "Central Library"
    assert library.registered
    # The withdrawn referral does not count; anonymous and named police reports do.
    assert (library.reports, library.referred, library.police_reported) == (3, 1, 2)
    assert library.satisfaction_responses == 3
    assert library.handed_off == 0
    assert outcomes[data.MOSQUE].handed_off == 1
    assert not outcomes[data.UNREGISTERED].registered
    assert outcomes[data.UNREGISTERED].name == data.UNREGISTERED


def test_one_centre_only(seeded) -> None:  # type: ignore[no-untyped-def]
    with seeded() as session:
        profile = profile_for(session, Period.ending(data.TODAY), TZ, centre=data.LIB)
    assert profile.total == 3
    assert [o.code for o in profile.centres] == [data.LIB]
    assert rows(profile.by_centre) == {data.LIB: 3}


def test_a_longer_period_takes_in_the_older_report(seeded) -> None:  # type: ignore[no-untyped-def]
    with seeded() as session:
        profile = profile_for(session, Period(date(2026, 1, 1), data.TODAY), TZ)
    assert profile.total == data.TOTAL + 1
    assert rows(profile.by_strand)["age"] == 1


def test_days_are_local_days(database_url: str) -> None:
    """Just after midnight in summer time is the next day in London, still the day before in UTC."""
    with data.seeded_database(database_url) as (_engine, sessions):
        with sessions.begin() as session:
            late = data.seed_report(
                session,
                data.Seed(0, "web", None, "NG1"),
                datetime(2026, 6, 30, 23, 30, tzinfo=UTC),
                99,
            )
            assert late.created_at.date() == date(2026, 6, 30)
        with sessions() as session:
            july_first = load_facts(session, Period(date(2026, 7, 1), date(2026, 7, 1)), TZ)
            june_last = load_facts(session, Period(date(2026, 6, 30), date(2026, 6, 30)), TZ)
    assert [f.day for f in july_first] == [date(2026, 7, 1)]
    assert june_last == []


def test_suppression_withholds_small_numbers(seeded) -> None:  # type: ignore[no-untyped-def]
    with seeded() as session:
        exact = profile_for(session, Period.ending(data.TODAY), TZ, centre=data.LIB)
    hidden = suppress(exact)
    assert hidden.threshold == 3
    assert hidden.total == 3
    shares = {s.key: s for s in hidden.shares}
    # 2 of 3 online, 1 repeat, 1 referred, 2 police: all withheld, percentages too.
    assert all(s.count is None and s.percent is None for s in shares.values())
    assert rows(hidden.by_strand)["race"] is None
    assert rows(hidden.by_strand)["disability"] == 0  # zero identifies nobody
    outcome = hidden.centres[0]
    assert (outcome.reports, outcome.referred, outcome.police_reported) == (3, None, None)
    assert outcome.satisfaction_responses == 3
    assert outcome.mean_satisfaction == pytest.approx(11 / 3)
    for week in hidden.weeks:
        assert all(v is None or v == 0 or v >= 3 for v in week.counts.values())
    assert shown(None, 3) == "fewer than 3"


def test_suppression_of_a_small_total_withholds_everything_built_on_it() -> None:
    period = Period.ending(data.TODAY)
    fact = ReportFacts(
        day=data.TODAY, channel="web", centre="X", area="NG1", online=True, repeat=False,
        strands=(codes.RACE,), religion=None, referred=True, police_reported=False,
        handed_off=False, satisfaction=(5, 4, 5),
    )  # fmt: skip
    hidden = suppress(build_profile([fact, fact], period, centre="X"))
    assert hidden.total is None
    assert all(s.total is None and s.percent is None for s in hidden.shares)
    assert hidden.satisfaction_responses == 6
    assert hidden.centres[0].reports is None
    # Six answers, but from two reports: their mean is withheld.
    assert hidden.centres[0].mean_satisfaction is None
    assert hidden.mean_satisfaction is None


def test_case_csv_has_home_office_flags_and_no_free_text(seeded) -> None:  # type: ignore[no-untyped-def]
    with seeded() as session:
        found = case_rows(session, Period.ending(data.TODAY), TZ)
    text = case_csv(found)
    table = list(csv.DictReader(io.StringIO(text)))
    assert tuple(table[0]) == CASE_COLUMNS
    assert len(table) == data.TOTAL
    for flag in HOME_OFFICE_FLAGS:
        assert flag in CASE_COLUMNS
    first = next(r for r in table if r["religion_perceived"] == "muslim")
    assert first["flag_race"] == first["flag_religion"] == "true"
    assert first["flag_disability"] == "false"
    assert first["repeat_victim"] == "true"
    assert first["referral_consented"] == "true"
    assert first["satisfaction"] == "4.5"
    assert first["centre"] == data.LIB
    online = [r for r in table if r["flag_cyber_enabled"] == "true"]
    assert len(online) == data.SHARES["online"]
    for forbidden in ("07700", "shouted", "Acacia", "faith", "Victim Support?"):
        assert forbidden not in text


def test_weekly_csv_exact_and_suppressed(seeded) -> None:  # type: ignore[no-untyped-def]
    with seeded() as session:
        exact = profile_for(session, Period.ending(data.TODAY), TZ)
        library = profile_for(session, Period.ending(data.TODAY), TZ, data.LIB, threshold=3)
    table = list(csv.DictReader(io.StringIO(weekly_csv(exact))))
    assert len(table) == 13
    assert sum(int(r["reports"]) for r in table) == data.TOTAL
    assert sum(int(r["flag_religion"]) for r in table) == data.BY_STRAND["religion"]
    assert set(table[0]) >= {*HOME_OFFICE_FLAGS, "flag_cyber_enabled", "local_age"}
    small = list(csv.DictReader(io.StringIO(weekly_csv(library))))
    week = next(r for r in small if r["week"] == "2026-11-16")
    assert week["reports"] == "fewer than 3"
    assert week["flag_race"] == "fewer than 3"
    assert week["local_age"] == "0"
