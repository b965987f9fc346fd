"""Fuzzing every webhook: forged, truncated, oversized, wrongly typed or encoded, replayed.

For every inbound route (``/sms/twilio``, ``/sms/twilio/status``, ``/telegram/webhook``
and the web chat's), whatever arrives:

- the answer is never a 5xx (a provider would retry a crash forever);
- a forged request (bad, missing, tampered or foreign signature or secret, a body cut
  short after signing) is refused with 403 and changes nothing in the database;
- a replayed request changes nothing the second time.

Runs on SQLite and on the PostgreSQL test server. CI runs a bounded, derandomised
budget; ``TELLSAFE_HYPOTHESIS_PROFILE=long`` runs many more (tests/auxil/proof.py).
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any, Final
from urllib.parse import quote, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from bot.channels.telegram import SECRET_HEADER
from bot.channels.telegram import WEBHOOK_PATH as TELEGRAM_PATH
from bot.channels.twilio_sms import INBOUND_PATH, SIGNATURE_HEADER, STATUS_PATH
from tests.auxil.proof import budget
from tests.channels.fakes import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, SERVICE_SID, WEBHOOK_SECRET
from tests.fuzz.conftest import Target

pytestmark = pytest.mark.slow

_numbers = itertools.count(1)
#: Text a provider can really send: any character but lone surrogates (not encodable).
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=80)
NASTY = st.sampled_from(
    ("", " ", "\x00", "STOP", "HELP", "START", "%FF", "é" * 300, "😡" * 50, "a" * 5000, "1")
)
CONTENT_TYPES = st.sampled_from(
    (
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=latin-1",
        "application/json",
        "text/plain",
        "multipart/form-data",
        "multipart/form-data; boundary=xyz",
        "application/octet-stream",
        "",
    )
)
FORM: Final = "application/x-www-form-urlencoded"
TWILIO_KEYS: Final = (
    "MessageSid",
    "SmsSid",
    "From",
    "To",
    "Body",
    "NumMedia",
    "MediaContentType0",
    "OptOutType",
    "MessageStatus",
    "SmsStatus",
    "ErrorCode",
    "AccountSid",
)


def sign(params: dict[str, str], path: str, token: str = AUTH_TOKEN, base: str = PUBLIC_URL) -> str:
    return str(RequestValidator(token).compute_signature(base + path, params))


#: Provider ids and numbers are drawn, not counted: a strategy must not depend on state.
IDS = st.integers(min_value=0, max_value=2**64)


def sms_payload(body: str, number: int, sid_number: int) -> dict[str, str]:
    """A payload shaped like Twilio's inbound SMS webhook (its last value never empty)."""
    sid = f"SM{sid_number:032x}"
    return {
        "ToCountry": "GB",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": body,
        "To": "+447700900001",
        "MessagingServiceSid": SERVICE_SID,
        "MessageSid": sid,
        "AccountSid": ACCOUNT_SID,
        "From": f"+4477{number % 10**9:09d}",
        "ApiVersion": "2010-04-01",
    }


def post_form(target: Target, path: str, params: dict[str, str], signature: str | None) -> Any:
    headers = {"content-type": FORM}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature
    return target.client.post(path, content=urlencode(params).encode(), headers=headers)


def assert_no_server_error(response: Any) -> None:
    assert response.status_code < 500, (response.status_code, response.text[:200])


# --- Twilio: forgeries ----------------------------------------------------------------


