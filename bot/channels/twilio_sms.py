"""SMS through Twilio: signed webhooks in, REST API out, numbered options.

Every request is checked with Twilio's ``RequestValidator`` against the configured
public URL before anything in it is used; a bad or missing signature gets 403 and
nothing is written. Replies go out through the REST client's async calls, on the
server's event loop.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar, Final

import aiohttp
from fastapi import APIRouter, Request, Response
from twilio.base.exceptions import TwilioRestException
from twilio.http import AsyncHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from bot.channels import dbwriter, keywords
from bot.channels.base import Capabilities, Channel, RateLimit
from bot.channels.intake import Intake
from bot.channels.texts import sms_help
from bot.config import Settings
from bot.messages import InboundMessage
from bot.outbox import OPTED_OUT, UNREACHABLE, Delivery, Outbox, Outcome
from bot.service import storable_id
from content import sms
from content.render import numbered_choices_text

logger = logging.getLogger(__name__)

NAME: Final = "sms"
INBOUND_PATH: Final = "/sms/twilio"
STATUS_PATH: Final = "/sms/twilio/status"
SIGNATURE_HEADER: Final = "X-Twilio-Signature"
TWILIO_API: Final = "https://api.twilio.com"
EMPTY_TWIML: Final = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'

#: Twilio error codes with a meaning for the address (courier and healthchecks agree).
OPTED_OUT_CODES: Final = frozenset({"21610"})
BAD_NUMBER_CODES: Final = frozenset({"21211", "21614", "21612", "21408"})
#: How many of the texts last sent to a number are checked when resuming a message.
RESUME_LOOKBACK: Final = 20
#: Allowed difference between our clock and Twilio's when matching a resumed text.
RESUME_CLOCK_SLACK: Final = timedelta(seconds=5)
#: Message statuses that mean it did not arrive.
FAILED_STATUSES: Final = frozenset({"failed", "undelivered"})


class AiohttpTwilioClient(AsyncHttpClient):  # type: ignore[misc]
    """The Twilio REST client's HTTP seam, on aiohttp, for its ``*_async`` calls.

    Async on the server's own event loop rather than a blocking client in worker
    threads: a send cost about 1.2 ms of CPU through httpx in a thread and 0.3 ms here
    (measured against a loopback fake Twilio), and most messages get one or two texts
    back. aiohttp comes with the twilio package, whose own async client it backs.

    The session is opened on first use, on the loop that sends, and closed by
    :meth:`close` (the channel's ``stop``). Nothing of a request is logged: its body
    holds the person's number and the text.

    Args:
        api_base: Where the Twilio API is; a loopback fake in benches and crash tests.
        timeout: Seconds before a request is given up (then retried later).
    """

    def __init__(self, api_base: str | None = None, timeout: float = 15.0) -> None:
        super().__init__(logger=logger, is_async=True, timeout=timeout)
        self.api_base = api_base
        self._session: aiohttp.ClientSession | None = None

    async def request(
        self,
        method: str,
        uri: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> TwilioResponse:
        """Make one request for the Twilio client."""
        if self.api_base and uri.startswith(TWILIO_API):
            uri = self.api_base + uri[len(TWILIO_API) :]
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        headers = dict(headers or {})
        if auth:
            # Basic auth by hand: aiohttp deprecates its BasicAuth helper.
            login = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
            headers["Authorization"] = f"Basic {login}"
        async with self._session.request(
            method,
            uri,
            params=params,  # type: ignore[arg-type]
            data=data,
            headers=headers,
            timeout=aiohttp.ClientTimeout(total=timeout or self.timeout),
            allow_redirects=allow_redirects,
        ) as response:
            return TwilioResponse(response.status, await response.text(), response.headers)

    async def close(self) -> None:
        """Close the connections (the server's shutdown)."""
        if self._session is not None:
            await self._session.close()
            self._session = None


class SmsChannel(Channel):
    """The SMS channel.

    Args:
        client: The Twilio REST client.
        auth_token: The auth token that signs webhooks.
        public_url: The public base URL Twilio calls (signatures cover the full URL).
        messaging_service_sid: Send through this Messaging Service...
        from_number: ...or from this number.
        rate: Messages per second per sender.
        help_contact: Contact details for the HELP reply.
    """

    name: ClassVar[str] = NAME
    capabilities: ClassVar[Capabilities] = Capabilities(buttons=False, max_length=1600, media=False)

    def __init__(
        self,
        client: Client,
        auth_token: str,
        public_url: str | None,
        messaging_service_sid: str | None,
        from_number: str | None,
        rate: float,
        help_contact: str,
    ) -> None:
        self.client = client
        self.validator = RequestValidator(auth_token)
        self.public_url = public_url
        self.messaging_service_sid = messaging_service_sid
        self.from_number = from_number
        self.help_contact = help_contact
        # One sender (a number or a service) has one throughput; Twilio queues the
        # excess, but queued texts arrive late, so we pace ourselves instead.
        self.rate_limit = RateLimit(overall=rate)

    @classmethod
    def from_settings(
        cls, settings: Settings, http_client: AsyncHttpClient | None = None
    ) -> SmsChannel:
        """Build the channel from settings, with an optional HTTP seam for the REST calls."""
        http = http_client or AiohttpTwilioClient(settings.twilio_api_base)
        client = Client(settings.twilio_account_sid, settings.twilio_auth_token, http_client=http)
        return cls(
            client,
            settings.twilio_auth_token or "",
            settings.public_url,
            settings.twilio_messaging_service_sid,
            settings.twilio_from_number,
            settings.sms_rate,
            settings.help_contact,
        )

    async def _verified_form(self, request: Request) -> dict[str, str] | None:
        """The form parameters, or None when the signature does not match."""
        signature = request.headers.get(SIGNATURE_HEADER)
        if not signature or not self.public_url:
            return None
        form = await request.form()
        params = {key: str(value) for key, value in form.multi_items()}
        url = self.public_url + request.url.path
        if request.url.query:
            url += "?" + request.url.query
        if not self.validator.validate(url, params, signature):
            return None
        return params

    def router(self, intake: Intake) -> APIRouter | None:
        """The inbound and status-callback webhooks."""
        router = APIRouter()

        @router.post(INBOUND_PATH, include_in_schema=False)
        async def inbound(request: Request) -> Response:
            params = await self._verified_form(request)
            if params is None:
                return Response(status_code=403)
            await self.accept(params, intake)
            return Response(EMPTY_TWIML, media_type="text/xml")

        @router.post(STATUS_PATH, include_in_schema=False)
        async def status(request: Request) -> Response:
            params = await self._verified_form(request)
            if params is None:
                return Response(status_code=403)
            await self.status(params, intake)
            return Response(status_code=200)

        return router

    async def accept(self, params: dict[str, str], intake: Intake) -> None:
        """Handle one verified inbound SMS."""
        sid = params.get("MessageSid") or params.get("SmsSid")
        sender = params.get("From")
        if not sid or not sender:
            logger.warning("signed SMS webhook without MessageSid or From ignored")
            return
        body = params.get("Body", "")
        kind = keywords.keyword(body, params.get("OptOutType"))
        inbound = InboundMessage(
            channel=NAME,
            address=sender,
            text=keywords.engine_text(body, kind),
            received_at=datetime.now(UTC),
            external_id=sid,
            media=_media(params),
            # Twilio blocks (or unblocks) the number for this sender too: the address
            # remembers it, in the same transaction as the message.
            carrier_opt_out={keywords.STOP: True, keywords.START: False}.get(kind or ""),
        )
        if kind == keywords.HELP:
            await intake.answer(inbound, sms_help(self.help_contact))
            return
        await intake.accept(inbound)

    async def status(self, params: dict[str, str], intake: Intake) -> None:
        """Record a verified status callback."""
        sid = params.get("MessageSid") or params.get("SmsSid")
        state = (params.get("MessageStatus") or params.get("SmsStatus") or "").lower()
        if not sid or not state or storable_id(sid) != sid:
            return  # none of our messages has an id like that (and PostgreSQL would refuse it)
        code = params.get("ErrorCode") or None
        if code is not None and not code.isdigit():
            code = None  # Twilio's error codes are numbers; anything else tells us nothing
        failed = state in FAILED_STATUSES
        effect = _effect(code) if failed else None
        outbox = Outbox(intake.service.sessions, intake.service.clock)
        error = f"twilio:{code}" if code else state
        found = await dbwriter.run(outbox.provider_status, NAME, sid, failed, error, effect)
        if not found:
            logger.info("status for an unknown SMS %s (%s)", sid, state)

    async def send(self, delivery: Delivery) -> Outcome:
        """Send one message, split into texts of a sensible number of segments.

        A message claimed again after its sender died mid-send is first looked up at
        Twilio, part by part: what Twilio already accepted is not sent a second time.
        """
        text = numbered_choices_text(delivery.rendered, delivery.language)
        parts = _parts(text)
        first: str | None = None
        for index in range(delivery.parts_sent, len(parts)):
            try:
                sid = None
                if delivery.resumed_since is not None:
                    sid = await self._accepted(
                        delivery.address, parts[index], delivery.resumed_since
                    )
                if sid is None:
                    sid = await self._create(delivery.address, parts[index])
            except TwilioRestException as error:
                return replace(_outcome(error), parts_sent=index)
            except (aiohttp.ClientError, TimeoutError) as error:
                return Outcome(error=f"http:{type(error).__name__}", parts_sent=index)
            first = first or sid
        return Outcome(provider_id=first)

    async def stop(self) -> None:
        """Close the REST client's connections."""
        if isinstance(self.client.http_client, AiohttpTwilioClient):
            await self.client.http_client.close()

    async def _create(self, to: str, body: str) -> str:
        options: dict[str, Any] = {"to": to, "body": body}
        if self.messaging_service_sid:
            options["messaging_service_sid"] = self.messaging_service_sid
        else:
            options["from_"] = self.from_number
        if self.public_url:
            options["status_callback"] = self.public_url + STATUS_PATH
        message = await self.client.messages.create_async(**options)
        return str(message.sid)

    async def _accepted(self, to: str, body: str, since: datetime) -> str | None:
        """The id of a text with this body Twilio accepted for ``to`` since ``since``."""
        # Twilio's times are whole seconds from its own clock: allow for both.
        earliest = since.replace(microsecond=0) - RESUME_CLOCK_SLACK
        # Newest first; a resumed message is at most a lease old, so it is among the
        # last few sent to the number (those of a quick exit or a long answer included).
        for message in await self.client.messages.list_async(to=to, limit=RESUME_LOOKBACK):
            created = message.date_created
            outbound = str(message.direction or "").startswith("outbound")
            if outbound and message.body == body and (created is None or created >= earliest):
                return str(message.sid)
        return None


def _parts(text: str) -> list[str]:
    """The texts to send: look-alike characters made GSM-7, split at sensible places.

    Each part stays within a few segments (``content.sms`` has the rules): Twilio would
    concatenate a long text itself, but a ten-segment text is often garbled or dropped.
    """
    parts = sms.split(sms.sanitize_for_gsm(text))
    return parts or [text]


def _media(params: dict[str, str]) -> tuple[str, ...]:
    try:
        count = int(params.get("NumMedia", "0") or 0)
    except ValueError:
        count = 0
    kinds = []
    for index in range(min(count, 10)):
        content_type = params.get(f"MediaContentType{index}", "")
        if content_type.startswith("image/"):
            kinds.append("photo")
        elif content_type.startswith(("audio/", "video/")):
            kinds.append("voice")
        else:
            kinds.append("document")
    return tuple(dict.fromkeys(kinds))


def _effect(code: str | None) -> str | None:
    if code in OPTED_OUT_CODES:
        return OPTED_OUT
    if code in BAD_NUMBER_CODES:
        return UNREACHABLE
    return None


def _outcome(error: TwilioRestException) -> Outcome:
    code = str(error.code) if error.code is not None else None
    effect = _effect(code)
    status = error.status or 0
    # 429 and 5xx are Twilio's to retry; any other 4xx will fail the same way again.
    temporary = status == 429 or status >= 500
    return Outcome(
        error=f"twilio:{code or status}",
        permanent=not temporary or effect is not None,
        effect=effect,
    )
