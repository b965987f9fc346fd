from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

# The package is not installed in the test venv: make the repository importable when
# pytest is run as a script (``pytest tests/nlu``) rather than ``python -m pytest``.
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from nlu import load_understander  # noqa: E402
from nlu.embedded import EmbeddedUnderstander  # noqa: E402

NOW = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def understander(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedUnderstander:
    # Never read or write the developer's real model cache from tests.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TELLSAFE_NLU_CACHE", str(tmp_path_factory.mktemp("nlu-cache")))
        loaded = load_understander()
    assert isinstance(loaded, EmbeddedUnderstander)
    return loaded


@pytest.fixture
def now() -> datetime:
    return NOW