@st.composite
def forged_twilio(draw: st.DrawFn) -> tuple[dict[str, str], bytes, dict[str, str]]:
    """A Twilio-shaped request whose signature does not cover what is sent."""
    params = sms_payload(draw(st.one_of(TEXT, NASTY), label="body"), draw(IDS), draw(IDS))
    extra = draw(st.dictionaries(st.sampled_from(TWILIO_KEYS), TEXT, max_size=3))
    params.update(extra)
    params["ApiVersion"] = "2010-04-01"  # keep the last value non-empty
    body = urlencode(params).encode()
    how = draw(
        st.sampled_from(
            (
                "missing",
                "empty",
                "garbage",
                "other_token",
                "other_url",
                "tampered",
                "added",
                "removed",
                "truncated",
                "http_scheme",
            )
        ),
        label="forgery",
    )
    headers = {"content-type": draw(st.sampled_from((FORM, FORM + "; charset=utf-8")))}
    signature: str | None
    if how == "missing":
        signature = None
    elif how == "empty":
        signature = ""
    elif how == "garbage":
        signature = draw(st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=40))
    elif how == "other_token":
        signature = sign(params, INBOUND_PATH, token="not-the-auth-token")
    elif how == "other_url":
        signature = sign(params, INBOUND_PATH, base="https://attacker.example.net")
    elif how == "http_scheme":
        signature = sign(params, INBOUND_PATH, base=PUBLIC_URL.replace("https:", "http:"))
    elif how == "tampered":
        signature = sign({**params, "Body": params["Body"] + "x"}, INBOUND_PATH)
    elif how == "added":
        signature = sign(params, INBOUND_PATH)
        body += b"&Injected=1"
    elif how == "removed":
        signature = sign(params, INBOUND_PATH)
        body = urlencode({k: v for k, v in params.items() if k != "From"}).encode()
    else:
        signature = sign(params, INBOUND_PATH)
        body = body[: draw(st.integers(min_value=0, max_value=len(body) - 1), label="cut")]
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature
    return params, body, headers


@given(request=forged_twilio(), path=st.sampled_from((INBOUND_PATH, STATUS_PATH)))
@budget(examples=60)
def test_forged_twilio_requests_are_refused_and_write_nothing(
    target: Target, request: tuple[dict[str, str], bytes, dict[str, str]], path: str
) -> None:
    _params, body, headers = request
    before = target.fingerprint()
    response = target.client.post(path, content=body, headers=headers)
    assert response.status_code == 403
    assert target.fingerprint() == before


@given(
    body=st.binary(max_size=300),
    content_type=CONTENT_TYPES,
    signature=st.one_of(st.none(), st.text(max_size=30), st.just("AAAA")),
    path=st.sampled_from((INBOUND_PATH, STATUS_PATH)),
)
@budget(examples=60)
def test_twilio_routes_survive_any_bytes(
    target: Target, body: bytes, content_type: str, signature: str | None, path: str
) -> None:
    headers: dict[str, str | bytes] = {"content-type": content_type}
    if signature is not None:
        headers[SIGNATURE_HEADER] = signature.encode("utf-8", "replace")  # raw bytes
    before = target.fingerprint()
    response = target.client.post(path, content=body, headers=headers)
    # 403, or 400 for a body that is not even a form: refused either way.
    assert response.status_code in (400, 403)
    assert target.fingerprint() == before


def test_an_oversized_forged_body_is_refused(target: Target) -> None:
    params = sms_payload("x" * 2_000_000, next(_numbers), next(_numbers))
    before = target.fingerprint()
    response = post_form(target, INBOUND_PATH, params, sign({**params, "Body": "y"}, INBOUND_PATH))
    assert response.status_code in (400, 403, 413)
    assert target.fingerprint() == before


# --- Twilio: well signed, but odd -------------------------------------------------------


@st.composite
def signed_odd_twilio(draw: st.DrawFn) -> dict[str, str]:
    """A well-signed inbound payload with odd, missing or extra fields."""
    params = sms_payload(draw(st.one_of(TEXT, NASTY), label="body"), draw(IDS), draw(IDS))
    for key in draw(st.lists(st.sampled_from(TWILIO_KEYS), max_size=3), label="drop"):
        params.pop(key, None)
    odd = st.one_of(TEXT, NASTY, st.integers(-5, 10**30).map(str))
    params.update(draw(st.dictionaries(st.sampled_from(TWILIO_KEYS), odd, max_size=4)))
    params.update(draw(st.dictionaries(TEXT.filter(bool), TEXT, max_size=2), label="extra"))
    return params


