"""The case export contract: one JSON object per case, or the same as CSV columns."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from cases.models import Case

FIELDS: Final = (
    "reference",
    "created_at",
    "channel",
    "language",
    "centre",
    "reporter_role",
    "occurred_at",
    "online",
    "motivations",
    "religion",
    "victim_words",
    "risk",
    "risk_reasons",
    "repeat_victim",
    "repeat_count",
    "linked_cases",
    "referrals",
    "police_report",
    "followup_consent",
    "handoff",
)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def case_record(case: Case, linked: Sequence[str] = ()) -> dict[str, Any]:
    """Return the export record of one case, with exactly the contract's fields.

    Args:
        case: The case, with its consents and handoffs loaded.
        linked: References of the cases linked to it (see :func:`linked_references`).
    """
    handoff = case.handoffs[0] if case.handoffs else None
    return {
        "reference": case.reference,
        "created_at": _iso(case.created_at),
        "channel": case.channel,
        "language": case.language,
        "centre": case.centre,
        "reporter_role": case.reporter_role,
        "occurred_at": _iso(case.occurred_at),
        "online": bool(case.online),
        "motivations": list(case.motivations or []),
        "religion": case.religion,
        "victim_words": case.victim_words,
        "risk": case.risk,
        "risk_reasons": list(case.risk_reasons or []),
        "repeat_victim": bool(case.repeat_victim),
        "repeat_count": int(case.repeat_count or 0),
        "linked_cases": list(linked),
        "referrals": [
            {"service": c.service, "consent": c.answer, "at": _iso(c.at)}
            for c in case.consents
            if c.purpose == "referral" and c.withdrawn_at is None
        ],
        "police_report": case.police_report,
        "followup_consent": bool(case.followup_consent),
        "handoff": (
            {"reason": handoff.reason, "urgent": handoff.urgent, "at": _iso(handoff.created_at)}
            if handoff
            else None
        ),
    }


def case_records(session: Session) -> Iterator[dict[str, Any]]:
    """Yield the record of every case, oldest first.

    Drafts are included: a report cut off by a danger handoff still matters to officers.
    """
    query = (
        select(Case)
        .options(selectinload(Case.consents), selectinload(Case.handoffs))
        .order_by(Case.id)
    )
    linked = linked_references(session)
    for case in session.scalars(query):
        yield case_record(case, linked.get(case.id, ()))


def linked_references(session: Session) -> dict[int, tuple[str, ...]]:
    """For every case, the references of its linked cases, oldest first.

    Linked: the same person's other submitted reports (across the channels they linked),
    the report a check-in's new incident follows, and reports that follow this one.
    """
    rows = session.execute(
        select(Case.id, Case.reference, Case.contact_id, Case.linked_case_id, Case.status)
    ).all()
    reference = {case_id: ref for case_id, ref, _contact, _link, _status in rows}
    by_contact: dict[int, list[int]] = {}
    for case_id, _ref, contact, _link, status in rows:
        if contact is not None and status == "submitted":
            by_contact.setdefault(contact, []).append(case_id)
    links: dict[int, set[int]] = {}
    for case_id, _ref, contact, link, _status in rows:
        mine = links.setdefault(case_id, set())
        mine.update(by_contact.get(contact, []) if contact is not None else [])
        if link is not None and link in reference:
            mine.add(link)
            links.setdefault(link, set()).add(case_id)
    return {
        case_id: tuple(reference[other] for other in sorted(others) if other != case_id)
        for case_id, others in links.items()
    }


def to_json_lines(records: Iterator[dict[str, Any]]) -> Iterator[str]:
    """One JSON object per line."""
    for record in records:
        yield json.dumps(record, ensure_ascii=False, sort_keys=False)


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return ";".join(
                f"{v['service']}:{'yes' if v['consent'] else 'no'}@{v['at']}" for v in value
            )
        return ";".join(str(v) for v in value)
    return str(value)


def to_csv(records: Iterator[dict[str, Any]]) -> str:
    """The same records as flat CSV columns (the handoff split into three)."""
    columns = [f for f in FIELDS if f != "handoff"] + [
        "handoff_reason",
        "handoff_urgent",
        "handoff_at",
    ]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for record in records:
        handoff = record.pop("handoff") or {}
        row = {key: _flat(value) for key, value in record.items()}
        row["handoff_reason"] = _flat(handoff.get("reason"))
        row["handoff_urgent"] = _flat(handoff.get("urgent"))
        row["handoff_at"] = _flat(handoff.get("at"))
        writer.writerow(row)
    return buffer.getvalue()
