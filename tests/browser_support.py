"""Reusable browser fixtures: a live server for the session app, Chromium, axe-core.

Import the fixtures into a test package's conftest.py:

    from tests.browser_support import assert_accessible, browser, live_server, page  # noqa: F401

Browser tests carry ``@pytest.mark.browser``. They skip only when Debian's
Chromium is missing and ``SAR_REQUIRE_BROWSER`` is unset (CI sets it, so a
missing browser fails there instead of passing silently).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
#: axe impacts that fail a test.
BLOCKING_IMPACTS = {"serious", "critical"}


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("SAR_REQUIRE_BROWSER"):
        pytest.fail(f"{CHROMIUM} is missing and SAR_REQUIRE_BROWSER is set")
    pytest.skip(f"{CHROMIUM} is not installed")


@pytest.fixture(scope="session")
def live_server(app):
    """The session app served by werkzeug in a thread; yields the base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


class _Shared:
    """One Playwright driver and one Chromium for the whole run.

    Each test package's conftest imports these fixtures, which makes a separate
    session fixture per package; a second ``sync_playwright()`` in the same
    thread fails, so they share one and the last user closes it.
    """

    users = 0
    driver = None
    playwright = None
    browser = None

    @classmethod
    def acquire(cls):
        if cls.users == 0:
            from playwright.sync_api import sync_playwright

            cls.driver = sync_playwright()
            cls.playwright = cls.driver.start()
            cls.browser = cls.playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
        cls.users += 1
        return cls.browser

    @classmethod
    def release(cls) -> None:
        cls.users -= 1
        if cls.users == 0:
            cls.browser.close()
            cls.driver.__exit__(None, None, None)
            cls.driver = cls.playwright = cls.browser = None


@pytest.fixture(scope="session")
def _playwright():
    """The shared Playwright driver (for tests that need more than the browser)."""
    _require_browser()
    _Shared.acquire()
    yield _Shared.playwright
    _Shared.release()


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    chromium = _Shared.acquire()
    yield chromium
    _Shared.release()


@pytest.fixture
def page(browser):
    """A fresh context (own cookies) and page with JavaScript on, at desktop size."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def axe_violations(page) -> list[dict]:
    """axe-core's serious and critical violations on the current page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response.get("violations", [])
    return [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]


def assert_accessible(page) -> None:
    """Fail with the rule ids, help text and offending elements if axe finds a blocker."""
    bad = axe_violations(page)
    detail = "; ".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + ", ".join(str(n.get("target")) for n in v.get("nodes", [])[:3])
        for v in bad
    )
    assert not bad, f"axe found problems on {page.url}: {detail}"
