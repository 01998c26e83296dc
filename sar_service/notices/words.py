"""Words for matching questions to a notice: text-speak, stems and synonyms.

Parents write "hw lng do u keep pics" and notices write "we retain images";
both must meet on the same tokens. So text is lower-cased, text-speak is
expanded, each word is crudely stemmed (a few English suffixes, applied the
same way to both sides), and stems that mean the same in school data
protection are mapped to one concept token (``keep``/``retain``/``store`` ->
``keep``). Phrases ("data protection officer", "information commissioner")
become one token before words are split.
"""

from __future__ import annotations

import re
from functools import lru_cache

TEXT_SPEAK = {
    "u": "you", "ur": "your", "yr": "your", "r": "are", "y": "why", "wat": "what", "wot": "what",
    "wht": "what", "hw": "how", "pls": "please", "plz": "please", "ppl": "people", "thx": "thanks",
    "info": "information", "pic": "picture", "pics": "pictures", "piccies": "pictures",
    "vid": "video", "vids": "videos", "coz": "because", "cos": "because", "bc": "because",
    "abt": "about", "wanna": "want to", "gonna": "going to", "dont": "do not", "don't": "do not",
    "cant": "can not", "can't": "can not", "wont": "will not", "won't": "will not",
    "im": "i am", "i'm": "i am", "ive": "i have", "i've": "i have", "whats": "what is",
    "what's": "what is", "who's": "who is", "whos": "who is", "ull": "you will", "n": "and",
    "&": "and", "b4": "before", "2": "to", "4": "for", "msg": "message", "tel": "telephone",
    "yrs": "years", "yr's": "years", "kid": "child", "kids": "children", "dd": "daughter",
    "ds": "son", "lo": "child", "sch": "school", "skool": "school", "dept": "department",
    "govt": "government", "gov": "government", "hm": "how many", "nd": "and",
}  # fmt: skip

PHRASES = [
    (r"data protection (?:officer|lead|person|contact|manager|co-?ordinator)|\bd\.?p\.?o\.?\b",
     " dpo "),
    (r"information commissioner(?:'?s)?(?: office)?|\bi\.?c\.?o\.?\b", " ico "),
    (r"closed[- ]circuit(?: television)?|security cameras?|\bcctv\b", " cctv "),
    (r"department for education|\bd\.?f\.?e\.?\b", " dfe "),
    (r"local authorit(?:y|ies)|local council|county council|\bla\b", " localauthority "),
    (r"subject access(?: request)?|\bsar\b", " subjectaccess "),
    (r"how long", " howlong "),
    (r"outside (?:the )?(?:uk|united kingdom|eea|european union|eu)|other countries", " abroad "),
    (r"third[- ]part(?:y|ies)", " thirdparty "),
    (r"social media|facebook|instagram|twitter|website", " online "),
    (r"school meals?|dinner money|lunch(?:es)?|catering", " meals "),
    (r"special educational needs?|\bsend\b(?= (?:info|information|records?|data|needs?))",
     " sen "),
    (r"automated decision(?:s| making)?|computer decid\w*|made by a computer", " automated "),
]  # fmt: skip
_PHRASES = [(re.compile(p, re.I), r) for p, r in PHRASES]

