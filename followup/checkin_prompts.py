"""What a check-in says. The first line is neutral: it reveals nothing on a lock screen."""

from __future__ import annotations

from typing import Final

from bot.messages import FOLLOWUP, Choice, OutboundMessage, Text
from bot.prompts import listed
from content.i18n import N_, PN_
from content.texts import easy, neutral

T = Text.of


#: The choice on every check-in that ends them (withdraws follow-up consent).
STOP_CHECKINS: Final = "stop_checkins"


def _time_choices() -> tuple[Choice, ...]:
    return (
        Choice("yes", T(N_("Yes")), also=listed(PN_("also", "go ahead, I can talk, now is good"))),
        Choice(
            "no",
            T(N_("Not now")),
            also=listed(
                PN_(
                    "also",
                    "later, maybe later, not a good time, bad time, can't talk, I can't talk now, "
                    "I'm busy, busy, another time, message me later, he's here, she's here, "
                    "they're here, he's home, he's with me, not safe, it's not safe, "
                    "I'm not alone, someone is with me, I'm at work, at work, I'm driving, "
                    "driving, in a meeting",
                )
            ),
        ),
        Choice(STOP_CHECKINS, T(N_("No more check-ins"))),
    )


def opener() -> OutboundMessage:
    """The first check-in message: a plain greeting and "is now a good time?"."""
    return OutboundMessage(
        # Neutral: it is what a lock screen shows, so it says nothing about a report.
        body=(
            neutral(
                easy(
                    T(N_("Hello, is now a good time for a quick chat?")),
                    PN_("easy_read", "Hello. Can you talk now?"),
                )
            ),
        ),
        choices=_time_choices(),
        kind=FOLLOWUP,
    )


def opener_explained() -> Text:
    """Who is writing, for whoever asks at the first check-in: as neutral as the opener.

    "Who is this?" is what someone else holding the phone asks; the answer names nothing.
    """
    return neutral(
        T(
            N_(
                "This message is for the person who asked us to stay in touch. If now is not "
                "a good time, that is fine: choose Not now."
            )
        )
    )


#: Said by whoever holds the phone at a check-in when it is not the person's (any more).
WRONG_NUMBER: Final = listed(
    PN_(
        "also",
        "wrong number, wrong person, you've got the wrong number, you have the wrong number, "
        "not my number, new number, I don't know you",
    )
)


#: Words that tell of a new incident at a check-in: "he came back and did it again".
#: Not "another time", which at "is now a good time?" means "later".
HAPPENED_AGAIN: Final = listed(
    PN_(
        "also",
        "again, once again, once more, happened again, it's happening again, it has happened "
        "again, he came back, she came back, they came back, another incident",
    )
)


def wrong_number() -> OutboundMessage:
    """The reply to "wrong number": as neutral as the opener, and the last message."""
    return OutboundMessage(
        body=(
            neutral(T(N_("Sorry to have bothered you. We will not message this number again."))),
        ),
        kind=FOLLOWUP,
    )


def reminder() -> OutboundMessage:
    """The one reminder of an unanswered check-in; as neutral as the first."""
    return OutboundMessage(
        body=(neutral(T(N_("Hello again. Is now a good time for a quick chat?"))),),
        choices=_time_choices(),
        kind=FOLLOWUP,
    )


def checkins_withdrawn() -> Text:
    """Follow-up consent withdrawn: no more check-ins."""
    return T(
        N_("Done: we will not check in with you again. You can still message here at any time.")
    )


def not_now() -> OutboundMessage:
    """The person cannot talk now."""
    return OutboundMessage(body=(T(N_("That is fine. We will try another day.")),))


def checking_in() -> Text:
    """Who is writing, once the person has answered the neutral opener."""
    return easy(
        T(N_("Thank you. This is TellSafe, checking in after your report.")),
        PN_("easy_read", "Thank you. This is TellSafe. We want to know how you are."),
    )


def how_are_you() -> OutboundMessage:
    """The open wellbeing question."""
    return OutboundMessage(
        body=(
            checking_in(),
            easy(T(N_("How are you feeling now?")), PN_("easy_read", "How do you feel now?")),
        )
    )


