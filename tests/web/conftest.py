"""Web tests share the channel fixtures; tests/conftest.py guards the network."""

from __future__ import annotations

from tests.channels.conftest import (  # noqa: F401 - fixtures, found by name
    _our_keyring,
    bot_api,
    h,
    shared_runtime,
)
