from __future__ import annotations

import json
from datetime import datetime

import httpx

from cases.codes import RACE, RELIGION
from nlu import parse as p
from nlu.embedded import EmbeddedUnderstander
from nlu.rasa import RasaUnderstander


def rasa(understander: EmbeddedUnderstander, handler: object) -> RasaUnderstander:
    client = httpx.Client(transport=httpx.MockTransport(handler))  # type: ignore[arg-type]
    return RasaUnderstander("http://rasa.test:5005/", embedded=understander, client=client)


def test_intent_and_entities_come_from_rasa(
    understander: EmbeddedUnderstander, now: datetime
) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            json={
                "text": "x",
                "intent": {"name": "affirm", "confidence": 0.91},
                "entities": [
                    {"entity": "postcode", "value": "sw1a1aa"},
                    {"entity": "number", "value": 2},
                ],
            },
        )

    parse = rasa(understander, handler).parse("yes SW1A 1AA 2", language="en", now=now)
    assert seen[0].url.path == "/model/parse"
    assert json.loads(seen[0].content) == {"text": "yes SW1A 1AA 2"}
    assert parse.intent == p.YES
    assert parse.confidence == 0.91
    assert parse.postcode == "SW1A 1AA"
    assert parse.numbers == (2,)
    assert parse.language == "en"


def test_multi_intent_motivation(understander: EmbeddedUnderstander, now: datetime) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"intent": {"name": "hate_race+hate_religion_muslim+online", "confidence": 0.8}}
        return httpx.Response(200, json=body)

    parse = rasa(understander, handler).parse("whatever", language="en", now=now)
    assert parse.intent == p.REPORT
    assert parse.motivations == frozenset({RACE, RELIGION})
    assert parse.religion == "muslim"
    assert parse.online


def test_a_weak_guess_at_stop_is_not_acted_on(
    understander: EmbeddedUnderstander, now: datetime
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        text = json.loads(request.content)["text"]
        confidence = 0.98 if text == "stop messaging me" else 0.6
        return httpx.Response(200, json={"intent": {"name": "stop", "confidence": confidence}})

    understanding = rasa(understander, handler)
    assert understanding.parse("me", language="en", now=now).intent == p.NONE
    assert understanding.parse("stop messaging me", language="en", now=now).intent == p.STOP


def test_danger_stays_embedded(understander: EmbeddedUnderstander, now: datetime) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"intent": {"name": "greet", "confidence": 0.99}})

    parse = rasa(understander, handler).parse("he has a knife", language="en", now=now)
    assert parse.danger == p.WEAPON


def test_server_failure_falls_back(understander: EmbeddedUnderstander, now: datetime) -> None:
    def failing(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("down", request=request)

    def garbage(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"not json")

    def error(request: httpx.Request) -> httpx.Response:
        return httpx.Response(500)

    for handler in (failing, garbage, error):
        parse = rasa(understander, handler).parse("stop", language="en", now=now)
        assert parse.intent == p.STOP


def test_load_understander_uses_rasa_when_configured(monkeypatch: object) -> None:
    import nlu

    monkeypatch.setenv(nlu.RASA_URL_ENV, "http://127.0.0.1:9")  # type: ignore[attr-defined]
    nlu._cache.pop(("en",), None)
    try:
        loaded = nlu.load_understander(["en"])
        assert isinstance(loaded, RasaUnderstander)
    finally:
        nlu._cache.pop(("en",), None)


def test_a_command_is_verbatim_only_while_rasa_keeps_its_intent(
    understander: EmbeddedUnderstander, now: datetime
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        text = json.loads(request.content)["text"]
        name = "stop" if text == "stop" else "affirm"
        return httpx.Response(200, json={"intent": {"name": name, "confidence": 0.95}})

    understanding = rasa(understander, handler)
    assert understanding.parse("stop", language="en", now=now).verbatim
    # The embedded data has "quit" as stop word for word; Rasa reads a yes instead.
    assert not understanding.parse("quit", language="en", now=now).verbatim
