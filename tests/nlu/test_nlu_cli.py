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


def test_held_out_is_separate_and_never_trained() -> None:
    from nlu.data_reader import HELD_OUT_DIR, available_languages, read_languages
    from nlu.text import normalise

    training = read_languages(available_languages())
    held = read_languages(available_languages(HELD_OUT_DIR), HELD_OUT_DIR)
    assert set(held) == set(training), "every language needs a held-out set"
    trained_texts = {normalise(e.text) for data in training.values() for e in data.examples}
    for code, data in held.items():
        assert len(data.examples) >= 18, code
        copied = [e.text for e in data.examples if normalise(e.text) in trained_texts]
        assert not copied, (code, copied)


def test_held_out_danger_recall_is_total(understander: EmbeddedUnderstander) -> None:
    from nlu.data_reader import available_languages

    report = evaluate(understander, held_out_examples(available_languages()))
    assert report.overall.danger.total >= 16 * 4
    assert report.danger_recall() == 1.0
