"""Fixtures for the officer console tests (the network guard is in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.officer.kit import Console, console_app


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    """The application with the console, on SQLite, at a fixed weekday morning."""
    with console_app(tmp_path) as built:
        yield built


@pytest.fixture
def any_console(tmp_path: Path, database_url: str) -> Iterator[Console]:
    """The same on SQLite and on PostgreSQL."""
    with console_app(tmp_path, database_url) as built:
        yield built
