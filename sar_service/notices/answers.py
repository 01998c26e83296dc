"""Answer parents' questions from the school's own privacy notice.

The bot may only say what the notice says, and must show the passage it
relied on. So an answer is built from the parsed notice (see
:func:`sar_service.notices.parser.parse_notice`) and comes with the best
matching passage; when nothing in the notice fits, :func:`answer_question`
returns None and the bot says it doesn't know and offers to ask the school.

The passage comes from ``retrieval`` (BM25 over stemmed words with a synonym
list, so "do you use CCTV?" finds the sentence saying how long footage is
kept). A small map of words to topics ("share", "pass on" -> who the school
shares with; "how long" -> retention) decides when a plain-English summary of
an extracted list answers better than the quote. A passage is one paragraph,
or one list with its lead-in line, of a section.
"""

from __future__ import annotations

import re
from typing import Any

from sar_service.notices import retrieval
from workflows.request_types import REQUEST_TYPES

# Topic -> words and phrases a parent might use. Order breaks ties.
QUESTION_TOPICS: dict[str, tuple[str, ...]] = {
    "contact": (
        "contact", "dpo", "data protection officer", "speak to", "talk to", "who do i ask",
        "who can i ask", "who do i speak", "email", "phone", "headteacher", "head teacher",
        "get in touch", "write to",
    ),
    "rights": (
        "right", "rights", "complain", "complaint", "ico", "information commissioner", "copy",
        "access", "correct", "wrong", "object", "opt out", "withdraw", "erase", "erasure",
        "forgotten",
    ),
    "recipients": (
        "share", "shared", "sharing", "give", "given", "pass", "passed", "pass on", "send",
        "sent", "disclose", "third party", "third parties", "who else", "who sees",
        "who can see", "other organisations", "local authority", "council", "dfe",
        "department for education", "ofsted", "police", "nhs",
    ),
    "retention": (
        "keep", "kept", "store", "stored", "storing", "how long", "delete", "deleted",
        "destroy", "destroyed", "retain", "retention", "get rid",
    ),
    "sources": (
        "where do you get", "where did you get", "where does", "where do you find",
        "source", "sources", "previous school", "who gives you", "who told you",
    ),
    "lawful_bases": ("lawful", "legal", "legal basis", "allowed to", "what law", "legally"),
    "purposes": ("why", "purpose", "purposes", "what for", "what do you use", "how do you use",
                 "reason", "reasons"),
    "categories": (
        "what do you hold", "what information", "what data", "what do you collect",
        "what do you know", "what do you have", "what kind", "what sort", "what type",
        "categories", "collect", "hold", "record", "records",
    ),
}  # fmt: skip

# A narrower question inside a topic -> what the passage that answers it mentions.
_FOCUS = [
    (re.compile(q), re.compile(p))
    for q, p in (
        (r"complain|\bico\b|unhappy|concern", r"information commissioner|\bico\b|complain|concern"),
        (r"\bdpo\b|data protection officer", r"data protection officer|\bdpo\b"),
        (r"how long|when do you delete", r"how long|retention|years|until"),
    )
]


#: Rights a notice may list: the request types' own words, then rights we take no request for.
_RIGHT_PHRASES = {
    **{t.name: t.notice.words for t in REQUEST_TYPES.values() if t.notice},
    "portability": "ask for information in a form you can give to someone else",
    "automated_decisions": "ask not to have decisions made only by a computer",
    "complain_ico": "complain to the Information Commissioner's Office (ICO)",
    "compensation": "claim compensation if you are harmed because the law was broken",
}
_BASIS_PHRASES = {
    "consent": "you have said yes (consent)",
    "contract": "it is needed for a contract with you (contract)",
    "legal_obligation": "the law says it must (legal obligation)",
    "vital_interests": "it is needed to keep someone safe (vital interests)",
    "public_task": "it is needed to do its job as a school (public task)",
    "legitimate_interests": "it has a fair reason that does not harm your rights "
    "(legitimate interests)",
}
_FRIENDLY = {
    "Ofsted": "Ofsted",
    "Local authority": "your local authority",
    "Department for Education (DfE)": "the Department for Education (DfE)",
    "Previous school": "your child's previous school",
}


def question_topics(question: str) -> list[str]:
    """Topics the question is about, most mentioned first (ties in QUESTION_TOPICS order)."""
    text = _plain(question)
    hits = {
        topic: sum(1 for phrase in phrases if re.search(rf"\b{re.escape(phrase)}\b", text))
        for topic, phrases in QUESTION_TOPICS.items()
    }
    return sorted((t for t, n in hits.items() if n), key=lambda t: -hits[t])


def find_passages(notice: dict[str, Any], question: str, limit: int = 2) -> list[dict[str, Any]]:
    """The passages that best answer the question: {heading, text, score, topic}, best first."""
    return retrieval.search(notice, question, limit)


