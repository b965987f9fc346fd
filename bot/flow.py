"""Moving between states: each state's question, and going to it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from bot import prompts, states
from bot.choices import match_one, options_led, options_meant, options_opened, unsure
from bot.messages import Choice, Lines, OutboundMessage, Text
from bot.names import OFFERED_NAME
from bot.turn import Turn
from cases import store
from content.i18n import available_languages
from content.services import get_service, named_in
from followup import checkin_prompts

#: After this many answers in a row that fit no option, a person takes over.
MISUNDERSTOOD_LIMIT: Final = 3
#: Scratch key: the questions of the report asked so far that "back" can return to.
ASKED: Final = "asked"
#: Scratch key: when it happened, as the account told it (an ISO time), to confirm.
HEARD_WHEN: Final = "heard_when"


def offered_languages(turn: Turn) -> tuple[str, ...]:
    """The languages a person can choose from."""
    return available_languages()


#: Below this, the detected language is confirmed through the language menu instead.
LANGUAGE_CONFIDENCE: Final = 0.5


def written_in(turn: Turn) -> str | None:
    """The offered language the message is surely written in, if any.

    Short messages never are ("hola", "no" and "ok" are words of several languages).
    """
    parse = turn.parse
    if parse.language not in offered_languages(turn):
        return None
    return parse.language if parse.language_confidence >= LANGUAGE_CONFIDENCE else None


def word_of_one_language(turn: Turn) -> str | None:
    """The one offered language whose words the whole message is, word for word.

    Too short for language identification, "tak" (yes) is still surely Polish and
    "hola" Spanish. Said to "I will write to you in English. Is that all right?" or to the
    language menu, such a word was taken for English or not understood, and the person
    was lost; they are asked in their language instead. A word of several languages
    ("ok") says nothing.
    """
    said_in = turn.parse.verbatim_in & frozenset(offered_languages(turn))
    return next(iter(said_in)) if len(said_in) == 1 else None


def prompt_for(turn: Turn, state: str) -> OutboundMessage:
    """Return the question a state asks, built from what is known so far.

    Args:
        turn: The current turn.
        state: The state whose question to build.

    Returns:
        The question, ready to send.
    """
    case = turn.case
    builders = {
        states.NEW: prompts.welcome,
        states.LANGUAGE_CONFIRM: prompts.welcome,
        states.LANGUAGE_MENU: lambda: prompts.language_menu(offered_languages(turn)),
        states.READING: prompts.reading,
        states.PRIVACY: prompts.privacy,
        states.ANONYMITY: prompts.anonymity,
        states.NAME_CONFIRM: lambda: _name_confirm(turn),
        states.NAME: prompts.ask_name,
        states.WHAT_HAPPENED: prompts.what_happened,
        states.WHEN: lambda: _when(turn),
        states.WHERE: prompts.where,
        states.PLATFORM: prompts.platform,
        states.ROLE: prompts.role,
        states.OFFENDER_KNOWN: prompts.offender_known,
        states.WHY: lambda: prompts.why(case.reporter_role if case else None),
        states.STRANDS_CONFIRM: lambda: prompts.strands_confirm(
            turn.scratch.get("proposed", []), turn.scratch.get("proposed_religion")
        ),
        states.STRANDS_SELECT: prompts.strands_select,
        states.RELIGION: prompts.religion,
        states.RISK_HARM: lambda: prompts.risk_harm(first=not turn.scratch.get("risk_intro")),
        states.RISK_OFFENDER: lambda: prompts.risk_offender(case.reporter_role if case else None),
        states.RISK_PREVIOUS: lambda: prompts.risk_previous(case.reporter_role if case else None),
        states.RISK_IMPACT: prompts.risk_impact,
        states.REFERRAL: lambda: prompts.referral(get_service(current_referral(turn))),
        states.POLICE: prompts.police,
        states.POLICE_NAME: prompts.police_name,
        states.FOLLOWUP_CONSENT: prompts.followup_consent,
        states.SAFE_HOURS: prompts.safe_hours,
        states.CLOSED: lambda: prompts.after_close(case.reference if case else "", False),
        states.ADD_OR_NEW: lambda: prompts.after_close(
            case.reference if case else "", bool(turn.scratch.get("addition"))
        ),
        states.HANDOFF_WAIT: lambda: prompts.handoff_waiting(
            turn.conversation.resume_state in states.REPORT_STATES
        ),
        states.PAUSED: prompts.welcome_back,
        states.STOPPED: prompts.stopped,
        states.CHECKIN_TIME: checkin_prompts.opener,
        states.CHECKIN_HOW: checkin_prompts.how_are_you,
        states.CHECKIN_AGAIN: checkin_prompts.anything_else,
        states.CHECKIN_SUPPORT: checkin_prompts.support_now,
        states.CHECKIN_SATISFACTION: checkin_prompts.satisfaction,
    }
    return builders[state]()


def _when(turn: Turn) -> OutboundMessage:
    """The question "when did it happen?", or the day the account told, to confirm."""
    heard = turn.scratch.get(HEARD_WHEN)
    if not isinstance(heard, str):
        return prompts.when()
    return prompts.when_heard(
        datetime.fromisoformat(heard).astimezone(ZoneInfo(turn.contact.timezone)).date()
    )


def _name_confirm(turn: Turn) -> OutboundMessage:
    """The question "shall we call you Sam?"; the name question if the name offered is gone."""
    offered = turn.scratch.get(OFFERED_NAME)
    return prompts.name_confirm(offered) if isinstance(offered, str) else prompts.anonymity()


def current_referral(turn: Turn) -> str:
    """The id of the support service whose referral question is being asked."""
    pending: list[str] = turn.scratch.get("referrals", [])
    return pending[0]


def goto(turn: Turn, state: str, preface: Sequence[Text | Lines] = ()) -> None:
    """Move to ``state`` and ask its question, after any ``preface`` paragraphs."""
    previous = turn.conversation.state
    if previous != state and previous in states.BACK_STATES:
        turn.remember(ASKED, [*turn.scratch.get(ASKED, []), previous])
    turn.conversation.state = state
    question = prompt_for(turn, state)
    if state == states.RISK_HARM:
        turn.remember("risk_intro", True)  # the introduction is said once, not on re-asks
    turn.replies.append(
        OutboundMessage(
            body=(*preface, *question.body),
            choices=question.choices,
            kind=question.kind,
            multiple=question.multiple,
        )
    )


def reask(turn: Turn, preface: Sequence[Text] = ()) -> None:
    """Ask the current state's question again, after any ``preface`` paragraphs."""
    goto(turn, turn.conversation.state, preface)


