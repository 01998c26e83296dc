"""A real ``sar worker`` process rides out a Redis outage that starts in the middle of a job,
and picks up new work by itself once Redis is back (no restart by hand)."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time

import pytest

from tests.factories import request_payload
from tests.worker_process import start_worker

#: How long Redis stays away: long enough for the worker to finish its job and notice.
OUTAGE_SECONDS = 4


def submit(client, slug: str) -> str:
    response = client.post(f"/api/v1/schools/{slug}/requests", json=request_payload())
    assert response.status_code == 201, response.get_json()
    return response.get_json()["reference"]


def acknowledged(inbox, reference: str) -> bool:
    return any(reference in m.get_body(("plain",)).get_content() for m in list(inbox.messages))


def wait_for(condition, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.1)


@pytest.mark.slow
def test_worker_survives_redis_going_away_mid_job_and_resumes(
    app, client, db, factory, inbox, redis_server, tmp_path
):
    school = factory.school("oakfield")
    db.commit()
    inbox.hold = threading.Event()  # the first email waits at the SMTP server
    log = tmp_path / "worker.log"
    proc = start_worker(app, app.config["SAR_SETTINGS"].smtp_port, log)
    try:
        first = submit(client, school.slug)
        assert inbox.holding.wait(60), "the worker never reached the SMTP server"

        redis_server.stop()  # Redis goes away while the worker is in the middle of a job
        inbox.hold.set()  # the job finishes during the outage
        time.sleep(OUTAGE_SECONDS)
        assert proc.poll() is None, f"the worker quit during the outage:\n{log.read_text()}"
        redis_server.start()
        app.extensions.pop("sar.redis", None)

        second = submit(client, school.slug)  # enqueued through the outbox after commit
        wait_for(lambda: acknowledged(inbox, second) or proc.poll() is not None)
        assert proc.poll() is None, f"the worker quit:\n{log.read_text()}"
        assert acknowledged(inbox, first)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
