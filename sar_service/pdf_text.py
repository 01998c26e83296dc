"""Text in fpdf2 PDFs: one place that decides which font can print which characters.

fpdf2's core fonts (Helvetica) are Latin-1 only and need no files, so a PDF can always be
made with nothing but Python. When a Unicode TrueType font is installed (DejaVu Sans ships
with most Linux systems), it is used instead so names like "Wiśniewska" print as written;
without one, typographic characters get plain equivalents and anything else outside
Latin-1 becomes "?" rather than failing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

CORE = "Helvetica"
UNICODE = "SarUnicode"
_SWAPS = {"–": "-", "—": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "...", "→": "->"}
#: Where a Unicode font may be found (regular, bold); the first pair present is used.
FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    ),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("/Library/Fonts/Arial Unicode.ttf", "/Library/Fonts/Arial Unicode.ttf"),
)


def latin1(text: str) -> str:
    """Text the core fonts can print: plain equivalents for typographic characters."""
    for a, b in _SWAPS.items():
        text = text.replace(a, b)
    return text.encode("latin-1", "replace").decode("latin-1")


@lru_cache(maxsize=1)
def unicode_font_files() -> tuple[str, str] | None:
    """(regular, bold) paths of an installed Unicode font, or None."""
    for regular, bold in FONT_CANDIDATES:
        if Path(regular).is_file() and Path(bold).is_file():
            return regular, bold
    return None


class Fonts:
    """The font family a PDF uses, and the text filter that goes with it."""

    def __init__(self, pdf, *, unicode: bool = True) -> None:
        files = unicode_font_files() if unicode else None
        self.family = CORE
        self.unicode = False
        if files is not None:
            pdf.add_font(UNICODE, "", files[0])
            pdf.add_font(UNICODE, "B", files[1])
            self.family, self.unicode = UNICODE, True

    def text(self, value: str) -> str:
        return value if self.unicode else latin1(value)
