"""The SMS channel: signed Twilio webhooks into the app, REST calls through a fake seam."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from bot import states
from bot.outbox import FAILED, PENDING, SENT
from cases import store
from cases.models import ChannelAddress, Contact, Message
from tests.bot.test_engine import HAPPY_PATH
from tests.channels.conftest import Harness
from tests.channels.fakes import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, SERVICE_SID

_numbers = itertools.count(100)
_sids = itertools.count(1)


def new_number() -> str:
    return f"+4477009{next(_numbers):05d}"


def inbound_payload(sender: str, body: str, **extra: str) -> dict[str, str]:
    """A payload shaped like Twilio's real inbound SMS webhook."""
    sid = f"SM{next(_sids):032x}"
    return {
        "ToCountry": "GB",
        "ToState": "",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ToCity": "",
        "FromZip": "",
        "SmsSid": sid,
        "FromState": "",
        "SmsStatus": "received",
        "FromCity": "",
        "Body": body,
        "FromCountry": "GB",
        "To": "+447700900001",
        "MessagingServiceSid": SERVICE_SID,
        "ToZip": "",
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": sender,
        "ApiVersion": "2010-04-01",
        **extra,
    }


def sign(path: str, params: dict[str, str]) -> str:
    return str(RequestValidator(AUTH_TOKEN).compute_signature(PUBLIC_URL + path, params))


def post(h: Harness, path: str, params: dict[str, str], signature: str | None = "sign") -> Any:
    headers = {}
    if signature == "sign":
        headers["X-Twilio-Signature"] = sign(path, params)
    elif signature is not None:
        headers["X-Twilio-Signature"] = signature
    return h.client.post(path, data=params, headers=headers)


def contact_of(h: Harness, number: str) -> tuple[ChannelAddress, Contact]:
    with h.runtime.sessions() as session:
        address = store.find_address(session, "sms", number)
        assert address is not None
        contact = session.get(Contact, address.contact_id)
        assert contact is not None
        return address, contact


def replies(h: Harness) -> list[str]:
    """Send the outbox through the fake Twilio seam; return the texts sent."""
    before = len(h.twilio.requests)
    h.flush()
    return [str(r["data"]["Body"]) for r in h.twilio.requests[before:] if r["method"] == "POST"]


