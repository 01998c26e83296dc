"""Working out what a parent wants from what they typed.

Deliberately simple and predictable: phrase patterns per right, checked in
plain Python. The parent always confirms (or corrects) what we understood, and
the buttons are there when we understand nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sar_service.intake import rights
from sar_service.intake.asking import asks_about
from workflows.request_types import REQUEST_TYPES

#: type -> phrase patterns, from each RequestType's ``keywords``.
PATTERNS: dict[str, tuple[str, ...]] = {
    t.name: t.keywords for t in REQUEST_TYPES.values() if t.keywords
}

_PHOTO = re.compile(r"\b(?:photos?|photographs?|pictures?|images?|videos?)\b")
_QUESTION_START = re.compile(
    r"^(?:who|what|why|how|where|when|which|do|does|did|is|are|can|could|will|would|should)\b"
)


@dataclass
class Understanding:
    """What we think the parent wants, and why, to show back to them."""

    types: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    is_question: bool = False

    @property
    def understood(self) -> bool:
        return bool(self.types)


def _normalise(text: str) -> str:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", text).strip()


def _matches(type_: str, text: str) -> bool:
    return any(re.search(p, text) for p in PATTERNS[type_])


def understand(text: str, offers_educational_record: bool = True) -> Understanding:
    """Map free text to request types (ordered as the rights list), with notes to show."""
    text = _normalise(text or "")
    result = Understanding()
    if not text:
        return result
    found = {t for t in PATTERNS if _matches(t, text)}
    for t in list(found):
        found -= set(REQUEST_TYPES[t].supersedes)
    if "complaint" in found and "rectification" in found and not _matches_strong_fix(text):
        found.discard("rectification")
    if _PHOTO.search(text) and found & {"erasure", "objection"}:
        found |= {"erasure", "withdraw_consent"}
        found.discard("objection")
        result.notes.append(rights.PHOTO_NOTE)
    if "educational_record" in found and not offers_educational_record:
        found.discard("educational_record")
        found.add("access")
        result.notes.append(rights.NOT_MAINTAINED_NOTE)
    if "educational_record" in found and "access" in found and not _asks_everything(text):
        found.discard("access")
    result.types = [t for t in rights.RIGHTS if t in found]
    # "How do I complain?" asks about a right: it is answered, not started (see asking).
    result.is_question = asks_about(text) or (not result.types and _looks_like_question(text))
    return result


def _matches_strong_fix(text: str) -> bool:
    return bool(re.search(r"\b(?:wrong|incorrect|inaccurate|misspel\w*|spelt)\b", text))


def _asks_everything(text: str) -> bool:
    return bool(re.search(r"\b(?:everything|all (?:the )?(?:info|information|data))\b", text))


def _looks_like_question(text: str) -> bool:
    return text.endswith("?") or bool(_QUESTION_START.match(text))
