"""Working on cases: search, flag changes with reasons, follow-ups, referrals, packets.

Every change is audited (ids and codes in the audit log; the values and reasons,
which can be special category data, sealed in ``case_changes``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from cases import codes, store
from cases.models import Case, ChannelAddress, Consent, Contact, Conversation, FollowUp
from content.services import Service, get_service
from officer.models import CaseChange, Officer

#: Most cases one search lists (filter further to find older ones).
SEARCH_LIMIT: Final = 200
#: Fields an officer may correct, with the values each may take (None: free of choice).
FLAG_FIELDS: Final = ("motivations", "religion", "online", "repeat_victim", "reporter_role")


class CaseworkError(ValueError):
    """A change that cannot be made as asked (shown to the officer)."""


@dataclass(frozen=True)
class Filters:
    """What the case list is narrowed by (every field optional)."""

    reference: str = ""
    strand: str = ""
    risk: str = ""
    repeat: str = ""
    centre: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> Filters:
        """Read filters from a query string, ignoring values that are not valid."""

        def day(name: str) -> date | None:
            try:
                return date.fromisoformat(query.get(name, ""))
            except ValueError:
                return None

        strand = query.get("strand", "")
        risk = query.get("risk", "")
        repeat = query.get("repeat", "")
        return cls(
            reference=query.get("reference", "").strip().upper()[:16],
            strand=strand if strand in codes.STRANDS else "",
            risk=risk if risk in codes.RISK_LEVELS else "",
            repeat=repeat if repeat in ("yes", "no") else "",
            centre=query.get("centre", "").strip()[:32],
            date_from=day("from"),
            date_to=day("to"),
        )


def search(session: Session, filters: Filters) -> list[Case]:
    """Cases matching the filters, newest first (at most :data:`SEARCH_LIMIT`).

    Strands are sealed, so the strand filter is applied after decrypting the rows the
    other filters leave; the rest is SQL.
    """
    query = select(Case).order_by(Case.created_at.desc(), Case.id.desc())
    if filters.reference:
        query = query.where(func.upper(Case.reference) == filters.reference)
    if filters.risk:
        query = query.where(Case.risk == filters.risk)
    if filters.repeat:
        query = query.where(Case.repeat_victim.is_(filters.repeat == "yes"))
    if filters.centre:
        query = query.where(Case.centre == filters.centre)
    if filters.date_from:
        query = query.where(Case.created_at >= datetime.combine(filters.date_from, time(), UTC))
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time(), UTC)
        query = query.where(Case.created_at < end)
    if not filters.strand:
        return list(session.scalars(query.limit(SEARCH_LIMIT)))
    found: list[Case] = []
    for case in session.scalars(query.execution_options(yield_per=500)):
        if filters.strand in (case.motivations or []):
            found.append(case)
            if len(found) >= SEARCH_LIMIT:
                break
    return found


def _clean_flag(field: str, value: Any) -> Any:
    if field == "motivations":
        chosen = [code for code in codes.STRANDS if code in set(value or [])]
        return chosen
    if field == "religion":
        if value in ("", None):
            return None
        if value not in codes.RELIGIONS:
            raise CaseworkError("Choose a religion from the list.")
        return value
    if field in ("online", "repeat_victim"):
        return bool(value)
    if field == "reporter_role":
        if value in ("", None):
            return None
        if value not in codes.REPORTER_ROLES:
            raise CaseworkError("Choose who reported from the list.")
        return value
    raise CaseworkError(f"{field} cannot be changed here.")


def edit_flags(
    session: Session,
    case: Case,
    officer: Officer,
    wanted: Mapping[str, Any],
    reason: str,
    now: datetime,
) -> list[str]:
    """Change the case's flags; each changed field is kept with the reason and audited.

    Args:
        session: An open transaction.
        case: The case.
        officer: Who changes it.
        wanted: Field name to new value, for fields in :data:`FLAG_FIELDS`.
        reason: Why (required).
        now: The current time.

    Returns:
        The names of the fields that changed.

    Raises:
        CaseworkError: Without a reason, or for a value that is not allowed.
    """
    reason = reason.strip()
    if not reason:
        raise CaseworkError("Say why the record is changed.")
    changed: list[str] = []
    for field in FLAG_FIELDS:
        if field not in wanted:
            continue
        after = _clean_flag(field, wanted[field])
        before = getattr(case, field)
        if field == "motivations":
            before = list(before or [])
        if before == after:
            continue
        change = CaseChange(
            case_id=case.id,
            officer_id=officer.id,
            at=now,
            field=field,
            before=before,
            after=after,
            reason=reason,
        )
        session.add(change)
        session.flush()
        setattr(case, field, after)
        store.audit(
            session,
            f"officer:{officer.id}",
            "case.flag_changed",
            "case",
            case.id,
            now,
            {"field": field, "change": change.id},
        )
        changed.append(field)
    if "motivations" in changed and codes.RELIGION not in (case.motivations or []):
        case.religion = None
    return changed


def changes(session: Session, case_id: int) -> list[tuple[CaseChange, str]]:
    """The case's corrections, newest first, with who made them."""
    rows = session.execute(
        select(CaseChange, Officer.username)
        .outerjoin(Officer, Officer.id == CaseChange.officer_id)
        .where(CaseChange.case_id == case_id)
        .order_by(CaseChange.id.desc())
    ).all()
    return [(change, name or "(removed account)") for change, name in rows]


