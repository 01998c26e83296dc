"""Cut a notice's text into sections of paragraphs and lists, and say what each holds.

Structure decides meaning before any sentence is read: a section's topic comes
from its heading, a list's kind from its lead-in sentence ("... we may share
information about you with:"), else from that topic. The sentence miner, the
lawful-basis finder and the quoted passages all work on these sections.
"""

from __future__ import annotations

import re
from typing import Any

from sar_service.notices.reader import strip_emphasis
from sar_service.notices.vocabulary import SECTION_TOPICS, heading_topic, is_known_heading

TOPICS = SECTION_TOPICS  # a section's topic is one of these or "other"

# Checked in order, against the last sentence before a list.
_LEAD_INS = [
    (kind, re.compile(pattern, re.I))
    for kind, pattern in (
        ("other", r"^(?:the )?(?:dfe|department|npd|ico)\b|\bassessment of\W*$"),
        ("categories", r"\bincludes?(?:,? but (?:is |are )?not (?:restricted|limited) to)?\W*$"
                       r"|\bincluding\W*$|\bcategor(?:y|ies) of (?:\w+ )?(?:information|data)\b"),
        ("purposes", r"^(?:the )?purposes? (?:are|is|include)\b|\bfor the following purposes\b"
                     r"|\b(?:use|uses|process|processes)\b(?: [\w']+){0,3}? (?:data|information)"
                     r"(?: (?:in order|so as))?(?: to)?\W*$"),
        ("recipients", r"\b(?:share|pass|give|disclose|provide|send)\w*\b.*\b(?:with|to)\W*$"),
        ("recipients", r"\brecipients?\b|who we share"),
        ("sources", r"\b(?:receive|obtain|get|collect|come)\w*\b.*\bfrom\W*$|\bsources?\b"),
        ("legislation", r"\blegislation\b|\b(?:laws|acts|regulations)\W*$"),
        ("lawful_bases", r"\blawful\b|\blegal bas[ie]s\b|\b(?:where|when)\W*$"),
        ("rights", r"\bright to\b|\brights\b|\bthe right\W*$"),
        ("retention", r"\b(?:keep|retain|store)\b.*\b(?:for|until)\W*$|\bretention\b"),
        ("purposes", r"\b(?:use|process)\w* (?:\w+ ){0,4}?(?:data|information) to\b"),
        ("purposes", r"\bpurposes?\b|\b(?:use|process)\w*\b.*\bto\W*$|\bin order to\W*$"),
        ("legislation", r"\b(?:laws|acts|regulations)\b"),
        ("categories", r"\bcategor|\b(?:types?|kinds?) of\b|\bsuch as\W*$"
                       r"|\bwe (?:collect|hold|keep|process|record)\b"),
    )
]  # fmt: skip
# A lead-in whose subject is the DfE: "The law allows the Department to share … including:".
_DEPARTMENT_ACTS = re.compile(
    r"\b(?:the )?(?:department|dfe|government)\b(?: for education)?(?: \(dfe\))?"
    r" (?:\w+ ){0,2}(?:to )?(?:share|shares|uses?|collects?|releases?)\b",
    re.I,
)
# An item that is an Article of the UK GDPR, a lawful basis, or a law: a list of those is
# the notice's lawful bases or legislation, whatever its lead-in says.
_BASIS_ITEM = re.compile(
    r"\bart(?:icle|\.)?\s*[69]\b|^\W*(?:legal obligation|public (?:task|interest)|consent"
    r"|vital interests?|legitimate interests?|contract)\b",
    re.I,
)
_LAW_ITEM = re.compile(
    r"\b(?:Act|Regulations?|Order|Directive|Code of Practice)\b(?:\s+\(?\d{4}\)?)?"
    r"(?:\s*\([^)]{0,40}\))?\s*(?:[;,.]|\s+(?:and|or))*\s*$|^(?:the\s+)?(?:UK\s+)?GDPR\b"
)
_LIST_TOPICS = {"categories", "purposes", "recipients", "sources", "rights", "retention"}

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
        and (words[-1].lower() not in _CONNECTORS or is_known_heading(first))
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


def build_sections(text: str) -> list[dict[str, Any]]:
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
    return heading_topic(heading) or "other"


def unit_text(unit: dict[str, Any]) -> str:
    if "para" in unit:
        return unit["para"]
    lines = [unit["lead_in"]] if unit["lead_in"] else []
    return "\n".join(lines + ["- " + item for item in unit["items"]])


def sentences(text: str) -> list[str]:
    """Sentences, without a "(web address)" left over from the previous paragraph."""
    text = re.sub(r"^\(\s*(?:https?://|www\.)[^)\s]*\s*\)\s*", "", text)
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z(\"'])", text) if s.strip()]


def classify_list(lead_in: str, topic: str, items: list[str] | None = None) -> tuple[str, str]:
    """(kind, how it was decided): "items", "lead_in", "heading" or "guess"."""
    items = items or []
    if items:
        bases = sum(1 for item in items if _BASIS_ITEM.search(item))
        laws = sum(1 for item in items if _LAW_ITEM.search(item))
        if max(bases, laws) * 2 > len(items):
            return ("lawful_bases" if bases >= laws else "legislation"), "items"
    last = sentences(lead_in)[-1] if lead_in else ""
    if topic == "dfe" and not re.match(r"\W*we\b", last, re.I):
        return "other", "heading"  # what the DfE shares or uses, not the school
    if _DEPARTMENT_ACTS.search(last):
        return "other", "lead_in"
    kind = next((k for k, rx in _LEAD_INS if rx.search(last)), None)
    if kind:
        return kind, "lead_in"
    if topic in _LIST_TOPICS:
        return topic, "heading"
    if re.search(r"\binclud\w*\W*$", last, re.I):
        return "categories", "guess"
    return "other", "guess"
