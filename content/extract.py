"""A Babel extractor for the services directory's descriptions."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

import yaml


def extract_services(
    fileobj: IO[bytes],
    keywords: Mapping[str, Any],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Yield each service description as a message for the catalogs.

    Args:
        fileobj: The YAML file.
        keywords: Unused (Babel's extractor signature).
        comment_tags: Unused.
        options: Unused.

    Yields:
        ``(line number, funcname, message, comments)`` as Babel expects.
    """
    text = fileobj.read().decode("utf-8")
    data = yaml.safe_load(text) or {}
    lines = text.splitlines()
    for service in data.get("services", []):
        description = service.get("description")
        if not description:
            continue
        line = next(
            (number for number, content in enumerate(lines, 1) if description in content), 0
        )
        yield line, "N_", description, [f"Support service: {service.get('name', '')}"]
