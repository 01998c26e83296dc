"""The long-running processes: RQ worker, RQ cron scheduler, and ``sar serve``."""

from __future__ import annotations

import os
import signal
import sys

import click

from sar_service.background import cron, jobs, queues
from sar_service.private_files import write_private


def run_worker(app, burst: bool = False) -> bool:
    """An RQ worker on every named queue, jobs in this process and this app's context.

    It keeps going through Redis outages of any length (see ``sar_service.worker``).
    """
    from sar_service import worker

    jobs.bind_app(app)
    return worker.work(
        queues.connection(app),
        lambda: [queues.queue(n, app) for n in queues.QUEUE_NAMES],
        burst=burst,
    )


def run_cron(app) -> None:
    """RQ 3's cron scheduler with the schedule from ``sar_service.background.cron``.

    RQ's scheduler ends on the first Redis error; this starts it again once Redis
    answers, until it is asked to stop (its ``start`` then returns normally).
    """
    from redis.exceptions import RedisError
    from rq.cron import CronScheduler

    from sar_service import worker

    conn = queues.connection(app)
    while True:
        scheduler = CronScheduler(connection=conn)
        cron.register_all(scheduler)
        try:
            scheduler.start()
            return
        except RedisError as exc:
            click.echo(f"cron: Redis unavailable ({exc}); waiting for it", err=True)
        if not worker.wait_until_redis_answers(conn):
            return


def _demo_login(app) -> tuple[str, str | None]:
    """Seed the demo data on first run; remember the demo password in the instance folder."""
    from sar_service import demo
    from sar_service.db import session

    path = app.config["SAR_SETTINGS"].instance_dir / "demo_login.txt"
    with app.app_context():
        s = session()
        created = demo.seed_demo(s)
        s.commit()
    if created:
        write_private(path, f"{created[0]}\n{created[1]}\n")
        return created
    if path.exists():
        email, password = path.read_text().split("\n")[:2]
        return email, password
    return demo.DEMO_LOGIN, None


def _raise_keyboard_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def serve(host: str, port: int) -> None:
    """Start Redis (if embedded), migrate, seed, spawn worker and cron, serve the web app."""
    from werkzeug.serving import run_simple

    from sar_service import embedded_redis, setup
    from sar_service.app import create_app
    from sar_service.config import Settings
    from sar_service.supervisor import Child, Supervisor

    # The port given on the command line is the one links in emails use (unless BASE_URL is set),
    # in this process and in the worker and cron it starts.
    env = dict(os.environ, PORT=str(port))
    settings = Settings.from_env(env)
    app = create_app(settings=settings)
    supervisor = None
    redis_proc = None
    # `kill`, systemd and `docker stop` send SIGTERM: clean up as for Ctrl-C, leave no orphans.
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    try:
        if settings.embedded_redis:
            redis_proc = embedded_redis.start(
                settings.redis_socket, settings.instance_dir / "redis"
            )
            click.echo(f"Redis: bundled redis-server on {settings.redis_socket}")
        setup.migrate(app)
        email, password = _demo_login(app)
        env["SAR_INSTANCE_DIR"] = str(settings.instance_dir)
        # Started again if they die, as systemd's Restart=always does in production.
        supervisor = Supervisor(
            [
                Child(name, [sys.executable, "-m", "sar_service.cli", name], env)
                for name in ("worker", "cron")
            ]
        )
        supervisor.start()
        click.echo(f"\nSAR Service on http://{host}:{port}/  (staff: http://{host}:{port}/staff/)")
        click.echo(f"Demo DPO login: {email} / {password or '(see the first run)'}\n")
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        if supervisor is not None:
            supervisor.stop()
        if redis_proc is not None:
            embedded_redis.stop(redis_proc)
