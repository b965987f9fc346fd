"""What each state of the report does with an answer (domain brief, steps 3 to 10)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any, Final

from bot import prompts, states
from bot.choices import (
    CLAUSE_END,
    LIST_SEPARATORS,
    denied_options,
    denies_beside_answers,
    holds_listed,
    match_many,
    match_one,
    match_words,
    only_guessed,
    said_not,
    whole_label,
)
from bot.commands import STARTING_STATES, hand_to_person, use_language
from bot.flow import (
    HEARD_WHEN,
    answered,
    choose,
    chosen,
    current_referral,
    goto,
    misunderstood,
    prompt_for,
    reask,
    say,
    settle,
    word_of_one_language,
    written_in,
)
from bot.messages import OutboundMessage, Text
from bot.names import OFFERED_NAME, given_name, name_alone, no_name
from bot.safe_window import days_named, shown, window_named
from bot.submission import submit
from bot.turn import Turn
from cases import codes, risk, store
from cases.models import Case
from content.next_steps import Situation, next_steps, police_steps
from content.services import get_service, referral_services
from content.texts import EASY_READ, STANDARD
from followup import checkin, checkin_prompts, repeat
from followup.schedule import WEEKDAYS
from nlu import parse as intents
from nlu.dates import day_back, resolve_date
from nlu.parse import Understander
from nlu.text import has_letters, word_count

#: An answer to "when" this long is more of the account, not a date.
ACCOUNT_CONTINUATION_WORDS: Final = 12
#: A report this long, sent instead of an answer to the name question, is the account.
ACCOUNT_INSTEAD_OF_ANSWER_WORDS: Final = 6
#: A message this long at "I will write to you in English. Is that all right?" is a sentence,
#: not an answer: it is read for its own language (see :class:`bot.engine.Engine`), and
#: someone who just starts telling has said yes. Shorter ("no", Polish "yeah"; "sim") is
#: too short to tell the language of, and is an answer.
SENTENCE_AT_CONFIRM_WORDS: Final = 4
#: After a closed report, a message this long that chooses no option is more to add.
MORE_TO_ADD_WORDS: Final = 3
MAX_NAME: Final = 200
MAX_PLATFORM: Final = 100
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
_ALNUM = re.compile(r"[^\W_]", re.UNICODE)


def has_words(text: str) -> bool:
    """Whether the text has at least one letter (not only emoji, digits or symbols)."""
    return bool(_LETTERS.search(text))


def _free_text(turn: Turn) -> bool:
    """Whether a free-text answer has words and answers; if not, ask again kindly.

    A short question asked back ("do you need my exact address?") is no answer: kept as
    one, it was the place of the incident and the next answer a "Sorry". A question
    mark alone does not make one here: "Hyson Green?" is an answer, only unsure.
    """
    if not has_words(turn.text):
        reask(turn, [prompts.need_words()])
        return False
    return not _answered_back(turn)


#: A question longer than this is more likely part of an answer ("why would anyone call
#: a child that, and what do I tell her?") than a question about the question.
ASKED_BACK_WORDS: Final = 12


def _answered_back(turn: Turn) -> bool:
    """Answer a question about the question, then ask it again; False for an answer."""
    asked = _asks_back(turn)
    if asked:
        reask(turn, [answered(turn, turn.conversation.state)])
    return asked


def _asks_back(turn: Turn) -> bool:
    """Whether the message asks the bot something rather than telling or answering."""
    parse = turn.parse
    return (
        parse.question_word
        and not parse.motivations
        and not parse.dangers
        and word_count(turn.text) <= ASKED_BACK_WORDS
    )


# --- language and privacy --------------------------------------------------------------


def on_language_confirm(turn: Turn) -> None:
    """Yes keeps the language; otherwise the menu. Someone who just starts telling is a yes.

    What they tell is kept for the report: it was lost, and "what happened?" came again
    after the privacy question. Written in another language they can choose ("Um
    vizinho deixou um bilhete..." to "I will write to you in English"), the question is
    asked again in that one; the report went on in English. So it is for a yes that is
    a word of another language only ("tak").
    """
    preface = hold_told_account(turn)
    written = written_in(turn)
    if written is not None and written != turn.language:
        turn.contact.language = written
        goto(turn, states.LANGUAGE_CONFIRM, preface)
        return
    if turn.parse.intent == intents.REPORT or word_count(turn.text) >= SENTENCE_AT_CONFIRM_WORDS:
        goto(turn, states.READING, preface)
        return
    code = choose(turn, states.LANGUAGE_CONFIRM)
    said_in = word_of_one_language(turn) if code == prompts.YES else None
    if said_in is not None and said_in != turn.language:
        turn.contact.language = said_in
        goto(turn, states.LANGUAGE_CONFIRM)
    elif code == prompts.YES:
        goto(turn, states.READING)
    elif code is not None:
        turn.conversation.resume_state = states.PRIVACY
        goto(turn, states.LANGUAGE_MENU)


def on_language_menu(turn: Turn) -> None:
    """Set the chosen language, then go back to where the person was.

    At the start, someone who writes in a language instead of choosing one ("quiero
    contar lo que pasó") is asked in it whether to carry on in it, as a first message
    in that language would have been; so is someone who answers with a word of one
    language ("tak"). "Sorry, I did not understand" in English, again and again, told
    them nothing they could read.
    """
    code = chosen(turn, states.LANGUAGE_MENU)
    starting = turn.conversation.resume_state in STARTING_STATES
    written = None
    if code is None and starting:
        written = written_in(turn) or word_of_one_language(turn)
    if written is not None:
        turn.contact.language = written
        turn.conversation.misunderstood = 0
        goto(turn, states.LANGUAGE_CONFIRM)
        return
    code = settle(turn, states.LANGUAGE_MENU, code)
    if code is not None:
        use_language(turn, code)


def on_reading(turn: Turn) -> None:
    """Standard wording or Easy Read, kept on the contact so follow-ups use it too."""
    code = chosen(turn, states.READING)
    if code is None and _tells_it(turn):
        _hold_early_account(turn)
        goto(turn, states.PRIVACY, [prompts.account_held()])
        return
    code = settle(turn, states.READING, code)
    if code is None:
        return
    turn.contact.reading = EASY_READ if code == prompts.YES else STANDARD
    goto(turn, states.PRIVACY)


def on_privacy(turn: Turn) -> None:
    """Consent to continue, recorded with its wording; a draft case starts here.

    What happened, told before this question was answered, waits for the answer: with
    a yes it is the account, with a no it is not kept with anything.
    """
    code = chosen(turn, states.PRIVACY)
    if code is None and _tells_it(turn):
        _hold_early_account(turn)
        reask(turn, [prompts.account_held()])
        return
    if code != prompts.YES and _about_their_name(turn):
        reask(turn, [prompts.anonymity_explained()])
        return
    if code == prompts.NO and only_guessed(
        turn.text, turn.parse, prompt_for(turn, states.PRIVACY).choices, turn.language
    ):
        # A no ends the report, and drops what was told before it: as with a command
        # that ends one, a guess is not enough. "Esta mañana sobre las 8" (this morning,
        # about 8), more of an account told early, was read as a no at 0.51.
        code = None
    code = settle(turn, states.PRIVACY, code)
    if code is None:
        return
    agreed = code == prompts.YES
    held = turn.take(_TOLD_EARLY)
    if agreed:
        turn.new_case()
    turn.consent("privacy", prompts.PRIVACY_QUESTION, agreed)
    if agreed:
        if isinstance(held, dict):
            _record_account(turn.require_case(), turn, held)
        goto(turn, states.ANONYMITY)
    else:
        _end_unreported(turn)


def _about_their_name(turn: Turn) -> bool:
    """Whether an answer to "do you want to carry on?" is about giving a name.

    "I don't want to give my name" is a no, but not to carrying on: read as one, it
    ended the report of someone who only wanted to stay anonymous (which they may).
    A no said word for word as the data has it ("I'd rather not") is still a no; "do
    I have to give my name?" asks about the name too.
    """
    if turn.parse.verbatim and turn.parse.intent == intents.NO:
        return False
    named = _anonymity_named(turn)
    return named == _ANONYMOUS or (named is not None and turn.parse.question)


def _anonymity_named(turn: Turn) -> str | None:
    """The option of "would you like to tell us your name?" the words name, if any."""
    return _option_in_words(turn, states.ANONYMITY)


def _option_in_words(turn: Turn, state: str) -> str | None:
    """The option of ``state``'s question the words name (not the model's reading), if any."""
    return match_words(turn.text, prompt_for(turn, state).choices, turn.language)


#: The option of "would you like to tell us your name?" that keeps it.
_ANONYMOUS: Final = "anonymous"
#: Where an account told before the privacy question was answered waits (sealed).
_TOLD_EARLY: Final = "told_early"


def hold_told_account(turn: Turn) -> list[Text]:
    """Hold what happened, told before the language is settled; thanks for it if so.

    Returns:
        The thanks to put before the next question, or nothing when the message is not
        an account.
    """
    if not _tells_it(turn):
        return []
    _hold_early_account(turn)
    return [prompts.account_held()]


def _hold_early_account(turn: Turn) -> None:
    """Keep what happened, told before there is a report, until there is one.

    "Sorry, I did not understand" to someone who starts with what happened, at the
    Easy Read or privacy question, lost their words and told them nothing.
    """
    held = turn.scratch.get(_TOLD_EARLY)
    turn.remember(_TOLD_EARLY, _merged(held if isinstance(held, dict) else {}, _hints(turn)))


def _after_name(case: Case) -> str:
    """What happened next, unless it was told before the report began."""
    return states.WHEN if case.what_happened else states.WHAT_HAPPENED


def on_anonymity(turn: Turn) -> None:
    """Anonymous by default; a name only if the person wants to give one.

    Someone who starts telling what happened here, instead of answering, is kept
    anonymous (the default) and their words are the account: "Sorry, I did not
    understand" to someone pouring out what happened would be the worst reply. A name
    given in a sentence ("my name is Sam", "call me Sam") is the answer and the name:
    it got "Sorry", and "call me Sam" a person asked for.
    """
    code = chosen(turn, states.ANONYMITY)
    name = given_name(turn.text, turn.language)
    if name is not None and code in (None, "named"):
        _keep_name(turn, name)
        goto(turn, _after_name(turn.require_case()))
        return
    # "Nobody helped me" in an account holds a way of staying anonymous: the account is
    # kept all the same, and the report stays anonymous.
    if code != "named" and _tells_it(turn):
        _keep_account_anonymous(turn)
        return
    if _offer_name(turn):
        return
    code = settle(turn, states.ANONYMITY, code)
    if code == _ANONYMOUS:
        case = turn.require_case()
        case.anonymous = True
        goto(turn, _after_name(case))
    elif code == "named":
        goto(turn, states.NAME)


def _offer_name(turn: Turn) -> bool:
    """Ask "shall we call you Sam?" about words that may be a name written alone.

    Not words that name an option of the question asked, words the understanding data
    holds as they are ("Hello", "Maybe"), words that tell of a danger, or a question.
    Words the model only reads as a yes or a no may be a name: "Jo Smith" holds a yes
    of one language and "Noor" a no, which kept the report anonymous. A reason it
    reads in a lone word is no sign either: it reads race in the name "Kasia".
    """
    parse = turn.parse
    if parse.verbatim or parse.dangers or parse.question:
        return False
    if _option_in_words(turn, turn.conversation.state) is not None:
        return False
    offered = name_alone(turn.text, turn.language)
    if offered is None:
        return False
    turn.remember(OFFERED_NAME, offered)
    goto(turn, states.NAME_CONFIRM)
    return True


def on_name_confirm(turn: Turn) -> None:
    """The answer to "shall we call you Sam?": the name, staying anonymous, or another name.

    A name given in a sentence ("no, my name is Samantha") is the name; other words
    written alone are asked about in turn; an account told here is the account, and
    the report stays anonymous.
    """
    if _tells_it(turn):
        _keep_account_anonymous(turn)
        return
    name = given_name(turn.text, turn.language)
    code: str | None = "named"
    if name is None:
        if _offer_name(turn):
            return
        code = settle(turn, states.NAME_CONFIRM, chosen(turn, states.NAME_CONFIRM))
        if code is None:
            return
    offered = turn.take(OFFERED_NAME)
    if name is None and code == "named" and isinstance(offered, str):
        name = offered
    if code == "named" and name is None:
        goto(turn, states.NAME)  # nothing left to keep (see flow._name_confirm)
        return
    case = turn.require_case()
    if name is None:
        case.anonymous = True
    else:
        _keep_name(turn, name)
    goto(turn, _after_name(case))


def on_name(turn: Turn) -> None:
    """Keep the name (sealed) and move on to what happened.

    What happened, told here instead of a name, is the account, not a name: kept as
    one it was lost from the report. The report then stays anonymous, and says so.
    """
    if _tells_it(turn):
        _keep_account_anonymous(turn)
        return
    if _name_declined(turn):
        goto(turn, _after_name(turn.require_case()), [prompts.name_declined()])
        return
    if not _names_nobody(turn) and _free_text(turn):
        _keep_name(turn, _name_written(turn))
        goto(turn, _after_name(turn.require_case()))


def _keep_account_anonymous(turn: Turn) -> None:
    """Keep the account told where the name was asked about; the report stays anonymous."""
    turn.take(OFFERED_NAME)
    turn.require_case().anonymous = True
    _keep_account(turn, [prompts.kept_anonymous()])


def _name_written(turn: Turn) -> str:
    """The name written as the answer: without "my name is" and the like around it."""
    return given_name(turn.text, turn.language) or turn.text


def _keep_name(turn: Turn, name: str) -> None:
    """Keep the name the person gave (sealed); the report is no longer anonymous."""
    turn.contact.name = name.strip()[:MAX_NAME]
    turn.require_case().anonymous = False


def _name_declined(turn: Turn) -> bool:
    """Whether the answer to "what name should we use?" is a no to giving one.

    "No", "I'd rather not" and "actually I don't want to" were kept as the name, and
    the report was no longer anonymous. Names read as a no too ("Noor", "Nona"), so
    only a no the data holds word for word, one that opens the answer ("no, I changed
    my mind"), one with a "not" word, or the words of staying anonymous.
    """
    return _sure_no(turn) or _anonymity_named(turn) == _ANONYMOUS


def _sure_no(turn: Turn) -> bool:
    """Whether the message is surely a no.

    Read so with confidence, and either word for word as the data has it, opening the
    message ("no, I changed my mind"), or with a "not" word in it.
    """
    parse = turn.parse
    if parse.intent != intents.NO or parse.confidence < intents.SURE_CONFIDENCE:
        return False
    return (
        parse.verbatim
        or parse.lead == intents.NO
        or holds_listed(turn.text, prompts.NEGATIONS, turn.language)
    )


# --- what, when, where, who ------------------------------------------------------------


def on_what_happened(turn: Turn) -> None:
    """The account in the person's own words; hints for later questions are kept.

    Someone who says they do not want to tell it after all ("no", "I changed my mind",
    "I don't want to report it") is let go, as at the privacy question: the draft is
    discarded and nothing they wrote is kept. Their no was kept as what happened, and
    the questions went on.
    """
    if _declines_to_tell(turn):
        _let_go(turn)
    elif _free_text(turn):
        _keep_account(turn)


#: A no longer than this is more likely part of an account ("no, he didn't hit me but
#: he shouted") than a change of mind.
DECLINE_WORDS: Final = 8


def _declines_to_tell(turn: Turn) -> bool:
    """Whether the answer to "what happened?" is a no to telling it."""
    return (
        _sure_no(turn)
        and not turn.parse.dangers
        and not turn.parse.motivations
        and word_count(turn.text) <= DECLINE_WORDS
    )


def _let_go(turn: Turn) -> None:
    """End a report the person chose not to make before telling it: nothing is kept.

    Not the name they gave for it either, unless a report they made holds it.
    """
    case = turn.case
    if (
        case is not None
        and not case.anonymous
        and not store.earlier_reports(turn.session, turn.contact.id, case.id)
    ):
        turn.contact.name = None
    turn.discard_draft()
    turn.forget()
    _end_unreported(turn)


def _end_unreported(turn: Turn) -> None:
    """End where no report is made: what the person wrote is emptied, and they are told."""
    store.forget_unreported_words(turn.session, turn.conversation)
    turn.conversation.state = states.NEW
    turn.replies.append(prompts.privacy_declined())


def _tells_it(turn: Turn) -> bool:
    """Whether the message is an account of what happened rather than a short answer."""
    return (
        turn.parse.intent == intents.REPORT
        and not turn.parse.question
        and word_count(turn.text) >= ACCOUNT_INSTEAD_OF_ANSWER_WORDS
    )


def _keep_account(turn: Turn, preface: Sequence[Text] = ()) -> None:
    """Keep the account and its hints for later questions, then ask when it happened."""
    _record_account(turn.require_case(), turn, _hints(turn))
    goto(turn, states.WHEN, preface)


def _hints(turn: Turn) -> dict[str, Any]:
    """The account in this message, with what it says for later questions."""
    return {
        "text": turn.text,
        "online": turn.parse.online,
        "platform": turn.parse.platform,
        "motivations": sorted(turn.parse.motivations),
        "religion": turn.parse.religion,
    }


def _merged(earlier: dict[str, Any], later: dict[str, Any]) -> dict[str, Any]:
    """Two parts of one account, told one after the other."""
    if not earlier:
        return later
    return {
        "text": f"{earlier['text']}\n{later['text']}",
        "online": earlier["online"] or later["online"],
        "platform": earlier["platform"] or later["platform"],
        "motivations": sorted({*earlier["motivations"], *later["motivations"]}),
        "religion": earlier["religion"] or later["religion"],
    }


def _record_account(case: Case, turn: Turn, account: dict[str, Any]) -> None:
    """Add an account (see :func:`_hints`) to the report, after any told before."""
    motivations = set(account["motivations"])
    religion = account["religion"]
    if case.what_happened:
        case.what_happened = f"{case.what_happened}\n{account['text']}"
        motivations.update(turn.scratch.get("account_motivations", []))
        religion = turn.scratch.get("account_religion") or religion
    else:
        case.what_happened = account["text"]
    if account["online"]:
        case.online = True
        case.platform = case.platform or account["platform"]
    turn.remember("account_motivations", sorted(motivations))
    if religion:
        turn.remember("account_religion", religion)
    # "Yesterday at 5pm on the 36 bus..." was followed by "When did it happen?": the day
    # the account tells is read back instead, for a yes (see :func:`on_when`).
    heard = resolve_date(case.what_happened, language=turn.language, now=turn.now)
    if heard is None:
        turn.take(HEARD_WHEN)
    else:
        turn.remember(HEARD_WHEN, heard.isoformat())


def _after_when(case: Case) -> str:
    """Skip "where?" when the account already said which platform it happened on."""
    return states.ROLE if case.online and case.platform else states.WHERE


#: The when question's options that a day written with them makes more exact: "today"
#: by a part of it, "not sure" by the day guessed ("nie pamiętam dokładnie, chyba w
#: poniedziałek", I don't remember exactly, probably Monday, was "not sure", the Monday
#: lost).
_DAY_OPTIONS: Final = frozenset({"today", "yesterday", prompts.NOT_SURE})


def on_when(turn: Turn, understander: Understander) -> None:
    """A date in words, or an option; a long answer is more of the account.

    Where the account told the day, it was read back: a yes keeps it; a bare no asks
    the question itself; any other answer is the answer to it.
    """
    case = turn.require_case()
    heard = turn.scratch.get(HEARD_WHEN)
    if isinstance(heard, str):
        code = chosen(turn, states.WHEN)  # of the question read back, while it stands
        turn.take(HEARD_WHEN)
        if code == prompts.YES:
            case.occurred_at = datetime.fromisoformat(heard)
            goto(turn, _after_when(case))
            return
        # A no with another day in it ("no, it was Tuesday") is an answer like any other.
        if (
            code == prompts.NO
            and understander.resolve_date(turn.text, language=turn.language, now=turn.now) is None
        ):
            reask(turn)
            return
    if _rather_not_say(turn):
        goto(turn, _after_when(case), [prompts.not_saying_is_fine()])
        return
    resolved = None
    code = match_one(turn.text, turn.parse, prompts.WHEN_CHOICES, turn.language)
    if (
        code is not None
        and has_letters(turn.text)
        and (turn.parse.numbers or code in _DAY_OPTIONS)
        and whole_label(turn.text, prompts.WHEN_CHOICES, turn.language) is None
    ):
        # A number with words ("2 weeks", "the 3rd") is a date before it is option 2 or
        # 3, "yesterday evening" more than the option "Yesterday" (the evening), and
        # "not sure, maybe Monday" more than "Not sure".
        resolved = understander.resolve_date(turn.text, language=turn.language, now=turn.now)
        if resolved is not None:
            code = None
    if code is not None:
        case.occurred_text = code
        # The options name a day as typed words do: its noon, not the hour of the report.
        days = {"today": 0, "yesterday": 1}.get(code)
        case.occurred_at = None if days is None else day_back(days, now=turn.now)
        goto(turn, _after_when(case))
        return
    if not _ALNUM.search(turn.text):
        reask(turn, [prompts.need_words()])
        return
    if resolved is None:
        resolved = understander.resolve_date(turn.text, language=turn.language, now=turn.now)
    if resolved is None and word_count(turn.text) >= ACCOUNT_CONTINUATION_WORDS:
        case.what_happened = f"{case.what_happened or ''}\n{turn.text}".strip()
        reask(turn, [prompts.added_to_account()])
        return
    case.occurred_text = turn.text
    case.occurred_at = resolved
    goto(turn, _after_when(case))


def on_where(turn: Turn, understander: Understander) -> None:
    """A place, a postcode (its area is kept for trends), or online and which platform."""
    case = turn.require_case()
    if _corrects_when(turn, understander):
        return
    if match_one(turn.text, turn.parse, prompts.where().choices, turn.language) == "online":
        case.online = True
        goto(turn, states.ROLE if case.platform else states.PLATFORM)
        return
    if not _ALNUM.search(turn.text):
        reask(turn, [prompts.need_words()])
        return
    if _answered_back(turn):
        return
    if _rather_not_say(turn):
        goto(turn, states.ROLE, [prompts.not_saying_is_fine()])
        return
    case.location = turn.text
    if turn.parse.postcode:
        case.area = turn.parse.postcode.split(" ")[0].upper()
    if turn.parse.online:
        case.online = True
        case.platform = turn.parse.platform or case.platform
    goto(turn, states.PLATFORM if case.online and not case.platform else states.ROLE)


def _corrects_when(turn: Turn, understander: Understander) -> bool:
    """Set the date right when the answer to "where?" corrects it; ask "where?" again.

    "Sorry I meant Thursday" and "nie, czekaj, to był wtorek, nie poniedziałek" (no,
    wait, it was Tuesday, not Monday) were kept as the place, and the wrong day stayed.
    What is denied ("not Monday") is left out of the date.
    """
    if not holds_listed(turn.text, prompts.CORRECTION_WORDS, turn.language):
        return False
    said = _undenied(turn.text, turn.language)
    resolved = understander.resolve_date(said, language=turn.language, now=turn.now)
    if resolved is None:
        return False
    case = turn.require_case()
    case.occurred_text = turn.text
    case.occurred_at = resolved
    reask(turn, [prompts.when_corrected()])
    return True


def _undenied(text: str, language: str) -> str:
    """The text without what it denies: each clause from its first word of "not" on."""
    kept = []
    for clause in CLAUSE_END.split(text):
        words = clause.split()
        denied = next(
            (
                index
                for index, word in enumerate(words)
                if holds_listed(word, prompts.NEGATIONS, language)
            ),
            len(words),
        )
        kept.append(" ".join(words[:denied]))
    return ", ".join(part for part in kept if part)


#: A refusal longer than this says more than no: "I'd rather not say, but it was by the
#: mosque" gives a place.
_REFUSAL_WORDS: Final = 6


def _rather_not_say(turn: Turn) -> bool:
    """Whether the answer to when or where is that the person would rather not say.

    Kept as the answer, "I'd rather not say" was the place of the incident in the
    report and in its summary.
    """
    return word_count(turn.text) <= _REFUSAL_WORDS and holds_listed(
        turn.text, prompts.RATHER_NOT_SAY, turn.language
    )


def on_platform(turn: Turn) -> None:
    """Which app or website it was on."""
    if _free_text(turn):
        case = turn.require_case()
        case.online = True
        case.platform = turn.parse.platform or turn.text.strip()[:MAX_PLATFORM]
        goto(turn, states.ROLE)


def on_role(turn: Turn) -> None:
    """Victim, witness or third party.

    "It didn't happen to me" and "nie mnie, mojemu synowi" (not me, my son) hold the
    words of "It happened to me" and once chose it: the report was then about the
    writer, and its questions asked about them. Denied, it is left out of the reading.
    """
    code = settle(turn, states.ROLE, _chosen_unless_denied(turn, states.ROLE))
    if code is not None:
        turn.require_case().reporter_role = code
        goto(turn, states.OFFENDER_KNOWN)


#: The options of "was anyone attacked, hurt or threatened?" that are a kind of yes.
_HURT: Final = "hurt"
_THREATENED: Final = "threatened"
#: Dangers that, told in answer to "was anyone threatened?", are a threat of violence.
_THREATENING_DANGERS: Final = frozenset({intents.DANGER_NOW, intents.WEAPON})
#: The option of a question that is read only when the answer does not deny it.
_DENIABLE: Final = {
    states.ROLE: codes.VICTIM,
    states.RISK_HARM: _HURT,
    # "They don't live near me", "not a neighbour".
    states.RISK_OFFENDER: prompts.YES,
}
#: What a yes-or-no question's yes denied means, when no other option is named.
_DENIED_MEANS: Final = {states.RISK_OFFENDER: prompts.NO}


def _chosen_unless_denied(turn: Turn, state: str) -> str | None:
    """The option :func:`chosen` finds, unless the answer names it only to deny it.

    "It didn't happen to me" and "nobody hit her" hold the words of "It happened to me"
    and "Yes, someone was attacked or hurt"; the other options are read instead.
    """
    code = chosen(turn, state)
    deniable = _DENIABLE.get(state)
    # Also when nothing was chosen: "pas à moi, à mon fils" names two options, one denied.
    if deniable is None or code not in (None, deniable) or turn.parse.numbers:
        return code
    choices = prompt_for(turn, state).choices
    if not said_not(turn.text, choices, deniable, prompts.NEGATIONS, turn.language):
        return code
    others = [choice for choice in choices if choice.code != deniable]
    read = match_one(turn.text, turn.parse, others, turn.language)
    # "They don't live near me" to "could they find you again?" is its no.
    return read if read is not None else _DENIED_MEANS.get(state)


def on_offender_known(turn: Turn) -> None:
    """Whether the offender is known to them."""
    code = choose(turn, states.OFFENDER_KNOWN)
    if code is not None:
        turn.require_case().offender_known = code
        goto(turn, states.WHY)


# --- why, strands, religion ------------------------------------------------------------


def on_why(turn: Turn) -> None:
    """Keep the person's own words; propose the strands they and their account suggest.

    Both: "because I wear a hijab" after "he shouted go back to your country and pulled
    my hijab" is religion and race, and was proposed as religion alone (several strands
    often apply at once, and the person confirms or corrects the proposal).
    """
    if not has_words(turn.text) and turn.parse.intent != intents.NOT_SURE:
        reask(turn, [prompts.need_words()])
        return
    if _answered_back(turn):
        return
    case = turn.require_case()
    case.victim_words = turn.text
    if turn.parse.online:
        case.online = True
    from_account = turn.scratch.get("account_motivations", [])
    unsure = turn.parse.intent == intents.NOT_SURE
    # Not sure why: what their account suggests is offered to confirm, not the bare
    # list of ten ("জানি না" after an account of transphobic abuse got the whole list).
    proposed = sorted({*([] if unsure else turn.parse.motivations), *from_account})
    religion = (None if unsure else turn.parse.religion) or turn.scratch.get("account_religion")
    earlier = _earlier_reason(turn)
    if earlier is not None:
        proposed = sorted({*proposed, *(earlier.motivations or [])})
        religion = religion or earlier.religion
    if not proposed:
        goto(turn, states.STRANDS_SELECT)
        return
    turn.remember("proposed", proposed)
    turn.remember("proposed_religion", religion if codes.RELIGION in proposed else None)
    goto(turn, states.STRANDS_CONFIRM)


def _earlier_reason(turn: Turn) -> Case | None:
    """The person's last report, when they say it was for the same reason as before.

    "Same reason" in a second report got the bare list of strands, though the first
    report had them.
    """
    if not holds_listed(turn.text, prompts.SAME_AS_BEFORE, turn.language):
        return None
    earlier = repeat.earlier_cases(turn.session, turn.require_case())
    return earlier[0] if earlier else None


def _after_strands(turn: Turn, strands: list[str], religion: str | None) -> None:
    case = turn.require_case()
    case.motivations = [code for code in codes.STRANDS if code in strands]
    case.religion = religion if codes.RELIGION in strands else None
    if codes.RELIGION in strands and religion is None:
        goto(turn, states.RELIGION)
    else:
        goto(turn, states.RISK_HARM)


def on_strands_confirm(turn: Turn) -> None:
    """Yes keeps the proposal; no opens the full list; not sure records none."""
    code = choose(turn, states.STRANDS_CONFIRM)
    if code == prompts.YES:
        _after_strands(
            turn, turn.scratch.get("proposed", []), turn.scratch.get("proposed_religion")
        )
    elif code == prompts.NO:
        goto(turn, states.STRANDS_SELECT)
    elif code == prompts.NOT_SURE:
        _after_strands(turn, [], None)


def on_strands_select(turn: Turn) -> None:
    """Multi-select: numbers or words, "not sure" and "something else" allowed.

    Strands named in words are every one the options or the language model find:
    "narodowość i religia" (nationality and religion) matched the religion option
    alone, and race, the first strand named, was lost. The religion is then asked:
    the model guessed one for "religion" named alone (a Sikh was recorded as Muslim),
    and one proposed before may be what the person said no to.
    """
    choices = prompts.STRAND_SELECT_CHOICES
    chosen = match_many(turn.text, turn.parse, choices, turn.language, prompts.NEGATIONS)
    if not turn.parse.numbers:
        # The model's strands too, unless named only to deny them ("race, not religion").
        denied = denied_options(turn.text, choices, prompts.NEGATIONS, turn.language)
        motivations = sorted(turn.parse.motivations - denied)
        chosen = list(dict.fromkeys([*chosen, *motivations]))
    if not chosen:
        misunderstood(turn)
        return
    turn.conversation.misunderstood = 0
    strands = [code for code in chosen if code in codes.STRANDS]
    _after_strands(turn, strands, None)


def on_religion(turn: Turn) -> None:
    """The religion sub-flag."""
    code = choose(turn, states.RELIGION)
    if code is not None:
        turn.require_case().religion = code
        goto(turn, states.RISK_HARM)


# --- risk -----------------------------------------------------------------------------

_RISK_STEPS: Final = {
    states.RISK_HARM: (risk.HARM, states.RISK_OFFENDER),
    states.RISK_OFFENDER: (risk.OFFENDER, states.RISK_PREVIOUS),
    states.RISK_PREVIOUS: (risk.PREVIOUS, states.RISK_IMPACT),
}


def on_risk(turn: Turn) -> None:
    """One risk question; after the last, assess and give the next steps."""
    state = turn.conversation.state
    code = _risk_answer(turn, state)
    if code == _WHICH:
        reask(turn, [prompts.which_one()])
        return
    code = settle(turn, state, code)
    if code is None:
        return
    answers = dict(turn.scratch.get("risk", {}))
    if state in _RISK_STEPS:
        section, following = _RISK_STEPS[state]
        answers[section] = code
        turn.remember("risk", answers)
        goto(turn, following)
        return
    answers[risk.IMPACT] = code
    _assess_and_advise(turn, answers)


#: A risk answer that is a yes (or an impact) without saying which: asked which, no miss.
_WHICH: Final = "which"


def _risk_answer(turn: Turn, state: str) -> str | None:
    """The option a risk answer chooses, read past its denials and threats.

    Returns:
        The option's code, None when none is chosen, or :data:`_WHICH` when the answer
        fits more than one option and the person is to be asked which.
    """
    code = _chosen_unless_denied(turn, state)
    if turn.parse.numbers:
        return code
    if state == states.RISK_HARM:
        return _threat_or(turn, code)
    if state == states.RISK_PREVIOUS:
        return _happened_before(turn, code)
    if state == states.RISK_IMPACT and code is not None and _impact_denied(turn, code):
        return _WHICH if code == _FINE else _FINE
    return code


def _threat_or(turn: Turn, code: str | None) -> str | None:
    """At "was anyone attacked, hurt or threatened?", a threat told is a threat.

    "He said he'd beat me up" holds the words of an attack and once recorded one (and a
    high risk and a handover); "he said he'd stab me" and "dijo que me iba a matar" were
    met with "Sorry, I did not understand" (the danger they hold was answered, the threat
    never recorded). An attack named only after a threat's words, and a danger told when
    no option is named, are the threat.
    """
    choices = prompt_for(turn, states.RISK_HARM).choices
    if code == _HURT and said_not(turn.text, choices, _HURT, prompts.THREATENED_TO, turn.language):
        return _THREATENED
    if code is None and turn.parse.dangers & _THREATENING_DANGERS:
        return _THREATENED
    return code


def _happened_before(turn: Turn, code: str | None) -> str | None:
    """Read an answer to "has this happened before?" that says so without a count.

    "Not the first time", "no es la primera vez" and "不是第一次了" hold the words of
    "No" (it is the first time) and recorded that it had never happened before: the
    repeat victimisation the question is there to find was lost. "It's happened before"
    got "Sorry". Both are yes, and the person is asked which yes (:data:`_WHICH`);
    "it hasn't happened before" is the no.
    """
    if code not in (None, prompts.NO, prompts.NOT_SURE):
        return code
    choices = prompt_for(turn, states.RISK_PREVIOUS).choices
    if code is not None and said_not(
        _after_lead(turn), choices, prompts.NO, prompts.NEGATIONS, turn.language
    ):
        return _WHICH
    # Over a no or a "not sure" guessed from words the lists do not hold ("s-a mai
    # întâmplat", it has happened before, was guessed a no).
    if not holds_listed(turn.text, prompts.HAPPENED_BEFORE, turn.language):
        return code
    if holds_listed(turn.text, prompts.NEGATIONS, turn.language):
        # "Not sure if it's happened before" stays not sure.
        return prompts.NO if code in (None, prompts.NO) else code
    return _WHICH


#: "A little", the impact a denied "a lot" is, and that "I'm not OK" is not.
_FINE: Final = "mild"


def _impact_denied(turn: Turn, code: str) -> bool:
    """Whether the impact answer names its option only to deny it.

    "Not a lot" and "nie za bardzo" (not too much) hold "a lot" and were recorded as
    the gravest impact; "I'm not OK", "no estoy bien" and "مش منيح" hold "OK" and were
    recorded as a little. A denied impact is a little; a denied "a little" is asked
    which of the others it is.
    """
    choices = prompt_for(turn, states.RISK_IMPACT).choices
    return said_not(_after_lead(turn), choices, code, prompts.NEGATIONS, turn.language)


def _after_lead(turn: Turn) -> str:
    """The message after the yes or no it opens with before a comma, if it does.

    That no answers the question and denies nothing after it: "no, first time" and
    "não, é a primeira vez" (no, it is the first time) are no, "no, a lot actually" is
    a lot; "no, not a lot" still denies "a lot".
    """
    if turn.parse.lead is None:
        return turn.text
    parts = LIST_SEPARATORS.split(turn.text, maxsplit=1)
    return parts[1] if len(parts) == 2 else turn.text


def _assess_and_advise(turn: Turn, answers: dict[str, str]) -> None:
    case = turn.require_case()
    case.risk_answers = answers
    # Assessed with the person's history: repeats, re-assessment and escalation.
    result = repeat.assess_report(
        turn.session,
        case,
        answers,
        danger_reported=bool(turn.scratch.get("danger")),
        now=turn.now,
    )
    handed_off = False
    if result.escalation is not None:
        urgent = result.level == codes.RISK_HIGH
        store.open_handoff(
            turn.session, turn.conversation, case, repeat.HANDOFF_REASON, urgent, turn.now
        )
        handed_off = True
    elif result.level == codes.RISK_HIGH:
        store.open_handoff(turn.session, turn.conversation, case, "high_risk", False, turn.now)
        handed_off = True
    situation = replace(Situation.of_case(case, turn.language), officer_contact=handed_off)
    for body in next_steps(situation):
        turn.replies.append(OutboundMessage(body=tuple(body)))
    services = referral_services(
        case.motivations or [],
        case.religion,
        case.area,
        language=turn.language,
        role=case.reporter_role,
    )
    turn.remember("referrals", [service.id for service in services])
    goto(turn, states.REFERRAL if services else states.POLICE)


# --- referral, police, follow-up, close -----------------------------------------------


def on_referral(turn: Turn) -> None:
    """Consent per support service, recorded with the exact question.

    "No, I don't want the police" is no to the police, not to the service: it was
    taken as a no to Victim Support, and the police question still followed. The
    person is told the service is not the police, and asked again.
    """
    service = get_service(current_referral(turn))
    if _no_to_the_police(turn):
        reask(turn, [prompts.service_is_not_the_police(service)])
        return
    code = choose(turn, states.REFERRAL)
    if code is None:
        return
    case = turn.require_case()
    turn.consent(
        "referral",
        prompts.referral_question(service),
        code == prompts.YES,
        service=service.id,
        named=not case.anonymous,
    )
    remaining = turn.scratch.get("referrals", [])[1:]
    turn.remember("referrals", remaining)
    goto(turn, states.REFERRAL if remaining else states.POLICE)


def _no_to_the_police(turn: Turn) -> bool:
    """Whether a no (or a "not") names the police."""
    said_no = intents.NO in (turn.parse.intent, turn.parse.lead) or holds_listed(
        turn.text, prompts.NEGATIONS, turn.language
    )
    return said_no and holds_listed(turn.text, prompts.POLICE_WORDS, turn.language)


def on_police(turn: Turn) -> None:
    """None, anonymous or named; a named report needs a name.

    "I already reported it to the police" got "Sorry, I did not understand": it is kept
    as reported by the person, and nothing goes to the police from us.
    """
    code = (
        codes.POLICE_ALREADY
        if holds_listed(turn.text, prompts.POLICE_ALREADY_TOLD, turn.language)
        else choose(turn, states.POLICE)
    )
    if code is None:
        return
    case = turn.require_case()
    case.police_report = code
    turn.consent(
        "police",
        prompts.POLICE_QUESTION,
        code in (codes.POLICE_ANONYMOUS, codes.POLICE_NAMED),
        named=code == codes.POLICE_NAMED,
    )
    if code == codes.POLICE_NAMED:
        case.anonymous = False
        if not turn.contact.name:
            goto(turn, states.POLICE_NAME)
            return
    _police_advice(turn)
    goto(turn, states.FOLLOWUP_CONSENT)


def _police_advice(turn: Turn) -> None:
    """What happens with the police choice, or how to report to the police later."""
    body = police_steps(Situation.of_case(turn.require_case(), turn.language))
    if body:
        turn.replies.append(OutboundMessage(body=tuple(body)))


def _names_nobody(turn: Turn) -> bool:
    """Whether the answer to a name question is only a word that is no name; if so, ask again.

    "Tak" (yes) to "what name should the police use?" was kept as the name, and the
    report went to the police named "tak"; so were "chcę" (I want) and "przepraszam"
    (sorry). A yes or no the data holds word for word, or a word listed as no name.
    """
    yes_or_no = turn.parse.verbatim and turn.parse.intent in (intents.YES, intents.NO)
    if yes_or_no or no_name(turn.text, turn.language):
        misunderstood(turn)
        return True
    return False


def on_police_name(turn: Turn) -> None:
    """The name for a named police report."""
    if not _names_nobody(turn) and _free_text(turn):
        _keep_name(turn, _name_written(turn))  # a named police report is not anonymous
        _police_advice(turn)
        goto(turn, states.FOLLOWUP_CONSENT)


def on_followup_consent(turn: Turn) -> None:
    """Consent to check-ins; yes asks when it is safe."""
    code = choose(turn, states.FOLLOWUP_CONSENT)
    if code is not None:
        _answer_checkins(turn, code == prompts.YES)


def _answer_checkins(turn: Turn, agreed: bool) -> None:
    """Record the check-in consent; a yes asks when it is safe, a no submits the report."""
    turn.require_case().followup_consent = agreed
    turn.consent("followup", prompts.FOLLOWUP_QUESTION, agreed)
    if agreed:
        goto(turn, states.SAFE_HOURS)
    else:
        close_report(turn)


def on_safe_hours(turn: Turn) -> None:
    """The safe window for check-ins.

    "Not in the mornings, he is home then" names the one time we must never write:
    it once chose the mornings. An answer that names a time beside "not" or "except"
    is thanked and asked again (it was understood, so it is no miss), unless it is a
    number or a whole option. A "not" inside a listed answer ("it doesn't matter",
    "没关系", no problem) denies nothing: any "not" anywhere once asked those again.
    Hours named on the clock ("after 6pm", "po 18") are kept as named, and the closing
    summary says the hours kept. So are days: "vakarais po 18, bet ne savaitgaliais"
    (evenings after 6, but not at weekends) was asked again, and a check-in later went
    on a Saturday.
    """
    choices = prompts.safe_hours().choices
    named = days_named(turn.text, turn.language)
    if named is not None:
        _keep_safe_days(turn, *named)
        return
    if not turn.parse.numbers and whole_label(turn.text, choices, turn.language) is None:
        if denies_beside_answers(turn.text, choices, prompts.NEGATIONS, turn.language):
            reask(turn, [prompts.safe_time_ruled_out()])
            return
        declined = prompts.followup_consent().choices
        if match_words(turn.text, declined, turn.language) == prompts.NO:
            # "He checks my phone": no time is safe. Taken as the no to check-ins it is.
            _answer_checkins(turn, agreed=False)
            return
    # Hours on the clock before the options their words may also name: "下午6点以后"
    # (after 6 in the afternoon) named the afternoons, from noon.
    window = window_named(turn.text, turn.language)
    if window is not None:
        _keep_safe_hours(turn, window)
        return
    code = choose(turn, states.SAFE_HOURS)
    if code is not None:
        _keep_safe_hours(turn, prompts.SAFE_HOURS[code])


def _keep_safe_days(turn: Turn, days: int, rest: str) -> None:
    """Keep the days named; the hours too when the rest of the answer names them."""
    turn.contact.safe_days = days
    window = window_named(rest, turn.language)
    if window is None:
        # What is left is read as an answer of its own: the days' "not" denies no hours.
        alone = replace(turn.parse, intent=intents.NONE, lead=None, question=False, verbatim=False)
        code = match_one(rest, alone, prompts.safe_hours().choices, turn.language)
        window = None if code is None else prompts.SAFE_HOURS[code]
    if window is None:
        reask(turn, [prompts.safe_days_kept(days == WEEKDAYS)])
    else:
        _keep_safe_hours(turn, window)


def _keep_safe_hours(turn: Turn, window: tuple[int, int]) -> None:
    """Keep the safe hours (minutes after midnight) and close the report."""
    turn.contact.safe_from_minute, turn.contact.safe_to_minute = window
    close_report(turn)


def close_report(turn: Turn) -> None:
    """Submit the case, schedule check-ins, and give the reference and a summary."""
    submit(turn)
    turn.close()
    turn.replies.append(prompts.closing(turn.require_case().reference, summary(turn)))


def summary(turn: Turn) -> list[Text]:
    """The closing summary lines: what was recorded, in the person's language."""
    case = turn.require_case()
    label = prompts.SUMMARY_LABELS
    line = prompts.summary_line
    where: Text | str = prompts.ONLINE if case.online else (case.location or prompts.NOT_RECORDED)
    # As they read after "Why:", like the summary's other values: capitalised option
    # labels made "Orientacja seksualna i Bycie osobą transpłciową".
    strands = tuple(prompts.INLINE_STRAND_LABELS[s] for s in case.motivations or [])
    services = _services_agreed(case)
    support: str | Text = ", ".join(services) if services else prompts.NONE_CHOSEN
    return [
        line(label["when"], _when_recorded(case)),
        line(label["where"], where),
        line(label["why"], strands or prompts.NOT_RECORDED),
        line(label["risk"], prompts.RISK_LEVEL_LABELS[case.risk or codes.RISK_LOW]),
        line(label["support"], support),
        line(label["police"], prompts.POLICE_SUMMARY[case.police_report or codes.POLICE_NONE]),
        line(
            label["checkins"],
            prompts.checkins_between(
                shown(turn.contact.safe_from_minute),
                shown(turn.contact.safe_to_minute),
                turn.contact.safe_days,
            )
            if case.followup_consent
            else prompts.CHECKINS_NO,
        ),
    ]


def _what_happens_now(turn: Turn) -> OutboundMessage:
    """What will happen with the report, from what the person chose and its risk."""
    case = turn.require_case()
    officer = case.risk == codes.RISK_HIGH or (
        store.open_handoff_of(turn.session, turn.conversation.id) is not None
    )
    return prompts.what_happens_now(
        case.reference,
        services=_services_agreed(case),
        police=case.police_report in (codes.POLICE_ANONYMOUS, codes.POLICE_NAMED),
        checkins=bool(case.followup_consent) and turn.contact.opted_out_at is None,
        officer=officer,
    )


def _services_agreed(case: Case) -> list[str]:
    """The names of the support services the person agreed to be referred to."""
    return [
        get_service(c.service).name
        for c in case.consents
        if c.purpose == "referral" and c.answer and c.service
    ]


def _when_recorded(case: Case) -> Text | date | str:
    """When it happened, as the summary says it: the day, the option, or their words.

    The day, not the hour: "last night" resolves to an approximate time. "In the last
    week" has no day, and was once summed up as "not recorded", as were words no date
    could be read from (shown as they were written, like the place).
    """
    if case.occurred_at is not None:
        return case.occurred_at.date()
    chosen = next((c.label for c in prompts.WHEN_CHOICES if c.code == case.occurred_text), None)
    return chosen or case.occurred_text or prompts.NOT_RECORDED


def on_closed(turn: Turn) -> None:
    """After the report: add to it, make a new one, or talk to a person.

    "What happens now?" is answered, not offered to be added to the report (it once was,
    and the question after it kept with it, and neither answered).
    """
    if _asks_back(turn):
        turn.replies.append(_what_happens_now(turn))
        return
    if turn.parse.intent == intents.THANKS:
        # "Thank you" after the reference number is a goodbye. Asked "add to your report,
        # or a new one?", the conversation waited on an answer nobody meant to give.
        say(turn, prompts.you_are_welcome())
        return
    greeting = turn.parse.intent == intents.GREETING
    turn.remember("addition", None if greeting or not has_words(turn.text) else _hints(turn))
    goto(turn, states.ADD_OR_NEW)


def on_add_or_new(turn: Turn) -> None:
    """Carry out the choice made after the report was closed.

    Someone who goes on telling us what is happening ("they came back, I am afraid to
    go out") is not answering the question: what they write is kept with what they sent
    before, and they are asked again, without a "sorry" counted against them.
    """
    code = chosen(turn, states.ADD_OR_NEW)
    if code is None and _asks_back(turn):
        # What they wrote before waits, and so does the question about it.
        turn.replies.append(_what_happens_now(turn))
        reask(turn)
        return
    if code is None and _nothing_more(turn):
        # "No, nothing else", "thanks": nothing to add and no new report.
        turn.close()
        turn.replies.append(prompts.noted())
        return
    if code is None and not _a_yes(turn) and word_count(turn.text) >= MORE_TO_ADD_WORDS:
        turn.remember("addition", _merged(_addition(turn), _hints(turn)))
        reask(turn, [prompts.kept_with_the_rest()])
        return
    code = settle(turn, states.ADD_OR_NEW, code)
    # "I want to add that he had a red jacket" chooses "add" and is the addition too.
    told = _merged(_addition(turn), _hints(turn)) if _tells_it(turn) else _addition(turn)
    case = turn.require_case()
    if code == "add":
        if told:
            store.add_to_account(turn.session, case, told["text"], turn.now)
        turn.close()
        turn.replies.append(prompts.added_to_report(case.reference))
    elif code == "new":
        turn.forget()
        new = turn.new_case()
        if told and word_count(told["text"]) >= ACCOUNT_INSTEAD_OF_ANSWER_WORDS:
            # What they wrote is the new report's account: asked "what happened?" after
            # telling it, they had to tell it again.
            _record_account(new, turn, told)
        goto(turn, states.ANONYMITY)
    elif code == "person":
        hand_to_person(turn, "asked_for_person")


def _addition(turn: Turn) -> dict[str, Any]:
    """What was written after the report closed, kept until the person says where it goes."""
    addition = turn.scratch.get("addition")
    if isinstance(addition, str):  # kept as the words alone before they carried hints
        return {
            "text": addition,
            "online": False,
            "platform": None,
            "motivations": [],
            "religion": None,
        }
    return addition if isinstance(addition, dict) else {}


def _nothing_more(turn: Turn) -> bool:
    """A sure no or thank-you, and nothing else ("no, they came back" is more to add)."""
    return (
        turn.parse.intent in (intents.NO, intents.THANKS)
        and turn.parse.confidence >= intents.SURE_CONFIDENCE
    )


def _a_yes(turn: Turn) -> bool:
    """A yes ("sí, por favor") to a question of two kinds of yes: it is asked which."""
    return intents.YES in (turn.parse.intent, turn.parse.lead)


def _told_again(handler: Callable[[Turn], None]) -> Callable[[Turn], None]:
    """A check-in question's handler, unless the answer tells of a new incident.

    "It happened again, he spat at me at the bus stop" to "is now a good time?" got
    "Sorry, I did not understand", and "yes, he came back and shouted at me" to "has
    anything else happened?" was asked what happened, as if nothing had been said. The
    words become the new report's account, and its next question is asked. Only an
    account that says it happened again (or a yes to "anything else?"): "I'm still
    scared after what happened on the bus" is about the first incident.
    """

    def handle(turn: Turn) -> None:
        again = holds_listed(turn.text, checkin_prompts.HAPPENED_AGAIN, turn.language) or (
            turn.conversation.state == states.CHECKIN_AGAIN and turn.parse.lead == intents.YES
        )
        if again and _tells_it(turn) and turn.parse.lead != intents.NO:
            checkin.open_new_incident(turn)
            _keep_account(turn, [checkin_prompts.new_incident()])
        else:
            handler(turn)

    return handle


StepHandler = Callable[[Turn, Understander], None]


def _simple(handler: Callable[[Turn], None]) -> StepHandler:
    return lambda turn, _understander: handler(turn)


HANDLERS: Final[dict[str, StepHandler]] = {
    states.LANGUAGE_CONFIRM: _simple(on_language_confirm),
    states.LANGUAGE_MENU: _simple(on_language_menu),
    states.READING: _simple(on_reading),
    states.PRIVACY: _simple(on_privacy),
    states.ANONYMITY: _simple(on_anonymity),
    states.NAME_CONFIRM: _simple(on_name_confirm),
    states.NAME: _simple(on_name),
    states.WHAT_HAPPENED: _simple(on_what_happened),
    states.WHEN: on_when,
    states.WHERE: on_where,
    states.PLATFORM: _simple(on_platform),
    states.ROLE: _simple(on_role),
    states.OFFENDER_KNOWN: _simple(on_offender_known),
    states.WHY: _simple(on_why),
    states.STRANDS_CONFIRM: _simple(on_strands_confirm),
    states.STRANDS_SELECT: _simple(on_strands_select),
    states.RELIGION: _simple(on_religion),
    states.RISK_HARM: _simple(on_risk),
    states.RISK_OFFENDER: _simple(on_risk),
    states.RISK_PREVIOUS: _simple(on_risk),
    states.RISK_IMPACT: _simple(on_risk),
    states.REFERRAL: _simple(on_referral),
    states.POLICE: _simple(on_police),
    states.POLICE_NAME: _simple(on_police_name),
    states.FOLLOWUP_CONSENT: _simple(on_followup_consent),
    states.SAFE_HOURS: _simple(on_safe_hours),
    states.CLOSED: _simple(on_closed),
    states.ADD_OR_NEW: _simple(on_add_or_new),
    states.CHECKIN_TIME: _simple(_told_again(checkin.on_time)),
    states.CHECKIN_HOW: _simple(_told_again(checkin.on_how)),
    states.CHECKIN_AGAIN: _simple(_told_again(checkin.on_again)),
    states.CHECKIN_SUPPORT: _simple(checkin.on_support),
    states.CHECKIN_SATISFACTION: _simple(checkin.on_satisfaction),
}