def test_valid_message_is_handled_and_the_reply_sent_through_the_rest_api(h: Harness) -> None:
    number = new_number()
    response = post(h, "/sms/twilio", inbound_payload(number, "Hello, I want to report something"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert "<Response>" in response.text
    sent = replies(h)
    assert sent
    assert "999" in sent[0]
    request = h.twilio.requests[-1]
    assert request["method"] == "POST"
    assert request["uri"].endswith(f"/Accounts/{ACCOUNT_SID}/Messages.json")
    assert request["data"]["To"] == number
    assert request["data"]["MessagingServiceSid"] == SERVICE_SID
    assert request["data"]["StatusCallback"] == PUBLIC_URL + "/sms/twilio/status"
    with h.runtime.sessions() as session:
        rows = session.scalars(
            select(Message).where(Message.direction == "out", Message.delivery == SENT)
        ).all()
        assert any(row.external_id and row.external_id.startswith("SM") for row in rows)


def test_choices_become_numbered_options(h: Harness) -> None:
    number = new_number()
    post(h, "/sms/twilio", inbound_payload(number, "Hello, I want to report something"))
    sent = "\n".join(replies(h))
    assert "\n1 " in sent
    assert "\n2 " in sent


def test_the_question_with_several_answers_asks_for_one_or_more_numbers(h: Harness) -> None:
    # The strands question says "you can choose more than one", and its numbered options
    # were introduced by "Reply with a number:" (stored and sent later, the flag goes too).
    number = new_number()
    sent: list[str] = []
    for state, answer in HAPPY_PATH:
        if state == states.STRANDS_CONFIRM:
            assert "Reply with a number:" in sent[-1]  # "Is that right?" has one answer
            post(h, "/sms/twilio", inbound_payload(number, "2"))  # No, let me choose
            sent = replies(h)
            break
        post(h, "/sms/twilio", inbound_payload(number, answer))
        sent = replies(h)
    assert "Reply with one or more numbers:\n1 Race, ethnicity or nationality" in sent[-1]
    assert "Reply with a number:" not in sent[-1]


@pytest.mark.parametrize("signature", ["bad", None, ""])
def test_bad_or_missing_signature_is_refused_and_writes_nothing(
    h: Harness, signature: str | None
) -> None:
    before = h.count()
    params = inbound_payload(new_number(), "hello")
    if signature == "bad":
        signature = sign("/sms/twilio", {**params, "Body": "tampered"})
    response = post(h, "/sms/twilio", params, signature=signature)
    assert response.status_code == 403
    assert h.count() == before


def test_signature_for_another_url_is_refused(h: Harness) -> None:
    params = inbound_payload(new_number(), "hello")
    forged = str(
        RequestValidator(AUTH_TOKEN).compute_signature(
            "https://attacker.example.net/sms/twilio", params
        )
    )
    before = h.count()
    assert post(h, "/sms/twilio", params, signature=forged).status_code == 403
    assert h.count() == before


@pytest.mark.parametrize("missing", ["From", "MessageSid"])
def test_signed_payload_missing_fields_is_acknowledged_and_ignored(
    h: Harness, missing: str
) -> None:
    params = inbound_payload(new_number(), "hello")
    params.pop(missing)
    if missing == "MessageSid":
        params.pop("SmsSid")
    before = h.count()
    assert post(h, "/sms/twilio", params).status_code == 200
    assert h.count() == before


def test_redelivered_message_changes_nothing(h: Harness) -> None:
    params = inbound_payload(new_number(), "Hello, I want to report something")
    assert post(h, "/sms/twilio", params).status_code == 200
    after_first = h.count()
    assert post(h, "/sms/twilio", params).status_code == 200
    assert h.count() == after_first


def test_stop_words_opt_out_and_start_resumes(h: Harness) -> None:
    number = new_number()
    post(h, "/sms/twilio", inbound_payload(number, "Hello, I want to report something"))
    replies(h)
    post(h, "/sms/twilio", inbound_payload(number, "Unsubscribe"))
    address, contact = contact_of(h, number)
    assert contact.opted_out_at is not None
    assert address.opted_out_at is not None
    replies(h)
    # Nothing is answered while opted out, and a check-in queued now is never sent.
    post(h, "/sms/twilio", inbound_payload(number, "what happens now"))
    assert replies(h) == []
    post(h, "/sms/twilio", inbound_payload(number, "START"))
    address, contact = contact_of(h, number)
    assert contact.opted_out_at is None
    assert address.opted_out_at is None
    assert replies(h)


@pytest.mark.parametrize("word", ["STOP", "stopall", "END", "Quit", "CANCEL", "stop."])
def test_every_carrier_stop_word_stops(h: Harness, word: str) -> None:
    number = new_number()
    post(h, "/sms/twilio", inbound_payload(number, "Hello"))
    post(h, "/sms/twilio", inbound_payload(number, word))
    assert contact_of(h, number)[1].opted_out_at is not None


def test_opt_out_type_parameter_is_honoured(h: Harness) -> None:
    number = new_number()
    post(h, "/sms/twilio", inbound_payload(number, "Hello"))
    post(h, "/sms/twilio", inbound_payload(number, "Arrêtez", OptOutType="STOP"))
    assert contact_of(h, number)[1].opted_out_at is not None


def test_followup_queued_for_an_opted_out_person_is_never_sent(h: Harness) -> None:
    number = new_number()
    post(h, "/sms/twilio", inbound_payload(number, "Hello"))
    replies(h)
    post(h, "/sms/twilio", inbound_payload(number, "STOP"))
    replies(h)
    with h.runtime.sessions.begin() as session:
        address = store.find_address(session, "sms", number)
        assert address is not None
        from cases.models import Conversation

        conversation = session.scalars(
            select(Conversation).where(Conversation.address_id == address.id)
        ).one()
        session.add(
            Message(
                conversation_id=conversation.id,
                direction="out",
                kind="followup",
                channel="sms",
                text="How are you?",
                created_at=h.runtime.clock.now(),
                delivery=PENDING,
                attempts=0,
                next_attempt_at=h.runtime.clock.now(),
            )
        )
    assert replies(h) == []


def test_help_gets_one_reply_with_contact_details(h: Harness) -> None:
    number = new_number()
    post(h, "/sms/twilio", inbound_payload(number, "Hello, I want to report something"))
    replies(h)
    post(h, "/sms/twilio", inbound_payload(number, "HELP"))
    sent = replies(h)
    assert len(sent) == 1
    assert "0800 000 000" in sent[0]
    assert "STOP" in sent[0]


def test_media_is_kept_as_evidence(h: Harness) -> None:
    number = new_number()
    post(h, "/sms/twilio", inbound_payload(number, "Hello, I want to report something"))
    replies(h)
    post(h, "/sms/twilio", inbound_payload(number, "yes"))
    replies(h)
    media = inbound_payload(
        number,
        "",
        NumMedia="1",
        MediaContentType0="image/jpeg",
        MediaUrl0="https://api.twilio.com/2010-04-01/Accounts/AC/Media/ME1",
    )
    assert post(h, "/sms/twilio", media).status_code == 200
    sent = replies(h)
    assert sent
    assert "evidence" in sent[0]


def _sent_row(h: Harness, number: str) -> Message:
    with h.runtime.sessions() as session:
        address = store.find_address(session, "sms", number)
        assert address is not None
        from cases.models import Conversation

        conversation = session.scalars(
            select(Conversation).where(Conversation.address_id == address.id)
        ).one()
        return session.scalars(
            select(Message)
            .where(Message.conversation_id == conversation.id, Message.direction == "out")
            .order_by(Message.id.desc())
        ).first()  # type: ignore[return-value]


def status_payload(sid: str, status: str, code: str | None) -> dict[str, str]:
    payload = {
        "MessageSid": sid,
        "SmsSid": sid,
        "MessageStatus": status,
        "SmsStatus": status,
        "AccountSid": ACCOUNT_SID,
        "From": "+447700900001",
        "To": "+447700900999",
        "ApiVersion": "2010-04-01",
        "MessagingServiceSid": SERVICE_SID,
    }
    if code:
        payload["ErrorCode"] = code
    return payload


def test_status_21610_marks_the_person_opted_out(h: Harness) -> None:
    number = new_number()
    post(h, "/sms/twilio", inbound_payload(number, "Hello"))
    replies(h)
    row = _sent_row(h, number)
    assert row.external_id
    response = post(
        h, "/sms/twilio/status", status_payload(row.external_id, "undelivered", "21610")
    )
    assert response.status_code == 200
    address, contact = contact_of(h, number)
    assert contact.opted_out_at is not None
    assert address.opted_out_at is not None
    assert _sent_row(h, number).delivery == FAILED


def test_status_21211_marks_a_bad_number_and_nothing_more_is_sent(h: Harness) -> None:
    number = new_number()
    post(h, "/sms/twilio", inbound_payload(number, "Hello"))
    replies(h)
    row = _sent_row(h, number)
    assert row.external_id
    post(h, "/sms/twilio/status", status_payload(row.external_id, "failed", "21211"))
    assert contact_of(h, number)[0].unreachable_at is not None
    post(h, "/sms/twilio", inbound_payload(number, "yes"))
    assert replies(h) == []


def test_status_callbacks_are_signed_too(h: Harness) -> None:
    payload = status_payload("SM" + "f" * 32, "delivered", None)
    assert post(h, "/sms/twilio/status", payload, signature=None).status_code == 403
    assert post(h, "/sms/twilio/status", payload, signature="nope").status_code == 403
    assert post(h, "/sms/twilio/status", payload).status_code == 200  # unknown sid: ignored


def test_permanent_send_error_is_not_retried(h: Harness) -> None:
    number = new_number()
    h.twilio.fail_next(400, 21211, "The 'To' number is not a valid phone number.")
    post(h, "/sms/twilio", inbound_payload(number, "Hello"))
    replies(h)
    row = _sent_row(h, number)
    assert row.delivery == FAILED
    assert row.error == "twilio:21211"
    assert contact_of(h, number)[0].unreachable_at is not None


def test_opted_out_send_error_records_the_opt_out(h: Harness) -> None:
    number = new_number()
    h.twilio.fail_next(400, 21610, "Attempt to send to unsubscribed recipient")
    post(h, "/sms/twilio", inbound_payload(number, "Hello"))
    replies(h)
    assert contact_of(h, number)[1].opted_out_at is not None


def test_temporary_send_error_is_retried_later(h: Harness) -> None:
    number = new_number()
    h.twilio.fail_next(503, None, "Service unavailable")
    post(h, "/sms/twilio", inbound_payload(number, "Hello"))
    replies(h)
    row = _sent_row(h, number)
    assert row.delivery == PENDING
    assert row.attempts == 1
    assert row.next_attempt_at is not None
    assert row.next_attempt_at > h.runtime.clock.now()


def test_a_split_text_failing_part_way_resends_only_the_rest(h: Harness) -> None:
    number = new_number()
    post(h, "/sms/twilio", inbound_payload(number, "Hello"))
    replies(h)
    paragraphs = [f"Paragraph {n}. " + "Some words of next-steps advice. " * 12 for n in range(8)]
    long_text = "\n\n".join(paragraphs)
    with h.runtime.sessions.begin() as session:
        conversation_id = _sent_row(h, number).conversation_id
        now = h.runtime.clock.now()
        session.add(
            Message(
                conversation_id=conversation_id,
                direction="out",
                kind="reply",
                channel="sms",
                text=long_text,
                created_at=now,
                delivery=PENDING,
                attempts=0,
                next_attempt_at=now,
            )
        )
    h.twilio.responses.extend([(201, {}), (503, {"code": None, "message": "busy", "status": 503})])
    first_try = replies(h)
    assert len(first_try) == 2  # part one accepted, part two refused
    row = _sent_row(h, number)
    assert (row.delivery, row.parts_sent) == (PENDING, 1)
    with h.runtime.sessions.begin() as session:
        stored = session.get(Message, row.id)
        assert stored is not None
        stored.next_attempt_at = h.runtime.clock.now()
    second_try = replies(h)
    assert first_try[0] not in second_try
    assert second_try[0] == first_try[1]
    assert "".join(p.replace("\n", "") for p in [first_try[0], *second_try]).count("Paragraph") == 8
    assert _sent_row(h, number).delivery == SENT


def _die_mid_send(h: Harness, number: str) -> Message:
    """Leave the newest reply to ``number`` as a sender that died mid-send leaves it."""
    row = _sent_row(h, number)
    with h.runtime.sessions.begin() as session:
        stored = session.get(Message, row.id)
        assert stored is not None
        # Claimed (sending), the lease run out, no outcome written.
        stored.delivery = "sending"
        stored.external_id = None
        stored.next_attempt_at = h.runtime.clock.now()
    return row


def test_a_text_twilio_accepted_before_the_sender_died_is_not_sent_again(h: Harness) -> None:
    number = new_number()
    post(h, "/sms/twilio", inbound_payload(number, "Hello"))
    first = replies(h)
    accepted = _sent_row(h, number).external_id
    row = _die_mid_send(h, number)
    assert replies(h) == []  # Twilio has it: nothing is sent twice
    lookups = [r for r in h.twilio.requests if r["method"] == "GET"]
    assert lookups[-1]["params"]["To"] == number
    after = _sent_row(h, number)
    assert first
    assert accepted is not None
    assert (after.id, after.delivery, after.external_id) == (row.id, SENT, accepted)


def test_a_resumed_text_twilio_never_got_is_sent_once(h: Harness) -> None:
    number = new_number()
    post(h, "/sms/twilio", inbound_payload(number, "Hello"))
    first = replies(h)
    # Twilio never saw it (the sender died before its request went out).
    h.twilio.created = [m for m in h.twilio.created if m["to"] != number]
    _die_mid_send(h, number)
    assert replies(h) == first
    assert replies(h) == []
    assert _sent_row(h, number).delivery == SENT


def test_a_resumed_text_is_not_sent_while_twilio_cannot_be_asked(h: Harness) -> None:
    number = new_number()
    post(h, "/sms/twilio", inbound_payload(number, "Hello"))
    replies(h)
    h.twilio.created = [m for m in h.twilio.created if m["to"] != number]
    _die_mid_send(h, number)
    h.twilio.fail_next(503, None, "Service unavailable")
    assert replies(h) == []
    row = _sent_row(h, number)
    assert (row.delivery, row.attempts) == (PENDING, 2)
