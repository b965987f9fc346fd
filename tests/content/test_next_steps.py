"""Next steps: the right advice for each situation (a table), and every message SMS-sized."""

from __future__ import annotations

import itertools
from dataclasses import replace
from functools import cache

import pytest

from bot.messages import Lines, OutboundMessage, Text
from bot.prompts import NOT_A_PLATFORM, PLATFORM_NAMES, evidence_online
from cases import codes
from cases.models import Case
from content import sms
from content.i18n import available_languages
from content.next_steps import (
    AFTER_RISK,
    EVIDENCE,
    NOW,
    POLICE,
    POLICE_ANONYMOUS,
    SUPPORT,
    Situation,
    applicable,
    next_steps,
    police_steps,
    services_for,
)
from content.render import render, render_text
from content.texts import EASY_READ, READINGS, RichText
from nlu.data_reader import read_languages
from nlu.embedded import DATA_DIR

BASE = Situation(strands=frozenset({codes.RACE}), language="en")

#: (name, situation, expected step keys per message).
TABLE: list[tuple[str, Situation, dict[str, list[str]]]] = [
    (
        "victim, offline, low risk, an incident, no police",
        replace(BASE, police=codes.POLICE_NONE),
        {
            NOW: ["acknowledgement", "hate_incident"],
            EVIDENCE: ["evidence_offline"],
            SUPPORT: ["support_services"],
            POLICE: ["police_later"],
        },
    ),
    (
        "victim, online, medium risk, threats (a crime), anonymous police report",
        replace(
            BASE,
            strands=frozenset({codes.RELIGION}),
            religion="muslim",
            online=True,
            platform="TikTok",
            risk=codes.RISK_MEDIUM,
            reasons=frozenset({"threats"}),
            crime=True,
            police=codes.POLICE_ANONYMOUS,
        ),
        {
            NOW: ["acknowledgement", "may_be_a_crime"],
            EVIDENCE: ["evidence_online"],
            SUPPORT: ["stay_safe", "safer_online", "support_services"],
            POLICE: ["police_anonymous"],
        },
    ),
    (
        "victim, high risk, badly affected, a crime, no police: encouraged, still their choice",
        replace(
            BASE,
            risk=codes.RISK_HIGH,
            reasons=frozenset({"physical_harm", "severe_impact"}),
            crime=True,
            police=codes.POLICE_NONE,
        ),
        {
            NOW: ["officer_will_contact", "acknowledgement", "you_matter", "may_be_a_crime"],
            EVIDENCE: ["evidence_offline"],
            SUPPORT: ["stay_safe", "support_services"],
            POLICE: ["police_encourage", "police_later"],
        },
    ),
    (
        "witness, offline, named police report",
        replace(BASE, role=codes.WITNESS, police=codes.POLICE_NAMED),
        {
            NOW: ["acknowledgement", "hate_incident"],
            EVIDENCE: ["evidence_offline", "pass_support_on"],
            SUPPORT: ["support_services"],
            POLICE: ["police_named"],
        },
    ),
    (
        "someone reporting for another adult, online",
        replace(BASE, role=codes.THIRD_PARTY, online=True),
        {
            NOW: ["acknowledgement", "hate_incident"],
            EVIDENCE: ["evidence_online", "pass_support_on"],
            SUPPORT: ["safer_online", "support_services"],
            POLICE: [],
        },
    ),
    (
        "parent for a child, online, badly affected child: no 'you matter' to the parent",
        replace(
            BASE,
            role=codes.PARENT,
            online=True,
            reasons=frozenset({"severe_impact"}),
            police=codes.POLICE_NONE,
        ),
        {
            NOW: ["acknowledgement", "hate_incident"],
            EVIDENCE: ["evidence_online", "tell_the_school"],
            SUPPORT: ["safer_online", "support_services"],
            POLICE: ["police_later"],
        },
    ),
    (
        "a repeat that escalated: an officer will contact even at medium risk",
        replace(BASE, risk=codes.RISK_MEDIUM, officer_contact=True),
        {
            NOW: ["officer_will_contact", "acknowledgement", "hate_incident"],
            EVIDENCE: ["evidence_offline"],
            SUPPORT: ["stay_safe", "support_services"],
            POLICE: [],
        },
    ),
]


@pytest.mark.parametrize(("name", "situation", "expected"), TABLE, ids=[row[0] for row in TABLE])
def test_the_right_steps_for_each_situation(
    name: str, situation: Situation, expected: dict[str, list[str]]
) -> None:
    found = {part: [step.key for step in applicable(situation, part)] for part in expected}
    assert found == expected, name


@pytest.mark.parametrize(
    ("role", "msgid"),
    [
        (codes.VICTIM, "it was not your fault"),
        (codes.WITNESS, "what you saw"),
        (codes.THIRD_PARTY, "What happened to them was wrong"),
        (codes.PARENT, "What happened to your child was wrong"),
    ],
)
def test_acknowledgement_speaks_to_the_reporter_role(role: str, msgid: str) -> None:
    first = next_steps(replace(BASE, role=role))[0][0]
    assert isinstance(first, Text)
    assert msgid in first.msgid


