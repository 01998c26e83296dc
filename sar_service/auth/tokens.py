"""API bearer tokens: shown once, stored as SHA-256, expiring, revocable by their owner."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sar_service.clock import now
from sar_service.models import ApiToken, User

PREFIX = "sar_"
#: How long a new token works. A leaked token that nobody remembers must not work forever.
LIFETIME = timedelta(days=90)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(session: Session, user: User, name: str = "", lifetime: timedelta = LIFETIME) -> str:
    """Create a token for a user; the caller shows it once and commits."""
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=_digest(token), name=name[:100])
    row.expires_at = now() + lifetime
    session.add(row)
    return token


def listed(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens, newest first (revoked and expired ones too, marked as such)."""
    query = select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    return list(session.scalars(query))


def revoke(session: Session, user: User, token_id: int) -> bool:
    """Revoke one of the user's own tokens; False if they have no such token."""
    row = session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        return False
    row.revoked = True
    return True


def revoke_all(session: Session, user: User) -> None:
    """Every token of the user stops working (a password reset, say); the caller commits."""
    session.execute(update(ApiToken).where(ApiToken.user_id == user.id).values(revoked=True))


def user_for(session: Session, token: str) -> User | None:
    """The active user a token belongs to, or None."""
    if not token.startswith(PREFIX):
        return None
    row = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == _digest(token), ApiToken.revoked.is_(False))
    )
    if row is None or not row.user.is_active:
        return None
    if row.expires_at is not None and row.expires_at <= now():
        return None
    row.last_used_at = now()
    return row.user
