"""Linking one person's chats across channels, only when they prove both are theirs.

A person sends LINK (or the word for it in their language, or ``/link``) in one chat
and gets a one-time code; they send the code from their other chat within
:data:`CODE_LIFETIME`. Then both chats belong to one contact: reports on either count
together (repeat victims), and check-ins keep going where each was asked for.

Nothing is ever linked by matching numbers or names: only possession of the code
links. Codes are random, stored as keyed hashes, single-use and short-lived; an
address that sends wrong codes too often gets no more tries for a day, so guessing
another person's code is hopeless.
"""

from __future__ import annotations

import logging
import re
import secrets
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import states
from bot.choices import normalise
from bot.flow import reask
from bot.linking_prompts import (
    LINK_WORD,
    already_linked,
    code_failed,
    link_code,
    link_failed,
    linked,
)
from bot.messages import OutboundMessage, Text
from bot.turn import Turn
from cases import store
from cases.models import AuditEvent, Case, Contact
from cases.schema import full_metadata
from cases.sealed import blind_index
from content.render import render_text
from followup.models import LinkCode

logger = logging.getLogger(__name__)

CODE_LIFETIME: Final = timedelta(minutes=15)
CODE_DIGITS: Final = 8
#: Wrong codes from one address within :data:`ATTEMPT_WINDOW` before it gets no more tries.
MAX_FAILED_ATTEMPTS: Final = 5
ATTEMPT_WINDOW: Final = timedelta(days=1)
#: The keyword that works in every language, like STOP and HELP.
UNIVERSAL_WORD: Final = "link"
_CODE: Final = re.compile(r"^\s*(\d{4})[\s-]?(\d{4})\s*$")
#: States from which "link" makes no sense to re-ask after (there is no question).
_NO_QUESTION: Final = (states.NEW,)


def _code_index(code: str) -> str:
    return blind_index(f"link-code:{code}")


def _is_link_word(turn: Turn) -> bool:
    said = normalise(turn.text).lstrip("/")
    if not said:
        return False
    return said in (UNIVERSAL_WORD, normalise(render_text(LINK_WORD, turn.language)))


def _reply(turn: Turn, text: Text) -> None:
    if turn.conversation.state in _NO_QUESTION:
        turn.replies.append(OutboundMessage(body=(text,)))
    else:
        reask(turn, [text])


def handle(turn: Turn) -> bool:
    """Give a link code, or link with one; returns whether the message was about linking."""
    match = _CODE.match(turn.text)
    if match is not None and _codes_live(turn.session, turn.now):
        _redeem(turn, match.group(1) + match.group(2))
        return True
    if _is_link_word(turn):
        _issue(turn)
        return True
    return False


def _codes_live(session: Session, now: datetime) -> bool:
    return (
        session.scalar(
            select(LinkCode.id)
            .where(LinkCode.used_at.is_(None), LinkCode.expires_at > now)
            .limit(1)
        )
        is not None
    )


def _issue(turn: Turn) -> None:
    """A fresh code for this person; any earlier unused one stops working."""
    turn.session.execute(
        update(LinkCode)
        .where(LinkCode.contact_id == turn.contact.id, LinkCode.used_at.is_(None))
        .values(used_at=turn.now)
    )
    code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
    turn.session.add(
        LinkCode(
            contact_id=turn.contact.id,
            address_id=turn.conversation.address_id,
            code_index=_code_index(code),
            created_at=turn.now,
            expires_at=turn.now + CODE_LIFETIME,
        )
    )
    store.audit(
        turn.session, store.SYSTEM, "link.code_issued", "contact", turn.contact.id, turn.now
    )
    shown = f"{code[:4]} {code[4:]}"
    _reply(turn, link_code(shown, int(CODE_LIFETIME.total_seconds() // 60)))


def _failed_recently(turn: Turn) -> int:
    return (
        turn.session.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(
                AuditEvent.action == "link.failed",
                AuditEvent.subject_type == "address",
                AuditEvent.subject_id == turn.conversation.address_id,
                AuditEvent.at >= turn.now - ATTEMPT_WINDOW,
            )
        )
        or 0
    )


def _redeem(turn: Turn, code: str) -> None:
    session = turn.session
    found = None
    if _failed_recently(turn) < MAX_FAILED_ATTEMPTS:
        found = session.scalars(
            select(LinkCode).where(
                LinkCode.code_index == _code_index(code),
                LinkCode.used_at.is_(None),
                LinkCode.expires_at > turn.now,
            )
        ).first()
    if found is None:
        store.audit(
            session, store.SYSTEM, "link.failed", "address", turn.conversation.address_id, turn.now
        )
        logger.info("link code refused for address %s", turn.conversation.address_id)
        _reply(turn, code_failed())
        return
    found.used_at = turn.now
    if found.contact_id == turn.contact.id:
        _reply(turn, already_linked())
        return
    try:
        with session.begin_nested():
            merge_contacts(session, found.contact_id, turn.contact.id, turn.now)
    except IntegrityError:
        logger.exception("linking contacts %s and %s failed", found.contact_id, turn.contact.id)
        _reply(turn, link_failed())
        return
    # The rows changed under the ORM: read this turn's objects again.
    session.expire_all()
    contact = session.get(Contact, found.contact_id)
    if contact is None:
        raise LookupError("linked contact vanished")
    turn.contact = contact
    if turn.conversation.state == states.NEW:
        latest = session.scalar(
            select(Case.id)
            .where(Case.contact_id == contact.id, Case.status == "submitted")
            .order_by(Case.submitted_at.desc(), Case.id.desc())
            .limit(1)
        )
        if latest is not None:
            turn.conversation.state = states.CLOSED
            turn.conversation.case_id = latest
    _reply(turn, linked())


def merge_contacts(session: Session, keep_id: int, merge_id: int, now: datetime) -> None:
    """Make ``merge_id``'s addresses, conversations, reports and the rest ``keep_id``'s.

    Every column that references ``contacts.id`` in any table moves over, so tables
    added later are covered without changing this. The emptied contact row is left in
    place (other records may name it in the audit log); the link is audited by ids.

    Args:
        session: The open session (a savepoint, so a clash changes nothing).
        keep_id: The contact that stays (the one that asked for the code).
        merge_id: The contact merged into it.
        now: The time of the link.
    """
    session.flush()
    keep = session.get(Contact, keep_id)
    merged = session.get(Contact, merge_id)
    if keep is None or merged is None:
        raise LookupError("no such contact")
    if keep.language is None:
        keep.language = merged.language
    if keep.name is None and merged.name is not None:
        keep.name = merged.name
    session.flush()
    contacts = full_metadata().tables["contacts"]
    for table in full_metadata().sorted_tables:
        if table is contacts:
            continue
        for column in table.columns:
            if any(fk.column is contacts.c.id for fk in column.foreign_keys):
                session.execute(
                    update(table).where(column == merge_id).values({column.name: keep_id})
                )
    store.audit(
        session, store.SYSTEM, "contact.linked", "contact", keep_id, now, {"merged": merge_id}
    )
