"""Every catalog is complete, compiles, keeps its placeholders and fits an SMS.

Babel falls back to the English source without a word when an entry is missing, empty
or fuzzy, so a person who chose Arabic would silently get English: these tests catch
it. They also render every message the way the SMS channel sends it, with long-ish
but plausible values in its placeholders, and count the segments.
"""

from __future__ import annotations

import io
import re
import string
from collections import Counter
from functools import cache
from gettext import GNUTranslations
from pathlib import Path

import pytest
from babel.lists import format_list
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from content import sms
from content.i18n import (
    DOMAIN,
    LOCALES_DIR,
    SOURCE_LANGUAGE,
    available_languages,
    translations,
)
from content.render import format_locale

TEMPLATE = LOCALES_DIR / f"{DOMAIN}.pot"

#: The languages TellSafe offers: the English source and fifteen translations.
EXPECTED_LANGUAGES = (
    "en", "cy", "pl", "ro", "ur", "pa", "bn", "ar", "so", "pt", "es", "uk", "zh", "lt", "fa", "fr",
)  # fmt: skip

#: Languages whose alphabet fits GSM-7: their messages must stay in it, or every SMS
#: would cost more than twice as much and arrive split.
GSM7_LANGUAGES = ("en", "so")

#: Typography that needlessly forces UCS-2, and bidi controls (isolates are added in
#: code, where they can be balanced; stray ones in a catalog reorder text unpredictably).
FORBIDDEN_CHARACTERS = {
    "\u2018": "left single quote",
    "\u2019": "right single quote",
    "\u201c": "left double quote",
    "\u201d": "right double quote",
    "\u00a0": "no-break space",
    "\u202f": "narrow no-break space",
    "\u2013": "en dash",
    "\u2014": "em dash",
    "\u2026": "ellipsis",
    "\u2022": "bullet",
    "\u200e": "left-to-right mark",
    "\u200f": "right-to-left mark",
    "\u061c": "Arabic letter mark",
    **{chr(code): "bidi embedding or override" for code in range(0x202A, 0x202F)},
    **{chr(code): "bidi isolate" for code in range(0x2066, 0x206A)},
}

#: Ways of addressing the person that assume they are a man, where the language has a
#: neutral one: "contactá-lo" has "entrar em contacto consigo", "vous n'êtes pas obligé"
#: has "vous n'avez pas à". Many who write to us are women; a report form that calls
#: them "him" tells them it was not written for them. (Word lists of what people write,
#: context "also", hold both forms on purpose.)
MASCULINE_ADDRESS = {
    "pt": re.compile(r"\b(?:ajud|contact|encontr)á-lo\b|\bprotegê-lo\b|\bficar anónimo\b"),
    "es": re.compile(r"\bestá (?:seguro|solo|listo|obligado)\b"),
    "fr": re.compile(r"\bvous (?:n')?êtes (?:pas )?(?:sûr|seul|prêt|obligé)\b"),
    "ro": re.compile(
        r"\bsunteți (?:sigur|singur|pregătit|obligat)\b|\b(?:rămân|puteți rămâne|a rămâne) anonim\b"
    ),
}

#: Names, numbers and command words that must reach the person exactly as in English.
PROTECTED = re.compile(
    r"TellSafe|Samaritans|True Vision|report-it\.org\.uk|116 123|\b(?:999|101|18000)\b"
    r"|\b(?:EXIT|STOP|HELP|NEW|PERSON|LANGUAGE|START|BACK)\b"
)

#: Long-ish but plausible values for placeholders that are plain data, not text.
DATA_SAMPLES = {
    "service": "Victim Support",
    "reference": "TS-7KQ4-M9XD",
    "platform": "Facebook Messenger",
    "contact": "Victim Support 08 08 16 89 111",
    "count": "3",
}
#: A 30-character place: the value for any placeholder the samples do not know yet.
PLACE = "Victoria Bus Station, Stand 12"


@cache
def template() -> Catalog:
    with TEMPLATE.open("rb") as handle:
        return read_po(handle)


def template_messages() -> list[Message]:
    return [message for message in template() if message.id]


