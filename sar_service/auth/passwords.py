"""Argon2 password hashing, at the cost the settings choose.

Production uses argon2-cffi's default cost (RFC 9106 low-memory profile:
t=3, m=64 MiB, p=4). The test suite sets ``SAR_PASSWORD_HASH=fast`` so that
creating and signing in staff does not dominate its run time. Verifying
reads the cost from the stored hash, so either profile verifies the other.
"""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

#: ``SAR_PASSWORD_HASH`` values -> (time_cost, memory_cost in KiB, parallelism).
PROFILES: dict[str, tuple[int, int, int]] = {
    "default": (3, 65536, 4),
    "fast": (1, 8, 1),  # tests only: the cheapest cost argon2 accepts
}


def check_profile(name: str) -> str:
    """The profile name, or a clear error naming the allowed ones."""
    if name not in PROFILES:
        allowed = ", ".join(PROFILES)
        raise ValueError(f"SAR_PASSWORD_HASH must be one of {allowed}, not {name!r}.")
    return name


@cache
def hasher(profile: str = "default") -> PasswordHasher:
    time_cost, memory_cost, parallelism = PROFILES[check_profile(profile)]
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def _current_hasher() -> PasswordHasher:
    """The running app's profile; outside an app (scripts, benchmarks) the default."""
    from flask import current_app, has_app_context

    if not has_app_context():
        return hasher()
    settings = current_app.config.get("SAR_SETTINGS")
    return hasher(getattr(settings, "password_hash", "default"))


def hash_password(password: str) -> str:
    return _current_hasher().hash(password)


@cache
def _stand_in_hash(hasher_: PasswordHasher) -> str:
    """A hash no password matches, checked when there is no account, so that signing in
    with an unknown email does the same argon2 work, and takes as long, as a wrong password."""
    return hasher_.hash(secrets.token_urlsafe(32))


def verify_password(stored: str | None, password: str) -> bool:
    current = _current_hasher()
    try:
        return current.verify(stored or _stand_in_hash(current), password) and bool(stored)
    except (VerificationError, InvalidHashError):
        return False
