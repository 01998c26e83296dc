"""Make the README's screenshots of the parent's conversation (phone 390 px and desktop).

    .venv/bin/python docs/screenshots/make.py

Runs the real app on a throw-away SQLite database in a temporary folder, drives
Debian's Chromium through the chat with Playwright, and writes PNGs beside
this file. Redis is not needed: rate limits fail open and the acknowledgement
stays queued in the outbox table.
"""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parents[2] / "shared" / "seeds"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def build_app(tmp: Path):
    from sar_service import setup
    from sar_service.app import create_app
    from sar_service.config import Settings
    from sar_service.db import Base, session

    env = {
        "SAR_INSTANCE_DIR": str(tmp),
        "SECRET_KEY": "screenshots",
        "REDIS_URL": f"unix://{tmp}/no-redis.sock",
    }
    app = create_app(settings=Settings.from_env(env))
    Base.metadata.create_all(app.extensions["sar.db"].engine)
    with app.app_context():
        school = setup.create_school(session(), "oakfield", "Oakfield Primary School")
        school.dpo_email = "dpo@oakfield.example"
        _import_seed_notice(session(), school)
        session().commit()
    return app


def _import_seed_notice(s, school) -> None:
    try:
        from sar_service.notices.store import import_notice
    except ImportError:
        return
    for path in sorted(SEEDS.glob("*.txt"))[:1]:
        import_notice(s, school, path.read_bytes(), path.name)


def serve(app) -> str:
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def shoot(browser, base: str, size: str) -> None:
    context = browser.new_context(viewport=SIZES[size], device_scale_factor=1)
    page = context.new_page()
    page.goto(f"{base}/s/oakfield/")
    page.screenshot(path=HERE / f"start-{size}.png", full_page=True)
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Tell us in your own words").fill("Who do you share data with?")
    page.get_by_role("button", name="Ask or continue").click()
    page.wait_for_selector(".answer-panel")
    page.get_by_label("Tell us in your own words").fill("take his photo off the website")
    page.get_by_role("button", name="Ask or continue").click()
    page.wait_for_selector("[data-understood]")
    page.screenshot(path=HERE / f"chat-{size}.png", full_page=True)
    _answer_rest(page)
    page.screenshot(path=HERE / f"check-{size}.png", full_page=True)
    page.get_by_role("button", name="Send request").click()
    page.wait_for_selector("[data-confirmation]")
    page.screenshot(path=HERE / f"confirmation-{size}.png", full_page=True)
    context.close()


def _answer_rest(page) -> None:
    def go(selector: str) -> None:
        page.get_by_role("button", name="Continue").click()
        page.wait_for_selector(selector)

    go("input[name='requester.relationship']")
    page.get_by_label("Father").check()
    go("input[name='subject.name']")
    page.get_by_label("Full name").fill("Sam Patel")
    go("input[name='subject.date_of_birth-day']")
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year", exact=True).fill("2013")
    go("input[name='requester.name']")
    page.get_by_label("Your full name").fill("Ravi Patel")
    go("input[name='requester.email']")
    page.get_by_label("Email address").fill("ravi@example.com")
    go("textarea[name='details.erasure.what']")
    go("textarea[name='details.withdraw_consent.consent']")
    go("input[name='identity.method']")
    page.get_by_label("I will show ID at the school office").check()
    go(".summary-list")


def main() -> None:
    import sys

    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(HERE.parents[1]))
    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS

    with tempfile.TemporaryDirectory() as tmp:
        base = serve(build_app(Path(tmp)))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for size in SIZES:
                shoot(browser, base, size)
            browser.close()
    print("\n".join(sorted(p.name for p in HERE.glob("*.png"))))


if __name__ == "__main__":
    main()
