"""Benchmark of the embedded NLU: start-up, parse latency p50/p99, peak memory.

Run as ``python bench/nlu`` (or ``bench/nlu``). Parses 1,000 mixed-language messages
(held-out and training examples of every language, plus junk) once each, after start-up.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MESSAGES = 1000


def main() -> int:
    started = time.perf_counter()
    from nlu import load_understander  # noqa: PLC0415  (timed: part of start-up)

    understander = load_understander()
    startup = time.perf_counter() - started

    from nlu.data_reader import available_languages, read_languages  # noqa: PLC0415

    texts: list[str] = []
    for data in read_languages(available_languages()).values():
        texts.extend(example.text for example in data.examples)
    texts.extend(["", "😀😀", "x" * 10000, "\x00\x01junk", "ok", "12"])
    messages = [texts[(i * 7919) % len(texts)] for i in range(MESSAGES)]
    now = datetime.now(UTC)
    timings = []
    for text in messages:
        begin = time.perf_counter()
        understander.parse(text, language=None, now=now)
        timings.append((time.perf_counter() - begin) * 1000)
    timings.sort()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"messages          {len(messages)} ({len(available_languages())} languages)")
    print(f"start-up          {startup:.2f} s (import + train)")
    print(f"parse p50         {statistics.median(timings):.2f} ms")
    print(f"parse p99         {timings[int(len(timings) * 0.99) - 1]:.2f} ms")
    print(f"parse max         {timings[-1]:.2f} ms")
    print(f"peak memory (RSS) {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
