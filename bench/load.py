"""Load benchmark: concurrent parents against the production topology (issue 12, "Done when").

Not a test: it prints figures. Brings up what ``make prod-check`` brings up (gunicorn ×4,
two ``sar worker``, one ``sar cron`` on PostgreSQL, its own redis-server, a loopback SMTP
server — ``deploy/prod_check.topology``), with ``TRUSTED_PROXIES=1`` as behind a reverse
proxy, then runs ``--parents`` simulated parents at once for ``--seconds``. Each parent, in a
loop, is a new person at a new address (``X-Forwarded-For``, so the per-address limit on the
public API sees different people, as a deployment behind a proxy does) and:

1. opens the school's start page;
2. sends a request through the public API;
3. waits for the acknowledgement email (no HTTP while waiting: reading mail) and opens the
   portal link it carries.

Then it waits for the last acknowledgement and prints: requests, errors (5xx, timeouts,
refused connections, any unexpected status), lost submissions (201 but no case in the
database), acknowledgements exactly once, throughput, p50/p95/p99 latency of the HTTP
requests, and the time from the end of the load to the last acknowledgement. Targets:
p95 < 500 ms, last acknowledgement within 10 s. Exit code 1 when any error, loss or
missing/duplicate acknowledgement is seen (targets are reported, not enforced: this
machine's load varies).

    .venv/bin/python bench/load.py [--parents 50] [--seconds 60] \\
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/sar_load]

The database (``--database-url`` or ``LOAD_DATABASE_URL``; default ``sar_load`` on the
trust-auth server at 127.0.0.1:5432) is dropped and created afresh, and dropped at the end.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy.exc import OperationalError  # noqa: E402

from deploy.prod_check import DEFAULT_SERVER, Database, Failure, Service, topology  # noqa: E402

TIMEOUT = 60.0  # seconds one HTTP request may take before it counts as an error
ACK_WAIT = 30.0  # how long a parent waits for their email before giving up on the portal
DRAIN = 180.0  # how long to wait after the load for the last acknowledgement
ACCESS_LINE = re.compile(r'LOAD "(GET|POST) (\S+) [^"]*" \d+ (\d+)$')
ACCESS_FORMAT = 'LOAD "%(r)s" %(s)s %(D)s'
PORTAL_LINK = re.compile(r"https?://\S+/portal/[A-Za-z0-9._-]+")


@dataclass
class Results:
    """Everything the parents saw, shared between their threads."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    submitted: dict[str, str] = field(default_factory=dict)  # email -> reference
    portal_skipped: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, step: str, seconds: float, status: int | str, ok: bool) -> None:
        with self.lock:
            self.latencies.setdefault(step, []).append(seconds)
            self.statuses[(step, status)] += 1
            if not ok:
                self.errors.append(f"{step}: {status}")

    @property
    def all_latencies(self) -> list[float]:
        return [t for times in self.latencies.values() for t in times]


def call(
    results: Results, step: str, port: int, method: str, path: str, address: str,
    body: dict | None = None, expect: int = 200,
) -> tuple[int, bytes]:  # fmt: skip
    """One HTTP request on its own connection (gunicorn's sync workers close each one),
    timed from connect to the last byte of the answer."""
    headers = {"X-Forwarded-For": address, "User-Agent": "sar-load/1"}
    data = None
    if body is not None:
        data = json.dumps(body)
        headers["Content-Type"] = "application/json"
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        conn.request(method, path, data, headers)
        response = conn.getresponse()
        payload = response.read()
        status: int | str = response.status
    except (OSError, http.client.HTTPException) as exc:
        status, payload = type(exc).__name__, b""
    finally:
        conn.close()
    results.record(step, time.perf_counter() - started, status, status == expect)
    return (status if isinstance(status, int) else 0), payload


def request_body(n: int) -> dict:
    return {
        "types": ["access"],
        "requester": {
            "name": f"Parent {n}",
            "email": f"parent-{n}@load.example",
            "relationship": "mother" if n % 2 else "father",
        },
        "subject": {"name": f"Pupil {n}", "date_of_birth": "2015-05-04", "year_group": "Year 6"},
    }


