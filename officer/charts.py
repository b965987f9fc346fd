"""Charts as SVG made on the server: no script, no third-party assets, fast on any laptop.

Every chart is an ``<svg role="img">`` named by its ``<title>`` and ``<desc>`` and comes
with the same figures as a data table (:class:`Table`), which screen-reader users and
anyone who needs exact numbers read instead. Bars are one dark colour on white (over
3:1 contrast); bar charts write every value out and weekly panels share one scale,
so nothing is told by colour alone.
A withheld small number (None) gets no bar, only its words ("fewer than 3").
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from markupsafe import Markup

from cases import codes
from officer.profile import STRAND_LABELS, Profile, Row, Share, shown

SVG_NS: Final = "http://www.w3.org/2000/svg"
BAR: Final = "#1d4f91"
INK: Final = "#1a1a1a"
RULE: Final = "#6b6b6b"
FONT: Final = "system-ui, sans-serif"
FONT_SIZE: Final = 13
#: Horizontal bar charts: row height, label column and bar area widths.
ROW: Final = 24
LABEL_WIDTH: Final = 210
BAR_WIDTH: Final = 330
VALUE_WIDTH: Final = 120
#: Labels longer than this are shortened in the picture (the table has them whole).
MAX_LABEL: Final = 30
#: Weekly small multiples: height of each panel's bars and the room under them.
PANEL_HEIGHT: Final = 48
PANEL_GAP: Final = 30
PLOT_WIDTH: Final = 560


@dataclass(frozen=True)
class Bar:
    """One bar: its label, the value that sets its length, and the words shown."""

    label: str
    value: float | None
    text: str


@dataclass(frozen=True)
class Table:
    """A chart's data as a table: caption, column headings, rows of cells."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Chart:
    """An SVG picture and its data table.

    Attributes:
        id: A page-unique id (its title and description ids derive from it).
        svg: The SVG markup, safe to put into a page as it is.
        table: The same figures as a table.
    """

    id: str
    svg: Markup
    table: Table


def _root(chart_id: str, title: str, desc: str, width: int, height: int) -> ET.Element:
    root = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {width} {height}",
            # Fills the column it is in; the console's style sheet may bound it.
            "width": "100%",
            "role": "img",
            "aria-labelledby": f"{chart_id}-title {chart_id}-desc",
            "id": chart_id,
            "class": "chart",
            "font-family": FONT,
            "font-size": str(FONT_SIZE),
        },
    )
    ET.SubElement(root, "title", {"id": f"{chart_id}-title"}).text = title
    ET.SubElement(root, "desc", {"id": f"{chart_id}-desc"}).text = desc
    return root


def _text(parent: ET.Element, x: float, y: float, words: str, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, "text", {"x": f"{x:g}", "y": f"{y:g}", "fill": INK, **attrs})
    element.text = words
    return element


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "\u2026"


def _markup(root: ET.Element) -> Markup:
    # ElementTree escapes every text and attribute value: labels cannot inject markup.
    return Markup(ET.tostring(root, encoding="unicode"))  # noqa: S704 - escaped above


def bar_chart(
    chart_id: str,
    title: str,
    desc: str,
    bars: Sequence[Bar],
    *,
    heading: str = "Count",
    label_heading: str = "Category",
    scale: float | None = None,
) -> Chart:
    """A horizontal bar chart, one labelled row per bar.

    Args:
        chart_id: A page-unique id.
        title: The chart's name.
        desc: A sentence saying what it shows and what stands out.
        bars: The bars, top to bottom.
        heading: The value column's heading in the data table.
        label_heading: The label column's heading in the data table.
        scale: The value of a full-length bar (100 for percentages); by default the
            largest value.

    Returns:
        The chart.
    """
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    height = max(len(bars), 1) * ROW + 8
    root = _root(chart_id, title, desc, width, height)
    top = max((bar.value or 0.0 for bar in bars), default=0.0)
    full = scale or top or 1.0
    plot = ET.SubElement(root, "g", {"aria-hidden": "true"})
    ET.SubElement(
        plot,
        "line",
        {"x1": str(LABEL_WIDTH), "x2": str(LABEL_WIDTH), "y1": "0", "y2": str(height),
         "stroke": RULE},
    )  # fmt: skip
    for index, bar in enumerate(bars):
        y = index * ROW + 4
        _text(plot, LABEL_WIDTH - 8, y + ROW / 2 + 4, _short(bar.label), **{"text-anchor": "end"})
        length = 0.0 if bar.value is None else BAR_WIDTH * max(bar.value, 0.0) / full
        if length > 0:
            ET.SubElement(
                plot,
                "rect",
                {"x": str(LABEL_WIDTH), "y": f"{y + 3:g}", "width": f"{length:.1f}",
                 "height": str(ROW - 6), "fill": BAR},
            )  # fmt: skip
        _text(plot, LABEL_WIDTH + length + 6, y + ROW / 2 + 4, bar.text)
    table = Table(title, (label_heading, heading), tuple((bar.label, bar.text) for bar in bars))
    return Chart(chart_id, _markup(root), table)


