"""Triage of imported messages so each text is read once: threads, duplicates, relevance.

Pure Python over small records (no database): the importer builds a
``MessageRecord`` per message and applies what these functions return.

- Threads join messages by Message-ID, In-Reply-To and References, and by
  subject once "Re:", "Fwd:" and list tags are stripped.
- Duplicates: the same message twice (same Message-ID, or the same headers
  and text) is an exact duplicate; the same text with other headers is a near
  duplicate; a message quoted in full by a later one in its thread is collapsed
  into that later one.
- Relevance: a message that mentions none of the search terms (the pupil's
  names and nicknames, UPN, date of birth, parents' names) is set aside, with
  the terms it was searched for, and can be brought back by staff.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from importlib import resources

from workflows.calendars import long_date, month_name

_SUBJECT_PREFIX = re.compile(
    r"^\s*(?:(?:re|fw|fwd|aw|sv|antw|tr)\s*(?:\[\d+\])?\s*:\s*|\[[^\]]*\]\s*)+", re.I
)
_ATTRIBUTION = re.compile(
    r"^(?:On .{4,300}wrote:|-{2,}\s*Original Message\s*-{2,}"
    r"|(?:From|Sent|To|Cc|Date|Subject): .*)$",
    re.I | re.M,
)
#: Normalised text shorter than this is too slight to call two messages duplicates.
MIN_DUPLICATE_CHARS = 40


def _digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


@dataclass(slots=True)
class MessageRecord:
    """What triage needs about one message; ``key`` is the caller's id (a document id).

    Only digests of the normalised text are kept (memory stays flat at 50,000
    messages): of the whole body, and of each tail that starts where a quoted
    earlier message starts, so "quoted in full by a later reply" is a set lookup.
    """

    key: int
    message_id: str
    in_reply_to: str
    references: list[str]
    subject: str
    sender: str
    sent_at: datetime | None
    body: str
    length: int = 0
    full: bytes = b""
    exact: bytes = b""
    tails: frozenset[bytes] = frozenset()

    def __post_init__(self) -> None:
        parts = normalise_parts(self.body)
        whole = " ".join(p for p in parts if p)
        self.length, self.full = len(whole), _digest(whole)
        self.tails = frozenset(
            _digest(" ".join(p for p in parts[i:] if p)) for i in range(1, len(parts))
        )
        self.subject = normalise_subject(self.subject)
        self.exact = _digest(f"{self.sender}\x1f{self.sent_at}\x1f{self.subject}") + self.full
        self.body = self.sender = ""  # only digests are kept: memory stays flat


@dataclass
class Collapse:
    into: int
    reason: str  # a key of models.mailbox.COLLAPSE_REASONS


def normalise_subject(subject: str) -> str:
    return re.sub(r"\s+", " ", _SUBJECT_PREFIX.sub("", subject or "")).strip().lower()


def normalise_parts(body: str) -> list[str]:
    """The body's words (quote marks, spacing and case removed) in the pieces that attribution
    lines ("On … wrote:", "From: …") separate: the first is the message's own text."""
    text = re.sub(r"^[ \t]*(?:>[ \t]?)+", "", body, flags=re.M)
    return [re.sub(r"\s+", " ", part).strip().lower() for part in _ATTRIBUTION.split(text)]


