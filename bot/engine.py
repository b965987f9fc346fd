"""The conversation engine: one entry point for every channel, no I/O of its own.

``Engine.handle`` takes one inbound message for a conversation inside an open
transaction, moves the conversation's state on, writes what the report needs through
``cases.store``, and returns the replies as :class:`~bot.messages.OutboundMessage`
values. It never sends and never renders: the caller stores the replies in the outbox
in the same transaction, so a crash loses nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy.orm import Session

from bot import commands, linking, prompts, states
from bot.centre_keyword import centre_named_by
from bot.flow import goto, offered_languages, reask, word_of_one_language, written_in
from bot.messages import InboundMessage, OutboundMessage
from bot.report_steps import HANDLERS, SENTENCE_AT_CONFIRM_WORDS, hold_told_account
from bot.turn import Turn
from cases.models import Case, Contact, Conversation
from content.i18n import SOURCE_LANGUAGE
from nlu import parse as intents
from nlu.parse import Parse, Understander
from nlu.text import word_count

#: A report left this long is greeted with "carry on or start again?" rather than
#: taking the next message as the answer to a question asked long ago.
IDLE_TIMEOUT: Final = timedelta(days=7)
_CAN_NOT_READ: Final = ("voice", "audio", "sticker", "video_note")


class Engine:
    """Runs the report conversation.

    Args:
        understander: Language understanding behind the ``nlu`` interface.
        idle_timeout: How long a report may sit untouched before it is paused.
    """

    def __init__(self, understander: Understander, idle_timeout: timedelta = IDLE_TIMEOUT) -> None:
        self.understander = understander
        self.idle_timeout = idle_timeout

    def handle(
        self,
        session: Session,
        conversation: Conversation,
        inbound: InboundMessage,
        text: str,
        now: datetime,
    ) -> list[OutboundMessage]:
        """Handle one inbound message.

        Args:
            session: The open transaction the state and replies are written in.
            conversation: The conversation the message belongs to.
            inbound: The message as the channel received it.
            text: The message text, already cleaned of control characters.
            now: The time of the turn.

        Returns:
            The replies, in order (possibly none, e.g. after STOP).
        """
        contact = session.get(Contact, conversation.contact_id)
        if contact is None:
            raise LookupError("conversation without a contact")
        case = session.get(Case, conversation.case_id) if conversation.case_id else None
        if inbound.command:
            parse = Parse(
                language=contact.language, intent=inbound.command, confidence=1.0, verbatim=True
            )
        else:
            # At the language menu the language is what is being chosen: read it afresh.
            # So too a sentence at "I will write to you in English. Is that all right?": it
            # may be written in the language the person would rather use.
            afresh = conversation.state == states.LANGUAGE_MENU or (
                conversation.state == states.LANGUAGE_CONFIRM
                and word_count(text) >= SENTENCE_AT_CONFIRM_WORDS
            )
            known = None if afresh else contact.language
            parse = self.understander.parse(text, language=known, now=now)
        turn = Turn(session, conversation, contact, case, inbound, text, parse, now)
        if conversation.centre is None:
            conversation.centre = inbound.centre or (
                centre_named_by(session, text) if conversation.state == states.NEW else None
            )
        idle = now - conversation.updated_at if conversation.updated_at else timedelta(0)
        self._dispatch(turn, idle)
        conversation.updated_at = now
        return turn.replies

    def _dispatch(self, turn: Turn, idle: timedelta) -> None:
        state = turn.conversation.state
        if state == states.STOPPED:
            commands.check_danger(turn)
            commands.on_stopped(turn)
            return
        commands.check_danger(turn)
        if turn.parse.danger is not None and not commands.answers_despite_danger(turn):
            reask(turn, [prompts.carry_on_when_ready()])
            return
        if state in states.REPORT_STATES and idle > self.idle_timeout:
            turn.conversation.resume_state = state
            goto(turn, states.PAUSED)
            return
        if commands.officer_holds(turn):
            # A person is answering them now: everything they send (media, unknown
            # commands too) reaches the officer's console unanswered by the bot; only
            # exit and STOP still act (danger was answered above).
            if turn.parse.intent in (intents.EXIT, intents.STOP):
                commands.run_command(turn)
            return
        if turn.inbound.media and not turn.text.strip():
            unreadable = any(kind in _CAN_NOT_READ for kind in turn.inbound.media)
            if state == states.NEW:
                self._first_message(turn)
            else:
                reask(turn, [prompts.media_voice() if unreadable else prompts.media_kept()])
            return
        if linking.handle(turn):
            return
        if commands.is_unknown_command(turn):
            reask(turn, [prompts.unknown_command(), prompts.help_text()])
            return
        if commands.says_nobody(turn):
            # Its no, not a request for a person: "personne" (nobody) opened a handoff.
            turn.parse = replace(turn.parse, intent=intents.NO)
        if not commands.answers_an_option(turn) and commands.run_command(turn):
            return
        if state == states.NEW:
            self._first_message(turn)
        elif state == states.PAUSED:
            commands.on_paused(turn)
        elif state == states.HANDOFF_WAIT:
            commands.on_handoff_wait(turn)
        else:
            HANDLERS[state](turn, self.understander)

    def _first_message(self, turn: Turn) -> None:
        """Welcome, in the language the first message was written in when sure of it.

        A first message that tells what happened is held for the report: it was lost,
        and "what happened?" came again after the first questions.
        """
        told = hold_told_account(turn)
        offered = offered_languages(turn)
        language = written_in(turn) or _greeted_in(turn)
        if language is None and len(offered) == 1:
            language = offered[0]
        if language is None:
            # Unsure: welcome and safety first (in the source language), then the menu.
            turn.conversation.resume_state = states.PRIVACY
            turn.conversation.state = states.LANGUAGE_MENU
            menu = prompts.welcome_menu(offered)
            turn.replies.append(replace(menu, body=(*told, *menu.body)))
            return
        turn.contact.language = language
        goto(turn, states.LANGUAGE_CONFIRM, told)


def _greeted_in(turn: Turn) -> str | None:
    """The language of a greeting said in one language alone ("hola", "مرحبا", "cześć").

    Too short to identify, it got the English welcome and the language menu. Not an
    English one: people of every language say "hi".
    """
    if turn.parse.intent != intents.GREETING:
        return None
    language = word_of_one_language(turn)
    return None if language == SOURCE_LANGUAGE else language
