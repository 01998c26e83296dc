"""Understanding a parent in their own language, from a phrase table per language.

Each language has a data file, ``intake/phrases/<code>.json``, written by people
rather than code: for every request type (and every common question topic) a list
of phrases. A phrase is a few words; ``*`` after a word means "any ending"
(Polish, Romanian and Arabic words change their endings a lot). A phrase matches
when all its words appear in what the parent wrote, in any order, forgiving one
typing slip in a longer word and missing accents ("usunac" for "usunąć").

English keeps its own, longer-tested rules in ``understand.py``; every other
language comes through here and returns the same ``Understanding``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sar_service.intake import rights
from sar_service.intake.understand import Understanding, understand

TOKEN_SPLIT = re.compile(r"[\s.,!?;:،؛؟۔।\"'“”„«»()\[\]\-–—/]+")
QUESTION_MARKS = ("?", "؟")
_ARABIC_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")  # harakat, superscript alef, tatweel
_FOLD = str.maketrans(
    {
        "ł": "l", "ø": "o", "ß": "ss",
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ى": "ي", "ی": "ي", "ې": "ي", "ے": "ي",
        "ة": "ه", "ہ": "ه", "ۃ": "ه", "ھ": "ه",
        "ك": "ك", "ک": "ك", "ؤ": "و", "ئ": "ي",
        "\u200c": "", "\u200d": "",
    }
)  # fmt: skip


def normalise(text: str) -> str:
    """Lower case, Latin accents dropped, Arabic-script letter variants folded together."""
    text = unicodedata.normalize("NFKD", (text or "").lower())
    kept: list[str] = []
    for ch in text:
        if unicodedata.combining(ch) and kept and kept[-1] < "\u0250":
            continue  # an accent on a Latin letter: "ą" -> "a"
        kept.append(ch)
    text = unicodedata.normalize("NFC", "".join(kept)).translate(_FOLD)
    return _ARABIC_MARKS.sub("", text)


def tokens(text: str) -> list[str]:
    return [t for t in TOKEN_SPLIT.split(normalise(text)) if t]


@dataclass(frozen=True)
class Word:
    text: str
    stem: bool  # "usun*": any word starting like this

    def matches(self, token: str) -> bool:
        if self.stem:
            if token.startswith(self.text):
                return True
            n = len(self.text)
            return n >= 5 and any(_one_slip(self.text, token[: n + d]) for d in (-1, 0, 1))
        if token == self.text:
            return True
        return len(self.text) >= 6 and _one_slip(self.text, token)


def _one_slip(a: str, b: str) -> bool:
    """True if ``b`` is ``a`` with one letter missing, added, changed or swapped."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1 or not b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        i = diff[0] if diff else 0
        return len(diff) == 2 and diff[1] == i + 1 and a[i] == b[i + 1] and a[i + 1] == b[i]
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]


@dataclass(frozen=True)
class Phrase:
    words: tuple[Word, ...]

    @classmethod
    def parse(cls, text: str) -> Phrase:
        words = []
        for raw in text.split():
            stem = raw.endswith("*")
            words.append(Word(normalise(raw.rstrip("*")), stem))
        return cls(tuple(words))

    def found_in(self, toks: list[str]) -> bool:
        return all(any(w.matches(t) for t in toks) for w in self.words)


@dataclass(frozen=True)
class Table:
    types: dict[str, tuple[Phrase, ...]]
    topics: dict[str, tuple[Phrase, ...]]
    question_words: tuple[Word, ...]
    photo: tuple[Phrase, ...]
    everything: tuple[Phrase, ...]


@cache
def table(code: str) -> Table | None:
    """The phrase table for a language, read once per process (None if there is none)."""
    try:
        raw = json.loads(
            resources.files("sar_service.intake")
            .joinpath(f"phrases/{code}.json")
            .read_text("utf-8")
        )
    except (FileNotFoundError, ValueError):
        return None

    def phrases(items) -> tuple[Phrase, ...]:
        return tuple(Phrase.parse(p) for p in items or ())

    return Table(
        types={t: phrases(p) for t, p in raw.get("types", {}).items() if t in rights.RIGHTS},
        topics={t: phrases(p) for t, p in raw.get("topics", {}).items()},
        question_words=tuple(Phrase.parse(w).words[0] for w in raw.get("question_words", [])),
        photo=phrases(raw.get("photo")),
        everything=phrases(raw.get("everything")),
    )


@dataclass
class Understood(Understanding):
    """An ``Understanding`` plus, for a question, which common topic it is about."""

    topic: str | None = None
    language: str = "en"


def understand_in(text: str, language: str, offers_educational_record: bool = True) -> Understood:
    """What the parent wants, read with ``language``'s phrase table (English: its rules)."""
    if language == "en" or table(language) is None:
        base = understand(text, offers_educational_record)
        return Understood(types=base.types, notes=base.notes, is_question=base.is_question)
    tab = table(language)
    assert tab is not None  # checked above
    toks = tokens(text)
    result = Understood(language=language)
    if not toks:
        return result
    found = {t for t, ps in tab.types.items() if any(p.found_in(toks) for p in ps)}
    if found & {"withdraw_consent", "restriction"}:
        found.discard("objection")
    if any(p.found_in(toks) for p in tab.photo) and found & {"erasure", "objection"}:
        found |= {"erasure", "withdraw_consent"}
        found.discard("objection")
        result.notes.append(rights.PHOTO_NOTE)
    if "educational_record" in found and not offers_educational_record:
        found.discard("educational_record")
        found.add("access")
        result.notes.append(rights.NOT_MAINTAINED_NOTE)
    asks_everything = any(p.found_in(toks) for p in tab.everything)
    if "educational_record" in found and "access" in found and not asks_everything:
        found.discard("access")
    result.topic = next(
        (t for t, ps in tab.topics.items() if any(p.found_in(toks) for p in ps)), None
    )
    asks = text.strip().endswith(QUESTION_MARKS) or any(
        w.matches(toks[0]) for w in tab.question_words
    )
    if asks and result.topic:  # "who has access to my son's data?" is a question, not a request
        found, result.notes = set(), []
    result.types = [t for t in rights.RIGHTS if t in found]
    result.is_question = not result.types and (asks or result.topic is not None)
    return result


def understand_for_page(text: str, offers_educational_record: bool = True) -> Understood:
    """Read ``text`` in the page's language; if nothing is understood and the text is
    clearly in another supported language, read it in that one. Too short, mixed or
    transliterated text simply stays with the page's language (and the checklist)."""
    from sar_service.i18n import detect, selection

    page = selection.current().code
    got = understand_in(text, page, offers_educational_record)
    if got.types or got.is_question:
        return got
    other = detect.detect(text)
    if other and other != page:
        again = understand_in(text, other, offers_educational_record)
        if again.types or again.is_question:
            return again
    return got
