"""Lock an account for a while after repeated failed sign-in attempts."""

from __future__ import annotations

from datetime import datetime, timedelta

from sar_service.models import User

MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)


def locked_until(user: User, at: datetime) -> datetime | None:
    """When the lock ends, if the account is locked at ``at``."""
    if user.locked_until and user.locked_until > at:
        return user.locked_until
    return None


def record_failure(user: User, at: datetime) -> bool:
    """Count a failed password or code; return True if this failure locked the account."""
    user.failed_logins = (user.failed_logins or 0) + 1
    if user.failed_logins >= MAX_FAILURES:
        user.locked_until = at + LOCK_FOR
        user.failed_logins = 0
        return True
    return False


def record_success(user: User) -> None:
    user.failed_logins = 0
    user.locked_until = None
