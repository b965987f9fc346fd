"""The load benches walk a real report: check the walk still fits the flow.

A bench whose answers drifted from the questions would measure the bot saying "sorry,
I did not understand" and handing off, not people reporting.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
from pathlib import Path

from sqlalchemy import select

from bot.runtime import Runtime
from cases.models import Case, Handoff
from tests.auxil.person import Person

BENCH = Path(__file__).resolve().parents[2] / "bench" / "webhooks"


def _answers() -> list[str]:
    loader = importlib.machinery.SourceFileLoader("bench_webhooks_walk", str(BENCH))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    answers: list[str] = module.ANSWERS
    return answers


def test_the_bench_walk_is_a_whole_report_without_a_misunderstanding(runtime: Runtime) -> None:
    person = Person(runtime)
    not_understood = 0
    for answer in _answers():
        replies = person.say(answer)
        assert replies, f"no reply to {answer!r}"
        not_understood += sum("did not understand" in reply.text for reply in replies)
    assert not_understood == 0
    with runtime.sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.status == "submitted"
        assert case.motivations == ["religion"]
        assert session.scalars(select(Handoff)).first() is None