def po_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def catalog(language: str) -> Catalog | None:
    path = po_path(language)
    if not path.exists():
        return None
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def forms(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def placeholders(text: str) -> Counter[str]:
    """The ``{name}`` fields of a message, with how often each appears."""
    return Counter(field for _, field, _, _ in string.Formatter().parse(text) if field is not None)


def translated_catalogs() -> list[str]:
    return [language for language in available_languages() if catalog(language) is not None]


def gettext(language: str, msgid: str, context: str | None = None) -> str:
    catalog = translations(language)
    return str(catalog.pgettext(context, msgid) if context else catalog.gettext(msgid))


def key(message: Message) -> str:
    """A readable name for a template message: its context, if any, and its id."""
    msgid = forms(message.id)[0]
    return f"{message.context}|{msgid}" if message.context else msgid


def translated_forms(language: str, message: Message, count: int = 3) -> list[str]:
    """What the person can see of ``message``: every plural form that ``count`` can pick."""
    catalog = translations(language)
    if message.pluralizable:
        singular, plural = forms(message.id)[:2]
        found = {
            str(
                catalog.npgettext(message.context, singular, plural, n)
                if message.context
                else catalog.ngettext(singular, plural, n)
            )
            for n in (0, 1, 2, 3, 5, 11, 21, 100)
        }
        return sorted(found)
    return [gettext(language, str(message.id), message.context)]


def samples(language: str) -> dict[str, str]:
    """Placeholder values for ``language``, the text ones rendered in it."""
    longest_description = max(
        (m.id for m in template_messages() if any("services.yaml" in p for p, _ in m.locations)),
        key=len,
    )
    strands = [
        gettext(language, label, "inline")
        for label in (
            "race, ethnicity or nationality",
            "religion or belief",
            "alternative subculture, like style of dress",
        )
    ]
    return {
        **DATA_SAMPLES,
        "strands": format_list(strands, locale=format_locale(language)),
        "religion": gettext(language, "Another religion"),
        "description": gettext(language, str(longest_description)),
        "label": gettext(language, "Check-ins"),
        "value": gettext(language, "passed to the police without your name"),
    }


class _Samples(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return PLACE


def rendered(language: str) -> dict[str, str]:
    """Every message of the template (each plural form, each context) as SMS would send it."""
    values = _Samples(samples(language))
    out = {}
    for message in template_messages():
        for number, text in enumerate(translated_forms(language, message)):
            out[key(message) + (f"#{number}" if number else "")] = text.format_map(values)
    return out


# --- the set of languages -------------------------------------------------------------


def test_every_offered_language_has_a_catalog() -> None:
    offered = available_languages()
    assert offered[0] == SOURCE_LANGUAGE
    missing = sorted(set(EXPECTED_LANGUAGES) - set(offered))
    assert not missing, f"no catalog for: {missing}"


def test_template_has_messages() -> None:
    assert len(template_messages()) > 100


# --- completeness and correctness of each catalog --------------------------------------


@pytest.mark.parametrize("language", translated_catalogs())
def test_catalog_has_every_template_entry(language: str) -> None:
    po = catalog(language)
    assert po is not None
    missing = [
        key(m)
        for m in template_messages()
        if (found := po.get(m.id, context=m.context)) is None or not found.string
    ]
    assert not missing, f"{language}: {len(missing)} entries missing, e.g. {missing[:3]}"


@pytest.mark.parametrize("language", translated_catalogs())
def test_catalog_has_no_empty_or_fuzzy_entries(language: str) -> None:
    po = catalog(language)
    assert po is not None
    assert not po.fuzzy, f"{language}: the catalog header is marked fuzzy"
    problems = []
    for message in po:
        if not message.id:
            continue
        if message.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        if not all(form.strip() for form in forms(message.string)) or not forms(message.string):
            problems.append(f"empty: {message.id!r}")
    assert not problems, f"{language}: " + "; ".join(problems[:5])


@pytest.mark.parametrize("language", translated_catalogs())
def test_catalog_keeps_placeholders(language: str) -> None:
    po = catalog(language)
    assert po is not None
    problems = []
    for message in po:
        if not message.id:
            continue
        expected = placeholders(forms(message.id)[0])
        for form in forms(message.string):
            if form and placeholders(form) != expected:
                problems.append(f"{message.id!r} -> {form!r}")
    assert not problems, f"{language}: placeholders differ: " + "; ".join(problems[:3])


@pytest.mark.parametrize("language", translated_catalogs())
def test_catalog_keeps_names_numbers_and_commands(language: str) -> None:
    po = catalog(language)
    assert po is not None
    problems = []
    for message in po:
        if not message.id or not isinstance(message.id, str):
            continue
        for token in set(PROTECTED.findall(message.id)):
            if not all(token in form for form in forms(message.string)):
                problems.append(f"{token!r} lost in {message.id!r}")
    assert not problems, f"{language}: " + "; ".join(problems[:5])


@pytest.mark.parametrize("language", translated_catalogs())
def test_catalog_has_no_typographic_or_bidi_characters(language: str) -> None:
    po = catalog(language)
    assert po is not None
    problems = []
    for message in po:
        for form in forms(message.string) if message.id else ():
            found = {name for char, name in FORBIDDEN_CHARACTERS.items() if char in form}
            if found:
                problems.append(f"{sorted(found)} in {message.id!r}")
    assert not problems, f"{language}: " + "; ".join(problems[:5])


@pytest.mark.parametrize("language", sorted(MASCULINE_ADDRESS))
def test_catalog_does_not_address_the_person_as_a_man(language: str) -> None:
    po = catalog(language)
    assert po is not None
    problems = [
        f"{form!r}"
        for message in po
        if message.id and message.context != "also"
        for form in forms(message.string)
        if MASCULINE_ADDRESS[language].search(form)
    ]
    assert not problems, f"{language}: " + "; ".join(problems[:5])


@pytest.mark.parametrize("language", translated_catalogs())
def test_catalog_compiles(language: str) -> None:
    po = catalog(language)
    assert po is not None
    assert po.locale is not None
    assert str(po.locale) == language
    assert "Plural-Forms" in dict(po.mime_headers)
    errors = [(message.id, [str(e) for e in errs]) for message, errs in po.check()]
    assert not errors, f"{language}: {errors[:3]}"
    for message in po:
        if message.id and message.pluralizable:
            assert len(forms(message.string)) == po.num_plurals, message.id
    buffer = io.BytesIO()
    write_mo(buffer, po)
    buffer.seek(0)
    compiled = GNUTranslations(buffer)
    for message in po:
        if message.id and isinstance(message.id, str):
            shown = (
                compiled.pgettext(message.context, message.id)
                if message.context
                else compiled.gettext(message.id)
            )
            assert shown == message.string, key(message)


# --- what the SMS channel sends -------------------------------------------------------


@pytest.mark.parametrize("language", EXPECTED_LANGUAGES)
def test_rendered_messages_fit_the_sms_budget(language: str) -> None:
    too_long = {
        msgid: sms.segments(text)
        for msgid, text in rendered(language).items()
        if sms.segments(text) > sms.SEGMENT_BUDGET
    }
    assert not too_long, f"{language}: over {sms.SEGMENT_BUDGET} segments: {too_long}"


@pytest.mark.parametrize("language", GSM7_LANGUAGES)
def test_gsm7_languages_stay_in_gsm7(language: str) -> None:
    outside = {
        msgid: sorted({char for char in text if not sms.is_gsm7(char)})
        for msgid, text in rendered(language).items()
        if sms.encoding(text) != "GSM-7"
    }
    assert not outside, f"{language}: not GSM-7: {outside}"


@pytest.mark.parametrize("language", [lang for lang in EXPECTED_LANGUAGES if lang != "en"])
def test_rendered_messages_are_translated(language: str) -> None:
    """A whole sentence that comes out in English means Babel fell back to the source."""
    untranslated = [
        key(message)
        for message in template_messages()
        if isinstance(message.id, str)
        and len(message.id) > 20
        and not placeholders(message.id)
        and "TellSafe" not in message.id
        and gettext(language, message.id, message.context) == message.id
    ]
    assert not untranslated, f"{language}: still English: {untranslated[:3]}"