def parent(service: Service, results: Results, numbers, stop_at: float) -> None:
    """One simulated parent at a time, journey after journey, until the load ends."""
    port, slug = service.port, service.slug
    while time.monotonic() < stop_at:
        n = next(numbers)
        address = f"10.{n // 62500 % 250}.{n // 250 % 250}.{n % 250 + 1}"
        call(results, "start page", port, "GET", f"/s/{slug}/", address)
        body = request_body(n)
        status, answer = call(
            results, "submit", port, "POST", f"/api/v1/schools/{slug}/requests", address,
            body, expect=201,
        )  # fmt: skip
        if status != 201:
            continue
        reference = json.loads(answer)["reference"]
        email = body["requester"]["email"]
        with results.lock:
            results.submitted[email] = reference
        link = wait_for_portal_link(service, email, min(stop_at, time.monotonic() + ACK_WAIT))
        if link is None:
            with results.lock:
                results.portal_skipped += 1
            continue
        call(results, "portal", port, "GET", urllib.parse.urlsplit(link).path, address)


def wait_for_portal_link(service: Service, email: str, until: float) -> str | None:
    while time.monotonic() < until:
        for message in service.inbox.to(email):
            found = PORTAL_LINK.search(message.get_body(("plain",)).get_content())
            if found:
                return found.group(0)
        time.sleep(0.1)
    return None


def acknowledgements(service: Service, email: str, reference: str) -> list[float]:
    """When each acknowledgement of ``reference`` reached the SMTP server."""
    return [
        at
        for at, message in service.inbox.arrivals(email)
        if "received your request" in message["Subject"] and reference in message["Subject"]
    ]


def cases_in_database(database_url: str, slug: str) -> set[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT c.reference FROM cases c JOIN schools s ON s.id = c.school_id "
                    "WHERE s.slug = :slug"
                ),
                {"slug": slug},
            )
            return {row[0] for row in rows}
    finally:
        engine.dispose()


def cpu_seconds(service: Service) -> dict[str, float]:
    """CPU time used so far by each process group the topology started (its live processes
    and the children they reaped): on a shared machine the work per request, unlike the
    latency, does not depend on what else runs."""
    groups = {proc.pid: name.split("-")[0] for name, proc in service.procs.running.items()}
    used: dict[str, float] = dict.fromkeys(groups.values(), 0.0)
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        group = groups.get(int(fields[2]))
        if group is not None:
            used[group] += sum(int(f) for f in fields[11:15]) / tick
    return used


