"""The rights a request can invoke: the ONE description every other table derives from.

Validation, the parent intake (buttons, questions, keywords), the staff form, the
clocks, the letters (words, outcome letter, extension paragraph), record gathering
and the privacy-notice reader all read a :class:`RequestType` from here, so a new
right is one declaration below plus its letter template. ``tests/unit/
test_request_types.py`` walks every type through every consumer. Pure: no app imports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: The clocks a right can run on (see ``workflows.deadlines``).
CLOCKS = ("one_month", "school_days", "complaint")

#: Default and short limits for a detail a parent types.
LONG_TEXT = 2000
SHORT_TEXT = 200


@dataclass(frozen=True)
class Detail:
    """One thing the school needs to know to act on a right (``details.<type>.<key>``)."""

    key: str
    #: The question, to parents and staff (without "(optional)").
    question: str
    #: Shown beside the question when a required detail is missing; "" = optional.
    missing: str = ""
    hint: str = ""
    max_length: int = LONG_TEXT
    #: ``textarea`` for free text, ``text`` for a short line.
    kind: str = "textarea"

    @property
    def required(self) -> bool:
        return bool(self.missing)


@dataclass(frozen=True)
class NoticeRight:
    """How a privacy notice names this right, and how we explain it back to a parent."""

    name: str
    pattern: str
    words: str


@dataclass(frozen=True)
class RequestType:
    """Everything the service knows about one right; every other table derives from this."""

    name: str
    label: str
    article: str
    clock: str  # "one_month" | "school_days" | "complaint"
    #: Article 12A: a clarification pause stops this right's clock (access requests only).
    pausable: bool = False
    #: Art 12(3): the one-month clock may be extended by two further months.
    extendable: bool = False
    #: Words for parents: the intake button, its one-line explanation, an honest limit.
    parent_label: str = ""
    parent_hint: str = ""
    limit_note: str = ""
    #: Words in letters: "You asked us for <letter_words>".
    letter_words: str = ""
    #: What the school needs to act, asked on one intake page titled ``details_title``.
    details: tuple[Detail, ...] = ()
    details_title: str = ""
    #: The detail the parent's own words pre-fill, when the intake recognises this right.
    story_detail: str = ""
    #: Phrases (regular expressions on lower-cased text) that suggest this right.
    keywords: tuple[str, ...] = ()
    #: Rights a keyword match for this one rules out ("withdraw consent" is not an objection).
    supersedes: tuple[str, ...] = ()
    #: The letter kind that answers this right.
    outcome_letter: str = ""
    #: Staff record an outcome (done / partly / refused) that the outcome letter reports.
    staff_decides: bool = False
    #: Art 19: after acting, tell each recipient of the data.
    tells_recipients: bool = False
    #: Whether answering it means searching the school's records (gathering tasks).
    gathers_records: bool = False
    #: Only maintained (and non-maintained special) schools owe this right.
    maintained_only: bool = False
    #: How privacy notices name it (None: notices do not list it as a right).
    notice: NoticeRight | None = None
    #: Non-empty: the school acts on this right without waiting for proof of identity, and
    #: the identity letter says so in these words (never "we cannot take any further action").
    without_identity: str = ""
    #: Where a requester unhappy with a refusal goes: "ico" (data protection rights) or
    #: "school_and_dfe" (the school's complaints procedure, then the DfE; not the ICO).
    complaints_route: str = "ico"

    @property
    def required_details(self) -> tuple[Detail, ...]:
        return tuple(d for d in self.details if d.required)


_WHY = Detail("why", "Why?")

REQUEST_TYPES: dict[str, RequestType] = {
    t.name: t
    for t in (
        RequestType(
            "access",
            "Access to personal data (SAR)",
            "UK GDPR Art 15",
            "one_month",
            pausable=True,
            extendable=True,
            parent_label="See the information the school holds",
            parent_hint="You get a copy of the information about your child, "
            "and why the school has it.",
            letter_words="a copy of the personal data we hold (a subject access request)",
            details=(
                Detail(
                    "which",
                    "Which information do you want?",
                    hint="Leave this empty to ask for everything.",
                ),
                Detail(
                    "period",
                    "Which dates?",
                    hint="For example, since September 2024",
                    max_length=SHORT_TEXT,
                    kind="text",
                ),
            ),
            details_title="What information do you want to see?",
            keywords=(
                r"\bsee\b.*\b(?:info|information|data|records?|files?|what)\b",
                r"\bwhat (?:you(?:'ve| have)?|the school(?: has)?)\s*"
                r"(?:got|have|has|hold|holds|keep|keeps|know)\b",
                r"\bwhat (?:do|does) (?:you|the school) (?:have|hold|keep|know)\b.*\b"
                r"(?:my|our|the|his|her|their)?\s*"
                r"(?:son|daughter|child|children|kids?|boy|girl|me|him|her|them)",
                r"\b(?:a )?copy of\b",
                r"\bsubject access\b",
                r"\bsar\b",
                r"\b(?:all|any) (?:the )?(?:info|information|data|records?)\b"
                r".*\b(?:on|about|for)\b",
                r"\bfind out what\b",
                r"\b(?:send|give|email|post)\b.*\b(?:me|us)\b.*\b(?:everything|all)\b",
                r"\baccess (?:to )?(?:my|his|her|their|the)?\s*"
                r"(?:info|information|data|records?)\b",
            ),
            outcome_letter="access_response",
            gathers_records=True,
            notice=NoticeRight(
                "Access",
                r"\baccess\b|\bcopy of\b",
                "ask for a copy of the information the school holds",
            ),
        ),
        RequestType(
            "educational_record",
            "Educational record",
            "Education (Pupil Information) (England) Regulations 2005",
            "school_days",
            parent_label="See the educational record",
            parent_hint="Reports, marks and other school records about your child's learning. "
            "We reply within 15 school days.",
            letter_words="access to the educational record",
            keywords=(
                r"\bschool reports?\b",
                r"\bend of (?:term|year) reports?\b",
                r"\bexercise books?\b",
                r"\beducation(?:al)? records?\b",
                r"\bschool work\b",
                r"\bmarks?\b.*\btests?\b",
            ),
            outcome_letter="educational_record_response",
            gathers_records=True,
            maintained_only=True,
            complaints_route="school_and_dfe",
        ),
        RequestType(
            "rectification",
            "Rectification",
            "UK GDPR Art 16",
            "one_month",
            extendable=True,
            parent_label="Correct something that is wrong",
            parent_hint="For example a wrong date of birth, address or spelling of a name.",
            letter_words="correction of personal data (rectification)",
            details=(
                Detail("current", "What is wrong?", missing="Tell us what information is wrong."),
                Detail("correction", "What should it say?", missing="Tell us what it should say."),
            ),
            details_title="What needs correcting?",
            story_detail="current",
            keywords=(
                r"\bwrong\b",
                r"\bincorrect\b",
                r"\bmistakes?\b",
                r"\bnot (?:right|correct|accurate)\b",
                r"\binaccurate\b",
                r"\bout of date\b",
                r"\b(?:mis)?spelt\b|\bmisspelled\b|\bspelled wrong",
                r"\b(?:correct|fix|amend|update)\b",
            ),
            outcome_letter="rectification_outcome",
            staff_decides=True,
            tells_recipients=True,
            notice=NoticeRight(
                "Rectification",
                r"rectif|inaccurate|\bcorrect",
                "ask for wrong information to be corrected",
            ),
        ),
        RequestType(
            "erasure",
            "Erasure",
            "UK GDPR Art 17",
            "one_month",
            extendable=True,
            parent_label="Delete information",
            parent_hint="Ask the school to delete information it no longer needs.",
            limit_note="The school must keep some records by law, such as the admission "
            "register, attendance and safeguarding records. We may not be able to delete "
            "those. We will still look at your request and tell you what we decide and why.",
            letter_words="deletion of personal data (erasure)",
            details=(
                Detail(
                    "what",
                    "What do you want us to delete?",
                    missing="Tell us what you want us to delete.",
                ),
                _WHY,
            ),
            details_title="What do you want us to delete?",
            story_detail="what",
            keywords=(
                r"\bdelete\b",
                r"\berase\b",
                r"\bremove\b",
                r"\btake\b.*\b(?:off|down)\b",
                r"\bget rid of\b",
                r"\bdestroy\b",
                r"\bwipe\b",
                r"\bforget\b",
            ),
            outcome_letter="erasure_outcome",
            staff_decides=True,
            tells_recipients=True,
            notice=NoticeRight(
                "Erasure",
                r"\beras|\berased?\b|\bdelet|\bdestroy",
                "ask for information to be deleted",
            ),
        ),
        RequestType(
            "restriction",
            "Restriction of processing",
            "UK GDPR Art 18",
            "one_month",
            extendable=True,
            parent_label="Stop the school using information for now",
            parent_hint="For example while we check whether something is right.",
            limit_note="We can only restrict information in some situations. "
            "We will tell you what we decide.",
            letter_words="restriction of the use of personal data",
            details=(
                Detail(
                    "what",
                    "What should we stop using for now?",
                    missing="Tell us which information or use you want us to restrict.",
                ),
                _WHY,
            ),
            details_title="What should we stop using for now?",
            story_detail="what",
            keywords=(
                r"\brestrict\w*\b",
                r"\b(?:limit|pause|freeze)\b.*\b(?:use|using|processing)\b",
                r"\bstop using\b.*\buntil\b",
            ),
            supersedes=("objection",),
            outcome_letter="restriction_outcome",
            staff_decides=True,
            tells_recipients=True,
            notice=NoticeRight(
                "Restriction",
                r"restrict|\bblock",
                "ask the school to limit how it uses information",
            ),
        ),
        RequestType(
            "objection",
            "Objection to processing",
            "UK GDPR Art 21",
            "one_month",
            extendable=True,
            parent_label="Object to how information is used",
            parent_hint="For example using an online service such as Google Classroom, "
            "or sending marketing.",
            limit_note="Some things the school must do as part of running the school, such as "
            "keeping attendance records. We may not be able to stop those. We will still look "
            "at your request and explain our decision.",
            letter_words="an objection to the use of personal data",
            details=(
                Detail(
                    "processing",
                    "Which use do you object to?",
                    missing="Tell us which use of the information you object to.",
                    hint="For example: photos, marketing, or an online service like "
                    "Google Classroom.",
                ),
                _WHY,
            ),
            details_title="Which use of the information do you object to?",
            story_detail="processing",
            keywords=(
                r"\b(?:do not|don't|dont) want (?:you|the school|them) (?:to )?us(?:e|ing)\b",
                r"\bstop (?:using|sending|sharing|processing)\b",
                r"\bobject(?:ion)?\b",
                r"\bopt(?:ing)? out\b",
                r"\bmarketing\b",
                r"\bnot (?:to )?(?:use|share)\b",
            ),
            outcome_letter="objection_outcome",
            staff_decides=True,
            notice=NoticeRight(
                "Objection",
                r"\bobject(?![^.]*automated)|prevent processing|marketing",
                "object to how the school uses information",
            ),
        ),
        RequestType(
            "withdraw_consent",
            "Withdrawal of consent",
            "UK GDPR Art 7(3)",
            "one_month",
            # Effective from when it is given (LEGAL.md "Other rights"): nothing to extend.
            extendable=False,
            parent_label="Take back consent you gave",
            parent_hint="For example for photos on the website or on social media.",
            letter_words="withdrawal of consent",
            details=(
                Detail(
                    "consent",
                    "What do you no longer agree to?",
                    missing="Tell us what you no longer consent to.",
                    hint="For example: photos on the school website.",
                ),
            ),
            details_title="What consent do you want to take back?",
            story_detail="consent",
            keywords=(
                r"\bwithdraw\w*\b.*\bconsent\b",
                r"\bno longer (?:consent|agree)\b",
                r"\b(?:take|taking) back\b.*\b(?:consent|permission)\b",
                r"\b(?:do not|don't|dont) (?:consent|agree)\b",
                r"\bwithdraw\w* (?:my )?permission\b",
            ),
            supersedes=("objection",),
            outcome_letter="consent_withdrawal_confirmation",
            without_identity="Your withdrawal of consent took effect when you gave it: we are "
            "acting on it now, without waiting for proof of identity.",
            notice=NoticeRight(
                "Withdraw consent",
                r"\bwithdraw|\bopts? out\b",
                "change your mind about something you agreed to",
            ),
        ),
        RequestType(
            "complaint",
            "Data protection complaint",
            "DPA 2018 s.164A",
            "complaint",
            parent_label="Make a complaint",
            parent_hint="Tell us if you are unhappy with how the school has used information.",
            letter_words="a data protection complaint",
            details=(
                Detail(
                    "summary",
                    "What is your complaint about?",
                    missing="Tell us what your complaint is about.",
                ),
            ),
            details_title="What is your complaint about?",
            story_detail="summary",
            keywords=(
                r"\bcomplain\w*\b",
                r"\bunhappy\b",
                r"\bnot happy\b",
                r"\bbreach\b",
                r"\bleak\w*\b",
            ),
            outcome_letter="complaint_acknowledgement",
            without_identity="We are dealing with your complaint now: its time limit does not "
            "wait for proof of identity.",
        ),
    )
}

CHANNELS = ("email", "letter", "phone", "in_person", "web")
RELATIONSHIPS = ("mother", "father", "parent", "carer", "guardian", "pupil", "other")


def known(types: Iterable[str]) -> list[RequestType]:
    """The RequestTypes named in ``types`` (unknown names are skipped), in the given order."""
    return [REQUEST_TYPES[t] for t in types if t in REQUEST_TYPES]


def on_clock(types: Iterable[str], clock: str) -> bool:
    """Whether any of ``types`` runs on ``clock``."""
    return any(t.clock == clock for t in known(types))


def uses_one_month_clock(types: list[str]) -> bool:
    return on_clock(types, "one_month")


def can_extend(types: Iterable[str]) -> bool:
    """Whether any of ``types`` has a clock the school may extend (Art 12(3))."""
    return any(t.extendable for t in known(types))


def names_where(**attrs: object) -> frozenset[str]:
    """Names of the types whose attributes equal ``attrs``, e.g. ``names_where(clock=...)``."""
    return frozenset(
        t.name for t in REQUEST_TYPES.values() if all(getattr(t, k) == v for k, v in attrs.items())
    )


def waits_for_identity(types: Iterable[str]) -> list[RequestType]:
    """The rights among ``types`` that the school acts on only once identity is confirmed."""
    return [t for t in known(types) if not t.without_identity]


def for_letter(kind: str) -> RequestType | None:
    """The right that ``kind`` answers (None: the letter is not an outcome letter)."""
    return next((t for t in REQUEST_TYPES.values() if t.outcome_letter == kind), None)
