"""Parse the plain text of a school privacy notice into structured data.

The gathering checklist, the access-response letter (Art 15(1)(a)-(d), (g))
and the parents' bot all read what this returns, so it must find every item
whether the notice lists it under a heading or buries it in a sentence.

``parse_notice(text)`` returns a JSON-serialisable dict:

- ``categories``, ``purposes``, ``recipients``, ``sources``, ``legislation``:
  lists of items ``{"label": str, "text": str}``. ``text`` is the notice's
  own wording (bullets, italics and a trailing "; and" removed, examples in
  brackets kept); ``label`` is a short name for checklists and answers, e.g.
  ``{"label": "Personal information", "text": "Personal information (such as
  name, unique pupil number and address)"}``. Well-known bodies get one label
  ("Local authority", "Department for Education (DfE)", "Ofsted", "Previous
  school") so a list item and a sentence naming the same body count once.
- ``rights``: items with a third key ``rights``: the rights the item covers
  (``access``, ``rectification``, ``erasure``, ``restriction``, ``objection``,
  ``portability``, ``automated_decisions``, ``withdraw_consent``,
  ``complain_ico``, ``compensation``).
- ``lawful_bases``: ``{"basis", "label", "article", "text"}`` per UK GDPR
  Article 6 basis the notice relies on, in Article order; ``text`` is the
  sentence that showed it ("comply with the law" -> legal obligation).
- ``retention``: sentences about how long information is kept.
- ``contacts``: ``{"role", "name", "email", "phone"}``; role is "Data
  Protection Officer", "Headteacher", "School office" or "Contact"; unknown
  values are None.
- ``urls`` (in order), ``school_name`` (str or None).
- ``sections``: ``{"heading", "text", "topic"}`` in order -- the passages the
  bot quotes; ``topic`` is one of TOPICS or "other".

How: the text is cut into headings, paragraphs and lists. A list is classified
by its lead-in sentence ("... we may share information about you with:"),
else by its section heading. Sentences are mined with first-person patterns
("we pass information ... to X and Y"), so prose notices yield items too.
Onward sharing by the DfE counts as a recipient only when the notice has no
list of recipients of its own (a list is taken as the school's full answer).
"""

from __future__ import annotations

import re
from typing import Any

from sar_service.notices.reader import normalise_text, strip_emphasis

ITEM_KINDS = ("categories", "purposes", "recipients", "sources", "rights", "legislation")
TOPICS = (
    "general", "lawful_bases", "retention", "recipients", "sources", "rights",
    "contact", "collecting", "purposes", "categories",
)  # fmt: skip


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


# Checked in order, against a heading; the first that matches is its topic.
_HEADING_TOPICS = [
    (topic, _rx(pattern))
    for topic, pattern in (
        ("general", r"privacy notice|^how we use (?:\w+ )?(?:information|data)$"),
        ("lawful_bases", r"lawful|legal bas[ie]s|basis for|grounds for"),
        ("retention", r"\b(?:keep|kept|stor(?:e|ed|ing|age)|retain|retention|how long|delet)"),
        ("recipients", r"\bshar(?:e|ed|ing)\b|recipient|disclos|who (?:we|do we) give|third part"),
        ("sources", r"\bsources?\b|where (?:we|do we) get|comes? from|obtain"),
        ("rights", r"\brights?\b|requesting access|access to (?:your|personal|their)|complain"),
        ("contact", r"\bcontact|further information|more information|\bdpo\b|data protection off"),
        ("collecting", r"^collecting\b|data collection"),
        ("purposes", r"\bwhy\b|purpose|what we (?:do with|use)|how we use|reasons?\b|\buse of\b"),
        ("categories", r"categor|what (?:\w+ )*(?:information|data)|types? of|(?:collect|hold)"),
    )
]
# Checked in order, against the last sentence before a list.
_LEAD_INS = [
    (kind, _rx(pattern))
    for kind, pattern in (
        ("other", r"^(?:the )?(?:dfe|department|npd|ico)\b|\bassessment of\W*$"),
        ("recipients", r"\b(?:share|pass|give|disclose|provide|send)\w*\b.*\b(?:with|to)\W*$"),
        ("recipients", r"\brecipients?\b|who we share"),
        ("sources", r"\b(?:receive|obtain|get|collect|come)\w*\b.*\bfrom\W*$|\bsources?\b"),
        ("legislation", r"\blegislation\b|\b(?:laws|acts|regulations)\b"),
        ("lawful_bases", r"\blawful\b|\blegal bas[ie]s\b|\b(?:where|when)\W*$"),
        ("rights", r"\bright to\b|\brights\b"),
        ("retention", r"\b(?:keep|retain|store)\b.*\b(?:for|until)\W*$|\bretention\b"),
        ("purposes", r"\b(?:use|process)\w* (?:\w+ ){0,4}?(?:data|information) to\b"),
        ("purposes", r"\bpurposes?\b|\b(?:use|process)\w*\b.*\bto\W*$|\bin order to\W*$"),
        ("categories", r"\bcategor|\btypes? of\b|\bsuch as\W*$"),
    )
]
_LIST_TOPICS = {"categories", "purposes", "recipients", "sources", "rights", "retention"}

