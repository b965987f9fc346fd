"""Global commands, recognised in every state, and the danger check before them.

The commands are help, start again, a person, language, quick exit and stop.
"""

from __future__ import annotations

import re
from typing import Final

from bot import prompts, states
from bot.choices import match_one, normalise
from bot.flow import goto, prompt_for, reask
from bot.messages import Text
from bot.turn import Turn
from cases import store
from content.render import render_text
from nlu import parse as intents

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
)
#: States that cannot be "resumed" into: resuming from them means the report start.
_NOT_RESUMABLE: Final = (states.LANGUAGE_MENU, states.HANDOFF_WAIT, states.PAUSED, states.STOPPED)


_SLASH_COMMAND: Final = re.compile(r"^/[^\s/]+$")


def is_unknown_command(turn: Turn) -> bool:
    """A chat-style "/command" that is none of ours gets a clear answer, not a guess."""
    return bool(_SLASH_COMMAND.match(turn.text.strip())) and turn.parse.intent not in COMMANDS


def answers_an_option(turn: Turn) -> bool:
    """Whether the text is exactly one of the options on offer ("English", "Start again").

    An option the person picks by its label wins over a command the same words might
    also mean, so choosing "English" in the language menu is not "change language".
    """
    state = turn.conversation.state
    if state in (states.NEW, states.STOPPED):
        return False
    said = normalise(turn.text)
    return bool(said) and any(
        said == normalise(render_text(choice.label, turn.language))
        for choice in prompt_for(turn, state).choices
    )


def check_danger(turn: Turn) -> None:
    """Safety first: on any danger signal, emergency advice and an urgent handoff."""
    kind = turn.parse.danger
    if kind is None:
        return
    self_harm = kind == intents.SELF_HARM
    store.open_handoff(
        turn.session,
        turn.conversation,
        turn.case,
        "self_harm" if self_harm else "danger",
        True,
        turn.now,
    )
    turn.remember("danger", True)
    turn.replies.append(prompts.danger(self_harm))


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
    if turn.case is not None and turn.case.status == "draft":
        store.discard_draft(turn.session, turn.case, turn.now)
        turn.case = None
        turn.conversation.case_id = None
    turn.forget()
    turn.conversation.resume_state = None
    if turn.conversation.state in (states.NEW, states.LANGUAGE_CONFIRM, states.PRIVACY):
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
    intent = turn.parse.intent
    if intent not in COMMANDS:
        return False
    state = turn.conversation.state
    if intent == intents.HELP:
        if state == states.NEW:
            goto(turn, states.LANGUAGE_CONFIRM)
        else:
            reask(turn, [prompts.help_text()])
    elif intent == intents.RESTART:
        restart(turn)
    elif intent == intents.HUMAN:
        hand_to_person(turn, "asked_for_person")
    elif intent in (intents.DELETE, intents.WITHDRAW):
        # Erasure and withdrawal are done by an officer until they are self-service,
        # so the request is never lost and is answered by a person.
        hand_to_person(turn, "erasure_request" if intent == intents.DELETE else "withdrawal")
    elif intent == intents.LANGUAGE:
        if state != states.LANGUAGE_MENU:
            turn.conversation.resume_state = resumable(turn)
        goto(turn, states.LANGUAGE_MENU)
    elif intent == intents.EXIT:
        turn.conversation.resume_state = resumable(turn)
        turn.conversation.state = states.PAUSED
        turn.replies.append(prompts.quick_exit())
    elif intent == intents.STOP:
        stop(turn)
    return True


def stop(turn: Turn) -> None:
    """Opt out: nothing more is sent (check-ins cancelled) until START."""
    turn.contact.opted_out_at = turn.now
    store.cancel_followups(turn.session, turn.contact.id, "stop", turn.now)
    store.cancel_pending_messages(turn.session, turn.conversation.id)
    store.audit(
        turn.session, store.SYSTEM, "contact.opted_out", "contact", turn.contact.id, turn.now
    )
    turn.conversation.resume_state = resumable(turn)
    turn.conversation.state = states.STOPPED
    turn.replies.append(prompts.stopped())


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
    if code == "continue" or turn.parse.intent == intents.CONTINUE:
        resume(turn)
    elif code == "restart":
        turn.conversation.state = turn.conversation.resume_state or states.NEW
        restart(turn)
    else:
        reask(turn)


def on_handoff_wait(turn: Turn) -> None:
    """Waiting for an officer: messages are kept for them; the report can go on."""
    question = prompt_for(turn, states.HANDOFF_WAIT)
    if question.choices and match_one(turn.text, turn.parse, question.choices, turn.language):
        resume(turn)
    else:
        turn.replies.append(question)
