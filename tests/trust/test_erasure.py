"""Erasure on both databases: "delete my data" in the chat, and by an officer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import erasure_prompts, states
from bot.cli import main
from bot.runtime import Runtime
from cases import erasure
from cases.erasure import ErasureRecord, complete_erasures
from cases.models import AuditEvent, Case, FollowUp, Handoff, Message
from cases.sealed import current_keyring
from content.render import render_text
from tests.auxil.person import Person
from tests.trust.conftest import ACCOUNT, NAME, WHY, holdings, report, traces

CONFIRM = "Do you want us to delete everything you have told us"
DONE = "Your messages, your report and your contact details have been deleted"


def finish(runtime: Runtime) -> int:
    """Run what the worker loop runs after delivery: complete open erasures."""
    with runtime.sessions.begin() as session:
        return complete_erasures(session, runtime.clock.now())


def test_delete_my_data_erases_every_trace_and_confirms(trust_runtime: Runtime) -> None:
    runtime = trust_runtime
    person = Person(runtime)
    report(person)
    assert person.state() == states.CLOSED
    person.say("I need to talk to a person")  # an open handoff, to be closed
    held = holdings(runtime, person)
    held.secrets |= {NAME, ACCOUNT, WHY}
    assert len(traces(runtime.database, current_keyring(), held)) > 20  # the scan sees them
    with runtime.sessions() as session:
        assert session.scalars(select(FollowUp).where(FollowUp.state == "pending")).all()

    asked = person.say("delete my data")
    assert CONFIRM in asked[-1].text
    confirmed = person.say("yes")
    assert DONE in confirmed[-1].text
    assert "anonymous count" in confirmed[-1].text

    assert finish(runtime) == 1
    with runtime.sessions() as session:
        kept = session.scalars(select(Case)).all()
        assert len(kept) == 1  # the anonymous statistical record
        case = kept[0]
        held.statistical = {"cases": {case.id}}
        assert traces(runtime.database, current_keyring(), held) == []
        assert case.contact_id is None
        assert case.reference.startswith("AN-")
        assert (case.what_happened, case.victim_words, case.location) == (None, None, None)
        assert case.motivations == ["religion"]
        assert case.area == "NG1"
        assert case.created_at.weekday() == 0
        assert case.created_at.hour == 0
        assert session.scalars(select(FollowUp)).all() == []
        assert session.scalars(select(Handoff)).all() == []
        record = session.scalars(select(ErasureRecord)).one()
        assert record.completed_at is not None
        assert record.contact_id is None
        assert record.counts["followups_cancelled"] == 3
        assert record.counts["handoffs_closed"] == 1
        actions = set(session.scalars(select(AuditEvent.action)))
        assert {"erasure.started", "erasure.completed"} <= actions


@pytest.mark.parametrize("channel", ["sms", "telegram", "web"])
def test_every_channel_gets_the_confirmation_before_the_address_goes(
    trust_runtime: Runtime, channel: str
) -> None:
    runtime = trust_runtime
    person = Person(runtime, address=f"{channel}-CANARY-ADDRESS-1", channel=channel)
    report(person, until=states.WHEN)
    held = holdings(runtime, person)
    held.secrets |= {NAME, ACCOUNT}
    person.say("delete my data")
    assert DONE in person.say("yes")[-1].text
    if channel == "web":
        # The page fetches after the outbox marks it sent: kept a while for it.
        assert finish(runtime) == 0
        assert "yes" in [m.text for m in _messages(runtime)]
        person.wait(erasure.PULL_GRACE)
    assert finish(runtime) == 1
    assert traces(runtime.database, current_keyring(), held) == []


def _messages(runtime: Runtime) -> list[Message]:
    with runtime.sessions() as session:
        return list(session.scalars(select(Message)))


def test_no_keeps_everything(trust_runtime: Runtime) -> None:
    person = Person(trust_runtime)
    report(person)
    person.say("delete my data")
    reply = person.say("no")[-1].text
    assert "nothing has been deleted" in reply
    assert person.case().what_happened is not None
    assert person.contact().name == NAME


def test_unrelated_answer_cancels_the_question(trust_runtime: Runtime) -> None:
    person = Person(trust_runtime)
    report(person)
    person.say("delete my data")
    person.say("help")
    person.say("yes")  # no longer answers "delete everything?"
    assert person.contact().name == NAME


def test_a_yes_only_guessed_at_is_asked_again(trust_runtime: Runtime) -> None:
    # Erasing cannot be undone: "chyba tak" (I suppose so), read as a yes at 0.52, erased
    # everything. It is asked again; a yes of the person's own then erases.
    person = Person(trust_runtime)
    person.say("Dzień dobry, chcę zgłosić przestępstwo")
    person.say("tak")
    person.say("usuń moje dane")
    asked = person.say("chyba tak")[-1]
    assert asked.text.startswith("Przepraszam")
    assert "Tego nie da się cofnąć" in asked.text
    assert asked.choices == ["Tak, usuń wszystko", "Nie, zachowaj"]
    assert "zostały usunięte" in person.say("tak")[-1].text


@pytest.mark.parametrize(
    ("language", "words"),
    [
        # Not as the training data has them.
        ("en", "could you please delete all of it"),
        ("en", "erase my number and the report please"),
        ("pl", "proszę usunąć wszystko, co tu napisałam"),
        ("fr", "effacez tout ce que je vous ai envoyé"),
        ("pt", "apaguem tudo, por favor"),
        ("zh", "请把我说的全部删掉"),
    ],
)
def test_deleting_asked_in_other_words_is_asked_about(
    trust_runtime: Runtime, language: str, words: str
) -> None:
    person = Person(trust_runtime)
    report(person)
    if language != "en":
        person.say("LANGUAGE")
        person.say({"pl": "Polski", "fr": "Français", "pt": "Português", "zh": "中文"}[language])
    asked = person.say(words)[-1]
    assert asked.choices == erasure_choices(language)


def erasure_choices(language: str) -> list[str]:
    """The options of "delete everything?" in ``language``."""
    return [render_text(c.label, language) for c in erasure_prompts.confirm_erasure().choices]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "i saw everything"),
        ("en", "he saw everything"),
        ("en", "forget it"),
        ("pt", "eu vi tudo da janela"),
        ("es", "lo vi todo"),
    ],
)
def test_everything_said_without_deleting_is_no_erasure(
    trust_runtime: Runtime, language: str, words: str
) -> None:
    # "I saw everything" was read as "delete everything" (at 0.90), and a "sim" after
    # "vi tudo" erased a witness's report.
    person = Person(trust_runtime)
    speaking = {"en": "Hello, I want to report something", "pt": "Olá, quero fazer uma denúncia"}
    person.say(speaking.get(language, "Hola, quiero denunciar algo que vi"))
    person.say("1")
    replies = person.say(words)
    assert all(CONFIRM not in reply.text for reply in replies)
    assert all(reply.choices != erasure_choices(language) for reply in replies)
    assert "erase_asked" not in (person.conversation().scratch or {})


def test_without_statistics_the_report_goes_too(
    trust_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELLSAFE_KEEP_ANONYMOUS_STATISTICS", "false")
    person = Person(trust_runtime)
    report(person)
    person.say("delete my data")
    assert "anonymous count" not in person.say("yes")[-1].text
    finish(trust_runtime)
    with trust_runtime.sessions() as session:
        assert session.scalars(select(Case)).all() == []


def test_in_the_persons_language(trust_runtime: Runtime) -> None:
    person = Person(trust_runtime)
    person.say("Dzień dobry, chcę zgłosić przestępstwo")
    person.say("tak")
    asked = person.say("usuń moje dane")[-1]
    assert "Tego nie da się cofnąć" in asked.text
    assert asked.choices == ["Tak, usuń wszystko", "Nie, zachowaj"]
    assert "zostały usunięte" in person.say("1")[-1].text


def test_writing_again_before_completion_keeps_the_new_conversation(
    trust_runtime: Runtime,
) -> None:
    person = Person(trust_runtime)
    report(person)
    person.say("delete my data")
    person.say("yes")
    person.wait(timedelta(minutes=1))
    person.say("Hello, I want to report something else")
    assert finish(trust_runtime) == 1
    assert person.state() == states.LANGUAGE_CONFIRM
    texts = [m.text for m in _messages(trust_runtime)]
    assert "Hello, I want to report something else" in texts
    assert "yes" not in texts
    assert "delete my data" not in texts


def test_officer_erasure_by_reference_is_audited(
    trust_runtime: Runtime, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = trust_runtime
    person = Person(runtime)
    report(person)
    held = holdings(runtime, person)
    held.secrets |= {NAME, ACCOUNT}
    reference = person.case().reference
    monkeypatch.setenv("TELLSAFE_KEYS", runtime.settings.keys or "")
    monkeypatch.setenv("TELLSAFE_DATA_DIR", str(runtime.settings.data_dir))
    url = runtime.database.url.render_as_string(hide_password=False)
    args = ["erase", "--db", url, "--reference", reference, "--actor", "PC 1234"]
    assert main([*args, "--reason", "subject_request"]) == 0
    assert '"erasure"' in capsys.readouterr().out
    held.statistical = {"cases": held.ids["cases"]}  # the anonymous record may stay
    assert traces(runtime.database, current_keyring(), held) == []
    with runtime.sessions() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "erasure.done")).one()
        assert event.actor == "PC 1234"
        assert event.details is not None
        assert event.details["reason"] == "subject_request"
    assert main([*args, "--reason", "subject_request"]) == 1  # nobody left to erase
