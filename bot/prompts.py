"""Every question and reply of the conversation, as translatable messages.

All user-facing words live here (and in the services directory), marked with ``N_``
so ``tellsafe i18n`` extracts them into the catalogs. Nothing here is rendered: the
engine returns these values and the renderer puts them into the person's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date
from typing import Final

from bot.messages import NOTICE, Choice, Lines, OutboundMessage, Param, Text
from cases import codes
from content.i18n import N_, PN_, language_name
from content.services import Service
from content.texts import easy
from followup.schedule import ALL_DAYS, WEEKDAYS, WEEKENDS

T = Text.of


def listed(answers: str) -> Text:
    """Other answers that choose an option, as each language lists them (never shown).

    Args:
        answers: The English list, comma-separated, marked ``PN_("also", ...)``.

    Returns:
        The text for a :class:`~bot.messages.Choice`'s ``also``.
    """
    return T(answers, context="also")


# Choice codes shared by yes/no questions.
YES: Final = "yes"
NO: Final = "no"
NOT_SURE: Final = "not_sure"
#: What "carry on" / "go on" means (the continue intent) for an option that goes on.
CARRY_ON: Final = "continue"

EMERGENCY = easy(
    T(
        N_(
            "If you are in danger now, call 999. "
            "If you are deaf or speech-impaired, use text relay: 18000."
        )
    ),
    PN_(
        "easy_read",
        "In danger now? Call 999. Deaf or find it hard to speak? Use text relay: 18000.",
    ),
)


def ask(
    *body: Text | Lines, choices: Sequence[Choice] = (), multiple: bool = False
) -> OutboundMessage:
    """A reply with the given paragraphs and options (``multiple``: any number of them)."""
    return OutboundMessage(body=tuple(body), choices=tuple(choices), multiple=multiple)


def yes_no(
    yes: str = N_("Yes"),
    no: str = N_("No"),
    *,
    not_sure: bool = False,
    yes_also: Text | None = None,
    no_also: Text | None = None,
    context: str | None = None,
) -> list[Choice]:
    """Options for a yes/no question, optionally with "not sure" and answers in words.

    ``context`` is the gettext context of ``yes`` and ``no``, for a question whose yes and
    no some languages word differently (Welsh answers "Allai...?" with "Gallai").
    """
    options = [
        Choice(YES, T(yes, context=context), also=yes_also),
        Choice(NO, T(no, context=context), also=no_also),
    ]
    if not_sure:
        options.append(Choice(NOT_SURE, T(N_("Not sure"))))
    return options


# --- 1-3: welcome, language, privacy -------------------------------------------------


WELCOME: Final = easy(
    T(
        N_(
            "Hello. This is TellSafe. You can tell us about hate crime or a hate incident "
            "here, and we will help you get support."
        )
    ),
    PN_(
        "easy_read",
        "Hello. This is TellSafe. You can tell us about hate here. We will help you get support.",
    ),
)


def welcome() -> OutboundMessage:
    """The first reply: who we are, safety first, and the language we will use."""
    return ask(
        WELCOME,
        EMERGENCY,
        # Always shown in the language it proposes, so each catalog names its own
        # language as its grammar wants ("en español", "po polsku", "yn Gymraeg").
        easy(
            # Translators: name your own language here, as you would say it in a sentence.
            T(N_("I will write to you in English. Is that all right?")),
            # Translators: name your own language here, as you would say it in a sentence.
            PN_("easy_read", "I will write in English. Is that OK?"),
        ),
        choices=[
            # "Yes" that confirms ("that is right"): some languages answer it differently.
            Choice(YES, T(PN_("confirm", "Yes"), context="confirm")),
            Choice("other", T(N_("Choose another language"))),
        ],
    )


def welcome_menu(languages: Iterable[str]) -> OutboundMessage:
    """The first reply when the language is not clear: welcome, safety, the language list."""
    menu = language_menu(languages)
    return ask(WELCOME, EMERGENCY, *menu.body, choices=menu.choices)


#: Words of asking for another language. Said in the person's own words ("in Leeds" for
#: where it happened), a guessed "change language" acts only with one of them or a
#: language named (see ``bot.commands``).
LANGUAGE_WORDS: Final = listed(
    PN_(
        "also",
        "language, languages, speak, english, translate, translation, interpreter, arabic, "
        "bengali, bangla, welsh, spanish, persian, farsi, french, lithuanian, punjabi, polish, "
        "portuguese, romanian, somali, ukrainian, urdu, chinese, mandarin, cantonese",
    )
)


#: Words of deleting. A guessed "delete my data" acts only with one of them (see
#: ``bot.commands``): "I saw everything" and "vi tudo" (I saw it all) were read as
#: "delete everything", and one "yes" after it erased a witness's report.
DELETE_WORDS: Final = listed(
    PN_(
        "also",
        "delete, deleted, deleting, erase, erased, erasing, remove, removed, wipe, wiped, "
        "destroy, get rid of, forget me, forget about me, forget my, forget everything",
    )
)


def language_menu(languages: Iterable[str]) -> OutboundMessage:
    """The language list, each language named in itself."""
    return ask(
        T(N_("Which language would you like to use?")),
        choices=[Choice(code, T(language_name(code))) for code in languages],
    )


#: The reading-preference question, asked once the language is settled.
READING_QUESTION: Final = T(
    N_("Would you like Easy Read? It uses short sentences and simple words.")
)


def reading() -> OutboundMessage:
    """Standard wording or Easy Read: one short question, two choices (yes/no codes)."""
    return ask(
        READING_QUESTION,
        # "Normal" or "simple please" got "Sorry, I did not understand" at the second
        # question everyone is asked. "No easy read" is listed so that, the longer
        # answer, it wins over the "easy read" inside it.
        choices=[
            Choice(
                YES,
                T(N_("Yes, Easy Read")),
                also=listed(
                    PN_(
                        "also",
                        "easy read, easy, easier, simple, simple words, easy words, "
                        "short sentences, simple please",
                    )
                ),
            ),
            Choice(
                NO,
                T(N_("No, usual wording")),
                also=listed(
                    PN_(
                        "also",
                        "usual, normal, usual wording, normal wording, standard, regular, "
                        "no easy read, not easy read, no need, no thanks",
                    )
                ),
            ),
        ],
    )


PRIVACY_QUESTION: Final = easy(
    T(N_("Do you want to carry on?")), PN_("easy_read", "Do you want to go on?")
)


def privacy() -> OutboundMessage:
    """Privacy in plain words, and consent to continue."""
    return ask(
        easy(
            T(
                N_(
                    "Before we start: what you tell us is private and kept safe. Only the hate "
                    "crime support team can see it. We will not pass it to the police or anyone "
                    "else unless you say yes."
                )
            ),
            PN_(
                "easy_read",
                "What you tell us is private. We keep it safe. Only our support team can see it. "
                "We will not tell the police unless you say yes.",
            ),
        ),
        easy(
            T(
                # Translators: as in the help, keep the English command words; name your
                # language's word before one only where the bot takes it as that command.
                N_(
                    "You can send EXIT at any time to close this chat quickly, STOP to get no "
                    "more messages, or HELP for help."
                )
            ),
            # Translators: as in the help, keep the English command words; name your
            # language's word before one only where the bot takes it as that command.
            PN_(
                "easy_read",
                "Send EXIT to close this chat fast. Send STOP to get no more messages. "
                "Send HELP for help.",
            ),
        ),
        PRIVACY_QUESTION,
        # "OK, go on" is a yes here: the carry-on option means the continue intent too.
        choices=[
            Choice(YES, T(N_("Yes, carry on")), means=CARRY_ON),
            Choice(NO, T(N_("No, not now"))),
        ],
    )


def privacy_declined() -> OutboundMessage:
    """The person chose not to go on."""
    return ask(
        T(
            N_(
                "That is fine. Nothing about what happened has been saved. You can message "
                "us again at any time."
            )
        )
    )


#: Other words for staying anonymous, at "would you like to tell us your name?" and
#: at "shall we call you Sam?".
ANONYMOUS_WORDS: Final = listed(
    PN_(
        "also",
        "anonymous, anon, no name, without my name, without a name, "
        "I don't want to give my name, I'd rather not, don't give my name, "
        "rather not give my name, skip, pass, private, secret, unknown, nobody, no one, "
        "prefer not to say, not saying",
    )
)


def anonymity() -> OutboundMessage:
    """Stay anonymous or give a name."""
    return ask(
        easy(
            T(
                N_(
                    "You can stay anonymous and still get help. "
                    "Would you like to tell us your name?"
                )
            ),
            PN_(
                "easy_read",
                "You do not have to tell us your name. We can still help you. "
                "Do you want to tell us your name?",
            ),
        ),
        # A "no" to "would you like to tell us your name?" is staying anonymous.
        choices=[
            Choice("anonymous", T(N_("Stay anonymous")), also=ANONYMOUS_WORDS, means=NO),
            Choice(
                "named",
                T(N_("Give my name")),
                also=listed(
                    PN_(
                        "also",
                        "I'll give my name, here is my name, you can have my name, with my name",
                    )
                ),
                means=YES,
            ),
        ],
    )


def name_confirm(name: str) -> OutboundMessage:
    """Whether words written alone at "would you like to tell us your name?" are the name."""
    return ask(
        easy(
            T(N_("Shall we call you {name}?"), name=name),
            PN_("easy_read", "Can we call you {name}?"),
        ),
        choices=[
            Choice("named", T(N_("Yes")), means=YES),
            Choice("anonymous", T(N_("Stay anonymous")), also=ANONYMOUS_WORDS, means=NO),
        ],
    )


def ask_name() -> OutboundMessage:
    """The name question."""
    return ask(
        easy(
            T(N_("What name should we use for you?")),
            PN_("easy_read", "What name can we call you?"),
        )
    )


#: Words that say a name follows, at the start of a message or after a comma (see
#: :func:`bot.names.given_name`). Not "I'm": "I'm scared" is no name.
NAME_INTRO: Final = listed(
    PN_(
        "also",
        "my name is, my names, my name's, name is, name's, the name is, call me, "
        "you can call me, just call me, i am called, i'm called, here is my name",
    )
)
#: Words that close a message giving a name: "Sam is my name".
NAME_ENDING: Final = listed(PN_("also", "is my name, is the name, is my first name"))
#: Words that are no name: after "call me" they ask for a call, and written alone where
#: the name is asked about they say how the person feels ("Scared", "Sorry").
NOT_NAMES: Final = listed(
    PN_(
        "also",
        "back, please, now, asap, soon, later, today, tomorrow, tonight, urgently, quickly, "
        "again, anonymous, anon, nothing, no, yes, ok, on, at, when, if, by, "
        "sorry, scared, afraid, frightened, worried, upset, sad, whatever",
    )
)


# --- 4: what happened, when, where, who -----------------------------------------------


def what_happened() -> OutboundMessage:
    """The open account of the incident."""
    return ask(
        easy(
            T(N_("Please tell me what happened, in your own words. Take your time.")),
            PN_("easy_read", "Tell me what happened. Use your own words. Take your time."),
        )
    )


WHEN_CHOICES: Final = (
    Choice("today", T(N_("Today"))),
    Choice("yesterday", T(N_("Yesterday"))),
    Choice("last_week", T(N_("In the last week"))),
    Choice("longer", T(N_("More than a week ago"))),
    Choice(NOT_SURE, T(N_("Not sure"))),
)


def when() -> OutboundMessage:
    """When it happened; a date in words or one of the options."""
    return ask(
        easy(
            T(
                N_(
                    'When did it happen? You can write a day or date, like "last night" or '
                    '"12 March".'
                )
            ),
            PN_("easy_read", 'When did it happen? You can write a day. For example: "last night".'),
        ),
        choices=WHEN_CHOICES,
    )


def when_heard(day: date) -> OutboundMessage:
    """When it happened, read from the account: confirmed, or written again."""
    return ask(
        easy(
            T(
                N_(
                    "From what you wrote, it happened on {day}. Is that right? If not, write "
                    "when it happened."
                ),
                day=day,
            ),
            PN_("easy_read", "Did it happen on {day}? If not, write the day."),
        ),
        choices=yes_no(N_("Yes, that is right"), N_("No")),
    )


def account_held() -> Text:
    """What happened came before the report began (at the Easy Read or privacy question)."""
    return easy(
        T(N_("Thank you for telling me. I will put what you wrote in your report.")),
        PN_("easy_read", "Thank you for telling me. I will put your words in your report."),
    )


def kept_anonymous() -> Text:
    """The account came instead of an answer to "would you like to tell us your name?"."""
    return T(N_("Thank you for telling us. Your report will stay anonymous."))


def name_declined() -> Text:
    """The person chose to give a name, then did not want to after all."""
    return T(N_("That is fine. Your report will stay anonymous."))


def added_to_account() -> Text:
    """A long answer to "when" was more of the account."""
    return T(N_("Thank you, I have added that to what happened."))


def where() -> OutboundMessage:
    """Where it happened, or online."""
    return ask(
        easy(
            T(
                N_(
                    "Where did it happen? For example a street, a bus, a shop, your home or a "
                    "postcode. If it happened online, tell me which app or website."
                )
            ),
            PN_(
                "easy_read",
                "Where did it happen? For example: a street, a bus or your home. "
                "If it was online, tell me the app or website.",
            ),
        ),
        choices=[Choice("online", T(N_("It happened online")))],
    )


def platform() -> OutboundMessage:
    """Which platform, when online."""
    return ask(
        easy(
            T(N_("Which app, website or game was it on?")),
            PN_("easy_read", "Which app, website or game was it?"),
        )
    )


def role() -> OutboundMessage:
    """Victim, witness or reporting for someone else."""
    return ask(
        easy(
            T(N_("Did this happen to you, or are you telling us about someone else?")),
            PN_("easy_read", "Did this happen to you? Or to someone else?"),
        ),
        # People answer this one in their own words ("me", "my son") more than most.
        choices=[
            Choice(
                codes.VICTIM,
                T(N_("It happened to me")),
                # Translators: never shown. Other answers, separated by commas, that
                # people type to choose this option, as they would write them.
                also=listed(
                    PN_(
                        "also",
                        "me, myself, to me, it was me, it's me, it happened to me, "
                        "me and my family, my family and me, to me and my family, us, to us, "
                        "me and, and me, to me and, and to me, I'm the victim, I am the victim, "
                        "I was the victim, I was attacked, I was the one attacked, both of us",
                    )
                ),
                # "Me and my wife", "to me and my son": they were targeted too, and
                # the questions that follow are about them.
                covers=(codes.WITNESS, codes.THIRD_PARTY, codes.PARENT),
                # "Did this happen to you?" is asked first: "tak" (yes) got "Sorry".
                means=YES,
            ),
            Choice(
                codes.WITNESS,
                T(N_("I saw it happen")),
                also=listed(PN_("also", "I saw it, I saw, witness, I was a witness, I was there")),
                # "I was there, it was my friend they attacked", "I saw it and I called my
                # friend": someone they name was there too, and they saw it happen.
                covers=(codes.THIRD_PARTY,),
            ),
            Choice(
                codes.THIRD_PARTY,
                T(N_("I am reporting for someone else")),
                also=listed(
                    PN_(
                        "also",
                        "someone else, a friend, my friend, for a friend, my partner, "
                        "my husband, my wife, my brother, my sister, my mother, my father, "
                        "my mum, my mom, my dad, my parents, my neighbour, a family member",
                    )
                ),
            ),
            Choice(
                codes.PARENT,
                T(N_("I am a parent or carer reporting for a child")),
                also=listed(
                    PN_(
                        "also",
                        "my child, my son, my daughter, my children, my kids, a child, "
                        "parent, carer, I'm her mum, I'm his mum, I am her mother, "
                        "I am his mother, I'm her dad, I'm his dad, I am her father, "
                        "I am his father, I'm the mother, I'm the father",
                    )
                ),
                # "I saw my son get attacked": a child's parent, who was there.
                covers=(codes.WITNESS,),
            ),
        ],
    )


def offender_known() -> OutboundMessage:
    """Whether the offender is known."""
    return ask(
        easy(
            T(N_("Do you know who did it?")), PN_("easy_read", "Do you know the person who did it?")
        ),
        choices=[
            Choice(
                YES,
                T(N_("Yes, I know who it was")),
                also=listed(
                    PN_(
                        "also",
                        "I know them, I know him, I know her, I know who, someone I know, "
                        "my neighbour, a neighbour, a colleague, my landlord, my ex, someone "
                        "from work, from work, from school, kids from school, someone at "
                        "school, my boss, a classmate, my neighbours, the same man as last "
                        "time, same man as last time, same as last time, same person as "
                        "before, the same person, same as before, same guy",
                    )
                ),
            ),
            Choice(
                NO,
                T(N_("No, it was a stranger")),
                also=listed(
                    PN_(
                        "also",
                        "a stranger, I don't know them, I don't know him, I don't know her, "
                        "no idea who, never seen them before, nobody I know, some random guy, "
                        "a random guy, random people, some guy, some man, some woman, some "
                        "lads, a group of lads, strangers, a random man, a random woman, "
                        "some teenagers, a group of teenagers, a group of men",
                    )
                ),
            ),
            Choice(
                NOT_SURE,
                T(N_("Not sure")),
                also=listed(
                    PN_(
                        "also",
                        "maybe, I think so, I'm not sure, not sure who, I might know them, "
                        "possibly, I've seen him around, I've seen them around, I've seen her "
                        "around, I know his face, I know their faces",
                    )
                ),
            ),
        ],
    )


# --- 5: why, strands, religion --------------------------------------------------------


def _about_themselves(reporter_role: str | None) -> bool:
    """Whether the person writing is the one it happened to (or has not said otherwise).

    If not (a witness, someone reporting for another), questions ask about "them".
    """
    return reporter_role in (None, codes.VICTIM)


def why(reporter_role: str | None) -> OutboundMessage:
    """The open question, asked every time: why do you think this happened?"""
    if _about_themselves(reporter_role):
        question = easy(
            T(N_("Why do you think this happened to you?")),
            PN_("easy_read", "Why do you think they did this to you?"),
        )
    elif reporter_role == codes.PARENT:
        # "To them" came out as "to this person" where a language has no plain "them",
        # said to a mother of the child it happened to.
        question = easy(
            T(N_("Why do you think this happened to your child?")),
            PN_("easy_read", "Why do you think they did this to your child?"),
        )
    else:
        question = easy(
            T(N_("Why do you think this happened to them?")),
            PN_("easy_read", "Why do you think they did this to them?"),
        )
    return ask(
        question,
        easy(
            T(
                N_(
                    "There is no wrong answer, and you do not need proof. Please use your own "
                    "words."
                )
            ),
            PN_("easy_read", "Any answer is OK. You do not need proof. Use your own words."),
        ),
    )


STRAND_LABELS: Final = {
    codes.RACE: T(N_("Race, ethnicity or nationality")),
    codes.RELIGION: T(N_("Religion or belief")),
    codes.SEXUAL_ORIENTATION: T(N_("Sexual orientation")),
    codes.DISABILITY: T(N_("Disability")),
    codes.TRANSGENDER: T(N_("Being transgender")),
    codes.SEX_GENDER: T(N_("Sex or gender")),
    codes.ALTERNATIVE_SUBCULTURE: T(N_("Alternative subculture, like how I dress")),
    codes.AGE: T(N_("Age")),
}

#: The strand labels as they read in the middle of a sentence ("because of: race,
#: ethnicity or nationality") and in the closing summary ("Why: religion or belief"):
#: lower case where the language has case, in the form a label takes after a colon.
INLINE_STRAND_LABELS: Final = {
    codes.RACE: T(PN_("inline", "race, ethnicity or nationality"), context="inline"),
    codes.RELIGION: T(PN_("inline", "religion or belief"), context="inline"),
    codes.SEXUAL_ORIENTATION: T(PN_("inline", "sexual orientation"), context="inline"),
    codes.DISABILITY: T(PN_("inline", "disability"), context="inline"),
    codes.TRANSGENDER: T(PN_("inline", "being transgender"), context="inline"),
    codes.SEX_GENDER: T(PN_("inline", "sex or gender"), context="inline"),
    codes.ALTERNATIVE_SUBCULTURE: T(
        PN_("inline", "alternative subculture, like style of dress"), context="inline"
    ),
    codes.AGE: T(PN_("inline", "age"), context="inline"),
}

RELIGION_LABELS: Final = {
    "christian": T(N_("Christian")),
    "buddhist": T(N_("Buddhist")),
    "hindu": T(N_("Hindu")),
    "jewish": T(N_("Jewish")),
    "muslim": T(N_("Muslim")),
    "sikh": T(N_("Sikh")),
    "other": T(N_("Another religion")),
    "none": T(N_("No religion")),
    "unknown": T(N_("Not sure")),
}

#: The religion labels as they read after "Religion:": lower case where the language
#: writes religions so (Polish "islam", Lithuanian "islamas"), unlike an option's label.
INLINE_RELIGION_LABELS: Final = {
    "christian": T(PN_("inline", "Christian"), context="inline"),
    "buddhist": T(PN_("inline", "Buddhist"), context="inline"),
    "hindu": T(PN_("inline", "Hindu"), context="inline"),
    "jewish": T(PN_("inline", "Jewish"), context="inline"),
    "muslim": T(PN_("inline", "Muslim"), context="inline"),
    "sikh": T(PN_("inline", "Sikh"), context="inline"),
    "other": T(PN_("inline", "another religion"), context="inline"),
    "none": T(PN_("inline", "no religion"), context="inline"),
    "unknown": T(PN_("inline", "not sure"), context="inline"),
}


def strands_confirm(strands: Sequence[str], religion: str | None) -> OutboundMessage:
    """Propose the strands understood from the answer, for the person to confirm."""
    labels = tuple(INLINE_STRAND_LABELS[strand] for strand in strands)
    body: list[Text] = [
        easy(
            T(
                # Translators: {strands} lists the "inline" labels as they stand after a
                # colon (the summary's "Why:" shows them too), so phrase the sentence for
                # that form: "the reason may have been: ...", not a word needing another case.
                N_("From what you said, I think it may have been because of: {strands}."),
                strands=labels,
            ),
            # Translators: as above, {strands} lists the labels as they stand after a colon.
            PN_("easy_read", "I think it was because of: {strands}."),
        )
    ]
    if religion and religion in INLINE_RELIGION_LABELS and codes.RELIGION in strands:
        body.append(T(N_("Religion: {religion}."), religion=INLINE_RELIGION_LABELS[religion]))
    body.append(T(N_("Is that right?")))
    return ask(
        *body,
        choices=[
            Choice(YES, T(N_("Yes, that is right"))),
            Choice(NO, T(N_("No, let me choose"))),
            Choice(NOT_SURE, T(N_("Not sure"))),
        ],
    )


STRAND_SELECT_CHOICES: Final = (
    *(Choice(code, label) for code, label in STRAND_LABELS.items()),
    Choice(NOT_SURE, T(N_("Not sure"))),
    Choice("other", T(N_("Something else"))),
)


def strands_select() -> OutboundMessage:
    """Multi-select over every strand."""
    return ask(
        easy(
            T(
                N_(
                    "What do you think it was about? You can choose more than one: send the "
                    "numbers, for example 1 3."
                )
            ),
            PN_(
                "easy_read",
                "What was it about? You can choose more than one. Send the numbers. "
                "For example: 1 3.",
            ),
        ),
        choices=STRAND_SELECT_CHOICES,
        multiple=True,
    )


def religion() -> OutboundMessage:
    """The religion sub-flag: the religion the offender perceived."""
    return ask(
        easy(
            T(N_("Which religion do you think they were targeting?")),
            PN_("easy_read", "Which religion do you think it was about?"),
        ),
        choices=[Choice(code, label) for code, label in RELIGION_LABELS.items()],
    )


# --- 6: risk --------------------------------------------------------------------------


def risk_harm(first: bool) -> OutboundMessage:
    """Risk part 1: the incident."""
    intro = easy(
        T(N_("Now a few short questions, so we know how safe you are.")),
        PN_("easy_read", "Now some short questions. They help us know if you are safe."),
    )
    body: list[Text] = [intro] if first else []
    body.append(
        easy(
            T(N_("Was anyone attacked, hurt or threatened with violence?")),
            PN_(
                "easy_read",
                "Was anyone attacked or hurt? Did anyone say they would hurt you or someone else?",
            ),
        )
    )
    return ask(
        *body,
        # Both kinds of yes mean yes: a plain "yes" is asked which one, and "both" or an
        # attack told with a threat is the attack (the graver; it alone makes the risk high).
        choices=[
            Choice(
                "hurt",
                T(N_("Yes, someone was attacked or hurt")),
                means=YES,
                covers=("threatened",),
                also=listed(
                    PN_(
                        "also",
                        "hurt, injured, I was hurt, I got hurt, he hit me, they hit me, "
                        "punched me, kicked me, beat me up, attacked me, bleeding, pushed me, "
                        "shoved me, grabbed me, spat at me, spat on me, threw something at me, "
                        "pulled my hijab, pulled my hair, I was pushed, I was attacked, "
                        "I was grabbed, I was spat on, I was beaten, hit her, hit him, "
                        "pushed her, pushed him, punched her, punched him, kicked her, "
                        "kicked him, attacked her, attacked him, beat her up, beat him up, "
                        "spat at her, spat at him, spat on her, spat on him, grabbed her, "
                        "grabbed him, pulled her hijab, pulled her hair, pulled his turban, "
                        "she was pushed, he was pushed, she was attacked, he was attacked, "
                        "both, both of them",
                    )
                ),
            ),
            Choice(
                "threatened",
                T(N_("Yes, there were threats")),
                means=YES,
                also=listed(
                    PN_(
                        "also",
                        "threatened, threats, threatened me, he threatened me, they threatened me, "
                        "threatened to, threatening, threatening me, said he would, said he'd, "
                        "said he'll, said she would, said she'd, said they would, said they'd, "
                        "said they'll, told me he'd, told me they'd, going to get me",
                    )
                ),
            ),
            Choice(
                NO,
                T(N_("No")),
                also=listed(
                    PN_(
                        "also",
                        "no, nobody, no one, nobody was hurt, no one was hurt, not hurt, "
                        "I wasn't hurt, I didn't get hurt, not injured, no threats, "
                        "he didn't touch me, they didn't touch me, nobody touched me, "
                        "just words, only words, just verbal, only verbal, verbal abuse, "
                        "he only shouted, just shouting, just insults, only insults, "
                        "called me names, just swearing",
                    )
                ),
            ),
        ],
    )


def risk_offender(reporter_role: str | None = None) -> OutboundMessage:
    """Risk part 2: the offender, asked of the person it happened to or about them."""
    if _about_themselves(reporter_role):
        question = easy(
            T(
                N_(
                    "Could the person who did this find you again? For example, do they live or "
                    "work near you, or keep contacting you?"
                )
            ),
            PN_(
                "easy_read",
                "Could the person find you again? For example, do they live near you? "
                "Do they keep contacting you?",
            ),
        )
    else:
        # A witness or someone reporting for another: "you" would be the wrong person.
        question = easy(
            T(
                N_(
                    "Could the person who did this find the person it happened to again? For "
                    "example, do they live or work near them, or keep contacting them?"
                )
            ),
            PN_(
                "easy_read",
                "Could the person who did it find the person it happened to again? For "
                "example, do they live near them? Do they keep contacting them?",
            ),
        )
    return ask(question, choices=_could_find_again())


def _could_find_again() -> list[Choice]:
    """Yes, no and not sure to "could the person who did this find you again?".

    Said as people say it: "he knows where I live" and "she lives next door" got "Sorry,
    I did not understand" (the risk question it answers weighs most after an attack),
    and "nie wie, gdzie mieszkam" (he doesn't know where I live) was read as not sure.
    """
    return yes_no(
        # Translators: the answers to "Could the person who did this find you again?";
        # Welsh echoes the verb ("Gallai", "Na allai") rather than "Ie" and "Na".
        PN_("could", "Yes"),
        # Translators: see "Yes" in the same context.
        PN_("could", "No"),
        context="could",
        not_sure=True,
        yes_also=listed(
            PN_(
                "also",
                "knows where I live, know where I live, knows where we live, "
                "knows where she lives, knows where he lives, lives near me, live near me, "
                "lives next door, live next door, next door, lives nearby, live nearby, "
                "lives on my street, lives upstairs, lives downstairs, neighbour, neighbours, "
                "my neighbour, works with me, works near me, at work, at school, same school, "
                "keeps messaging me, keeps contacting me, keeps texting me, "
                "I see him every day, I see them every day, sees me every day",
            )
        ),
        no_also=listed(
            PN_(
                "also",
                "doesn't know where I live, don't know where I live, doesn't know me, "
                "don't know me, a stranger, never seen him before, never seen them before, "
                "can't find me, won't find me, lives far away, I moved away",
            )
        ),
    )


def risk_previous(reporter_role: str | None = None) -> OutboundMessage:
    """Risk part 3: previous victimisation."""
    return ask(
        easy(
            T(N_("Has anything like this happened before?")),
            PN_("easy_read", "Has this happened to you before?")
            if _about_themselves(reporter_role)
            else PN_("easy_read", "Has this happened to them before?"),
        ),
        # Counted in words ("one time", "first time"): a listed answer is not a number.
        # Both kinds of yes mean yes: a plain "yes" is asked which one.
        choices=[
            Choice(
                "many",
                T(N_("Yes, more than once")),
                means=YES,
                also=listed(
                    PN_(
                        "also",
                        "many times, several times, lots of times, a few times, more than "
                        "once, all the time, often, again and again, every day, every week, "
                        "always, twice, two times, sometimes, a couple of times, loads of "
                        "times, now and then, from time to time, regularly, for months, for "
                        "weeks, for years, for a month, for a year, for ages, for a long time, "
                        "going on for, been going on, been happening for, ongoing",
                    )
                ),
            ),
            Choice(
                "once",
                T(N_("Yes, once")),
                means=YES,
                also=listed(PN_("also", "once, one time, once before, just once, only once")),
            ),
            Choice(
                NO,
                T(N_("No")),
                also=listed(
                    PN_(
                        "also",
                        "no, never, never before, first time, the first time, "
                        "it's the first time, this is the first time",
                    )
                ),
            ),
            # A witness may not know, and a person may not remember: without this
            # option they were asked again until a person took over.
            Choice(NOT_SURE, T(N_("Not sure"))),
        ],
    )


def risk_impact() -> OutboundMessage:
    """Risk part 4: impact on the person, their family and community."""
    return ask(
        easy(
            T(N_("How much is this affecting you, your family or your community?")),
            PN_("easy_read", "How much does this upset you or your family?"),
        ),
        choices=[
            Choice(
                "severe",
                T(N_("A lot: I feel afraid or unsafe")),
                also=listed(
                    PN_(
                        "also",
                        "a lot, very much, so much, I'm scared, I'm afraid, I feel unsafe, "
                        "I don't feel safe, terrified, I can't sleep, can't sleep, I'm "
                        "frightened, frightened, scared to go out, my kids are scared, my "
                        "children are scared, really bad, it's really affected me, "
                        "I can't cope, can't cope, not coping, I'm struggling, struggling",
                    )
                ),
            ),
            Choice(
                "moderate",
                T(N_("Quite a lot")),
                also=listed(
                    PN_(
                        "also",
                        "quite a lot, quite a bit, a fair bit, quite, somewhat, pretty bad, "
                        "quite bad, it has affected me, I'm upset, upset, shaken up, "
                        "not great, not good, not well, not so good, not ok, not okay",
                    )
                ),
            ),
            Choice(
                "mild",
                T(N_("A little")),
                also=listed(
                    PN_(
                        "also",
                        "a little, a bit, a little bit, not much, not very much, not really, "
                        "not at all, I'm ok, I'm okay, I'm fine, fine, ok, okay, not too bad, no",
                    )
                ),
            ),
        ],
    )


RISK_LEVEL_LABELS: Final = {
    codes.RISK_LOW: T(N_("low")),
    codes.RISK_MEDIUM: T(N_("medium")),
    codes.RISK_HIGH: T(N_("high")),
}


def high_risk_handoff() -> Text:
    """Told when the risk is high and an officer will be in touch."""
    return easy(
        T(
            N_(
                "Because of what you have told me, a hate crime support officer will contact "
                "you as soon as they can."
            )
        ),
        PN_(
            "easy_read",
            "A support officer will contact you soon. This is because of what you told me.",
        ),
    )


# --- 7-8: next steps and referral consent --------------------------------------------


def acknowledgement() -> Text:
    """Said before the next steps: it was wrong, and not their fault."""
    return easy(
        T(N_("Thank you for telling us. What happened was wrong, and it was not your fault.")),
        PN_(
            "easy_read", "Thank you for telling us. What happened was wrong. It was not your fault."
        ),
    )


#: The platforms the understander knows (``nlu`` lexicon synonyms), by the name a sentence
#: gives them: the brand's own, which a language may write its way (Weibo is 微博).
PLATFORM_NAMES: Final = {
    "facebook": T(PN_("platform", "Facebook"), context="platform"),
    "instagram": T(PN_("platform", "Instagram"), context="platform"),
    "twitter": T(PN_("platform", "X (Twitter)"), context="platform"),
    "telegram": T(PN_("platform", "Telegram"), context="platform"),
    "whatsapp": T(PN_("platform", "WhatsApp"), context="platform"),
    "tiktok": T(PN_("platform", "TikTok"), context="platform"),
    "youtube": T(PN_("platform", "YouTube"), context="platform"),
    "snapchat": T(PN_("platform", "Snapchat"), context="platform"),
    "viber": T(PN_("platform", "Viber"), context="platform"),
    "discord": T(PN_("platform", "Discord"), context="platform"),
    "wechat": T(PN_("platform", "WeChat"), context="platform"),
    "weibo": T(PN_("platform", "Weibo"), context="platform"),
    "xiaohongshu": T(PN_("platform", "Xiaohongshu (RED)"), context="platform"),
    "tinder": T(PN_("platform", "Tinder"), context="platform"),
    "grindr": T(PN_("platform", "Grindr"), context="platform"),
    "reddit": T(PN_("platform", "Reddit"), context="platform"),
    "xbox live": T(PN_("platform", "Xbox Live"), context="platform"),
    "playstation network": T(PN_("platform", "PlayStation Network"), context="platform"),
}
#: Ways of sending that the understander also knows, with no account to report to.
NOT_A_PLATFORM: Final = frozenset({"sms", "email"})


def evidence_online(platform: str | None) -> Text:
    """Keeping evidence of an online incident.

    Args:
        platform: The case's platform: a known one's code, or the person's own words.
    """
    platform_name: Text | str | None = (
        None if platform in NOT_A_PLATFORM else PLATFORM_NAMES.get(platform or "", platform)
    )
    if platform_name:
        return easy(
            T(
                N_(
                    "Keep evidence: take screenshots that show the messages, the date and the "
                    "account name, and copy the links. Do not reply to them. You can also report "
                    "the account to {platform}."
                ),
                platform=platform_name,
            ),
            PN_(
                "easy_read",
                "Keep proof. Take screenshots of the messages. Make sure they show the date and "
                "the account name. Copy the links. Do not reply. You can report the account to "
                "{platform}.",
            ),
        )
    return easy(
        T(
            N_(
                "Keep evidence: take screenshots that show the messages, the date and the "
                "account name, and copy the links. Do not reply to them. You can also report the "
                "account to the app or website."
            )
        ),
        PN_(
            "easy_read",
            "Keep proof. Take screenshots of the messages. Make sure they show the date and the "
            "account name. Copy the links. Do not reply. You can report the account to the app "
            "or website.",
        ),
    )


def evidence_offline() -> Text:
    """Keeping evidence of an offline incident."""
    return easy(
        T(
            N_(
                "If you can, write down what you remember while it is fresh: the time, the "
                "place, what was said and what they looked like. Keep anything damaged, and any "
                "photos."
            )
        ),
        PN_(
            "easy_read",
            "If you can, write down what happened. Write the time and the place. Write what "
            "they said and what they looked like. Keep any photos.",
        ),
    )


def witness_note() -> Text:
    """For witnesses and people reporting for someone else.

    It follows their thanks ("Thank you for telling us what you saw"), so it thanks no
    more: the closing once thanked a witness twice in a row.
    """
    return easy(
        T(
            N_(
                "If you can, let the person it happened to know that support is available to "
                "them too."
            )
        ),
        PN_(
            "easy_read",
            "If you can, tell the person it happened to that they can get help too.",
        ),
    )


def referral(service: Service) -> OutboundMessage:
    """Consent to refer to one support service."""
    return ask(
        service_described(service),
        referral_question(service),
        choices=yes_no(N_("Yes, please"), N_("No, thank you")),
    )


def service_described(service: Service) -> Text:
    """A support service by its name and what it does."""
    return T(
        N_("{service}: {description}"), service=service.name, description=T(service.description)
    )


def referral_question(service: Service) -> Text:
    """The exact referral question: its wording is recorded with the consent."""
    return easy(
        T(
            N_("May we pass your details to {service} so they can contact you?"),
            service=service.name,
        ),
        PN_("easy_read", "Can we give your details to {service}? Then they can contact you."),
    )


# --- 8-9: police, follow-up -----------------------------------------------------------


def police() -> OutboundMessage:
    """The police report choice."""
    return ask(
        POLICE_QUESTION,
        choices=[
            Choice(
                codes.POLICE_NONE,
                T(N_("No, not now")),
                means=NO,
                also=listed(
                    PN_(
                        "also",
                        "not now, not yet, no police, I don't want the police, later, "
                        "don't tell the police, do not tell the police, not the police, "
                        "I don't trust the police, the police won't do anything, "
                        "police won't do anything, I'll think about it, I need to think about it",
                    )
                ),
            ),
            # A consent: "don't give my name" must never choose the named report, so each
            # language lists its negated forms here, which win as the longer answer.
            Choice(
                codes.POLICE_ANONYMOUS,
                T(N_("Yes, without my name")),
                means=YES,
                also=listed(
                    PN_(
                        "also",
                        "without my name, anonymously, anonymous, don't give my name, "
                        "do not give my name, not my name, without my details, "
                        "keep my name out of it, keep my name out, "
                        "only if they don't know my name, no name",
                    )
                ),
            ),
            Choice(
                codes.POLICE_NAMED,
                T(N_("Yes, with my name and contact details")),
                means=YES,
                also=listed(
                    PN_(
                        "also",
                        "with my name, with my details, give my name, use my name, "
                        "they can contact me",
                    )
                ),
            ),
        ],
    )


POLICE_QUESTION: Final = easy(
    T(N_("Would you like us to pass this report to the police?")),
    PN_("easy_read", "Do you want us to tell the police about this?"),
)


def police_name() -> OutboundMessage:
    """A name is needed for a named police report."""
    return ask(
        easy(
            T(N_("What name should the police use for you?")),
            PN_("easy_read", "What name should the police use?"),
        )
    )


FOLLOWUP_QUESTION: Final = easy(
    T(N_("May we check in with you in a few days to see how you are?")),
    PN_("easy_read", "Can we message you in a few days to ask how you are?"),
)


def followup_consent() -> OutboundMessage:
    """Consent to follow-up check-ins."""
    return ask(
        FOLLOWUP_QUESTION,
        choices=yes_no(
            yes_also=listed(
                PN_("also", "that would be nice, I'd like that, please do, sounds good")
            ),
            # "He reads my phone" is the clearest no there is: a check-in could be seen.
            no_also=listed(
                PN_(
                    "also",
                    "I'm ok thanks, I'm fine thanks, no need, he reads my phone, "
                    "he checks my phone, she checks my phone, they check my phone, "
                    "someone reads my messages, someone checks my phone, "
                    "it's not my phone, not my phone, shared phone",
                )
            ),
        ),
    )


SAFE_HOURS: Final = {
    "morning": (9 * 60, 12 * 60),
    "afternoon": (12 * 60, 17 * 60),
    "evening": (17 * 60, 21 * 60),
    "any": (9 * 60, 21 * 60),
}

#: Words before (or after) a clock time that make it the end of the safe hours: "before
#: 6pm", "until 4" (see :func:`bot.safe_window.window_named`).
SAFE_BEFORE: Final = listed(PN_("also", "before, until, till, til, up to, by"))
#: Words that make a clock time the start of the safe hours: "after 6pm", "from 4".
SAFE_AFTER: Final = listed(PN_("also", "after, from, later than, past, onwards, any time after"))
#: Words that keep check-ins to the days of the week: "not at weekends" (see
#: :func:`bot.safe_window.days_named`).
SAFE_WEEKDAYS: Final = listed(
    PN_(
        "also",
        "not at weekends, not at the weekend, not on weekends, not on the weekend, "
        "not weekends, no weekends, except weekends, weekdays, on weekdays, Monday to Friday, "
        "during the week",
    )
)
#: Words that keep check-ins to the weekend: "only at weekends".
SAFE_WEEKENDS: Final = listed(
    PN_(
        "also",
        "only at weekends, only at the weekend, only on weekends, weekends only, at weekends, "
        "at the weekend, on weekends, Saturday and Sunday",
    )
)


def safe_days_kept(weekdays: bool) -> Text:
    """The days named at the safe-hours question, kept, before the times are asked."""
    if weekdays:
        return T(N_("Thank you. We will only message you from Monday to Friday."))
    return T(N_("Thank you. We will only message you at weekends."))


#: Words that deny or except what follows: "not in the mornings" at the safe-hours
#: question, "it didn't happen to me" at the role question, "nobody hit her" at the
#: harm question.
#: Words that give the reason of an earlier report again ("same reason as last time").
SAME_AS_BEFORE: Final = listed(
    PN_(
        "also",
        "same reason, same as before, same as last time, like before, like last time, "
        "same thing, the same",
    )
)

#: Words that set an earlier answer right ("sorry, I meant Thursday", "nie, czekaj").
CORRECTION_WORDS: Final = listed(
    PN_(
        "also",
        "I meant, I mean, sorry I meant, no wait, wait, actually, correction, I got it wrong, "
        "I made a mistake",
    )
)


def when_corrected() -> Text:
    """The date given at the next question replaced the one given before."""
    return T(N_("Thank you, I have changed when it happened."))


NEGATIONS: Final = listed(
    PN_(
        "also",
        "not, no, never, don't, dont, didn't, didnt, wasn't, wasnt, isn't, isnt, hasn't, "
        "hasnt, haven't, havent, nobody, no one, except, apart from, but not",
    )
)


#: Said to "has anything like this happened before?": a yes that does not say how often.
HAPPENED_BEFORE: Final = listed(
    PN_(
        "also",
        "happened before, it's happened before, it has happened before, happened to me before, "
        "yes before, before too, again",
    )
)

#: Said instead of when or where it happened: nothing is recorded, and that is fine.
RATHER_NOT_SAY: Final = listed(
    PN_(
        "also",
        "rather not say, I'd rather not say, prefer not to say, I don't want to say, "
        "don't want to say, I won't say, not saying, skip",
    )
)


def not_saying_is_fine() -> Text:
    """Said when the person would rather not say when or where, before the next question."""
    return T(N_("That is fine, you do not have to say."))


#: Words that make the attack named after them only a threat: "he said he'd beat me up".
THREATENED_TO: Final = listed(
    PN_(
        "also",
        "threatened to, threatening to, threatens to, said he would, said he'd, said he'll, "
        "said she would, said she'd, said she'll, said they would, said they'd, said they'll, "
        "going to, gonna, wants to, wanted to",
    )
)


def safe_hours() -> OutboundMessage:
    """When it is safe to message: quiet hours and neutral wording."""
    return ask(
        easy(
            T(
                N_(
                    "When is it safe for us to message you? We will only message then. Our "
                    "messages will start with a plain greeting that says nothing about this report."
                )
            ),
            PN_(
                "easy_read",
                "When is it safe for us to message you? We will only message then. Our messages "
                "will start with just a hello. They will not say what happened.",
            ),
        ),
        choices=[
            Choice(
                "morning",
                T(N_("Mornings, 9am to 12 noon")),
                also=listed(PN_("also", "morning, mornings, in the morning, before noon")),
            ),
            Choice(
                "afternoon",
                T(N_("Afternoons, 12 noon to 5pm")),
                also=listed(PN_("also", "afternoon, afternoons, in the afternoon, after lunch")),
            ),
            Choice(
                "evening",
                T(N_("Evenings, 5pm to 9pm")),
                also=listed(PN_("also", "evening, evenings, in the evening, after work")),
            ),
            Choice(
                "any",
                T(N_("Any time from 9am to 9pm")),
                also=listed(
                    PN_(
                        "also",
                        "any time, anytime, whenever, it doesn't matter, doesn't matter, all day, "
                        "I don't mind, don't mind, no problem, no preference",
                    )
                ),
            ),
        ],
    )


# --- 10: close ------------------------------------------------------------------------


def report_saved(reference: str) -> Text:
    """That the report is saved, with its reference number."""
    return easy(
        T(
            N_("Thank you. Your report is saved. Your reference number is {reference}."),
            reference=reference,
        ),
        PN_(
            "easy_read",
            "Thank you. We have saved your report. Your reference number is {reference}.",
        ),
    )


def closing(reference: str, summary: Sequence[Text]) -> OutboundMessage:
    """The closing message: reference number, summary, how to come back."""
    return ask(
        report_saved(reference),
        T(N_("What we recorded:")),
        Lines(tuple(summary)),
        easy(
            T(
                N_(
                    "You can message here at any time to add something or to make a new report. "
                    "Keep your reference number if you want to talk to the police or a support "
                    "service."
                )
            ),
            PN_(
                "easy_read",
                "You can message us here any time. Keep your reference number. You need it to "
                "talk to the police or a support service.",
            ),
        ),
    )


def summary_line(label: str, value: Param) -> Text:
    """One line of the closing summary."""
    return T(N_("- {label}: {value}"), label=T(label), value=value)


SUMMARY_LABELS: Final = {
    "when": N_("When"),
    "where": N_("Where"),
    "why": N_("Why"),
    "risk": N_("Risk"),
    "support": N_("Support"),
    "police": N_("Police"),
    "checkins": N_("Check-ins"),
}

ONLINE: Final = T(N_("online"))
NOT_RECORDED: Final = T(N_("not recorded"))
NONE_CHOSEN: Final = T(N_("none chosen"))
POLICE_SUMMARY: Final = {
    codes.POLICE_NONE: T(N_("not passed to the police")),
    codes.POLICE_ANONYMOUS: T(N_("passed to the police without your name")),
    codes.POLICE_NAMED: T(N_("passed to the police with your name")),
    codes.POLICE_ALREADY: T(N_("you reported it to the police yourself")),
}
#: Said to "do you want us to pass this to the police?" by someone who already has.
POLICE_ALREADY_TOLD: Final = listed(
    PN_(
        "also",
        "already reported, already reported it, I reported it, I have reported it, I've "
        "reported it, already told the police, I told the police, the police know, police "
        "already know, I called the police, I rang the police, crime number, crime reference",
    )
)


def checkins_between(start: str, end: str, days: int = ALL_DAYS) -> Text:
    """The summary's check-ins line: the safe hours and days, as the person chose them.

    Args:
        start: The first safe time, as shown.
        end: The last safe time, as shown.
        days: The safe days, as bits (see :data:`followup.schedule.ALL_DAYS`).
    """
    if days == WEEKDAYS:
        return T(N_("yes, Monday to Friday, between {start} and {end}"), start=start, end=end)
    if days == WEEKENDS:
        return T(N_("yes, at weekends, between {start} and {end}"), start=start, end=end)
    return T(N_("yes, between {start} and {end}"), start=start, end=end)


CHECKINS_NO: Final = T(N_("no"))


_NEW_REPORT: Final = Choice(
    "new",
    T(N_("Make a new report")),
    also=listed(
        PN_(
            "also",
            "new, new report, a new report, a new one, new one, another report, "
            "a different report, separate report, start a new report",
        )
    ),
)


def after_close(reference: str, has_addition: bool) -> OutboundMessage:
    """A message arrived after the report was closed: add it, or a new report, or a person."""
    if not has_addition:
        return ask(
            T(
                N_(
                    "Your report {reference} is saved. Would you like to make a new report, or "
                    "talk to a person?"
                ),
                reference=reference,
            ),
            choices=[
                _NEW_REPORT,
                Choice("person", T(N_("Talk to a person"))),
            ],
        )
    return ask(
        T(
            N_(
                "Your report {reference} is saved. Would you like to add this to it, or make a new "
                "report?"
            ),
            reference=reference,
        ),
        # A "yes" could be either of the first two: it is asked which one.
        choices=[
            Choice(
                "add",
                T(N_("Add it to my report")),
                also=listed(
                    PN_(
                        "also",
                        "add it, add, add to my report, add to the report, add it to the report, "
                        "add to it, the same report, same report, same one, to my report",
                    )
                ),
                means=YES,
            ),
            replace(_NEW_REPORT, means=YES),
            Choice("person", T(N_("Talk to a person"))),
        ],
    )


def carry_on_when_ready() -> Text:
    """Before the question again, after the safety reply to a message that did not answer it."""
    return T(N_("When you are ready, you can carry on here."))


def you_are_welcome() -> Text:
    """The answer to a thank-you after the report was closed."""
    return T(N_("You are welcome. Take care, and message here at any time if you need us."))


def noted() -> OutboundMessage:
    """Nothing more to add after a report (the same words end a check-in)."""
    return ask(T(N_("Thank you for letting us know. You can message here at any time.")))


def what_happens_now(
    reference: str,
    *,
    services: Sequence[str],
    police: bool,
    checkins: bool,
    officer: bool,
) -> OutboundMessage:
    """What happens after the report, for someone who asks: what they chose, nothing more.

    Args:
        reference: The report's reference number.
        services: The names of the support services they agreed to be referred to.
        police: Whether they asked for the report to go to the police.
        checkins: Whether they agreed to check-ins.
        officer: Whether a support officer is to contact them (high risk, a handoff).
    """
    body: list[Text] = [
        T(
            # Not "hate crime": whoever holds the phone may be the one asking.
            N_("Your report {reference} is saved, and only our support team can see it."),
            reference=reference,
        )
    ]
    if officer:
        body.append(T(N_("Because of what you told us, a support officer will contact you here.")))
    if services:
        body.append(
            T(
                N_(
                    "A support officer will pass what you told us to {services}, so they can "
                    "offer you support."
                ),
                services=", ".join(services),
            )
        )
    if police:
        body.append(T(N_("A support officer will pass your report to the police, as you chose.")))
    if checkins:
        body.append(T(N_("We will check in with you at the times you chose.")))
    if not (officer or services or police or checkins):
        body.append(
            T(
                N_(
                    "Nobody will contact you unless you ask. Your report still counts: it helps "
                    "the police and their partners see what is happening."
                )
            )
        )
    # Translators: PERSON stays in English, as in the help.
    body.append(
        T(
            N_(
                "To talk to a person, send PERSON. You can also ask us to delete your report "
                "at any time."
            )
        )
    )
    return ask(*body)


def added_to_report(reference: str) -> OutboundMessage:
    """Confirmation that extra information was added to a closed report."""
    return ask(T(N_("Thank you. I have added that to report {reference}."), reference=reference))


# --- global commands and interruptions -----------------------------------------------


def help_text() -> Text:
    """What the person can do at any point."""
    return T(
        # Translators: keep each English command word. Before it you may name your
        # language's word for the same command ("SALIR (o EXIT)"), only one the bot is
        # known to take as that command on every channel.
        N_(
            "Answer the question below, or send one of these words at any time: BACK to go "
            "to the question before, NEW to start again, PERSON to talk to a support officer, "
            "LANGUAGE to change language, EXIT to close this chat quickly, STOP to get no more "
            "messages."
        )
    )


def officer_asked_to_contact() -> Text:
    """Told when an officer has been asked to get in touch (not to reply in this chat)."""
    return easy(
        T(N_("I have asked a support officer to contact you as soon as possible.")),
        PN_("easy_read", "A support officer will contact you soon."),
    )


def danger(kind_is_self_harm: bool) -> OutboundMessage:
    """Safety first: the danger reply, on any message in any state."""
    if kind_is_self_harm:
        return ask(
            easy(
                T(
                    N_(
                        "You matter. If you feel you might hurt yourself, call Samaritans free on "
                        "116 123, day or night. If your life is in danger now, call 999."
                    )
                ),
                PN_(
                    "easy_read",
                    "You matter. Do you feel you might hurt yourself? Call Samaritans on 116 123. "
                    "It is free, day and night. Is your life in danger now? Call 999.",
                ),
            ),
            officer_asked_to_contact(),
        )
    return ask(
        EMERGENCY,
        easy(
            T(N_("I have asked a support officer to contact you urgently.")),
            PN_("easy_read", "A support officer will contact you very soon."),
        ),
    )


def handoff_requested(in_report: bool) -> OutboundMessage:
    """The person asked for a person."""
    body = [
        T(
            N_(
                "I have asked a hate crime support officer to reply to you here. They will write "
                "as soon as they can."
            )
        ),
        EMERGENCY,
    ]
    if in_report:
        body.append(T(N_("While you wait, you can carry on with your report.")))
        return ask(*body, choices=[Choice("continue", T(N_("Carry on with my report")))])
    return ask(*body)


def handoff_waiting(in_report: bool) -> OutboundMessage:
    """A message while waiting for an officer; the report can go on if one was under way."""
    return ask(
        T(N_("Thank you. Your message is saved for the support officer, who will reply here.")),
        choices=[Choice("continue", T(N_("Carry on with my report")))] if in_report else [],
    )


def misunderstood_handoff() -> Text:
    """Too many answers the bot could not understand: a person will help."""
    return T(
        N_("I am sorry I keep getting this wrong. I have asked a support officer to help you here.")
    )


def quick_exit() -> OutboundMessage:
    """Quick exit: a neutral, minimal notice."""
    return OutboundMessage(body=(T(N_("Closed.")),), kind=NOTICE)


def welcome_back() -> OutboundMessage:
    """Back after a quick exit or a long pause."""
    return ask(
        T(N_("Welcome back. Would you like to carry on where you left off?")),
        choices=[
            Choice("continue", T(N_("Carry on"))),
            Choice("restart", T(N_("Start again"))),
        ],
    )


def stopped() -> OutboundMessage:
    """Confirmation of STOP: the last message we send until START."""
    return OutboundMessage(
        body=(
            T(N_("You will get no more messages from us. If you want to talk again, send START.")),
        ),
        kind=NOTICE,
    )


def going_back() -> Text:
    """Before the question asked before, asked again after "back"."""
    return T(N_("OK, let us go back to the question before."))


def cannot_go_back() -> Text:
    """After "back" where there is no question to go back to."""
    return T(
        N_(
            "Sorry, I cannot go back from here. If an earlier answer was wrong, a support "
            "officer can change it for you."
        )
    )


def started_again() -> Text:
    """After START."""
    return T(N_("Welcome back. You will get messages from us again."))


def restarting() -> Text:
    """After NEW / start again."""
    return T(N_("OK, let us start again."))


def not_understood() -> Text:
    """An answer that fits none of the options."""
    return T(
        N_("Sorry, I did not understand that. Please choose one of the options, or send HELP.")
    )


def kept_with_the_rest() -> Text:
    """More was written where the person was asked to add it to their report or not."""
    return T(N_("Thank you, I have kept that with what you sent before."))


# --- questions asked back at a question with options -----------------------------------


def privacy_explained() -> Text:
    """What "private" means, for someone who asks at the privacy question."""
    return T(
        N_(
            "Only the hate crime support team can read what you tell us. We do not pass it "
            "to the police or anyone else unless you say yes. You can ask us to delete it "
            "at any time."
        )
    )


#: Questions about what happens to what the person tells us, asked at any step: "what
#: happens to my data?" got the question's own explanation, was kept as the date at
#: "when?", or read as withdrawing a consent ("¿qué pasa con mis datos?").
DATA_QUESTIONS: Final = listed(
    PN_(
        "also",
        "what happens to my data, what happens to my information, what happens to my "
        "details, what do you do with my data, what do you do with my information, who "
        "can see my data, who can see this, who will see this, who sees this, who reads "
        "this, who will read this, is this private, is this confidential, is my data safe, "
        "where does my information go, is it private, is it confidential",
    )
)


def anonymity_explained() -> Text:
    """What staying anonymous means, for someone who asks."""
    return T(
        N_(
            "Staying anonymous means we do not ask your name. You get the same help either "
            "way, and you can still give your name later."
        )
    )


#: Words for the police, in a no to a referral that is a no to the police.
POLICE_WORDS: Final = listed(PN_("also", "police, the police, cops, coppers, the cops"))


def service_is_not_the_police(service: Service) -> Text:
    """For someone who says no to a referral because they do not want the police."""
    return T(
        N_(
            "{service} is not the police. A yes here tells the police nothing: we ask "
            "about the police separately."
        ),
        service=service.name,
    )


def referral_explained(service: Service) -> Text:
    """What a yes to a referral does, for someone who asks before answering."""
    return T(
        N_(
            "If you say yes, a support officer passes what you told us to {service}, so "
            "they can offer you support. Your name and contact details go only if you gave "
            "us your name. If you say no, nothing is passed on."
        ),
        service=service.name,
    )


def police_explained() -> Text:
    """What each police option does, for someone who asks before choosing."""
    return T(
        N_(
            "Without your name, the police are told what happened but not who you are. "
            "With your name and contact details, the police may contact you. If you choose "
            "not now, nothing goes to the police."
        )
    )


def followup_explained() -> Text:
    """What check-ins are, for someone who asks before agreeing."""
    return T(
        N_(
            "If you say yes, we will send you a few short messages over the next weeks to ask "
            "how you are, only at times you choose. They will not say what they are about. "
            "You can send STOP at any time."
        )
    )


def what_happened_explained() -> Text:
    """What to write about what happened, for someone who asks."""
    return T(
        N_(
            "Tell us in your own words what was said or done, and by whom. A few sentences "
            "are enough, and you can add more later."
        )
    )


def where_explained() -> Text:
    """What to write about where, for someone who asks (often about their address)."""
    return T(
        N_(
            "A street, a place or a postcode is enough: you do not need to give an exact "
            "address. It helps us see where these things happen."
        )
    )


def when_explained() -> Text:
    """Why the date is asked, for someone who asks."""
    return T(
        N_(
            "The date helps officers link what happened to other reports and look for "
            "camera footage. A rough day is fine, or choose Not sure."
        )
    )


def platform_explained() -> Text:
    """Why the app or website is asked, for someone who asks."""
    return T(
        N_(
            "Knowing the app or website tells officers where to look, and lets us tell "
            "you how to report the account there."
        )
    )


def role_explained() -> Text:
    """Why who it happened to is asked, for someone who asks."""
    return T(
        N_(
            "We ask so we can give the right advice: it is different for the person it "
            "happened to, for a witness, and for someone reporting for another person."
        )
    )


def offender_explained() -> Text:
    """Why whether they know the offender is asked, for someone who asks."""
    return T(
        N_(
            "We ask because if the person knows you or lives near you, you may need more "
            "protection. You do not have to name them."
        )
    )


def risk_explained() -> Text:
    """Why the safety questions are asked, for someone who asks."""
    return T(
        N_(
            "These questions help us see how safe you are now, so that the right help "
            "reaches you quickly. There are no wrong answers."
        )
    )


def safe_hours_explained() -> Text:
    """Why a safe time is asked, for someone who asks."""
    return T(
        N_(
            "We ask so that we only message you when it is safe, for example when "
            "nobody else might see your phone."
        )
    )


def why_explained() -> Text:
    """Why the motivation question is asked, for someone who asks."""
    return T(
        N_(
            "We ask everyone this, because what you think is what counts. If you are not "
            "sure, you can say so."
        )
    )


def ask_in_own_words() -> Text:
    """A question asked back where an answer in the person's own words is wanted."""
    # Translators: PERSON stays in English, as in the help.
    return T(
        N_(
            "A support officer can answer your questions: send PERSON. Or answer the "
            "question below in your own words."
        )
    )


def questions_to_a_person() -> Text:
    """A question asked back where the bot has no explanation of its own."""
    # Translators: PERSON stays in English, as in the help.
    return T(
        N_(
            "A support officer can answer your questions: send PERSON. Or choose the answer "
            "below that fits best."
        )
    )


def unsure_of_options() -> Text:
    """A "not sure" (or "I don't remember") where no option is "Not sure"."""
    # Translators: said when the person answered "I don't know" to a question whose
    # options (which follow) have no "Not sure"; PERSON stays in English, as in the help.
    return T(
        N_(
            "That is all right. Please choose the answer closest to what you think, or send "
            "PERSON to talk it over with a support officer."
        )
    )


def safe_time_ruled_out() -> Text:
    """A time named to rule it out ("not mornings, he is home then"), before the times again."""
    return T(N_("Thank you for telling us. Please choose a time when it is safe to message you."))


def which_one() -> Text:
    """A plain "yes" (or "no") where more than one option is a kind of it."""
    # Translators: said when, for example, "yes" was the answer and two options start
    # with "Yes, ..."; the options follow.
    return T(N_("More than one of the options fits that. Which one do you mean?"))


def unknown_command() -> Text:
    """A "/command" we do not have."""
    return T(N_("I do not know that command."))


def need_words() -> Text:
    """A free-text question got no words (empty, emoji only, only symbols)."""
    return T(
        N_("I could not find any words in that. Please write your answer in words, or send HELP.")
    )


def media_voice() -> Text:
    """A voice note or sticker: we cannot use it."""
    return T(
        N_(
            "I cannot listen to voice messages or read stickers. Please write your answer, or "
            "send PERSON to talk to a support officer."
        )
    )


def media_kept() -> Text:
    """A photo or document kept as evidence."""
    return T(N_("Thank you, I have kept that as evidence with your report."))


def too_long() -> Text:
    """A very long message was cut to the size we keep."""
    return T(
        N_(
            "Your message was very long, so I kept the first part. You can send the rest in "
            "another message."
        )
    )
