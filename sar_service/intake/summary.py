"""Answers in words: the "check your answers" rows and the chat's echo of each answer."""

from __future__ import annotations

from datetime import date
from typing import Any

from sar_service.i18n.dates import parent_date
from sar_service.i18n.text import gettext as _
from sar_service.intake import flow, rights


def _field_value(f: flow.Field, answers: dict[str, Any]) -> str:
    value = answers.get(f.name)
    if f.kind == "checkboxes":
        return "\n".join(str(rights.label(t)) for t in flow.chosen_types(answers))
    if f.kind == "radios":
        return str(next((o[1] for o in f.options if o[0] == value), ""))
    if f.kind == "date":
        try:
            return parent_date(date.fromisoformat(str(value or "")))
        except ValueError:
            return ""
    if f.kind == "file":
        upload = answers.get("identity.upload")
        if answers.get("identity.method") == "upload" and isinstance(upload, dict):
            return _("File: %(name)s", name=upload.get("original_name", ""))
        return ""
    return str(value or "")


def _without_optional(label) -> str:
    """A field's label without its "(optional)" mark, in whichever language it is in."""
    text = str(label)
    for mark in (" (optional)", " " + _("(optional)")):
        text = text.replace(mark, "")
    return text


def display(step: flow.Step, answers: dict[str, Any]) -> str:
    """One step's answers as plain text lines (labels added when a page has several)."""
    lines = []
    several = len([f for f in step.fields if f.kind != "file"]) > 1
    for f in step.fields:
        text = _field_value(f, answers)
        if not text:
            continue
        if several and f.kind != "file":
            text = f"{_without_optional(f.label)}: {text}"
        lines.append(text)
    return "\n".join(lines)


def rows(answers: dict[str, Any]) -> list[dict[str, str]]:
    """The "check your answers" rows, each with the page that changes it."""
    out = []
    for step in flow.steps_for(answers):
        if step.slug == "what":
            continue
        out.append(
            {
                "slug": step.slug,
                "label": str(step.summary or step.title),
                "value": display(step, answers) or _("Not given"),
            }
        )
    return out
