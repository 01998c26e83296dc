"""Benchmark redaction suggestions: a 2,000-name school roll against a 50,000-character document.

Not a test: it prints figures. The first call builds and compiles the roll's name pattern;
later calls reuse it. Target: under 100 ms per warm call.

    .venv/bin/python bench/redaction.py
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sar_service.records.redaction import Person, suggest_redactions  # noqa: E402

FIRSTS = ["Oliver", "Amelia", "Jake", "Zoë", "Alfie", "Evie", "Yusuf", "Maja", "Kacper", "Siobhan"]
FILLER = ("the", "class", "went", "to", "the", "hall", "after", "lunch", "and", "read")


def synthetic_roll(rng: random.Random, size: int = 2000) -> list[Person]:
    lasts = [f"Surname{i}" for i in range(400)] + ["Bennett", "Okafor", "O'Neill", "Smith-Jones"]
    roles = ["pupil", "parent", "staff"]
    return [
        Person(f"{rng.choice(FIRSTS)} {rng.choice(lasts)}", rng.choice(roles)) for _ in range(size)
    ]


def synthetic_text(rng: random.Random, roll: list[Person], chars: int = 50_000) -> str:
    words: list[str] = []
    size = 0
    while size < chars:
        words.append(rng.choice(roll).name if rng.random() < 0.02 else rng.choice(FILLER))
        size += len(words[-1]) + 1
    return " ".join(words)


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main() -> None:
    rng = random.Random(7)
    roll = synthetic_roll(rng)
    text = synthetic_text(rng, roll)
    keep = ["Oliver Bennett"]
    cold = timed(lambda: suggest_redactions(text, roll, keep))
    warm = sorted(timed(lambda: suggest_redactions(text, roll, keep)) for _ in range(5))
    found = len(suggest_redactions(text, roll, keep))
    print(f"roll {len(roll):,} names, document {len(text):,} chars, {found:,} suggestions")
    print(f"first call {cold * 1000:.0f} ms (builds and compiles the roll pattern)")
    best, median = warm[0] * 1000, warm[2] * 1000
    print(f"warm calls: best {best:.0f} ms, median {median:.0f} ms (target < 100)")


if __name__ == "__main__":
    main()
