"""Benchmark the staff queue and case page on PostgreSQL with 50,000 cases over 20 schools.

Not a test: it prints figures. It (re)creates its own database, bulk-inserts the
cases with SQLAlchemy Core, signs a DPO of all 20 schools in through the real
forms (password + TOTP), then times pages through the Flask test client and
counts the SQL statements each page runs. Target: p95 <= 100 ms per page.

    .venv/bin/python bench/queue_pages.py [--cases N] [--requests N] [--no-trigram]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pyotp  # noqa: E402
from sqlalchemy import create_engine, event, insert, text  # noqa: E402
from sqlalchemy.exc import OperationalError  # noqa: E402

from sar_service import search_indexes  # noqa: E402
from sar_service.app import create_app  # noqa: E402
from sar_service.auth.passwords import hash_password  # noqa: E402
from sar_service.config import Settings  # noqa: E402
from sar_service.db import Base  # noqa: E402
from sar_service.models import (  # noqa: E402
    Case,
    CaseEvent,
    CaseType,
    ClockEvent,
    Membership,
    School,
    User,
)
from workflows.deadlines import add_months  # noqa: E402

SCHOOLS = 20
STATUSES = (
    ["received"] * 3 + ["awaiting_identity"] * 2 + ["in_progress"] * 5 + ["review"] * 2
    + ["awaiting_signoff", "awaiting_clarification", "responded"] + ["closed"] * 8
    + ["refused", "withdrawn"]
)  # fmt: skip
TYPES = ["access"] * 6 + ["educational_record", "rectification", "erasure", "objection"]
FIRST = ["Amelia", "Oliver", "Isla", "Noah", "Ava", "Leo", "Mia", "Arlo", "Ivy", "Theo"]
LAST = ["Hart", "Khan", "Patel", "Smith", "Jones", "Brown", "Nowak", "Okafor", "Evans", "Reed"]
PASSWORD = "benchmark passphrase"


def fresh_app(admin_url: str, name: str):
    """An app on a new, empty PostgreSQL database ``name`` with the schema; None (and a line
    saying why) when there is no PostgreSQL to bench on."""
    try:
        url = recreate_database(admin_url, name)
    except OperationalError as exc:
        print(f"skipped: this benchmark needs PostgreSQL at {admin_url} ({exc.orig})")
        return None
    settings = Settings.from_env(
        {"SAR_INSTANCE_DIR": tempfile.mkdtemp(prefix="sar-bench-"), "DATABASE_URL": url,
         "SECRET_KEY": "bench", "REDIS_URL": "redis://127.0.0.1:1/0"}
    )  # fmt: skip
    app = create_app({"TESTING": True}, settings=settings)
    Base.metadata.create_all(app.extensions["sar.db"].engine)
    return app


def recreate_database(admin_url: str, name: str) -> str:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return admin_url.rsplit("/", 1)[0] + "/" + name


def seed(engine, n_cases: int, today: date) -> str:
    """Schools, one DPO of all of them, and ``n_cases`` cases with types, clocks and events."""
    rnd = random.Random(42)
    now = datetime.now(UTC)
    secret = pyotp.random_base32()
    with engine.begin() as conn:
        conn.execute(
            insert(School),
            [
                {"id": i, "slug": f"school-{i:02d}", "name": f"School {i:02d}",
                 "kind": "maintained" if i % 2 else "academy", "settings": {},
                 "created_at": now, "reference_prefix": "SAR", "retention_years": 6}
                for i in range(1, SCHOOLS + 1)
            ],
        )  # fmt: skip
        conn.execute(
            insert(User),
            [{"id": 1, "email": "dpo@bench.example", "name": "Bench DPO", "is_active": True,
              "password_hash": hash_password(PASSWORD), "totp_secret": secret,
              "failed_logins": 0, "session_epoch": 0, "created_at": now}],
        )  # fmt: skip
        conn.execute(
            insert(Membership),
            [{"user_id": 1, "school_id": i, "role": "dpo"} for i in range(1, SCHOOLS + 1)],
        )
        cases, types, events, clocks = [], [], [], []
        counters: dict[int, int] = {}
        for case_id in range(1, n_cases + 1):
            school = rnd.randint(1, SCHOOLS)
            counters[school] = counters.get(school, 0) + 1
            received = today - timedelta(days=rnd.randint(0, 420))
            kinds = sorted({rnd.choice(TYPES) for _ in range(rnd.choice((1, 1, 1, 2)))})
            if school % 2 == 0 and "educational_record" in kinds:
                kinds = ["access"]
            status = rnd.choice(STATUSES)
            due = add_months(received, 1)
            sd_due = received + timedelta(days=21) if "educational_record" in kinds else None
            name = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
            cases.append(
                {"id": case_id, "school_id": school,
                 "reference": f"SAR-{received.year}-{counters[school]:05d}",
                 "status": status, "channel": rnd.choice(("web", "email", "letter")),
                 "received_on": received, "requester_name": f"Parent of {name}",
                 "requester_email": f"parent{case_id}@example.com", "requester_phone": "",
                 "requester_address": "", "relationship_to_subject": "mother",
                 "subject_name": name, "subject_dob": date(2010 + case_id % 8, 1 + case_id % 12, 1),
                 "subject_year_group": "", "details": {}, "competence": {},
                 "clock_started_on": received, "due_date": due, "school_days_due_date": sd_due,
                 "next_due_date": min(d for d in (due, sd_due) if d), "extended": False,
                 "paused": status == "awaiting_clarification", "outcome": "",
                 "portal_token_epoch": 0, "version": 1, "created_at": now, "updated_at": now}
            )  # fmt: skip
            types += [{"case_id": case_id, "type": k} for k in kinds]
            events.append(
                {"case_id": case_id, "at": now, "actor_label": "System", "action": "received",
                 "to_status": "received", "effective_on": received, "reason": "Received by web",
                 "data": {}}
            )  # fmt: skip
            if status not in ("received", "awaiting_identity"):
                clocks.append({"case_id": case_id, "kind": "identity_verified", "on": received,
                               "created_at": now})  # fmt: skip
        for table, rows in ((Case, cases), (CaseType, types), (CaseEvent, events),
                            (ClockEvent, clocks)):  # fmt: skip
            for start in range(0, len(rows), 5000):
                conn.execute(insert(table), rows[start : start + 5000])
        for table in ("schools", "users", "memberships", "cases", "case_types", "case_events",
                      "clock_events"):  # fmt: skip
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                              f"(SELECT max(id) FROM {table}))"))  # fmt: skip
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))  # as autovacuum would have done by now
    return secret


def add_trigram_indexes(engine) -> None:
    """What migration 0002 adds on PostgreSQL: GIN trigram indexes for free-text search."""
    with engine.begin() as conn:
        search_indexes.create(conn)
        conn.execute(text("ANALYZE cases"))


def sign_in(app, client, secret: str) -> None:
    def token() -> str:
        html = client.get("/staff/sign-in").text
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    form = {"email": "dpo@bench.example", "password": PASSWORD, "csrf_token": token()}
    assert client.post("/staff/sign-in", data=form).status_code == 302
    code = {"code": pyotp.TOTP(secret).now(), "csrf_token": token()}
    assert client.post("/staff/sign-in/code", data=code).status_code == 302
    assert client.get("/staff/queue").status_code == 200


def measure(app, client, urls: list[str]) -> tuple[list[float], list[int]]:
    engine = app.extensions["sar.db"].engine
    counted: list[int] = []
    current = [0]

    def _count(*_args):
        current[0] += 1

    event.listen(engine, "before_cursor_execute", _count)
    timings = []
    try:
        for url in urls:
            current[0] = 0
            start = time.perf_counter()
            response = client.get(url)
            response.get_data()
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
            counted.append(current[0])
    finally:
        event.remove(engine, "before_cursor_execute", _count)
    return timings, counted


def report(label: str, timings: list[float], counted: list[int]) -> None:
    cuts = statistics.quantiles(timings, n=100)
    queries = sorted(set(counted))
    print(
        f"{label:<38} n={len(timings):<4} p50={cuts[49]:6.1f} ms  p95={cuts[94]:6.1f} ms  "
        f"max={max(timings):6.1f} ms  SQL per page={'/'.join(map(str, queries))}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument(
        "--admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--database", default="sar_bench")
    parser.add_argument(
        "--no-trigram",
        action="store_true",
        help="leave out migration 0002's pg_trgm search indexes, to see what they are worth",
    )
    args = parser.parse_args()

    app = fresh_app(args.admin_url, args.database)
    if app is None:
        return
    engine = app.extensions["sar.db"].engine
    today = date.today()
    started = time.perf_counter()
    secret = seed(engine, args.cases, today)
    if not args.no_trigram:
        add_trigram_indexes(engine)
    where = engine.url.render_as_string(hide_password=True)
    print(f"seeded {args.cases:,} cases over {SCHOOLS} schools in "
          f"{time.perf_counter() - started:.1f} s ({where})")  # fmt: skip

    client = app.test_client()
    sign_in(app, client, secret)
    rnd = random.Random(7)
    n = args.requests
    with engine.connect() as conn:
        refs = conn.execute(
            text("SELECT s.slug, c.reference FROM cases c JOIN schools s ON s.id = c.school_id "
                 "ORDER BY random() LIMIT :n"), {"n": n}
        ).all()  # fmt: skip
    pages = {
        "queue, page 1 (25, open, by due)": ["/staff/queue"] * n,
        "queue, random page of 100": [
            f"/staff/queue?per_page=100&page={rnd.randint(1, 150)}" for _ in range(n)
        ],
        "queue, filtered (school+type+overdue)": [
            f"/staff/queue?school=school-{rnd.randint(1, SCHOOLS):02d}&type=access&overdue=yes"
            for _ in range(n)
        ],
        "queue, search by child's name": [
            f"/staff/queue?q={rnd.choice(FIRST)}+{rnd.choice(LAST)}" for _ in range(n)
        ],
        "case page": [f"/staff/cases/{slug}/{ref}" for slug, ref in refs],
    }
    for label, urls in pages.items():
        measure(app, client, urls[:10])  # warm caches and the connection pool
        report(label, *measure(app, client, urls))
    engine.dispose()


if __name__ == "__main__":
    main()
