"""Helpers for follow-up tests: making a whole report by answering whatever is asked."""

from __future__ import annotations

from dataclasses import dataclass

from bot import states
from tests.auxil.person import Person


@dataclass(frozen=True)
class Answers:
    """How the person answers the report's questions (option labels or text)."""

    account: str = "A man on the bus shouted at me and pulled at my hijab"
    where: str = "the 36 bus in Nottingham NG1 5AA"
    why: str = "because I am Muslim and I wear a hijab"
    harm: str = "No"
    offender: str = "No"
    previous: str = "No"
    impact: str = "A little"
    followup: str = "Yes"
    #: To each support service offered: "no", or "yes" to pass the details on.
    referral: str = "no"
    #: The third safe-hours option: evenings (17:00 to 21:00).
    safe_hours: int = 3


def _pick(person: Person, label: str) -> str:
    """The number of the option with this label in the last message (SMS style)."""
    labels = person.last().choices
    for number, choice in enumerate(labels, start=1):
        if choice.lower().startswith(label.lower()):
            return str(number)
    return label


_RISK = {
    states.RISK_HARM: "harm",
    states.RISK_OFFENDER: "offender",
    states.RISK_PREVIOUS: "previous",
    states.RISK_IMPACT: "impact",
}


def report(
    person: Person, answers: Answers = Answers(), first: str | None = None, until: str = ""
) -> None:
    """Make a whole report from wherever the conversation is, until it closes.

    Or until it reaches the state ``until``, when one is given.

    Unknown states (new questions other features add) get their first option, so the
    follow-up tests do not depend on the exact shape of the report dialogue.
    """
    if first is not None:
        person.say(first)
    elif not person.received:
        person.say("Hello, I want to report something that happened to me")
    for _ in range(60):
        state = person.state()
        if state in (states.CLOSED, until):
            return
        text = {
            states.LANGUAGE_CONFIRM: "yes",
            states.PRIVACY: "1",
            states.ANONYMITY: "1",
            states.WHAT_HAPPENED: answers.account,
            states.WHEN: "last night",
            states.WHERE: answers.where,
            states.PLATFORM: "Instagram",
            states.WHY: answers.why,
            states.STRANDS_CONFIRM: "yes",
            states.REFERRAL: answers.referral,
            states.POLICE: "1",
            states.POLICE_NAME: "Sam",
            states.SAFE_HOURS: str(answers.safe_hours),
            states.HANDOFF_WAIT: "1",
            "reading": "no",  # the usual wording, not Easy Read
        }.get(state)
        if state in _RISK:
            text = _pick(person, getattr(answers, _RISK[state]))
        elif state == states.FOLLOWUP_CONSENT:
            text = _pick(person, answers.followup)
        elif state == states.ADD_OR_NEW:
            text = _pick(person, "Make a new report")
        elif state == states.CLOSED:
            return
        person.say(text or "1")
    raise AssertionError(f"the report never closed (stuck in {person.state()})")
