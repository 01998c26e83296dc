"""Each right in plain English, and honest notes on when it may not apply."""

from __future__ import annotations

#: type -> (short label for buttons and summaries, one-line explanation)
RIGHTS: dict[str, tuple[str, str]] = {
    "access": (
        "See the information the school holds",
        "You get a copy of the information about your child, and why the school has it.",
    ),
    "educational_record": (
        "See the educational record",
        "Reports, marks and other school records about your child's learning. "
        "We reply within 15 school days.",
    ),
    "rectification": (
        "Correct something that is wrong",
        "For example a wrong date of birth, address or spelling of a name.",
    ),
    "erasure": (
        "Delete information",
        "Ask the school to delete information it no longer needs.",
    ),
    "restriction": (
        "Stop the school using information for now",
        "For example while we check whether something is right.",
    ),
    "objection": (
        "Object to how information is used",
        "For example using an online service such as Google Classroom, or sending marketing.",
    ),
    "withdraw_consent": (
        "Take back consent you gave",
        "For example for photos on the website or on social media.",
    ),
    "complaint": (
        "Make a complaint",
        "Tell us if you are unhappy with how the school has used information.",
    ),
}

#: Honest notes: when a right probably will not apply. We still take the request.
LIMITS: dict[str, str] = {
    "erasure": (
        "The school must keep some records by law, such as the admission register, "
        "attendance and safeguarding records. We may not be able to delete those. "
        "We will still look at your request and tell you what we decide and why."
    ),
    "objection": (
        "Some things the school must do as part of running the school, such as keeping "
        "attendance records. We may not be able to stop those. We will still look at your "
        "request and explain our decision."
    ),
    "restriction": (
        "We can only restrict information in some situations. We will tell you what we decide."
    ),
}

PHOTO_NOTE = (
    "Photos on a website are usually used with your consent. You can take back your "
    "consent, and ask us to delete the photos. We have ticked both for you."
)

NOT_MAINTAINED_NOTE = (
    "This school does not have to give access to the educational record, but you can still "
    "ask to see the information it holds. We have ticked that for you."
)


def label(type_: str) -> str:
    return RIGHTS.get(type_, (type_, ""))[0]