def say(turn: Turn, *body: Text) -> None:
    """Send paragraphs that ask nothing."""
    turn.replies.append(OutboundMessage(body=tuple(body)))


def choose(turn: Turn, state: str) -> str | None:
    """Match the answer to the current question's options, or re-ask and count a miss.

    A plain "yes" (or "yes, before too") where several options are kinds of yes is
    understood, only not enough: the person is asked which one, and it is no miss.
    """
    return settle(turn, state, chosen(turn, state))


def settle(turn: Turn, state: str, code: str | None) -> str | None:
    """Settle the option :func:`chosen` found for ``state``, as :func:`choose` does.

    A sure "I don't know" where no option is "Not sure" is understood, too: the person
    is reassured and asked again, and it is no miss ("I keep getting this wrong" after
    three of them was untrue, and handed an unsure person over as a failure). So is a
    question asked back ("what happens if I say yes?"): it is answered, then the
    question asked again.
    """
    if code is None and _several_fit(turn, prompt_for(turn, state).choices):
        reask(turn, [prompts.which_one()])
        return None
    if code is None and unsure(turn.parse):
        reask(turn, [prompts.unsure_of_options()])
        return None
    if code is None and turn.parse.question:
        reask(turn, [answered(turn, state)])
        return None
    return counted(turn, code)


