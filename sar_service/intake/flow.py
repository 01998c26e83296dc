"""The questions, in order, and which apply to which request types.

Field names are the keys ``cases.validation`` uses for its errors
(``requester.name``, ``details.rectification.current`` …), so an error from
the shared rules lands beside the question that asked for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sar_service.intake.rights import RIGHTS
from workflows.request_types import LONG_TEXT, REQUEST_TYPES, Detail


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "text"  # text, textarea, email, tel, radios, checkboxes, date, file
    hint: str = ""
    max_length: int = 200
    optional: bool = False
    autocomplete: str = ""
    options: tuple[tuple[str, str, str], ...] = ()  # (value, label, hint)

    @property
    def id(self) -> str:
        return self.name.replace(".", "-")


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    fields: tuple[Field, ...]
    summary: str = ""  # label on "check your answers"
    intro: str = ""
    types: frozenset[str] | None = None  # shown only if one of these types is chosen

    def names(self) -> set[str]:
        return {f.name for f in self.fields}


RELATIONSHIP_LABELS = {
    "mother": "Mother",
    "father": "Father",
    "parent": "Parent",
    "carer": "Carer",
    "guardian": "Guardian",
    "pupil": "I am the pupil",
    "other": "Someone else acting for the child",
}

IDENTITY_OPTIONS = (
    ("upload", "Upload a photo or scan of my ID", "For example a passport or driving licence."),
    ("in_person", "I will show ID at the school office", "Bring it within the next few days."),
)

_LONG = LONG_TEXT


def _field(type_: str, d: Detail) -> Field:
    return Field(
        f"details.{type_}.{d.key}",
        d.question if d.required else f"{d.question} (optional)",
        d.kind,
        hint=d.hint,
        max_length=d.max_length,
        optional=not d.required,
    )


def _detail_steps() -> tuple[Step, ...]:
    """One page per right that needs details, in the order of ``REQUEST_TYPES``."""
    return tuple(
        Step(
            slug=t.name.replace("_", "-"),
            title=t.details_title,
            fields=tuple(_field(t.name, d) for d in t.details),
            summary=t.parent_label,
            types=frozenset({t.name}),
        )
        for t in REQUEST_TYPES.values()
        if t.details
    )


STEPS: tuple[Step, ...] = (
    Step(
        "what",
        "What would you like to do?",
        (
            Field(
                "story",
                "Tell us in your own words",
                "textarea",
                hint="For example: \u201cI want to see what you have on my son\u201d or "
                "\u201chis date of birth is wrong\u201d. You can also ask a question, like "
                "\u201cwho do you share data with?\u201d",
                max_length=_LONG,
                optional=True,
            ),
        ),
        summary="In your own words",
    ),
    Step(
        "types",
        "What do you want the school to do?",
        (
            Field(
                "types",
                "What do you want the school to do?",
                "checkboxes",
                hint="Choose all that apply.",
            ),
        ),
        summary="What you want",
    ),
    Step(
        "relationship",
        "How are you related to the child?",
        (
            Field(
                "requester.relationship",
                "How are you related to the child?",
                "radios",
                options=tuple((k, v, "") for k, v in RELATIONSHIP_LABELS.items()),
            ),
        ),
        summary="Relationship",
    ),
    Step(
        "child",
        "What is the child\u2019s name?",
        (
            Field("subject.name", "Full name", autocomplete="off"),
            Field(
                "subject.year_group",
                "Year group (optional)",
                hint="For example, Year 6",
                max_length=30,
                optional=True,
            ),
        ),
        summary="Child\u2019s name",
    ),
    Step(
        "dob",
        "What is the child\u2019s date of birth?",
        (Field("subject.date_of_birth", "Date of birth", "date", hint="For example, 27 3 2014"),),
        summary="Date of birth",
    ),
    Step(
        "your-name",
        "What is your full name?",
        (Field("requester.name", "Your full name", autocomplete="name"),),
        summary="Your name",
    ),
    Step(
        "contact",
        "How can we contact you?",
        (
            Field(
                "requester.email",
                "Email address",
                "email",
                hint="We will send your reference and a link to follow your request.",
                max_length=254,
                autocomplete="email",
                optional=True,
            ),
            Field(
                "requester.phone",
                "Phone number",
                "tel",
                max_length=40,
                autocomplete="tel",
                optional=True,
            ),
            Field(
                "requester.address",
                "Postal address",
                "textarea",
                max_length=500,
                autocomplete="street-address",
                optional=True,
            ),
        ),
        summary="Contact details",
        intro="Give us at least one. If you do not give an email address, we will phone you "
        "or write to you.",
    ),
    *_detail_steps(),
    Step(
        "identity",
        "How will you prove who you are?",
        (
            Field(
                "identity.method",
                "How will you prove who you are?",
                "radios",
                options=IDENTITY_OPTIONS,
            ),
            Field(
                "identity.file",
                "Upload your ID (if you chose to upload)",
                "file",
                hint="A PDF, JPEG, PNG, HEIC photo or Word file, smaller than 10MB.",
                optional=True,
            ),
        ),
        summary="Proof of identity",
        intro="We need to be sure we are giving information to the right person.",
    ),
)

BY_SLUG = {s.slug: s for s in STEPS}
FIELD_STEP = {f.name: s.slug for s in STEPS for f in s.fields}


def chosen_types(answers: dict[str, Any]) -> list[str]:
    raw = answers.get("types")
    return [t for t in raw if isinstance(t, str)] if isinstance(raw, list) else []


def is_pupil(answers: dict[str, Any]) -> bool:
    return answers.get("requester.relationship") == "pupil"


def applies(step: Step, answers: dict[str, Any]) -> bool:
    if step.slug == "your-name" and is_pupil(answers):
        return False
    return step.types is None or bool(step.types & set(chosen_types(answers)))


def steps_for(answers: dict[str, Any]) -> list[Step]:
    """The questions this parent will be asked, in order."""
    return [s for s in STEPS if applies(s, answers)]


def next_step(answers: dict[str, Any], current: str) -> Step | None:
    """The question after ``current``, or None when it is time to check answers."""
    order = steps_for(answers)
    slugs = [s.slug for s in order]
    if current not in slugs:
        return order[0] if order else None
    i = slugs.index(current)
    return order[i + 1] if i + 1 < len(order) else None


def previous_step(answers: dict[str, Any], current: str) -> Step | None:
    order = [s.slug for s in steps_for(answers)]
    if current in order and order.index(current) > 0:
        return BY_SLUG[order[order.index(current) - 1]]
    return None


def type_options(offers_educational_record: bool) -> tuple[tuple[str, str, str], ...]:
    return tuple(
        (t, label, hint)
        for t, (label, hint) in RIGHTS.items()
        if offers_educational_record or not REQUEST_TYPES[t].maintained_only
    )


def payload(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers in the shape ``validate_request`` takes (the API's shape)."""
    out: dict[str, Any] = {
        "types": chosen_types(answers),
        "requester": {},
        "subject": {},
        "details": {},
    }
    for key, value in answers.items():
        parts = key.split(".")
        if parts[0] in ("requester", "subject") and len(parts) == 2:
            out[parts[0]][parts[1]] = value
        elif parts[0] == "details" and len(parts) == 3 and value not in ("", None):
            out["details"].setdefault(parts[1], {})[parts[2]] = value
    if is_pupil(answers):
        out["requester"]["name"] = answers.get("subject.name", "")
    return out


def child_age(answers: dict[str, Any], today: date) -> int | None:
    try:
        dob = date.fromisoformat(str(answers.get("subject.date_of_birth") or ""))
    except ValueError:
        return None
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
