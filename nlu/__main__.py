"""Command line: ``python -m nlu classify`` and ``python -m nlu eval``.

``classify`` reads JSON lines ``{"text": ..., "language": optional}`` on stdin and writes
one JSON line per input line, in order, with the model loaded once for all of them.
``eval`` trains on the training data and prints the evaluation on the held-out set.
``build`` trains and writes the model cache, so that start-up only loads it.
``cv`` cross-validates the motivation decision on the training data alone (for choosing
thresholds; see :mod:`nlu.crossval`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import IO, Any

from nlu import load_understander
from nlu.parse import Parse, Understander


def classification(parse: Parse) -> dict[str, Any]:
    """The classification contract's JSON object for one parse."""
    return {
        "language": parse.language,
        "intent": parse.intent,
        "confidence": round(float(parse.confidence), 4),
        "motivations": sorted(parse.motivations),
        "religion": parse.religion,
        "online": bool(parse.online),
        "danger": parse.danger is not None,
    }


def _request(line: str) -> tuple[str, str | None]:
    try:
        item = json.loads(line)
    except ValueError:
        # Not JSON: classify the raw line rather than drop it, so the output stays
        # aligned with the input line for line.
        return line.rstrip("\n"), None
    if not isinstance(item, dict):
        return "" if item is None else str(item), None
    text = item.get("text")
    language = item.get("language")
    return (
        text if isinstance(text, str) else "" if text is None else str(text),
        language if isinstance(language, str) and language else None,
    )


def classify(understander: Understander, lines: IO[str], out: IO[str]) -> int:
    """Classify every line of ``lines`` into ``out``; returns the number of lines."""
    count = 0
    for line in lines:
        if not line.strip():
            continue
        text, language = _request(line)
        if language is not None and language not in understander.languages:
            language = None
        parse = understander.parse(text, language=language, now=datetime.now(UTC))
        out.write(json.dumps(classification(parse), ensure_ascii=False) + "\n")
        out.flush()
        count += 1
    return count


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``python -m nlu``."""
    parser = argparse.ArgumentParser(prog="python -m nlu", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("classify", help="classify JSON lines from stdin")
    evaluation = commands.add_parser("eval", help="evaluate on the held-out split")
    evaluation.add_argument("--languages", nargs="*", help="language codes (default: all)")
    build = commands.add_parser("build", help="train and write the model cache")
    build.add_argument("--languages", nargs="*", help="language codes (default: all)")
    build.add_argument("--cache-dir", help="cache directory (default: from the environment)")
    folds = commands.add_parser("cv", help="cross-validate on the training data")
    folds.add_argument("--languages", nargs="*", help="language codes (default: all)")
    folds.add_argument("--folds", type=int, default=5, help="number of folds (default: 5)")
    arguments = parser.parse_args(argv)
    if arguments.command == "classify":
        classify(load_understander(), sys.stdin, sys.stdout)
        return 0
    if arguments.command == "build":
        return _build(arguments.languages, arguments.cache_dir)
    if arguments.command == "cv":
        from nlu import crossval  # noqa: PLC0415  (only for cv)

        sys.stdout.write(crossval.run(arguments.languages, arguments.folds))
        return 0
    from nlu.evaluate import format_report, run  # noqa: PLC0415  (only for eval)

    sys.stdout.write(format_report(run(arguments.languages)))
    return 0


def _build(languages: Sequence[str] | None, cache_dir: str | None) -> int:
    from pathlib import Path  # noqa: PLC0415

    from nlu.classifiers import Models  # noqa: PLC0415
    from nlu.data_reader import available_languages, read_languages  # noqa: PLC0415
    from nlu.model_cache import cache_key, default_cache_dir, load, save  # noqa: PLC0415

    directory = Path(cache_dir).expanduser() if cache_dir else default_cache_dir()
    if directory is None:
        sys.stderr.write("the model cache is disabled (TELLSAFE_NLU_CACHE=off)\n")
        return 2
    codes = tuple(sorted(languages)) if languages else available_languages()
    data = read_languages(codes)
    key = cache_key(data)
    if load(directory, key, codes) is not None:
        sys.stdout.write(f"up to date: {directory}\n")
        return 0
    written = save(directory, key, Models.train(data))
    if written is None:
        sys.stderr.write(f"could not write the model cache in {directory}\n")
        return 1
    sys.stdout.write(f"written: {written}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
