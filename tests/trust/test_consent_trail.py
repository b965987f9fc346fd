"""The consent trail and subject access."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bot.cli import main
from bot.runtime import Runtime
from cases import lawful_basis
from cases.db import upgrade
from cases.lawful_basis import DataUse, LawfulBasis
from cases.models import Consent
from tests.auxil.person import Person
from tests.trust.conftest import ACCOUNT, NAME, WHY, report


def test_every_consent_and_use_links_to_a_lawful_basis(trust_runtime: Runtime) -> None:
    person = Person(trust_runtime)
    report(person)
    with trust_runtime.sessions.begin() as session:
        consents = session.scalars(select(Consent)).all()
        uses = session.scalars(select(DataUse)).all()
        by_consent = {u.consent_id: u for u in uses if u.event != lawful_basis.SPECIAL_CATEGORY_USE}
        assert {c.id for c in consents} == set(by_consent)
        for consent in consents:
            use = by_consent[consent.id]
            basis = session.get(LawfulBasis, use.basis_id)
            assert basis is not None
            assert basis.policy_version == lawful_basis.POLICY_VERSION
            assert basis.code == lawful_basis.CONSENT_BASES[consent.purpose]
            assert use.event == ("consent_given" if consent.answer else "consent_refused")
        privacy = session.get(LawfulBasis, by_consent[consents[0].id].basis_id)
        assert privacy is not None
        assert privacy.article9.startswith("Art. 9(2)(g)")
        assert privacy.schedule1
        assert "Sch. 1" in privacy.schedule1
        referral = next(c for c in consents if c.purpose == "referral" and c.answer)
        shared = [u for u in uses if u.event == "special_category_use"]
        police = next(c for c in consents if c.purpose == "police")
        assert [(u.activity, u.consent_id) for u in shared] == [
            ("referral", referral.id),
            ("police", police.id),  # the anonymous police report the person chose
        ]
        referral.withdrawn_at = trust_runtime.clock.now()  # however it is withdrawn
    with trust_runtime.sessions() as session:
        withdrawn = session.scalars(
            select(DataUse).where(DataUse.event == lawful_basis.CONSENT_WITHDRAWN)
        ).one()
        assert withdrawn.consent_id == referral.id
        assert len({use.basis_id for use in session.scalars(select(DataUse))}) == 4


def test_the_bases_are_written_by_the_migration_not_on_first_use(trust_runtime: Runtime) -> None:
    # Written on first use, two processes recording their first consents at once both
    # inserted the basis and one failed on the unique key (seen under bench/load).
    with trust_runtime.sessions.begin() as session:
        stored = session.scalars(select(LawfulBasis)).all()
        assert sorted(b.code for b in stored) == sorted(lawful_basis.BASES)
        assert {b.policy_version for b in stored} == {lawful_basis.POLICY_VERSION}
        lawful_basis.record_use(
            session,
            basis="referral",
            event=lawful_basis.SPECIAL_CATEGORY_USE,
            activity="referral",
            categories=[lawful_basis.STRANDS],
            now=trust_runtime.clock.now(),
        )
        assert not [row for row in session.new if isinstance(row, LawfulBasis)]
    upgrade(trust_runtime.database)  # every start migrates: nothing is written twice
    with trust_runtime.sessions() as session:
        assert len(session.scalars(select(LawfulBasis)).all()) == len(lawful_basis.BASES)


def test_subject_access_exports_everything_held(
    trust_runtime: Runtime, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    person = Person(trust_runtime)
    report(person)
    Person(trust_runtime, address="+447700900777").say("hello")  # someone else
    monkeypatch.setenv("TELLSAFE_KEYS", trust_runtime.settings.keys or "")
    url = trust_runtime.database.url.render_as_string(hide_password=False)
    monkeypatch.setattr("sys.stdin", __import__("io").StringIO(person.address + "\n"))
    args = ["subject-access", "--db", url, "--channel", "sms", "--address", "-"]
    assert main([*args, "--actor", "DPO"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["person"]["name"] == NAME
    assert [a["address"] for a in document["addresses"]] == [person.address]
    texts = [m["text"] for c in document["conversations"] for m in c["messages"]]
    assert ACCOUNT in texts
    assert "+447700900777" not in json.dumps(document)
    assert "hello" not in texts
    (case,) = document["cases"]
    assert (case["what_happened"], case["victim_words"]) == (ACCOUNT, WHY)
    assert case["motivations"] == ["religion"]
    referral = next(c for c in document["consents"] if c["purpose"] == "referral")
    assert referral["wording"].startswith("May we pass your details to")
    assert referral["lawful_basis"]["uk_gdpr_article_6"] == "Art. 6(1)(a) consent"
    assert {u["event"] for u in document["lawful_basis_trail"]} >= {
        "consent_given",
        "consent_refused",
        "special_category_use",
    }
    assert document["followups"]
    assert "address_index" not in document["addresses"][0]
    with trust_runtime.sessions() as session:
        last = session.scalars(select(DataUse).order_by(DataUse.id.desc())).first()
        assert last is not None
        assert (last.activity, last.actor) == ("subject_access", "DPO")
    assert main(["subject-access", "--db", url, "--reference", "TS-0000-0000", "--actor", "x"]) == 1
