"""An understander backed by a Rasa server's ``POST /model/parse``.

Used when ``TELLSAFE_RASA_URL`` is set, so a deployment can move the training data in
``nlu/data`` to a Rasa server unchanged. Rasa decides the intent and its entities; the
embedded parts still decide danger (patterns must never depend on a remote model being
up), the language (Rasa has no language identification) and, unless the Rasa intent is a
motivation label, the motivations, religion and online flag. If the server fails or is
slow, the embedded parse is returned: a message is never lost to an outage.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final

import httpx

from cases.codes import RELIGIONS
from nlu.classifiers import decode_labels
from nlu.data_reader import Example
from nlu.entities import find_postcode
from nlu.parse import (
    GREETING,
    INTENTS,
    NO,
    NONE,
    REPORT,
    YES,
    Parse,
    Understander,
    unsure_ending,
)

logger = logging.getLogger(__name__)

#: Seconds to wait for the server; parse runs on every message.
DEFAULT_TIMEOUT: Final = 2.0

# Names that Rasa's starter projects use for the same intents.
_ALIASES: Final = {
    "affirm": YES,
    "deny": NO,
    "greet": GREETING,
    "goodbye": NONE,
    "out_of_scope": NONE,
}


class RasaUnderstander:
    """Intents and entities from a Rasa server; danger and language from ``embedded``.

    Args:
        base_url: The Rasa server, e.g. ``http://rasa:5005``.
        embedded: The embedded understander used for everything Rasa has no part for,
            and as the fallback when the server fails.
        client: An ``httpx.Client`` to use (tests pass one with a ``MockTransport``).
        timeout: Seconds before giving up on the server.
    """

    def __init__(
        self,
        base_url: str,
        *,
        embedded: Understander,
        client: httpx.Client | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> None:
        self._url = base_url.rstrip("/") + "/model/parse"
        self._embedded = embedded
        self._client = client if client is not None else httpx.Client(timeout=timeout)

    @property
    def languages(self) -> tuple[str, ...]:
        """The language codes this understander can read."""
        return self._embedded.languages

    def parse(self, text: str, *, language: str | None, now: datetime) -> Parse:
        """Understand one message; never raises (see :class:`nlu.parse.Understander`)."""
        local = self._embedded.parse(text, language=language, now=now)
        try:
            response = self._client.post(self._url, json={"text": text})
            response.raise_for_status()
            body = response.json()
        except (httpx.HTTPError, ValueError) as error:
            logger.warning("rasa parse failed, using embedded NLU: %s", type(error).__name__)
            return local
        if not isinstance(body, dict):
            logger.warning("rasa parse returned a %s, using embedded NLU", type(body).__name__)
            return local
        return merge(local, body)

    def resolve_date(self, text: str, *, language: str, now: datetime) -> datetime | None:
        """Resolve a date with the embedded resolver (Rasa's duckling is optional)."""
        return self._embedded.resolve_date(text, language=language, now=now)


def merge(local: Parse, body: Mapping[str, Any]) -> Parse:
    """Combine the embedded parse with a Rasa ``/model/parse`` response.

    Args:
        local: The embedded parse of the same text.
        body: The decoded JSON response.

    Returns:
        The parse with Rasa's intent and entities where Rasa has them.
    """
    changes: dict[str, Any] = {}
    intent = body.get("intent") if isinstance(body.get("intent"), dict) else None
    if intent is not None:
        name = str(intent.get("name") or NONE)
        confidence = _confidence(intent.get("confidence"))
        decoded = decode_labels(Example("", name, local.language or ""))
        if decoded is not None:
            changes.update(
                intent=REPORT,
                confidence=confidence,
                motivations=decoded.strands,
                religion=decoded.religion if "religion" in decoded.strands else None,
                online=decoded.online or local.online,
            )
        else:
            name = _ALIASES.get(name, name)
            if name not in INTENTS or unsure_ending(name, confidence):
                name = NONE
            changes.update(intent=name, confidence=confidence)
    entities = body.get("entities")
    if isinstance(entities, list):
        changes.update(_entities(entities, local))
    # Word for word in our data only while Rasa kept the intent read from it.
    changes["verbatim"] = local.verbatim and changes.get("intent", local.intent) == local.intent
    if not changes["verbatim"]:
        changes["verbatim_in"] = frozenset()
    return dataclasses.replace(local, **changes)


def _confidence(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    if math.isnan(number):
        return 0.0
    return min(1.0, max(0.0, number))


def _entities(entities: list[Any], local: Parse) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    numbers: list[int] = []
    for entity in entities:
        if not isinstance(entity, dict):
            continue
        kind = str(entity.get("entity", ""))
        value = entity.get("value")
        if kind == "platform" and value:
            changes["platform"] = str(value).casefold()
            changes["online"] = True
        elif kind == "postcode" and value:
            postcode = find_postcode(str(value))
            if postcode is not None:
                changes["postcode"] = postcode
        elif kind == "religion" and str(value) in RELIGIONS and "religion" in local.motivations:
            changes["religion"] = str(value)
        elif kind == "number" and isinstance(value, int | float | str):
            try:
                numbers.append(int(value))
            except ValueError:
                continue
    if numbers:
        changes["numbers"] = tuple(dict.fromkeys(numbers))
    return changes
