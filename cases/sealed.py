"""The one storage seam for special category data: sealed (encrypted) columns.

Every sensitive column (message text, free-text answers, names, contact addresses,
strands) is declared with :class:`SealedText` or :class:`SealedJSON`, so encryption at
rest lives here and nowhere else. Values are encrypted with Fernet (AES-128-CBC with
HMAC-SHA256) from a keyring whose first key encrypts and every key decrypts, which is
what key rotation needs. Lookups by address use :func:`blind_index`, a keyed HMAC, so
no plaintext address is ever stored or compared in SQL.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

logger = logging.getLogger(__name__)

_KEY_FILE_NAME = "keys"


class Keyring:
    """Encryption keys, newest first, plus the key for blind indexes.

    Args:
        keys: Fernet keys (url-safe base64), newest first. The newest encrypts.
    """

    def __init__(self, keys: list[bytes]) -> None:
        if not keys:
            raise ValueError("a keyring needs at least one key")
        self._fernet = MultiFernet([Fernet(key) for key in keys])
        # The index key is derived from the oldest key so that rotating the
        # encryption key does not change every blind index.
        self._index_key = hashlib.sha256(b"tellsafe-blind-index:" + keys[-1]).digest()

    @classmethod
    def from_setting(cls, setting: str | None, data_dir: Path) -> Keyring:
        """Build the keyring from configuration, or from a key file made on first use.

        Args:
            setting: Comma-separated keys (``TELLSAFE_KEYS``), newest first, or None.
            data_dir: Where the embedded default keeps its generated key file.

        Returns:
            The keyring.
        """
        if setting:
            return cls([key.strip().encode() for key in setting.split(",") if key.strip()])
        path = data_dir / _KEY_FILE_NAME
        if not path.exists():
            data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(Fernet.generate_key() + b"\n")
            logger.info("generated a new encryption key file in the data directory")
        return cls([line.strip() for line in path.read_bytes().splitlines() if line.strip()])

    def encrypt(self, plaintext: str) -> str:
        """Encrypt text with the newest key."""
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        """Decrypt text sealed with any key of the ring.

        Raises:
            ValueError: When no key of the ring opens the token.
        """
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken as error:
            raise ValueError(
                "a sealed value could not be opened with any configured key"
            ) from error

    def rotate(self, token: str) -> str:
        """Re-encrypt a token under the newest key."""
        return self._fernet.rotate(token.encode("ascii")).decode("ascii")

    def index(self, value: str) -> str:
        """Keyed, deterministic digest of ``value`` for equality lookups."""
        return hmac.new(self._index_key, value.encode("utf-8"), hashlib.sha256).hexdigest()


_keyring: Keyring | None = None


def install_keyring(keyring: Keyring) -> None:
    """Make ``keyring`` the one used by sealed columns in this process."""
    global _keyring  # noqa: PLW0603 - one keyring per process, set at start-up
    _keyring = keyring


def current_keyring() -> Keyring:
    """Return the installed keyring.

    Raises:
        RuntimeError: When start-up has not installed one.
    """
    if _keyring is None:
        raise RuntimeError("no keyring installed: call cases.sealed.install_keyring first")
    return _keyring


def blind_index(value: str) -> str:
    """Return the keyed HMAC of ``value`` used to look up sealed addresses."""
    return current_keyring().index(value)


class SealedText(TypeDecorator[str]):
    """A text column stored encrypted."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        """Encrypt on the way into the database."""
        return None if value is None else current_keyring().encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        """Decrypt on the way out of the database."""
        return None if value is None else current_keyring().decrypt(value)


class SealedJSON(TypeDecorator[Any]):
    """A JSON value stored encrypted (for strands and other structured answers)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        """Serialise then encrypt."""
        if value is None:
            return None
        return current_keyring().encrypt(json.dumps(value, sort_keys=True, ensure_ascii=False))

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        """Decrypt then parse."""
        return None if value is None else json.loads(current_keyring().decrypt(value))