def server_times(service: Service) -> dict[str, list[float]]:
    """Milliseconds gunicorn spent on each request, by step, from its access log (the
    ``%(D)s`` field): the time inside the app, without the wait in the listen queue."""
    found: dict[str, list[float]] = {}
    for line in (service.tmp / "web.log").read_text(errors="replace").splitlines():
        match = ACCESS_LINE.search(line)
        if match:
            method, path, micros = match.groups()
            step = "submit" if method == "POST" else "portal" if "/portal/" in path else "start"
            found.setdefault(step, []).append(int(micros) / 1000)
    return found


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run(args, database: Database, service: Service) -> int:
    results = Results()
    numbers = itertools.count(1)  # shared by the threads: next() on it is atomic
    cpu_before = cpu_seconds(service)
    print(f"load: {args.parents} parents for {args.seconds:.0f} s against {service.base}")
    started = time.monotonic()
    stop_at = started + args.seconds
    threads = [
        threading.Thread(target=parent, args=(service, results, numbers, stop_at), daemon=True)
        for _ in range(args.parents)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    load_end = time.monotonic()
    elapsed = load_end - started
    cpu_load = cpu_seconds(service)

    deadline = load_end + DRAIN
    while time.monotonic() < deadline:
        if all(acknowledgements(service, e, r) for e, r in results.submitted.items()):
            break
        service.procs.check_alive()
        time.sleep(0.2)
    time.sleep(3)  # time for any duplicate to arrive before counting
    service.procs.check_alive()
    cpu_after = cpu_seconds(service)

    acks = {r: acknowledgements(service, e, r) for e, r in results.submitted.items()}
    once = sum(len(times) == 1 for times in acks.values())
    missing = [r for r, times in acks.items() if not times]
    duplicated = [r for r, times in acks.items() if len(times) > 1]
    last_ack = max((max(times) for times in acks.values() if times), default=load_end)
    in_db = cases_in_database(database.url or "", service.slug)
    lost = [r for r in results.submitted.values() if r not in in_db]

    everything = results.all_latencies
    print(f"requests:           {len(everything)} in {elapsed:.1f} s")
    print(f"throughput:         {len(everything) / elapsed:.1f} req/s "
          f"({len(results.submitted) / elapsed:.1f} submissions/s)")  # fmt: skip
    print(f"errors:             {len(results.errors)}"
          + (f" {Counter(results.errors).most_common(5)}" if results.errors else ""))  # fmt: skip
    print(f"submitted:          {len(results.submitted)} (cases in the database: {len(in_db)})")
    print(f"lost:               {len(lost)}" + (f" {lost[:5]}" if lost else ""))
    print(f"acknowledged once:  {once} of {len(acks)}; missing {len(missing)}, "
          f"more than once {len(duplicated)}" + (f" {(missing + duplicated)[:5]}"
          if missing or duplicated else ""))  # fmt: skip
    print(f"portal not opened:  {results.portal_skipped} (acknowledgement not there within "
          f"{ACK_WAIT:.0f} s or before the load ended)")  # fmt: skip
    if everything:
        ms = [t * 1000 for t in everything]
        print(f"latency, all:       p50 {percentile(ms, 50):.0f} ms, p95 {percentile(ms, 95):.0f}"
              f" ms, p99 {percentile(ms, 99):.0f} ms, max {max(ms):.0f} ms")  # fmt: skip
        for step, times in results.latencies.items():
            ms = [t * 1000 for t in times]
            print(f"  {step:<12} n={len(ms):<6} p50 {percentile(ms, 50):5.0f} ms, "
                  f"p95 {percentile(ms, 95):5.0f}, p99 {percentile(ms, 99):5.0f} ms")  # fmt: skip
    print(f"last acknowledgement: {last_ack - load_end:+.1f} s after the load ended")
    print("inside gunicorn (access log, without the wait to be accepted):")
    for step, ms in server_times(service).items():
        print(f"  {step:<12} n={len(ms):<6} p50 {percentile(ms, 50):5.0f} ms, "
              f"p95 {percentile(ms, 95):5.0f}, p99 {percentile(ms, 99):5.0f} ms")  # fmt: skip
    web_cpu = cpu_load["web"] - cpu_before["web"]
    jobs_cpu = sum(cpu_after[g] - cpu_before[g] for g in ("worker", "cron"))
    print(f"CPU: web {web_cpu:.1f} s ({web_cpu / max(len(everything), 1) * 1000:.0f} ms a "
          f"request); workers and cron {jobs_cpu:.1f} s "
          f"({jobs_cpu / max(len(results.submitted), 1) * 1000:.0f} ms a submission); "
          f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")  # fmt: skip
    bad = results.errors or lost or missing or duplicated
    return 1 if bad else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parents", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("LOAD_DATABASE_URL") or f"{DEFAULT_SERVER}/sar_load",
        help="PostgreSQL database, dropped and created afresh (default: sar_load)",
    )
    args = parser.parse_args()
    database = Database(args.database_url, fresh=True)
    try:
        database.create()
    except OperationalError as exc:
        print(f"skipped: this benchmark needs PostgreSQL at {args.database_url} ({exc.orig})")
        return 0
    try:
        env = {"TRUSTED_PROXIES": "1", "GUNICORN_CMD_ARGS": f"--access-logformat '{ACCESS_FORMAT}'"}
        with topology(database, env) as service:
            return run(args, database, service)
    except Failure as exc:
        print(f"load: FAILED: {exc}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