# --- cutting the text into headings, paragraphs and list items ---------------

_AUTOLINK = re.compile(r"<((?:https?://|mailto:)[^>\s]{1,500})>")
_CONNECTORS = {"and", "or", "the", "of", "to", "a", "an", "with", "for", "in", "our", "your", "by"}


def _is_heading(line: str, list_follows: bool) -> bool:
    """Short, capitalised, no final full stop, no address; "Topic:" only if very short."""
    words = line.split()
    if not words or len(words) > 14 or len(line) > 100 or line.startswith("- "):
        return False
    if not (line[0].isupper() or line[0].isdigit()) or line[-1] in ".;,!":
        return False
    if re.search(r"https?://|www\.|@|\d[\d ]{6,}\d", line):
        return False
    return not line.endswith(":") or (len(words) <= 5 and not list_follows)


def _is_inline_heading(first: str, second: str) -> bool:
    """A heading with its paragraph on the very next line (no blank line between)."""
    words = first.split()
    return (
        len(words) <= 8
        and not first.endswith(":")
        and _is_heading(first, False)
        and (second.startswith("- ") or second[:1].isupper())
        and words[-1].lower() not in _CONNECTORS
    )


def _mark_bare_items(lines: list[str]) -> list[str]:
    """A list written without bullets: short lines after "...:", or a block of short lines."""
    if any(line.startswith("- ") for line in lines):
        return lines
    for index, line in enumerate(lines[:-1]):
        rest = lines[index + 1 :]
        if line.endswith(":") and len(rest) >= 2 and all(len(x.split()) <= 15 for x in rest):
            return lines[: index + 1] + ["- " + x for x in rest]
    start = 1 if lines[0].isupper() else 0
    rest = lines[start:]
    if len(rest) >= 3 and all(len(x.split()) <= 10 and not x.endswith(".") for x in rest):
        return lines[:start] + ["- " + x for x in rest]
    return lines


def _block_elements(lines: list[str], list_follows: bool) -> list[list[str]]:
    """One blank-line-separated block as [kind, text] elements."""
    if len(lines) == 1 and _is_heading(lines[0], list_follows):
        return [["heading", lines[0].rstrip(":").strip()]]
    lines = _mark_bare_items(lines)
    first = lines[0]
    heading_first = (
        len(lines) > 1
        and not first.startswith("- ")
        and (first.isupper() or _is_inline_heading(first, lines[1]))
    )
    if heading_first:
        return [["heading", first.rstrip(":")], *_block_elements(lines[1:], list_follows)]
    out: list[list[str]] = []
    para: list[str] = []
    for line in lines:
        if line.startswith("- "):
            if para:
                out.append(["para", " ".join(para)])
                para = []
            out.append(["item", line[2:].strip()])
        elif out and out[-1][0] == "item" and not para and line[:1].islower():
            out[-1][1] += " " + line  # a list item wrapped onto the next line
        else:
            para.append(line)
    if para:
        out.append(["para", " ".join(para)])
    return out


