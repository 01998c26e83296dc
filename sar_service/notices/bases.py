"""Which UK GDPR Article 6 lawful bases a notice relies on.

Notices rarely name the Articles; they say "to comply with the law" or "with
your consent". The access-response letter cites the Article, so each basis is
recognised from everyday wording and kept with the sentence that showed it.
"""

from __future__ import annotations

import re
from typing import Any

from sar_service.notices.sections import sentences, unit_text

_BASES = [
    (basis, label, article, re.compile(pattern, re.I),
     re.compile(unless, re.I) if unless else None)
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


def lawful_bases(sections: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Article 6 bases, read from the lawful-basis section when there is one."""
    chosen = [s for s in sections if s["topic"] == "lawful_bases"] or sections
    said = [
        sentence
        for section in chosen
        for unit in section["units"]
        for line in unit_text(unit).split("\n")
        for sentence in sentences(line.removeprefix("- "))
    ]
    out = []
    for basis, label, article, rx, unless in _BASES:
        evidence = next(
            (s for s in said if rx.search(s) and not (unless and unless.search(s))), None
        )
        if evidence:
            out.append({"basis": basis, "label": label, "article": article, "text": evidence})
    return out
