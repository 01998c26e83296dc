"""What a letter is rendered from: plain frozen dataclasses.

The application fills these from its models (school, privacy notice, case,
staff user); the letters package never touches the database. Every field is
keyword-only so callers name what they pass and optional facts can default to
"not applicable" without caring about field order.

Everything a parent typed (names, addresses, reasons, complaint text) is
*data*: it is printed literally, never evaluated as template code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

DEFAULT_AUTOMATED_DECISIONS = "We do not make decisions about your child by automated means."
DEFAULT_TRANSFERS_ABROAD = (
    "Where any of your child's information is stored or processed outside the UK, for "
    "example by a cloud service we use, it is protected by safeguards recognised by UK "
    "data protection law, such as UK adequacy regulations or the International Data "
    "Transfer Agreement. You can ask us for details of these safeguards."
)

#: Relationship values that mean "the requester is the pupil themselves".
PUPIL_RELATIONSHIPS = frozenset({"the pupil", "pupil", "self", "myself", "data subject"})

#: Outcomes an outcome letter can report.
OUTCOMES = ("done", "partly", "refused")

#: How each request type (the API's names) is described to a parent.
REQUEST_TYPE_LABELS = {
    "access": "a copy of the personal data we hold (a subject access request)",
    "educational_record": "access to the educational record",
    "rectification": "correction of personal data (rectification)",
    "erasure": "deletion of personal data (erasure)",
    "restriction": "restriction of the use of personal data",
    "objection": "an objection to the use of personal data",
    "withdraw_consent": "withdrawal of consent",
    "complaint": "a data protection complaint",
}


@dataclass(frozen=True, kw_only=True)
class Letterhead:
    """The school's identity, printed in the page header of every page.

    ``logo_png`` is the raw bytes of a PNG (or JPEG/GIF) image; ``None`` means
    no logo. The DPO's details go in the footer and in the "how to contact
    us" wording, because the law requires them to be easy to find.
    """

    school_name: str
    address_lines: list[str]
    phone: str = ""
    email: str = ""
    website: str = ""
    logo_png: bytes | None = None
    dpo_name: str = ""
    dpo_email: str = ""
    dpo_phone: str = ""


@dataclass(frozen=True, kw_only=True)
class NoticeFacts:
    """Facts imported from the school's privacy notice (Art 15(1)(a)-(d), (g)).

    Any list may be empty: the letters then say the school will provide the
    information on request and refer to its privacy notice, never a blank.
    """

    purposes: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    retention: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    lawful_bases: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class LetterContext:
    """Everything one letter needs, already decided by the case workflow.

    Dates are Europe/London calendar dates. ``request_types`` uses the API's
    names (``access``, ``educational_record``, ``rectification``, ...).
    ``relationship`` is the requester's relationship to the pupil ("mother",
    "carer", ... or "the pupil" when the pupil writes for themselves, in
    which case the letter addresses them directly).

    ``outcome`` is ``"done"``, ``"partly"`` or ``"refused"`` for the outcome
    letters; ``outcome_reasons`` explains what was done and why anything was
    not. ``withheld`` pairs an exemption with a plain description of the kind
    of information withheld -- never the withheld content itself.
    ``recipients_notified`` lists the organisations or systems told about a
    correction, erasure, restriction or withdrawal of consent (Art 19).
    ``extra`` carries school-specific fields for edited templates.
    """

    kind: str
    letterhead: Letterhead
    today: date
    reference: str
    request_types: list[str]
    received_on: date
    due_date: date
    requester_name: str
    requester_address_lines: list[str] = field(default_factory=list)
    requester_email: str = ""
    relationship: str
    subject_name: str
    subject_dob: date | None = None
    notice: NoticeFacts = field(default_factory=NoticeFacts)
    extension_reason: str | None = None
    extended_due_date: date | None = None
    clarification_question: str | None = None
    outcome: str | None = None
    outcome_reasons: str | None = None
    refusal_reasons: str | None = None
    withheld: list[tuple[str, str]] = field(default_factory=list)
    recipients_notified: list[str] = field(default_factory=list)
    consent_withdrawn_for: str | None = None
    complaint_summary: str | None = None
    identity_documents: list[str] = field(default_factory=list)
    signatory_name: str
    signatory_role: str
    automated_decisions: str = DEFAULT_AUTOMATED_DECISIONS
    transfers_abroad: str = DEFAULT_TRANSFERS_ABROAD
    extra: dict = field(default_factory=dict)
    language: str = "en"  # the parent's language: a cover page in it (the letter stays English)

    @property
    def requester_is_pupil(self) -> bool:
        """True when the pupil wrote for themselves: the letter says "you"."""
        return self.relationship.strip().lower() in PUPIL_RELATIONSHIPS
