"""API bearer tokens: shown once, stored as SHA-256."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.clock import now
from sar_service.models import ApiToken, User

PREFIX = "sar_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(session: Session, user: User, name: str = "") -> str:
    """Create a token for a user; the caller shows it once and commits."""
    token = PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user.id, token_hash=_digest(token), name=name))
    return token


def user_for(session: Session, token: str) -> User | None:
    """The active user a token belongs to, or None."""
    if not token.startswith(PREFIX):
        return None
    row = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == _digest(token), ApiToken.revoked.is_(False))
    )
    if row is None or not row.user.is_active:
        return None
    row.last_used_at = now()
    return row.user
