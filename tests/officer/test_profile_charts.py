"""The profile's SVG charts: well-formed, named for assistive technology, true to the data."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from officer.charts import Bar, bar_chart, profile_charts, weekly_chart
from officer.profile import Period, profile_for, suppress
from tests.auxil import console_data as data

NS = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def bars_of(root: ET.Element) -> list[ET.Element]:
    return list(root.iter(f"{NS}rect"))


def test_a_bar_chart_is_named_and_describes_itself() -> None:
    chart = bar_chart(
        "c1",
        "Reports by channel",
        "How people reached us.",
        [Bar("SMS", 2, "2"), Bar("Web chat", 4, "4"), Bar("Telegram", 0, "0")],
    )
    root = parse(chart.svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{NS}title").text == "Reports by channel"  # type: ignore[union-attr]
    assert root.find(f"{NS}title").get("id") == "c1-title"  # type: ignore[union-attr]
    assert root.find(f"{NS}desc").text == "How people reached us."  # type: ignore[union-attr]
    widths = [float(r.get("width", "0")) for r in bars_of(root)]
    assert len(widths) == 2  # no bar for zero
    assert widths[1] == pytest.approx(2 * widths[0])  # 4 is twice 2
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert texts == ["SMS", "2", "Web chat", "4", "Telegram", "0"]
    assert chart.table.columns == ("Category", "Count")
    assert chart.table.rows == (("SMS", "2"), ("Web chat", "4"), ("Telegram", "0"))


def test_labels_are_escaped_not_markup() -> None:
    chart = bar_chart("c2", "T", "D", [Bar("<script>alert(1)</script> & co", 1, "1")])
    assert "<script>" not in chart.svg
    assert "&lt;script&gt;" in chart.svg
    parse(chart.svg)


def test_withheld_values_get_words_and_no_bar() -> None:
    chart = bar_chart("c3", "T", "D", [Bar("Race", None, "fewer than 3"), Bar("Age", 5, "5")])
    root = parse(chart.svg)
    assert len(bars_of(root)) == 1
    assert "fewer than 3" in [t.text for t in root.iter(f"{NS}text")]


def test_weekly_small_multiples() -> None:
    weeks = [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16)]
    chart = weekly_chart(
        "w", "By week", "Panels.", weeks, [("All", [0, 4, 2]), ("Race", [0, None, 2])]
    )
    root = parse(chart.svg)
    heights = [float(r.get("height", "0")) for r in bars_of(root)]
    # All: 4 and 2; Race: a withheld tick (3) and 2, all on one scale.
    assert heights == [pytest.approx(48.0), pytest.approx(24.0), 3.0, pytest.approx(24.0)]
    assert chart.table.columns == ("Week starting", "All", "Race")
    assert chart.table.rows[1] == ("2026-11-09", "4", "fewer than 3")


def test_profile_charts_from_seeded_data(database_url: str) -> None:
    with data.seeded_database(database_url) as (_engine, sessions), sessions() as session:
        exact = profile_for(session, Period.ending(data.TODAY), "Europe/London")
        library = suppress(
            profile_for(session, Period.ending(data.TODAY), "Europe/London", data.LIB)
        )
    charts = {chart.id: chart for chart in profile_charts(exact)}
    assert set(charts) >= {"chart-shares", "chart-weeks", "chart-strands", "chart-areas",
                           "chart-channels", "chart-centres", "chart-satisfaction"}  # fmt: skip
    ids = [e.get("id") for c in charts.values() for e in parse(c.svg).iter() if e.get("id")]
    assert len(ids) == len(set(ids)), "ids must be unique on the page"
    channel_rows = dict(charts["chart-channels"].table.rows)
    assert channel_rows == {"SMS": "2", "Telegram": "1", "Web chat": "4"}
    shares = dict(charts["chart-shares"].table.rows)
    assert shares["Online (cyber-enabled)"] == "43% (3 of 7)"
    weekly = charts["chart-weeks"].table
    assert weekly.columns[:2] == ("Week starting", "All reports")
    assert "Race" in weekly.columns
    assert "Age" not in weekly.columns
    assert sum(int(row[1]) for row in weekly.rows) == data.TOTAL

    staff = {chart.id: chart for chart in profile_charts(library)}
    assert "chart-centres" not in staff
    assert dict(staff["chart-shares"].table.rows)["Repeat victims"] == "fewer than 3"
    svg = "".join(chart.svg for chart in staff.values())
    assert "fewer than 3" in svg
    # No withheld number hides in the pictures either (LIB-7 has 2 race reports).
    assert dict(staff["chart-strands"].table.rows)["Race"] == "fewer than 3"
