"""Suggest third-party information to redact from a disclosure, and remove what staff accept.

Pure Python: the caller passes the extracted text, the school roll and the names to keep (the
data subject and the requester). Offsets always refer to that text, so a review decision can be
stored against a suggestion's ``key`` and replayed when the redacted copy is produced.
"""

from __future__ import annotations

import bisect
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from sar_service.records.names import find_names, name_words

NAME_LABEL = "[REDACTED – third party]"
#: Suggestion kinds that are people's names (all replaced with NAME_LABEL).
NAME_KINDS = frozenset({"name", "staff_name"})
OTHER_LABEL = "[REDACTED]"

_ROLE_NOUNS = {
    "pupil": "another pupil on the school roll",
    "parent": "a parent or carer on the school roll",
    "staff": "a member of staff",
}
_STAFF_NOTE = "; staff named in their professional role are often disclosed"
_FORM_NOTES = {"full": "", "first": " (first name only)", "title": " (title and surname)"}
_TITLES = ("mrs", "mr", "ms", "miss", "mx", "dr")

# Regex units of the roll pattern: separators between name words, and a title of address.
_SP, _COMMA, _INIT, _TITLE = "\x00sp", "\x00comma", "\x00init", "\x00title"
_UNIT_RE = {
    _SP: r"\s{1,3}",
    _COMMA: r"\s*,\s*",
    _INIT: r"(?:\.\s{0,2}|\s{1,3})",
    _TITLE: r"(?:" + "|".join(_TITLES) + r")\.?",
}
_UNIT_KEY = {_SP: " ", _COMMA: ", ", _INIT: " ", _TITLE: "<t>"}
_NAME_EDGES = (r"(?<![\w-])(?:", r")(?![\w-])")

_PATTERNS = {
    "email": re.compile(r"(?<![\w.+-])[\w.%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"),
    "phone": re.compile(
        r"(?<![\w+])(?:(?:\+44|0044)[ \t\u00a0]?(?:\(0\)[ \t\u00a0]?)?|\(?0)"
        r"(?:\d[ \t\u00a0)-]{0,2}){9}\d(?!\d)"
    ),
    "upn": re.compile(r"(?<![A-Za-z0-9])[A-Za-z]\d{11}[0-9A-Za-z](?![A-Za-z0-9])"),
    "postcode": re.compile(
        r"(?<![A-Za-z0-9])(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ \t\u00a0]?\d[ABD-HJLNP-UW-Z]{2}"
        r"|GIR ?0AA)(?![A-Za-z0-9])"
    ),
    "address": re.compile(
        r"(?<![\w/.:£$-])\d{1,4}[A-Za-z]?,?[ \t\u00a0]+(?:[A-Z][\w'’-]*[ \t\u00a0]+){1,3}"
        r"(?:Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Crescent|Cres|Place|Pl"
        r"|Gardens|Gdns|Grove|Court|Ct|Terrace|Mews|Row|Walk|Square|Sq|Hill|Rise|View|Parade"
        r"|Green|Park)\b\.?"
    ),
}
_REASONS = {
    "email": "Email address that may belong to someone other than the pupil",
    "phone": "Phone number that may belong to someone other than the pupil",
    "upn": "Unique pupil number (UPN), which identifies a pupil",
    "postcode": "Postcode that may show where a third party lives",
    "address": "Street address that may show where a third party lives",
}


@dataclass(frozen=True)
class Person:
    """Someone on the school roll; ``role`` is pupil, parent or staff."""

    name: str
    role: str


@dataclass(frozen=True)
class Suggestion:
    """One proposed redaction; ``key`` lets a review decision outlive a re-run of the search."""

    start: int
    end: int
    text: str
    kind: str
    reason: str
    key: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.key:
            digest = hashlib.sha256(f"{self.kind}\x1f{self.start}\x1f{self.text}".encode())
            object.__setattr__(self, "key", digest.hexdigest()[:16])

    @property
    def label(self) -> str:
        """What replaces the text: names say why, so the reader knows it was a third party."""
        return NAME_LABEL if self.kind in NAME_KINDS else OTHER_LABEL


