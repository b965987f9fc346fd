from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from nlu import model_cache
from nlu.data_reader import LanguageData, read_languages

TEXTS = ["he pulled off my turban", "tak", "mujhe paki bola", "😀", ""]


@pytest.fixture(scope="module")
def data() -> dict[str, LanguageData]:
    return read_languages(["en", "pl", "ur"])


def test_round_trip_gives_identical_scores(tmp_path: Path, data: dict[str, LanguageData]) -> None:
    cache = tmp_path / "cache"
    trained = model_cache.trained_models(data, cache)
    assert (cache.stat().st_mode & 0o777) == 0o700
    files = list(cache.glob("models-*.npz"))
    assert len(files) == 1
    assert (files[0].stat().st_mode & 0o777) == 0o600
    loaded = model_cache.load(cache, model_cache.cache_key(data), tuple(data))
    assert loaded is not None
    for text in TEXTS:
        assert loaded.score(text) == trained.score(text)


def test_key_changes_with_data(data: dict[str, LanguageData]) -> None:
    fewer = {code: data[code] for code in ("en", "pl")}
    assert model_cache.cache_key(fewer) != model_cache.cache_key(data)


def test_foreign_or_public_files_are_ignored(tmp_path: Path, data: dict[str, LanguageData]) -> None:
    cache = tmp_path / "cache"
    model_cache.trained_models(data, cache)
    key = model_cache.cache_key(data)
    (path,) = cache.glob("models-*.npz")
    os.chmod(path, 0o666)
    assert model_cache.load(cache, key, tuple(data)) is None
    os.chmod(path, 0o600)
    os.chmod(cache, 0o777)
    assert model_cache.load(cache, key, tuple(data)) is None
    assert model_cache.save(cache, key, model_cache.trained_models(data, None)) is None


def test_pickled_or_corrupt_files_are_never_loaded(
    tmp_path: Path, data: dict[str, LanguageData]
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    key = model_cache.cache_key(data)
    path = cache / f"models-{key[:40]}.npz"
    # An object array needs pickle to load; allow_pickle=False must refuse it.
    with path.open("wb") as out:
        np.savez(out, cache_key=np.array(key), evil=np.array([object()], dtype=object))
    os.chmod(path, 0o600)
    assert model_cache.load(cache, key, tuple(data)) is None
    path.write_bytes(b"not a zip file")
    assert model_cache.load(cache, key, tuple(data)) is None
    # A broken file is replaced by a good one on the next start.
    model_cache.trained_models(data, cache)
    assert model_cache.load(cache, key, tuple(data)) is not None


def test_cache_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(model_cache.CACHE_ENV, "off")
    assert model_cache.default_cache_dir() is None
    monkeypatch.setenv(model_cache.CACHE_ENV, str(tmp_path / "c"))
    assert model_cache.default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv(model_cache.CACHE_ENV)
    monkeypatch.setenv("TELLSAFE_DATA_DIR", str(tmp_path))
    assert model_cache.default_cache_dir() == tmp_path / "nlu-cache"
