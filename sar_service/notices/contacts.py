"""Who to contact about the notice: the DPO, the headteacher, the school office.

Contact details sit in prose ("Our Data Protection Officer is Jane Smith ...")
as often as in a contact block, so each mention of a role takes the name, email
and phone that follow it. Emails and phone numbers found anywhere else are kept
too, with a role guessed from the address (dpo@, head@, office@) or "Contact".
"""

from __future__ import annotations

import re
from typing import Any

_ROLES = [
    (role, re.compile(pattern, re.I))
    for role, pattern in (
        ("Data Protection Officer", r"data protection officer|\bDPO\b"),
        ("Headteacher", r"\bhead ?teacher\b|\bhead of school\b|\bprincipal\b"),
        (
            "School office",
            r"\bschool office\b|\b(?:school )?administrator\b|\boffice manager\b"
            r"|\bschool business manager\b|\bbusiness manager\b",
        ),
    )
]
_NAME = re.compile(
    r"\s*(?:\([^)]*\)\s*)?(?:[-–—:,]|\bis\b)\s*((?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+)?"
    r"[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+){0,2})"
)
_NOT_NAME = {"The", "Our", "Your", "Please", "If", "School", "Data", "Tel", "Telephone", "Email"}
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,6}")
_PHONE = re.compile(r"(?<![\d+])(?:\+44\s?(?:\(0\)\s?)?|0)\d(?:[\s-]?\d){8,9}(?!\d)")
_MAX_MENTIONS = 40  # per paragraph: enough for any real notice, bounded for junk
_ASKED = re.compile(
    r"\b(?:contact|speak to|talk to|write to|ask|email|call|phone)\b(?:\s+\S+){0,3}\s*$", re.I
)


def contacts(texts: list[str]) -> list[dict[str, Any]]:
    """One contact per role: the name after the role, and the email/phone in its sentence."""
    found: dict[str, dict[str, Any]] = {}
    texts = [" ".join(text.split()) for text in texts]
    for text in texts:
        mentions = sorted(
            (m.start(), m.end(), role) for role, rx in _ROLES for m in rx.finditer(text)
        )[:_MAX_MENTIONS]
        for start, end, role in mentions:
            stop = next((s for s, _, r in mentions if s >= end and r != role), len(text))
            window = text[end : min(stop, end + 160)]
            name = _NAME.match(window)
            name_text = name[1] if name and name[1].split()[0] not in _NOT_NAME else None
            if name_text and len(name_text.split()) < 2:
                name_text = None
            email, phone = _EMAIL.search(window), _PHONE.search(window)
            if name_text or email or phone or _ASKED.search(text[max(start - 40, 0) : start]):
                _merge(found, role, name_text, email and email[0], phone and phone[0])
    for text in [_not_the_ico(t) for t in texts]:
        for email in _EMAIL.findall(text):
            if all(c["email"] != email for c in found.values()):
                _merge(found, _role_for_email(email), None, email, None)
        for phone in _PHONE.findall(text):
            if all(c["phone"] != phone for c in found.values()):
                _merge(found, "Contact", None, None, phone)
    return list(found.values())


_ICO = re.compile(r"information commissioner|\bico\b", re.I)


def _not_the_ico(text: str) -> str:
    """The text without sentences about the ICO: its helpline is not the school's number."""
    sentences = re.split(r"(?<=[.!?])\s+", text)
    return " ".join(s for s in sentences if not _ICO.search(s))


def _role_for_email(email: str) -> str:
    local = email.split("@")[0].lower()
    for role, pattern in (("Data Protection Officer", r"dpo|gdpr|data"), ("Headteacher", r"head"),
                          ("School office", r"office|admin|enquir|info")):  # fmt: skip
        if re.search(pattern, local):
            return role
    return "Contact"


def _merge(found: dict, role: str, name: str | None, email: str | None, phone: str | None) -> None:
    contact = found.setdefault(role, {"role": role, "name": None, "email": None, "phone": None})
    for field, value in (("name", name), ("email", email), ("phone", phone)):
        contact[field] = contact[field] or value
