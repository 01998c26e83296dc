"""Headers on every response: what the browser may run, frame, send on and keep.

The pages use no inline script or style, so the policy can forbid both. Pages
(not static files) are about children and their parents, so nothing is cached.
HSTS is sent only when the request really came over TLS (directly, or through a
proxy trusted with ``TRUSTED_PROXIES``), so a plain-HTTP ``make run`` keeps working.
"""

from __future__ import annotations

from flask import Flask, Response, request
from werkzeug.middleware.proxy_fix import ProxyFix

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask, trusted_proxies: int) -> None:
    """Trust ``X-Forwarded-*`` from that many proxies, and add the headers to every response."""
    if trusted_proxies > 0:
        n = trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    app.after_request(add_headers)


def add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    if request.endpoint != "static":
        headers["Cache-Control"] = "no-store"
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response
