"""The conversation understands each request type and the common questions in every
supported language, from each language's phrase table. Prints the accuracy per language.

Test phrases live in ``tests/i18n/phrases/<code>.txt`` (15 or more per group), written
as parents write: missing accents, typing slips, everyday words.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from sar_service.i18n.languages import CODES
from sar_service.intake.multilingual import understand_in

PHRASES = Path(__file__).parent / "phrases"
GROUPS = (
    "access", "educational_record", "rectification", "erasure", "restriction", "objection",
    "withdraw_consent", "complaint", "question",
)  # fmt: skip
MIN_ACCURACY = 0.85
LANGUAGES = [c for c in CODES if c != "en"]


def cases(code: str) -> list[tuple[str, str]]:
    out = []
    for line in (PHRASES / f"{code}.txt").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            group, _, phrase = line.partition("|")
            out.append((group.strip(), phrase.strip()))
    return out


def understood(group: str, phrase: str, code: str) -> bool:
    got = understand_in(phrase, code)
    if group == "question":
        return got.is_question
    return group in got.types


@pytest.mark.parametrize("code", LANGUAGES)
def test_at_least_fifteen_phrases_per_group(code):
    counts = Counter(g for g, _ in cases(code))
    assert {g: counts[g] for g in GROUPS if counts[g] < 15} == {}


@pytest.mark.parametrize("code", LANGUAGES)
def test_understanding_accuracy(code, capsys):
    results: dict[str, list[bool]] = {g: [] for g in GROUPS}
    misses = []
    for group, phrase in cases(code):
        ok = understood(group, phrase, code)
        results[group].append(ok)
        if not ok:
            misses.append(f"{group}: {phrase}")
    total = sum(len(v) for v in results.values())
    right = sum(sum(v) for v in results.values())
    per_group = ", ".join(f"{g} {sum(v)}/{len(v)}" for g, v in results.items())
    with capsys.disabled():
        print(f"\n[understanding] {code}: {right}/{total} = {right / total:.0%} ({per_group})")
    assert right / total >= MIN_ACCURACY, "\n".join(misses)
    for group, oks in results.items():
        assert sum(oks) / len(oks) >= 0.7, (group, [m for m in misses if m.startswith(group)])


HELD_OUT = Path(__file__).parent / "heldout"


@pytest.mark.parametrize("code", LANGUAGES)
def test_held_out_phrases(code, capsys):
    """Phrases written after the tables were frozen (2 per group, plus small talk that
    must not be read as a request): an honest, if small, out-of-sample figure."""
    right = total = 0
    misses = []
    for line in (HELD_OUT / f"{code}.txt").read_text("utf-8").splitlines():
        group, _, phrase = line.partition("|")
        got = understand_in(phrase, code)
        ok = (not got.types) if group == "none" else understood(group, phrase, code)
        right, total = right + ok, total + 1
        if not ok:
            misses.append(f"{group}: {phrase} -> {got.types}")
    with capsys.disabled():
        print(f"\n[held-out] {code}: {right}/{total} = {right / total:.0%}; missed: {misses}")
    assert right / total >= 0.6, misses
