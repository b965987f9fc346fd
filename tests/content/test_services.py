"""The support-services directory: real routes, validation that names the bad entry, fit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from content import services as services_module
from content.services import (
    ServiceDataError,
    directory,
    load_services,
    referral_services,
    support_services,
)

#: A valid local entry; tests break one field at a time.
LOCAL = (
    "{id: notts_hate, name: Notts Hate Support, phone: '0115 000 0000', strands: [all],"
    " areas: [NG1, NG2], languages: [en], referral: true,"
    " description: 'Local support in Nottingham.'}"
)


def write(tmp_path: Path, *entries: str, name: str = "local.yaml") -> Path:
    path = tmp_path / name
    path.write_text(
        "services:\n" + "".join(f"  - {entry}\n" for entry in entries), encoding="utf-8"
    )
    return path


@pytest.fixture
def with_local(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The directory with a deploying force's local file (TELLSAFE_SERVICES_FILE)."""
    local = write(
        tmp_path,
        LOCAL,
        "{id: polish_centre, name: Centrum Polskie, phone: '0115 000 0001', strands: [all],"
        " areas: [NG1], languages: [pl], referral: true, description: 'Polish community help.'}",
    )
    monkeypatch.setenv("TELLSAFE_SERVICES_FILE", str(local))
    services_module.directory.cache_clear()
    yield local
    services_module.directory.cache_clear()


def test_national_directory_is_valid_and_has_real_routes() -> None:
    services = {service.id: service for service in directory()}
    assert services["victim_support"].phone == "08 08 16 89 111"
    assert services["stop_hate_uk"].phone == "0800 138 1625"
    assert services["stop_hate_uk"].text == "07717 989 025"
    assert services["tell_mama"].phone == "0800 456 1226"
    assert services["cst"].phone == "0800 032 3263"
    assert services["galop"].web == "galop.org.uk"
    assert services["samaritans"].phone == "116 123"
    assert not services["samaritans"].referral
    assert services["relay_uk"].web == "relayuk.bt.com"
    for service in services.values():
        assert service.languages, service.id
        assert service.areas, service.id
        assert service.strands, service.id
        assert service.contact, service.id


@pytest.mark.parametrize(
    ("strands", "religion", "expected"),
    [
        (["religion"], "muslim", ["tell_mama", "victim_support", "stop_hate_uk"]),
        (["religion"], "jewish", ["cst", "victim_support", "stop_hate_uk"]),
        (["religion"], "sikh", ["victim_support", "stop_hate_uk"]),
        (["sexual_orientation"], None, ["galop", "victim_support", "stop_hate_uk"]),
        (["transgender", "race"], None, ["galop", "victim_support", "stop_hate_uk"]),
        (["disability"], None, ["victim_support", "stop_hate_uk"]),
        ([], None, ["victim_support", "stop_hate_uk"]),
    ],
)
def test_referral_services_fit_the_strands(
    strands: list[str], religion: str | None, expected: list[str]
) -> None:
    assert [s.id for s in referral_services(strands, religion, None)] == expected


@pytest.mark.parametrize(
    ("strands", "religion", "role", "reasons", "expected"),
    [
        # A crisis line first for someone badly affected; then the specialist.
        (
            ["religion"],
            "muslim",
            "victim",
            ["severe_impact"],
            ["samaritans", "tell_mama", "victim_support", "stop_hate_uk"],
        ),
        (["religion"], "muslim", "victim", [], ["tell_mama", "victim_support", "stop_hate_uk"]),
        # Parents get the services for adults worried about a child.
        (["race"], None, "parent", [], ["nspcc", "childline", "victim_support", "stop_hate_uk"]),
        # Text relay for disability hate.
        (["disability"], None, "witness", [], ["relay_uk", "victim_support", "stop_hate_uk"]),
    ],
)
def test_support_services_fit_strand_role_and_risk(
    strands: list[str], religion: str | None, role: str, reasons: list[str], expected: list[str]
) -> None:
    found = support_services(strands, religion, None, language="en", role=role, reasons=reasons)
    assert [s.id for s in found] == expected


