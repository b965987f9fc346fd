"""The load benches' CPU figure counts the server's worker processes, not only the parent.

`tellsafe serve --workers 2` does its work in child processes; a figure that read the
parent alone would say the server costs next to nothing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.bench.test_bench_walk import _bench

#: Spends ``sys.argv[1]`` seconds of CPU, starts the rest of the chain (if any), says
#: "ready" once every process below it has, then waits to be read.
_LINK = """
import subprocess, sys, time
end = time.process_time() + float(sys.argv[1])
while time.process_time() < end:
    pass
if len(sys.argv) > 2:
    below = subprocess.Popen([sys.executable, __file__, *sys.argv[2:]], stdout=subprocess.PIPE)
    below.stdout.readline()
print("ready", flush=True)
time.sleep(60)
"""


def test_cpu_seconds_adds_up_a_process_and_its_children(tmp_path: Path) -> None:
    link = tmp_path / "link.py"
    link.write_text(_LINK, encoding="utf-8")
    command = [sys.executable, str(link), "0.2", "0.4"]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, text=True, start_new_session=True
    ) as chain:
        try:
            assert chain.stdout is not None
            assert chain.stdout.readline().strip() == "ready"
            spent = _bench().cpu_seconds([chain.pid])
        finally:
            os.killpg(chain.pid, signal.SIGKILL)
    # 0.2 s in the parent and 0.4 s in its child, plus two interpreter start-ups.
    assert 0.6 <= spent < 5.0