@pytest.mark.parametrize(
    ("situation", "expected_services"),
    [
        (replace(BASE, strands=frozenset({codes.RELIGION}), religion="jewish"), ["cst"]),
        (replace(BASE, strands=frozenset({codes.SEXUAL_ORIENTATION})), ["galop"]),
        (replace(BASE, reasons=frozenset({"severe_impact"})), ["samaritans"]),
        (replace(BASE, role=codes.PARENT), ["nspcc", "childline"]),
        (replace(BASE, strands=frozenset({codes.DISABILITY})), ["relay_uk"]),
    ],
)
def test_support_fits_the_strands_role_and_risk(
    situation: Situation, expected_services: list[str]
) -> None:
    listed = [service.id for service in services_for(situation)]
    assert listed[: len(expected_services)] == expected_services
    assert "victim_support" in listed
    support = next_steps(situation)[-1]
    lines = support[-1]
    assert isinstance(lines, Lines)
    heading = lines.items[0]
    assert isinstance(heading, RichText)
    assert heading.count == len(listed)  # "{count} services can help you:" with ngettext


def test_a_services_phone_and_web_address_are_joined_as_the_language_writes_it() -> None:
    # Chinese showed "116 123, samaritans.org", an English comma in Chinese text.
    support = next_steps(replace(BASE, reasons=frozenset({"severe_impact"})))[-1][-1]
    assert isinstance(support, Lines)
    samaritans = support.items[1]
    assert render_text(samaritans, "en") == "- Samaritans: 116 123, samaritans.org"
    assert render_text(samaritans, "zh") == "- Samaritans：116 123，samaritans.org"


def test_online_evidence_names_the_platform_and_offline_evidence_does_not() -> None:
    online = next_steps(replace(BASE, online=True, platform="Instagram"))[1][0]
    assert isinstance(online, Text)
    assert dict(online.params)["platform"] == "Instagram"
    assert "screenshots" in online.msgid
    offline = next_steps(BASE)[1][0]
    assert isinstance(offline, Text)
    assert "write down" in offline.msgid


def test_situation_of_a_case() -> None:
    case = Case(
        motivations=["religion"],
        religion="muslim",
        online=True,
        platform="X",
        risk="high",
        risk_reasons=["threats", "severe_impact"],
        reporter_role="witness",
        police_report="anonymous",
        area="NG1",
        language="ur",
    )
    situation = Situation.of_case(case)
    assert situation.crime
    assert situation.strands == {"religion"}
    assert situation.role == codes.WITNESS
    assert situation.language == "ur"
    assert police_steps(situation)[0] == POLICE_ANONYMOUS


# --- every message in every language fits the SMS budget ----------------------------

LONG_PLATFORM = "Facebook Messenger group chat"


@cache
def all_bodies() -> list[tuple[Text | Lines, ...]]:
    """Every distinct next-steps message over roles, online, crime, risk and police choice."""
    bodies: dict[tuple[Text | Lines, ...], None] = {}
    worst = frozenset({"physical_harm", "threats", "severe_impact"})
    for role, online, crime, risk, police, (strands, religion) in itertools.product(
        codes.REPORTER_ROLES,
        (False, True),
        (False, True),
        codes.RISK_LEVELS,
        codes.POLICE_CHOICES,
        ((frozenset({codes.RELIGION}), "muslim"), (frozenset({codes.DISABILITY}), None)),
    ):
        situation = Situation(
            strands=strands,
            religion=religion,
            crime=crime,
            online=online,
            platform=LONG_PLATFORM if online else None,
            risk=risk,
            reasons=worst if risk == codes.RISK_HIGH else frozenset(),
            role=role,
            police=police,
            language="en",
            officer_contact=risk == codes.RISK_HIGH,
        )
        for body in [*next_steps(situation), police_steps(situation)]:
            if body:
                bodies[tuple(body)] = None
    return list(bodies)


def test_every_combination_gives_three_messages_after_risk() -> None:
    assert len(AFTER_RISK) == 3
    assert len(next_steps(BASE)) == 3
    assert len(all_bodies()) >= 40  # distinct messages the table produces


@pytest.mark.parametrize("reading", READINGS)
@pytest.mark.parametrize("language", available_languages())
def test_longest_next_steps_message_fits_the_sms_budget(language: str, reading: str) -> None:
    longest = max(
        (
            render(OutboundMessage(body=body), language, reading=reading, channel="sms").text
            for body in all_bodies()
        ),
        key=sms.segments,
    )
    assert "{" not in longest, longest
    assert sms.segments(longest) <= sms.SEGMENT_BUDGET, (
        f"{language}/{reading}: {sms.segments(longest)} segments: {longest[:120]!r}"
    )


def test_easy_read_next_steps_are_shorter_in_english() -> None:
    def length(reading: str) -> int:
        return sum(
            len(render(OutboundMessage(body=body), "en", reading=reading).text)
            for body in all_bodies()
        )

    assert length(EASY_READ) < length("standard")


def _platforms_understood() -> set[str]:
    """Every platform code the understander can give a case (its lexicons' synonyms)."""
    data = read_languages(available_languages(), DATA_DIR)
    return {
        canonical
        for language in data.values()
        for canonical in language.synonyms.values()
        if not canonical.isdigit()
    }


def test_every_platform_understood_has_a_name_for_sentences() -> None:
    assert _platforms_understood() == set(PLATFORM_NAMES) | NOT_A_PLATFORM


@pytest.mark.parametrize(
    ("platform", "language", "shown"),
    [
        ("facebook", "en", "report the account to Facebook."),  # once "to facebook."
        ("twitter", "fr", "X (Twitter)"),
        ("weibo", "zh", "微博"),  # once the code, "weibo", in a Chinese sentence
        ("a gaming forum", "en", "report the account to a gaming forum."),  # their own words
        ("email", "en", "report the account to the app or website."),  # no account to report to
    ],
)
def test_the_evidence_advice_names_the_platform_as_people_know_it(
    platform: str, language: str, shown: str
) -> None:
    assert shown in render_text(evidence_online(platform), language)
