"""Reading one question's answers from a form, and checking them.

Answers are always saved, even when they have errors, so a draft is never
lost to a validation error. Errors come from two places: simple checks on
this page (lengths, a real date, a file) and the shared intake rules in
``cases.validation``, filtered to this page's fields.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from werkzeug.datastructures import FileStorage, MultiDict

from sar_service import uploads
from sar_service.cases.validation import validate_request
from sar_service.i18n.text import gettext as _
from sar_service.intake import flow
from sar_service.intake.multilingual import understand_for_page
from sar_service.models import School
from workflows.request_types import REQUEST_TYPES

#: type -> the detail a parent's own words pre-fill when we recognise that right.
PREFILL_FROM_STORY = {
    t.name: f"details.{t.name}.{t.story_detail}" for t in REQUEST_TYPES.values() if t.story_detail
}


@dataclass
class Result:
    updates: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    question: str | None = None  # the parent asked something instead of answering


def read(
    step: flow.Step,
    form: MultiDict,
    files: MultiDict,
    school: School,
    answers: dict[str, Any],
    ip: str,
) -> Result:
    """Turn the posted form into answer updates and local errors."""
    result = Result()
    for f in step.fields:
        reader = _READERS.get(f.kind, _read_text)
        reader(f, form, files, school, result, ip)
    if step.slug == "what":
        _understand_story(result, school, answers)
    return result


def _label(f: flow.Field) -> str:
    return str(f.label).replace(" (optional)", "").rstrip("?")


def _read_text(f, form, files, school, result: Result, ip) -> None:
    value = (form.get(f.name) or "").replace("\r\n", "\n").strip()
    result.updates[f.name] = value
    if len(value) > f.max_length:
        result.errors[f.name] = _(
            "%(label)s must be %(limit)s characters or fewer.", label=_label(f), limit=f.max_length
        )


def _read_radios(f, form, files, school, result: Result, ip) -> None:
    value = form.get(f.name) or ""
    result.updates[f.name] = value if value in {o[0] for o in f.options} else ""


def _read_types(f, form, files, school, result: Result, ip) -> None:
    offered = {o[0] for o in flow.type_options(school.offers_educational_record)}
    chosen = [t for t in form.getlist(f.name) if t in offered]
    result.updates[f.name] = list(dict.fromkeys(chosen))
    if not chosen:
        result.errors[f.name] = _("Choose at least one thing you want the school to do.")


def _read_date(f, form, files, school, result: Result, ip) -> None:
    parts = {p: (form.get(f"{f.name}-{p}") or "").strip()[:4] for p in ("day", "month", "year")}
    for p, v in parts.items():
        result.updates[f"{f.name}-{p}"] = v
    result.updates[f.name] = ""
    if not any(parts.values()):
        result.errors[f.name] = _("Enter the child\u2019s date of birth.")
        return
    try:
        day, month, year = (int(parts[p]) for p in ("day", "month", "year"))
        if year < 1000:
            raise ValueError
        result.updates[f.name] = date(year, month, day).isoformat()
    except ValueError:
        result.errors[f.name] = _("Date of birth must be a real date, like 27 3 2014.")


def _read_file(f, form, files, school, result: Result, ip) -> None:
    upload: FileStorage | None = files.get(f.name)
    if upload is None or not upload.filename:
        return
    if result.updates.get("identity.method") != "upload":
        return
    try:
        stored = uploads.receive(upload, ip)
    except uploads.UploadError as exc:
        result.errors[f.name] = str(exc)
        return
    result.updates["identity.upload"] = asdict(stored)


_READERS = {
    "textarea": _read_text,
    "radios": _read_radios,
    "checkboxes": _read_types,
    "date": _read_date,
    "file": _read_file,
}


def _understand_story(result: Result, school: School, answers: dict[str, Any]) -> None:
    story = result.updates.get("story", "")
    if "story" in result.errors or not story:
        return
    got = understand_for_page(story, school.offers_educational_record)
    if got.is_question:
        result.question = story
        return
    result.updates["understood"] = got.types
    result.updates["understood_notes"] = got.notes
    if got.types and not flow.chosen_types(answers):
        result.updates["types"] = got.types
    for t in got.types:
        key = PREFILL_FROM_STORY.get(t)
        if key and not answers.get(key):
            result.updates[key] = story[:2000]


def errors_for(step: flow.Step, answers: dict[str, Any], school: School, today: date) -> dict:
    """The shared intake rules' errors that belong on this page."""
    return _page_errors(step, answers, _shared_errors(answers, school, today))


def _shared_errors(answers: dict[str, Any], school: School, today: date) -> dict[str, str]:
    """Every error the shared intake rules find in the whole request."""
    return validate_request(flow.payload(answers), school_kind=school.kind, today=today).errors


def _page_errors(step: flow.Step, answers: dict[str, Any], shared: dict[str, str]) -> dict:
    names = step.names()
    errors = {k: v for k, v in shared.items() if k in names}
    if step.slug == "identity":
        errors |= _identity_errors(answers)
    return errors


def _identity_errors(answers: dict[str, Any]) -> dict[str, str]:
    method = answers.get("identity.method")
    if method not in {"upload", "in_person"}:
        return {"identity.method": _("Choose how you will prove who you are.")}
    if method == "upload" and not answers.get("identity.upload"):
        return {
            "identity.file": _(
                "Choose a file to upload, or choose to show ID at the school office."
            )
        }
    return {}


def first_incomplete(answers: dict[str, Any], school: School, today: date) -> flow.Step | None:
    """The first question that still needs an answer (None: ready to check)."""
    shared = _shared_errors(answers, school, today)  # checked once, then shared out by page
    for step in flow.steps_for(answers):
        if step.slug == "what":
            continue
        if _page_errors(step, answers, shared):
            return step
    return None