def threads(records: list[MessageRecord]) -> dict[int, str]:
    """key -> thread key (a short hash, equal for every message of one thread)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for r in records:
        node = f"doc:{r.key}"
        find(node)
        for ref in filter(None, [r.message_id, r.in_reply_to, *r.references]):
            union(node, f"id:{ref}")
        subject = normalise_subject(r.subject)
        if subject:
            union(node, f"subject:{subject}")
    return {r.key: hashlib.sha256(find(f"doc:{r.key}").encode()).hexdigest()[:16] for r in records}


def _order(r: MessageRecord):
    return (r.sent_at is None, r.sent_at or datetime.min, r.key)


def duplicates(records: list[MessageRecord], thread_of: dict[int, str]) -> dict[int, Collapse]:
    """Which messages to collapse, into which, and why; the kept one is read instead."""
    out: dict[int, Collapse] = {}
    by_id: dict[str, int] = {}
    by_exact: dict[bytes, int] = {}
    by_text: dict[bytes, int] = {}
    for r in sorted(records, key=_order):
        exact = r.exact
        if r.message_id and r.message_id in by_id:
            out[r.key] = Collapse(by_id[r.message_id], "exact_duplicate")
        elif exact in by_exact:
            out[r.key] = Collapse(by_exact[exact], "exact_duplicate")
        elif r.length >= MIN_DUPLICATE_CHARS and r.full in by_text:
            out[r.key] = Collapse(by_text[r.full], "near_duplicate")
        else:
            if r.message_id:
                by_id[r.message_id] = r.key
            by_exact[exact] = r.key
            by_text.setdefault(r.full, r.key)
    members: dict[str, list[MessageRecord]] = {}
    for r in records:
        if r.key not in out:
            members.setdefault(thread_of[r.key], []).append(r)
    for thread in members.values():
        if len(thread) < 2:
            continue
        thread.sort(key=_order)
        for i, earlier in enumerate(thread):
            if earlier.length < MIN_DUPLICATE_CHARS:
                continue
            for later in reversed(thread[i + 1 :]):
                if later.key not in out and earlier.full in later.tails:
                    out[earlier.key] = Collapse(later.key, "quoted_in_later")
                    break
    return out


# ---------------------------------------------------------------- relevance


@lru_cache(maxsize=1)
def nicknames() -> dict[str, tuple[str, ...]]:
    text = resources.files("sar_service.records").joinpath("data/nicknames.txt").read_text()
    out: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if ":" in line and not line.startswith("#"):
            name, _, short = line.partition(":")
            out[name.strip()] = tuple(s.strip() for s in short.split(",") if s.strip())
    return out


def _date_forms(day: date) -> list[str]:
    d, m, y = day.day, day.month, day.year
    month = month_name(m)  # English whatever the locale
    return [
        f"{d:02d}/{m:02d}/{y}", f"{d}/{m}/{y}", f"{d:02d}.{m:02d}.{y}", f"{d:02d}-{m:02d}-{y}",
        day.isoformat(), f"{d} {month} {y}", f"{d} {month[:3]} {y}", f"{month} {d}, {y}",
        f"{d:02d}/{m:02d}/{y % 100:02d}",
    ]  # fmt: skip


@dataclass
class SearchTerms:
    """The terms a message must mention to be read; listed on the case as the search record."""

    terms: list[str]
    pattern: re.Pattern = field(repr=False)

    def mentions(self, text: str) -> bool:
        return self.pattern.search(text) is not None

    def describe(self) -> str:
        return ", ".join(self.terms)


def search_terms(
    subject_name: str,
    dob: date | None = None,
    upns: Sequence[str] = (),
    parent_names: Sequence[str] = (),
    other_names: Sequence[str] = (),
) -> SearchTerms:
    """The pupil's full name, first name, known nicknames, UPN, date of birth, parents' names."""
    terms: list[str] = []
    words = subject_name.split()
    for name in [subject_name, *other_names]:
        if name and name not in terms:
            terms.append(name)
    if words:
        first, last = words[0], words[-1]
        if len(words) > 1:
            terms.append(f"{last}, {first}")
        terms.append(first)
        for short in nicknames().get(first.lower(), ()):
            terms.append(short.title())
    terms += [u for u in upns if u]
    if dob:
        terms += _date_forms(dob)
    terms += [p for p in parent_names if p]
    unique = list(dict.fromkeys(t.strip() for t in terms if t.strip()))
    alternatives = sorted((re.escape(t).replace(r"\ ", r"\s+") for t in unique), key=len)[::-1]
    pattern = re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])", re.I)
    return SearchTerms(unique, pattern)


def set_aside_reason(terms: SearchTerms) -> str:
    return f"Does not mention the pupil (searched for: {terms.describe()})"


# ---------------------------------------------------------------- wrong person

_DATE = (
    r"(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2}|\d{1,2}(?:st|nd|rd|th)? [A-Z][a-z]+ \d{4})"
)
_DOB = re.compile(r"(?:\bDOB\b|\bD\.O\.B\.?|date of birth|\bborn(?: on)?)[\s:,-]*" + _DATE, re.I)
_UPN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]\d{11}[0-9A-Za-z](?![A-Za-z0-9])")
_MONTHS = {month_name(i)[:3].lower(): i for i in range(1, 13)}


def _parse_date(text: str) -> date | None:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text)
        m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})", text)
        if m:
            d, mo, y = (int(x) for x in m.groups())
            return date(y + 2000 if y < 100 else y, mo, d)
        m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]+) (\d{4})", text)
        if m and m.group(2)[:3].lower() in _MONTHS:
            return date(int(m.group(3)), _MONTHS[m.group(2)[:3].lower()], int(m.group(1)))
    except ValueError:
        return None
    return None


def wrong_person(
    text: str, subject_name: str, dob: date | None, upns: list[str], window: int = 200
) -> str:
    """Why the text may be about another child with the same name ("" if nothing says so)."""
    name = re.compile(re.escape(subject_name).replace(r"\ ", r"\s+"), re.I)
    known_upns = {u.upper() for u in upns if u}
    for hit in name.finditer(text):
        near = text[max(0, hit.start() - window) : hit.end() + window]
        for m in _DOB.finditer(near):
            found = _parse_date(m.group(1))
            if dob and found and found != dob:
                return (
                    f"Names {subject_name} with date of birth {m.group(1)}, not the pupil's "
                    f"{long_date(dob)}: it may be about a different child with the same name"
                )
        for m in _UPN.finditer(near):
            if known_upns and m.group().upper() not in known_upns:
                return (
                    f"Names {subject_name} with UPN {m.group()}, which is not the pupil's: "
                    f"it may be about a different child with the same name"
                )
    return ""
