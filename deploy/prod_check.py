"""The production topology, brought up for real and checked end to end (``make prod-check``).

Starts, each as its own process group, exactly what the ``Procfile`` (and the
systemd units in ``deploy/systemd``) run:

- ``sar init`` against PostgreSQL;
- gunicorn with 4 workers (``web``), two ``sar worker`` and one ``sar cron``;

beside its own ``redis-server`` (the bundled one, on a unix socket in a temporary
folder — never a shared Redis) and a loopback SMTP server (aiosmtpd). Then it
submits parents' requests over HTTP to the public API and checks that every
acknowledgement arrives at the SMTP server exactly once. Everything it started is
stopped at the end, also on failure. Exit code 0 when all is well.

PostgreSQL: ``PROD_CHECK_DATABASE_URL`` if set (its data is kept; the check adds a
school of its own), else the dedicated database ``sar_prodcheck`` on the trust-auth
server at 127.0.0.1:5432, created afresh and dropped afterwards.

    .venv/bin/python deploy/prod_check.py [--requests 6]
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
DEDICATED_DATABASE = "sar_prodcheck"
GUNICORN_WORKERS = 4
SAR_WORKERS = 2
WAIT = 120.0  # seconds for the service to come up and for the acknowledgements


def say(message: str) -> None:
    print(f"prod-check: {message}", flush=True)


class Failure(Exception):
    pass


# --- the parts ------------------------------------------------------------------------------


class Inbox:
    """aiosmtpd handler keeping every message it accepts, by recipient, with when it came."""

    def __init__(self) -> None:
        self.messages: list = []
        self._by_to: dict[str, list[tuple[float, object]]] = {}
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        arrived = time.monotonic()
        to = str(message["To"])  # parsed once here: header parsing is slow under load
        with self._lock:
            self.messages.append(message)
            self._by_to.setdefault(to, []).append((arrived, message))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for _, m in self.arrivals(address)]

    def arrivals(self, address: str) -> list[tuple[float, object]]:
        """(``time.monotonic()`` it arrived, message) for each message to ``address``."""
        with self._lock:
            return list(self._by_to.get(address, ()))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def procfile() -> dict[str, list[str]]:
    """The Procfile's commands, as the check runs them (from this checkout's interpreter)."""
    commands = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if command.strip():
            commands[name.strip()] = runnable(shlex.split(command))
    return commands


def runnable(argv: list[str]) -> list[str]:
    """``sar …`` and ``gunicorn …`` through this Python, so an uninstalled checkout works too."""
    modules = {"sar": "sar_service.cli", "gunicorn": "gunicorn"}
    return [sys.executable, "-m", modules[argv[0]], *argv[1:]] if argv[0] in modules else argv


class Processes:
    """Long-running children, each in its own process group, with logs in the temp folder."""

    def __init__(self, logs: Path, env: dict[str, str]):
        self.logs, self.env = logs, env
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, argv: list[str]) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("w")
        proc = subprocess.Popen(
            argv,
            cwd=self.logs,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.running[name] = proc
        say(f"started {name} (pid {proc.pid}): {' '.join(argv[2:] if argv[1] == '-m' else argv)}")
        return proc

    def check_alive(self) -> None:
        dead = {n: p.returncode for n, p in self.running.items() if p.poll() is not None}
        if dead:
            raise Failure(f"processes exited: {dead}")

    def stop_all(self, timeout: float = 30.0) -> None:
        """SIGTERM every group, wait, then SIGKILL whatever is left of any group."""
        for proc in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for name, proc in self.running.items():
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"{name} did not stop on SIGTERM; killing it")
        for proc in self.running.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def tail(self, lines: int = 25) -> None:
        for name in self.running:
            text = (self.logs / f"{name}.log").read_text(errors="replace").splitlines()
            print(f"---- {name}.log (last {lines} lines)")
            print("\n".join(text[-lines:]))


class Database:
    """The PostgreSQL database the check runs against.

    ``url`` given: that database, its data kept (the check adds a school of its own), or
    with ``fresh`` dropped and created anew (and kept at the end, to look into). Else the
    dedicated database ``name`` on the trust-auth server at 127.0.0.1:5432, fresh and dropped."""

    def __init__(
        self, url: str | None = None, name: str = DEDICATED_DATABASE, fresh: bool = False
    ) -> None:
        self.url = url or os.environ.get("PROD_CHECK_DATABASE_URL")
        self.dedicated, self.fresh = not self.url, fresh
        if not self.url:
            self.url = f"{DEFAULT_SERVER}/{name}"
        self.server, _, self.name = self.url.rpartition("/")

    def _admin(self, statement: str) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(f"{self.server}/postgres", isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(text(statement))
        finally:
            engine.dispose()

    def create(self) -> None:
        if self.dedicated or self.fresh:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            self._admin(f'CREATE DATABASE "{self.name}"')
        say(f"database: {self.url}")

    def drop(self) -> None:
        if self.dedicated:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


# --- HTTP -----------------------------------------------------------------------------------


def request_json(url: str, body: dict | None = None, timeout: float = 10.0) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def post_from(address: str, port: int, path: str, body: dict) -> tuple[int, dict]:
    """POST as a client at ``address`` (127.0.0.N): each parent has an address of their own,
    as on the internet, so the per-address limits on the public API see different people."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(address, 0))
    try:
        conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


def wait_healthy(base: str, procs: Processes) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        procs.check_alive()
        with contextlib.suppress(OSError, ValueError):
            status, body = request_json(f"{base}/healthz", timeout=3)
            if status == 200:
                say(f"/healthz: {body}")
                return
        time.sleep(0.5)
    raise Failure(f"{base}/healthz did not answer 200 within {WAIT:.0f} s")


