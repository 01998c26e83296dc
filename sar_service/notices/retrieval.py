"""Find the passage of a notice that answers a question: BM25 over stemmed, synonym-mapped words.

A passage is a paragraph or a list (with its lead-in) of one section; its
heading's words count too, since "CCTV" or "How long we keep it" often says
more than the sentence under it. Question words the notice never uses are
matched to a notice word one typo away ("complian" -> "complain"). A passage
counts as relevant only when it shares a meaningful word with the question;
otherwise nothing is returned and the bot says it can't answer.

The index is built once per notice text (cached), so an answer takes well
under a millisecond or two; ``bench/questions.py`` measures it.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sar_service.notices.words import is_concept, is_generic, normalise, tokens

K1, B = 1.2, 0.75
HEADING_WEIGHT = 2  # a heading word counts as often as this in its passages
MIN_SCORE = 0.05

# Section topics a question is about, from concept tokens: a small prior on top of BM25.
TOPIC_OF = {
    "keep": "retention", "share": "recipients", "complain": "complaints", "dpo": "contact",
    "contact": "contact", "cctv": "cctv", "photo": "photographs", "biometric": "biometrics",
    "abroad": "transfers", "automated": "automated", "lawful": "lawful_bases",
    "purpose": "purposes", "right": "rights", "access": "rights", "category": "categories",
}  # fmt: skip
_NEAR = {
    "complaints": {"rights", "contact"}, "rights": {"complaints"}, "contact": {"complaints"},
    "retention": {"cctv"}, "cctv": {"retention"}, "photographs": {"rights"},
}  # fmt: skip


@dataclass
class Passage:
    heading: str
    topic: str
    text: str
    counts: Counter = field(default_factory=Counter)
    length: int = 0
    lists: set[str] = field(default_factory=set)  # extracted lists it holds two items of


@dataclass
class Index:
    passages: list[Passage]
    df: Counter
    avg: float
    vocab: dict[str, str]  # every one-letter deletion of a token -> the token

    def idf(self, token: str) -> float:
        n, df = len(self.passages), self.df.get(token, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5)) if df else 0.0


def build(notice: dict[str, Any]) -> Index:
    """The index for a parsed notice (cached by its sections' text)."""
    sections = notice.get("sections") or []
    lists = {
        kind: [i.get("text", "") if isinstance(i, dict) else str(i) for i in notice.get(kind) or []]
        for kind in _LISTS
    }
    blob = json.dumps([sections, lists], sort_keys=True)
    return _build(hashlib.sha1(blob.encode()).hexdigest(), blob)


_LISTS = ("categories", "purposes", "recipients", "retention")


@lru_cache(maxsize=256)
def _build(key: str, blob: str) -> Index:
    sections, lists = json.loads(blob)
    passages = []
    for section in sections:
        heading = section.get("heading") or ""
        head_tokens = tokens(heading) * HEADING_WEIGHT
        for chunk in (section.get("text") or "").split("\n\n"):
            if not chunk.strip():
                continue
            words = tokens(chunk) + head_tokens
            lowered = chunk.lower()
            holds = {
                kind for kind, items in lists.items()
                if sum(1 for item in items if item and item.lower()[:60] in lowered) >= 2
            }  # fmt: skip
            topic = section.get("topic") or "other"
            passages.append(Passage(heading, topic, chunk, Counter(words), len(words), holds))
    df: Counter = Counter()
    for p in passages:
        df.update(set(p.counts))
    avg = sum(p.length for p in passages) / max(len(passages), 1)
    vocab: dict[str, str] = {}
    for token in df:
        for variant in _deletions(token):
            vocab.setdefault(variant, token)
    return Index(passages, df, avg or 1.0, vocab)


def _deletions(word: str) -> set[str]:
    if len(word) < 5:
        return {word}
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _correct(index: Index, token: str) -> str:
    """A token the notice never uses, corrected to one it does (one typo away), if any.

    Generic words ("policy") are left alone: near misses of them are other words.
    """
    if token in index.df or len(token) < 5 or is_generic(token) or is_concept(token):
        return token
    for variant in _deletions(token):
        if variant in index.vocab:
            return index.vocab[variant]
    return token


def question_terms(index: Index, question: str) -> list[str]:
    return [_correct(index, t) for t in tokens(question)]


_HOW_LONG = re.compile(
    r"\bhow long\b|\bhow many (?:years|months|days)\b|\bwhen (?:do|will) you "
    r"(?:delete|destroy|get rid)|\buntil when\b",
    re.I,
)
_DURATION = re.compile(
    r"\b\d+\s*(?:days?|weeks?|months?|years?)\b|\buntil\b|\bwhile\b|\bafter\b"
    r"|\bas long as\b|retention (?:schedule|policy|period)|\bbirthday\b",
    re.I,
)


# How a question is put says which section answers it, even with no topic word in it:
# "what do you use it for?" (purposes), "what do you hold on my son?" (categories).
_CUES = [
    (topic, re.compile(pattern, re.I))
    for topic, pattern in (
        ("purposes", r"\bwhat (?:do|does|will|would) (?:you|u|the school|they) (?:\w+ )?use\b"
                     r"|\bwhat (?:do|does|will) (?:you|u|the school|they) do with\b"
                     r"|\bused? (?:for|4)\b"
                     r"|\buse\b.*\b(?:for|4)\W*$|\bhow (?:do|will|does|would) (?:you|u|the school)"
                     r" use\b|\bwhat for\b|\bpurposes?\b|\bwhy (?:do|does) (?:you|u|the school) "
                     r"(?:need|collect|want|hold|have|keep|ask|use)"),
        ("categories", r"\bwhat (?:\w+ )?(?:information|info|data|details|records)\b.*\b(?:hold"
                       r"|have|keep|collect|got|store|process|know)\b|\bwhat do (?:you|u) (?:hold"
                       r"|have|keep|collect|know)\b|\bcategor|\bwhat (?:kinds?|sorts?|types?) of\b"
                       r"|^(?:do|does) (?:you|u|the school) (?:keep|hold|have|collect|record|store"
                       r"|process)\b(?!.*\b(?:how long|securely|safe|abroad|overseas|after|once"
                       r"|until|leaves?|left|forever)\b)"),
        ("retention", r"\b(?:after|once|when) (?:\w+ ){0,3}(?:leave|leaves|left|gone)\b"
                      r"|\bforever\b|\bhow many years\b"),
        ("rights", r"\bhow (?:do|can|would) i (?:request|ask for|get|see|obtain|access|make)\b"),
        ("collecting", r"\bhow (?:do|does) (?:you|u|the school) (?:collect|get|obtain|gather)\b"
                       r"|\bwhere (?:do|does) (?:you|u|the school) get\b"),
        ("recipients", r"\bwho (?:else )?(?:sees|can see|has access|gets|receives)\b"
                       r"|\b(?:do|does|will|would|can) (?:the |a |an |any |your )?(?:\w+ ){1,3}"
                       r"(?:get|see|receive|have access to)\b(?: \w+){0,3} (?:my|our|his|her|their"
                       r"|any|pupil|student|child)"),
        ("contact", r"\bwho (?:do|should|can) i (?:speak|talk|write|contact|ask)\b"),
    )
]  # fmt: skip


def search(notice: dict[str, Any], question: str, limit: int = 3) -> list[dict[str, Any]]:
    """Passages that answer the question, best first: {heading, topic, text, score, terms}.

    A question only about how long things are kept is answered only by a
    passage that gives a time ("until", "for 30 days", a retention schedule).
    """
    index = build(notice)
    terms = question_terms(index, question)
    found = _search(index, question, terms)
    if _HOW_LONG.search(question) and {t for t in terms if not is_generic(t)} <= {"keep"}:
        found = [p for p in found if _DURATION.search(p["text"])]
    return found[:limit]


def _search(index: Index, question: str, terms: list[str]) -> list[dict[str, Any]]:
    said = " ".join(normalise(question).split())
    cued = {topic for topic, rx in _CUES if rx.search(question) or rx.search(said)}
    wanted = cued or {TOPIC_OF[t] for t in terms if t in TOPIC_OF}
    near = set().union(*(_NEAR.get(t, set()) for t in wanted)) if wanted else set()
    meaningful = {t for t in terms if not is_generic(t)}
    present = {t for t in meaningful if index.df.get(t)}
    if not present and not cued:
        return []
    found = []
    first_of_topic: set[str] = set()
    for p in index.passages:
        matched = [t for t in set(terms) if p.counts.get(t)]
        in_cue = bool(cued & ({p.topic} | p.lists))
        base = 0.0
        if in_cue and (p.topic not in first_of_topic or p.lists & cued):
            base = 1.0  # the section the question's form points to, even without its words
        first_of_topic.add(p.topic)
        if not set(matched) & present and not base:
            continue
        score = base
        for t in terms if not present else [t for t in terms if t in present]:
            tf = p.counts.get(t, 0)
            if tf:
                score += (
                    index.idf(t) * tf * (K1 + 1) / (tf + K1 * (1 - B + B * p.length / index.avg))
                )
        if meaningful:
            score *= 0.4 + 0.6 * len(set(matched) & meaningful) / len(meaningful)
        if in_cue:
            score *= 2.0
        if p.lists & wanted:
            score *= 1.5
        if p.topic in wanted:
            score *= 1.6
        elif p.topic in near:
            score *= 1.2
        if score >= MIN_SCORE:
            found.append({"heading": p.heading, "topic": p.topic, "text": p.text,
                          "score": round(score, 3), "terms": sorted(matched)})  # fmt: skip
    found.sort(key=lambda x: -float(x["score"]))  # type: ignore[arg-type]
    return found


def best_lines(text: str, terms: list[str], limit: int = 3) -> str:
    """The lead-in and the lines or sentences of a passage that carry the question's words."""
    lines = text.split("\n")
    if len(lines) > 1:
        lead = lines[0] if not lines[0].startswith("- ") else ""
        items = [x.removeprefix("- ") for x in lines if x.startswith("- ")]
        hits = [x for x in items if set(tokens(x)) & set(terms)] or items
        shown = "; ".join(hits[:8]) + (" …" if len(hits) > 8 else "")
        return f"{lead} {shown}".strip()
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z(])", " ".join(text.split()))
    scored = [(len(set(tokens(s)) & set(terms)), i) for i, s in enumerate(sentences)]
    keep = sorted(i for n, i in sorted(scored, key=lambda x: (-x[0], x[1]))[:limit] if n) or [0]
    return " ".join(sentences[i] for i in keep)
