"""Next steps tailored to the report: data and rules, tested as a table.

A report is reduced to a :class:`Situation` (strands, crime or incident, online or not,
risk, who is reporting, the police choice). :data:`STEPS` is the table of advice: each
:class:`Step` names the message it belongs to, the condition under which it applies and
its words (every word in the gettext catalogs, each with an Easy Read alternative).

The advice goes out in three messages after the risk questions (what happens now, how
to keep evidence, staying safe and who can help), each within the SMS segment budget,
and one more once the person has made their police choice (how to report to the
police, with or without their details, or what happens with the report they chose).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from bot import prompts
from bot.messages import Lines, Text
from cases import codes
from cases.models import Case
from content.i18n import N_, NP_, PN_
from content.services import Service, support_services
from content.texts import easy, plural

T = Text.of

#: The messages the advice is grouped into, in the order they are sent.
NOW: Final = "now"
EVIDENCE: Final = "evidence"
SUPPORT: Final = "support"
POLICE: Final = "police"
AFTER_RISK: Final = (NOW, EVIDENCE, SUPPORT)

#: Risk reasons that mean what happened is probably a criminal offence (an assault, a
#: threat of violence). Anything else is treated as a hate incident that may or may not
#: be a crime: the advice never tells someone it "was not a crime".
CRIME_REASONS: Final = frozenset({"physical_harm", "threats"})
#: Risk reasons after which we say "you matter" to a victim.
DISTRESS_REASONS: Final = frozenset({"severe_impact", "danger_reported"})


@dataclass(frozen=True)
class Situation:
    """What the next steps depend on.

    Attributes:
        strands: The confirmed strands.
        religion: The perceived religion, when the religion strand applies.
        crime: Whether what happened is probably a crime (see :data:`CRIME_REASONS`).
        online: Whether it happened online.
        platform: The app or website, when known.
        risk: ``low``, ``medium`` or ``high``.
        reasons: The risk reasons.
        role: ``victim``, ``witness``, ``third_party`` or ``parent``.
        police: The police choice (``none``, ``anonymous``, ``named``, ``already``), once
            made.
        area: The outward postcode of where it happened, if known.
        language: The person's language (for which services to list first).
        officer_contact: Whether an officer has been asked to contact the person (high
            risk, or a repeat that escalated).
    """

    strands: frozenset[str] = frozenset()
    religion: str | None = None
    crime: bool = False
    online: bool = False
    platform: str | None = None
    risk: str = codes.RISK_LOW
    reasons: frozenset[str] = frozenset()
    role: str = codes.VICTIM
    police: str | None = None
    area: str | None = None
    language: str | None = None
    officer_contact: bool = False

    @classmethod
    def of_case(cls, case: Case, language: str | None = None) -> Situation:
        """The situation of a report."""
        reasons = frozenset(case.risk_reasons or ())
        return cls(
            strands=frozenset(case.motivations or ()),
            religion=case.religion,
            crime=bool(CRIME_REASONS & reasons),
            online=bool(case.online),
            platform=case.platform,
            risk=case.risk or codes.RISK_LOW,
            reasons=reasons,
            role=case.reporter_role or codes.VICTIM,
            police=case.police_report,
            area=case.area,
            language=language or case.language,
        )

    @property
    def victim(self) -> bool:
        """Whether the person reporting is the one it happened to."""
        return self.role == codes.VICTIM

    @property
    def at_risk(self) -> bool:
        """Whether the risk is medium or high."""
        return self.risk in (codes.RISK_MEDIUM, codes.RISK_HIGH)


# --- the words ---------------------------------------------------------------------

ACK_WITNESS: Final = easy(
    T(N_("Thank you for telling us what you saw. Speaking up helps stop hate.")),
    PN_("easy_read", "Thank you for telling us what you saw. This helps stop hate."),
)
ACK_OTHER: Final = easy(
    T(N_("Thank you for telling us. What happened to them was wrong, and it was not their fault.")),
    PN_(
        "easy_read",
        "Thank you for telling us. What happened to them was wrong. It was not their fault.",
    ),
)
ACK_PARENT: Final = easy(
    T(
        N_(
            "Thank you for telling us. What happened to your child was wrong, and it was not "
            "their fault."
        )
    ),
    PN_(
        "easy_read",
        "Thank you for telling us. What happened to your child was wrong. It was not their fault.",
    ),
)
YOU_MATTER: Final = easy(
    T(N_("You matter, and you do not have to deal with this alone.")),
    PN_("easy_read", "You matter. You are not alone."),
)
CRIME: Final = easy(
    T(
        N_(
            "What happened may be a crime. You can report it to the police on 101, or online at "
            "report-it.org.uk (True Vision)."
        )
    ),
    PN_(
        "easy_read",
        "This may be a crime. You can tell the police. Call 101. Or go to report-it.org.uk.",
    ),
)
INCIDENT: Final = easy(
    T(
        N_(
            "Even if it was not a crime, it is still a hate incident and you can report it: call "
            "101 or go to report-it.org.uk (True Vision). Every report helps the police see what "
            "is happening."
        )
    ),
    # Like the standard wording, it says first that this is a hate incident that can be
    # reported: "It may not be a crime" alone read as "it does not count".
    PN_(
        "easy_read",
        "This is a hate incident. You can tell the police, even if it is not a crime. Call "
        "101. Or go to report-it.org.uk.",
    ),
)
TELL_SCHOOL: Final = easy(
    T(
        N_(
            "If it happened at school or involved other pupils, tell the school too. They should "
            "help keep your child safe."
        )
    ),
    PN_(
        "easy_read",
        "Did it happen at school? Then tell the school too. They should help keep your child safe.",
    ),
)
STAY_SAFE: Final = easy(
    T(
        N_(
            "To stay safe: keep your phone charged, tell someone you trust where you are going, "
            "and call 999 if you are in danger."
        )
    ),
    PN_(
        "easy_read",
        "Keep your phone charged. Tell someone you trust where you are going. In danger? Call 999.",
    ),
)
SAFER_ONLINE: Final = easy(
    T(
        N_(
            "Online, you can block the account and make your profiles private. Take screenshots "
            "first."
        )
    ),
    PN_(
        "easy_read",
        "You can block the account. You can make your profile private. Take screenshots first.",
    ),
)
SERVICES_HEADING: Final = NP_("{count} service can help you:", "{count} services can help you:")
SERVICES_HEADING_EASY: Final = PN_("easy_read", "These can help you:")
POLICE_LATER: Final = easy(
    T(
        N_(
            "You can still report to the police later, with or without your name: call 101 or go "
            "to report-it.org.uk. You can also report through a third-party reporting centre, "
            "such as Stop Hate UK on 0800 138 1625."
        )
    ),
    PN_(
        "easy_read",
        "You can still tell the police later. You do not have to give your name. Call 101. Or "
        "go to report-it.org.uk. Or call Stop Hate UK on 0800 138 1625.",
    ),
)
POLICE_ENCOURAGE: Final = easy(
    T(
        N_(
            "Because this may be a crime, telling the police could help keep you and others "
            "safe. It is still your choice."
        )
    ),
    PN_(
        "easy_read",
        "This may be a crime. Telling the police can help keep people safe. It is your choice.",
    ),
)
POLICE_ANONYMOUS: Final = easy(
    T(
        N_(
            "We will pass your report to the police without your name. Without a way to contact "
            "you, they may not be able to investigate fully. You can give your details later: "
            "quote your reference number."
        )
    ),
    PN_(
        "easy_read",
        "We will tell the police. We will not give them your name. So they cannot contact you. "
        "You can give your name later. Use your reference number.",
    ),
)
POLICE_NAMED: Final = easy(
    T(
        N_(
            "We will pass your report to the police with your name and contact details, so an "
            "officer can contact you. If you are in danger, call 999."
        )
    ),
    PN_(
        "easy_read",
        "We will tell the police. We will give them your name and number. A police officer "
        "will contact you. In danger? Call 999.",
    ),
)

POLICE_ALREADY: Final = easy(
    T(
        N_(
            "Thank you for telling us. We will not report it to the police a second time. Keep "
            "your crime reference number: a support officer may ask for it."
        )
    ),
    PN_(
        "easy_read",
        "Thank you. The police know already, so we will not tell them. Keep your crime "
        "number. A support officer may ask for it.",
    ),
)


def _acknowledgement(situation: Situation) -> Text:
    return {
        codes.WITNESS: ACK_WITNESS,
        codes.THIRD_PARTY: ACK_OTHER,
        codes.PARENT: ACK_PARENT,
    }.get(situation.role, prompts.acknowledgement())


def services_for(situation: Situation) -> tuple[Service, ...]:
    """The support services to list for this situation."""
    return support_services(
        situation.strands,
        situation.religion,
        situation.area,
        language=situation.language,
        role=situation.role,
        reasons=situation.reasons,
    )


def _routes(service: Service) -> Text | str:
    """A service's phone number and web address, joined as the person's language joins them.

    Chinese lists them with a full-width comma: "116 123, samaritans.org" read as English
    punctuation dropped into Chinese text.
    """
    if service.phone and service.web:
        # Translators: a support service's phone number and web address, two ways to
        # reach it, with the comma your language writes between them.
        return T(N_("{phone}, {web}"), phone=service.phone, web=service.web)
    return service.contact


def _service_list(situation: Situation) -> Lines:
    services = services_for(situation)
    heading = easy(plural(SERVICES_HEADING, len(services)), SERVICES_HEADING_EASY)
    lines = tuple(
        T(N_("- {label}: {value}"), label=service.name, value=_routes(service))
        for service in services
    )
    return Lines((heading, *lines))


# --- the rules ---------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One piece of advice and when it applies.

    Attributes:
        key: A stable name (tests and officers refer to advice by it).
        part: The message it goes in: :data:`NOW`, :data:`EVIDENCE`, :data:`SUPPORT`
            or :data:`POLICE`.
        applies: Whether it fits the situation.
        words: Its words for the situation.
    """

    key: str
    part: str
    applies: Callable[[Situation], bool]
    words: Callable[[Situation], Text | Lines]