def weekly_chart(
    chart_id: str,
    title: str,
    desc: str,
    weeks: Sequence[date],
    series: Sequence[tuple[str, Sequence[int | None]]],
    *,
    withheld: str = "fewer than 3",
) -> Chart:
    """Small multiples: one column chart per series over the same weeks.

    One panel per series, all on one scale, reads better than stacked or coloured
    lines and needs no colour key.

    Args:
        chart_id: A page-unique id.
        title: The chart's name.
        desc: A sentence saying what it shows.
        weeks: The Monday of each week.
        series: Each panel's label and its counts per week (None: withheld).
        withheld: How a withheld count reads in the table.

    Returns:
        The chart.
    """
    left, right = 170, 40
    width = left + PLOT_WIDTH + right
    panel = PANEL_HEIGHT + PANEL_GAP
    height = max(len(series), 1) * panel + 24
    root = _root(chart_id, title, desc, width, height)
    plot = ET.SubElement(root, "g", {"aria-hidden": "true"})
    top = max((n or 0 for _label, counts in series for n in counts), default=0) or 1
    step = PLOT_WIDTH / max(len(weeks), 1)
    for index, (label, counts) in enumerate(series):
        base = index * panel + PANEL_HEIGHT + 8
        _text(plot, left - 8, base - 4, _short(label), **{"text-anchor": "end"})
        _text(plot, left + PLOT_WIDTH + 6, base - PANEL_HEIGHT + 10, f"max {top}", fill=RULE)
        ET.SubElement(
            plot,
            "line",
            {"x1": str(left), "x2": str(left + PLOT_WIDTH), "y1": str(base), "y2": str(base),
             "stroke": RULE},
        )  # fmt: skip
        for week_index, count in enumerate(counts):
            x = left + week_index * step
            if count is None:
                # A withheld figure: a small tick, so "no reports" and "a few" differ.
                ET.SubElement(
                    plot,
                    "rect",
                    {"x": f"{x + step * 0.4:.1f}", "y": str(base - 3), "width": f"{step * 0.2:.1f}",
                     "height": "3", "fill": RULE},
                )  # fmt: skip
            elif count > 0:
                bar_height = PANEL_HEIGHT * count / top
                ET.SubElement(
                    plot,
                    "rect",
                    {"x": f"{x + step * 0.1:.1f}", "y": f"{base - bar_height:.1f}",
                     "width": f"{step * 0.8:.1f}", "height": f"{bar_height:.1f}", "fill": BAR},
                )  # fmt: skip
    if weeks:
        axis = len(series) * panel + 14
        _text(plot, left, axis, weeks[0].strftime("%d %b %Y"))
        _text(
            plot, left + PLOT_WIDTH, axis, weeks[-1].strftime("%d %b %Y"), **{"text-anchor": "end"}
        )
    columns = ("Week starting", *(label for label, _counts in series))
    rows = tuple(
        (
            week.isoformat(),
            *(withheld if counts[i] is None else str(counts[i]) for _label, counts in series),
        )
        for i, week in enumerate(weeks)
    )
    return Chart(chart_id, _markup(root), Table(title, columns, rows))


# --- the problem profile's charts -----------------------------------------------------


def _count_bars(rows: Sequence[Row], withheld: str) -> list[Bar]:
    return [
        Bar(row.label, row.count, withheld if row.count is None else str(row.count)) for row in rows
    ]


def _share_text(share: Share, withheld: str) -> str:
    if share.count is None or share.total is None:
        return withheld
    if share.percent is None:
        return "no reports"
    return f"{share.percent:.0f}% ({share.count} of {share.total})"


def profile_charts(profile: Profile) -> list[Chart]:
    """Every chart of the problem profile page, in page order."""
    withheld = shown(None, profile.threshold)
    charts = []
    shares = [Bar(s.label, s.percent, _share_text(s, withheld)) for s in profile.shares]
    charts.append(
        bar_chart(
            "chart-shares",
            "Shares of reports",
            "The percentage of reports flagged online, from repeat victims, referred to "
            "support and reported to the police.",
            shares,
            heading="Share",
            scale=100.0,
        )
    )
    panels = [
        (label, [week.counts[measure] for week in profile.weeks])
        for measure, label in (("reports", "All reports"), *WEEKLY_STRAND_PANELS)
        if measure == "reports" or any(week.counts[measure] != 0 for week in profile.weeks)
    ]
    charts.append(
        weekly_chart(
            "chart-weeks",
            "Reports by strand, week by week",
            "One row of columns per strand with any reports, all on the same scale, "
            "for each week of the period.",
            [week.start for week in profile.weeks],
            panels,
            withheld=withheld,
        )
    )
    breakdowns = [
        ("chart-strands", "Reports by strand", "A report can name several strands.",
         profile.by_strand),
        ("chart-religion", "Religion the offender perceived",
         "For reports where religion or belief was a reason.", profile.by_religion),
        ("chart-areas", "Reports by area", "By postcode district, most reports first.",
         profile.by_area),
        ("chart-channels", "Reports by channel", "How people reached TellSafe.",
         profile.by_channel),
    ]  # fmt: skip
    if profile.centre is None:
        breakdowns.append(
            ("chart-centres", "Reports by reporting centre",
             "Which centre sent the person, if any.", profile.by_centre)
        )  # fmt: skip
    breakdowns.append(
        ("chart-satisfaction", "Follow-up satisfaction",
         "Answers at check-ins, from 1 (very unhappy) to 5 (very happy).", profile.satisfaction)
    )  # fmt: skip
    for chart_id, title, desc, rows in breakdowns:
        if rows:
            charts.append(bar_chart(chart_id, title, desc, _count_bars(rows, withheld)))
    return charts


#: The weekly panels of strands: measure and label.
WEEKLY_STRAND_PANELS: Final = tuple(
    (f"{'flag' if code in codes.MONITORED_STRANDS else 'local'}_{code}", label)
    for code, label in STRAND_LABELS.items()
)
