"""The problem profile and centre pages in the application: who sees what, CSV downloads."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from cases.models import AuditEvent, Case
from cases.sealed import Keyring, install_keyring
from officer.auth import Role
from officer.centre_models import Centre
from officer.profile import CASE_COLUMNS
from tests.auxil import console_data as data
from tests.conftest import TEST_KEY
from tests.officer.kit import Console, console_app, csrf_of

ROLES = {
    "olive": (Role.OFFICER, None),
    "sam": (Role.SUPERVISOR, None),
    "ada": (Role.ADMIN, None),
    "lib": (Role.CENTRE_STAFF, data.LIB),
    "mos": (Role.CENTRE_STAFF, data.MOSQUE),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Console, dict[str, Any]]]:
    install_keyring(Keyring([TEST_KEY]))
    with console_app(tmp_path_factory.mktemp("pages")) as console:
        with console.runtime.sessions.begin() as session:
            seeded = data.seed_reports(session)
            references = [case.reference for case in seeded.values()]
        clients = {}
        for name, (role, centre) in ROLES.items():
            clients[name] = console.logged_in(console.add(name, role, centre))
        yield console, {"clients": clients, "references": references}


def get(site: tuple[Console, dict[str, Any]], who: str, url: str) -> Any:
    return site[1]["clients"][who].get(url)


def test_nobody_logged_in_is_sent_to_the_login(site: tuple[Console, dict[str, Any]]) -> None:
    console, _ = site
    anonymous = console.new_client()
    urls = ["/officer/profile", "/officer/profile.csv", "/officer/centres",
            f"/officer/centres/{data.LIB}", f"/officer/centres/{data.LIB}/poster.svg"]  # fmt: skip
    for url in urls:
        response = anonymous.get(url)
        assert response.status_code == 303, url
        assert response.headers["location"].startswith("/officer/login")


@pytest.mark.parametrize("who", ["olive", "sam", "ada"])
def test_force_roles_see_every_figure(site: tuple[Console, dict[str, Any]], who: str) -> None:
    response = get(site, who, "/officer/profile")
    assert response.status_code == 200
    page = response.text
    assert "<strong>7</strong> reports" in page
    assert "Central Library" in page
    assert "Bridge Street Mosque" in page
    assert "fewer than" not in page
    assert 'role="img"' in page
    assert "Data table: Reports by channel" in page
    assert response.headers["cache-control"] == "no-store"
    for reference in site[1]["references"]:
        assert reference not in page  # aggregates only, even for officers


def test_centre_staff_see_only_their_centre_with_small_numbers_withheld(
    site: tuple[Console, dict[str, Any]],
) -> None:
    page = get(site, "lib", "/officer/profile").text
    assert "Problem profile: centre LIB-7" in page
    assert "<strong>3</strong> reports" in page
    assert "fewer than 3" in page
    assert "Bridge Street Mosque" not in page
    assert data.MOSQUE not in page
    assert "cases-csv" not in page
    mosque = get(site, "mos", "/officer/profile").text
    assert "<strong>fewer than 3</strong> reports" in mosque
    assert "Central Library" not in mosque


def test_centre_staff_never_see_a_case(site: tuple[Console, dict[str, Any]]) -> None:
    console, context = site
    with console.runtime.sessions() as session:
        case_ids = session.scalars(select(Case.id)).all()
    urls = ["/officer/profile", "/officer/profile.csv", "/officer/centres",
            f"/officer/centres/{data.LIB}", f"/officer/centres/{data.LIB}/poster",
            "/officer/cases", "/officer/queue"]  # fmt: skip
    urls += [f"/officer/cases/{case_id}" for case_id in case_ids]
    for url in urls:
        response = get(site, "lib", url)
        for reference in context["references"]:
            assert reference not in response.text, url
    assert get(site, "lib", "/officer/profile.csv?kind=cases").status_code == 403


def test_centre_staff_cannot_open_another_centre(site: tuple[Console, dict[str, Any]]) -> None:
    for url in (f"/officer/centres/{data.MOSQUE}", f"/officer/centres/{data.MOSQUE}/poster",
                f"/officer/centres/{data.MOSQUE}/poster.svg"):  # fmt: skip
        assert get(site, "lib", url).status_code == 404, url
    listing = get(site, "lib", "/officer/centres").text
    assert "Central Library" in listing
    assert "Bridge Street Mosque" not in listing
    assert 'action="/officer/centres"' not in listing  # no registration form
    own = get(site, "lib", f"/officer/centres/{data.LIB}")
    assert own.status_code == 200
    assert 'id="outcome-reports">3<' in own.text
    assert "fewer than 3" in own.text


def test_weekly_csv(site: tuple[Console, dict[str, Any]]) -> None:
    response = get(site, "olive", "/officer/profile.csv?kind=weekly")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert sum(int(row["reports"]) for row in table) == data.TOTAL
    staff = list(csv.DictReader(io.StringIO(get(site, "lib", "/officer/profile.csv").text)))
    assert "fewer than 3" in {row["reports"] for row in staff}


def test_case_csv_for_officers_only_and_audited(site: tuple[Console, dict[str, Any]]) -> None:
    console, _ = site
    response = get(site, "sam", "/officer/profile.csv?kind=cases&start=2026-08-29&end=2026-11-20")
    assert response.status_code == 200
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert tuple(table[0]) == CASE_COLUMNS
    assert len(table) == data.TOTAL
    assert "07700" not in response.text
    assert get(site, "ada", "/officer/profile.csv?kind=cases").status_code == 403
    with console.runtime.sessions() as session:
        exports = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "profile.exported")
        ).all()
    assert exports
    assert exports[-1].details["reports"] == data.TOTAL
    assert exports[-1].actor == f"officer:{console.accounts['sam'].id}"


def test_date_filter(site: tuple[Console, dict[str, Any]]) -> None:
    narrow = get(site, "olive", "/officer/profile?start=2026-11-16&end=2026-11-20").text
    assert "<strong>3</strong> reports" in narrow
    wrong = get(site, "olive", "/officer/profile?start=2026-11-20&end=2026-11-01")
    assert wrong.status_code == 422
    assert "cannot be shown" in wrong.text
    junk = get(site, "olive", "/officer/profile?start=yesterday")
    assert junk.status_code == 422
    assert "2026-11-20" in junk.text
    assert get(site, "olive", "/officer/profile.csv?start=junk").status_code == 422


def test_admins_register_centres(site: tuple[Console, dict[str, Any]]) -> None:
    console, context = site
    admin = context["clients"]["ada"]
    page = admin.get("/officer/centres")
    form = {"csrf_token": csrf_of(page.text), "code": "COL-3", "name": "City College",
            "area": "NG5"}  # fmt: skip
    created = admin.post("/officer/centres", data=form)
    assert created.status_code == 303
    assert created.headers["location"] == "/officer/centres/COL-3"
    detail = admin.get("/officer/centres/COL-3").text
    assert "https://tellsafe.example.org/chat?centre=COL-3" in detail
    again = admin.post("/officer/centres", data=form)
    assert again.status_code == 422
    assert "already registered" in again.text
    assert (
        admin.post("/officer/centres", data={**form, "csrf_token": "x", "code": "C4"}).status_code
        == 403
    )
    officer = context["clients"]["olive"]
    token = csrf_of(officer.get("/officer/centres").text)
    refused = officer.post("/officer/centres", data={**form, "csrf_token": token, "code": "C5"})
    assert refused.status_code == 403
    with console.runtime.sessions() as session:
        codes = set(session.scalars(select(Centre.code)))
    assert "COL-3" in codes
    assert "C4" not in codes
    assert "C5" not in codes


def test_poster_downloads(site: tuple[Console, dict[str, Any]]) -> None:
    response = get(site, "lib", f"/officer/centres/{data.LIB}/poster.svg?lang=en&lang=pl")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.text.startswith("<?xml")
    assert 'lang="pl"' in response.text
    assert 'lang="ar"' not in response.text
    page = get(site, "lib", f"/officer/centres/{data.LIB}/poster?lang=en&lang=ur")
    assert page.status_code == 200
    assert 'href="/officer/centres/LIB-7/poster.svg?lang=en&amp;lang=ur"' in page.text
