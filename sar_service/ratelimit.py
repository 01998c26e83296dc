"""Per-IP fixed-window rate limits kept in Redis.

If Redis is down we let the request through and log it: a parent must never
lose a request to a Redis outage.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from redis.exceptions import RedisError

from sar_service.background import queues
from sar_service.clock import now

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    name: str
    count: int
    window: int  # seconds


SUBMISSIONS = Limit("submit", 10, 3600)
UPLOADS = Limit("upload", 30, 3600)
MESSAGES = Limit("portal-message", 20, 3600)
LINK_REQUESTS = Limit("link", 5, 3600)
#: The public JSON API: requests (each makes a case and an email) and questions.
API_REQUESTS = Limit("api-request", 10, 3600)
QUESTIONS = Limit("api-question", 60, 3600)
#: Questions a parent sends to the school from the conversation (each is a row staff read).
SCHOOL_QUESTIONS = Limit("school-question", 10, 3600)
#: New drafts in the web conversation (each may send resume emails).
DRAFTS = Limit("draft", 20, 3600)
#: Not a refusal: past this many requests from one address in a day, each further one is
#: accepted and put on the staff "needs a look" list (``sar_service.cases.look``).
LOOK_ADDRESS = Limit("look-address", 3, 24 * 3600)

#: The largest JSON body a public (anonymous) endpoint reads, in bytes.
MAX_PUBLIC_BODY = 64 * 1024


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0
    count: int = 0  # this use's number in the window (0: not counted, Redis unavailable)

    def reached(self, limit: Limit) -> bool:
        """This use took the window's last allowed place, or went past it."""
        return self.count >= limit.count


def hit(limit: Limit, ip: str | None) -> Decision:
    """Count one use of ``limit`` by ``ip``; refuse once the window's count is reached."""
    ts = int(now().timestamp())
    window_start = ts - ts % limit.window
    key = f"rl:{limit.name}:{ip or 'unknown'}:{window_start}"
    try:
        pipe = queues.connection().pipeline()
        pipe.incr(key)
        pipe.expire(key, limit.window + 5)
        count = pipe.execute()[0]
    except (RedisError, OSError, ValueError) as exc:  # a connection broken mid-call, too
        log.warning("rate limit %s not checked, Redis unavailable: %s", limit.name, exc)
        return Decision(True)
    if count > limit.count:
        return Decision(False, retry_after=window_start + limit.window - ts, count=count)
    return Decision(True, count=count)


def client_ip(request) -> str:
    """The address the request came from (a proxy should set remote_addr via ProxyFix)."""
    return request.remote_addr or "unknown"
