"""Each right in plain English, and honest notes on when it may not apply."""

from __future__ import annotations

from sar_service.i18n.text import N_
from sar_service.i18n.text import lazy_gettext as _l

#: type -> (short label for buttons and summaries, one-line explanation)
RIGHTS: dict[str, tuple[str, str]] = {
    "access": (
        _l("See the information the school holds"),
        _l("You get a copy of the information about your child, and why the school has it."),
    ),
    "educational_record": (
        _l("See the educational record"),
        _l(
            "Reports, marks and other school records about your child's learning. "
            "We reply within 15 school days."
        ),
    ),
    "rectification": (
        _l("Correct something that is wrong"),
        _l("For example a wrong date of birth, address or spelling of a name."),
    ),
    "erasure": (
        _l("Delete information"),
        _l("Ask the school to delete information it no longer needs."),
    ),
    "restriction": (
        _l("Stop the school using information for now"),
        _l("For example while we check whether something is right."),
    ),
    "objection": (
        _l("Object to how information is used"),
        _l("For example using an online service such as Google Classroom, or sending marketing."),
    ),
    "withdraw_consent": (
        _l("Take back consent you gave"),
        _l("For example for photos on the website or on social media."),
    ),
    "complaint": (
        _l("Make a complaint"),
        _l("Tell us if you are unhappy with how the school has used information."),
    ),
}

#: Honest notes: when a right probably will not apply. We still take the request.
#: Labels are lazy (read in the page's language); the notes below kept in a draft are
#: plain English message ids (stored as JSON), translated where they are shown.
LIMITS: dict[str, str] = {
    "erasure": (
        _l(
            "The school must keep some records by law, such as the admission register, "
            "attendance and safeguarding records. We may not be able to delete those. "
            "We will still look at your request and tell you what we decide and why."
        )
    ),
    "objection": (
        _l(
            "Some things the school must do as part of running the school, such as keeping "
            "attendance records. We may not be able to stop those. We will still look at your "
            "request and explain our decision."
        )
    ),
    "restriction": (
        _l("We can only restrict information in some situations. We will tell you what we decide.")
    ),
}

PHOTO_NOTE = N_(
    "Photos on a website are usually used with your consent. You can take back your "
    "consent, and ask us to delete the photos. We have ticked both for you."
)

NOT_MAINTAINED_NOTE = N_(
    "This school does not have to give access to the educational record, but you can still "
    "ask to see the information it holds. We have ticked that for you."
)


def label(type_: str) -> str:
    return RIGHTS.get(type_, (type_, ""))[0]