def gunicorn_workers(master: int) -> int:
    count = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            count += int(fields[1]) == master and fields[0] != "Z"
    return count


def payload(n: int) -> dict:
    return {
        "types": ["access"],
        "requester": {
            "name": f"Parent {n}",
            "email": f"parent-{n}@prodcheck.example",
            "relationship": "mother",
        },
        "subject": {"name": f"Pupil {n}", "date_of_birth": "2015-05-04", "year_group": "Year 6"},
    }


# --- the topology ---------------------------------------------------------------------------


@dataclass
class Service:
    """The running topology: its address, the school it made, its SMTP inbox, its processes."""

    base: str
    port: int
    slug: str
    inbox: Inbox
    procs: Processes
    tmp: Path


@contextlib.contextmanager
def topology(database: Database, env_extra: dict[str, str] | None = None) -> Iterator[Service]:
    """Start what the Procfile runs (``sar init``, gunicorn ×4, two workers, cron) on
    ``database`` beside its own redis-server and a loopback SMTP server, with a school of its
    own; yield once /healthz answers; stop everything it started, also on failure."""
    from aiosmtpd.controller import Controller

    from sar_service import embedded_redis

    with tempfile.TemporaryDirectory(prefix="sar-prod-check-") as tmp_name:
        tmp = Path(tmp_name)
        inbox = Inbox()
        smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
        redis_proc = procs = None
        try:
            database.create()
            smtp.start()
            say(f"SMTP: aiosmtpd on 127.0.0.1:{smtp.port}")
            redis_socket = tmp / "redis.sock"
            redis_proc = embedded_redis.start(redis_socket, tmp / "redis")
            say(f"Redis: redis-server on {redis_socket}")
            port, slug = free_port(), f"prodcheck-{secrets.token_hex(3)}"
            base = f"http://127.0.0.1:{port}"
            env = {
                k: v for k, v in os.environ.items() if not k.startswith(("SAR_", "SMTP_", "REDIS"))
            }
            env.update(
                PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
                DATABASE_URL=database.url or "",
                REDIS_URL=f"unix://{redis_socket}",
                SAR_INSTANCE_DIR=str(tmp / "instance"),
                SECRET_KEY=secrets.token_urlsafe(32),
                SMTP_HOST="127.0.0.1",
                SMTP_PORT=str(smtp.port),
                MAIL_FROM="dpo@prodcheck.example",
                WEB_CONCURRENCY=str(GUNICORN_WORKERS),
                PORT=str(port),
                BASE_URL=base,
                **(env_extra or {}),
            )
            procs = Processes(tmp, env)
            start_service(procs, tmp, slug, base)
            yield Service(base, port, slug, inbox, procs, tmp)
        except BaseException:
            if procs is not None:
                procs.tail()
            raise
        finally:
            if procs is not None:
                procs.stop_all()
            if redis_proc is not None:
                embedded_redis.stop(redis_proc)
            smtp.stop()
            database.drop()


def start_service(procs: Processes, tmp: Path, slug: str, base: str) -> None:
    commands = procfile()
    say("sar init")
    subprocess.run(commands["release"], env=procs.env, cwd=tmp, check=True)
    subprocess.run(
        runnable(["sar", "create-school", "--slug", slug, "--name", "Prod Check Primary"]),
        env=procs.env,
        cwd=tmp,
        check=True,
    )
    web = procs.start("web", commands["web"])
    for i in range(1, SAR_WORKERS + 1):
        procs.start(f"worker-{i}", commands["worker"])
    procs.start("cron", commands["cron"])
    wait_healthy(base, procs)
    workers = gunicorn_workers(web.pid)
    if workers != GUNICORN_WORKERS:
        raise Failure(f"gunicorn runs {workers} workers, not {GUNICORN_WORKERS}")
    say(f"gunicorn: {workers} workers")


# --- the check ------------------------------------------------------------------------------


def run_check(n_requests: int, service: Service) -> None:
    port, slug, inbox, procs = service.port, service.slug, service.inbox, service.procs
    references = {}
    for n in range(1, n_requests + 1):
        path = f"/api/v1/schools/{slug}/requests"
        status, body = post_from(f"127.0.0.{n + 1}", port, path, payload(n))
        if status != 201:
            raise Failure(f"request {n} answered {status}: {body}")
        references[payload(n)["requester"]["email"]] = body["reference"]
    say(f"submitted {len(references)} requests: {', '.join(references.values())}")

    deadline = time.monotonic() + WAIT
    while not all(inbox.to(address) for address in references):
        procs.check_alive()
        if time.monotonic() > deadline:
            missing = [r for a, r in references.items() if not inbox.to(a)]
            raise Failure(f"no acknowledgement within {WAIT:.0f} s for {missing}")
        time.sleep(0.2)
    time.sleep(3)  # time for any duplicate to arrive before counting
    procs.check_alive()
    for address, reference in references.items():
        acknowledgements = [m for m in inbox.to(address) if reference in m["Subject"]]
        if len(acknowledgements) != 1:
            raise Failure(f"{reference}: {len(acknowledgements)} acknowledgements, not exactly 1")
    say(f"every acknowledgement arrived exactly once ({len(references)} of {len(references)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=6)
    args = parser.parse_args()
    try:
        with topology(Database()) as service:
            run_check(args.requests, service)
    except (Failure, subprocess.CalledProcessError) as exc:
        say(f"FAILED: {exc}")
        return 1
    say("OK: stopped everything it started")
    return 0


if __name__ == "__main__":
    sys.exit(main())
