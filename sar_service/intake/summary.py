"""Answers in words: the "check your answers" rows and the chat's echo of each answer."""

from __future__ import annotations

from datetime import date
from typing import Any

from sar_service.intake import flow, rights
from workflows.calendars import short_date


def _field_value(f: flow.Field, answers: dict[str, Any]) -> str:
    value = answers.get(f.name)
    if f.kind == "checkboxes":
        return "\n".join(rights.label(t) for t in flow.chosen_types(answers))
    if f.kind == "radios":
        return next((o[1] for o in f.options if o[0] == value), "")
    if f.kind == "date":
        try:
            return short_date(date.fromisoformat(str(value or "")))
        except ValueError:
            return ""
    if f.kind == "file":
        upload = answers.get("identity.upload")
        if answers.get("identity.method") == "upload" and isinstance(upload, dict):
            return f"File: {upload.get('original_name', 'uploaded')}"
        return ""
    return str(value or "")


def display(step: flow.Step, answers: dict[str, Any]) -> str:
    """One step's answers as plain text lines (labels added when a page has several)."""
    lines = []
    several = len([f for f in step.fields if f.kind != "file"]) > 1
    for f in step.fields:
        text = _field_value(f, answers)
        if not text:
            continue
        if several and f.kind != "file":
            text = f"{f.label.replace(' (optional)', '')}: {text}"
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
                "label": step.summary or step.title,
                "value": display(step, answers) or "Not given",
            }
        )
    return out
