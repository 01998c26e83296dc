"""Collect a notice's items from its lists and from first-person sentences.

Many notices say what they share or collect only in prose ("we pass
information ... to X and Y"), so each sentence is matched against patterns for
recipients, sources, categories, purposes, rights, retention and legislation,
and :class:`Found` gathers the results with list items, one per label.
Onward sharing by the DfE counts as a recipient only when the notice has no
list of recipients of its own (a list is taken as the school's full answer).
"""

from __future__ import annotations

import re
from typing import Any, TypeGuard

from sar_service.notices.labels import clean, label_key, short_label, split_list
from sar_service.notices.sections import classify_list, sentences
from workflows.request_types import REQUEST_TYPES

ITEM_KINDS = ("categories", "purposes", "recipients", "sources", "rights", "legislation")


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


_MAX_SENTENCE = 1000  # longer "sentences" are junk or tables; the patterns would crawl
_NEGATIVE = _rx(r"\b(?:not|never|no one|nobody)\b|n't\b")
_DATA_WORD = _rx(r"\b(?:information|data|details|records?|it|this)\b")
_SHARE = _rx(
    r"\bwe\b(?P<gap>[^.]*?)\b(?:share|pass|give|provide|send|disclose|supply|transfer)"
    r"(?:s|d|ed|ing)?\b(?P<obj>[^.]*?)\b(?:with|to)\s+(?P<rest>[^.]+)"
)
_SOURCE = _rx(
    r"\bwe\b(?P<gap>[^.]*?)\b(?:receive|obtain|get|collect|request)(?:s|d|ed|ing)?\b"
    r"(?P<obj>[^.]*?)\bfrom\s+(?P<rest>[^.]+)"
)
_ONWARD = _rx(
    r"^(?:the )?(?:dfe|department(?: for education)?)\b.*?\bshare\w*\b.*?\bwith\s+(?P<rest>[^.]+)"
)
_CATEGORY = _rx(
    r"\b(?:information|data)(?: (?:that|which) we (?:collect|hold|process))?"
    r"(?: (?:will|may|can|could|also|might|does|do))* includes?\s+(?P<rest>[^:]+)$"
    r"|\bwe (?:collect|hold|process|record|keep)\b[^.]*?\b(?:information|data)\b[^.]*?"
    r"\b(?:such as|including|includes?)\s+(?P<rest2>[^:]+)$"
)
_PURPOSE = _rx(
    r"\bwe (?:\w+ ){0,2}?(?:use|process|collect and use|hold and use)\s+"
    r"(?:(?:this|the|that|your|their|our|pupil|pupils'|personal|child's|children's)\s+)*"
    r"(?:data|information|details)\s+(?:(?:in order|so as)\s+)?to\s+(?P<rest>[^:]+)$"
)
_REST_END = _rx(
    r"\s+(?:under|on a|on the|as part|as required|in order|so that|so they|to|for the purpose"
    r"|for example|where|when|who|which|that|because|if|unless|via|in accordance|in line"
    r"|about|at)\b|[;:]|\s[-–—]\s"
)
# Words that start a clause or name the family: never the start of an organisation's name.
_NOT_ORG = {
    "if", "whether", "when", "where", "how", "that", "which", "who", "whom", "what", "why",
    "because", "unless", "so",
    "as", "please", "us", "you", "them", "it", "anyone", "anybody", "everyone", "this", "these",
    "those", "parents", "parent", "carers", "pupils", "yourself", "your", "and",
}  # fmt: skip
# Sending data abroad is a transfer, not a recipient: "to a country outside the UK".
_ABROAD = _rx(r"\bcountr(?:y|ies)\b|\boutside the (?:uk|eea|european)|\babroad\b|\boverseas\b")
_RIGHT_PROSE = _rx(
    r"\bright to\b|information commissioner|\bico\b|\bsubject access\b|\bopts? out\b"
    r"|\bwithdraw\w*\b.*\bconsent\b|(?:receive|request|have|get|ask for|see) a copy of"
    r" (?:the |your |any |all )?(?:information|data|personal|records?)"
)
#: Rights a notice may list: the request types (as notices name them), then the others.
_RIGHTS = [
    (key, name, _rx(pattern))
    for key, name, pattern in (
        *((t.name, t.notice.name, t.notice.pattern) for t in REQUEST_TYPES.values() if t.notice),
        ("portability", "Data portability", r"portab"),
        ("automated_decisions", "Automated decisions", r"automated"),
        ("complain_ico", "Complain to the ICO", r"information commissioner|\bico\b"),
        ("compensation", "Compensation", r"compensation"),
    )
]
_RETENTION = _rx(
    r"\bretention (?:schedule|period|policy)|\bwe (?:will |may |must |shall |also |only )*"
    r"(?:keep|retain|store|hold|delete|destroy)\b[^.]*\b(?:until|after|while|as long as|years?"
    r"|months?)\b"
)
_LAW = re.compile(
    r"(?<![\w(])(?:[A-Z][\w']*|\([A-Z][^()]{0,60}\))"
    r"(?:\s+(?:[A-Z][\w']*|\([A-Z][^()]{0,60}\)|and|of|for|on|the)){0,12}"
    r"\s+(?:Act|Regulations?)\b(?:\s+\d{4})?"
)