def test_local_services_are_limited_to_their_area(tmp_path: Path) -> None:
    services = load_services([write(tmp_path, LOCAL)])
    assert services[0].serves(["race"], None, "ng1")
    assert not services[0].serves(["race"], None, "M1")
    assert not services[0].serves(["race"], None, None)


def test_local_file_adds_services_without_code(with_local: Path) -> None:
    ids = [service.id for service in directory()]
    assert ids[-2:] == ["notts_hate", "polish_centre"]
    # Local services come before national ones, in their area only.
    in_area = referral_services(["race"], None, "NG1", language="en")
    assert [s.id for s in in_area] == ["notts_hate", "victim_support", "stop_hate_uk"]
    elsewhere = referral_services(["race"], None, "LS1", language="en")
    assert [s.id for s in elsewhere] == ["victim_support", "stop_hate_uk"]


def test_languages_decide_who_is_offered_a_service_and_in_what_order(with_local: Path) -> None:
    # A service working only in Polish is offered only to people writing in Polish ...
    english = referral_services(["race"], None, "NG1", language="en")
    assert "polish_centre" not in [s.id for s in english]
    # ... and comes first among local services for them.
    polish = referral_services(["race"], None, "NG1", language="pl")
    assert [s.id for s in polish] == ["polish_centre", "notts_hate", "victim_support"]
    # A service that works in English stays open to someone writing in Urdu.
    urdu = referral_services(["race"], None, "NG1", language="ur")
    assert [s.id for s in urdu] == ["notts_hate", "victim_support", "stop_hate_uk"]


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (LOCAL.replace("phone: '0115 000 0000', ", ""), "needs at least one contact route"),
        (LOCAL.replace("[all]", "[height]"), r"strands: unknown strands \['height'\]"),
        (LOCAL.replace("strands: [all]", "strands: []"), "strands"),
        (LOCAL.replace(", referral: true", ""), "missing 'referral'"),
        (LOCAL.replace("referral: true", "referral: 'yes'"), "referral"),
        (LOCAL.replace(", languages: [en]", ""), "missing 'languages'"),
        (
            LOCAL.replace("languages: [en]", "languages: [en, xx-nope]"),
            "unknown language code 'xx-nope'",
        ),
        (LOCAL.replace("[NG1, NG2]", "[NG1, Nottingham]"), "not an outward postcode"),
        (LOCAL.replace("'0115 000 0000'", "'12345'"), "not a valid UK phone number"),
        (LOCAL.replace("referral: true", "referral: true, web: 'not a site'"), "not a web address"),
        (LOCAL.replace("strands:", "strand:"), "unknown field 'strand'"),
        (LOCAL.replace("id: notts_hate", "id: Notts Hate"), "id"),
        (
            LOCAL.replace("strands: [all]", "strands: [religion], religions: [pastafarian]"),
            r"religions: unknown religions \['pastafarian'\]",
        ),
        (LOCAL.replace("strands: [all]", "strands: [all], religions: [muslim]"), "lack 'religion'"),
        (LOCAL.replace("strands: [all]", "strands: [all], roles: [boss]"), "unknown roles"),
        (LOCAL.replace("strands: [all]", "strands: [all], when: [sad]"), "unknown risk reasons"),
    ],
)
def test_invalid_service_data_is_refused_naming_the_entry(
    tmp_path: Path, entry: str, problem: str
) -> None:
    good = LOCAL.replace("notts_hate", "first_ok")
    bad = write(tmp_path, good, entry, name="force.yaml")
    with pytest.raises(ServiceDataError, match=problem) as raised:
        load_services([bad])
    message = str(raised.value)
    assert message.startswith("force.yaml: service entry 2"), message


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ServiceDataError, match=r"duplicate service ids \['notts_hate'\]"):
        load_services([write(tmp_path, LOCAL, LOCAL)])


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("services: {id: a}\n", "top-level 'services' list"),
        ("- just a list\n", "top-level 'services' list"),
        ("services: [\n", "not valid YAML"),
        ("services:\n  - just text\n", "entry 1: expected a mapping"),
    ],
)
def test_malformed_files_are_refused(tmp_path: Path, content: str, problem: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ServiceDataError, match=problem):
        load_services([bad])
