"""Codes that drive the case record: strands, religion sub-flag, roles and outcomes.

These are the values of the export contract and the Home Office flags, so they are
plain string constants that other packages (the NLU, the officer console) share.
"""

from __future__ import annotations

from typing import Final

RACE: Final = "race"
RELIGION: Final = "religion"
SEXUAL_ORIENTATION: Final = "sexual_orientation"
DISABILITY: Final = "disability"
TRANSGENDER: Final = "transgender"
SEX_GENDER: Final = "sex_gender"
ALTERNATIVE_SUBCULTURE: Final = "alternative_subculture"
AGE: Final = "age"

#: The five strands every force monitors for the Home Office.
MONITORED_STRANDS: Final = (RACE, RELIGION, SEXUAL_ORIENTATION, DISABILITY, TRANSGENDER)
#: Strands most forces also record locally; configurable per deployment.
LOCAL_STRANDS: Final = (SEX_GENDER, ALTERNATIVE_SUBCULTURE, AGE)
STRANDS: Final = MONITORED_STRANDS + LOCAL_STRANDS

#: The religion the offender perceived, recorded only when the religion strand applies.
RELIGIONS: Final = (
    "christian",
    "buddhist",
    "hindu",
    "jewish",
    "muslim",
    "sikh",
    "other",
    "none",
    "unknown",
)

VICTIM: Final = "victim"
WITNESS: Final = "witness"
THIRD_PARTY: Final = "third_party"
#: A parent or carer reporting for a child.
PARENT: Final = "parent"
REPORTER_ROLES: Final = (VICTIM, WITNESS, THIRD_PARTY, PARENT)

RISK_LOW: Final = "low"
RISK_MEDIUM: Final = "medium"
RISK_HIGH: Final = "high"
RISK_LEVELS: Final = (RISK_LOW, RISK_MEDIUM, RISK_HIGH)

POLICE_NONE: Final = "none"
POLICE_ANONYMOUS: Final = "anonymous"
POLICE_NAMED: Final = "named"
#: The person reported it to the police themselves: nothing is passed on by us.
POLICE_ALREADY: Final = "already"
POLICE_CHOICES: Final = (POLICE_NONE, POLICE_ANONYMOUS, POLICE_NAMED, POLICE_ALREADY)
#: The choices after which the police know of the incident.
POLICE_KNOW: Final = (POLICE_ANONYMOUS, POLICE_NAMED, POLICE_ALREADY)

CHANNELS: Final = ("sms", "telegram", "web")
