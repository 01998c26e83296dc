"""What a notice says about CCTV, photographs, biometrics, transfers abroad and automated decisions.

Parents ask about these more than anything else ("do you use CCTV?", "can I
stop photos of my child going online?"), and each has its own legal weight
(biometrics need written consent under the Protection of Freedoms Act 2012;
transfers abroad need safeguards; automated decisions are an Art 22 right).
For each, the sentences that mention it, in order, from anywhere in the notice:
empty when the notice is silent.
"""

from __future__ import annotations

import re
from typing import Any

from sar_service.notices.sections import sentences, unit_text

FEATURES = {
    "cctv": r"\bcctv\b|\bcameras?\b|closed[- ]circuit|surveillance|\bfootage\b",
    "photographs": r"\bphoto(?:graph)?s?\b|\bimages?\b|\bvideos?\b|\bfilm(?:ing|ed)?\b"
    r"|\bpictures?\b",
    "biometrics": r"\bbiometric|\bfingerprints?\b|\bfacial recognition\b",
    "transfers_abroad": r"outside (?:the )?(?:uk|united kingdom|eea|european)|\babroad\b"
    r"|\boverseas\b|\binternational(?:ly)?\b|\bthird countr|adequacy|standard contractual",
    "automated_decisions": r"\bautomated\b|\bprofiling\b",
}
_COMPILED = {name: re.compile(pattern, re.I) for name, pattern in FEATURES.items()}


def features(sections: list[dict[str, Any]]) -> dict[str, list[str]]:
    """{feature: [sentences]} for every feature, from list items and paragraphs alike."""
    said = [
        sentence
        for section in sections
        for unit in section["units"]
        for line in unit_text(unit).split("\n")
        for sentence in sentences(line.removeprefix("- "))
    ]
    out: dict[str, list[str]] = {}
    for name, rx in _COMPILED.items():
        found = [s for s in said if rx.search(s)]
        out[name] = list(dict.fromkeys(found))
    return out
