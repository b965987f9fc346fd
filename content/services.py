"""The support-services directory: data, validated on load, chosen per report.

National services are in ``content/services.yaml``; a deploying force adds its local
services, in the same shape, in the file named by ``TELLSAFE_SERVICES_FILE``. Every entry
is checked when it is loaded (pydantic, with phone numbers checked by ``phonenumbers``),
and a bad entry stops the load with an error that names the file, the entry and the field,
so a typo never silently hides a service from the people who need it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Final

import phonenumbers
import yaml
from babel import Locale, UnknownLocaleError
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)

from cases.codes import RELIGIONS, REPORTER_ROLES, STRANDS
from content.i18n import SOURCE_LANGUAGE

NATIONAL_FILE: Final = Path(__file__).with_name("services.yaml")
ALL: Final = "all"
#: How many services to offer a referral to in one conversation: more is a wall of
#: text on SMS.
MAX_OFFERED: Final = 3
#: How many services to list in the next steps.
MAX_LISTED: Final = 4
#: The region phone numbers are read in.
PHONE_REGION: Final = "GB"
#: Risk reasons a service can be limited to (``when``), from ``cases.risk``.
RISK_REASONS: Final = frozenset(
    {
        "physical_harm",
        "threats",
        "offender_can_find_victim",
        "offender_may_find_victim",
        "repeat_victimisation",
        "previous_incident",
        "severe_impact",
        "moderate_impact",
        "danger_reported",
    }
)
_OUTWARD_CODE: Final = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
_WEB: Final = re.compile(r"^(https://)?([a-z0-9-]+\.)+[a-z]{2,}(/[\w\-./?=&%#]*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Service:
    """One support service and who it serves."""

    id: str
    name: str
    description: str
    phone: str | None
    text: str | None
    web: str | None
    strands: frozenset[str]
    religions: frozenset[str]
    areas: frozenset[str]
    languages: frozenset[str]
    roles: frozenset[str]
    when: frozenset[str]
    referral: bool

    def serves(
        self,
        strands: Iterable[str],
        religion: str | None,
        area: str | None,
        *,
        language: str | None = None,
        role: str | None = None,
        reasons: Iterable[str] = (),
    ) -> bool:
        """Whether this service fits a report.

        Args:
            strands: The report's strands.
            religion: The perceived religion, when the religion strand applies.
            area: The outward postcode of where it happened, if known.
            language: The person's language; None to ignore it.
            role: Who is reporting (victim, witness, third party, parent); None to ignore.
            reasons: The risk reasons of the report (for services limited by ``when``).

        Returns:
            True when area, language, role, risk and strands all fit.
        """
        if ALL not in self.areas and (area is None or area.upper() not in self.areas):
            return False
        if language is not None and not self.speaks(language):
            return False
        if role is not None and self.roles and role not in self.roles:
            return False
        if self.when and not self.when.intersection(reasons):
            return False
        if ALL in self.strands:
            return True
        if not self.strands.intersection(strands):
            return False
        return not self.religions or religion in self.religions

    def speaks(self, language: str) -> bool:
        """Whether someone writing in ``language`` can use the service.

        A service that works in English stays open to everyone: specialist help matters
        more than the language, and many people who write in another language also read
        English or have someone who does. A service that lists only other languages (a
        local Polish community service, say) is offered only to people writing in them.
        """
        return bool({ALL, language, SOURCE_LANGUAGE} & self.languages)

    def speaks_exactly(self, language: str) -> bool:
        """Whether the service names ``language`` (or all languages, with interpreters)."""
        return bool({ALL, language} & self.languages)

    @property
    def specialist(self) -> bool:
        """Whether the service is for particular strands (offered before general ones)."""
        return ALL not in self.strands

    @property
    def contact(self) -> str:
        """The service's contact routes as one line: phone, then web."""
        return ", ".join(route for route in (self.phone, self.web) if route)


class ServiceDataError(ValueError):
    """The services file is not valid."""


def _phone(value: str) -> str:
    try:
        number = phonenumbers.parse(value, PHONE_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValueError(f"not a phone number: {value!r}") from error
    if not (phonenumbers.is_valid_number(number) or phonenumbers.is_valid_short_number(number)):
        raise ValueError(f"not a valid UK phone number: {value!r}")
    return value


def _web(value: str) -> str:
    if not _WEB.match(value):
        raise ValueError(f"not a web address (like example.org.uk): {value!r}")
    return value


def _language(value: str) -> str:
    if value == ALL:
        return value
    try:
        Locale.parse(value)
    except (UnknownLocaleError, ValueError) as error:
        raise ValueError(f"unknown language code {value!r}") from error
    return value


def _area(value: str) -> str:
    if value == ALL:
        return value
    if not _OUTWARD_CODE.match(value.upper()):
        raise ValueError(f"not an outward postcode (like NG1) or 'all': {value!r}")
    return value.upper()


def _one_of(allowed: Iterable[str], what: str) -> AfterValidator:
    known = frozenset(allowed)

    def check(values: list[str]) -> list[str]:
        if unknown := sorted(set(values) - known):
            raise ValueError(f"unknown {what} {unknown}")
        return values

    return AfterValidator(check)


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Phone = Annotated[str, AfterValidator(_phone)]
Web = Annotated[str, AfterValidator(_web)]
NonEmpty = Field(min_length=1)


class _Entry(BaseModel):
    """The shape of one entry in a services file."""

    model_config = ConfigDict(extra="forbid", strict=True)

    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]+$")]
    name: Text
    description: Text
    phone: Phone | None = None
    text: Phone | None = None
    web: Web | None = None
    strands: Annotated[list[str], NonEmpty, _one_of((ALL, *STRANDS), "strands")]
    religions: Annotated[list[str], _one_of(RELIGIONS, "religions")] = []
    areas: Annotated[list[Annotated[str, AfterValidator(_area)]], NonEmpty]
    languages: Annotated[list[Annotated[str, AfterValidator(_language)]], NonEmpty]
    roles: Annotated[list[str], _one_of(REPORTER_ROLES, "roles")] = []
    when: Annotated[list[str], _one_of(RISK_REASONS, "risk reasons")] = []
    referral: bool

    def to_service(self) -> Service:
        return Service(
            id=self.id,
            name=self.name,
            description=self.description,
            phone=self.phone,
            text=self.text,
            web=self.web,
            strands=frozenset(self.strands),
            religions=frozenset(self.religions),
            areas=frozenset(self.areas),
            languages=frozenset(self.languages),
            roles=frozenset(self.roles),
            when=frozenset(self.when),
            referral=self.referral,
        )


