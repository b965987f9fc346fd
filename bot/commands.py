"""Global commands, recognised in every state, and the danger check before them.

The commands are help, start again, a person, language, quick exit and stop.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta
from functools import cache
from typing import Final

from babel import Locale
from sqlalchemy import select

from bot import erasure_prompts, prompts, states
from bot.back import go_back
from bot.choices import (
    holds_listed,
    match_one,
    match_words,
    normalise,
    only_guessed,
    whole_label,
)
from bot.flow import answered, chosen, goto, prompt_for, reask, written_in
from bot.messages import Text
from bot.names import given_name
from bot.submission import submit
from bot.turn import Turn
from bot.withdrawal import answer_withdrawal, withdraw, withdrawal_pending
from cases import store
from cases.models import Handoff
from content.i18n import available_languages
from nlu import parse as intents
from nlu.text import script_of

#: Command intents handled before the state sees the message.
COMMANDS: Final = (
    intents.HELP,
    intents.RESTART,
    intents.HUMAN,
    intents.LANGUAGE,
    intents.EXIT,
    intents.STOP,
    intents.DELETE,
    intents.WITHDRAW,
    intents.BACK,
)
#: Where a report has been made and the person may ask what happens with it.
_AFTER_REPORT: Final = (states.CLOSED, states.ADD_OR_NEW)
#: States that cannot be "resumed" into: resuming from them means the report start.
_NOT_RESUMABLE: Final = (states.LANGUAGE_MENU, states.HANDOFF_WAIT, states.PAUSED, states.STOPPED)


_SLASH_COMMAND: Final = re.compile(r"^/[^\s/]+$")


def is_unknown_command(turn: Turn) -> bool:
    """A chat-style "/command" that is none of ours gets a clear answer, not a guess."""
    return bool(_SLASH_COMMAND.match(turn.text.strip())) and turn.parse.intent not in COMMANDS


def answers_an_option(turn: Turn) -> bool:
    """Whether the words name one of the options on offer ("English", "I saw it").

    An option the person picks by its whole label wins over a command the same words
    might also mean, so choosing "English" in the language menu is not "change
    language". Words from one label win over a guess at a command ("I saw it" for "I saw
    it happen" is not "help"), but not over a sure one ("person" is the command, not
    the option "Talk to a person").
    """
    state = turn.conversation.state
    if state in (states.NEW, states.STOPPED) or erasure_pending(turn):
        return False
    choices = prompt_for(turn, state).choices
    if turn.parse.intent in COMMANDS and turn.parse.confidence >= intents.SURE_CONFIDENCE:
        return whole_label(turn.text, choices, turn.language) is not None
    return match_words(turn.text, choices, turn.language) is not None


def check_danger(turn: Turn) -> None:
    """Safety first: on any danger signal, emergency advice and an urgent handoff."""
    kind = turn.parse.danger
    if kind is None:
        return
    store.open_handoff(
        turn.session,
        turn.conversation,
        turn.case,
        "self_harm" if kind == intents.SELF_HARM else "danger",
        True,
        turn.now,
    )
    turn.remember("danger", True)
    # "He has a knife and I want to die": the self-harm reply (Samaritans) also says to
    # call 999, so it is the one that covers both.
    turn.replies.append(prompts.danger(intents.SELF_HARM in turn.parse.dangers | {kind}))


def answers_despite_danger(turn: Turn) -> bool:
    """Whether a message that raised a danger is still the answer to the question asked.

    In the person's own words it is (an account that says "he is outside now" is the
    account). At a question with options, when the words choose one ("he said he'd kill
    me" is "threatened"), but never words of self-harm: after those the form waits, and
    the question is only offered again for when the person is ready. "Não quero mais
    viver" (I don't want to live any more) was recorded as the answer No, and "não
    aguento mais" (I can't take any more) as the impact, with the next steps and the
    referral questions straight after the Samaritans. Otherwise too the question is
    asked again: "they are at my door now" got "Sorry, I did not understand" right
    after the safety reply.
    """
    state = turn.conversation.state
    if state not in states.REPORT_STATES or state in states.OWN_WORDS_STATES:
        return True
    if intents.SELF_HARM in turn.parse.dangers:
        return False
    choices = prompt_for(turn, state).choices
    return match_one(turn.text, turn.parse, choices, turn.language) is not None


#: Where a conversation still is at its start: the language chosen there goes on to the
#: Easy Read question, and a menu asked for there may be answered by writing in a language.
STARTING_STATES: Final = (
    None,
    states.NEW,
    states.LANGUAGE_CONFIRM,
    states.READING,
    states.PRIVACY,
)


def use_language(turn: Turn, code: str) -> None:
    """Speak ``code`` from now on, then go back to where the person was.

    At the start of a conversation the Easy Read question comes next.
    """
    turn.contact.language = code
    if turn.case is not None and turn.case.status == "draft":
        turn.case.language = code
    target = turn.conversation.resume_state
    turn.conversation.resume_state = None
    goto(turn, states.READING if target in STARTING_STATES else target)


def resumable(turn: Turn) -> str:
    """The state to come back to after an interruption."""
    state = turn.conversation.state
    if state in _NOT_RESUMABLE:
        return turn.conversation.resume_state or states.NEW
    return state


def hand_to_person(turn: Turn, reason: str) -> None:
    """Open a handoff; the person may carry on with the report while they wait."""
    resume = resumable(turn)
    store.open_handoff(turn.session, turn.conversation, turn.case, reason, False, turn.now)
    in_report = resume in states.REPORT_STATES
    turn.conversation.resume_state = resume
    turn.conversation.state = states.HANDOFF_WAIT
    turn.replies.append(prompts.handoff_requested(in_report))


def restart(turn: Turn) -> None:
    """Start the report again: the unfinished draft is discarded."""
    turn.discard_draft()
    # Where the person really was: "start again" from the language menu, a wait for a
    # person or a quick exit before the privacy question must not skip that consent.
    before = resumable(turn)
    turn.forget()
    turn.conversation.resume_state = None
    if before in (
        states.NEW,
        states.LANGUAGE_CONFIRM,
        states.READING,
        states.PRIVACY,
    ):
        goto(turn, states.LANGUAGE_CONFIRM)
        return
    turn.new_case()
    goto(turn, states.ANONYMITY, [prompts.restarting()])


def resume(turn: Turn, preface: list[Text] | None = None) -> None:
    """Go back to the state an interruption left."""
    target = turn.conversation.resume_state or states.NEW
    turn.conversation.resume_state = None
    if target == states.NEW:
        target = states.LANGUAGE_CONFIRM
    goto(turn, target, preface or [])


def run_command(turn: Turn) -> bool:
    """Carry out a global command if the message is one.

    Returns:
        True when the message was a command and has been handled.
    """
    if erasure_pending(turn) and answer_erasure(turn):
        return True
    if withdrawal_pending(turn) and answer_withdrawal(turn):
        return True
    if turn.parse.question and holds_listed(turn.text, prompts.DATA_QUESTIONS, turn.language):
        # Answered wherever it is asked, before the words are taken for anything else.
        reask(turn, [prompts.privacy_explained()])
        return True
    intent = turn.parse.intent
    if intent not in COMMANDS or _said_in_passing(turn) or _gives_a_name(turn):
        return False
    state = turn.conversation.state
    if intent == intents.BACK:
        # Outside a report "back" is an answer like any other ("I'm back" after a pause).
        if state not in states.REPORT_STATES:
            return False
        go_back(turn)
        return True
    if state == states.NEW:
        if intent in (intents.LANGUAGE, intents.HELP):
            # The welcome, in the language the first message names ("中文") or is written
            # in: "Olá, preciso de ajuda" (hello, I need help) was welcomed in English.
            return False
        # Any other first command ("quero falar com uma pessoa") is answered in its language.
        turn.contact.language = written_in(turn) or turn.contact.language
    if intent == intents.HELP and turn.parse.question and state in _AFTER_REPORT:
        return False  # "what is this about?" after a report: what happens with it
    if intent == intents.HELP:
        if turn.parse.question:
            # "What does anonymous mean?" asks about the question; "help" about the bot.
            reask(turn, [answered(turn, state)])
        else:
            reask(turn, [prompts.help_text()])
    elif intent == intents.RESTART:
        restart(turn)
    elif intent == intents.HUMAN:
        hand_to_person(turn, "asked_for_person")
    elif intent == intents.WITHDRAW:
        withdraw(turn)
    elif intent == intents.DELETE:
        ask_to_erase(turn)
    elif intent == intents.LANGUAGE:
        if state != states.LANGUAGE_MENU:
            turn.conversation.resume_state = resumable(turn)
        # "中文" at "I will write in 中文, is that right?", "Polski please", "ইংরেজিতে"
        # (in English): the language named is taken at once; the menu was one more
        # question to answer.
        named = _language_named(turn)
        if named is not None:
            use_language(turn, named)
        else:
            goto(turn, states.LANGUAGE_MENU)
    elif intent == intents.EXIT:
        turn.conversation.resume_state = resumable(turn)
        turn.conversation.state = states.PAUSED
        turn.replies.append(prompts.quick_exit())
    elif intent == intents.STOP:
        stop(turn)
    return True


def _said_in_passing(turn: Turn) -> bool:
    """A command guessed in an answer written in the person's own words.

    There a stop, a quick exit or going back acts only said as one (see
    :data:`bot.states.OWN_WORDS_STATES`): "bus stop", given as where it happened, once
    unsubscribed the person from every message, and "he won't stop" as what happened did
    the same; "told me to go back" is an account. A change of language acts only said as
    one, naming a language or with a word of asking for one: "in Leeds", "in Slough" and
    "în Slough" as where it happened were read as "in Polish", answered with the
    language menu, and the place was lost. So too where the words choose one of the
    question's options: "vakarais po 18" (evenings, after six) to "when is it safe to
    message you?" was read as "po polsku" (in Polish). A request to delete everything
    acts only with a word of deleting, at any question: "I saw everything" was one, and
    a yes erased a report.
    """
    state = turn.conversation.state
    if asks_for_support(turn):
        return True
    if turn.parse.verbatim:
        return False
    if turn.parse.intent == intents.DELETE:
        # Anywhere: the model reads "everything" as deleting ("I saw everything").
        return not holds_listed(turn.text, prompts.DELETE_WORDS, turn.language)
    if turn.parse.intent in (intents.STOP, intents.EXIT, intents.BACK):
        return state in states.OWN_WORDS_STATES
    if turn.parse.intent == intents.WITHDRAW:
        # Where a consent is being asked, words that answer it are that answer: "yes
        # you can share my details" to "may we pass your details to Galop?" reads like
        # a withdrawal (it names sharing), as "I already told the police" may to the
        # police question; withdrawn, the referral just given would go with them.
        return state in _CONSENT_STATES and (
            chosen(turn, state) is not None
            or turn.parse.confidence < intents.SURE_CONFIDENCE
            or (
                state == states.POLICE
                and holds_listed(turn.text, prompts.POLICE_ALREADY_TOLD, turn.language)
            )
        )
    if turn.parse.intent != intents.LANGUAGE or _asks_for_a_language(turn):
        return False
    return state in states.OWN_WORDS_STATES or (
        state in _ANSWERED_STATES and chosen(turn, state) is not None
    )


def asks_for_support(turn: Turn) -> bool:
    """Whether a request for help or a person answers "would you like support now?".

    At that check-in question "I need help" or "can someone call me" is its yes: read
    as a command, it got the help text, and the person was asked the question again.
    A question asked back ("what would they do?") is still answered as one.
    """
    return (
        turn.conversation.state == states.CHECKIN_SUPPORT
        and turn.parse.intent in (intents.HELP, intents.HUMAN)
        and not turn.parse.question
    )


#: Where the words of an answer that choose an option are the answer, whatever else the
#: model guessed; not the questions about language, where a language named is one.
_ANSWERED_STATES: Final = frozenset(
    set(states.ALL_STATES)
    - {states.NEW, states.LANGUAGE_CONFIRM, states.LANGUAGE_MENU, states.PAUSED, states.STOPPED}
)


def _asks_for_a_language(turn: Turn) -> bool:
    """Whether the words name a language or hold a word of asking for one."""
    return _language_named(turn) is not None or holds_listed(
        turn.text, prompts.LANGUAGE_WORDS, turn.language
    )


#: Scripts whose words hold a language's name with more letters glued on: Arabic,
#: Bengali and Gurmukhi prefixes and suffixes ("بالإنجليزية" is "ب", in, and
#: "الإنجليزية"), and Chinese, which has no spaces.
_GLUED_SCRIPTS: Final = frozenset({"arabic", "bengali", "gurmukhi", "han"})


def _language_named(turn: Turn) -> str | None:
    """The one language the words name, in itself ("English") or in the person's language.

    The menu names each language in itself: "بالإنجليزية" or "ইংরেজিতে" (in English)
    named none, and was kept as the answer to the question.
    """
    menu = chosen(turn, states.LANGUAGE_MENU)
    if menu is not None:
        return menu
    said = f" {normalise(turn.text)} "
    found = {
        code
        for code, name in _language_names(turn.language)
        if (name in said if script_of(name) in _GLUED_SCRIPTS else f" {name} " in said)
    }
    return found.pop() if len(found) == 1 else None


@cache
def _language_names(language: str) -> tuple[tuple[str, str], ...]:
    """Each language of the menu and its name in ``language`` (Unicode CLDR), normalised."""
    names = Locale.parse(language).languages
    return tuple((code, normalise(names[code])) for code in available_languages() if code in names)


#: Where a consent is asked for: there an answer about it is no withdrawal.
_CONSENT_STATES: Final = frozenset(
    {states.PRIVACY, states.REFERRAL, states.POLICE, states.FOLLOWUP_CONSENT, states.CHECKIN_TIME}
)

#: Where a name is asked for: there "call me Sam" gives one.
_NAME_STATES: Final = frozenset(
    {states.ANONYMITY, states.NAME_CONFIRM, states.NAME, states.POLICE_NAME}
)


#: A word for "nobody" that is also the word for asking for a person, which the help
#: gives as the command: French "personne" (PERSONNE).
_NOBODY: Final = {"fr": "personne"}
#: Questions about someone, where "nobody" is the no: "do you know who did it?" and
#: "was anyone attacked, hurt or threatened?".
_ABOUT_SOMEONE: Final = frozenset({states.OFFENDER_KNOWN, states.RISK_HARM})


def says_nobody(turn: Turn) -> bool:
    """Whether the answer, to a question about someone, is that language's "nobody".

    Elsewhere the same word asks for a person, as the help says; "je veux parler à une
    personne" (I want to talk to a person) still does here.
    """
    return (
        turn.conversation.state in _ABOUT_SOMEONE
        and turn.language in _NOBODY
        and normalise(turn.text) == _NOBODY[turn.language]
    )


def _gives_a_name(turn: Turn) -> bool:
    """Whether a guessed request for a person is a name given where one is asked for.

    "Call me Sam" to "would you like to tell us your name?" was read as asking for a
    call, and the report went to an officer instead of going on.
    """
    return (
        turn.parse.intent == intents.HUMAN
        and turn.conversation.state in _NAME_STATES
        and given_name(turn.text, turn.language) is not None
    )


#: Where the conversation remembers that erasure was asked about, and for how long a
#: "yes" still answers that question (later, "yes" means whatever was asked since).
_ERASE_ASKED: Final = "erase_asked"
_ERASE_ANSWER_WINDOW: Final = timedelta(hours=1)


def ask_to_erase(turn: Turn) -> None:
    """Ask before erasing anything, in the person's language; nothing goes yet."""
    turn.remember(_ERASE_ASKED, turn.now.isoformat())
    turn.replies.append(erasure_prompts.confirm_erasure())


def erasure_pending(turn: Turn) -> bool:
    """Whether this message may be the answer to "delete everything?"."""
    return turn.asked_within(_ERASE_ASKED, _ERASE_ANSWER_WINDOW)


def answer_erasure(turn: Turn) -> bool:
    """Erase on a clear yes, keep on a clear no; anything else is handled as usual.

    Returns:
        True when the message answered the question.
    """
    from bot.config import Settings  # noqa: PLC0415 - read at the moment of erasure
    from cases import erasure  # noqa: PLC0415 - keeps the engine's imports light

    asked = turn.take(_ERASE_ASKED)
    question = erasure_prompts.confirm_erasure()
    code = match_one(turn.text, turn.parse, question.choices, turn.language)
    if code == erasure_prompts.ERASE and only_guessed(
        turn.text, turn.parse, question.choices, turn.language
    ):
        # Erasing cannot be undone: a yes the model only guesses at ("chyba tak", I
        # suppose so, at 0.52) is asked again, within the same hour.
        turn.remember(_ERASE_ASKED, asked)
        turn.replies.append(replace(question, body=(prompts.not_understood(), *question.body)))
        return True
    if code == erasure_prompts.KEEP:
        reask(turn, [erasure_prompts.not_erased()])
        return True
    if code != erasure_prompts.ERASE:
        return False
    policy = erasure.ErasurePolicy(keep_statistics=Settings.from_env().erasure_keeps_statistics)
    # The conversation and its address stay, emptied, until the confirmation below
    # has been delivered; cases.erasure.complete_erasures then removes them.
    erasure.erase_contact(
        turn.session,
        turn.contact.id,
        now=turn.now,
        policy=policy,
        source=erasure.BY_PERSON,
        keep_conversation_id=turn.conversation.id,
    )
    turn.case = None
    turn.replies.append(erasure_prompts.erased(policy.keep_statistics))
    return True


def stop(turn: Turn) -> None:
    """Opt out: nothing more is sent (check-ins cancelled) until START.

    A report whose risk was assessed is submitted as it stands, without check-ins: a
    STOP to "may we check in with you?" once left it a draft that no officer saw, with
    the referrals the person had agreed to. One the worker already submitted after a
    silence gets its reference the same way.
    """
    turn.contact.opted_out_at = turn.now
    store.cancel_followups(turn.session, turn.contact.id, "stop", turn.now)
    store.cancel_pending_messages(turn.session, turn.conversation.id)
    store.audit(
        turn.session, store.SYSTEM, "contact.opted_out", "contact", turn.contact.id, turn.now
    )
    saved: list[Text] = []
    case = turn.case
    if turn.conversation.state in states.ASSESSED_STATES and case:
        # Left at its question, as a report submitted after a silence is: after START
        # the person is asked it again and can still finish (closed here, the police
        # and check-in questions were never offered again).
        submit(turn)
        saved.append(prompts.report_saved(case.reference))
    turn.conversation.resume_state = resumable(turn)
    turn.conversation.state = states.STOPPED
    stopped = prompts.stopped()
    turn.replies.append(replace(stopped, body=(*saved, *stopped.body)))


def on_stopped(turn: Turn) -> None:
    """While opted out only START is answered (danger is answered before this)."""
    if turn.parse.intent != intents.START:
        return
    turn.contact.opted_out_at = None
    store.audit(
        turn.session, store.SYSTEM, "contact.opted_in", "contact", turn.contact.id, turn.now
    )
    resume(turn, [prompts.started_again()])


def on_paused(turn: Turn) -> None:
    """Back after a quick exit or a long silence: carry on or start again."""
    question = prompt_for(turn, states.PAUSED)
    code = match_one(turn.text, turn.parse, question.choices, turn.language)
    if code == "continue" or turn.parse.intent in (intents.CONTINUE, intents.BACK):
        resume(turn)
    elif code == "restart":
        turn.conversation.state = turn.conversation.resume_state or states.NEW
        restart(turn)
    else:
        reask(turn)


def officer_holds(turn: Turn) -> bool:
    """Whether an officer has claimed this conversation's handoff and is talking with them."""
    if turn.conversation.state != states.HANDOFF_WAIT:
        return False
    held = turn.session.scalar(
        select(Handoff.id).where(
            Handoff.conversation_id == turn.conversation.id, Handoff.status == "claimed"
        )
    )
    return held is not None


def on_handoff_wait(turn: Turn) -> None:
    """Waiting for an officer: messages are kept for them; the report can go on.

    Once an officer holds the conversation the engine does not come here (see
    ``officer_holds``): the bot says nothing for itself while a person answers.
    """
    question = prompt_for(turn, states.HANDOFF_WAIT)
    if question.choices and match_one(turn.text, turn.parse, question.choices, turn.language):
        resume(turn)
    else:
        turn.replies.append(question)