def _sections(text: str) -> list[dict[str, Any]]:
    """Sections of units: {"para": str} or {"lead_in": str, "items": [str]}."""
    blocks = [
        [_AUTOLINK.sub(r"\1", strip_emphasis(x.strip())) for x in b.splitlines()]
        for b in re.split(r"\n\s*\n", text)
        if b.strip()
    ]
    sections: list[dict[str, Any]] = [{"heading": "", "units": []}]
    for index, lines in enumerate(blocks):
        following = blocks[index + 1][0] if index + 1 < len(blocks) else ""
        for kind, value in _block_elements(lines, following.startswith("- ")):
            units = sections[-1]["units"]
            if kind == "heading":
                sections.append({"heading": value, "units": []})
            elif kind == "para":
                units.append({"para": value})
            elif units and "items" in units[-1]:
                units[-1]["items"].append(value)
            else:
                lead = units.pop()["para"] if units and "para" in units[-1] else ""
                units.append({"lead_in": lead, "items": [value]})
    for section in sections:
        section["topic"] = _heading_topic(section["heading"])
    return sections


def _heading_topic(heading: str) -> str:
    if not heading:
        return "general"
    return next((t for t, rx in _HEADING_TOPICS if rx.search(heading)), "other")


def _unit_text(unit: dict[str, Any]) -> str:
    if "para" in unit:
        return unit["para"]
    lines = [unit["lead_in"]] if unit["lead_in"] else []
    return "\n".join(lines + ["- " + item for item in unit["items"]])


def _sentences(text: str) -> list[str]:
    """Sentences, without a "(web address)" left over from the previous paragraph."""
    text = re.sub(r"^\(\s*(?:https?://|www\.)[^)\s]*\s*\)\s*", "", text)
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z(\"'])", text) if s.strip()]


def _list_kind(lead_in: str, topic: str) -> str:
    """What a list holds: its lead-in sentence decides, else its section's topic."""
    last = _sentences(lead_in)[-1] if lead_in else ""
    kind = next((k for k, rx in _LEAD_INS if rx.search(last)), None)
    if kind:
        return kind
    if topic in _LIST_TOPICS:
        return topic
    return "categories" if re.search(r"\binclud\w*\W*$", last, re.I) else "other"


# --- cleaning items and naming them ------------------------------------------

_DETERMINERS = _rx(r"^(?:(?:the|our|your|their|its|his|her|a|an|any|all)\s+)+")
_LABEL_CUT = re.compile(
    r"\s+\((?![A-Z][A-Za-z]{1,5}\))|\s+[–—-]\s+|:\s|,?\s+such as\s|,?\s+e\.g\.|,?\s+including\s"
)
_ORGS = [
    (_rx(rf"(?:{pattern})(?: \(\w+\))?"), name)
    for pattern, name in (
        (r"local authorit(?:y|ies)|la|local council|council", "Local authority"),
        (r"department for education|dfe|department", "Department for Education (DfE)"),
        (r"ofsted", "Ofsted"),
        (r"(?:previous|last|former|old) schools?", "Previous school"),
    )
]


def _clean(text: str) -> str:
    """Strip italics, bullets and a trailing "; and" / "," / "." from an item."""
    text = " ".join(strip_emphasis(text).strip(" *_").split())
    while True:
        shorter = re.sub(r"(?:\s*[;,:.]|\s+(?:and|or))$", "", text).strip()
        if shorter == text:
            return text[:1].upper() + text[1:]
        text = shorter


def _label(text: str, kind: str) -> str:
    """A short name: the words before any brackets, dash or examples."""
    head = _LABEL_CUT.split(text, maxsplit=1)[0].strip(" ,;")
    if kind == "purposes":
        head = re.sub(r"^(?:in order )?to\s+", "", head, flags=re.I)
    if kind in ("categories", "recipients", "sources"):
        head = _DETERMINERS.sub("", head)
        if re.match(r"where (?:they|pupils|students|children) go\b", head, re.I):
            return "Destinations"
        head = re.sub(r"\s+(?:that|which|who|they|we)\s.*$", "", head)
    for rx, name in _ORGS:
        if kind in ("recipients", "sources") and rx.fullmatch(head):
            return name
    return head[:1].upper() + head[1:]