def _always(_situation: Situation) -> bool:
    return True


STEPS: Final[tuple[Step, ...]] = (
    # What happens now.
    Step(
        "officer_will_contact",
        NOW,
        lambda s: s.officer_contact or s.risk == codes.RISK_HIGH,
        lambda _s: prompts.high_risk_handoff(),
    ),
    Step("acknowledgement", NOW, _always, _acknowledgement),
    Step(
        "you_matter",
        NOW,
        lambda s: s.victim and (s.risk == codes.RISK_HIGH or bool(DISTRESS_REASONS & s.reasons)),
        lambda _s: YOU_MATTER,
    ),
    Step("may_be_a_crime", NOW, lambda s: s.crime, lambda _s: CRIME),
    Step("hate_incident", NOW, lambda s: not s.crime, lambda _s: INCIDENT),
    # Evidence, and what the person can do for someone else.
    Step(
        "evidence_online",
        EVIDENCE,
        lambda s: s.online,
        lambda s: prompts.evidence_online(s.platform),
    ),
    Step(
        "evidence_offline", EVIDENCE, lambda s: not s.online, lambda _s: prompts.evidence_offline()
    ),
    Step(
        "pass_support_on",
        EVIDENCE,
        lambda s: s.role in (codes.WITNESS, codes.THIRD_PARTY),
        lambda _s: prompts.witness_note(),
    ),
    Step("tell_the_school", EVIDENCE, lambda s: s.role == codes.PARENT, lambda _s: TELL_SCHOOL),
    # Staying safe, and who can help.
    Step("stay_safe", SUPPORT, lambda s: s.at_risk, lambda _s: STAY_SAFE),
    Step("safer_online", SUPPORT, lambda s: s.online, lambda _s: SAFER_ONLINE),
    Step("support_services", SUPPORT, lambda s: bool(services_for(s)), _service_list),
    # After the police choice.
    Step(
        "police_encourage",
        POLICE,
        lambda s: s.police == codes.POLICE_NONE and s.crime,
        lambda _s: POLICE_ENCOURAGE,
    ),
    Step("police_later", POLICE, lambda s: s.police == codes.POLICE_NONE, lambda _s: POLICE_LATER),
    Step(
        "police_anonymous",
        POLICE,
        lambda s: s.police == codes.POLICE_ANONYMOUS,
        lambda _s: POLICE_ANONYMOUS,
    ),
    Step("police_named", POLICE, lambda s: s.police == codes.POLICE_NAMED, lambda _s: POLICE_NAMED),
    Step(
        "police_already",
        POLICE,
        lambda s: s.police == codes.POLICE_ALREADY,
        lambda _s: POLICE_ALREADY,
    ),
)


def applicable(situation: Situation, part: str) -> list[Step]:
    """The steps of one message that fit ``situation``, in order."""
    return [step for step in STEPS if step.part == part and step.applies(situation)]


def advice(situation: Situation, part: str) -> list[Text | Lines]:
    """The paragraphs of one message of advice."""
    return [step.words(situation) for step in applicable(situation, part)]


def next_steps(situation: Situation) -> list[Sequence[Text | Lines]]:
    """The advice given after the risk questions, one entry per message.

    Args:
        situation: The report's situation.

    Returns:
        The bodies of the messages to send, in order (empty ones left out).
    """
    return [body for part in AFTER_RISK if (body := advice(situation, part))]


def police_steps(situation: Situation) -> list[Text | Lines]:
    """The advice once the police choice is made (what happens, or how to report later)."""
    return advice(situation, POLICE)
