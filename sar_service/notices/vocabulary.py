"""The standard sections of a school privacy notice, by the ways schools word their headings.

The DfE model notice has a fixed set of sections ("The categories of pupil
information that we process include", "Why we collect and use pupil
information", "Who we share pupil information with", ...), and real notices
reword, reorder and number them. Each section has phrasings that identify it
when they open the heading (after any number), checked in the order below so
the more specific wins ("Why we share pupil information" is about sharing,
not purposes). A heading that matches no phrasing falls back to the topic
word that comes first in it, so "The categories of information that we
collect, hold and share" is about categories although it also says "share".
"""

from __future__ import annotations

import re

# Topic names: the parser's TOPICS are these, in this order, plus "other".
SECTION_TOPICS = (
    "dfe", "general", "lawful_bases", "retention", "recipients", "sources", "rights", "contact",
    "collecting", "purposes", "categories", "cctv", "photographs", "biometrics", "transfers",
    "automated", "complaints",
)  # fmt: skip

_NUMBER = r"^(?:(?:section|part)\s+)?(?:\d{1,2}(?:\.\d{1,2})*|[a-z]|[ivx]{1,4})?[.):]?\s*"
_OPEN = r"(?:the |our |your |a |an )?"

# (topic, phrasing) checked in order against the start of the heading.
PHRASINGS: list[tuple[str, str]] = [
    # What the DfE does with the data (the model notice's closing sections): not the school's.
    (
        "dfe",
        r"sharing by the department|how (?:the )?government uses|how the department uses"
        r"|department for education(?: \(dfe\))?$|dfe$|(?:the )?national pupil database"
        r"|the npd|how to find out what personal information (?:the )?dfe"
        r"|data collection requirements",
    ),
    ("cctv", r"cctv|closed[- ]circuit|(?:security |surveillance )?cameras?\b"),
    ("photographs", r"(?:use of )?(?:photo(?:graph)?s?|images?|videos?|filming|pictures?)\b"),
    ("biometrics", r"(?:use of )?biometric|fingerprint|cashless catering"),
    (
        "transfers",
        r".{0,40}\b(?:international(?:ly)?|overseas|abroad|outside the (?:uk|eea|european))",
    ),
    ("automated", r".{0,20}\bautomated|profiling"),
    ("complaints", r"complaints?\b|how to complain|concerns?\b|raising a concern"),
    (
        "lawful_bases",
        r".{0,30}\b(?:lawful|legal) bas[ie]s|our (?:lawful|legal)|lawful(?:ness)?\b"
        r"|legal (?:grounds|reasons)|why we are allowed|the law(?:s)? (?:that|which)"
        r"|what laws?\b|legislation",
    ),
    (
        "recipients",
        r"why we (?:\w+ ){0,2}share|who (?:we|do we|will we|does the \w+) (?:\w+ ){0,2}"
        r"(?:share|give|pass|disclose)|sharing\b|(?:data|information) sharing"
        r"|recipients?|(?:third|other) part(?:y|ies)|disclos",
    ),
    (
        "retention",
        r"(?:how long|storing|storage|retention|retaining|keeping|how we (?:store|keep)"
        r"|data (?:retention|security)|(?:keeping|storing) (?:\w+ )?(?:data|information)"
        r" (?:safe|secure))",
    ),
    (
        "sources",
        r"(?:where (?:we|do we) (?:get|obtain)|sources? of|how we (?:collect|obtain|get)"
        r"|(?:information|data) (?:we get|from other))",
    ),
    ("collecting", r"collecting\b|(?:data|information) collection\b"),
    (
        "rights",
        r"(?:your |parents'? and pupils'? )?(?:data protection )?rights\b|requesting access"
        r"|access(?:ing)? (?:to )?(?:your|personal|their|pupil)|subject access"
        r"|how (?:to|you can) (?:access|request)",
    ),
    (
        "contact",
        r"contact(?:ing)? us|contacts?\b|further information|more information"
        r"|(?:our |the )?(?:data protection officer|dpo)\b|who to contact|how to contact"
        r"|questions\b",
    ),
    ("general", r"how we use (?:\w+ ){0,2}(?:information|data)$"),
    (
        "purposes",
        r"why we (?:collect|use|need|process|hold)|why (?:do we|does the \w+) (?:\w+ )?"
        r"(?:collect|use|need)|how (?:we|the \w+|do we) uses?\b|what we use|(?:the )?"
        r"purposes?|(?:our )?reasons?|use of (?:pupil |your |personal |student )?"
        r"(?:data|information)",
    ),
    (
        "categories",
        r"(?:the )?(?:categor|types? of|kinds? of)|what (?:\w+ ){0,2}(?:information|data)"
        r"|(?:the )?(?:personal )?(?:information|data) (?:we|that we|the \w+) (?:collect"
        r"|hold|process|keep)|we also hold|additional information",
    ),
    (
        "general",
        r".{0,60}privacy notice|how we use (?:\w+ ){0,2}(?:information|data)$|introduction"
        r"|about (?:this|us)|who we are|(?:the )?data controller",
    ),
]
_COMPILED = [(topic, re.compile(_NUMBER + _OPEN + p, re.I)) for topic, p in PHRASINGS]

# Fallback: the topic whose word comes first in the heading.
_WORDS = [
    (topic, re.compile(p, re.I))
    for topic, p in (
        ("categories", r"\bcategor|\btypes? of\b|\bwhat (?:\w+ )?(?:information|data)\b"),
        ("purposes", r"\bwhy\b|\bpurposes?\b|\breasons?\b"),
        ("recipients", r"\bshar(?:e|ed|ing)\b|\brecipient|\bdisclos"),
        ("retention", r"\b(?:keep|kept|stor(?:e|ed|ing|age)|retain|retention|delet)"),
        ("lawful_bases", r"\blawful|\blegal bas"),
        ("rights", r"\brights?\b"),
        ("contact", r"\bcontact\b|\bdpo\b"),
        ("sources", r"\bsources?\b"),
        ("categories", r"\b(?:collect|hold)\b"),
    )
]


def heading_topic(heading: str) -> str | None:
    """The standard section a heading names, or None when it names none we know."""
    text = " ".join(heading.replace("\u2019", "'").split()).strip(" :#*")
    if not text:
        return None
    for topic, rx in _COMPILED:
        if rx.match(text):
            return topic
    hits = [(m.start(), topic) for topic, rx in _WORDS if (m := rx.search(text))]
    return min(hits)[1] if hits else None


def is_known_heading(line: str) -> bool:
    """A short line that reads as one of the standard headings (used to split PDF text)."""
    words = line.split()
    if not 1 <= len(words) <= 12 or line[-1:] in ".;,":
        return False
    text = " ".join(line.replace("\u2019", "'").split()).strip(" :")
    return any(rx.match(text) for _, rx in _COMPILED)