def _key(label: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", _DETERMINERS.sub("", label.lower())).strip()


def _split_list(text: str) -> list[str]:
    """Split "a, b and c d as well as e" into its parts, never inside brackets."""
    saved: list[str] = []

    def hide(match: re.Match[str]) -> str:
        saved.append(match[0])
        return f"\x00{len(saved) - 1}\x00"

    masked = re.sub(r"\([^()]*\)", hide, text)
    parts: list[str] = []
    for chunk in re.split(r"\s*[,;]\s*|\s+(?:as well as|and/or)\s+", masked):
        chunk = re.sub(r"^(?:and|or)\s+", "", chunk.strip())
        pair = re.split(r"\s+(?:and|or)\s+", chunk)
        two_words_each = len(pair) > 1 and all(len(p.split()) >= 2 for p in pair)
        parts += pair if two_words_each else [chunk]
    restore = [re.sub(r"\x00(\d+)\x00", lambda m: saved[int(m[1])], p) for p in parts]
    return [p.strip() for p in restore if p.strip()]


# --- mining sentences --------------------------------------------------------

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
    "those", "parents", "parent", "carers", "pupils", "yourself",
}  # fmt: skip
_RIGHT_PROSE = _rx(
    r"\bright to\b|information commissioner|\bico\b|\bsubject access\b|\bopts? out\b"
    r"|\bwithdraw\w*\b.*\bconsent\b|(?:receive|request|have|get|ask for|see) a copy of"
    r" (?:the |your |any |all )?(?:information|data|personal|records?)"
)
_RIGHTS = [
    (key, name, _rx(pattern))
    for key, name, pattern in (
        ("access", "Access", r"\baccess\b|\bcopy of\b"),
        ("rectification", "Rectification", r"rectif|inaccurate|\bcorrect"),
        ("erasure", "Erasure", r"\beras|\berased?\b|\bdelet|\bdestroy"),
        ("restriction", "Restriction", r"restrict|\bblock"),
        ("objection", "Objection", r"\bobject(?![^.]*automated)|prevent processing|marketing"),
        ("portability", "Data portability", r"portab"),
        ("automated_decisions", "Automated decisions", r"automated"),
        ("withdraw_consent", "Withdraw consent", r"\bwithdraw|\bopts? out\b"),
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
_BASES = [
    (basis, label, article, _rx(pattern), _rx(unless) if unless else None)
    for basis, label, article, pattern, unless in (
        ("consent", "Consent", "Article 6(1)(a)", r"\bconsent\b|\bpermission\b",
         r"without (?:\w+ ){0,3}(?:consent|permission)"),
        ("contract", "Contract", "Article 6(1)(b)",
         r"\b(?:a|our|the) contract with (?:you|parents?)|performance of a contract", ""),
        ("legal_obligation", "Legal obligation", "Article 6(1)(c)",
         r"comply with (?:the|a|our) (?:law|legal)|legal (?:obligation|dut(?:y|ies)|requirement)"
         r"|required,? by law|law requires|statutory (?:basis|duty|obligation)", ""),
        ("vital_interests", "Vital interests", "Article 6(1)(d)",
         r"vital interests?|protect (?:your|their|his|her|someone(?: else)?'s|the) (?:vital )?"
         r"interests?", ""),
        ("public_task", "Public task", "Article 6(1)(e)",
         r"public interest|public task|official authority", ""),
        ("legitimate_interests", "Legitimate interests", "Article 6(1)(f)",
         r"legitimate interests?", ""),
    )
]  # fmt: skip


def _org_fragments(rest: str) -> list[str]:
    """Organisation names from the words after "with"/"to"/"from"."""
    out = []
    for part in _split_list(_REST_END.split(rest, maxsplit=1)[0]):
        words = _clean(part).split()
        if words and len(words) <= 8 and words[0].lower() not in _NOT_ORG:
            out.append(" ".join(words))
    return out


def _first_person(match: re.Match[str] | None) -> bool:
    """The school is the one acting: no other subject between "we" and the verb."""
    return bool(
        match
        and not re.search(r"\b(?:you|they|parents?)\b", match["gap"], re.I)
        and _DATA_WORD.search(match["obj"])
    )


class _Found:
    """Everything collected so far, with de-duplication by label."""

    def __init__(self) -> None:
        self.items: dict[str, list[dict[str, Any]]] = {k: [] for k in ITEM_KINDS}
        self.keys: dict[str, set[str]] = {k: set() for k in ITEM_KINDS}
        self.retention: list[str] = []
        self.onward: list[dict[str, Any]] = []
        self.listed_recipients = False

    def add(self, kind: str, text: str, label: str | None = None) -> dict[str, Any] | None:
        """Keep a new item; None if it is empty or already known under that label."""
        text = _clean(text)
        label = label or _label(text, kind)
        key = _key(label) if kind != "legislation" else _key(text)
        if not (text and label) or key in self.keys[kind]:
            return None
        self.keys[kind].add(key)
        self.items[kind].append({"label": label, "text": text})
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
        kind = _list_kind(unit["lead_in"], topic)
        self.listed_recipients |= kind == "recipients"
        for item in unit["items"]:
            if kind == "retention":
                self.add_retention(_clean(item))
            elif kind == "rights":
                self.add_right(item, from_prose=False)
            elif kind in ITEM_KINDS:
                self.add(kind, item, _clean(item) if kind == "legislation" else None)

    def take_prose(self, para: str, topic: str) -> None:
        for sentence in _sentences(para):
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
                self.onward.append({"label": f"{_label(name, 'recipients')} (via the DfE)",
                                    "text": _clean(sentence)})  # fmt: skip
        elif positive and _first_person(share):
            for name in _org_fragments(share["rest"]):
                self.add("recipients", name)
        if positive and _first_person(source):
            for name in _org_fragments(source["rest"]):
                self.add("sources", name)
        for rx, kind in ((_CATEGORY, "categories"), (_PURPOSE, "purposes")):
            match = rx.search(sentence)
            rest = match and next(g for g in match.groups() if g)
            for part in _split_list(rest) if rest else []:
                self.add(kind, part)
        if _RIGHT_PROSE.search(sentence):
            right_to = re.search(r"\bright to\s+(.+)$", sentence, re.I)
            self.add_right(right_to[1] if right_to else sentence, from_prose=True)
        for law in _LAW.finditer(sentence):
            name = re.sub(r"^(?:(?:The|Under|In|With|By|Of|Under the|In the)\s+)+", "", law[0])
            self.add("legislation", name, name)

    def finish(self) -> dict[str, list[dict[str, Any]]]:
        if not self.listed_recipients:
            for item in self.onward:
                self.add("recipients", item["text"], item["label"])
        return self.items


# --- contacts, lawful bases, names and addresses -----------------------------

_ROLES = [
    (role, _rx(pattern))
    for role, pattern in (
        ("Data Protection Officer", r"data protection officer|\bDPO\b"),
        ("Headteacher", r"\bhead ?teacher\b|\bhead of school\b|\bprincipal\b"),
        ("School office", r"\bschool office\b|\b(?:school )?administrator\b|\boffice manager\b"),
    )
]
_NAME = re.compile(
    r"\s*(?:\([^)]*\)\s*)?(?:[-–—:,]|\bis\b)\s*((?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+)?"
    r"[A-Z][a-z'-]+(?:\s+[A-Z][a-z'-]+){0,2})"
)
_NOT_NAME = {"The", "Our", "Your", "Please", "If", "School", "Data", "Tel", "Telephone", "Email"}
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,6}")
_PHONE = re.compile(r"(?<![\d+])(?:\+44\s?(?:\(0\)\s?)?|0)\d(?:[\s-]?\d){8,9}(?!\d)")
_MAX_MENTIONS = 40  # per paragraph: enough for any real notice, bounded for junk
_ASKED = _rx(r"\b(?:contact|speak to|talk to|write to|ask|email|call|phone)\b(?:\s+\S+){0,3}\s*$")
_URL = re.compile(r"https?://[^\s<>()\"']+|www\.[^\s<>()\"']+")
_SCHOOL = re.compile(
    r"\b((?:[A-Z][\w'.&-]*\s+|of\s+|and\s+|the\s+){1,7}?(?:School|Academy|College))\b"
)
_SCHOOL_TYPE = _rx(
    r"\b(?:primary|infant|junior|secondary|high|grammar|middle|nursery|special|church|c of e|ce"
    r"|catholic|community|first|academy|college)\b(?!$)|\b(?:academy|college)$"
)
_NOT_SCHOOL = {"the", "our", "your", "this", "a", "an", "welcome", "to", "at", "privacy", "notice"}


def _contacts(texts: list[str]) -> list[dict[str, Any]]:
    """One contact per role: the name after the role, and the email/phone in its sentence."""
    found: dict[str, dict[str, Any]] = {}
    texts = [" ".join(text.split()) for text in texts]
    for text in texts:
        mentions = sorted(
            (m.start(), m.end(), role) for role, rx in _ROLES for m in rx.finditer(text)
        )[:_MAX_MENTIONS]
        for start, end, role in mentions:
            stop = next((s for s, _, r in mentions if s >= end and r != role), len(text))
            window = text[end : min(stop, end + 160)]
            name = _NAME.match(window)
            name_text = name[1] if name and name[1].split()[0] not in _NOT_NAME else None
            if name_text and len(name_text.split()) < 2:
                name_text = None
            email, phone = _EMAIL.search(window), _PHONE.search(window)
            if name_text or email or phone or _ASKED.search(text[max(start - 40, 0) : start]):
                _merge(found, role, name_text, email and email[0], phone and phone[0])
    for text in texts:
        for email in _EMAIL.findall(text):
            if all(c["email"] != email for c in found.values()):
                _merge(found, _role_for_email(email), None, email, None)
        for phone in _PHONE.findall(text):
            if all(c["phone"] != phone for c in found.values()):
                _merge(found, "Contact", None, None, phone)
    return list(found.values())


def _role_for_email(email: str) -> str:
    local = email.split("@")[0].lower()
    for role, pattern in (("Data Protection Officer", r"dpo|gdpr|data"), ("Headteacher", r"head"),
                          ("School office", r"office|admin|enquir|info")):  # fmt: skip
        if re.search(pattern, local):
            return role
    return "Contact"


def _merge(found: dict, role: str, name: str | None, email: str | None, phone: str | None) -> None:
    contact = found.setdefault(role, {"role": role, "name": None, "email": None, "phone": None})
    for field, value in (("name", name), ("email", email), ("phone", phone)):
        contact[field] = contact[field] or value


def _lawful_bases(sections: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Article 6 bases, read from the lawful-basis section when there is one."""
    chosen = [s for s in sections if s["topic"] == "lawful_bases"] or sections
    sentences = [
        sentence
        for section in chosen
        for unit in section["units"]
        for line in _unit_text(unit).split("\n")
        for sentence in _sentences(line.removeprefix("- "))
    ]
    out = []
    for basis, label, article, rx, unless in _BASES:
        evidence = next(
            (s for s in sentences if rx.search(s) and not (unless and unless.search(s))), None
        )
        if evidence:
            out.append({"basis": basis, "label": label, "article": article, "text": evidence})
    return out


def _school_name(headings: list[str], texts: list[str]) -> str | None:
    """The first "X Primary School" / "X Academy"-like name, headings first."""
    headings = [h.title() if h.isupper() else h for h in headings]
    for text in headings + texts:
        for match in _SCHOOL.finditer(text):
            words = match[1].split()
            while words and words[0].lower() in _NOT_SCHOOL:
                words.pop(0)
            if len(words) >= 2 and _SCHOOL_TYPE.search(" ".join(words)):
                return " ".join(words)
    return None


def _urls(text: str) -> list[str]:
    urls = [u.rstrip(".,;:") for u in _URL.findall(text)]
    return list(dict.fromkeys(urls))


def parse_notice(text: str) -> dict[str, Any]:
    """Structured data from a notice's plain text (see the module docstring)."""
    text = normalise_text(text)
    every_section = _sections(text)
    sections = [s for s in every_section if s["units"]]
    found = _Found()
    for section in sections:
        for unit in section["units"]:
            if "items" in unit:
                found.take_list(unit, section["topic"])
            else:
                found.take_prose(unit["para"], section["topic"])
    items = found.finish()
    texts = [_unit_text(unit) for section in sections for unit in section["units"]]
    return {
        **{kind: items[kind] for kind in ITEM_KINDS},
        "lawful_bases": _lawful_bases(sections),
        "retention": found.retention,
        "contacts": _contacts([s["heading"] for s in every_section] + texts),
        "urls": _urls(text),
        "school_name": _school_name([s["heading"] for s in every_section], texts),
        "sections": [
            {
                "heading": s["heading"],
                "text": "\n\n".join(_unit_text(u) for u in s["units"]),
                "topic": s["topic"],
            }
            for s in sections
        ],
    }
