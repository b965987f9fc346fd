"""Benchmark of the embedded NLU: start-up, parse latency p50/p99, peak memory.

Run as ``python bench/nlu`` (or ``bench/nlu``). Start-up is measured in two fresh
processes sharing an empty private model cache: the first trains (and writes the cache),
the second loads it. Each then parses 1,000 mixed-language messages (training and
held-out examples of every language, plus junk) once each.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MESSAGES = 1000


def measure() -> dict[str, float]:
    """Start up, parse the messages, and return the figures (run in a fresh process)."""
    started = time.perf_counter()
    started_cpu = time.process_time()
    from nlu import load_understander  # noqa: PLC0415  (timed: part of start-up)

    understander = load_understander()
    startup = time.perf_counter() - started
    startup_cpu = time.process_time() - started_cpu

    from nlu.data_reader import (  # noqa: PLC0415
        HELD_OUT_DIR,
        available_languages,
        read_languages,
    )

    texts: list[str] = []
    for directory in (None, HELD_OUT_DIR):
        codes = available_languages() if directory is None else available_languages(directory)
        found = read_languages(codes) if directory is None else read_languages(codes, directory)
        for data in found.values():
            texts.extend(example.text for example in data.examples)
    texts.extend(["", "😀😀", "x" * 10000, "\x00\x01junk", "ok", "12"])
    messages = [texts[(i * 7919) % len(texts)] for i in range(MESSAGES)]
    now = datetime.now(UTC)
    timings = []
    cpu_timings = []
    for text in messages:
        begin = time.perf_counter()
        begin_cpu = time.thread_time()
        understander.parse(text, language=None, now=now)
        cpu_timings.append((time.thread_time() - begin_cpu) * 1000)
        timings.append((time.perf_counter() - begin) * 1000)
    timings.sort()
    cpu_timings.sort()
    return {
        "startup": startup,
        "startup_cpu": startup_cpu,
        "p50": statistics.median(timings),
        "p99": timings[int(len(timings) * 0.99) - 1],
        "max": timings[-1],
        # CPU time of the parsing thread: unlike wall time, not inflated when a busy
        # shared machine deschedules the process.
        "cpu_p50": statistics.median(cpu_timings),
        "cpu_p99": cpu_timings[int(len(cpu_timings) * 0.99) - 1],
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "languages": len(understander.languages),
    }


def _child(cache: str) -> dict[str, float]:
    env = {**os.environ, "TELLSAFE_NLU_CACHE": cache}
    result = subprocess.run(
        [sys.executable, __file__, "--child"], env=env, capture_output=True, text=True, check=True
    )
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def main() -> int:
    """Run the cold and warm measurements and print them."""
    if "--child" in sys.argv:
        print(json.dumps(measure()))
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        cache = str(Path(scratch) / "nlu-cache")
        cold = _child(cache)
        warm = _child(cache)
    print(f"messages           {MESSAGES} ({cold['languages']:.0f} languages)")
    print(
        f"start-up (train)   {cold['startup']:.2f} s, CPU {cold['startup_cpu']:.2f} s"
        " (import + train + write cache)"
    )
    print(
        f"start-up (cached)  {warm['startup']:.2f} s, CPU {warm['startup_cpu']:.2f} s"
        " (import + load cache)"
    )
    print(f"parse p50          {warm['p50']:.2f} ms (CPU {warm['cpu_p50']:.2f} ms)")
    print(f"parse p99          {warm['p99']:.2f} ms (CPU {warm['cpu_p99']:.2f} ms)")
    print(f"parse max          {warm['max']:.2f} ms")
    print(f"load average       {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"peak memory (RSS)  {cold['peak_mb']:.0f} MB training, {warm['peak_mb']:.0f} MB cached")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
