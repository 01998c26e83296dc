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

from workflows.request_types import REQUEST_TYPES

#: Example wording of the school's own Art 15(1)(h) and 15(2) facts (the samples use it;
#: a real letter takes the school's settings, never these).
DEFAULT_AUTOMATED_DECISIONS = "We do not make decisions about your child by automated means."
DEFAULT_TRANSFERS_ABROAD = (
    "Where any of your child's information is stored or processed outside the UK, for "
    "example by a cloud service we use, it is protected by safeguards recognised by UK "
    "data protection law, such as UK adequacy regulations or the International Data "
    "Transfer Agreement."
)

#: Relationship values that mean "the requester is the pupil themselves".
PUPIL_RELATIONSHIPS = frozenset({"the pupil", "pupil", "self", "myself", "data subject"})

#: Outcomes an outcome letter can report.
OUTCOMES = ("done", "partly", "refused")

#: How each request type (the API's names) is described to a parent.
REQUEST_TYPE_LABELS = {t.name: t.letter_words for t in REQUEST_TYPES.values()}


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
    not. ``withheld`` pairs the grounds of each withholding with what staff
    noted about it (internal: a letter never prints the second item, and the
    checks refuse a letter that does). ``withheld_grounds`` are the grounds in
    general terms that the letter states; ``withheld_silently`` is true when the
    school chose to say nothing about some withholding (serious harm, child abuse).
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
    withheld_grounds: list[str] = field(default_factory=list)
    withheld_silently: bool = False
    #: Rectification: staff recorded that use was restricted while accuracy was checked.
    restricted: bool = False
    #: Rectification: what was corrected (what the record now says).
    corrected: str | None = None
    #: Erasure of information the school had made public (Art 17(2)).
    erasure_published: bool = False
    #: Objection that covers direct marketing (absolute, Art 21(3)).
    objection_to_marketing: bool = False
    recipients_notified: list[str] = field(default_factory=list)
    consent_withdrawn_for: str | None = None
    complaint_summary: str | None = None
    identity_documents: list[str] = field(default_factory=list)
    signatory_name: str
    signatory_role: str
    #: Art 15(1)(h) and 15(2): the school's own facts from its settings ("" = not set).
    automated_decisions: str = ""
    transfers_abroad: str = ""
    #: Art 15(1)(g): where the gathered records came from (the case's gathering record).
    record_sources: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)
    #: A request that is also for the educational record: its own 15-school-day date.
    school_days_due_date: date | None = None
    #: False for complaints received before DPA 2018 s.164A came into force (19 June 2026).
    complaint_duty_in_force: bool = True
    #: When the school aims to answer a complaint (never the acknowledgement limit).
    complaint_reply_by: date | None = None
    language: str = "en"  # the parent's language: a cover page in it (the letter stays English)

    @property
    def requester_is_pupil(self) -> bool:
        """True when the pupil wrote for themselves: the letter says "you"."""
        return self.relationship.strip().lower() in PUPIL_RELATIONSHIPS