@dataclass(frozen=True)
class _Variant:
    """A way one or more people on the roll may be written: full, first or title form."""

    people: tuple[Person, ...]
    form: str
    surname: str


@dataclass(frozen=True)
class _Keep:
    """What must never be suggested: the subject's and requester's names and own details."""

    index: _NameIndex
    keys: frozenset[str]
    surnames: frozenset[str]
    values: frozenset[str]
    words: frozenset[str] = frozenset()


# ---------------------------------------------------------------- text normalisation


_FOLD: dict[int, str] = {0x2019: "'", 0x2018: "'", 0x02BC: "'", 0x2010: "-", 0x2011: "-"}


def _fold_char(code: int) -> str:
    """One character in, one out: accent stripping must never shift offsets."""
    if code not in _FOLD:
        base = unicodedata.normalize("NFKD", chr(code))[:1]
        _FOLD[code] = base if base and not unicodedata.combining(base) else chr(code)
    return _FOLD[code]


def _fold(text: str) -> str:
    """Fold accents and curly apostrophes so "Zoe O’Neill" finds "Zoë O'Neill"."""
    if text.isascii():
        return text
    return "".join(ch if ord(ch) < 128 else _fold_char(ord(ch)) for ch in text)


_TITLE_KEY = re.compile(r"^(?:" + "|".join(_TITLES) + r")\.?\s+")


def _name_key(text: str) -> str:
    """The lookup key for a matched name, equal for every spelling the pattern accepts."""
    key = _fold(text).lower().replace(".", " ")
    key = re.sub(r"\s*,\s*", ", ", key)
    key = re.sub(r"\s+", " ", key).strip()
    return _TITLE_KEY.sub("<t> ", key) if _TITLE_KEY.match(key) else key


def _words(name: str) -> list[str]:
    """Lower-case words of a name in "First Last" order (MIS exports say "Last, First")."""
    name = _fold(name).lower()
    if "," in name:
        last, _, first = name.partition(",")
        name = f"{first} {last}"
    return name.replace(".", " ").split()


# ---------------------------------------------------------------- roll pattern


def _variants(words: list[str], adult: bool) -> list[tuple[str, tuple[str, ...]]]:
    """Forms a name takes in school records: full, "Surname, First", "J. Smith", "Mrs Smith"."""
    if len(words) < 2:
        return [("first", tuple(words))]
    first, last, middle = words[0], words[-1], words[1:-1]
    fulls = [words, [first, last]] if middle else [words]
    out: list[tuple[str, tuple[str, ...]]] = []
    for full in fulls:
        out.append(("full", _join(full, _SP)))
        out.append(("full", (last, _COMMA, *_join(full[:-1], _SP))))
    out.append(("full", (first[0], _INIT, last)))
    out.append(("first", (first,)))
    if adult:
        out.append(("title", (_TITLE, _SP, last)))
    return out


def _join(words: list[str], sep: str) -> tuple[str, ...]:
    return tuple(unit for word in words for unit in (sep, word))[1:]


def _key_of(units: tuple[str, ...]) -> str:
    return "".join(_UNIT_KEY.get(u, u) for u in units)


def _roll_table(roll: tuple[Person, ...]) -> dict[tuple[str, ...], _Variant]:
    """Every spelling to look for; a first name alone only when one person on the roll has it."""
    words_of = {person: _words(person.name) for person in roll}
    first_counts: dict[str, int] = {}
    for words in words_of.values():
        if words:
            first_counts[words[0]] = first_counts.get(words[0], 0) + 1
    table: dict[tuple[str, ...], _Variant] = {}
    for person, words in words_of.items():
        if not words:
            continue
        for form, units in _variants(words, adult=person.role != "pupil"):
            if form == "first" and len(words) > 1 and first_counts[words[0]] > 1:
                continue
            old = table.get(units)
            if old is None:
                table[units] = _Variant((person,), form, words[-1])
            elif person not in old.people:
                table[units] = _Variant((*old.people, person), old.form, old.surname)
    return table


