"""Two-factor sign-in: TOTP codes (RFC 6238), QR enrolment, one-time recovery codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from sar_service.clock import now
from sar_service.models import RecoveryCode, User

ISSUER = "SAR Service"
STEP = 30
RECOVERY_COUNT = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG (no image request, no external service)."""
    svg = segno.make(uri, error="m").svg_inline(scale=4, border=2, title="QR code for your app")
    return svg.replace("<svg ", '<svg role="img" aria-label="QR code to scan" ', 1)


def matching_step(secret: str, code: str, at: datetime, after: int | None = None) -> int | None:
    """The time step whose code matches (±1 step for clock drift), newer than ``after``."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int(at.timestamp()) // STEP
    for step in (current - 1, current, current + 1):
        if after is not None and step <= after:
            continue
        if hmac.compare_digest(totp.at(step * STEP), code):
            return step
    return None


def verify_user_code(user: User, code: str, at: datetime | None = None) -> bool:
    """Check a code for a user and remember its step, so a code works only once."""
    if not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, code, at or now(), user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    return True


def _digest(code: str) -> str:
    clean = "".join(ch for ch in code.lower() if ch.isalnum())
    return hashlib.sha256(clean.encode()).hexdigest()


def issue_recovery_codes(session: Session, user: User) -> list[str]:
    """Replace the user's recovery codes; return the new ones to show once."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_COUNT):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        code = f"{raw[:5]}-{raw[5:]}"
        codes.append(code)
        session.add(RecoveryCode(user_id=user.id, code_hash=_digest(code)))
    session.flush()
    return codes


def use_recovery_code(session: Session, user: User, code: str) -> bool:
    """Spend a recovery code; False if it is wrong or already used."""
    row = session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _digest(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return False
    row.used_at = now()
    return True


def recovery_codes_left(session: Session, user: User) -> int:
    return session.execute(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    ).scalar_one()
