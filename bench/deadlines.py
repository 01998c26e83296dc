"""Benchmark the statutory clock: 100,000 synthetic cases on one core.

Not a test: it prints figures. The sweep recomputes every open case's due date
(explanations off); a case page computes one with explanations on. Target:
at least 50,000 cases a second without explanations.

    .venv/bin/python bench/deadlines.py [--cases N] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workflows.calendars import SchoolCalendar  # noqa: E402
from workflows.deadlines import (  # noqa: E402
    CLARIFICATION_RECEIVED,
    CLARIFICATION_REQUESTED,
    EXTENDED,
    FEE_RECEIVED,
    IDENTITY_VERIFIED,
    RECEIVED,
    ClockEvent,
    educational_record_deadline,
    statutory_deadline,
)

FIRST, LAST = date(2024, 1, 1), date(2028, 12, 31)
Case = tuple[list[ClockEvent], date]


def synthetic_case(rng: random.Random) -> Case:
    """One case: received 2024–2028, maybe ID/fee restarts, 0–3 pauses, maybe extended."""
    received = FIRST + timedelta(days=rng.randrange((LAST - FIRST).days + 1))
    events = [ClockEvent(RECEIVED, received)]
    start = received
    if rng.random() < 0.3:
        start = received + timedelta(days=rng.randint(1, 20))
        events.append(ClockEvent(IDENTITY_VERIFIED, start))
    if rng.random() < 0.05:
        start += timedelta(days=rng.randint(0, 10))
        events.append(ClockEvent(FEE_RECEIVED, start))
    day = received + timedelta(days=rng.randint(0, 5))
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
        answered = day + timedelta(days=rng.randint(0, 14))
        events.append(ClockEvent(CLARIFICATION_REQUESTED, day))
        events.append(ClockEvent(CLARIFICATION_RECEIVED, answered))
        day = answered + timedelta(days=rng.randint(1, 10))
    if rng.random() < 0.1:  # an unanswered request: counts up to "today"
        events.append(ClockEvent(CLARIFICATION_REQUESTED, day))
    if rng.random() < 0.15:
        events.append(ClockEvent(EXTENDED, start + timedelta(days=rng.randint(5, 25))))
    rng.shuffle(events)  # events may arrive in any order
    return events, day + timedelta(days=rng.randint(0, 30))


def run(label: str, cases: list[Case], compute: Callable[[Case], date]) -> float:
    """Time `compute` over every case once; print and return cases per second."""
    started = time.perf_counter()
    checksum = 0
    for case in cases:
        checksum += compute(case).toordinal()
    elapsed = time.perf_counter() - started
    rate = len(cases) / elapsed
    print(f"{label:<42} {len(cases):>8,} cases in {elapsed:6.3f} s = {rate:>10,.0f} cases/s")
    print(f"{'':<42} checksum of due dates {checksum}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=20260205)
    parser.add_argument("--profile", action="store_true", help="cProfile the no-explanation run")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    rng = random.Random(args.seed)
    cases = [synthetic_case(rng) for _ in range(args.cases)]
    events_total = sum(len(events) for events, _ in cases)
    print(f"{args.cases:,} synthetic cases, {events_total:,} clock events, one core\n")

    def quiet(case: Case) -> date:
        return statutory_deadline(case[0], as_of=case[1], explain=False).due

    def explained(case: Case) -> date:
        return statutory_deadline(case[0], as_of=case[1]).due

    quiet(cases[0])  # load this process's bank holiday cache outside the timing
    fast = run("one-month clock, explain=False", cases, quiet)
    slow = run("one-month clock, with explanations", cases, explained)

    school = SchoolCalendar(
        [(date(2026, 1, 5), date(2026, 2, 13)), (date(2026, 2, 23), date(2026, 3, 27))]
    )
    received = [date(2026, 1, 1) + timedelta(days=i % 80) for i in range(args.cases // 10)]
    run("educational record (15 school days)", [([], r) for r in received],
        lambda case: educational_record_deadline(case[1], school, explain=False).due)  # fmt: skip

    target = 50_000
    verdict = "meets" if fast >= target else "MISSES"
    print(f"\nexplain=False {verdict} the {target:,} cases/s target ({fast / slow:.1f}x faster)")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(lambda: [quiet(case) for case in cases])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(12)


if __name__ == "__main__":
    main()