def answered(turn: Turn, state: str) -> Text:
    """The reply to a question asked back at ``state``'s question, said before it again.

    What the question means where the bot can say it; otherwise how to ask a person,
    and to choose an option or to answer in their own words, as the question asks.
    """
    explanation = _explained(turn, state)
    if explanation is not None:
        return explanation
    if prompt_for(turn, state).choices:
        return prompts.questions_to_a_person()
    return prompts.ask_in_own_words()


def _explained(turn: Turn, state: str) -> Text | None:
    """What ``state``'s question means, for a person who asks back before answering.

    Where what a choice does is easy to get wrong (consents, a name, the police), where
    people ask what to write (what happened, when, where, why), and why we ask at all
    (who it happened to, the offender, safety, safe times): "why do you need that?"
    got only "a support officer can answer your questions".
    """
    explanations = {
        states.PRIVACY: prompts.privacy_explained,
        states.ANONYMITY: prompts.anonymity_explained,
        states.NAME_CONFIRM: prompts.anonymity_explained,
        states.REFERRAL: lambda: _referral_explained(turn),
        states.POLICE: prompts.police_explained,
        states.FOLLOWUP_CONSENT: prompts.followup_explained,
        states.WHAT_HAPPENED: prompts.what_happened_explained,
        states.WHEN: prompts.when_explained,
        states.WHERE: prompts.where_explained,
        states.PLATFORM: prompts.platform_explained,
        states.ROLE: prompts.role_explained,
        states.OFFENDER_KNOWN: prompts.offender_explained,
        states.WHY: prompts.why_explained,
        states.RISK_HARM: prompts.risk_explained,
        states.RISK_OFFENDER: prompts.offender_explained,
        states.RISK_PREVIOUS: prompts.risk_explained,
        states.RISK_IMPACT: prompts.risk_explained,
        states.SAFE_HOURS: prompts.safe_hours_explained,
        states.CHECKIN_TIME: checkin_prompts.opener_explained,
    }
    explain = explanations.get(state)
    return explain() if explain is not None else None


def _referral_explained(turn: Turn) -> Text:
    """What a yes to this referral does; or what another service is, asked by its name.

    "What is Stop Hate UK?", asked at Victim Support's question, was answered with
    what a yes to Victim Support does.
    """
    current = get_service(current_referral(turn))
    named = named_in(turn.text)
    if named is not None and named.id != current.id:
        return prompts.service_described(named)
    return prompts.referral_explained(current)


def _several_fit(turn: Turn, choices: Sequence[Choice]) -> bool:
    """Whether the answer is a yes (or begins "yes, ...") where several options are."""
    return (
        len(options_meant(turn.parse, choices)) > 1
        or len(options_led(turn.text, choices, turn.language)) > 1
        or len(options_opened(turn.parse, choices)) > 1
    )


def chosen(turn: Turn, state: str) -> str | None:
    """The option of ``state``'s question the answer chose, if any (nothing is said)."""
    return match_one(turn.text, turn.parse, prompt_for(turn, state).choices, turn.language)


def counted(turn: Turn, code: str | None) -> str | None:
    """Settle a matched answer: a miss is said and counted, a choice resets the count."""
    if code is None:
        misunderstood(turn)
    else:
        turn.conversation.misunderstood = 0
    return code


def misunderstood(turn: Turn) -> None:
    """Say so kindly and ask again; after repeated misses, bring in a person."""
    turn.conversation.misunderstood = (turn.conversation.misunderstood or 0) + 1
    preface = [prompts.not_understood()]
    if turn.conversation.misunderstood >= MISUNDERSTOOD_LIMIT:
        turn.conversation.misunderstood = 0
        if store.open_handoff_of(turn.session, turn.conversation.id) is None:
            store.open_handoff(
                turn.session, turn.conversation, turn.case, "misunderstanding", False, turn.now
            )
            # Said once: repeating "I have asked a support officer" every few misses
            # while they wait would sound like nobody is coming.
            preface = [prompts.misunderstood_handoff()]
    reask(turn, preface)
