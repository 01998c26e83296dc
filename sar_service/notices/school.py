"""The school's name and the web addresses a notice gives.

Apart from the section and sentence work because neither needs the notice's
structure: the name is the first school-like name ("St Anne's Catholic Primary
School") in the headings, else in the text; the URLs are every web address,
once each, in order (the bot links to the ICO's).
"""

from __future__ import annotations

import re

_URL = re.compile(r"https?://[^\s<>()\"']+|www\.[^\s<>()\"']+")
_SCHOOL = re.compile(
    r"\b((?:[A-Z][\w'.&-]*\s+|of\s+|and\s+|the\s+){1,7}?(?:School|Academy|College"
    r"|(?:Academy |Learning |Education(?:al)? |Schools )?Trust|Federation))\b"
)
_SCHOOL_TYPE = re.compile(
    r"\b(?:primary|infant|junior|secondary|high|grammar|middle|nursery|special|church|c of e|ce"
    r"|catholic|community|first|academy|college)\b(?!$)|\b(?:academy|college|trust|federation)$",
    re.I,
)
_NOT_SCHOOL = {"the", "our", "your", "this", "a", "an", "welcome", "to", "at", "privacy", "notice"}


_GENERIC = {
    "school",
    "schools",
    "primary",
    "secondary",
    "previous",
    "new",
    "other",
    "each",
    "every",
    "any",
    "state",
    "independent",
    "special",
    "high",
    "the",
    "another",
    "multi",
}


def school_name(headings: list[str], texts: list[str]) -> str | None:
    """The first "X Primary School" / "X Academy" / "X Trust"-like name, headings first.

    In a heading a plain "Greenacre School" counts too; in running text only a
    name with a kind of school in it, so "the school" never becomes a name.
    """
    headings = [h.title() if h.isupper() else h for h in headings]
    for in_heading, text in [(True, h) for h in headings] + [(False, t) for t in texts]:
        for match in _SCHOOL.finditer(text):
            words = match[1].split()
            while words and words[0].lower() in _NOT_SCHOOL:
                words.pop(0)
            plain = in_heading and len(words) >= 2 and words[0].lower() not in _GENERIC
            if len(words) >= 2 and (plain or _SCHOOL_TYPE.search(" ".join(words))):
                return " ".join(words)
    return None


def urls(text: str) -> list[str]:
    found = [u.rstrip(".,;:") for u in _URL.findall(text)]
    return list(dict.fromkeys(found))
