"""Taking a handoff, talking with the person through their channel, handing back."""

from __future__ import annotations

from sqlalchemy import select

from bot import states
from bot.ready_replies import BY_CODE
from cases.models import AuditEvent, Contact, Message
from content.render import render_text
from officer.auth import Role
from tests.officer.kit import Console, person_asking_for_help

JSON = {"accept": "application/json"}


def test_queue_orders_urgent_first_then_longest_waiting(console: Console) -> None:
    from datetime import timedelta

    first = person_asking_for_help(console, "+447700900001")
    console.advance(timedelta(minutes=3))
    person_asking_for_help(console, "+447700900002")
    console.advance(timedelta(minutes=3))
    urgent = person_asking_for_help(console, "+447700900003")
    urgent.say("he is outside my door now")
    client = console.logged_in(console.add("alice", Role.OFFICER))
    items = client.get("/officer/queue.json", headers=JSON).json()["handoffs"]
    assert [item["urgent"] for item in items] == [True, False, False]
    assert items[1]["waited_seconds"] > items[2]["waited_seconds"]
    assert items[1]["conversation"] == first.conversation().id
    assert items[1]["waited"].endswith("min")
    # Nothing sealed leaks into the queue: no message text, no address.
    assert "hijab" not in str(items)
    assert "+4477" not in str(items)
    page = client.get("/officer/queue").text
    assert page.index("Urgent") < page.index("Normal")


def test_take_a_handoff_reply_and_hand_back(console: Console) -> None:
    person = person_asking_for_help(console, "+447700900010")
    [handoff] = console.handoffs()
    assert handoff.status == "open"
    client = console.logged_in(console.add("alice", Role.OFFICER))

    claimed = console.post(client, f"/officer/handoffs/{handoff.id}/claim")
    assert claimed.status_code == 303
    conversation_id = handoff.conversation_id
    assert claimed.headers["location"].startswith(f"/officer/conversations/{conversation_id}")
    conversation = console.conversation(conversation_id)
    assert conversation.state == states.HANDOFF_WAIT
    assert conversation.resume_state == states.WHERE

    # While the officer holds the case the bot says nothing for itself...
    assert person.say("are you there? I am scared") == []
    assert person.say("help") == []
    assert person.say("", media=("photo",)) == []
    assert person.say("", media=("voice",)) == []
    assert person.say("/whatever") == []
    view = client.get(f"/officer/conversations/{conversation_id}")
    assert "are you there? I am scared" in view.text
    assert "pulled at my hijab" in view.text  # the report's answers

    # ...and the officer's words reach the person on their own channel.
    url = f"/officer/conversations/{conversation_id}"
    sent = console.post(
        client, f"{url}/reply", {"text": "Hello, I am Sam. You are safe to talk here."}, url
    )
    assert sent.status_code == 303
    [reply] = person.collect()
    assert reply.text == "Hello, I am Sam. You are safe to talk here."
    with console.runtime.sessions() as session:
        row = session.scalars(
            select(Message).where(Message.direction == "out").order_by(Message.id.desc())
        ).first()
        assert row is not None
        assert (row.channel, row.officer_id, row.delivery) == (
            "sms",
            console.accounts["alice"].id,
            "sent",
        )

    # New messages show in the transcript feed for the page's script.
    person.say("thank you")
    lines = client.get(f"{url}/messages.json?after={row.id}", headers=JSON).json()["messages"]
    assert [(line["author"], line["text"]) for line in lines] == [("Person", "thank you")]

    back = console.post(client, f"/officer/handoffs/{handoff.id}/handback", page=url)
    assert back.status_code == 303
    received = person.collect()
    assert len(received) == 1
    assert "You are back with TellSafe" in received[0].text
    assert "Where did it happen?" in received[0].text
    assert person.state() == states.WHERE
    person.say("the 36 bus in Nottingham NG1 5AA")
    assert person.state() == states.ROLE
    [closed] = console.handoffs()
    assert (closed.status, closed.outcome) == ("closed", "handed_back")


def test_ready_made_replies_go_in_the_persons_language(console: Console) -> None:
    person = person_asking_for_help(console, "+447700900020")
    with console.runtime.sessions.begin() as session:
        contact = session.get(Contact, person.conversation().contact_id)
        assert contact is not None
        contact.language = "pl"
    [handoff] = console.handoffs()
    client = console.logged_in(console.add("alice", Role.OFFICER))
    console.post(client, f"/officer/handoffs/{handoff.id}/claim")
    url = f"/officer/conversations/{handoff.conversation_id}"
    page = client.get(url).text
    polish = render_text(BY_CODE["safe_now"].text, "pl")
    assert polish != "Are you safe right now?"
    assert polish in page  # the officer sees what the person will read
    assert console.post(client, f"{url}/ready", {"code": "safe_now"}, url).status_code == 303
    [reply] = person.collect()
    assert reply.text == polish
    assert console.post(client, f"{url}/ready", {"code": "nonsense"}, url).status_code == 409


