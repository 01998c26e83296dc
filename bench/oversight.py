"""Benchmark the oversight pages on PostgreSQL with 50,000 cases over 20 schools.

Not a test: it prints figures. It seeds the same data as ``bench/queue_pages.py``
(its own database), then gives the answered cases a response date and some a
language other than English, clarification pauses and extensions, signs in a
DPO of all 20 schools, and times through the Flask test client:

* the dashboard (all schools, one school, different periods) and a page of the
  register — target p95 <= 150 ms with a constant number of SQL statements;
* the governors' report (.docx and PDF) — target < 2 s;
* the whole register as CSV (every line; shown for information).

    .venv/bin/python bench/oversight.py [--cases N] [--requests N]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import text  # noqa: E402

from bench.queue_pages import (  # noqa: E402
    SCHOOLS,
    fresh_app,
    report,
    seed,
    sign_in,
)

#: Answered cases: sent 10..44 days after receipt (some late), in a few languages.
ENRICH = (
    "UPDATE cases SET responded_on = received_on + (10 + id % 35), "
    "closed_at = CASE WHEN status = 'closed' THEN updated_at END, "
    "outcome = CASE WHEN status = 'closed' THEN 'closed' ELSE '' END "
    "WHERE status IN ('responded', 'closed')",
    "UPDATE cases SET language = (ARRAY['en','en','en','en','pl','ur','ro','ar'])[1 + id % 8]",
    "UPDATE cases SET extended = true, due_date = due_date + 61 WHERE id % 23 = 0",
    'INSERT INTO clock_events (case_id, kind, "on", created_at) '
    "SELECT id, 'clarification_requested', received_on + 2, now() FROM cases WHERE id % 17 = 0",
    "ANALYZE",
)


def measure(app, client, urls: list[str]) -> tuple[list[float], list[int]]:
    """Wall-clock ms and SQL statements per page (as bench/queue_pages.py), and this
    process's CPU ms per page: the app's own cost, apart from waiting for PostgreSQL —
    the figure that shared, overloaded machines distort least."""
    from bench.queue_pages import measure as timed_pages

    cpu = time.process_time()
    timings, counted = timed_pages(app, client, urls)
    measure.cpu_ms = (time.process_time() - cpu) * 1000 / max(1, len(urls))
    return timings, counted


def timed(client, url: str, runs: int) -> tuple[float, float, int]:
    """(median ms, max ms, bytes) over ``runs`` downloads."""
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        size = len(response.get_data())
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    times.sort()
    return times[len(times) // 2], times[-1], size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--database", default="wt_oversight_bench")
    args = parser.parse_args()
    print(f"load average before: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    app = fresh_app(args.admin_url, args.database)
    if app is None:
        return
    engine = app.extensions["sar.db"].engine
    today = date.today()
    started = time.perf_counter()
    secret = seed(engine, args.cases, today)
    with engine.begin() as conn:
        for sql in ENRICH:
            conn.execute(text(sql))
    print(
        f"seeded {args.cases:,} cases over {SCHOOLS} schools in "
        f"{time.perf_counter() - started:.1f} s ({engine.url.render_as_string(hide_password=True)})"
    )

    client = app.test_client()
    sign_in(app, client, secret)
    rnd = random.Random(11)
    n = args.requests

    def period() -> str:
        start = today - timedelta(days=rnd.randint(90, 400))
        return f"from={start.isoformat()}&to={today.isoformat()}"

    pages = {
        "dashboard, all 20 schools, 12 months": ["/staff/dashboard"] * n,
        "dashboard, one school, random period": [
            f"/staff/dashboard?school=school-{rnd.randint(1, SCHOOLS):02d}&{period()}"
            for _ in range(n)
        ],
        "dashboard, all schools, random period": [f"/staff/dashboard?{period()}" for _ in range(n)],
        "register, page 1 (50 lines)": ["/staff/register"] * n,
        "register, random page": [f"/staff/register?page={rnd.randint(1, 1000)}" for _ in range(n)],
        "stats API equivalent (HTML report)": [f"/staff/reports?{period()}" for _ in range(n // 4)],
    }
    for label, urls in pages.items():
        measure(app, client, urls[:10])  # warm caches and the connection pool
        report(label, *measure(app, client, urls))
        print(f"{'':<38} app CPU per page {measure.cpu_ms:6.1f} ms")
    for fmt in ("docx", "pdf"):
        median, worst, size = timed(client, f"/staff/reports/governors.{fmt}", 10)
        print(
            f"governors' report .{fmt:<5} (all schools, 12 months)  median={median:6.1f} ms  "
            f"max={worst:6.1f} ms  size={size:,} bytes  (target < 2000 ms)"
        )
    median, worst, size = timed(client, "/staff/register.csv", 3)
    print(
        f"register.csv, every line ({args.cases:,})         median={median:7.1f} ms  "
        f"max={worst:7.1f} ms  size={size:,} bytes"
    )
    print(f"load average after: {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    engine.dispose()


if __name__ == "__main__":
    main()
