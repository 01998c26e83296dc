"""Scoring the parser on the notice corpus: is each notice fully right?

"Fully right" means, for categories, purposes and recipients: the count, the
first item and the last item match, and the school's name is found. Items are
compared on the notice's own wording, ignoring case, a leading "to", a
trailing "; and"/"." and spacing.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

from sar_service.notices.parser import parse_notice
from sar_service.notices.reader import read_notice

CORPUS = Path(__file__).resolve().parents[1] / "fixtures" / "notices" / "corpus"
# Typed by hand (not generated), as copied out of real notices' layouts: the DfE 2023
# template with tab-indented items, and a trust's web page pasted as text.
HANDWRITTEN = CORPUS.parent / "handwritten"
KINDS = ("categories", "purposes", "recipients")


@cache
def expectations() -> dict[str, dict]:
    out = {}
    for folder in (CORPUS, HANDWRITTEN):
        out |= json.loads((folder / "expectations.json").read_text(encoding="utf-8"))
    return out


def path_of(name: str) -> Path:
    return CORPUS / name if (CORPUS / name).exists() else HANDWRITTEN / name


@cache
def parsed(name: str) -> dict:
    path = path_of(name)
    return parse_notice(read_notice(path.read_bytes(), path.name))


def norm(text: str) -> str:
    text = " ".join(text.lower().replace("\u2019", "'").split())
    text = re.sub(r"^(?:in order )?to\s+", "", text)
    return re.sub(r"(?:\s*[;,.]|\s+and)+$", "", text).strip()


def same_item(found: str, expected: str) -> bool:
    """The same item; a table row may carry its other cells after " – " (kept as said)."""
    found, expected = norm(found), norm(expected)
    return found == expected or found.startswith(expected + " – ")


def problems(name: str) -> list[str]:
    """What is wrong with one notice's import (empty: fully right)."""
    want, got = expectations()[name], parsed(name)
    out = []
    for kind in KINDS:
        items = [item["text"] for item in got[kind]]
        expect = want[kind]
        if len(items) != expect["count"]:
            out.append(f"{kind}: {len(items)} items, expected {expect['count']}: {items}")
            continue
        for end, item in (("first", items[0]), ("last", items[-1])):
            if not same_item(item, expect[end]):
                out.append(f"{kind} {end}: {item!r}, expected {expect[end]!r}")
    if got["school_name"] != want["school_name"]:
        out.append(f"school_name: {got['school_name']!r}, expected {want['school_name']!r}")
    if "lawful_bases" in want:
        bases = [b["basis"] for b in got["lawful_bases"]]
        if bases != want["lawful_bases"]:
            out.append(f"lawful_bases: {bases}, expected {want['lawful_bases']}")
    return out


def score() -> tuple[float, dict[str, list[str]]]:
    """Share of notices fully right, and the problems of the others."""
    failures = {name: p for name in expectations() if (p := problems(name))}
    return 1 - len(failures) / len(expectations()), failures


if __name__ == "__main__":
    share, failures = score()
    for name, found in failures.items():
        print(name)
        for problem in found:
            print("   ", problem[:400])
    print(f"corpus: {share:.0%} of {len(expectations())} notices fully right")