# Stems (after stem()) that mean the same thing here -> one concept token.
SYNONYMS = {
    "cctv": ("cctv", "camera", "footage", "surveillance", "record video", "filmed"),
    "photo": ("photo", "photograph", "picture", "image", "video", "film", "filming", "selfie"),
    "keep": ("keep", "kept", "retain", "retention", "store", "stor", "howlong", "delet", "destroy",
             "eras", "dispos", "archiv", "shred"),
    "share": ("share", "shar", "give", "giv", "gave", "given", "pass", "disclos", "send", "sent",
              "recipient", "thirdparty", "transfer", "provid", "hand"),
    "complain": ("complain", "complaint", "concern", "unhappy", "grievanc", "ico"),
    "dpo": ("dpo",),
    "contact": ("contact", "email", "phone", "telephon", "ring", "call", "speak", "talk",
                "address", "reach", "touch"),
    "biometric": ("biometric", "fingerprint", "thumbprint", "face", "facial"),
    "abroad": ("abroad", "overseas", "international", "countri", "country"),
    "automated": ("automated", "automat", "profil", "algorithm"),
    "lawful": ("lawful", "legal", "law", "basi", "allow", "permit", "legislation", "entitl"),
    "purpose": ("purpos", "reason", "why"),
    "right": ("right",),
    "access": ("access", "copy", "subjectaccess"),
    "medical": ("medical", "health", "allergi", "allergy", "medicin", "nurse", "doctor",
                "medication", "nhs"),
    "exam": ("exam", "examin", "test", "result", "grade", "sat", "assessment", "attainment",
             "mark"),
    "attend": ("attend", "attendanc", "absenc", "absent", "late"),
    "behaviour": ("behaviour", "behavior", "exclusion", "exclud", "detention", "sanction"),
    "consent": ("consent", "permission", "agree", "withdraw", "opt"),
    "safe": ("safe", "secur", "protect", "safeguard"),
    "collect": ("collect", "hold", "gather", "obtain", "record"),
    "category": ("categori", "type", "kind", "sort"),
    "online": ("online",),
    "police": ("police", "law enforcement"),
    "correct": ("correct", "rectif", "rectifi", "inaccurat", "wrong", "incorrect", "amend", "fix",
                "mistak", "error"),
    "council": ("localauthority", "council"),
}  # fmt: skip

STOPWORDS = frozenset(
    re.findall(
        r"\S+",
        """
        a about above after again all am an and any are as at be been being but by can could did
        do does doing done for from get got had has have having he her here hers him his how i if
        in into is it its just me more most my no nor not of off on once only or other our ours
        out over own same she should so some such than that the their them then there these they
        this those through to too under until up us very was we were what when where which while
        who whom will with would you your yours please thank thanks hi hello dear school child
        children son daughter pupil pupils student students kid my our information data personal
        details use used using uses wonder wondering know tell question ask asking want like also
        really just one bit sure think need
        """,
    )
)
# Words that say nothing about which passage answers: they score, but never make a passage
# relevant on their own ("what time does school start?" is not about "the start of the year").
_GENERIC_CONCEPTS = {
    "collect", "category", "time", "start", "day", "next", "week", "month", "year", "term",
    "polici", "policy", "set", "amount", "way", "place", "thing", "lot", "peopl", "much", "many",
    "new", "old", "good", "bad", "happen", "go", "come", "make", "take", "look", "find", "help",
    "work", "tim", "today", "tomorrow", "date", "class", "teacher", "staff", "parent", "famili",
    "process", "nam", "name", "number", "part", "follow", "includ", "els", "else", "leav",
    "leave", "left",
}  # fmt: skip


def stem(word: str) -> str:
    """A crude, consistent English stem: sharing/shared/shares -> shar, policies -> polici."""
    for suffix, keep in (("ational", "ate"), ("ation", "ate"), ("ies", "i"), ("ied", "i"),
                         ("ing", ""), ("ed", ""), ("ly", ""), ("es", ""), ("s", ""),
                         ("e", "")):  # fmt: skip
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    return word


_CONCEPT: dict[str, str] = {}
for _concept, _stems in SYNONYMS.items():
    for _s in _stems:
        _CONCEPT.setdefault(stem(_s) if " " not in _s else _s, _concept)


def normalise(text: str) -> str:
    """Lower case, straight quotes, text-speak expanded, known phrases joined."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = " ".join(TEXT_SPEAK.get(w, w) for w in re.findall(r"[\w'&]+|[^\w\s]", text))
    for rx, token in _PHRASES:
        text = rx.sub(token, text)
    return text


@lru_cache(maxsize=20000)
def term(word: str) -> str:
    """The token a word is indexed under: its concept, else its stem."""
    stemmed = stem(word.strip("'"))
    return _CONCEPT.get(stemmed, _CONCEPT.get(word, stemmed))


def tokens(text: str) -> list[str]:
    """Index tokens of a passage or a question, stopwords dropped."""
    words = re.findall(r"[a-z0-9]+", normalise(text))
    return [term(w) for w in words if w not in STOPWORDS and len(w) > 1]


def is_generic(token: str) -> bool:
    return token in _GENERIC_CONCEPTS


def is_concept(token: str) -> bool:
    """A synonym group's own token ("cctv", "share"): never a typo for another word."""
    return token in SYNONYMS
