"""Asking about something, or asking for it? "How do I complain?" is a question; "I want to
complain" starts a complaint.

The conversation answers questions from the privacy notice and starts a
request only when the parent asks for one. Questions about a right ("how do I
complain?", "can I see my son's file?" is different: that asks *to* see it)
are answered; wanting, asking someone to act, or telling the school what to do
starts the request. When the words say neither, the request patterns decide
(see ``understand``).
"""

from __future__ import annotations

import re

from sar_service.notices.words import normalise

_WANT = re.compile(
    r"\b(?:i|we)\s+(?:would|'d|d)?\s*(?:like|want|wish|need|demand|insist|request|am requesting"
    r"|am writing to|am making|'m making|hereby|withdraw|object|do not consent|no longer consent"
    r"|do not want|do not agree)\b"
    r"|\b(?:this is|consider this)\s+(?:a|my)\b"
    r"|^(?:please\s+)?(?:send|give|delete|erase|remove|stop|correct|fix|change|update|provide"
    r"|email|post|take|share|restrict|forward)\b"
    r"|\bplease\s+(?:send|give|delete|erase|remove|stop|correct|fix|change|update|provide"
    r"|restrict|take|email|forward)\b"
    r"|^(?:can|could|would|will)\s+(?:you|the school|someone)\s+(?:please\s+)?(?:send|give|delete"
    r"|erase|remove|stop|correct|fix|change|update|provide|email|post|take|restrict|forward"
    r"|let me (?:have|see))\b"
    r"|^(?:can|could|may)\s+i\s+(?:please\s+)?(?:have|get|receive|see|obtain|request)\b"
    r"(?!.*\b(?:how|where|when)\b).*\b(?:copy|copies|records?|data|information|file|files"
    r"|reports?|books?|everything)\b",
)
# "I want to know / understand / ask" is still a question.
_WANT_TO_KNOW = re.compile(
    r"\b(?:i|we)\s+(?:would|'d|d)?\s*(?:like|want|wish|need)\s+(?:to\s+)?(?:know|understand"
    r"|find out|check|ask|be told|learn)\b|\b(?:i was wondering|just wondering|i wonder)\b"
)
_QUESTION = re.compile(
    r"^(?:who|what|why|how|where|when|which|whose|whom|do|does|did|is|are|was|were|will|would"
    r"|should|has|have|can|could|may|might)\b|\?\s*$"
)
_HOW_TO = re.compile(
    r"\bhow (?:do|can|would|should|could) (?:i|we|parents?|you)\b|\bhow to\b"
    r"|\bwhat (?:happens|do i do|should i do|is the process)\b"
    r"|\bwho (?:do|should|can) i\b|\bam i (?:allowed|able)\b"
    r"|\bdo i have (?:a|the) right\b|\bwhere (?:do|can|should) i\b"
    r"|^(?:can|could|may) i\b.*\b(?:if|when|whether)\b"
)  # "… if it's wrong?"


def asks_about(text: str) -> bool:
    """A question about something (answered from the notice), not a request to do it."""
    said = normalise(text or "").strip()
    if not said:
        return False
    if _WANT_TO_KNOW.search(said) or _HOW_TO.search(said):
        return True  # "how do I ask for a copy?" asks about it, even with "copy" in it
    if _WANT.search(said):
        return False
    return bool(_QUESTION.search(said))
