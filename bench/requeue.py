"""Benchmark re-queueing stranded outbox rows: how long, and how many Redis entries.

Not a test: it prints figures. Seeds ``--rows`` pending outbox rows that never
reached Redis (as after an outage at commit), then times

1. the first requeue, which must hand every row to RQ (in batches of 500);
2. a second requeue after ``REQUEUE_AFTER``, with every job still waiting in
   Redis (no worker ran), which must add nothing.

Before this change one sweep re-queued at most 500 rows, and every later
sweep pushed those 500 again.

    /work/venv/bin/python bench/requeue.py [--rows 20000] [--database-url postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from redis import Redis  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from sar_service import embedded_redis  # noqa: E402
from sar_service.app import create_app  # noqa: E402
from sar_service.background import outbox, queues, sweep  # noqa: E402
from sar_service.config import Settings  # noqa: E402
from sar_service.db import Base, session  # noqa: E402
from sar_service.models import OutboxJob  # noqa: E402

AT = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
TASKS = ("acknowledge", "letter", "notify")


def entries(conn: Redis) -> int:
    return sum(conn.llen(f"rq:queue:{name}") for name in queues.WORKER_ORDER)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="sar-bench-requeue-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    redis = embedded_redis.start(tmp / "redis.sock", tmp / "redis")
    try:
        settings = Settings.from_env(
            {
                "SAR_INSTANCE_DIR": str(tmp),
                "DATABASE_URL": url,
                "REDIS_URL": f"unix://{tmp / 'redis.sock'}",
                "SECRET_KEY": "bench",
            }
        )
        app = create_app(settings=settings)
        engine = app.extensions["sar.db"].engine
        if url.startswith("postgresql"):
            with engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        Base.metadata.create_all(engine)
        created = AT - timedelta(minutes=1)
        with engine.begin() as conn:
            conn.execute(
                insert(OutboxJob),
                [
                    {
                        "key": f"bench:{i}",
                        "task": TASKS[i % len(TASKS)],
                        "args": {"case_id": 0},
                        "status": "pending",
                        "run_after": created,
                        "created_at": created,
                    }
                    for i in range(args.rows)
                ],
            )
        conn = Redis.from_url(f"unix://{tmp / 'redis.sock'}")
        print(f"{args.rows:,} stranded outbox rows ({engine.dialect.name})")
        for label, at in (
            ("first requeue", AT),
            ("second requeue, jobs still queued", AT + outbox.REQUEUE_AFTER + timedelta(1)),
        ):
            with app.app_context():
                report = sweep.SweepReport(at=at)
                started = time.perf_counter()
                sweep.requeue(session(), at, report)
                took = time.perf_counter() - started
            print(
                f"{label:<36} {took:6.2f} s  enqueued {len(report.enqueued):>7,}  "
                f"already queued {report.already_queued:>7,}  Redis entries {entries(conn):>7,}"
            )
    finally:
        embedded_redis.stop(redis)


if __name__ == "__main__":
    main()
