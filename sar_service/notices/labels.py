"""Tidy a found item's wording and give it a short label.

Items are de-duplicated by label, so this is where a list item and a sentence
naming the same thing become one: "the local authority (LA)" and "local
council" are both "Local authority". Text is kept in the notice's own words.
"""

from __future__ import annotations

import re

from sar_service.notices.reader import strip_emphasis

_DETERMINERS = re.compile(r"^(?:(?:the|our|your|their|its|his|her|a|an|any|all)\s+)+", re.I)
_LABEL_CUT = re.compile(
    r"\s+\((?![A-Z][A-Za-z]{1,5}\))|\s+[–—-]\s+|:\s|,?\s+such as\s|,?\s+e\.g\.|,?\s+including\s"
)
_ORGS = [
    (re.compile(rf"(?:{pattern})(?: \(\w+\))?", re.I), name)
    for pattern, name in (
        (r"local authorit(?:y|ies)|la|local council|council", "Local authority"),
        (r"department for education|dfe|department", "Department for Education (DfE)"),
        (r"ofsted", "Ofsted"),
        (r"(?:previous|last|former|old) schools?", "Previous school"),
    )
]


def clean(text: str) -> str:
    """Strip italics, bullets and a trailing "; and" / "," / "." from an item."""
    text = " ".join(strip_emphasis(text).strip(" *_").split())
    while True:
        shorter = re.sub(r"(?:\s*[;,:.]|\s+(?:and|or))$", "", text).strip()
        if shorter == text:
            return text[:1].upper() + text[1:]
        text = shorter


def short_label(text: str, kind: str) -> str:
    """A short name: the words before any brackets, dash or examples."""
    head = _LABEL_CUT.split(text, maxsplit=1)[0].strip(" ,;")
    if kind == "purposes":
        head = re.sub(r"^(?:in order )?to\s+", "", head, flags=re.I)
    if kind in ("categories", "recipients", "sources"):
        head = _DETERMINERS.sub("", head)
        if re.match(r"where (?:they|pupils|students|children) go\b", head, re.I):
            return "Destinations"
        head = re.sub(r"\s+(?:that|which|who|they|we)\s.*$", "", head)
    for rx, name in _ORGS:
        if kind in ("recipients", "sources") and rx.fullmatch(head):
            return name
    return head[:1].upper() + head[1:]


def label_key(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", _DETERMINERS.sub("", label.lower())).strip()


def _split_and(chunk: str) -> list[str]:
    """ "monitor and report on progress and provide care" -> two parts: a one-word side
    ("monitor", "name and address") stays joined to its neighbour."""
    pieces = re.split(r"\s+(and|or)\s+", chunk)
    out, buffer = [], pieces[0]
    for joiner, piece in zip(pieces[1::2], pieces[2::2], strict=True):
        if len(buffer.split()) < 2 or len(piece.split()) < 2:
            buffer = f"{buffer} {joiner} {piece}"
        else:
            out.append(buffer)
            buffer = piece
    return [*out, buffer]


def split_list(text: str) -> list[str]:
    """Split "a, b and c d as well as e" into its parts, never inside brackets."""
    saved: list[str] = []

    def hide(match: re.Match[str]) -> str:
        saved.append(match[0])
        return f"\x00{len(saved) - 1}\x00"

    masked = re.sub(r"\([^()]*\)", hide, re.sub(r"\s+and\s*/\s*or\s+", " and/or ", text))
    parts: list[str] = []
    for chunk in re.split(r"\s*[,;]\s*|\s+(?:as well as|and/or)\s+", masked):
        chunk = re.sub(r"^(?:and|or)\s+", "", chunk.strip())
        parts += _split_and(chunk)
    restore = [re.sub(r"\x00(\d+)\x00", lambda m: saved[int(m[1])], p) for p in parts]
    return [p.strip() for p in restore if p.strip()]