def _trie_regex(sequences: Iterable[tuple[str, ...]]) -> str:
    """A trie-shaped alternation: thousands of names cost one pass, not one pass per name."""
    trie: dict = {}
    for units in sequences:
        node = trie
        for unit in units:
            if unit in _UNIT_RE:
                node = node.setdefault(unit, {})
            else:
                for ch in unit:
                    node = node.setdefault(ch, {})
        node[""] = {}
    return _emit(trie)


def _piece_re(piece: str) -> str:
    return _UNIT_RE.get(piece) or (piece if piece.isalnum() else re.escape(piece))


def _emit(node: dict) -> str:
    """Regex for a trie node; single-child chains are walked in a loop to keep recursion shallow."""
    parts = []
    pieces = [p for p in node if p]
    while len(pieces) == 1 and "" not in node:
        parts.append(_piece_re(pieces[0]))
        node = node[pieces[0]]
        pieces = [p for p in node if p]
    if pieces:
        branches = "|".join(_piece_re(p) + _emit(node[p]) for p in pieces)
        parts.append("(?:" + branches + ")" + ("?" if "" in node else ""))
    return "".join(parts)


class _NameIndex:
    """A compiled name pattern plus the table that says who each match refers to."""

    def __init__(self, table: dict[tuple[str, ...], _Variant]) -> None:
        self.variants = {_key_of(units): v for units, v in table.items()}
        body = _trie_regex(table)
        self.pattern = re.compile(_NAME_EDGES[0] + body + _NAME_EDGES[1], re.I) if body else None

    def matches(self, folded: str) -> Iterator[tuple[int, int, _Variant]]:
        """Longest match at each start, left to right, as (start, end, variant)."""
        if self.pattern is None:
            return
        for match in self.pattern.finditer(folded):
            variant = self.variants.get(_name_key(match.group()))
            if variant is not None:
                yield match.start(), match.end(), variant


@lru_cache(maxsize=8)
def _roll_index(roll: tuple[Person, ...]) -> _NameIndex:
    """Compiled once per roll (the slow part), then reused for every document and case."""
    return _NameIndex(_roll_table(roll))


@lru_cache(maxsize=64)
def _keep_rules(keep: tuple[str, ...]) -> _Keep:
    table: dict[tuple[str, ...], _Variant] = {}
    for name in keep:
        words = _words(name)
        if words and "@" not in name and not any(ch.isdigit() for ch in name):
            for form, units in _variants(words, adult=False):
                table[units] = _Variant((), form, words[-1])
    keys = frozenset(_key_of(units) for units in table)
    surnames = frozenset(v.surname for v in table.values())
    kept_words = frozenset(
        w for name in keep if "@" not in name and not any(ch.isdigit() for ch in name)
        for w in name_words(name)
    )  # fmt: skip
    return _Keep(_NameIndex(table), keys, surnames, frozenset(_kept_values(keep)), kept_words)


def _name_candidates(text: str, roll: _NameIndex, keep: _Keep) -> list[tuple[Suggestion, bool]]:
    """Name candidates as (suggestion, kept); kept ones only exist to shield their span."""
    folded = _fold(text)
    out = []
    for start, end, variant in roll.matches(folded):
        original = text[start:end]
        if variant.form == "first" and not original[:1].isupper():
            continue  # "will", "grace", "may" are words far more often than names
        kept = _name_key(original) in keep.keys or (
            variant.form == "title" and variant.surname in keep.surnames
        )
        reason = "" if kept else _name_reason(variant)
        out.append((Suggestion(start, end, original, "name", reason), kept))
    for start, end, _ in keep.index.matches(folded):
        out.append((Suggestion(start, end, text[start:end], "name", ""), True))
    return out