def _org_fragments(rest: str) -> list[str]:
    """Organisation names from the words after "with"/"to"/"from"."""
    out: list[str] = []
    if _ABROAD.search(rest):
        return out
    for part in split_list(_REST_END.split(rest, maxsplit=1)[0]):
        words = clean(part).split()
        if words and len(words) <= 8 and words[0].lower() not in _NOT_ORG:
            out.append(" ".join(words))
    return out


def _first_person(match: re.Match[str] | None) -> TypeGuard[re.Match[str]]:
    """The school is the one acting: no other subject between "we" and the verb."""
    return bool(
        match
        and not re.search(r"\b(?:you|they|parents?)\b", match["gap"], re.I)
        and _DATA_WORD.search(match["obj"])
    )


class Found:
    """Everything collected so far, with de-duplication by label."""

    def __init__(self) -> None:
        self.items: dict[str, list[dict[str, Any]]] = {k: [] for k in ITEM_KINDS}
        self.keys: dict[str, set[str]] = {k: set() for k in ITEM_KINDS}
        self.retention: list[str] = []
        self.onward: list[dict[str, Any]] = []
        self.listed_recipients = False
        # How each kind's items were found: "lead_in"/"heading"/"items" lists, "guess", "prose".
        self.origins: dict[str, list[str]] = {k: [] for k in ITEM_KINDS}
        self.origin = "prose"

    def add(self, kind: str, text: str, label: str | None = None) -> dict[str, Any] | None:
        """Keep a new item; None if it is empty or already known under that label."""
        text = clean(text)
        label = label or short_label(text, kind)
        key = label_key(label) if kind != "legislation" else label_key(text)
        if not (text and label) or key in self.keys[kind]:
            return None
        self.keys[kind].add(key)
        self.items[kind].append({"label": label, "text": text})
        self.origins[kind].append(self.origin)
        return self.items[kind][-1]

    def add_right(self, text: str, from_prose: bool) -> None:
        keys = [key for key, _, rx in _RIGHTS if rx.search(text)]
        covered = {k for item in self.items["rights"] for k in item["rights"]}
        if from_prose and (not keys or set(keys) <= covered):
            return
        names = [name for key, name, _ in _RIGHTS if key in keys]
        names[1:] = [name[0].lower() + name[1:] for name in names[1:]]
        label = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else None
        item = self.add("rights", text, label or (names[0] if names else None))
        if item is not None:
            item["rights"] = keys

    def add_retention(self, sentence: str) -> None:
        sentence = " ".join(sentence.split())
        if sentence not in self.retention:
            self.retention.append(sentence)

    def take_list(self, unit: dict[str, Any], topic: str) -> None:
        self.take_prose(unit["lead_in"], topic)
        kind, self.origin = classify_list(unit["lead_in"], topic, unit["items"])
        self.listed_recipients |= kind == "recipients"
        self.take_items(kind, unit["items"])
        self.origin = "prose"

    def take_items(self, kind: str, items: list[str]) -> None:
        for item in items:
            if kind == "retention":
                self.add_retention(clean(item))
            elif kind == "rights":
                self.add_right(item, from_prose=False)
            elif kind in ITEM_KINDS:
                self.add(kind, item, clean(item) if kind == "legislation" else None)

    def take_prose(self, para: str, topic: str) -> None:
        for sentence in sentences(para):
            if sentence.endswith(":") or len(sentence) > _MAX_SENTENCE:
                continue
            if topic == "retention" or _RETENTION.search(sentence):
                self.add_retention(sentence)
            self.take_sentence(sentence)

    def take_sentence(self, sentence: str) -> None:
        positive = not _NEGATIVE.search(sentence)
        share, source = _SHARE.search(sentence), _SOURCE.search(sentence)
        onward = _ONWARD.search(sentence)
        if onward:
            for name in _org_fragments(onward["rest"]):
                self.onward.append({"label": f"{short_label(name, 'recipients')} (via the DfE)",
                                    "text": clean(sentence)})  # fmt: skip
        elif positive and _first_person(share):
            for name in _org_fragments(share["rest"]):
                self.add("recipients", name)
        if positive and _first_person(source):
            for name in _org_fragments(source["rest"]):
                self.add("sources", name)
        for rx, kind in ((_CATEGORY, "categories"), (_PURPOSE, "purposes")):
            match = rx.search(sentence)
            rest = match and next(g for g in match.groups() if g)
            for part in split_list(rest) if rest else []:
                self.add(kind, part)
        if _RIGHT_PROSE.search(sentence):
            right_to = re.search(r"\bright to\s+(.+)$", sentence, re.I)
            self.add_right(right_to[1] if right_to else sentence, from_prose=True)
        for law in _LAW.finditer(sentence):
            name = re.sub(r"^(?:(?:The|Under|In|With|By|Of|Under the|In the)\s+)+", "", law[0])
            self.add("legislation", name, name)

    def finish(self) -> dict[str, list[dict[str, Any]]]:
        if not self.listed_recipients:
            self.origin = "prose"
            for item in self.onward:
                self.add("recipients", item["text"], item["label"])
        return self.items