@given(params=signed_odd_twilio())
@budget(examples=50)
def test_signed_inbound_of_any_shape_is_answered_and_replays_change_nothing(
    target: Target, params: dict[str, str]
) -> None:
    first = post_form(target, INBOUND_PATH, params, sign(params, INBOUND_PATH))
    assert first.status_code == 200, first.text[:200]
    after_first = target.fingerprint()
    again = post_form(target, INBOUND_PATH, params, sign(params, INBOUND_PATH))
    assert again.status_code == 200
    assert target.fingerprint() == after_first


@given(
    status=st.one_of(
        st.sampled_from(("queued", "sent", "delivered", "failed", "undelivered", "FAILED")), TEXT
    ),
    code=st.one_of(st.none(), st.sampled_from(("21610", "21211", "30003")), TEXT),
    sid=st.one_of(st.just("known"), TEXT, st.just("SM" + "f" * 32)),
)
@budget(examples=50)
def test_signed_status_callbacks_of_any_shape_are_answered_and_replays_change_nothing(
    target: Target, status: str, code: str | None, sid: str
) -> None:
    if sid == "known":
        sid = _a_sent_sms_sid(target)
    params = {"MessageSid": sid, "MessageStatus": status, "AccountSid": ACCOUNT_SID}
    if code is not None:
        params["ErrorCode"] = code
    first = post_form(target, STATUS_PATH, params, sign(params, STATUS_PATH))
    assert first.status_code == 200, first.text[:200]
    after_first = target.fingerprint()
    again = post_form(target, STATUS_PATH, params, sign(params, STATUS_PATH))
    assert again.status_code == 200
    assert target.fingerprint() == after_first


def _a_sent_sms_sid(target: Target) -> str:
    """The provider id of a reply really sent through the (fake) REST API."""
    params = sms_payload("Hello, I want to report something", next(_numbers), time.monotonic_ns())
    assert post_form(target, INBOUND_PATH, params, sign(params, INBOUND_PATH)).status_code == 200
    sender = target.app.state.sender
    target.client.portal.call(sender.run_once)
    from sqlalchemy import select

    from cases.models import Message

    with target.runtime.sessions() as session:
        sid = session.scalars(
            select(Message.external_id)
            .where(Message.channel == "sms", Message.direction == "out")
            .where(Message.external_id.is_not(None))
            .order_by(Message.id.desc())
        ).first()
    assert sid is not None
    return sid


# --- Telegram ---------------------------------------------------------------------------


def telegram_update(text: str | None, chat: int, message_id: int) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": message_id,
        "from": {"id": chat, "is_bot": False, "first_name": "Sam"},
        "chat": {"id": chat, "first_name": "Sam", "type": "private"},
        "date": int(time.time()),
    }
    if text is not None:
        message["text"] = text
    return {"update_id": message_id, "message": message}


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats() | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
UPDATE_KEYS = st.sampled_from(
    (
        "update_id",
        "message",
        "edited_message",
        "callback_query",
        "message.chat",
        "message.chat.id",
        "message.chat.type",
        "message.text",
        "message.date",
        "message.message_id",
        "message.from",
        "message.photo",
        "message.voice",
        "message.caption",
    )
)


@st.composite
def telegram_bodies(draw: st.DrawFn) -> bytes:
    """What might reach the webhook with the right secret: updates, mutants, junk."""
    kind = draw(st.sampled_from(("update", "mutant", "json", "truncated", "bytes")))
    update = telegram_update(
        draw(st.one_of(st.none(), TEXT, NASTY), label="text"),
        draw(st.integers(1, 2**40), label="chat"),
        draw(st.integers(1, 2**31), label="message_id"),
    )
    if kind == "update":
        return json.dumps(update).encode()
    if kind == "mutant":
        for path in draw(st.lists(UPDATE_KEYS, min_size=1, max_size=3), label="mutate"):
            node: Any = update
            *parents, leaf = path.split(".")
            for part in parents:
                node = node.get(part) if isinstance(node, dict) else None
            if isinstance(node, dict):
                node[leaf] = draw(JSON_VALUES, label=path)
        return json.dumps(update, allow_nan=True).encode()
    if kind == "json":
        return json.dumps(draw(JSON_VALUES), allow_nan=True).encode()
    if kind == "truncated":
        raw = json.dumps(update).encode()
        return raw[: draw(st.integers(0, len(raw) - 1))]
    return draw(st.binary(max_size=200))


