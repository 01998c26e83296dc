"""Every page is sent with headers that stop framing, inline script, referrer leaks and caching
of pages about children (quoted finding: none of CSP, HSTS, frame-ancestors or
``Cache-Control: no-store`` on parent and portal pages)."""

from __future__ import annotations

import pytest

from sar_service.clock import today
from sar_service.portal.links import portal_path


@pytest.fixture
def pages(app, factory):
    school = factory.school("oakfield")
    case = factory.case(school, today())
    with app.app_context():
        portal = portal_path(case)
    return {
        "parent start": "/",
        "school start": f"/s/{school.slug}/",
        "portal": portal,
        "staff sign-in": "/staff/sign-in",
        "api": "/api/v1/openapi.json",
        "not found": "/no-such-page",
    }


def _policy(header: str) -> dict[str, str]:
    parts = (p.strip().split(None, 1) for p in header.split(";") if p.strip())
    return {p[0]: (p[1] if len(p) > 1 else "") for p in parts}


def test_every_page_forbids_inline_script_framing_and_referrers(client, pages):
    for name, path in pages.items():
        response = client.get(path)
        csp = _policy(response.headers.get("Content-Security-Policy", ""))
        assert csp.get("default-src") == "'self'", name
        assert "unsafe-inline" not in csp.get("script-src", csp["default-src"]), name
        assert csp.get("frame-ancestors") == "'none'", name
        assert csp.get("object-src") == "'none'", name
        assert response.headers.get("X-Frame-Options") == "DENY", name
        assert response.headers.get("Referrer-Policy") == "no-referrer", name
        assert response.headers.get("X-Content-Type-Options") == "nosniff", name


def test_parent_and_portal_pages_are_never_cached(client, pages):
    for name in ("parent start", "school start", "portal", "not found"):
        assert client.get(pages[name]).headers.get("Cache-Control") == "no-store", name


def test_pages_use_no_inline_script(client, pages):
    """The policy would block it, so a page that relied on it would silently break."""
    import re

    for name in ("parent start", "school start", "portal", "staff sign-in"):
        html = client.get(pages[name]).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), name
        assert not re.search(r"\son[a-z]+=", html), name


def test_hsts_only_behind_tls(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://sar.example")
    hsts = secure.headers.get("Strict-Transport-Security", "")
    assert hsts.startswith("max-age=") and int(hsts.split("=")[1].split(";")[0]) >= 31536000
