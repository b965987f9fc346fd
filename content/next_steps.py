"""Next steps tailored to the report: evidence advice, police routes, who to talk to."""

from __future__ import annotations

from bot import prompts
from bot.messages import Text
from cases import codes
from cases.models import Case


def next_steps(case: Case) -> list[Text]:
    """Return the paragraphs of advice that fit this report.

    Online incidents get advice on keeping digital evidence and reporting the account;
    offline ones on writing down what happened. Witnesses and people reporting for
    someone else are thanked and asked to pass support on. Everyone gets the police
    routes, with or without their name.

    Args:
        case: The report, with its online flag, platform and reporter role.

    Returns:
        The paragraphs, in the order they should be read.
    """
    paragraphs = [prompts.acknowledgement()]
    if case.reporter_role in (codes.WITNESS, codes.THIRD_PARTY):
        paragraphs.append(prompts.witness_note())
    if case.online:
        paragraphs.append(prompts.evidence_online(case.platform))
    else:
        paragraphs.append(prompts.evidence_offline())
    paragraphs.append(prompts.police_routes())
    return paragraphs