@given(
    body=telegram_bodies(),
    secret=st.one_of(st.none(), st.just(""), TEXT, st.just(WEBHOOK_SECRET + "x")),
    content_type=CONTENT_TYPES,
)
@budget(examples=60)
def test_telegram_without_the_secret_is_refused_and_writes_nothing(
    target: Target, body: bytes, secret: str | None, content_type: str
) -> None:
    headers: dict[str, str | bytes] = {"content-type": content_type}
    if secret is not None:
        headers[SECRET_HEADER] = secret.encode("utf-8", "replace")  # raw bytes
    before = target.fingerprint()
    response = target.client.post(TELEGRAM_PATH, content=body, headers=headers)
    assert response.status_code == 403
    assert target.fingerprint() == before


@given(body=telegram_bodies(), content_type=CONTENT_TYPES)
@budget(examples=80)
def test_telegram_with_the_secret_never_fails_and_replays_change_nothing(
    target: Target, body: bytes, content_type: str
) -> None:
    headers = {"content-type": content_type, SECRET_HEADER: WEBHOOK_SECRET}
    first = target.client.post(TELEGRAM_PATH, content=body, headers=headers)
    assert first.status_code == 200, first.text[:200]
    after_first = target.fingerprint()
    again = target.client.post(TELEGRAM_PATH, content=body, headers=headers)
    assert again.status_code == 200
    assert target.fingerprint() == after_first


# --- Web chat ---------------------------------------------------------------------------

COOKIES = st.one_of(
    st.none(),
    st.text(
        st.characters(min_codepoint=33, max_codepoint=126, exclude_characters=";,"), max_size=50
    ),
    st.just("A" * 43),
)


def _cookies(value: str | None) -> dict[str, str]:
    return {"cookie": f"tellsafe_chat={value}"} if value is not None else {}


@given(
    body=st.one_of(
        st.binary(max_size=200),
        JSON_VALUES.map(lambda value: json.dumps(value, allow_nan=True).encode()),
        st.fixed_dictionaries(
            {"text": st.one_of(TEXT, NASTY, JSON_VALUES), "centre": JSON_VALUES}
        ).map(lambda value: json.dumps(value, allow_nan=True).encode()),
    ),
    content_type=CONTENT_TYPES,
    cookie=COOKIES,
)
@budget(examples=60)
def test_web_chat_api_never_fails(
    target: Target, body: bytes, content_type: str, cookie: str | None
) -> None:
    headers = {"content-type": content_type, **_cookies(cookie)}
    response = target.client.post("/chat/api/send", content=body, headers=headers)
    assert_no_server_error(response)


@given(
    form=st.dictionaries(st.sampled_from(("text", "centre", "other")), st.one_of(TEXT, NASTY)),
    raw=st.one_of(st.none(), st.binary(max_size=200)),
    content_type=CONTENT_TYPES,
    cookie=COOKIES,
)
@budget(examples=50)
def test_web_chat_form_never_fails(
    target: Target, form: dict[str, str], raw: bytes | None, content_type: str, cookie: str | None
) -> None:
    body = raw if raw is not None else urlencode(form).encode()
    headers = {"content-type": content_type, **_cookies(cookie)}
    response = target.client.post("/chat", content=body, headers=headers)
    assert_no_server_error(response)


