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

_CHILD = (
    r"(?:my|our|the|his|her|their)?\s*"
    r"(?:son|daughter|child|children|kids?|boy|girl|me|him|her|them)"
)

PATTERNS: dict[str, tuple[str, ...]] = {
    "educational_record": (
        r"\bschool reports?\b",
        r"\bend of (?:term|year) reports?\b",
        r"\bexercise books?\b",
        r"\beducation(?:al)? records?\b",
        r"\bschool work\b",
        r"\bmarks?\b.*\btests?\b",
    ),
    "access": (
        r"\bsee\b.*\b(?:info|information|data|records?|files?|what)\b",
        r"\bwhat (?:you(?:'ve| have)?|the school(?: has)?)\s*"
        r"(?:got|have|has|hold|holds|keep|keeps|know)\b",
        r"\bwhat (?:do|does) (?:you|the school) (?:have|hold|keep|know)\b.*\b" + _CHILD,
        r"\b(?:a )?copy of\b",
        r"\bsubject access\b",
        r"\bsar\b",
        r"\b(?:all|any) (?:the )?(?:info|information|data|records?)\b.*\b(?:on|about|for)\b",
        r"\bfind out what\b",
        r"\b(?:send|give|email|post)\b.*\b(?:me|us)\b.*\b(?:everything|all)\b",
        r"\baccess (?:to )?(?:my|his|her|their|the)?\s*(?:info|information|data|records?)\b",
    ),
    "rectification": (
        r"\bwrong\b",
        r"\bincorrect\b",
        r"\bmistakes?\b",
        r"\bnot (?:right|correct|accurate)\b",
        r"\binaccurate\b",
        r"\bout of date\b",
        r"\b(?:mis)?spelt\b|\bmisspelled\b|\bspelled wrong",
        r"\b(?:correct|fix|amend|update)\b",
    ),
    "erasure": (
        r"\bdelete\b",
        r"\berase\b",
        r"\bremove\b",
        r"\btake\b.*\b(?:off|down)\b",
        r"\bget rid of\b",
        r"\bdestroy\b",
        r"\bwipe\b",
        r"\bforget\b",
    ),
    "objection": (
        r"\b(?:do not|don't|dont) want (?:you|the school|them) (?:to )?us(?:e|ing)\b",
        r"\bstop (?:using|sending|sharing|processing)\b",
        r"\bobject(?:ion)?\b",
        r"\bopt(?:ing)? out\b",
        r"\bmarketing\b",
        r"\bnot (?:to )?(?:use|share)\b",
    ),
    "withdraw_consent": (
        r"\bwithdraw\w*\b.*\bconsent\b",
        r"\bno longer (?:consent|agree)\b",
        r"\b(?:take|taking) back\b.*\b(?:consent|permission)\b",
        r"\b(?:do not|don't|dont) (?:consent|agree)\b",
        r"\bwithdraw\w* (?:my )?permission\b",
    ),
    "restriction": (
        r"\brestrict\w*\b",
        r"\b(?:limit|pause|freeze)\b.*\b(?:use|using|processing)\b",
        r"\bstop using\b.*\buntil\b",
    ),
    "complaint": (
        r"\bcomplain\w*\b",
        r"\bunhappy\b",
        r"\bnot happy\b",
        r"\bbreach\b",
        r"\bleak\w*\b",
    ),
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
    if found & {"withdraw_consent", "restriction"}:
        found.discard("objection")
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