def answer_question(notice: dict[str, Any], question: str) -> dict[str, str] | None:
    """A short plain-English answer, the passage and its section; None if the notice is silent.

    The passage is found by retrieval (BM25, see ``retrieval``). When it sits in
    the section the question is about and that section has a list the reader
    extracted (recipients, purposes, retention, the DPO…), the answer is said in
    plain words from the list; otherwise the notice's own words are quoted.
    """
    passages = retrieval.search(notice, question, limit=1)
    topics = question_topics(question)
    if not passages and topics[:1] == ["contact"] and notice.get("contacts"):
        # Asked for someone the notice does not name: say so, and who it does name.
        passages = retrieval.search(notice, "contact the school office email phone", limit=1)
    if not passages:
        return None
    passage = passages[0]
    terms = passage["terms"]
    quote = retrieval.best_lines(passage["text"], terms)
    answer = None
    if topics and topics[0] in _BUILDERS and passage["topic"] in (topics[0], "general", "other"):
        answer = _BUILDERS[topics[0]](notice, question)
    if answer is None:
        where = f" under \u201c{passage['heading']}\u201d" if passage["heading"] else ""
        answer = f"The school's privacy notice says{where}: \u201c{quote}\u201d"
    return {
        "answer": answer,
        "passage": passage["text"],
        "heading": passage["heading"],
        "quote": quote,
        "topic": passage["topic"],
    }


# --- scoring -----------------------------------------------------------------


def _plain(text: str) -> str:
    return " ".join(text.lower().replace("\u2019", "'").split())


# --- plain-English answers ---------------------------------------------------


def _friendly(label: str) -> str:
    """How an item reads mid-sentence: "your local authority", "health authorities"."""
    if label in _FRIENDLY:
        return _FRIENDLY[label]
    words = [w for w in label.split() if w[:1].isalpha()]
    proper = len(words) > 1 and all(w[0].isupper() for w in words)
    if proper or label[:2].isupper():
        return label
    return label[0].lower() + label[1:]


def _listing(intro: str, items: list[str]) -> str | None:
    return f"{intro}: {'; '.join(items)}." if items else None


def _recipients(notice: dict[str, Any], question: str) -> str | None:
    names = [_friendly(i["label"]) for i in notice.get("recipients", [])]
    return _listing("The school shares information with", names)


def _categories(notice: dict[str, Any], question: str) -> str | None:
    names = [_friendly(i["label"]) for i in notice.get("categories", [])]
    return _listing("The school keeps these kinds of information", names)


def _purposes(notice: dict[str, Any], question: str) -> str | None:
    uses = [i["label"][0].lower() + i["label"][1:] for i in notice.get("purposes", [])]
    return _listing("The school uses the information to", uses)


def _sources(notice: dict[str, Any], question: str) -> str | None:
    names = [_friendly(i["label"]) for i in notice.get("sources", [])]
    return _listing("As well as from you, the school may get information from", names)


def _retention(notice: dict[str, Any], question: str) -> str | None:
    # List items carry no full stop; without one they would run together into one sentence.
    items = [item.strip() for item in notice.get("retention", [])[:3] if item.strip()]
    said = " ".join(item if item[-1] in ".!?" else f"{item}." for item in items)
    if not said:
        return None
    return f"This is what the school says about how long it keeps information: \u201c{said}\u201d"


def _rights(notice: dict[str, Any], question: str) -> str | None:
    """All the rights the notice names; only the ICO when the question is a complaint."""
    keys = dict.fromkeys(k for item in notice.get("rights", []) for k in item.get("rights", []))
    if _FOCUS[0][0].search(_plain(question)):
        if "complain_ico" not in keys:
            return None
        url = next((u for u in notice.get("urls", []) if "ico.org.uk" in u), None)
        where = f" Their website is {url}." if url else ""
        return f"You can complain to the Information Commissioner's Office (ICO).{where}"
    return _listing("You have the right to", [_RIGHT_PHRASES[k] for k in keys])


def _lawful_bases(notice: dict[str, Any], question: str) -> str | None:
    reasons = [_BASIS_PHRASES[b["basis"]] for b in notice.get("lawful_bases", [])]
    return _listing("The school is allowed to use the information because", reasons)


def _contact(notice: dict[str, Any], question: str) -> str | None:
    """One person when the question names a role, otherwise everyone the notice names."""
    contacts = notice.get("contacts", [])
    text = _plain(question)
    missing = ""
    for role, pattern in (("Data Protection Officer", r"\bdpo\b|data protection officer"),
                          ("Headteacher", r"\bhead ?teacher\b|\bhead\b")):  # fmt: skip
        person = next((c for c in contacts if c["role"] == role), None)
        if re.search(pattern, text):
            if person:
                return _describe(person)
            missing = f"The privacy notice does not name the {role}. "
    everyone = _listing("You can contact", [_who(c) for c in contacts])
    return missing + everyone if everyone else None


def _who(contact: dict[str, Any]) -> str:
    role = contact["role"]
    title = role if role == "Data Protection Officer" else role.lower()
    who = "the school" if role == "Contact" else f"the {title}"
    details = [v for v in (contact["name"], contact["email"], contact["phone"]) if v]
    return f"{who} ({', '.join(details)})" if details else who


def _describe(contact: dict[str, Any]) -> str:
    role = contact["role"]
    short = " (DPO)" if role == "Data Protection Officer" else ""
    parts = [f"The school's {role}{short} is {contact['name']}." if contact["name"] else ""]
    if contact["email"]:
        parts.append(f"You can email {contact['email']}.")
    if contact["phone"]:
        parts.append(f"You can phone {contact['phone']}.")
    if not contact["name"]:
        parts[0] = f"You can contact the school's {role}{short}."
    return " ".join(p for p in parts if p)


_BUILDERS = {
    "contact": _contact,
    "rights": _rights,
    "recipients": _recipients,
    "retention": _retention,
    "sources": _sources,
    "lawful_bases": _lawful_bases,
    "purposes": _purposes,
    "categories": _categories,
}