def _describe(error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        message = str(item["msg"]).removeprefix("Value error, ")
        if item["type"] == "missing":
            message = f"missing {where!r}"
        elif item["type"] == "extra_forbidden":
            message = f"unknown field {where!r}"
        else:
            message = f"{where}: {message}"
        problems.append(message)
    return "; ".join(problems)


def _parse(entry: Any, index: int, source: Path) -> Service:
    label = f"entry {index}"
    if isinstance(entry, dict) and isinstance(entry.get("id"), str):
        label += f" ({entry['id']!r})"
    if not isinstance(entry, dict):
        raise ServiceDataError(f"{source.name}: service {label}: expected a mapping")
    try:
        parsed = _Entry.model_validate(entry)
    except ValidationError as error:
        raise ServiceDataError(f"{source.name}: service {label}: {_describe(error)}") from None
    if not (parsed.phone or parsed.web or parsed.text):
        raise ServiceDataError(
            f"{source.name}: service {label}: needs at least one contact route (phone, text or web)"
        )
    if parsed.religions and "religion" not in parsed.strands:
        raise ServiceDataError(
            f"{source.name}: service {label}: religions are set but strands lack 'religion'"
        )
    return parsed.to_service()


def load_services(paths: Sequence[Path]) -> tuple[Service, ...]:
    """Load and validate services from YAML files.

    Args:
        paths: The files to read, national first.

    Returns:
        Every service, in file order.

    Raises:
        ServiceDataError: When a file is malformed, a field is missing, unknown or
            invalid, or two services share an id; the message names the entry.
    """
    services: list[Service] = []
    for path in paths:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as error:
            raise ServiceDataError(f"{path.name}: not valid YAML: {error}") from None
        if not isinstance(data, dict) or not isinstance(data.get("services"), list):
            raise ServiceDataError(f"{path.name}: expected a top-level 'services' list")
        services.extend(
            _parse(entry, index, path) for index, entry in enumerate(data["services"], start=1)
        )
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


def _ranked(services: Iterable[Service], language: str | None) -> list[Service]:
    """Specialist first (by strand, then by role), local, then the person's language."""
    return sorted(
        services,
        key=lambda service: (
            not service.specialist,
            not service.roles,
            service.areas == {ALL},
            language is not None and not service.speaks_exactly(language),
        ),
    )


def referral_services(
    strands: Iterable[str],
    religion: str | None,
    area: str | None,
    *,
    language: str | None = None,
    role: str | None = None,
) -> tuple[Service, ...]:
    """Return the services to offer a referral to, specialist ones first.

    Args:
        strands: The confirmed strands of the report.
        religion: The perceived religion, when the religion strand applies.
        area: The outward postcode of where it happened, if known.
        language: The person's language (services they can use; theirs first).
        role: Who is reporting.

    Returns:
        At most :data:`MAX_OFFERED` services that take referrals and fit the report.
    """
    strand_set = set(strands)
    fitting = [
        service
        for service in directory()
        if service.referral
        and service.serves(strand_set, religion, area, language=language, role=role)
    ]
    return tuple(_ranked(fitting, language)[:MAX_OFFERED])


def support_services(
    strands: Iterable[str],
    religion: str | None,
    area: str | None,
    *,
    language: str | None = None,
    role: str | None = None,
    reasons: Iterable[str] = (),
) -> tuple[Service, ...]:
    """Return the services to list in the next steps: whoever fits, referral or not.

    Services limited by risk (``when``, such as Samaritans for people badly affected)
    come first among those that apply, because they answer the most urgent need.

    Args:
        strands: The confirmed strands of the report.
        religion: The perceived religion.
        area: The outward postcode of where it happened, if known.
        language: The person's language.
        role: Who is reporting.
        reasons: The risk reasons of the report.

    Returns:
        At most :data:`MAX_LISTED` services.
    """
    strand_set = set(strands)
    reason_set = set(reasons)
    fitting = [
        service
        for service in directory()
        if service.serves(
            strand_set, religion, area, language=language, role=role, reasons=reason_set
        )
    ]
    urgent = [service for service in fitting if service.when]
    others = [service for service in _ranked(fitting, language) if not service.when]
    return tuple((urgent + others)[:MAX_LISTED])


def get_service(service_id: str) -> Service:
    """Return the service with ``service_id``.

    Raises:
        KeyError: When there is no such service.
    """
    for service in directory():
        if service.id == service_id:
            return service
    raise KeyError(service_id)


def named_in(text: str) -> Service | None:
    """The service ``text`` names by its name, if any ("what is Stop Hate UK?")."""
    for service in directory():
        if re.search(rf"(?<!\w){re.escape(service.name)}(?!\w)", text, re.IGNORECASE):
            return service
    return None
