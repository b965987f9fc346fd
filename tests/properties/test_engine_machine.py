"""The engine as a state machine: any inputs, commands and clock moves keep its promises.

Hypothesis drives three people (SMS, Telegram, web chat) through the real service,
understander and outbox on a fresh SQLite database per example, with a manual clock.
Inputs are anything a person might send (answers, free text in several languages,
numbers, yes/no, nothing, emoji, floods, binary-ish junk), the global commands in
several languages, redelivered provider messages, and time passing (check-ins fall due,
idle reports pause). After every step:

- nothing reaches a person who sent STOP until they send START (a danger reply to
  their own message excepted: safety first), and nobody gets anyone else's replies;
- every consent row carries its wording, version and language, every case and referral
  rests on consent, and check-ins exist only with follow-up consent;
- every reference the bot gave is a submitted case of that person in the database;
- every conversation is in a known state, and no step raises.

CI runs a bounded, derandomised budget; ``TELLSAFE_HYPOTHESIS_PROFILE=long`` runs many
more (see tests/auxil/proof.py).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Final

import pytest
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from bot import states
from bot.clock import ManualClock
from bot.inbound_text import MAX_KEPT
from bot.messages import InboundMessage
from bot.outbox import Delivery
from bot.runtime import Runtime
from cases import codes, store
from cases.models import Case, Consent, Contact, Conversation, FollowUp, Message
from cases.reference import ALPHABET
from content.i18n import available_languages
from nlu import parse as intents
from tests.auxil.proof import budget, migrated_template, runtime_from_template
from tests.conftest import START

pytestmark = pytest.mark.slow

REFERENCE: Final = re.compile(rf"\bTS-[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}\b")


@dataclass(frozen=True)
class Who:
    """One person of the machine: a channel and an address on it."""

    channel: str
    address: str


PEOPLE: Final = (
    Who("sms", "+447700900555"),
    Who("telegram", "5550001"),
    Who("web", "w" * 43),
)

#: Answers for a state this table does not know yet (options are picked by number).
ANY_STATE: Final = ("1", "2", "yes", "no")
#: An answer that moves each state on (numbers pick options in any language).
ANSWERS: Final[dict[str, tuple[str, ...]]] = {
    states.NEW: ("Hello, I want to report something that happened to me", "hi", "cześć"),
    states.LANGUAGE_CONFIRM: ("yes", "1", "2"),
    states.LANGUAGE_MENU: ("1", "English", "2", "Polski"),
    "reading": ("1", "2"),
    states.PRIVACY: ("1", "yes", "2"),
    states.ANONYMITY: ("1", "2"),
    states.NAME: ("Sam", "Aisha Khan"),
    states.WHAT_HAPPENED: (
        "A man on the bus shouted at me and pulled at my hijab",
        "Someone wrote abuse about my disability on Facebook",
    ),
    states.WHEN: ("last night", "yesterday", "3 weeks ago"),
    states.WHERE: ("the 36 bus in Nottingham NG1 5AA", "Leeds city centre"),
    states.PLATFORM: ("Facebook", "1"),
    states.ROLE: ("1", "2"),
    states.OFFENDER_KNOWN: ("1", "2", "3"),
    states.WHY: ("because I am Muslim and I wear a hijab", "because I am gay", "I don't know"),
    states.STRANDS_CONFIRM: ("yes", "no"),
    states.STRANDS_SELECT: ("1", "2", "1 3"),
    states.RELIGION: ("1", "2"),
    states.RISK_HARM: ("1", "2", "3"),
    states.RISK_OFFENDER: ("1", "2", "3"),
    states.RISK_PREVIOUS: ("1", "2", "3"),
    states.RISK_IMPACT: ("1", "2", "3"),
    states.REFERRAL: ("yes", "no"),
    states.POLICE: ("1", "2", "3"),
    states.POLICE_NAME: ("Sam Smith",),
    states.FOLLOWUP_CONSENT: ("yes", "no"),
    states.SAFE_HOURS: ("1", "2", "3", "4"),
    states.CLOSED: ("thanks", "something else happened today"),
    states.ADD_OR_NEW: ("1", "2", "3"),
    states.HANDOFF_WAIT: ("1", "ok"),
    states.PAUSED: ("1", "2"),
    states.STOPPED: ("START", "hello"),
    states.CHECKIN_TIME: ("1", "2", "yes"),
    states.CHECKIN_HOW: ("1", "2", "3"),
    states.CHECKIN_AGAIN: ("1", "2", "no"),
    states.CHECKIN_SUPPORT: ("1", "2", "no"),
    states.CHECKIN_SATISFACTION: ("1", "5"),
}

#: Global commands, several languages each (from the training data).
COMMANDS: Final[tuple[str, ...]] = (
    "STOP",
    "stop",
    "przestań pisać",
    "توقف",
    "стоп",
    "START",
    "start",
    "HELP",
    "ayuda",
    "exit",
    "quick exit",
    "salir",
    "خروج",
    "talk to a human",
    "quiero hablar con una persona",
    "转人工",
    "delete my data",
    "usuń moje dane",
    "supprimez mes données",
    "change language",
    "zmień język",
    "换语言",
    "start again",
    "recommencer",
)

FREE_TEXT: Final[tuple[str, ...]] = (
    "Wczoraj ktoś krzyczał na mnie w autobusie, bo jestem z Polski",
    "Un hombre me insultó en el metro por ser gitano",
    "On m'a craché dessus parce que je suis noir",
    "Мене ображали на вулиці через те, що я українка",
    "تم الاعتداء علي في الشارع لأنني مسلمة",
    "有人在公交车上骂我，因为我是中国人",
    "আমাকে রাস্তায় গালি দিয়েছে",
    "Cafodd fy nghar ei ddifrodi oherwydd fy mod i'n Gymro",
    "they said they would come back with a knife",
    "I don't know",
    "what?",
    "/start",
    "/weird",
)

TEXTS = st.one_of(
    st.sampled_from(FREE_TEXT),
    st.integers(min_value=-3, max_value=40).map(str),
    st.sampled_from(("yes", "no", "Yes!", "NO", "tak", "nie", "نعم", "sí", "oui", "是", "ні")),
    st.sampled_from(("", " ", "\n\t ", "\r\n")),
    st.sampled_from(("👍", "🙏🏽", "😡😡😡", "❤️", "🏳️\u200d🌈", "¯\\_(ツ)_/¯")),
    # Floods, around the size kept (bot.inbound_text.MAX_KEPT) and past it.
    st.one_of(
        st.sampled_from((MAX_KEPT, MAX_KEPT + 1, 3 * MAX_KEPT)),
        st.integers(min_value=1_000, max_value=2 * MAX_KEPT),
    ).map(lambda n: ("they hurt me " * n)[:n]),
    # Binary-ish: control characters, NUL, lone surrogates, private use, raw bytes.
    st.binary(max_size=40).map(lambda raw: raw.decode("latin-1")),
    st.text(st.characters(categories=["Cc", "Cs", "Co", "Cf", "Zl", "Zp"]), max_size=20),
    st.text(max_size=60),
)

CLOCK_MOVES = st.sampled_from(
    (
        timedelta(minutes=1),
        timedelta(hours=2),
        timedelta(hours=13),
        timedelta(days=2),
        timedelta(days=8),  # past the idle timeout: a report in progress pauses
        timedelta(days=35),
    )
)


@dataclass
class Seen:
    """What the model knows about one person."""

    references: dict[str, int] = field(default_factory=dict)  # reference -> step said
    erasure_asked_at: int | None = None
    sent: list[InboundMessage] = field(default_factory=list)


class EngineMachine(RuleBasedStateMachine):
    """The people, their messages and the clock, against the real service."""

    def __init__(self, template: Path, directory: Path) -> None:
        super().__init__()
        self.clock = ManualClock(START)
        self.name = f"example{next(_examples)}"
        self.runtime: Runtime = runtime_from_template(template, directory, self.name, self.clock)
        self.understander = self.runtime.service.engine.understander
        self.seen = {who: Seen() for who in PEOPLE}
        self.step = 0
        self._ids = itertools.count(1)

    def teardown(self) -> None:
        self.runtime.database.dispose()

    # --- helpers ------------------------------------------------------------------

    def _deliver(self) -> dict[Who, list[Delivery]]:
        got: dict[Who, list[Delivery]] = {}

        def send(delivery: Delivery) -> str | None:
            got.setdefault(Who(delivery.channel, delivery.address), []).append(delivery)
            return None

        self.runtime.service.outbox.deliver(send)
        return got

    def _contact(self, who: Who) -> Contact | None:
        with self.runtime.sessions() as session:
            address = store.find_address(session, who.channel, who.address)
            return session.get(Contact, address.contact_id) if address else None

    def _stopped(self, who: Who) -> bool:
        contact = self._contact(who)
        return contact is not None and contact.opted_out_at is not None

    def _external_id(self, who: Who) -> str | None:
        number = next(self._ids)
        if who.channel == "sms":
            return f"SM{number:032x}"
        if who.channel == "telegram":
            return f"{who.address}:{number}"
        return None  # the web chat has no provider ids

    def _send(self, who: Who, text: str) -> None:
        self.step += 1
        stopped_before = {person: self._stopped(person) for person in PEOPLE}
        inbound = InboundMessage(
            channel=who.channel,
            address=who.address,
            text=text,
            received_at=self.clock.now(),
            external_id=self._external_id(who),
        )
        self.runtime.service.handle(inbound)
        self.seen[who].sent.append(inbound)
        parse = self.understander.parse(text, language=None, now=self.clock.now())
        if parse.intent == intents.DELETE:
            self.seen[who].erasure_asked_at = self.step
        got = self._deliver()
        for person in PEOPLE:
            if person != who:
                assert not got.get(person), "a reply went to someone who did not write"
        replies = got.get(who, [])
        if stopped_before[who] and self._stopped(who):
            # Opted out and still opted out: only a danger reply to their own words.
            assert len(replies) <= 1, [r.rendered.kind for r in replies]
            if replies:
                assert _has_danger(self, text), "a message went to someone who sent STOP"
        elif not self._stopped(who):
            assert replies, "a person who has not opted out got no answer"
        self._note_references(who, replies)

    def _note_references(self, who: Who, replies: list[Delivery]) -> None:
        for reply in replies:
            for reference in REFERENCE.findall(reply.rendered.text):
                self.seen[who].references.setdefault(reference, self.step)

    # --- rules ----------------------------------------------------------------------

    @rule(who=st.sampled_from(PEOPLE), data=st.data())
    def answer_the_question(self, who: Who, data: st.DataObject) -> None:
        """An answer that fits the state the person is in (drives reports to the end)."""
        conversation = self._conversation(who)
        state = conversation.state if conversation else states.NEW
        self._send(who, data.draw(st.sampled_from(ANSWERS.get(state, ANY_STATE)), label="answer"))

    @rule(who=st.sampled_from(PEOPLE), text=TEXTS)
    def say_anything(self, who: Who, text: str) -> None:
        """Anything at all."""
        self._send(who, text)

    @rule(who=st.sampled_from(PEOPLE), command=st.sampled_from(COMMANDS))
    def command(self, who: Who, command: str) -> None:
        """A global command, in one of several languages."""
        self._send(who, command)

    @precondition(lambda self: any(seen.sent for seen in self.seen.values()))
    @rule(data=st.data())
    def provider_redelivers(self, data: st.DataObject) -> None:
        """A provider sends an earlier message again: nothing changes, nothing is sent."""
        candidates = [
            message
            for seen in self.seen.values()
            for message in seen.sent
            if message.external_id is not None
        ]
        if not candidates:
            return
        message = data.draw(st.sampled_from(candidates), label="redelivered")
        before = self._snapshot()
        assert self.runtime.service.handle(message) == []
        assert self._deliver() == {}
        assert self._snapshot() == before

    @rule(delta=CLOCK_MOVES)
    def time_passes(self, delta: timedelta) -> None:
        """Time passes; check-ins fall due each at its own time."""
        self.step += 1
        stopped = {person for person in PEOPLE if self._stopped(person)}
        target = self.clock.now() + delta
        followups = self.runtime.followups
        got: dict[Who, list[Delivery]] = {}
        while (due := followups.next_due()) is not None and due <= target:
            self.clock.set(max(due, self.clock.now()))
            followups.run_due()
            for person, items in self._deliver().items():
                got.setdefault(person, []).extend(items)
        self.clock.set(target)
        followups.run_due()
        for person, items in self._deliver().items():
            got.setdefault(person, []).extend(items)
        for person in stopped:
            assert not got.get(person), "a check-in went to someone who sent STOP"
        for person, items in got.items():
            self._note_references(person, items)

    # --- invariants -----------------------------------------------------------------

    def _conversation(self, who: Who) -> Conversation | None:
        with self.runtime.sessions() as session:
            address = store.find_address(session, who.channel, who.address)
            if address is None:
                return None
            return session.scalars(
                select(Conversation).where(Conversation.address_id == address.id)
            ).one()

    def _snapshot(self) -> tuple[object, ...]:
        with self.runtime.sessions() as session:
            rows = session.execute(
                select(Conversation.id, Conversation.state, Conversation.updated_at)
            ).all()
            messages = session.scalar(select(func.count()).select_from(Message))
            return (tuple(rows), messages)

    @invariant()
    def states_are_known(self) -> None:
        with self.runtime.sessions() as session:
            for state, resume in session.execute(
                select(Conversation.state, Conversation.resume_state)
            ):
                assert state in states.ALL_STATES, state
                assert resume is None or resume in states.ALL_STATES, resume

    @invariant()
    def stop_is_kept(self) -> None:
        with self.runtime.sessions() as session:
            for conversation in session.scalars(select(Conversation)):
                contact = session.get(Contact, conversation.contact_id)
                assert contact is not None
                stopped = conversation.state == states.STOPPED
                assert stopped == (contact.opted_out_at is not None), conversation.state
                if stopped:
                    waiting = session.scalar(
                        select(func.count())
                        .select_from(FollowUp)
                        .where(FollowUp.contact_id == contact.id, FollowUp.state == "pending")
                    )
                    assert waiting == 0, "a check-in is still scheduled after STOP"
                    unsent = session.scalar(
                        select(func.count())
                        .select_from(Message)
                        .where(
                            Message.conversation_id == conversation.id,
                            Message.delivery.in_(("pending", "sending")),
                        )
                    )
                    assert unsent == 0, "a message is still queued after STOP"

    @invariant()
    def consent_is_consistent(self) -> None:
        languages = set(available_languages())
        with self.runtime.sessions() as session:
            consents = list(session.scalars(select(Consent)))
            for consent in consents:
                assert consent.wording
                assert consent.wording.strip()
                assert consent.wording_version.startswith(f"{consent.purpose}:")
                assert consent.language in languages
                assert consent.channel in {who.channel for who in PEOPLE}
                assert consent.contact_id is not None
                assert consent.at is not None
                if consent.purpose == "referral":
                    assert consent.service, "a referral consent without its service"
                    assert consent.case_id is not None, "a referral consent without a case"
            agreed_privacy = {c.contact_id for c in consents if c.purpose == "privacy" and c.answer}
            for case in session.scalars(select(Case)):
                assert case.contact_id in agreed_privacy, "a case without privacy consent"
                mine = [c for c in consents if c.case_id == case.id]
                for consent in mine:
                    assert consent.contact_id == case.contact_id
                if case.followup_consent:
                    assert any(c.purpose == "followup" and c.answer for c in mine)
                if case.police_report not in (None, codes.POLICE_NONE):
                    assert any(c.purpose == "police" and c.answer for c in mine)
            followups = session.scalars(select(FollowUp)).all()
            for followup in followups:
                checked = session.get(Case, followup.case_id)
                assert checked is not None, "a check-in for a case that is gone"
                assert checked.followup_consent, "a check-in without consent"

    @invariant()
    def references_given_are_kept(self) -> None:
        with self.runtime.sessions() as session:
            for who, seen in self.seen.items():
                address = store.find_address(session, who.channel, who.address)
                for reference, said_at in seen.references.items():
                    case = session.scalars(
                        select(Case).where(Case.reference == reference)
                    ).one_or_none()
                    erased = seen.erasure_asked_at is not None and seen.erasure_asked_at > said_at
                    if case is None and erased:
                        continue  # the person asked for their data to be deleted
                    assert case is not None, f"reference {reference} given but not stored"
                    assert case.status == "submitted", "a reference given for an unsent report"
                    assert address is not None
                    assert case.contact_id == address.contact_id


def _has_danger(machine: EngineMachine, text: str) -> bool:
    """Whether the text is a danger signal in the language the person chose."""
    for language in available_languages():
        parse = machine.understander.parse(text, language=language, now=machine.clock.now())
        if parse.danger is not None:
            return True
    return False


_examples = itertools.count()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return migrated_template(tmp_path_factory.mktemp("engine-machine"))


def test_engine_keeps_its_promises_whatever_happens(
    template: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    directory = tmp_path_factory.mktemp("engine-machine-examples")

    def machine() -> EngineMachine:
        return EngineMachine(template, directory)

    run_state_machine_as_test(machine, settings=budget(examples=40, steps=40))  # type: ignore[arg-type]


def test_a_full_report_is_reachable_by_the_machine(
    template: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The machine's answers can finish a report, so the reference invariant has teeth."""
    machine = EngineMachine(template, tmp_path_factory.mktemp("engine-machine-walk"))
    sms = PEOPLE[0]
    try:
        for _ in range(40):
            conversation = machine._conversation(sms)
            state = conversation.state if conversation else states.NEW
            if state == states.CLOSED:
                break
            machine._send(sms, ANSWERS.get(state, ANY_STATE)[0])
        assert machine.seen[sms].references, "the happy answers never finished a report"
        machine.references_given_are_kept()
        machine.consent_is_consistent()
        machine.time_passes(timedelta(days=2))
        machine.command(sms, "STOP")
        machine.time_passes(timedelta(days=35))
        machine.stop_is_kept()
    finally:
        machine.teardown()


