"""The support-services directory: data, validated on load, chosen per report."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final

import yaml

from cases.codes import RELIGIONS, STRANDS

NATIONAL_FILE: Final = Path(__file__).with_name("services.yaml")
ALL: Final = "all"
#: How many services to offer in one conversation: more is a wall of text on SMS.
MAX_OFFERED: Final = 3


@dataclass(frozen=True)
class Service:
    """One support service and what it serves."""

    id: str
    name: str
    description: str
    phone: str | None
    text: str | None
    web: str | None
    strands: frozenset[str]
    religions: frozenset[str]
    areas: frozenset[str]
    referral: bool

    def serves(self, strands: Iterable[str], religion: str | None, area: str | None) -> bool:
        """Whether this service fits a report with these strands, religion and area."""
        if ALL not in self.areas and (area is None or area.upper() not in self.areas):
            return False
        if ALL in self.strands:
            return True
        if not self.strands.intersection(strands):
            return False
        return not self.religions or religion in self.religions

    @property
    def specialist(self) -> bool:
        """Whether the service is for particular strands (offered before general ones)."""
        return ALL not in self.strands


class ServiceDataError(ValueError):
    """The services file is not valid."""


def _parse(entry: dict[str, Any], source: Path) -> Service:
    def fail(problem: str) -> ServiceDataError:
        return ServiceDataError(f"{source.name}: service {entry.get('id', '?')!r}: {problem}")

    for required in ("id", "name", "description", "strands", "areas", "referral"):
        if required not in entry:
            raise fail(f"missing {required!r}")
    if not (entry.get("phone") or entry.get("web") or entry.get("text")):
        raise fail("needs at least one contact route (phone, text or web)")
    strands = frozenset(str(s) for s in entry["strands"])
    if unknown := strands - {ALL, *STRANDS}:
        raise fail(f"unknown strands {sorted(unknown)}")
    religions = frozenset(str(r) for r in entry.get("religions", []))
    if unknown := religions - set(RELIGIONS):
        raise fail(f"unknown religions {sorted(unknown)}")
    return Service(
        id=str(entry["id"]),
        name=str(entry["name"]),
        description=str(entry["description"]),
        phone=entry.get("phone"),
        text=entry.get("text"),
        web=entry.get("web"),
        strands=strands,
        religions=religions,
        areas=frozenset(str(a).upper() if a != ALL else ALL for a in entry["areas"]),
        referral=bool(entry["referral"]),
    )


def load_services(paths: Sequence[Path]) -> tuple[Service, ...]:
    """Load and validate services from YAML files.

    Args:
        paths: The files to read, national first.

    Returns:
        Every service, in file order.

    Raises:
        ServiceDataError: When a file is malformed, a field is missing or unknown,
            or two services share an id.
    """
    services: list[Service] = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("services"), list):
            raise ServiceDataError(f"{path.name}: expected a top-level 'services' list")
        services.extend(_parse(entry, path) for entry in data["services"])
    ids = [service.id for service in services]
    if duplicates := {i for i in ids if ids.count(i) > 1}:
        raise ServiceDataError(f"duplicate service ids {sorted(duplicates)}")
    return tuple(services)


@cache
def directory() -> tuple[Service, ...]:
    """Return the configured directory: national services plus any local file."""
    paths = [NATIONAL_FILE]
    if local := os.environ.get("TELLSAFE_SERVICES_FILE"):
        paths.append(Path(local))
    return load_services(paths)


def referral_services(
    strands: Iterable[str], religion: str | None, area: str | None
) -> tuple[Service, ...]:
    """Return the services to offer a referral to, specialist ones first.

    Args:
        strands: The confirmed strands of the report.
        religion: The perceived religion, when the religion strand applies.
        area: The outward postcode of where it happened, if known.

    Returns:
        At most :data:`MAX_OFFERED` services that take referrals and fit the report.
    """
    strand_set = set(strands)
    fitting = [
        service
        for service in directory()
        if service.referral and service.serves(strand_set, religion, area)
    ]
    fitting.sort(key=lambda service: (not service.specialist, service.areas == {ALL}))
    return tuple(fitting[:MAX_OFFERED])


def get_service(service_id: str) -> Service:
    """Return the service with ``service_id``.

    Raises:
        KeyError: When there is no such service.
    """
    for service in directory():
        if service.id == service_id:
            return service
    raise KeyError(service_id)
