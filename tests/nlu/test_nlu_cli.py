from __future__ import annotations

import io
import json

from nlu.__main__ import classify
from nlu.embedded import EmbeddedUnderstander
from nlu.evaluate import evaluate, format_report, held_out_examples

KEYS = {"language", "intent", "confidence", "motivations", "religion", "online", "danger"}


def test_classify_contract(understander: EmbeddedUnderstander) -> None:
    lines = [
        json.dumps({"text": "he pulled off my turban"}),
        json.dumps({"text": "tak", "language": "pl"}),
        "not json at all",
        json.dumps({"text": "someone posted racist stuff about me on fb"}),
        json.dumps({"text": "he has a knife"}),
    ] * 200
    out = io.StringIO()
    assert classify(understander, io.StringIO("\n".join(lines) + "\n"), out) == 1000
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert len(results) == 1000
    for result in results:
        assert set(result) == KEYS
        assert 0.0 <= result["confidence"] <= 1.0
    assert results[0]["motivations"] == ["religion"]
    assert results[0]["religion"] == "sikh"
    assert results[1]["language"] == "pl"
    assert results[1]["intent"] == "yes"
    assert results[3]["online"] is True
    assert results[4]["danger"] is True


def test_eval_report(understander: EmbeddedUnderstander) -> None:
    report = evaluate(understander, held_out_examples(["en", "ur"]))
    text = format_report(report)
    assert "macro-F1" in text
    assert report.macro_f1() >= 0.8
    assert report.lid_accuracy() >= 0.9


def test_held_out_never_trained() -> None:
    from nlu.data_reader import read_languages

    data = read_languages(["en"])
    held = [e for e in data["en"].examples if e.held_out]
    assert held
    assert len(held) < len(data["en"].examples) / 3
