"""Words for the codes the figures are grouped by."""

from __future__ import annotations

from sar_service.oversight.stats import DAYS_LEFT_BUCKETS, NO_DUE
from workflows.request_types import CHANNELS, REQUEST_TYPES
from workflows.states import STATUS_LABELS, Status

#: Languages requests commonly arrive in at schools in England; others show their tag.
LANGUAGES = {
    "en": "English", "pl": "Polish", "ro": "Romanian", "ur": "Urdu", "pa": "Punjabi",
    "ar": "Arabic", "bn": "Bengali", "gu": "Gujarati", "so": "Somali", "pt": "Portuguese",
    "es": "Spanish", "lt": "Lithuanian", "tr": "Turkish", "fr": "French", "cy": "Welsh",
    "uk": "Ukrainian", "ta": "Tamil", "zh": "Chinese",
}  # fmt: skip

DAYS_LEFT = {key: label for key, label, _ in DAYS_LEFT_BUCKETS} | {NO_DUE[0]: NO_DUE[1]}


def status(code: str) -> str:
    try:
        return STATUS_LABELS[Status(code)]
    except ValueError:
        return code


def request_type(code: str) -> str:
    t = REQUEST_TYPES.get(code)
    return t.label if t else code


def channel(code: str) -> str:
    return code.replace("_", " ").capitalize() if code in CHANNELS else code


def language(code: str) -> str:
    return LANGUAGES.get(code.split("-")[0].lower(), code)


def labelled(mapping: dict, name) -> list[tuple[str, int]]:
    """(label, count) for each key of ``mapping``, keeping its order."""
    return [(name(key), n) for key, n in mapping.items()]


def percent(rate: float | None) -> str:
    """0.75 → '75%'; no responses → '–'."""
    return "–" if rate is None else f"{rate * 100:.0f}%"


def days(value: float | None) -> str:
    if value is None:
        return "–"
    shown = f"{value:g}"
    return f"{shown} day{'' if value == 1 else 's'}"