#: How they are, said to the opener before they were asked: "still scared", "bit better".
FEELINGS: Final = listed(
    PN_(
        "also",
        "I'm fine, I'm alright, I'm good, doing ok, doing okay, doing better, I'm better, "
        "a bit better, bit better, getting better, feeling better, still scared, I'm scared, "
        "still afraid, I'm afraid, I'm frightened, still upset, I'm upset, I'm struggling, "
        "I'm not coping, can't sleep, I feel unsafe, I don't feel safe, not too bad, so-so",
    )
)


def anything_else() -> OutboundMessage:
    """Whether anything else has happened since the report."""
    return OutboundMessage(
        body=(T(N_("Has anything else happened to you since you last talked to us?")),),
        # "Everything is fine" means no here, though it is a yes to most questions; "not
        # fine" is taken as something to tell (a new report can be made), not as a no.
        choices=(
            Choice(
                "yes",
                T(N_("Yes")),
                also=listed(
                    PN_(
                        "also",
                        "something happened, it happened again, again, more happened, "
                        "not all good, not fine, things are not fine, it's not fine",
                    )
                ),
            ),
            Choice(
                "no",
                T(N_("No")),
                also=listed(
                    PN_(
                        "also",
                        "nothing, nothing happened, nothing else, nothing new, everything is "
                        "fine, all good, all fine, I'm fine, it's fine, it's been quiet",
                    )
                ),
            ),
        ),
    )


def new_incident() -> Text:
    """Before taking a new report at a check-in."""
    return T(
        N_("I am sorry that happened. Let us record it as a new report, linked to your first one.")
    )


def support_now() -> OutboundMessage:
    """Whether they want support now."""
    return OutboundMessage(
        body=(T(N_("Would you like a support officer to contact you?")),),
        choices=(
            Choice(
                "yes",
                T(N_("Yes, please")),
                also=listed(
                    PN_(
                        "also",
                        "that would help, please do, I'd like that, yes I would, "
                        "please contact me, I want support, I need support, I'd like support, "
                        "I want help, I need help, I want to talk to someone",
                    )
                ),
            ),
            Choice(
                "no",
                T(N_("No, thank you")),
                also=listed(
                    PN_(
                        "also",
                        "I'm fine, I'm OK, no need, not needed, I don't need it, maybe later, "
                        "not now, I don't want support, I don't need support, "
                        "I don't want help, I don't need help",
                    )
                ),
            ),
        ),
    )


def satisfaction() -> OutboundMessage:
    """The 1-5 satisfaction question, its options in words.

    Labelled with numbers alone, the options read "1 1, 2 2 ..." by text message, and
    "very happy" or "it was ok" got "Sorry, I did not understand".
    """
    return OutboundMessage(
        body=(T(N_("How happy are you with the help you have had so far?")),),
        choices=(
            Choice(
                "1",
                T(N_("Not at all happy")),
                also=listed(
                    PN_(
                        "also",
                        "not at all, not happy at all, very unhappy, unhappy, terrible, awful, "
                        "useless, no help, not helpful, not helpful at all, very bad",
                    )
                ),
            ),
            Choice(
                "2",
                T(N_("Not very happy")),
                also=listed(
                    PN_(
                        "also",
                        "not very, not really, not very happy, not very good, not great, "
                        "not good, poor, disappointed, could be better, not much help",
                    )
                ),
            ),
            Choice(
                "3",
                T(N_("It is OK")),
                also=listed(
                    PN_(
                        "also",
                        "ok, okay, it was ok, it's ok, alright, so-so, average, fine, not bad, "
                        "not too bad",
                    )
                ),
            ),
            Choice(
                "4",
                T(N_("Happy")),
                also=listed(
                    PN_(
                        "also",
                        "happy, good, helpful, quite happy, pretty good, quite good, satisfied",
                    )
                ),
            ),
            Choice(
                "5",
                T(N_("Very happy")),
                also=listed(
                    PN_(
                        "also",
                        "very happy, very good, very helpful, really helpful, excellent, great, "
                        "brilliant, amazing, very satisfied, perfect",
                    )
                ),
            ),
        ),
    )
