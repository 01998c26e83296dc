"""People's names in any text, without the school roll.

A school with no roll imported (or a name the roll does not hold: a parent, a
social worker, a pupil at another school) must still be shown the names in a
document. This finds them from titles ("Mrs Bennett"), capitalised words that
start with a known first name ("Priya Sharma"), initials ("J. Fletcher"),
"Surname, First" forms, email display names and signature blocks, and says
whether the person seems to be acting as staff (a role named beside them), which
the ICO treats differently from other third parties.

Pure Python; offsets refer to the text given (accents are folded one character
for one, so offsets never move).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

TITLES = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr")

_UP = "A-ZÀ-ÖØ-ÞŁŚŻŹĆŃ"
_LOW = "a-zß-öø-ÿłśżźćńąęó"
#: One word of a name: "Turner", "O'Connor", "McDonald", "Lily-Mae", "Nowak".
WORD = rf"(?:Mc|Mac|O['’]|D['’])?[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?"
_SEQ = re.compile(rf"(?<![\w'’-])(?:[{_UP}]\.\s?)?{WORD}(?:[ \t]+{WORD}){{0,3}}(?![\w-])")
_TITLED = re.compile(
    rf"(?<![\w-])(?:{'|'.join(TITLES)})\.?[ \t]+(?:[{_UP}]\.?[ \t]+)?{WORD}(?:[ \t]+{WORD})?"
    rf"(?![\w-])"
)
_INITIAL = re.compile(rf"(?<![\w.])[{_UP}]\.[ \t]?{WORD}(?![\w-])")
_COMMA_FORM = re.compile(rf"(?<![\w-])({WORD}),[ \t]+({WORD})(?![\w-])")
_AFTER_WORD = re.compile(rf"{WORD}[ \t]+$")
_BEFORE_WORD = re.compile(rf"[ \t]+{WORD}")
_DISPLAY = re.compile(
    rf"(?:^|[:,;][ \t]*)\"?({WORD}(?:,?[ \t]+{WORD}){{1,3}})\"?[ \t]*<[^<>@\s]+@[^<>\s]+>",
    re.M,
)
_SIGN_OFF = re.compile(
    r"^[ \t]*(?:kind(?:est)? regards|warm regards|best regards|regards|best wishes|many thanks"
    r"|thanks|thank you|with thanks|best|cheers|yours sincerely|yours faithfully|yours truly"
    r"|love|all the best|take care)[,.!]?[ \t]*$",
    re.I | re.M,
)
ROLE = re.compile(
    r"\b(?:head ?teacher|head of (?:year|department|school|[A-Za-z]+)|deputy head(?:teacher)?"
    r"|assistant head(?:teacher)?|class teacher|form tutor|teacher|tutor|send?co|dsl"
    r"|designated safeguarding lead|safeguarding lead|teaching assistant|learning mentor"
    r"|pastoral (?:lead|manager|officer|support)|school nurse|office manager|business manager"
    r"|school business manager|bursar|receptionist|principal|attendance officer"
    r"|family liaison officer|inclusion (?:lead|manager)|caretaker|lunchtime supervisor"
    r"|(?:year|key stage) \d+ lead|phase lead|executive head)\b",
    re.I,
)
_ROLE_LOWER = re.compile(ROLE.pattern)
#: Capitalised words that end a name when they follow one ("Victoria Road", "Amira Monday").
_NOT_SURNAME = frozenset(
    """
    monday tuesday wednesday thursday friday saturday sunday january february march april
    june july august september october november december school primary academy college
    nursery road street lane avenue close drive way crescent year class group team centre
    trust council reception and the of to in on at for with from re fw fwd dear hi hello
    thanks regards kind best please sent subject date cc bcc pe re maths english science
    music art history geography french spanish german computing mr mrs ms miss dr mx
    """.split()  # noqa: SIM905  (a word list reads better as words)
)
#: Capitalised words that are never a first name even though they start sentences.
_NOT_NAME = frozenset({"i"})


@dataclass(frozen=True)
class FoundName:
    """A name in the text: where, how it was found, and whether a staff role sits beside it."""

    start: int
    end: int
    text: str
    how: str  # title, first_name, initial, surname_first, display_name, signature
    staff_role: str = ""


@lru_cache(maxsize=1)
def first_names() -> tuple[frozenset[str], frozenset[str]]:
    """(all first names, those that are also common words), from the list shipped with us."""
    names, ambiguous = set(), set()
    text = resources.files("sar_service.records").joinpath("data/first_names.txt").read_text()
    for line in text.splitlines():
        word = line.strip().lower()
        if not word or word.startswith("#"):
            continue
        if word.endswith("*"):
            word = word[:-1]
            ambiguous.add(word)
        names.add(word)
    return frozenset(names), frozenset(ambiguous)


def _lower(word: str) -> str:
    return word.lower().replace("’", "'")


def _sentence_start(text: str, pos: int) -> bool:
    """True at the start of the text, a line, or after . ! ? (where every word is capitalised)."""
    i = pos - 1
    while i >= 0 and text[i] in " \t\"'“(":
        i -= 1
    return i < 0 or text[i] in ".!?:\n\r"


class _Roles:
    """Every staff role named in the text, found in one pass, looked up by position."""

    def __init__(self, text: str) -> None:
        self.text = text
        lowered = text.lower()  # matching lower-case text without re.I is many times faster
        same = len(lowered) == len(text)  # lower() can lengthen a few letters (İ)
        found = _ROLE_LOWER.finditer(lowered) if same else ROLE.finditer(text)
        self.found = [(m.start(), m.end(), text[m.start() : m.end()]) for m in found]
        self.starts = [start for start, _, _ in self.found]

    def near(self, start: int, end: int, lines_after: int = 0) -> str:
        """A role on the same line as the name (or on the next lines of a signature)."""
        text = self.text
        if not self.found:
            return ""
        reach = end + 80 * (lines_after + 1)
        line_start = text.rfind("\n", max(0, start - 60), start) + 1
        stop = text.find("\n", end, reach)
        for _ in range(lines_after):
            if stop < 0:
                break
            stop = text.find("\n", stop + 1, reach)
        stop = reach if stop < 0 else stop
        low, high = max(line_start, start - 60), min(stop, end + 80 * (lines_after + 1))
        i = bisect.bisect_left(self.starts, low)
        while i < len(self.found) and self.found[i][0] < high:
            if self.found[i][1] <= high:
                return self.found[i][2]
            i += 1
        return ""


def _trim_words(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Drop trailing words that cannot be surnames ("Jake Turner Monday" → "Jake Turner")."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while len(words) > 1 and _lower(words[-1].group()).strip(".") in _NOT_SURNAME:
        words.pop()
    if not words:
        return None
    return start, start + words[-1].end()


def _by_first_name(text: str, names: frozenset[str], ambiguous: frozenset[str]):
    for match in _SEQ.finditer(text):
        words = list(re.finditer(rf"(?:[{_UP}]\.\s?)?{WORD}", match.group()))
        for i, word in enumerate(words):
            key = _lower(word.group())
            if key not in names or key in _NOT_NAME:
                continue
            start = match.start() + word.start()
            rest = words[i + 1 : i + 3]
            surname = []
            for w in rest:
                if _lower(w.group()) in _NOT_SURNAME:
                    break
                surname.append(w)
            end = match.start() + (surname[-1] if surname else word).end()
            if not surname and (
                key in ambiguous
                or (_sentence_start(text, start) and text[end : end + 1] in ("", "\n"))
            ):
                break  # "Will", "Grace": words first; a lone capitalised line is a heading
            yield start, end, "first_name"
            break


def find_names(text: str) -> list[FoundName]:
    """Every name-like span, longest first at each start; callers resolve overlaps."""
    names, ambiguous = first_names()
    spans: list[tuple[int, int, str, int]] = []  # (start, end, how, lines of signature after)
    for m in _TITLED.finditer(text):
        trimmed = _trim_words(text, m.start(), m.end())
        if trimmed and trimmed[1] - trimmed[0] > len(m.group().split()[0]) + 1:
            spans.append((*trimmed, "title", 0))
    for start, end, how in _by_first_name(text, names, ambiguous):
        spans.append((start, end, how, 0))
    for m in _INITIAL.finditer(text):
        if _lower(m.group().split(".")[-1].strip()) not in _NOT_SURNAME:
            spans.append((m.start(), m.end(), "initial", 0))
    for m in _COMMA_FORM.finditer(text):
        in_list = _AFTER_WORD.search(text, max(0, m.start() - 60), m.start()) or _BEFORE_WORD.match(
            text, m.end()
        )
        if in_list:
            continue  # "Jake Turner, Priya Sharma" is a list, not "Turner, Priya"
        if _lower(m.group(2)) in names and _lower(m.group(1)) not in _NOT_SURNAME:
            spans.append((m.start(), m.end(), "surname_first", 0))
    for m in _DISPLAY.finditer(text):
        spans.append((m.start(1), m.end(1), "display_name", 0))
    for m in _SIGN_OFF.finditer(text):
        line = re.match(r"\s*\n[ \t]*([^\n]+)", text[m.end() :])
        if not line:
            continue
        start = m.end() + line.start(1)
        candidate = line.group(1).rstrip()
        full = re.fullmatch(
            rf"(?:(?:{'|'.join(TITLES)})\.?[ \t]+)?{WORD}(?:[ \t]+{WORD}){{0,2}}", candidate
        )
        if full and _lower(candidate.split()[0]) not in _NOT_SURNAME:
            spans.append((start, start + len(candidate), "signature", 2))
    roles: dict = {}
    near = _Roles(text)
    for start, end, _how, after in spans:
        role = near.near(start, end, after)
        if role:  # someone signing as "Class Teacher" is staff wherever they are named
            roles.setdefault(" ".join(name_words(text[start:end])), role)
    out = []
    for start, end, how, _after in spans:
        role = roles.get(" ".join(name_words(text[start:end])), "")
        out.append(FoundName(start, end, text[start:end], how, role))
    return out


def name_words(name: str) -> list[str]:
    """Lower-case words of a name without titles or initials: what "kept" compares."""
    words = re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", name)
    return [_lower(w) for w in words if len(w) > 1 and w.lower() not in {t.lower() for t in TITLES}]
