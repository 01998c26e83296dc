"""Check what staff add to a letter (outcome, reasons, withheld, who was told).

Shared by the API and the staff form, so both refuse the same things with
the same words. Returns ``(extra, errors)``; ``errors`` maps a field name
to a sentence, empty when all is well.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .build import OUTCOME_KINDS
from .context import OUTCOMES

MAX_TEXT = 5000
MAX_ITEMS = 50
OUTCOME_WORDS = {"done": "done", "partly": "partly done", "refused": "refused"}


def parse_extra(kind: str, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate the optional outcome fields for a letter of ``kind``."""
    extra: dict[str, Any] = {}
    errors: dict[str, str] = {}
    outcome = body.get("outcome")
    if outcome in (None, "") and kind in OUTCOME_KINDS:
        errors["outcome"] = "Say what the outcome was: done, partly or refused."
    elif outcome not in (None, ""):
        if outcome not in OUTCOMES:
            errors["outcome"] = "The outcome must be one of: done, partly, refused."
        else:
            extra["outcome"] = outcome
    reasons = body.get("outcome_reasons")
    if reasons not in (None, ""):
        if not isinstance(reasons, str) or len(reasons) > MAX_TEXT:
            errors["outcome_reasons"] = f"Keep the reasons to {MAX_TEXT} characters or fewer."
        elif reasons.strip():
            extra["outcome_reasons"] = reasons.strip()
    if extra.get("outcome") in {"partly", "refused"} and not extra.get("outcome_reasons"):
        errors["outcome_reasons"] = (
            "Explain what was not done and why: the letter must give the reasons."
        )
    _flags(body, extra)
    corrected = body.get("corrected")
    if corrected not in (None, ""):
        if not isinstance(corrected, str) or len(corrected) > MAX_TEXT:
            errors["corrected"] = f"Keep what was corrected to {MAX_TEXT} characters or fewer."
        elif corrected.strip():
            extra["corrected"] = corrected.strip()
    partly = kind == "rectification_outcome" and extra.get("outcome") == "partly"
    if partly and not extra.get("corrected"):
        errors["corrected"] = "Say what was corrected: the letter must tell the requester."
    reply_by = body.get("reply_by")
    if reply_by not in (None, ""):
        try:
            extra["reply_by"] = date.fromisoformat(str(reply_by))
        except ValueError:
            errors["reply_by"] = "Give the date you aim to reply by as YYYY-MM-DD."
    _list_of_text(body, "recipients_notified", extra, errors)
    _withheld(body, extra, errors)
    return extra, errors


#: Yes/no facts staff record with an outcome letter (kept in the letter's audit event).
FLAGS = ("restricted", "published", "direct_marketing")


def _flags(body: dict, extra: dict) -> None:
    for name in FLAGS:
        if body.get(name) in (True, "1", "true", "yes", "on"):
            extra[name] = True


def _list_of_text(body: dict, name: str, extra: dict, errors: dict) -> None:
    value = body.get(name)
    if value in (None, "", []):
        return
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        errors[name] = "Give a list of names (text)."
        return
    items = [item.strip() for item in value if item.strip()]
    if len(items) > MAX_ITEMS or any(len(item) > 500 for item in items):
        errors[name] = f"Give at most {MAX_ITEMS} names of 500 characters or fewer."
        return
    extra[name] = items


def _withheld(body: dict, extra: dict, errors: dict) -> None:
    value = body.get("withheld")
    if value in (None, "", []):
        return
    message = "Give 'withheld' as a list of [exemption, description] pairs of text."
    if not isinstance(value, list) or len(value) > MAX_ITEMS:
        errors["withheld"] = message
        return
    pairs = []
    for pair in value:
        ok = isinstance(pair, list | tuple) and len(pair) == 2
        if not ok or not all(isinstance(x, str) and x.strip() and len(x) <= 1000 for x in pair):
            errors["withheld"] = message
            return
        pairs.append((pair[0].strip(), pair[1].strip()))
    extra["withheld"] = pairs
