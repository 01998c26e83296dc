"""How sure the reader is of each extracted list, so staff know what to check.

A list the notice introduced in a way the reader knows ("The categories of
pupil information that we process include:", a "Who we share pupil information
with" heading) is "high". A list found only by guessing, only in sentences,
mixed from several places, or empty, is "low": the review screen marks it and
the notice is not used for letters until staff have confirmed it.
"""

from __future__ import annotations

from typing import Any

CHECKED = ("categories", "purposes", "recipients", "lawful_bases", "retention", "contacts")
_SURE = {"lead_in", "heading", "items"}
_LONG_ITEM = 300  # characters: longer is usually a heading or paragraph glued on


def confidence(parsed: dict[str, Any], origins: dict[str, list[str]]) -> dict[str, dict]:
    """{section: {"level": "high"|"low", "reason": str}} for each section staff review."""
    out = {}
    for section in CHECKED:
        out[section] = _judge(section, parsed.get(section) or [], origins.get(section, []))
    return out


def _judge(section: str, items: list, origins: list[str]) -> dict[str, str]:
    if not items:
        return _low("Nothing was found: add the items or confirm the notice has none.")
    if section in ("lawful_bases", "retention", "contacts"):
        return {"level": "high", "reason": f"Found {len(items)}."}
    texts = [i.get("text", "") if isinstance(i, dict) else str(i) for i in items]
    if any(len(t) > _LONG_ITEM for t in texts):
        return _low("An item is very long: a heading or paragraph may have been joined to it.")
    if not set(origins) & _SURE:
        return _low("Found only in sentences, not in a list: check nothing was missed.")
    if "guess" in origins:
        return _low("A list was taken to be this without a heading or introduction saying so.")
    if len(items) == 1:
        return _low("Only one item was found.")
    return {"level": "high", "reason": f"{len(items)} items from the notice's own list."}


def _low(reason: str) -> dict[str, str]:
    return {"level": "low", "reason": reason}


def unsure(parsed: dict[str, Any]) -> list[str]:
    """The sections still to be checked."""
    return [k for k, v in (parsed.get("confidence") or {}).items() if v.get("level") != "high"]
