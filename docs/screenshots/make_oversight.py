"""Make the screenshots of the oversight dashboard and the governors' report (desktop).

    PYTHONPATH=. .venv/bin/python docs/screenshots/make_oversight.py

Runs the real app on a throw-away SQLite database, logs a term of requests at
two schools and takes them through the state machine (some late, one
extended, one paused, a few in Polish or Urdu), signs a DPO of both schools in
with a TOTP code, and writes ``dashboard-desktop.png`` and
``governors-report-desktop.png`` beside this file.
"""

from __future__ import annotations

import random
import sys
import tempfile
import threading
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSWORD = "screenshots passphrase"
LATE_REASONS = [
    "The records were held at the trust's archive",
    "The member of staff handling it was off sick",
    "",
]


def build_app(tmp: Path):
    from sar_service.app import create_app
    from sar_service.config import Settings
    from sar_service.db import Base

    env = {"SAR_INSTANCE_DIR": str(tmp), "SECRET_KEY": "shots", "REDIS_URL": f"unix://{tmp}/x"}
    app = create_app(settings=Settings.from_env(env))
    Base.metadata.create_all(app.extensions["sar.db"].engine)
    return app


def seed(app) -> str:
    import pyotp

    from sar_service import setup
    from sar_service.cases import machine
    from sar_service.cases.service import create_case
    from sar_service.cases.validation import validate_request
    from sar_service.db import session

    rnd = random.Random(5)
    today = date.today()
    with app.app_context():
        s = session()
        schools = [
            setup.create_school(s, "oakfield", "Oakfield Primary School", "maintained"),
            setup.create_school(s, "beech", "Beech Academy", "academy"),
        ]
        secret = pyotp.random_base32()
        for school in schools:
            user, _ = setup.create_user(s, "dpo@trust.example", "Dana Ortiz", "dpo",
                                        school.slug, PASSWORD)  # fmt: skip
        user.totp_secret = secret
        s.commit()
        system = machine.Actor.system("Screenshots")
        for n in range(46):
            school = schools[n % 2]
            received = today - timedelta(days=rnd.randint(3, 200))
            data = {
                "types": rnd.choice([["access"], ["access"], ["erasure"], ["rectification"]]),
                "requester": {"name": "A Parent", "email": "p@example.com",
                              "relationship": "mother"},
                "subject": {"name": "A Child", "date_of_birth": "2014-01-01"},
                "details": {"erasure": {"what": "Photos"},
                            "rectification": {"current": "x", "correction": "y"}},
                "received_on": received.isoformat(),
                "channel": rnd.choice(["web", "web", "email", "letter", "phone"]),
            }  # fmt: skip
            result = validate_request(data, school_kind=school.kind, today=today, staff=True)
            case = create_case(s, school, result.data, system)
            case.language = rnd.choice(["en"] * 6 + ["pl", "ur", "ro"])
            s.commit()
            if received > today - timedelta(days=35) and n % 3:
                continue  # still open
            steps = [("verify_identity", received, "")]
            if n % 11 == 0:
                steps.append(("request_clarification", received + timedelta(days=2), "Years?"))
                steps.append(("clarification_received", received + timedelta(days=6), ""))
            if n % 13 == 0:
                steps.append(("extend", received + timedelta(days=7), "Complex request"))
            late = n % 7 == 0
            sent = min(case.due_date + timedelta(days=rnd.randint(1, 4)), today) if late else (
                received + timedelta(days=rnd.randint(12, 27)))  # fmt: skip
            if sent > today:
                continue
            steps += [("start_review", received, ""), ("submit_for_signoff", received, ""),
                      ("respond", sent, LATE_REASONS[n % 3] if late else "")]  # fmt: skip
            for action, on, reason in steps:
                if action == "respond":  # the guard: the letter sent, the documents delivered
                    from tests.factories import ready_to_respond

                    ready_to_respond(s, case, on)
                machine.apply(s, case, machine.Request(action, on=on, reason=reason), system)
                s.commit()
    return secret


def serve(app) -> str:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def shoot(browser, base: str, secret: str) -> None:
    import pyotp

    context = browser.new_context(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
    page = context.new_page()
    page.goto(base + "/staff/")
    page.get_by_label("Email address").fill("dpo@trust.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Security code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Case queue").wait_for()
    page.goto(base + "/staff/dashboard")
    page.screenshot(path=HERE / "dashboard-desktop.png", full_page=True)
    page.goto(base + "/staff/reports?school=oakfield")
    page.screenshot(path=HERE / "governors-report-desktop.png", full_page=True)
    context.close()


def main() -> None:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(HERE.parents[1]))
    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp))
        secret = seed(app)
        base = serve(app)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            shoot(browser, base, secret)
            browser.close()
    print("dashboard-desktop.png governors-report-desktop.png")


if __name__ == "__main__":
    main()
