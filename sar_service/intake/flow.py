"""The questions, in order, and which apply to which request types.

Field names are the keys ``cases.validation`` uses for its errors
(``requester.name``, ``details.rectification.current`` …), so an error from
the shared rules lands beside the question that asked for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sar_service.i18n.text import lazy_gettext as _l
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
    "mother": _l("Mother"),
    "father": _l("Father"),
    "parent": _l("Parent"),
    "carer": _l("Carer"),
    "guardian": _l("Guardian"),
    "pupil": _l("I am the pupil"),
    "other": _l("Someone else acting for the child"),
}

IDENTITY_OPTIONS = (
    (
        "upload",
        _l("Upload a photo or scan of my ID"),
        _l("For example a passport or driving licence."),
    ),
    (
        "in_person",
        _l("I will show ID at the school office"),
        _l("Bring it within the next few days."),
    ),
)

_LONG = LONG_TEXT


def _field(type_: str, d: Detail) -> Field:
    return Field(
        f"details.{type_}.{d.key}",
        # Lazy: the same English words are the catalogue's ids (i18n.known_messages).
        _l(d.question if d.required else f"{d.question} (optional)"),
        d.kind,
        hint=_l(d.hint) if d.hint else "",
        max_length=d.max_length,
        optional=not d.required,
    )


def _detail_steps() -> tuple[Step, ...]:
    """One page per right that needs details, in the order of ``REQUEST_TYPES``."""
    return tuple(
        Step(
            slug=t.name.replace("_", "-"),
            title=_l(t.details_title),
            fields=tuple(_field(t.name, d) for d in t.details),
            summary=_l(t.parent_label),
            types=frozenset({t.name}),
        )
        for t in REQUEST_TYPES.values()
        if t.details
    )


STEPS: tuple[Step, ...] = (
    Step(
        "what",
        _l("What would you like to do?"),
        (
            Field(
                "story",
                _l("Tell us in your own words"),
                "textarea",
                hint=_l(
                    "For example: \u201cI want to see what you have on my son\u201d or "
                    "\u201chis date of birth is wrong\u201d. You can also ask a question, like "
                    "\u201cwho do you share data with?\u201d"
                ),
                max_length=_LONG,
                optional=True,
            ),
        ),
        summary=_l("In your own words"),
    ),
    Step(
        "types",
        _l("What do you want the school to do?"),
        (
            Field(
                "types",
                _l("What do you want the school to do?"),
                "checkboxes",
                hint=_l("Choose all that apply."),
            ),
        ),
        summary=_l("What you want"),
    ),
    Step(
        "relationship",
        _l("How are you related to the child?"),
        (
            Field(
                "requester.relationship",
                _l("How are you related to the child?"),
                "radios",
                options=tuple((k, v, "") for k, v in RELATIONSHIP_LABELS.items()),
            ),
        ),
        summary=_l("Relationship"),
    ),
    Step(
        "child",
        _l("What is the child\u2019s name?"),
        (
            Field("subject.name", _l("Full name"), autocomplete="off"),
            Field(
                "subject.year_group",
                _l("Year group (optional)"),
                hint=_l("For example, Year 6"),
                max_length=30,
                optional=True,
            ),
        ),
        summary=_l("Child\u2019s name"),
    ),
    Step(
        "dob",
        _l("What is the child\u2019s date of birth?"),
        (
            Field(
                "subject.date_of_birth",
                _l("Date of birth"),
                "date",
                hint=_l("For example, 27 3 2014"),
            ),
        ),
        summary=_l("Date of birth"),
    ),
    Step(
        "your-name",
        _l("What is your full name?"),
        (Field("requester.name", _l("Your full name"), autocomplete="name"),),
        summary=_l("Your name"),
    ),
    Step(
        "contact",
        _l("How can we contact you?"),
        (
            Field(
                "requester.email",
                _l("Email address"),
                "email",
                hint=_l("We will send your reference and a link to follow your request."),
                max_length=254,
                autocomplete="email",
                optional=True,
            ),
            Field(
                "requester.phone",
                _l("Phone number"),
                "tel",
                max_length=40,
                autocomplete="tel",
                optional=True,
            ),
            Field(
                "requester.address",
                _l("Postal address"),
                "textarea",
                max_length=500,
                autocomplete="street-address",
                optional=True,
            ),
        ),
        summary=_l("Contact details"),
        intro=_l(
            "Give us at least one. If you do not give an email address, we will phone you "
            "or write to you."
        ),
    ),
    *_detail_steps(),
    Step(
        "identity",
        _l("How will you prove who you are?"),
        (
            Field(
                "identity.method",
                _l("How will you prove who you are?"),
                "radios",
                options=IDENTITY_OPTIONS,
            ),
            Field(
                "identity.file",
                _l("Upload your ID (if you chose to upload)"),
                "file",
                hint=_l("A PDF, JPEG, PNG, HEIC photo or Word file, smaller than 10MB."),
                optional=True,
            ),
        ),
        summary=_l("Proof of identity"),
        intro=_l("We need to be sure we are giving information to the right person."),
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