# Examples the machine found, kept as plain regression tests.


@pytest.mark.parametrize("interruption", ["change language", "talk to a human", "exit"])
def test_start_again_before_the_privacy_question_does_not_skip_it(
    template: Path, tmp_path_factory: pytest.TempPathFactory, interruption: str
) -> None:
    # Found: NEW -> Polish text -> "change language" -> "start again" opened a case and
    # went to the anonymity question with no privacy consent recorded.
    machine = EngineMachine(template, tmp_path_factory.mktemp("restart"))
    sms = PEOPLE[0]
    try:
        machine._send(sms, "Wczoraj ktoś krzyczał na mnie w autobusie, bo jestem z Polski")
        machine._send(sms, interruption)
        machine._send(sms, "start again")
        conversation = machine._conversation(sms)
        assert conversation is not None
        assert conversation.state == states.LANGUAGE_CONFIRM
        assert conversation.case_id is None
        machine.consent_is_consistent()
    finally:
        machine.teardown()


def test_a_flood_after_stop_gets_no_answer(
    template: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Found: a message longer than MAX_KEPT after STOP got "your message was very long".
    machine = EngineMachine(template, tmp_path_factory.mktemp("flood"))
    sms = PEOPLE[0]
    try:
        machine._send(sms, "hello")
        machine._send(sms, "STOP")
        machine._send(sms, "x" * (MAX_KEPT + 1))  # asserts nothing was sent
        machine.stop_is_kept()
    finally:
        machine.teardown()


def test_start_again_keeps_the_privacy_consent(
    template: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Found: "start again" in a report deleted the draft and, by cascade, the privacy
    # consent recorded with it; the new draft then rested on no consent at all.
    machine = EngineMachine(template, tmp_path_factory.mktemp("restart-consent"))
    sms = PEOPLE[0]
    try:
        for text in ("Hello, I want to report something that happened to me", "yes", "1", "1"):
            machine._send(sms, text)
        conversation = machine._conversation(sms)
        assert conversation is not None
        assert conversation.case_id is not None
        machine._send(sms, "start again")
        conversation = machine._conversation(sms)
        assert conversation is not None
        assert conversation.case_id is not None
        machine.consent_is_consistent()
    finally:
        machine.teardown()


def test_a_redelivery_after_erasure_changes_nothing(
    template: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    machine = EngineMachine(template, tmp_path_factory.mktemp("erasure-replay"))
    sms = PEOPLE[0]
    try:
        machine._send(sms, "Hello, I want to report something that happened to me")
        first = machine.seen[sms].sent[0]
        machine._send(sms, "delete my data")
        machine._send(sms, "yes")
        # Twilio redelivers the first message (it does, for hours, after a timeout).
        assert machine.runtime.service.handle(first) == []
    finally:
        machine.teardown()
