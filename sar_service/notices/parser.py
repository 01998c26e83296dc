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
- ``topics``: what it says about CCTV, photographs, biometrics, transfers
  abroad and automated decisions (``features``): sentences per feature.
- ``confidence``: per reviewed list, ``{"level": "high"|"low", "reason"}``.
- each recipient also has ``kind``: "body" (a named organisation) or "class".

How: the text is cut into headings, paragraphs and lists. A list is classified
by its lead-in sentence ("... we may share information about you with:"),
else by its section heading. Sentences are mined with first-person patterns
("we pass information ... to X and Y"), so prose notices yield items too.
Onward sharing by the DfE counts as a recipient only when the notice has no
list of recipients of its own (a list is taken as the school's full answer).

This module only runs the steps; each lives in its own module: ``sections``
(structure and list kinds), ``mining`` (sentence patterns and the collector),
``labels`` (tidying and naming items), ``bases`` (Article 6), ``contacts`` and
``school`` (name and URLs).
"""

from __future__ import annotations

from typing import Any

from sar_service.notices.bases import lawful_bases
from sar_service.notices.confidence import confidence
from sar_service.notices.contacts import contacts
from sar_service.notices.features import features
from sar_service.notices.mining import ITEM_KINDS, Found
from sar_service.notices.reader import normalise_text
from sar_service.notices.school import school_name, urls
from sar_service.notices.sections import TOPICS, build_sections, unit_text

__all__ = ["ITEM_KINDS", "TOPICS", "parse_notice"]


def parse_notice(text: str) -> dict[str, Any]:
    """Structured data from a notice's plain text (see the module docstring)."""
    text = normalise_text(text)
    every_section = build_sections(text)
    sections = [s for s in every_section if s["units"]]
    found = Found()
    for section in sections:
        for unit in section["units"]:
            if "items" in unit:
                found.take_list(unit, section["topic"])
            else:
                found.take_prose(unit["para"], section["topic"])
    items = found.finish()
    for item in items["recipients"]:
        item["kind"] = recipient_kind(item["label"])
    texts = [unit_text(unit) for section in sections for unit in section["units"]]
    parsed = {
        **{kind: items[kind] for kind in ITEM_KINDS},
        "lawful_bases": lawful_bases(sections),
        "retention": found.retention,
        "contacts": contacts([s["heading"] for s in every_section] + texts),
        "urls": urls(text),
        "school_name": school_name([s["heading"] for s in every_section], texts),
        "sections": [
            {
                "heading": s["heading"],
                "text": "\n\n".join(unit_text(u) for u in s["units"]),
                "topic": s["topic"],
            }
            for s in sections
        ],
        "topics": features(sections),
    }
    parsed["confidence"] = confidence(parsed, found.origins)  # type: ignore[assignment]
    return parsed


_GENERIC_WORDS = {"the", "our", "a", "an", "and", "of", "for", "in", "to", "school", "schools"}


def recipient_kind(label: str) -> str:
    """ "body" for a named organisation (Ofsted, NHS, Arbor Education), else "class" of them."""
    if label in ("Local authority", "Department for Education (DfE)", "Ofsted"):
        return "body"
    words = [w for w in label.split()[1:] if w.lower() not in _GENERIC_WORDS]
    named = any(w[:1].isupper() or w.isupper() for w in words) or label.split()[0].isupper()
    return "body" if named else "class"
