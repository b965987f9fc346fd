"""One thread per process for the database work of async code.

SQLite has one writer at a time. When many threads of one process write at once they
queue on the database lock with sleeping busy handlers and fight over the GIL, and
throughput collapses under load (measured: a third of the serialised rate, with
seconds of tail latency). Handing every transaction to one thread keeps each short and
back to back.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

_T = TypeVar("_T")
_EXECUTOR = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tellsafe-db")


async def run(function: Callable[..., _T], *args: object) -> _T:
    """Run ``function(*args)`` on the database thread and wait for its result."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_EXECUTOR, functools.partial(function, *args))
