"""``sar serve`` (what ``make run`` starts) on an empty instance folder: embedded SQLite and the
bundled Redis, a worker and the cron scheduler; /healthz is all ok; Ctrl-C stops everything."""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from redis import Redis
from redis.exceptions import RedisError

from tests.factories import request_payload


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def wait_for(predicate, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except OSError:
            pass
        time.sleep(0.25)
    raise AssertionError("timed out")


def start_serve(tmp_path: Path):
    """``sar serve`` on an empty instance folder, as ``make run`` starts it; (process, url, log)."""
    port = free_port()
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "SMTP_HOST"}
    }
    env |= {"SAR_INSTANCE_DIR": str(tmp_path), "PORT": str(port)}
    log = (tmp_path / "serve.log").open("w+")
    proc = subprocess.Popen(
        [sys.executable, "-m", "sar_service.cli", "serve"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    return proc, f"http://127.0.0.1:{port}", log


def acknowledgement_text(outbox: Path, reference: str) -> str | None:
    """The plain-text body of the .eml acknowledging ``reference``, once written."""
    for path in outbox.glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(("plain",))
        text = body.get_content() if body else ""
        if reference in text:
            return text
    return None


def children_of(pid: int) -> list[int]:
    """Live child processes of ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_serve_runs_the_whole_service(tmp_path: Path):
    proc, base, log = start_serve(tmp_path)
    try:
        status, body = wait_for(lambda: get_json(f"{base}/healthz"))
        assert (status, body) == (200, {"database": "ok", "redis": "ok"})
        log.seek(0)
        assert "Demo DPO login: dpo@oakfield.example / " in log.read()

        request = urllib.request.Request(
            f"{base}/api/v1/schools/oakfield-primary/requests",
            data=json.dumps(request_payload()).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 201
            reference = json.load(response)["reference"]
        # The worker started by serve sends the acknowledgement (to an .eml file by default).
        outbox = tmp_path / "outbox"
        sent = wait_for(lambda: acknowledgement_text(outbox, reference), timeout=30)
        # BASE_URL is unset: the parent's links point at the port the service listens on.
        links = re.findall(r"https?://[^\s<>\"]+", sent)
        assert links and all(link.startswith(f"{base}/") for link in links), links
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    sock = tmp_path / "redis.sock"
    try:
        alive = Redis(unix_socket_path=str(sock), socket_connect_timeout=0.5).ping()
    except RedisError:
        alive = False
    assert not alive, "the bundled Redis is still running after Ctrl-C"


def test_sigterm_stops_redis_the_worker_and_cron_too(tmp_path: Path):
    """As `kill`, systemd or `docker stop` would: no orphaned processes left behind."""
    proc, base, _ = start_serve(tmp_path)
    try:
        wait_for(lambda: get_json(f"{base}/healthz")[0] == 200)
        started = wait_for(lambda: (kids := children_of(proc.pid)) and len(kids) >= 3 and kids)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert len(started) == 3  # redis-server, worker, cron
    wait_for(lambda: not any(alive(pid) for pid in started), timeout=15)


def worker_child(pid: int) -> int | None:
    """The ``sar worker`` process ``sar serve`` started, if one is running."""
    for child in children_of(pid):
        try:
            argv = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"worker" in argv:
            return child
    return None


def test_a_worker_that_dies_is_started_again(tmp_path: Path):
    proc, base, log = start_serve(tmp_path)
    try:
        wait_for(lambda: get_json(f"{base}/healthz")[0] == 200)
        first = wait_for(lambda: worker_child(proc.pid))
        os.kill(first, signal.SIGKILL)
        second = wait_for(lambda: (pid := worker_child(proc.pid)) and pid != first and pid)
        assert alive(second)

        request = urllib.request.Request(
            f"{base}/api/v1/schools/oakfield-primary/requests",
            data=json.dumps(request_payload()).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            reference = json.load(response)["reference"]
        wait_for(lambda: acknowledgement_text(tmp_path / "outbox", reference), timeout=60)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
