"""Benchmark the sweep over 100,000 open cases: seconds, peak memory, notifications planned.

Not a test: it prints figures. Seeds schools, staff and open cases with
SQLAlchemy Core (SQLite file by default; ``--database-url`` for PostgreSQL),
starts the bundled Redis, then times full sweeps at one moment:

1. the first sweep, which plans every reminder, escalation and chase due
   (at most ``MAX_NEW_PER_SWEEP``; the rest on the following runs);
2. further sweeps until nothing new is due (draining that backlog);
3. a steady-state sweep, which must scan every candidate and plan nothing —
   what cron runs every five minutes.

Target: each sweep at most 10 s. Peak RSS (the process's high-water mark,
seeding included) is printed after seeding and after each sweep, at the one
``--cases`` size of the run: it shows whether repeated sweeps raise it, not how
memory scales with the number of cases (compare runs of different sizes for that).

    .venv/bin/python bench/sweep.py [--cases 100000] [--database-url postgresql+psycopg://…]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select, text  # noqa: E402

from sar_service import embedded_redis  # noqa: E402
from sar_service.app import create_app  # noqa: E402
from sar_service.background import sweep  # noqa: E402
from sar_service.config import Settings  # noqa: E402
from sar_service.db import Base  # noqa: E402
from sar_service.models import (  # noqa: E402
    Case,
    CaseEvent,
    CaseType,
    Membership,
    School,
    User,
)
from sar_service.models.notification import Notification  # noqa: E402
from workflows.states import Status  # noqa: E402

AT = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # a Tuesday morning
TODAY = AT.date()
SCHOOLS, STAFF_PER_SCHOOL = 50, 4
STATUSES = [
    Status.RECEIVED,
    Status.AWAITING_IDENTITY,
    Status.IN_PROGRESS,
    Status.IN_PROGRESS,
    Status.IN_PROGRESS,
    Status.REVIEW,
    Status.AWAITING_SIGNOFF,
]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed(engine, cases: int, rng: random.Random) -> None:
    """Schools with a DPO and caseworkers; open cases due from 5 days ago to 60 days ahead."""
    with engine.begin() as conn:
        conn.execute(
            insert(School),
            [
                {"id": s, "slug": f"school-{s}", "name": f"School {s}", "settings": {}}
                for s in range(1, SCHOOLS + 1)
            ],
        )
        users, members = [], []
        for s in range(1, SCHOOLS + 1):
            for k in range(STAFF_PER_SCHOOL):
                uid = (s - 1) * STAFF_PER_SCHOOL + k + 1
                users.append({"id": uid, "email": f"u{uid}@s{s}.example", "name": f"User {uid}"})
                members.append(
                    {"user_id": uid, "school_id": s, "role": "dpo" if k == 0 else "caseworker"}
                )
        conn.execute(insert(User), users)
        conn.execute(insert(Membership), members)
        for start in range(0, cases, 10_000):
            rows, types, events = [], [], []
            for i in range(start + 1, min(start + 10_000, cases) + 1):
                school = rng.randint(1, SCHOOLS)
                due = TODAY + timedelta(days=rng.randint(-5, 60))
                received = due - timedelta(days=30)
                status = rng.choice(STATUSES)
                assignee = (
                    None
                    if rng.random() < 0.2
                    else ((school - 1) * STAFF_PER_SCHOOL + rng.randint(2, STAFF_PER_SCHOOL))
                )
                rows.append(
                    {
                        "id": i,
                        "school_id": school,
                        "reference": f"SAR-2026-{i:06d}",
                        "status": status.value,
                        "channel": "email",
                        "received_on": received,
                        "requester_name": "Parent",
                        "requester_email": f"parent{i}@example.com",
                        "relationship_to_subject": "mother",
                        "subject_name": "Child",
                        "details": {},
                        "competence": {},
                        "assignee_id": assignee,
                        "clock_started_on": received,
                        "due_date": due,
                        "next_due_date": due,
                        "extended": False,
                        "paused": False,
                    }
                )
                types.append({"case_id": i, "type": "access"})
                if status == Status.AWAITING_IDENTITY:
                    events.append(
                        {
                            "case_id": i,
                            "actor_label": "Bench",
                            "action": "request_identity",
                            "effective_on": received + timedelta(days=1),
                            "reason": "",
                            "data": {},
                        }
                    )
            conn.execute(insert(Case), rows)
            conn.execute(insert(CaseType), types)
            if events:
                conn.execute(insert(CaseEvent), events)


def timed_sweep(app, label: str) -> sweep.SweepReport:
    from sar_service.db import session

    with app.app_context():
        started = time.perf_counter()
        report = sweep.run(session(), at=AT)
        took = time.perf_counter() - started
    print(
        f"{label:<28} {took:6.2f} s   planned {len(report.planned):>6}   "
        f"peak RSS {peak_rss_mb():6.0f} MB"
    )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--database-url", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="sar-bench-sweep-"))
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
        started = time.perf_counter()
        seed(engine, args.cases, random.Random(args.seed))
        print(
            f"seeded {args.cases:,} open cases in {time.perf_counter() - started:.1f} s "
            f"({engine.dialect.name}); sweeping as of {AT.isoformat()}"
        )
        print(f"peak RSS after seeding        {peak_rss_mb():.0f} MB")
        report = timed_sweep(app, "first sweep")
        runs = 1
        while report.more_to_plan:
            runs += 1
            report = timed_sweep(app, f"sweep {runs} (backlog)")
        for n in (1, 2):
            timed_sweep(app, f"steady-state sweep {n}")
        with engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(Notification)).scalar()
            by_kind = conn.execute(
                select(Notification.kind, func.count()).group_by(Notification.kind)
            ).all()
        print(
            f"notifications planned in all: {total:,} "
            + ", ".join(f"{k} {n:,}" for k, n in sorted(by_kind))
        )
    finally:
        embedded_redis.stop(redis)


if __name__ == "__main__":
    main()
