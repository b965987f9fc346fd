from __future__ import annotations

import pytest

from cases.risk import HARM, IMPACT, OFFENDER, PREVIOUS, assess, is_repeat


@pytest.mark.parametrize(
    ("answers", "danger", "level", "reasons"),
    [
        (
            {HARM: "no", OFFENDER: "no", PREVIOUS: "no", IMPACT: "mild"},
            False,
            "low",
            ("no_aggravating_factors",),
        ),
        ({HARM: "threatened"}, False, "medium", ("threats",)),
        ({HARM: "hurt"}, False, "high", ("physical_harm",)),
        (
            {OFFENDER: "yes", IMPACT: "severe"},
            False,
            "high",
            ("offender_can_find_victim", "severe_impact"),
        ),
        ({PREVIOUS: "once"}, False, "low", ("previous_incident",)),
        ({PREVIOUS: "many"}, False, "medium", ("repeat_victimisation",)),
        ({}, True, "high", ("danger_reported",)),
    ],
)
def test_assessment(
    answers: dict[str, str], danger: bool, level: str, reasons: tuple[str, ...]
) -> None:
    result = assess(answers, danger_reported=danger)
    assert (result.level, result.reasons) == (level, reasons)


def test_repeat_from_previous_victimisation() -> None:
    assert is_repeat({PREVIOUS: "once"})
    assert is_repeat({PREVIOUS: "many"})
    assert not is_repeat({PREVIOUS: "no"})
    assert not is_repeat({})
