"""The load benches walk a real report: check the walk still fits the flow.

A bench whose answers drifted from the questions would measure the bot saying "sorry,
I did not understand" and handing off, not people reporting.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
from collections import Counter
from pathlib import Path
from types import ModuleType

from sqlalchemy import select

from bot.runtime import Runtime
from cases.models import Case, Handoff
from tests.auxil.person import Person

BENCH = Path(__file__).resolve().parents[2] / "bench" / "webhooks"


def _bench() -> ModuleType:
    loader = importlib.machinery.SourceFileLoader("bench_webhooks_walk", str(BENCH))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def _answers() -> list[str]:
    answers: list[str] = _bench().ANSWERS
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


def _by_person(visits: list[tuple[int, int]]) -> dict[int, list[int]]:
    steps: dict[int, list[int]] = {}
    for person, step in visits:
        steps.setdefault(person, []).append(step)
    return steps


def test_staggered_people_walk_the_report_in_order_and_the_run_mixes_every_step() -> None:
    bench = _bench()
    steps = len(bench.ANSWERS)
    lead_in, run = bench.walks(6000)
    assert len(run) == 6000
    # Everyone says the report's steps in order from the greeting, lead-in then run,
    # and never twice: the server sees real conversations, not replays.
    for said in _by_person(lead_in + run).values():
        assert said == list(range(len(said)))
    # Every stretch of the run holds an even mix of steps (lockstep: one step at a time).
    lanes = 6000 // steps + 1
    for start in range(0, 6000 - lanes, lanes):
        mix = Counter(step for _, step in run[start : start + lanes])
        assert len(mix) == steps
        assert max(mix.values()) - min(mix.values()) <= 1
    lockstep_lead_in, lockstep = bench.walks(6000, lockstep=True)
    assert lockstep_lead_in == []
    assert {step for _, step in lockstep[:lanes]} == {0}
    for said in _by_person(lockstep).values():
        assert said == list(range(len(said)))
