"""Language understanding: language, intents, danger, motivation, online flag, dates.

Use :func:`load_understander`; the engine only sees :class:`Parse` and the
:class:`Understander` protocol.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Final

from nlu.parse import Parse, Understander

__all__ = ["RASA_URL_ENV", "Parse", "Understander", "load_understander"]

#: When set, intents and entities come from a Rasa server at this base URL.
RASA_URL_ENV: Final = "TELLSAFE_RASA_URL"

_cache: dict[tuple[str, ...] | None, Understander] = {}
_lock = threading.Lock()


def load_understander(languages: Sequence[str] | None = None) -> Understander:
    """Return the understander for ``languages``, trained once per process.

    The embedded understander is built on first use and kept, so repeated calls are cheap.
    Its models come from the model cache (see :mod:`nlu.model_cache`) when it holds
    models for the current data and code, else they are trained from ``nlu/data``
    (a second or two) and cached. When ``TELLSAFE_RASA_URL`` is set, a Rasa
    backend is returned that still uses the embedded parts for danger, language and
    motivation.

    Args:
        languages: Language codes to support; None for every language with data.

    Returns:
        An object implementing :class:`Understander`.
    """
    key = None if languages is None else tuple(sorted(languages))
    with _lock:
        cached = _cache.get(key)
        if cached is None:
            from nlu.embedded import EmbeddedUnderstander  # noqa: PLC0415  (keeps import cheap)
            from nlu.model_cache import default_cache_dir  # noqa: PLC0415

            embedded = EmbeddedUnderstander(key, cache_dir=default_cache_dir())
            rasa_url = os.environ.get(RASA_URL_ENV, "").strip()
            if rasa_url:
                from nlu.rasa import RasaUnderstander  # noqa: PLC0415

                cached = RasaUnderstander(rasa_url, embedded=embedded)
            else:
                cached = embedded
            _cache[key] = cached
        return cached
