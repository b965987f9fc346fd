"""The short structured risk assessment: incident, offender, history, impact.

A chat-sized version of the four-section risk assessment the inspection describes
(Nottinghamshire's 27 questions in 4 sections): one question per section, each
answer adding weight and a reason, giving low, medium or high with the reasons.
An officer can endorse or change the result later.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from cases.codes import RISK_HIGH, RISK_LOW, RISK_MEDIUM

HARM: Final = "harm"
OFFENDER: Final = "offender"
PREVIOUS: Final = "previous"
IMPACT: Final = "impact"

# (section, answer) -> (weight, reason). A physical attack alone, with or without an
# injury ("attacked or hurt": a push or spitting is an assault), makes the risk high.
_WEIGHTS: Final[Mapping[tuple[str, str], tuple[int, str]]] = {
    (HARM, "hurt"): (4, "physical_harm"),
    (HARM, "threatened"): (2, "threats"),
    (OFFENDER, "yes"): (2, "offender_can_find_victim"),
    (OFFENDER, "not_sure"): (1, "offender_may_find_victim"),
    (PREVIOUS, "many"): (2, "repeat_victimisation"),
    (PREVIOUS, "once"): (1, "previous_incident"),
    (IMPACT, "severe"): (2, "severe_impact"),
    (IMPACT, "moderate"): (1, "moderate_impact"),
}
DANGER_WEIGHT: Final = 4
HIGH_FROM: Final = 4
MEDIUM_FROM: Final = 2


@dataclass(frozen=True)
class RiskResult:
    """The level and the reasons behind it."""

    level: str
    reasons: tuple[str, ...]


def assess(answers: Mapping[str, str], *, danger_reported: bool = False) -> RiskResult:
    """Score the four answers.

    Args:
        answers: Section name (:data:`HARM`, :data:`OFFENDER`, :data:`PREVIOUS`,
            :data:`IMPACT`) to the chosen answer code. Missing sections add nothing.
        danger_reported: Whether the person said they were in danger during the report.

    Returns:
        The level with the reasons that raised it, or ``no_aggravating_factors``.
    """
    score = 0
    reasons: list[str] = []
    for section in (HARM, OFFENDER, PREVIOUS, IMPACT):
        weight_reason = _WEIGHTS.get((section, answers.get(section, "")))
        if weight_reason:
            score += weight_reason[0]
            reasons.append(weight_reason[1])
    if danger_reported:
        score += DANGER_WEIGHT
        reasons.append("danger_reported")
    if score >= HIGH_FROM:
        level = RISK_HIGH
    elif score >= MEDIUM_FROM:
        level = RISK_MEDIUM
    else:
        level = RISK_LOW
    return RiskResult(level, tuple(reasons) or ("no_aggravating_factors",))


def is_repeat(answers: Mapping[str, str]) -> bool:
    """Whether the person said it has happened before."""
    return answers.get(PREVIOUS) in ("once", "many")