_HOW = {
    "title": "a title and surname",
    "first_name": "a known first name",
    "initial": "an initial and surname",
    "surname_first": 'a "Surname, First" form',
    "display_name": "an email display name",
    "signature": "a signature",
}


def _found_candidates(text: str, keep: _Keep) -> list[tuple[Suggestion, bool]]:
    """Names found without the roll; a name made only of the subject's or requester's words is
    kept ("Mrs Hart" when the requester is Sarah Hart)."""
    out = []
    for found in find_names(text):
        words = name_words(found.text)
        kept = bool(words) and set(words) <= keep.words
        if found.staff_role:
            kind = "staff_name"
            reason = (
                f"Name of someone acting as staff ({found.staff_role}), found from "
                f"{_HOW[found.how]}; staff named in their professional role are usually disclosed"
            )
        else:
            kind = "name"
            reason = (
                f"Name of a person who may be a third party (not matched on the school roll; "
                f"found from {_HOW[found.how]})"
            )
        reason = "" if kept else reason
        out.append((Suggestion(found.start, found.end, found.text, kind, reason), kept))
    return out


def _name_reason(variant: _Variant) -> str:
    roles = sorted({p.role for p in variant.people})
    if len(roles) == 1 and roles[0] in _ROLE_NOUNS:
        noun = _ROLE_NOUNS[roles[0]]
    else:
        noun = "a person on the school roll (could be " + " or ".join(roles) + ")"
    note = _STAFF_NOTE if roles == ["staff"] else ""
    return f"Name of {noun}{_FORM_NOTES[variant.form]}{note}"


# ---------------------------------------------------------------- other kinds


def _canon(kind: str, text: str) -> str:
    """Comparable form of an email, phone, UPN, postcode or address, to honour ``keep``."""
    if kind == "phone":
        digits = re.sub(r"\D", "", text.replace("(0)", ""))
        digits = re.sub(r"^(?:0044|44)", "0", digits)
        return digits if digits.startswith("0") else "0" + digits
    if kind in ("postcode", "upn"):
        return re.sub(r"\s", "", text).upper()
    return re.sub(r"\s+", " ", text).strip().lower().rstrip(".")


def _kept_values(keep: tuple[str, ...]) -> set[str]:
    """Keep entries in every comparable form, plus compact kept names for email local parts."""
    values: set[str] = set()
    for entry in keep:
        values.update(_canon(kind, entry) for kind in ("phone", "upn", "email"))
        words = re.sub(r"[^a-z ]", "", _fold(entry).lower()).split()
        if len(words) >= 2:
            values.update({words[0] + words[-1], words[-1] + words[0], words[0][0] + words[-1]})
    return values


def _is_kept(kind: str, text: str, kept: frozenset[str]) -> bool:
    if _canon(kind, text) in kept:
        return True
    if kind == "email":
        local = re.sub(r"[^a-z]", "", _fold(text.split("@")[0]).lower())
        return local in kept
    return False


def _valid_phone(text: str) -> bool:
    """A UK number: ten national digits after the 0 or +44, in a geographic or mobile range."""
    national = _canon("phone", text)[1:]
    return len(national) == 10 and national[0] in "1237"


def _pattern_candidates(text: str, kept: frozenset[str]) -> list[tuple[Suggestion, bool]]:
    out = []
    for kind, pattern in _PATTERNS.items():
        for match in pattern.finditer(text):
            value = match.group()
            if kind == "phone" and not _valid_phone(value):
                continue
            if kind == "address":
                value = value.rstrip(".")
            is_kept = _is_kept(kind, value, kept)
            reason = "" if is_kept else _REASONS[kind]
            end = match.start() + len(value)
            out.append((Suggestion(match.start(), end, value, kind, reason), is_kept))
    return out


# ---------------------------------------------------------------- public API