def test_danger_and_stop_still_work_while_an_officer_holds_the_case(console: Console) -> None:
    person = person_asking_for_help(console, "+447700900030")
    [handoff] = console.handoffs()
    client = console.logged_in(console.add("alice", Role.OFFICER))
    console.post(client, f"/officer/handoffs/{handoff.id}/claim")
    danger = person.say("he is outside my door now")
    assert len(danger) == 1
    assert "999" in danger[0].text
    [now_urgent] = console.handoffs()
    assert now_urgent.urgent
    assert now_urgent.status == "claimed"
    stopped = person.say("STOP")
    assert "no more messages" in stopped[0].text
    url = f"/officer/conversations/{handoff.conversation_id}"
    refused = console.post(client, f"{url}/reply", {"text": "Hello?"}, url)
    assert refused.status_code == 409
    assert "STOP" in refused.text
    assert person.collect() == []


def test_exit_still_closes_the_chat_while_held(console: Console) -> None:
    person = person_asking_for_help(console, "+447700900040")
    [handoff] = console.handoffs()
    client = console.logged_in(console.add("alice", Role.OFFICER))
    console.post(client, f"/officer/handoffs/{handoff.id}/claim")
    [closed] = person.say("exit")
    assert closed.text == "Closed."
    assert person.state() == states.PAUSED


def test_only_one_officer_can_take_a_handoff(console: Console) -> None:
    person_asking_for_help(console, "+447700900050")
    [handoff] = console.handoffs()
    alice = console.logged_in(console.add("alice", Role.OFFICER))
    bob = console.logged_in(console.add("bob", Role.SUPERVISOR))
    assert console.post(alice, f"/officer/handoffs/{handoff.id}/claim").status_code == 303
    second = console.post(bob, f"/officer/handoffs/{handoff.id}/claim")
    assert second.status_code == 409
    url = f"/officer/conversations/{handoff.conversation_id}"
    assert console.post(bob, f"{url}/reply", {"text": "Hi"}, url).status_code == 409
    assert console.post(bob, f"/officer/handoffs/{handoff.id}/close", page=url).status_code == 409
    assert "held by alice" in bob.get(url).text


def test_close_ends_the_handoff_and_the_person_can_write_again(console: Console) -> None:
    person = person_asking_for_help(console, "+447700900060")
    [handoff] = console.handoffs()
    client = console.logged_in(console.add("alice", Role.OFFICER))
    console.post(client, f"/officer/handoffs/{handoff.id}/claim")
    url = f"/officer/conversations/{handoff.conversation_id}"
    console.post(client, f"{url}/ready", {"code": "closing"}, url)
    assert "Thank you for talking with us" in person.collect()[0].text
    assert (
        console.post(client, f"/officer/handoffs/{handoff.id}/close", page=url).status_code == 303
    )
    [closed] = console.handoffs()
    assert (closed.status, closed.outcome) == ("closed", "closed")
    assert person.state() == states.CLOSED
    assert person.say("hello again") != []  # the bot answers again


def test_notes_are_sealed_and_every_view_and_change_is_audited(console: Console) -> None:
    person = person_asking_for_help(console, "+447700900070")
    [handoff] = console.handoffs()
    alice = console.add("alice", Role.OFFICER)
    client = console.logged_in(alice)
    console.post(client, f"/officer/handoffs/{handoff.id}/claim")
    url = f"/officer/conversations/{handoff.conversation_id}"
    console.post(client, f"{url}/note", {"text": "Lives with the offender's cousin"}, url)
    console.post(client, f"{url}/reply", {"text": "Hello"}, url)
    assert "Lives with the offender" in client.get(url).text
    with console.runtime.database.connect() as connection:
        from sqlalchemy import text

        raw = connection.execute(text("SELECT text FROM case_notes")).scalar_one()
    assert "cousin" not in raw
    with console.runtime.sessions() as session:
        events = session.scalars(
            select(AuditEvent).where(AuditEvent.actor == f"officer:{alice.id}")
        ).all()
    actions = {event.action for event in events}
    assert {
        "handoff.claimed",
        "conversation.viewed",
        "case.viewed",
        "case.noted",
        "conversation.replied",
    } <= actions
    case_id = person.case().id
    assert any(e.action == "case.viewed" and e.subject_id == case_id for e in events)
    assert all("cousin" not in str(event.details) for event in events)
