"""Realistic demo contexts: Oakfield Primary School, Amelia Hart and her mother.

Used to test-render a school's edited template when it is saved (so mistakes
show then, not at send time), for the golden-text tests, the docs and the
benchmark. The dates follow docs/legal.md: a request received on Monday 2 March
2026 is due on Thursday 2 April 2026, or Tuesday 2 June 2026 if extended; the
educational record is due on Monday 23 March 2026 (15 school days).

The names, telephone numbers (Ofcom's drama range) and addresses are made up.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from .context import (
    DEFAULT_AUTOMATED_DECISIONS,
    DEFAULT_TRANSFERS_ABROAD,
    OUTCOMES,
    LetterContext,
    Letterhead,
    NoticeFacts,
)
from .kinds import get_kind

LETTERHEAD = Letterhead(
    school_name="Oakfield Primary School",
    address_lines=["12 Oakfield Lane", "Oakfield", "Northshire", "NS4 7QT"],
    phone="01632 960123",
    email="office@oakfield.example.sch.uk",
    website="www.oakfield.example.sch.uk",
    logo_png=None,
    dpo_name="Priya Shah",
    dpo_email="dpo@oakfield.example.sch.uk",
    dpo_phone="01632 960124",
)

NOTICE = NoticeFacts(
    purposes=[
        "to support pupil learning",
        "to monitor and report on pupil progress",
        "to provide appropriate pastoral care",
        "to keep children safe",
        "to contact parents when we need to",
        "to meet the statutory duties placed on us by the Department for Education",
    ],
    categories=[
        "personal information (such as name, unique pupil number and address)",
        "characteristics (such as ethnicity, language and free school meal eligibility)",
        "attendance information",
        "assessment information",
        "relevant medical information",
        "behavioural information",
        "special educational needs information",
        "photographs",
    ],
    recipients=[
        "Northshire County Council (our local authority)",
        "the Department for Education (DfE)",
        "the school nursing service (Northshire NHS Trust)",
        "the school your child attends after leaving us",
    ],
    retention=[
        "we keep the pupil file while your child attends the school and then pass it "
        "to their next school",
        "CCTV images are kept for 30 days unless they are needed for an investigation",
    ],
    sources=[
        "the local authority",
        "your child's previous school or nursery",
        "health professionals",
    ],
    lawful_bases=[
        "to comply with the law (Article 6(1)(c) UK GDPR)",
        "to carry out a task in the public interest: providing education (Article 6(1)(e))",
    ],
)

_BASE = LetterContext(
    kind="acknowledgement",
    letterhead=LETTERHEAD,
    today=date(2026, 3, 3),
    reference="OAK-2026-0042",
    request_types=["access"],
    received_on=date(2026, 3, 2),
    due_date=date(2026, 4, 2),
    requester_name="Sarah Hart",
    requester_address_lines=["27 Willow Road", "Oakfield", "Northshire", "NS4 8BD"],
    requester_email="sarah.hart@example.com",
    relationship="mother",
    subject_name="Amelia Hart",
    subject_dob=date(2016, 3, 14),
    notice=NOTICE,
    automated_decisions=DEFAULT_AUTOMATED_DECISIONS,
    transfers_abroad=DEFAULT_TRANSFERS_ABROAD,
    record_sources=["the pupil file", "the behaviour log", "staff emails"],
    identity_documents=[
        "a current passport",
        "a photocard driving licence",
        "a utility or council tax bill from the last three months showing your name and address",
    ],
    signatory_name="Priya Shah",
    signatory_role="Data Protection Officer",
)

_OVERRIDES: dict[str, dict] = {
    "acknowledgement": {},
    "identity_request": {},
    "clarification_request": {
        "today": date(2026, 3, 5),
        "clarification_question": (
            "Which period would you like us to search: this school year, or since Amelia "
            "started at the school in September 2020? And would you like emails between "
            "staff that mention Amelia, or only her pupil records?"
        ),
    },
    "extension_notice": {
        "today": date(2026, 3, 16),
        "extension_reason": (
            "Your request covers Amelia's records since Reception, including a large number "
            "of emails between staff and other agencies, and we need to consult the people "
            "who wrote some of them before we can decide what to disclose."
        ),
        "extended_due_date": date(2026, 6, 2),
    },
    "access_response": {
        "today": date(2026, 3, 27),
        "withheld": [
            (
                "information about other people (Data Protection Act 2018, Schedule 2, "
                "Part 3, paragraph 16)",
                "the names and details of other pupils in two incident reports",
            )
        ],
        "withheld_grounds": [
            "information about other people (Data Protection Act 2018, Schedule 2, "
            "Part 3, paragraph 16)"
        ],
    },
    "educational_record_response": {
        "today": date(2026, 3, 20),
        "request_types": ["educational_record"],
        "due_date": date(2026, 3, 23),
    },
    "rectification_outcome": {
        "today": date(2026, 3, 20),
        "request_types": ["rectification"],
        "outcome": "done",
        "restricted": True,
        "corrected": "Amelia's date of birth now reads 12 September 2017 (it read 21 September "
        "2017)",
        "outcome_reasons": (
            "We have corrected Amelia's date of birth in our management information system "
            "and in her paper file."
        ),
        "recipients_notified": ["Northshire County Council", "the school nursing service"],
    },
    "erasure_outcome": {
        "today": date(2026, 3, 20),
        "request_types": ["erasure"],
        "outcome": "refused",
        "outcome_reasons": (
            "The behaviour log entries you asked us to delete are part of Amelia's "
            "educational record, which the law requires us to keep so that we can provide "
            "her education. We have added your comments to the record so that anyone who "
            "reads it will also see your view."
        ),
    },
    "restriction_outcome": {
        "today": date(2026, 3, 20),
        "request_types": ["restriction"],
        "outcome": "partly",
        "outcome_reasons": (
            "We have stopped using Amelia's spring reading assessment in reports and progress "
            "tracking while we check it with you. We must still send her attendance figures "
            "to the Department for Education, because the law requires it."
        ),
        "recipients_notified": ["the Department for Education (DfE)"],
    },
    "objection_outcome": {
        "today": date(2026, 3, 20),
        "request_types": ["objection"],
        "outcome": "done",
        "outcome_reasons": (
            "We have removed Amelia's photographs from our website and social media pages "
            "and will not use her image to publicise the school."
        ),
    },
    "refusal": {
        "today": date(2026, 3, 20),
        "request_types": ["access"],
        "refusal_reasons": (
            "Your request repeats in full the request you made on 12 January 2026, which we "
            "answered on 6 February 2026, and nothing in Amelia's records has changed since "
            "then. We consider the request manifestly excessive under Article 12(5) of the "
            "UK GDPR."
        ),
    },
    "consent_withdrawal_confirmation": {
        "today": date(2026, 3, 4),
        "received_on": date(2026, 3, 3),
        "request_types": ["withdraw_consent"],
        "consent_withdrawn_for": (
            "the use of Amelia's photograph on the school website, in newsletters and on "
            "social media"
        ),
        "recipients_notified": ["the website editor", "the newsletter team", "Tapestry"],
    },
    "complaint_acknowledgement": {
        "today": date(2026, 3, 10),
        "received_on": date(2026, 3, 9),
        "due_date": date(2026, 4, 8),
        "request_types": ["complaint"],
        "complaint_summary": (
            "A letter about Amelia's attendance was sent to her previous address, where "
            "another family now lives."
        ),
    },
}


def sample_context(kind: str) -> LetterContext:
    """A complete, realistic context for ``kind`` (ValueError if unknown)."""
    get_kind(kind)
    return replace(_BASE, kind=kind, **_OVERRIDES[kind])


def validation_variants(kind: str) -> list[tuple[str, LetterContext]]:
    """The sample plus the variants a template's branches must also handle.

    Each is (description for error messages, context). The first is the
    plain sample: a problem found only in a later one is reported "when ...".
    """
    base = sample_context(kind)
    variants = [("", base)]
    if base.outcome is not None:
        reason = base.outcome_reasons or "Example reasons."
        for outcome in OUTCOMES:
            if outcome != base.outcome:
                ctx = replace(base, outcome=outcome, outcome_reasons=reason)
                variants.append((f"the outcome is '{outcome}'", ctx))
    if kind == "access_response":
        variants.append(("nothing was withheld", replace(base, withheld=[], withheld_grounds=[])))
        silent = replace(base, withheld_grounds=[], withheld_silently=True)
        variants.append(("the school chose to say nothing about what it withheld", silent))
    pupil = replace(base, relationship="the pupil", requester_name=base.subject_name)
    variants.append(("the pupil wrote for themselves", pupil))
    return variants
