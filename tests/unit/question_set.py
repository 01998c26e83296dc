"""Scoring the question answering on tests/fixtures/notices/questions.yaml.

A question is right when it is answered from the expected section (by its
heading), routed to the expected request type, or, for "none", not answered.
``python tests/unit/question_set.py`` prints the accuracy and the misses.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from sar_service.intake.knowledge import respond_to
from tests.unit.notice_corpus import parsed

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "notices"


@cache
def question_set() -> dict:
    return yaml.safe_load((FIXTURES / "questions.yaml").read_text(encoding="utf-8"))


def cases(part: str = "questions") -> list[tuple[str, str, str]]:
    """The question set ("questions") or the later, untuned "held_out" questions."""
    data = question_set()
    return [(data["notices"][n], q, expect) for n, q, expect in data.get(part) or []]


def verdict(notice_name: str, question: str, expect: str | None) -> tuple[bool, str]:
    """(right?, what happened) for one question."""
    got = respond_to(parsed(notice_name), question)
    headings = question_set()["headings"]
    if expect is None or expect == "none":
        ok = got["intent"] == "question" and not got["answered"]
    elif expect.startswith("intent:"):
        ok = got["intent"] == expect.removeprefix("intent:")
    else:
        ok = got["intent"] == "question" and got["answered"] and got["section"] == headings[expect]
    said = got["intent"] if got["intent"] != "question" else (got["section"] or "no answer")
    return ok, said


def accuracy(part: str = "questions") -> tuple[float, list[str]]:
    misses = []
    all_cases = cases(part)
    for notice_name, question, expect in all_cases:
        ok, said = verdict(notice_name, question, expect)
        if not ok:
            misses.append(f"{question!r}: expected {expect}, got {said}")
    return 1 - len(misses) / len(all_cases), misses


if __name__ == "__main__":
    for part in ("questions", "held_out", "held_out_2"):
        share, missed = accuracy(part)
        for miss in missed:
            print("  ", miss)
        print(f"{part}: {share:.1%} of {len(cases(part))} right")
