"""The named states of the report conversation (domain brief, steps 1 to 10)."""

from __future__ import annotations

from typing import Final

NEW: Final = "new"
LANGUAGE_CONFIRM: Final = "language_confirm"
LANGUAGE_MENU: Final = "language_menu"
#: Standard wording or Easy Read, asked once the language is settled.
READING: Final = "reading"
PRIVACY: Final = "privacy"
ANONYMITY: Final = "anonymity"
NAME: Final = "name"
#: "Shall we call you Sam?", after a name written alone where the name was asked about.
NAME_CONFIRM: Final = "name_confirm"
WHAT_HAPPENED: Final = "what_happened"
WHEN: Final = "when"
WHERE: Final = "where"
PLATFORM: Final = "platform"
ROLE: Final = "role"
OFFENDER_KNOWN: Final = "offender_known"
WHY: Final = "why"
STRANDS_CONFIRM: Final = "strands_confirm"
STRANDS_SELECT: Final = "strands_select"
RELIGION: Final = "religion"
RISK_HARM: Final = "risk_harm"
RISK_OFFENDER: Final = "risk_offender"
RISK_PREVIOUS: Final = "risk_previous"
RISK_IMPACT: Final = "risk_impact"
REFERRAL: Final = "referral"
POLICE: Final = "police"
POLICE_NAME: Final = "police_name"
FOLLOWUP_CONSENT: Final = "followup_consent"
SAFE_HOURS: Final = "safe_hours"
CLOSED: Final = "closed"
ADD_OR_NEW: Final = "add_or_new"
HANDOFF_WAIT: Final = "handoff_wait"
PAUSED: Final = "paused"
STOPPED: Final = "stopped"
CHECKIN_TIME: Final = "checkin_time"
CHECKIN_HOW: Final = "checkin_how"
CHECKIN_AGAIN: Final = "checkin_again"
CHECKIN_SUPPORT: Final = "checkin_support"
CHECKIN_SATISFACTION: Final = "checkin_satisfaction"

#: The follow-up check-in dialogue, started by the follow-up dispatcher.
CHECKIN_STATES: Final = (
    CHECKIN_TIME,
    CHECKIN_HOW,
    CHECKIN_AGAIN,
    CHECKIN_SUPPORT,
    CHECKIN_SATISFACTION,
)

#: States in which a report is being made; an interruption returns to them.
REPORT_STATES: Final = (
    ANONYMITY,
    NAME_CONFIRM,
    NAME,
    WHAT_HAPPENED,
    WHEN,
    WHERE,
    PLATFORM,
    ROLE,
    OFFENDER_KNOWN,
    WHY,
    STRANDS_CONFIRM,
    STRANDS_SELECT,
    RELIGION,
    RISK_HARM,
    RISK_OFFENDER,
    RISK_PREVIOUS,
    RISK_IMPACT,
    REFERRAL,
    POLICE,
    POLICE_NAME,
    FOLLOWUP_CONSENT,
    SAFE_HOURS,
)

#: The report's last questions, after the risk was assessed: what it needs is told, and
#: a STOP here submits it as it stands (see :func:`bot.commands.stop`).
ASSESSED_STATES: Final = (REFERRAL, POLICE, POLICE_NAME, FOLLOWUP_CONSENT, SAFE_HOURS)

#: The report's questions "back" returns to, the one asked before ("wróć", "назад").
#: Not the name read back for confirming (it is offered once), and not the questions
#: after the risk was assessed: a consent is changed by withdrawing it, and a referral
#: asked service by service has no one question before it.
BACK_STATES: Final = frozenset(REPORT_STATES) - frozenset(ASSESSED_STATES) - {NAME_CONFIRM}

#: Where the person writes in their own words rather than choosing: "at the bus stop",
#: "he would not stop" or "at the station exit" are answers there, so only a command said
#: as one (``Parse.verbatim``) stops or hides the conversation.
OWN_WORDS_STATES: Final = frozenset(
    {
        NAME,
        WHAT_HAPPENED,
        WHEN,
        WHERE,
        PLATFORM,
        WHY,
        POLICE_NAME,
        CLOSED,
        HANDOFF_WAIT,
        CHECKIN_HOW,
    }
)

ALL_STATES: Final = (
    NEW,
    LANGUAGE_CONFIRM,
    LANGUAGE_MENU,
    READING,
    PRIVACY,
    *REPORT_STATES,
    CLOSED,
    ADD_OR_NEW,
    HANDOFF_WAIT,
    PAUSED,
    STOPPED,
    *CHECKIN_STATES,
)
