"""Going back to the question before, to change an answer ("back", "wróć", "назад").

Someone who pressed the wrong number, or thinks again, had no way back: "wróć" and
"atgal" were not understood, and "back" carried on.
"""

from __future__ import annotations

from bot import prompts, states
from bot.flow import ASKED, reask
from bot.turn import Turn


def go_back(turn: Turn) -> None:
    """Ask the question before again; its new answer replaces the old one.

    Only between the report's questions up to the risk assessment (see
    :data:`bot.states.BACK_STATES`). Elsewhere the person is told it cannot be done,
    and that an officer can change an earlier answer, and the question is asked again.
    """
    asked: list[str] = turn.scratch.get(ASKED, [])
    state = turn.conversation.state
    if state in states.ASSESSED_STATES or not asked:
        reask(turn, [prompts.cannot_go_back()])
        return
    turn.remember(ASKED, asked[:-1])
    # Set before asking, so that going back is not itself remembered as a step forward.
    turn.conversation.state = asked[-1]
    reask(turn, [prompts.going_back()])
