"""The rights a request can invoke, and which clock each one runs on."""

from __future__ import annotations

from dataclasses import dataclass


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
        ),
        RequestType(
            "educational_record",
            "Educational record",
            "Education (Pupil Information) (England) Regulations 2005",
            "school_days",
        ),
        RequestType(
            "rectification", "Rectification", "UK GDPR Art 16", "one_month", extendable=True
        ),
        RequestType("erasure", "Erasure", "UK GDPR Art 17", "one_month", extendable=True),
        RequestType(
            "restriction",
            "Restriction of processing",
            "UK GDPR Art 18",
            "one_month",
            extendable=True,
        ),
        RequestType(
            "objection", "Objection to processing", "UK GDPR Art 21", "one_month", extendable=True
        ),
        RequestType(
            "withdraw_consent",
            "Withdrawal of consent",
            "UK GDPR Art 7(3)",
            "one_month",
            extendable=True,
        ),
        RequestType("complaint", "Data protection complaint", "DPA 2018 s.164A", "complaint"),
    )
}

CHANNELS = ("email", "letter", "phone", "in_person", "web")
RELATIONSHIPS = ("mother", "father", "parent", "carer", "guardian", "pupil", "other")


def uses_one_month_clock(types: list[str]) -> bool:
    return any(REQUEST_TYPES[t].clock == "one_month" for t in types if t in REQUEST_TYPES)