def followups(session: Session, case_id: int) -> list[FollowUp]:
    """The case's check-ins, in due order."""
    return list(
        session.scalars(
            select(FollowUp).where(FollowUp.case_id == case_id).order_by(FollowUp.due_at)
        )
    )


def cancel_followup(
    session: Session, case: Case, followup_id: int, officer: Officer, now: datetime
) -> None:
    """Cancel one pending check-in of the case.

    Raises:
        CaseworkError: When it is not this case's or no longer pending.
    """
    followup = session.get(FollowUp, followup_id)
    if followup is None or followup.case_id != case.id:
        raise CaseworkError("That follow-up is not part of this case.")
    if followup.state != "pending":
        raise CaseworkError("Only a follow-up that is still waiting can be cancelled.")
    followup.state = "cancelled"
    followup.outcome = "officer"
    followup.done_at = now
    store.audit(
        session,
        f"officer:{officer.id}",
        "followup.cancelled",
        "followup",
        followup.id,
        now,
        {"case": case.id},
    )


def referrals(session: Session, case_id: int) -> list[Consent]:
    """The referral consents asked in this case, in order."""
    return list(
        session.scalars(
            select(Consent)
            .where(Consent.case_id == case_id, Consent.purpose == "referral")
            .order_by(Consent.id)
        )
    )


def withdraw_referral(
    session: Session, case: Case, consent_id: int, officer: Officer, now: datetime
) -> None:
    """Withdraw a referral consent (the person asked, or it was given in error).

    Raises:
        CaseworkError: When it is not this case's, was a no, or is already withdrawn.
    """
    consent = session.get(Consent, consent_id)
    if consent is None or consent.case_id != case.id or consent.purpose != "referral":
        raise CaseworkError("That referral is not part of this case.")
    if not consent.answer or consent.withdrawn_at is not None:
        raise CaseworkError("There is no consent to withdraw.")
    consent.withdrawn_at = now
    store.audit(
        session,
        f"officer:{officer.id}",
        "consent.withdrawn",
        "consent",
        consent.id,
        now,
        {"case": case.id},  # not the service: it would tell the strand
    )


@dataclass(frozen=True)
class PersonDetails:
    """Who the person is and how to reach them, for a named packet."""

    name: str | None
    channel: str
    address: str | None
    language: str


def person_details(session: Session, case: Case) -> PersonDetails | None:
    """The person's name and contact route, when the case still has a person."""
    if case.contact_id is None:
        return None
    contact = session.get(Contact, case.contact_id)
    if contact is None:
        return None
    conversation = session.scalars(
        select(Conversation).where(Conversation.contact_id == contact.id).order_by(Conversation.id)
    ).first()
    address = session.get(ChannelAddress, conversation.address_id) if conversation else None
    shown = address.address if address and address.channel != "web" else None
    return PersonDetails(
        name=contact.name,
        channel=address.channel if address else case.channel,
        address=shown,
        language=contact.language or case.language,
    )


@dataclass(frozen=True)
class ReferralPacket:
    """What goes to a support service, exactly as the person consented."""

    case: Case
    consent: Consent
    service: Service | None
    person: PersonDetails | None


def referral_packet(session: Session, case: Case, consent_id: int) -> ReferralPacket:
    """The referral packet for one consent: named only when the person said so.

    Raises:
        CaseworkError: When there is no standing consent to refer to that service.
    """
    consent = session.get(Consent, consent_id)
    if consent is None or consent.case_id != case.id or consent.purpose != "referral":
        raise CaseworkError("That referral is not part of this case.")
    if not consent.answer or consent.withdrawn_at is not None:
        raise CaseworkError("The person has not agreed to this referral (or withdrew).")
    try:
        service = get_service(consent.service) if consent.service else None
    except LookupError:
        service = None
    person = person_details(session, case) if consent.named else None
    return ReferralPacket(case=case, consent=consent, service=service, person=person)


@dataclass(frozen=True)
class PolicePacket:
    """The police report packet: named or anonymous, as the person chose."""

    case: Case
    consent: Consent | None
    person: PersonDetails | None


def police_packet(session: Session, case: Case) -> PolicePacket:
    """The packet for a police report, with the person's details only if named.

    Raises:
        CaseworkError: When the person did not ask for a police report.
    """
    if case.police_report not in (codes.POLICE_ANONYMOUS, codes.POLICE_NAMED):
        raise CaseworkError("The person did not ask for this to go to the police.")
    consent = session.scalars(
        select(Consent)
        .where(Consent.case_id == case.id, Consent.purpose == "police", Consent.answer.is_(True))
        .order_by(Consent.id.desc())
    ).first()
    if consent is not None and consent.withdrawn_at is not None:
        raise CaseworkError("The person withdrew their consent to a police report.")
    named = case.police_report == codes.POLICE_NAMED
    return PolicePacket(
        case=case, consent=consent, person=person_details(session, case) if named else None
    )


def audit_packet(session: Session, case: Case, officer: Officer, kind: str, now: datetime) -> None:
    """Record that a packet was produced (it discloses the case)."""
    store.audit(session, f"officer:{officer.id}", f"case.packet_{kind}", "case", case.id, now)
