"""Benchmark: background jobs per second through one real ``sar worker`` process.

Not a test: it prints figures. Submits N parent requests through the public
API (each one queues an acknowledgement email and an acknowledgement letter),
with no worker running, so 2N jobs wait in Redis. Then starts one
``sar worker`` and times it from the moment it registers with Redis until
every outbox row is done. Also prints the median time spent inside the job's
handler (claimed → done, from the outbox rows): the difference between that
and the wall time per job is the worker's per-job overhead.

    .venv/bin/python bench/worker_jobs.py [--requests 100] [--database-url postgresql+psycopg://…]

SQLite in a temporary folder by default; mail goes to ``.eml`` files; the
bundled redis-server runs on a unix socket in the same folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from redis import Redis  # noqa: E402
from rq import Worker  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

from sar_service import embedded_redis, setup  # noqa: E402
from sar_service.app import create_app  # noqa: E402
from sar_service.config import Settings  # noqa: E402
from sar_service.db import Base, session  # noqa: E402
from sar_service.models import OutboxJob  # noqa: E402

PAYLOAD = {
    "types": ["access"],
    "requester": {
        "name": "Sarah Hart",
        "email": "sarah.hart@example.com",
        "relationship": "mother",
    },
    "subject": {"name": "Amelia Hart", "date_of_birth": "2015-05-04", "year_group": "Year 6"},
}


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def submit(app, slug: str, n: int) -> None:
    client = app.test_client()
    for i in range(n):
        # One address per request: the public API's per-address limit is not under test.
        response = client.post(
            f"/api/v1/schools/{slug}/requests",
            json=PAYLOAD,
            environ_base={"REMOTE_ADDR": f"10.1.{i // 250}.{i % 250 + 1}"},
        )
        if response.status_code != 201:
            raise SystemExit(f"submission {i} answered {response.status_code}: {response.data!r}")


def counts(app) -> tuple[int, int]:
    with app.app_context():
        s = session()
        total = s.scalar(select(func.count()).select_from(OutboxJob))
        done = s.scalar(
            select(func.count()).select_from(OutboxJob).where(OutboxJob.status == "done")
        )
        s.rollback()
        return total, done


def handler_times(app) -> dict[str, list[float]]:
    with app.app_context():
        rows = session().execute(select(OutboxJob.task, OutboxJob.claimed_at, OutboxJob.done_at))
        found: dict[str, list[float]] = {}
        for task, claimed, done in rows:
            if claimed and done:
                found.setdefault(task, []).append((done - claimed).total_seconds())
        return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sar-bench-worker-") as tmp:
        tmp = Path(tmp)
        url = args.database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
        if url.startswith("postgresql"):
            reset_postgres(url)
        redis_socket = tmp / "redis.sock"
        redis_proc = embedded_redis.start(redis_socket, tmp / "redis")
        env = {
            "SAR_INSTANCE_DIR": str(tmp),
            "DATABASE_URL": url,
            "REDIS_URL": f"unix://{redis_socket}",
            "SECRET_KEY": "bench",
        }
        worker = None
        try:
            app = create_app(settings=Settings.from_env(env))
            Base.metadata.create_all(app.extensions["sar.db"].engine)
            with app.app_context():
                setup.create_school(session(), "oakfield", "Oakfield Primary School")
                session().commit()
            started = time.perf_counter()
            submit(app, "oakfield", args.requests)
            print(f"submitted {args.requests} requests in {time.perf_counter() - started:.1f} s")
            total, _ = counts(app)

            redis = Redis(unix_socket_path=str(redis_socket))
            worker = subprocess.Popen(
                [sys.executable, "-m", "sar_service.cli", "worker"],
                cwd=ROOT,
                env=dict(os.environ, PYTHONPATH=str(ROOT), **env),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            while not Worker.count(connection=redis):
                if worker.poll() is not None:
                    raise SystemExit(f"sar worker exited with {worker.returncode}")
                time.sleep(0.01)
            t0 = time.perf_counter()
            while counts(app)[1] < total:
                if worker.poll() is not None:
                    raise SystemExit(f"sar worker exited with {worker.returncode}")
                if time.perf_counter() - t0 > 600:
                    raise SystemExit(f"not done after 600 s: {counts(app)}")
                time.sleep(0.05)
            elapsed = time.perf_counter() - t0
        finally:
            if worker is not None and worker.poll() is None:
                worker.terminate()
                worker.wait(30)
            embedded_redis.stop(redis_proc)

        backend = url.split(":", 1)[0].split("+")[0]
        print(f"one sar worker, {backend}: {total} jobs in {elapsed:.2f} s")
        print(f"  throughput:          {total / elapsed:7.1f} jobs/s")
        print(f"  wall time per job:   {elapsed / total * 1000:7.1f} ms")
        for task, times in sorted(handler_times(app).items()):
            print(
                f"  inside the handler, {task:<12} median {statistics.median(times) * 1000:6.1f} ms"
                f"  (n={len(times)})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
