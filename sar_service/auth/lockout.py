"""Limit failed sign-in attempts without letting anyone lock staff out at will.

Failures are counted atomically (Redis ``INCR`` inside one transaction), so
codes sent in parallel are each counted. Three counters, each for 15 minutes
from the first failure:

- this email from this address: 5 (a guesser at one place stops there; the
  member of staff at school, at another address, still signs in);
- this address, whatever the email: 20 (one place trying many accounts);
- this email from anywhere: 50 (a guesser spread over many addresses).

Counters are keyed on the email as typed, not the account, so an unknown email
meets the same limit with the same answer: the limit never tells whether an
account exists. If Redis is down the account's own counter in the database is
used, updated in one SQL statement so parallel failures are not lost.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from redis.exceptions import RedisError
from sqlalchemy import update
from sqlalchemy.orm import Session

from sar_service.background import queues
from sar_service.models import User

log = logging.getLogger(__name__)

WINDOW = timedelta(minutes=15)
PER_EMAIL_AND_ADDRESS = 5
PER_ADDRESS = 20
PER_EMAIL = 50
TOO_MANY = (
    "Too many attempts. Wait 15 minutes and try again, or reset your password if you have "
    "forgotten it."
)


@dataclass(frozen=True)
class Attempt:
    """Who is trying: the email as typed (lower-cased) and the address it comes from."""

    email: str
    address: str

    def _keys(self) -> list[tuple[str, int]]:
        email = hashlib.sha256(self.email.strip().lower().encode()).hexdigest()[:32]
        return [
            (f"signin:ea:{email}:{self.address}", PER_EMAIL_AND_ADDRESS),
            (f"signin:a:{self.address}", PER_ADDRESS),
            (f"signin:e:{email}", PER_EMAIL),
        ]


#: For each key: start a new 15-minute window if the last one has ended (by the app's clock,
#: which tests move), then add ARGV[3] (1 to count, 0 to read, -1 to give a try back).
_COUNT = """
local now, window, by = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local counts = {}
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('HGET', key, 'until') or '0') <= now then
    redis.call('HSET', key, 'n', 0, 'until', now + window)
    redis.call('EXPIRE', key, window + 60)
  end
  counts[i] = redis.call('HINCRBY', key, 'n', by)
end
return counts
"""


def _count(attempt: Attempt, at: datetime, by: int) -> list[int]:
    keys = [key for key, _ in attempt._keys()]
    window = int(WINDOW.total_seconds())
    return queues.connection().eval(_COUNT, len(keys), *keys, int(at.timestamp()), window, by)


def _over(counts: list[int], attempt: Attempt, at_limit: bool) -> bool:
    limits = [limit for _, limit in attempt._keys()]
    return any(n >= lim if at_limit else n > lim for n, lim in zip(counts, limits, strict=True))


def take_attempt(db: Session, attempt: Attempt, user: User | None, at: datetime) -> bool:
    """Count this attempt *before* checking it; False if a limit is already used up.

    Counting first is what makes the limit hold for requests sent at the same moment:
    the sixth of fourteen parallel codes is refused unchecked, whatever the timing.
    """
    try:
        return not _over(_count(attempt, at, 1), attempt, at_limit=False)
    except RedisError as exc:
        log.warning("sign-in attempt counted in the database, Redis unavailable: %s", exc)
        return _take_in_database(db, user, at)


def limit_reached(attempt: Attempt, user: User | None, at: datetime) -> bool:
    """After a failure: has this attempt used up a limit (so say so now)?"""
    try:
        return _over(_count(attempt, at, 0), attempt, at_limit=True)
    except RedisError:
        return bool(user and user.locked_until and user.locked_until > at)


def record_success(attempt: Attempt, user: User, at: datetime) -> None:
    """Right password and code: this place starts again; the shared counts give the try back."""
    user.failed_logins = 0
    user.locked_until = None
    try:
        _count(attempt, at, -1)
        queues.connection().delete(attempt._keys()[0][0])
    except RedisError as exc:
        log.warning("sign-in count not cleared, Redis unavailable: %s", exc)


def _take_in_database(db: Session, user: User | None, at: datetime) -> bool:
    """The account's own counter, in one statement per step (no lost updates)."""
    if user is None:
        return True
    if user.locked_until and user.locked_until > at:
        return False
    count = db.execute(
        update(User)
        .where(User.id == user.id)
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins)
    ).scalar_one()
    if count >= PER_EMAIL_AND_ADDRESS:
        db.execute(
            update(User).where(User.id == user.id).values(locked_until=at + WINDOW, failed_logins=0)
        )
    return count <= PER_EMAIL_AND_ADDRESS