def _resolve(
    candidates: list[tuple[Suggestion, bool]], found: Sequence[tuple[Suggestion, bool]] = ()
) -> list[Suggestion]:
    """Longest match wins; kept matches take part (so they shield their span) but are dropped.

    Names ``found`` without the roll only fill gaps: the roll knows who a name belongs to.
    """
    ordered = sorted(candidates, key=lambda c: (c[0].start - c[0].end, c[0].start, not c[1]))
    ordered += sorted(found, key=lambda c: (c[0].start - c[0].end, c[0].start, not c[1]))
    starts: list[int] = []
    ends: list[int] = []
    chosen = []
    for suggestion, kept in ordered:
        i = bisect.bisect(starts, suggestion.start)
        clash_before = i > 0 and ends[i - 1] > suggestion.start
        if clash_before or (i < len(starts) and starts[i] < suggestion.end):
            continue
        starts.insert(i, suggestion.start)
        ends.insert(i, suggestion.end)
        if not kept:
            chosen.append(suggestion)
    return sorted(chosen, key=lambda s: (s.start, s.end))


@dataclass(frozen=True)
class Prepared:
    """The roll and keep rules compiled once, for many documents of one case (see ``prepare``)."""

    roll: _NameIndex
    keep: _Keep
    unlisted: bool = True


def prepare(roll: list[Person], keep: list[str], *, unlisted: bool = True) -> Prepared:
    """Compile (or fetch from cache) what ``suggest_with`` needs; hashing a big roll is not free,
    so a caller with thousands of documents prepares once."""
    return Prepared(_roll_index(tuple(roll)), _keep_rules(tuple(keep)), unlisted)


def suggest_with(text: str, prepared: Prepared) -> list[Suggestion]:
    """``suggest_redactions`` with the roll and keep rules already prepared."""
    candidates = _name_candidates(text, prepared.roll, prepared.keep)
    candidates += _pattern_candidates(text, prepared.keep.values)
    found = _found_candidates(text, prepared.keep) if prepared.unlisted else []
    return _resolve(candidates, found)


def suggest_redactions(
    text: str, roll: list[Person], keep: list[str], *, unlisted: bool = True
) -> list[Suggestion]:
    """Third-party names, contact details, UPNs and addresses in ``text``, sorted by start.

    ``keep`` holds the data subject's and requester's names (and optionally their own email,
    phone, UPN or address): those are their data, so they are never suggested. ``unlisted``
    also finds names that are not on the roll (titles, first names, signatures…).
    """
    return suggest_with(text, prepare(roll, keep, unlisted=unlisted))


def check_suggestions(text: str, accepted: list[Suggestion]) -> None:
    """Refuse to redact at stale offsets: a shifted span would leak the very name it targets."""
    for s in accepted:
        if not (0 <= s.start < s.end <= len(text)) or text[s.start : s.end] != s.text:
            raise ValueError(f"suggestion {s.key} no longer matches the document text")


def redaction_spans(accepted: list[Suggestion]) -> list[tuple[int, int, str]]:
    """Accepted suggestions as sorted, merged (start, end, label) spans."""
    spans: list[tuple[int, int, str]] = []
    for s in sorted(accepted, key=lambda s: (s.start, s.end)):
        if spans and s.start < spans[-1][1]:
            start, end, label = spans[-1]
            spans[-1] = (start, max(end, s.end), label)
        else:
            spans.append((s.start, s.end, s.label))
    return spans


def replace_spans(text: str, spans: list[tuple[int, int, str]]) -> str:
    """Splice labels into ``text``; spans must be sorted and not overlap."""
    pieces, pos = [], 0
    for start, end, label in spans:
        pieces += [text[pos:start], label]
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def apply_redactions(text: str, accepted: list[Suggestion]) -> str:
    """The text with every accepted span really removed and replaced by a label."""
    check_suggestions(text, accepted)
    return replace_spans(text, redaction_spans(accepted))
