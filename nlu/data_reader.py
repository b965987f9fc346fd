"""A small reader for Rasa's ``nlu.yml`` training-data format.

Rasa itself is not a dependency (it does not install on Python 3.11), but the data stays
in its format so it can move to a Rasa server unchanged. Supported: ``intent`` blocks with
``examples`` (entity annotations ``[text](entity)``, ``[text](entity:value)`` and
``[text]{"entity": ..., "value": ...}``), ``synonym``, ``lookup`` and ``regex`` blocks.

Layout: ``nlu/data/<language>/*.yml``, one directory per language code, is the training
data (all of it is trained on). ``nlu/heldout/<language>/*.yml`` is the evaluation set in the
same format: written separately, never trained on, and checked by the tests to share no
example with the training data.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml

#: Where the training data lives, one sub-directory per language.
DATA_DIR: Final = Path(__file__).resolve().parent / "data"

#: The evaluation data: same layout and format, never trained on.
HELD_OUT_DIR: Final = Path(__file__).resolve().parent / "heldout"

#: Intent-name separator for multi-label examples, as in Rasa's multi-intent feature.
MULTI_SEPARATOR: Final = "+"

# The C safe loader is several times faster than the pure-Python one; start-up counts.
_LOADER: Final = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_ANNOTATION: Final = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<paren>[^)]+)\)|(?P<json>\{[^}]*\}))")


@dataclass(frozen=True)
class Entity:
    """An annotated span in an example (``[Facebook](platform)``)."""

    entity: str
    value: str
    start: int
    end: int


@dataclass(frozen=True)
class Example:
    """One training example: plain text, its intent (or ``a+b`` labels) and language."""

    text: str
    intent: str
    language: str
    entities: tuple[Entity, ...] = ()

    @property
    def labels(self) -> tuple[str, ...]:
        """The intent split into its labels (``hate_race+online`` -> two labels)."""
        return tuple(self.intent.split(MULTI_SEPARATOR))


@dataclass
class LanguageData:
    """Everything read for one language."""

    language: str
    examples: list[Example] = field(default_factory=list)
    #: Variant spelling (casefolded) -> canonical value.
    synonyms: dict[str, str] = field(default_factory=dict)
    lookups: dict[str, list[str]] = field(default_factory=dict)
    regexes: dict[str, list[str]] = field(default_factory=dict)


def available_languages(data_dir: Path = DATA_DIR) -> tuple[str, ...]:
    """Language codes that have a data directory, sorted."""
    if not data_dir.is_dir():
        return ()
    return tuple(sorted(p.name for p in data_dir.iterdir() if p.is_dir() and any(p.glob("*.yml"))))


def fingerprint(languages: Iterable[str], data_dir: Path = DATA_DIR) -> str:
    """A hash of every data file of ``languages``, to know when a trained model is stale."""
    digest = hashlib.sha256()
    for language in sorted(languages):
        for path in sorted((data_dir / language).glob("*.yml")):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def parse_example(line: str) -> tuple[str, tuple[Entity, ...]]:
    """Strip Rasa entity annotations from one example line.

    Args:
        line: An example as written in ``nlu.yml`` without the leading ``- ``.

    Returns:
        The plain text and the entities it carried.
    """
    entities: list[Entity] = []
    out: list[str] = []
    position = 0
    for match in _ANNOTATION.finditer(line):
        out.append(line[position : match.start()])
        span = match.group("text")
        start = sum(len(part) for part in out)
        name, value = _entity_name_value(match, span)
        entities.append(Entity(name, value, start, start + len(span)))
        out.append(span)
        position = match.end()
    out.append(line[position:])
    return "".join(out).strip(), tuple(entities)


def _entity_name_value(match: re.Match[str], span: str) -> tuple[str, str]:
    paren = match.group("paren")
    if paren is not None:
        name, _, value = paren.partition(":")
        return name.strip(), (value.strip() or span)
    try:
        spec = json.loads(match.group("json"))
    except ValueError:
        return "unknown", span
    if not isinstance(spec, dict):
        return "unknown", span
    return str(spec.get("entity", "unknown")), str(spec.get("value", span))


def _example_lines(block: Any) -> list[str]:
    if isinstance(block, list):
        return [str(item).strip() for item in block if str(item).strip()]
    if not isinstance(block, str):
        return []
    lines = []
    for raw in block.splitlines():
        stripped = raw.strip()
        if stripped.startswith("#"):
            # A note to the data's authors: inside a YAML block it is text, not a
            # comment, and would otherwise become an example or a pattern.
            continue
        if stripped.startswith("- "):
            stripped = stripped[2:].strip()
        elif stripped == "-":
            continue
        if stripped:
            lines.append(stripped)
    return lines


def _name(value: Any) -> str:
    # YAML 1.1 reads unquoted yes/no as booleans; Rasa data is written as text.
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def read_file(path: Path, language: str, into: LanguageData | None = None) -> LanguageData:
    """Read one Rasa ``nlu.yml`` file.

    Args:
        path: The YAML file.
        language: The language code the file belongs to.
        into: Data to add to, or None for a new :class:`LanguageData`.

    Returns:
        The (possibly extended) language data.

    Raises:
        ValueError: When the file is not Rasa NLU data.
    """
    data = into if into is not None else LanguageData(language)
    document = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506  (safe loader)
    if not isinstance(document, dict) or not isinstance(document.get("nlu"), list):
        raise ValueError(f"{path} has no 'nlu' list")
    for item in document["nlu"]:
        if not isinstance(item, dict):
            continue
        lines = _example_lines(item.get("examples"))
        if "intent" in item:
            intent = _name(item["intent"])
            for line in lines:
                text, entities = parse_example(line)
                data.examples.append(Example(text, intent, language, entities))
        elif "synonym" in item:
            canonical = _name(item["synonym"])
            for line in lines:
                data.synonyms[line.casefold()] = canonical
        elif "lookup" in item:
            data.lookups.setdefault(str(item["lookup"]), []).extend(lines)
        elif "regex" in item:
            data.regexes.setdefault(str(item["regex"]), []).extend(lines)
    return data


def read_language(language: str, data_dir: Path = DATA_DIR) -> LanguageData:
    """Read every ``*.yml`` file of one language."""
    data = LanguageData(language)
    for path in sorted((data_dir / language).glob("*.yml")):
        read_file(path, language, data)
    return data


def read_languages(languages: Sequence[str], data_dir: Path = DATA_DIR) -> dict[str, LanguageData]:
    """Read the data of several languages, keyed by language code."""
    return {language: read_language(language, data_dir) for language in languages}
