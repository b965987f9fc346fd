"""A cache of trained models, so start-up loads arrays instead of training.

The cache file is a NumPy ``.npz`` of plain arrays (numbers and text) read with
``allow_pickle=False``: loading it can never run code, whoever wrote it. It is still kept
in a private directory (mode 0700, owned by this user) and ignored when the directory or
file is writable by anyone else, because a swapped model would misread messages.

The file name is a hash of everything that decides the trained models: the training data
of the configured languages, the source of the modules that turn data into models, the
library versions and :data:`CACHE_VERSION`. Change any of them and the old file is
simply not found; stale files are pruned. Writes go to a temporary file that is renamed
into place, so concurrent processes never read half a file.

Location: ``$TELLSAFE_NLU_CACHE`` when set (``off`` disables the cache), else
``$TELLSAFE_DATA_DIR/nlu-cache`` (the same data directory as the bot's, default
``~/.local/share/tellsafe``). ``python -m nlu build`` fills it at build time.
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Final

import numpy as np
import sklearn

from nlu import classifiers, data_reader, text
from nlu.classifiers import Models
from nlu.data_reader import LanguageData

logger = logging.getLogger(__name__)

#: Bump when the saved arrays change meaning in a way the source hash would not show.
CACHE_VERSION: Final = "1"
#: Environment variable naming the cache directory (``off`` to disable).
CACHE_ENV: Final = "TELLSAFE_NLU_CACHE"
_DATA_DIR_ENV: Final = "TELLSAFE_DATA_DIR"
_DEFAULT_DATA_DIR: Final = Path.home() / ".local" / "share" / "tellsafe"
_DISABLED: Final = frozenset({"off", "0", "no", "false", "none"})
#: Model files kept per directory (several language configurations may share one).
KEEP_FILES: Final = 4
_PREFIX: Final = "models-"
_SUFFIX: Final = ".npz"
_KEY_ARRAY: Final = "cache_key"


def default_cache_dir() -> Path | None:
    """The cache directory from the environment, or None when caching is off."""
    configured = os.environ.get(CACHE_ENV, "").strip()
    if configured.casefold() in _DISABLED:
        return None
    if configured:
        return Path(configured).expanduser()
    data_dir = os.environ.get(_DATA_DIR_ENV, "").strip()
    return (Path(data_dir).expanduser() if data_dir else _DEFAULT_DATA_DIR) / "nlu-cache"


def cache_key(data: Mapping[str, LanguageData]) -> str:
    """A hash of everything that decides the models trained from ``data``."""
    digest = hashlib.sha256()
    digest.update(f"v{CACHE_VERSION} sklearn {sklearn.__version__} numpy {np.__version__}".encode())
    for module in (classifiers, data_reader, text):
        digest.update(Path(module.__file__ or "").read_bytes())
    for code in sorted(data):
        language = data[code]
        digest.update(f"\x00lang {code}\x00".encode())
        for example in language.examples:
            digest.update(f"{example.intent}\x01{example.text}\x02".encode())
    return digest.hexdigest()


def _private(path: Path, *, directory: bool) -> bool:
    """Whether ``path`` is ours alone: owned by us, not writable by group or others."""
    try:
        info = path.lstat()
    except OSError:
        return False
    kind_ok = stat.S_ISDIR(info.st_mode) if directory else stat.S_ISREG(info.st_mode)
    return kind_ok and info.st_uid == os.getuid() and not info.st_mode & 0o022


def _prepare(directory: Path) -> bool:
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return False
    if not _private(directory, directory=True):
        logger.warning("NLU model cache ignored: its directory is not private to this user")
        return False
    return True


def load(directory: Path, key: str, languages: Sequence[str]) -> Models | None:
    """Load the models cached under ``key``, or None when absent, foreign or unreadable."""
    path = directory / f"{_PREFIX}{key[:40]}{_SUFFIX}"
    if not _private(directory, directory=True) or not _private(path, directory=False):
        return None
    try:
        with np.load(path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
        if str(arrays.pop(_KEY_ARRAY)) != key:
            return None
        models = Models.from_arrays(arrays)
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        logger.warning("NLU model cache unreadable; training instead")
        return None
    if models.languages != tuple(sorted(languages)):
        return None
    return models


def save(directory: Path, key: str, models: Models) -> Path | None:
    """Store ``models`` under ``key`` atomically; returns the file, or None on failure."""
    if not _prepare(directory):
        return None
    path = directory / f"{_PREFIX}{key[:40]}{_SUFFIX}"
    arrays = models.to_arrays()
    arrays[_KEY_ARRAY] = np.array(key)
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=_SUFFIX)
    except OSError:
        logger.warning("NLU model cache not written")
        return None
    try:
        with os.fdopen(handle, "wb") as out:  # mkstemp made it 0600
            np.savez(out, **arrays)
        os.replace(temporary, path)
    except OSError:
        logger.warning("NLU model cache not written")
        Path(temporary).unlink(missing_ok=True)
        return None
    _prune(directory, keep=path)
    return path


def _prune(directory: Path, keep: Path) -> None:
    files = sorted(
        directory.glob(f"{_PREFIX}*{_SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True
    )
    for stale in [p for p in files if p != keep][KEEP_FILES - 1 :]:
        stale.unlink(missing_ok=True)


def trained_models(data: Mapping[str, LanguageData], directory: Path | None) -> Models:
    """Models for ``data``: from the cache when it holds them, else trained (and cached).

    Args:
        data: Training data keyed by language code.
        directory: The cache directory, or None to always train.

    Returns:
        The models.
    """
    if directory is None:
        return Models.train(data)
    key = cache_key(data)
    models = load(directory, key, tuple(data))
    if models is not None:
        logger.info("NLU models loaded from cache")
        return models
    models = Models.train(data)
    save(directory, key, models)
    return models