@given(
    # Past a PostgreSQL INTEGER (2**31 - 1) too: once a 500 there, not on SQLite.
    after=st.one_of(
        TEXT,
        st.integers().map(str),
        st.sampled_from(("9" * 40, "-1", str(2**31), str(2**63 - 1))),
    ),
    centre=st.one_of(TEXT, st.just("CENTRE_1")),
    name=st.one_of(TEXT, st.sampled_from(("chat.js", "chat.css", "../app.py"))),
    cookie=COOKIES,
)
@budget(examples=50)
def test_web_chat_reads_never_fail(
    target: Target, after: str, centre: str, name: str, cookie: str | None
) -> None:
    headers = _cookies(cookie)
    for response in (
        target.client.get("/chat/api/messages", params={"after": after}, headers=headers),
        target.client.get("/chat", params={"centre": centre}, headers=headers),
        target.client.get(f"/chat/static/{quote(name, safe='')}", headers=headers),
        target.client.post("/chat/exit", headers=headers),
    ):
        assert_no_server_error(response)


# --- Examples fuzzing found, kept as plain regression tests ------------------------------


def _update(**message: Any) -> bytes:
    base: dict[str, Any] = {
        "message_id": 5,
        "chat": {"id": 8_100_001, "type": "private"},
        "date": 1_700_000_000,
        "text": "hello",
    }
    base.update(message)
    return json.dumps({"update_id": 77, "message": base}).encode()


@pytest.mark.parametrize(
    "body",
    [
        _update(chat={"id": 2**70, "type": "private"}),  # an id too long to store
        _update(text=True),  # text of the wrong type
        _update(chat=None),  # no chat
        json.dumps({"update_id": 78, "message": True}).encode(),  # a message that is no object
    ],
    ids=["long-id", "bool-text", "no-chat", "bool-message"],
)
def test_malformed_telegram_updates_found_by_fuzzing_are_answered(
    target: Target, body: bytes
) -> None:
    headers = {"content-type": "application/json", SECRET_HEADER: WEBHOOK_SECRET}
    assert target.client.post(TELEGRAM_PATH, content=body, headers=headers).status_code == 200
    after_first = target.fingerprint()
    assert target.client.post(TELEGRAM_PATH, content=body, headers=headers).status_code == 200
    assert target.fingerprint() == after_first


@pytest.mark.parametrize("sid", ["SM" + "9" * 100, "SM\x00abc", "SM\u00e9t\u00e9"])
def test_odd_twilio_ids_found_by_fuzzing_are_answered_and_deduplicated(
    target: Target, sid: str
) -> None:
    params = sms_payload("hello", next(_numbers), 0)
    params.update(MessageSid=sid, SmsSid=sid)
    assert post_form(target, INBOUND_PATH, params, sign(params, INBOUND_PATH)).status_code == 200
    after_first = target.fingerprint()
    assert post_form(target, INBOUND_PATH, params, sign(params, INBOUND_PATH)).status_code == 200
    assert target.fingerprint() == after_first
    status = {"MessageSid": sid, "MessageStatus": "failed", "ErrorCode": "30\x0003"}
    assert post_form(target, STATUS_PATH, status, sign(status, STATUS_PATH)).status_code == 200


def test_a_huge_after_found_by_fuzzing_is_answered(target: Target) -> None:
    response = target.client.get("/chat/api/messages", params={"after": "9" * 40})
    assert response.status_code == 200


def test_reading_past_the_largest_message_id_is_no_error(target: Target) -> None:
    # Hypothesis found it: an "after" past a PostgreSQL INTEGER failed the query (a 500)
    # once the session had a conversation.
    target.client.client.cookies.clear()  # a session of its own: the client is shared
    first = target.client.get("/chat")
    headers = _cookies(first.cookies["tellsafe_chat"])
    target.client.post("/chat/api/send", json={"text": "hello"}, headers=headers)
    assert target.client.get("/chat/api/messages", headers=headers).json()["messages"]
    for after in (str(2**31), str(2**63 - 1)):
        response = target.client.get("/chat/api/messages", params={"after": after}, headers=headers)
        assert response.status_code == 200
        assert response.json()["messages"] == []
