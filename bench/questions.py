"""Benchmark answering parents' questions from a privacy notice (the conversation and the API).

Not a test: it prints figures. Each of the question set's questions
(tests/fixtures/notices/questions.yaml) is answered against its notice,
as ``knowledge.respond_to`` does for the conversation and the public endpoint:
understanding the intent, retrieval over the notice's passages, and the
answer. The first call per notice builds its index (shown separately); the
p95 is over warm calls. Target: p95 under 50 ms.

    PYTHONPATH=. .venv/bin/python bench/questions.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sar_service.intake.knowledge import respond_to  # noqa: E402
from sar_service.notices import retrieval  # noqa: E402
from tests.unit.notice_corpus import parsed  # noqa: E402
from tests.unit.question_set import cases  # noqa: E402

ROUNDS = 20


def main() -> None:
    questions = cases()
    cold = []
    for name in sorted({n for n, _, _ in questions}):
        notice = parsed(name)
        started = time.perf_counter()
        retrieval.build(notice)
        cold.append((time.perf_counter() - started) * 1000)
    timings = []
    for _ in range(ROUNDS):
        for name, question, _ in questions:
            notice = parsed(name)
            started = time.perf_counter()
            respond_to(notice, question)
            timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95)]
    print(f"index build (first question per notice): {max(cold):.1f} ms at most")
    print(
        f"{len(timings)} answers: median {statistics.median(timings):.2f} ms, "
        f"p95 {p95:.2f} ms, max {timings[-1]:.2f} ms (target p95 < 50 ms)"
    )


if __name__ == "__main__":
    main()
