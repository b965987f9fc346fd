"""The problem profile and reporting centres in real headless Chromium, with axe on each page.

Log in with TOTP through the login page, read the profile's charts, download the CSVs,
register a centre, open its poster (in the page and as the SVG file), and see what
centre staff see. The clock is fixed at the seeded data's "today".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.clock import ManualClock
from officer.auth import Role
from officer.profile import CASE_COLUMNS
from tests.auxil import console_data as data
from tests.auxil.browser import axe_violations, chromium, loopback_page, needs_chromium
from tests.conftest import START
from tests.officer.kit import ConsoleSite as Site
from tests.officer.kit import served_console

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    with served_console(
        Path(tmp_path_factory.mktemp("profile-browser")),
        ManualClock(START),
        background=False,
        seed=data.seed_reports,
    ) as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def assert_accessible(page: Any) -> None:
    for viewport in ({"width": 1280, "height": 800}, {"width": 360, "height": 740}):
        page.set_viewport_size(viewport)
        violations = axe_violations(page)
        assert violations == [], f"{page.url}: {violations}"


def test_profile_charts_and_csv_downloads(browser: Any, site: Site, tmp_path: Path) -> None:
    site.account("olive", Role.OFFICER)
    with loopback_page(browser, bypass_csp=True) as page:
        site.login(page, "olive", "/officer/profile")
        assert page.locator("#summary strong").inner_text() == str(data.TOTAL)
        chart = page.locator("svg#chart-channels")
        assert chart.get_attribute("role") == "img"
        assert page.locator("#chart-channels-title").text_content() == "Reports by channel"
        page.get_by_text("Data table: Reports by channel").click()
        table = page.locator("section:has(#chart-channels) table")
        assert "Web chat" in table.inner_text()
        assert_accessible(page)

        with page.expect_download() as weekly:
            page.click("#weekly-csv")
        saved = tmp_path / "weekly.csv"
        weekly.value.save_as(saved)
        assert weekly.value.suggested_filename == "tellsafe-profile-2026-08-29-to-2026-11-20.csv"
        rows = list(csv.DictReader(io.StringIO(saved.read_text())))
        assert sum(int(row["reports"]) for row in rows) == data.TOTAL
        assert "flag_religion" in rows[0]

        with page.expect_download() as cases:
            page.click("#cases-csv")
        saved = tmp_path / "cases.csv"
        cases.value.save_as(saved)
        rows = list(csv.DictReader(io.StringIO(saved.read_text())))
        assert tuple(rows[0]) == CASE_COLUMNS
        assert len(rows) == data.TOTAL

        # The date filter.
        page.fill("#start", "2026-11-16")
        page.fill("#end", "2026-11-20")
        page.click("form.filters button[type=submit]")
        page.wait_for_url("**start=2026-11-16**")
        assert page.locator("#summary strong").inner_text() == "3"


def test_register_a_centre_and_open_its_poster(browser: Any, site: Site) -> None:
    site.account("ada", Role.ADMIN)
    with loopback_page(browser, bypass_csp=True) as page:
        site.login(page, "ada", "/officer/centres")
        assert_accessible(page)
        page.fill("#code", "COL-3")
        page.fill("#name", "City College")
        page.fill("#area", "Nottingham NG5")
        page.click("text=Register centre")
        page.wait_for_url(f"{site.base}/officer/centres/COL-3")
        link = page.locator("#web-chat-link")
        assert link.inner_text() == f"{site.base}/chat?centre=COL-3"
        assert_accessible(page)

        page.uncheck("#lang-ar")
        page.check("#lang-cy")
        page.click("#open-poster")
        page.wait_for_url("**/officer/centres/COL-3/poster?**")
        poster = page.locator("figure.poster > svg")
        assert poster.get_attribute("role") == "img"
        assert "City College" in page.locator("#poster-title").text_content()
        assert page.locator("figure.poster > svg g[lang=cy]").count() == 1
        assert page.locator("figure.poster > svg g[lang=ar]").count() == 0
        assert page.locator("figure.poster svg path.qrline").count() == 1
        box = poster.bounding_box()
        assert box["width"] > 200
        assert box["height"] > box["width"]
        assert_accessible(page)

        href = page.locator("#poster-download").get_attribute("href")
        response = page.goto(f"{site.base}{href}")
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert page.locator("svg title").first.text_content() == "TellSafe poster for City College"
        assert page.locator("text[lang]").count() == 0  # languages are on the groups
        assert page.locator("g[lang=cy] text").count() >= 3


def test_centre_staff_see_their_centre_only(browser: Any, site: Site) -> None:
    site.account("libby", Role.CENTRE_STAFF, data.LIB)
    with loopback_page(browser, bypass_csp=True) as page:
        site.login(page, "libby", "/officer/profile")
        assert page.locator("h1").inner_text() == "Problem profile: centre LIB-7"
        assert "fewer than 3" in page.locator("main").inner_text()
        assert page.locator("#cases-csv").count() == 0
        assert_accessible(page)
        page.goto(f"{site.base}/officer/centres/{data.LIB}")
        assert page.locator("#outcome-reports").inner_text() == "3"
        assert_accessible(page)
        response = page.goto(f"{site.base}/officer/centres/{data.MOSQUE}")
        assert response.status == 404
