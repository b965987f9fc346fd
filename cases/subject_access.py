"""Subject access: everything held about one person, decrypted, as one JSON document.

Found by a case reference or by a channel address (through its blind index). The
document has the person's contact record, addresses, conversations with every message,
cases with every answer, consents with the exact wording they were shown, check-ins,
handoffs, and the lawful-basis trail. Rows in any other table that point at the person's
records (officer notes, risk plans, tables added later) are found from the schema's
foreign keys and listed under ``other``, so nothing held is left out.

Producing the export is itself recorded: a data use under the ``subject_access`` basis
and an audit event (ids only).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Final

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from cases import lawful_basis, store
from cases.erasure import foreign_references
from cases.lawful_basis import DataUse, LawfulBasis
from cases.models import (
    Case,
    ChannelAddress,
    Consent,
    Contact,
    Conversation,
    FollowUp,
    Handoff,
    Message,
)

FORMAT_VERSION: Final = 1
#: Tables shown in their own sections; anything else pointing at the person is "other".
_SECTIONED: Final = frozenset(
    {
        "contacts",
        "channel_addresses",
        "conversations",
        "messages",
        "cases",
        "consents",
        "followups",
        "handoffs",
        "data_uses",
        "audit_log",
        "erasures",
    }
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _row(obj: Any, leave_out: Iterable[str] = ()) -> dict[str, Any]:
    skipped = set(leave_out)
    return {
        column.key: _plain(getattr(obj, column.key))
        for column in obj.__table__.columns
        if column.key not in skipped
    }


def _basis(row: LawfulBasis) -> dict[str, Any]:
    return {
        "code": row.code,
        "policy_version": row.policy_version,
        "purpose": row.purpose,
        "uk_gdpr_article_6": row.article6,
        "uk_gdpr_article_9": row.article9,
        "dpa_2018_schedule_1": row.schedule1,
    }


def subject_access(
    session: Session, contact_id: int, now: datetime, actor: str = store.SYSTEM
) -> dict[str, Any]:
    """Build the subject access document for one person and record that it was made.

    Args:
        session: An open transaction (the record of the export commits with it).
        contact_id: The person.
        now: The time of the export.
        actor: Who asked for it.

    Returns:
        The document, ready for :func:`json.dumps`.

    Raises:
        LookupError: When the person is not held.
    """
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise LookupError("no such person")
    addresses = session.scalars(
        select(ChannelAddress).where(ChannelAddress.contact_id == contact_id)
    ).all()
    conversations = session.scalars(
        select(Conversation).where(Conversation.contact_id == contact_id).order_by(Conversation.id)
    ).all()
    conversation_ids = [c.id for c in conversations]
    case_ids = set(session.scalars(select(Case.id).where(Case.contact_id == contact_id)).all())
    case_ids |= {c.case_id for c in conversations if c.case_id is not None}
    cases = session.scalars(select(Case).where(Case.id.in_(sorted(case_ids))).order_by(Case.id))
    consents = session.scalars(
        select(Consent)
        .where(or_(Consent.contact_id == contact_id, Consent.case_id.in_(sorted(case_ids))))
        .order_by(Consent.id)
    ).all()
    uses = session.execute(
        select(DataUse, LawfulBasis)
        .join(LawfulBasis, DataUse.basis_id == LawfulBasis.id)
        .where(
            or_(
                DataUse.contact_id == contact_id,
                DataUse.case_id.in_(sorted(case_ids)),
                DataUse.consent_id.in_([c.id for c in consents]),
            )
        )
        .order_by(DataUse.id)
    ).all()
    basis_by_consent = {use.consent_id: basis for use, basis in uses if use.consent_id}
    followups = session.scalars(
        select(FollowUp).where(FollowUp.contact_id == contact_id).order_by(FollowUp.id)
    ).all()
    handoffs = session.scalars(
        select(Handoff)
        .where(
            or_(
                Handoff.conversation_id.in_(conversation_ids),
                Handoff.case_id.in_(sorted(case_ids)),
            )
        )
        .order_by(Handoff.id)
    ).all()
    document: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "generated_at": now.isoformat(),
        "person": _row(contact),
        "addresses": [_row(a, leave_out=("address_index",)) for a in addresses],
        "conversations": [
            {
                **_row(conversation),
                "messages": [
                    _row(m)
                    for m in session.scalars(
                        select(Message)
                        .where(Message.conversation_id == conversation.id)
                        .order_by(Message.id)
                    )
                ],
            }
            for conversation in conversations
        ],
        "cases": [_row(case) for case in cases],
        "consents": [
            {
                **_row(consent),
                "lawful_basis": (
                    _basis(basis_by_consent[consent.id]) if consent.id in basis_by_consent else None
                ),
            }
            for consent in consents
        ],
        "followups": [_row(f) for f in followups],
        "handoffs": [_row(h) for h in handoffs],
        "lawful_basis_trail": [
            {
                "at": _plain(use.at),
                "event": use.event,
                "activity": use.activity,
                "categories": list(use.categories),
                "actor": use.actor,
                "case_id": use.case_id,
                "consent_id": use.consent_id,
                "lawful_basis": _basis(basis),
            }
            for use, basis in uses
        ],
        "other": _other_rows(
            session,
            {
                "contacts": [contact_id],
                "cases": sorted(case_ids),
                "conversations": conversation_ids,
                "channel_addresses": [a.id for a in addresses],
                "handoffs": [h.id for h in handoffs],
            },
        ),
    }
    lawful_basis.record_use(
        session,
        basis="subject_access",
        event=lawful_basis.SPECIAL_CATEGORY_USE,
        activity=lawful_basis.SUBJECT_ACCESS,
        categories=lawful_basis.ALL_CATEGORIES,
        now=now,
        actor=actor,
        contact_id=contact_id,
    )
    store.audit(session, actor, "subject_access.exported", "contact", contact_id, now)
    return document


def _other_rows(session: Session, targets: dict[str, list[int]]) -> dict[str, list[Any]]:
    """Rows of tables without their own section that point at the person's records."""
    found: dict[str, dict[tuple[Any, ...], dict[str, Any]]] = {}
    for target, ids in targets.items():
        if not ids:
            continue
        for table, column, _ondelete in foreign_references(target):
            if table.name in _SECTIONED:
                continue
            for row in session.execute(select(table).where(column.in_(ids))):
                mapping = dict(row._mapping)
                key = tuple(mapping.get(c.name) for c in table.primary_key.columns)
                found.setdefault(table.name, {})[key] = {
                    name: _plain(value) for name, value in mapping.items()
                }
    return {name: list(rows.values()) for name, rows in sorted(found.items())}


def to_json(document: dict[str, Any]) -> str:
    """The document as indented JSON (UTF-8 text, not escaped)."""
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False)
