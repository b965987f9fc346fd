from __future__ import annotations

from pathlib import Path

import pytest

from content.services import ServiceDataError, directory, load_services, referral_services


def test_national_directory_is_valid_and_has_real_routes() -> None:
    services = {service.id: service for service in directory()}
    assert services["victim_support"].phone == "08 08 16 89 111"
    assert services["samaritans"].phone == "116 123"
    assert not services["samaritans"].referral


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
def test_services_fit_the_strands(
    strands: list[str], religion: str | None, expected: list[str]
) -> None:
    assert [s.id for s in referral_services(strands, religion, None)] == expected


def test_local_services_are_limited_to_their_area(tmp_path: Path) -> None:
    local = tmp_path / "local.yaml"
    local.write_text(
        "services:\n"
        "  - {id: notts_hate, name: Notts Hate Support, phone: '0115 000 0000',"
        " strands: [all], areas: [NG1, NG2], referral: true,"
        " description: 'Local support in Nottingham.'}\n",
        encoding="utf-8",
    )
    services = load_services([local])
    assert services[0].serves(["race"], None, "ng1")
    assert not services[0].serves(["race"], None, "M1")
    assert not services[0].serves(["race"], None, None)


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (
            "{id: a, name: A, strands: [all], areas: [all], referral: true, description: d}",
            "contact route",
        ),
        (
            "{id: a, name: A, phone: '1', strands: [height], areas: [all], referral: true,"
            " description: d}",
            "unknown strands",
        ),
        (
            "{id: a, name: A, phone: '1', strands: [all], areas: [all], description: d}",
            "missing 'referral'",
        ),
        (
            "{id: a, name: A, phone: '1', strands: [religion], religions: [pastafarian],"
            " areas: [all], referral: true, description: d}",
            "unknown religions",
        ),
    ],
)
def test_invalid_service_data_is_refused(tmp_path: Path, entry: str, problem: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"services:\n  - {entry}\n", encoding="utf-8")
    with pytest.raises(ServiceDataError, match=problem):
        load_services([bad])


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    entry = (
        "  - {id: a, name: A, phone: '1', strands: [all], areas: [all], referral: true,"
        " description: d}\n"
    )
    bad = tmp_path / "dup.yaml"
    bad.write_text("services:\n" + entry + entry, encoding="utf-8")
    with pytest.raises(ServiceDataError, match="duplicate"):
        load_services([bad])
