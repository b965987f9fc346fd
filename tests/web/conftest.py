"""Web tests share the channel fixtures (one runtime, fakes, the network guard)."""

from __future__ import annotations

from tests.channels.conftest import (  # noqa: F401 - fixtures, found by name
    _network_guard,
    _our_keyring,
    bot_api,
    h,
    shared_runtime,
)
