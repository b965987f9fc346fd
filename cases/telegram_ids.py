"""What ``messages.external_id`` holds for Telegram: message keys that do not name the chat.

A Telegram message id is unique only within its chat, and deleting a message (the quick
exit) needs the chat id too. But the chat id is the person's Telegram address, which is
stored sealed and found by its blind index only, never in the clear. So a row keeps:

- for a message, ``m:<tag>:<message id>``, where ``<tag>`` is a truncated keyed HMAC of
  the chat id (:func:`cases.sealed.blind_index`, in its own ``telegram-chat:`` domain so
  it never equals an address index). The tag keeps ``(channel, external_id)`` unique,
  as message ids repeat across chats, and lets the quick exit pick out this chat's
  messages; the chat id itself is known at send time from the conversation's sealed
  address. 96 bits make a clash between two chats' tags a practical impossibility.
- for a button press, ``q:<digest>``: a keyed digest of the callback query id, whose
  structure Telegram does not document. It is only ever compared for equality.

Both are keyed under the deployment's index key, so ``tellsafe keys retire`` (which
changes that key) rewrites the message tags from the sealed addresses
(:func:`cases.rotation.retire`); callback digests cannot be recomputed (the query id is
not kept) and need not be: nothing looks them up after the delivery has been handled.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from cases.sealed import Keyring, current_keyring

#: Prefix of a message key.
MESSAGE_PREFIX: Final = "m:"
#: Prefix of a button press (callback query) key.
CALLBACK_PREFIX: Final = "q:"
#: Hex characters of the chat tag kept (96 bits).
TAG_LENGTH: Final = 24
#: Hex characters of a callback digest kept (128 bits).
CALLBACK_LENGTH: Final = 32
_CHAT_DOMAIN: Final = "telegram-chat:"
_CALLBACK_DOMAIN: Final = "telegram-callback:"


def chat_tag(chat_id: int | str, keyring: Keyring | None = None) -> str:
    """The keyed tag that stands for a chat in message keys.

    Args:
        chat_id: The Telegram chat id.
        keyring: The ring whose index key to use; the installed one by default.

    Returns:
        :data:`TAG_LENGTH` hex characters.
    """
    ring = keyring or current_keyring()
    return ring.index(f"{_CHAT_DOMAIN}{chat_id}")[:TAG_LENGTH]


def message_key(chat_id: int | str, message_id: int, keyring: Keyring | None = None) -> str:
    """The external id of a Telegram message (message ids are unique only per chat).

    Args:
        chat_id: The chat the message is in.
        message_id: The message id within the chat.
        keyring: The ring whose index key to use; the installed one by default.

    Returns:
        ``m:<tag>:<message id>``.
    """
    return join_message_key(chat_tag(chat_id, keyring), message_id)


def join_message_key(tag: str, message_id: int) -> str:
    """A message key from a chat tag and a message id (see :func:`split_message_key`)."""
    return f"{MESSAGE_PREFIX}{tag}:{message_id}"


def callback_key(query_id: str, keyring: Keyring | None = None) -> str:
    """The external id of a button press: a keyed digest of its callback query id."""
    ring = keyring or current_keyring()
    return CALLBACK_PREFIX + ring.index(_CALLBACK_DOMAIN + query_id)[:CALLBACK_LENGTH]


def split_message_key(key: str) -> tuple[str, int] | None:
    """The chat tag and message id of a message key, or None for anything else."""
    if not key.startswith(MESSAGE_PREFIX):
        return None
    tag, separator, number = key[len(MESSAGE_PREFIX) :].partition(":")
    if not separator or len(tag) != TAG_LENGTH or not number.isdigit():
        return None
    return tag, int(number)


def message_ids(keys: Iterable[str], chat_id: int | str) -> list[int]:
    """The ids of the messages among ``keys`` that are in this chat, in order.

    Args:
        keys: External ids of a conversation's messages (any kind).
        chat_id: The chat the messages must be in: a key of another chat, or made
            under another index key, is left out rather than guessed at.

    Returns:
        Message ids, ascending, without repeats.
    """
    tag = chat_tag(chat_id)
    found = {parts[1] for key in keys if (parts := split_message_key(key)) and parts[0] == tag}
    return sorted(found)
