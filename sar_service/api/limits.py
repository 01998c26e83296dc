"""Rate limits on the public (anonymous) API: a 429 problem with Retry-After, never silence."""

from __future__ import annotations

from flask import request

from sar_service import ratelimit
from sar_service.web.problems import ApiProblem


def enforce(limit: ratelimit.Limit) -> ratelimit.Decision:
    """Count this request against ``limit`` for its address; raise 429 once it is used up."""
    decision = ratelimit.hit(limit, ratelimit.client_ip(request))
    if not decision.allowed:
        wait = max(decision.retry_after, 1)
        raise ApiProblem(
            429,
            "Too many requests",
            f"Too many requests from this address. Try again in {wait} seconds.",
            headers={"Retry-After": str(wait)},
        )
    return decision
