"""Plain text from a PDF notice, with its paragraphs and headings put back.

Most schools publish the notice as a PDF saved from Word. Text extraction
gives one line per printed line and no blank lines, so paragraphs, headings
and wrapped list items have to be rebuilt from the shape of the lines: a line
that fills the width continues on the next; a short capitalised line without
a full stop between two sentences is a heading. A scanned PDF has no text at
all and gets a message that says what to upload instead.
"""

from __future__ import annotations

import io
import logging
import re

from sar_service.notices.errors import NoticeFormatError
from sar_service.notices.vocabulary import is_known_heading

NO_TEXT = "This PDF has no text, please upload the Word version or paste the text."
DAMAGED = "This PDF is damaged or protected and can't be read. Please upload the Word version."

_FOOTER = re.compile(r"^(?:page\s+\d+(?:\s+of\s+\d+)?|\d{1,3}|\d{1,3}\s*/\s*\d{1,3})$", re.I)
_BULLET = re.compile(r"^(?:[•◦▪●○■□►‣∙·\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8*–—-]|o(?=\s))\s*")
_ITEM = re.compile(r"^(?:\(?\d{1,2}[.)]|\(?[a-z][.)]|\([ivx]{1,4}\))\s+")
_END = re.compile(r"[.:;!?]\W{0,2}$")
_CONNECTORS = {"and", "or", "the", "of", "to", "a", "an", "with", "for", "in", "on", "by", "our"}


def pdf_to_text(data: bytes) -> str:
    """Text of every page, lines re-joined into paragraphs; NoticeFormatError if none."""
    import pypdf
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        pages = [_page_text(page).translate(_LIGATURES) for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise NoticeFormatError(DAMAGED) from exc
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on broken files
        raise NoticeFormatError(DAMAGED) from exc
    lines = [line for page in pages for line in _layout_lines(page.splitlines())]
    lines = [line for line in lines if line and not _FOOTER.match(line)]
    if sum(ch.isalpha() for line in lines for ch in line) < 40:
        raise NoticeFormatError(NO_TEXT)
    return reflow(lines)


def _page_text(page) -> str:
    """The page laid out as printed (columns and indents kept), else as plain text."""
    try:
        return page.extract_text(extraction_mode="layout") or ""
    except Exception:  # noqa: BLE001 - layout mode fails on some odd fonts; plain still works
        return page.extract_text() or ""


_GAP = re.compile(r"\S(\s{8,})\S")
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi",
                            "\ufb04": "ffl", "\xad": None})  # fmt: skip


def _layout_lines(raw: list[str]) -> list[str]:
    """Printed lines; indented item continuations joined; table rows as tab-separated cells."""
    out: list[str] = []
    index = 0
    while index < len(raw):
        line = raw[index].rstrip()
        if _GAP.search(line.strip()):
            rows, index = _table(raw, index)
            out += rows
            continue
        index += 1
        text = " ".join(line.split())
        indent = len(line) - len(line.lstrip())
        last = out[-1] if out else ""
        if (
            text
            and indent
            and out
            and _BULLET.match(last)
            and not (_BULLET.match(text) or _ITEM.match(text))
        ):
            out[-1] = f"{last} {text}"  # an item wrapped onto an indented line
        elif text:
            out.append(text)
    return out


def _deep(line: str, cut: int) -> bool:
    return bool(line.strip()) and len(line) - len(line.lstrip()) >= cut - 4


def _table(raw: list[str], start: int) -> tuple[list[str], int]:
    """Rows from a block of column-aligned lines (blank lines separate the rows)."""
    first = raw[start].rstrip()
    gap = _GAP.search(first.strip())
    assert gap, "a table row has a column gap (the caller found one)"
    cut = gap.end(1) + len(first) - len(first.lstrip())
    block: list[str] = []
    index = start
    while index < len(raw):
        line = raw[index].rstrip()
        indent = len(line) - len(line.lstrip())
        ahead = raw[index + 1 : index + 4]
        gapped = bool(_GAP.search(line.strip()))
        deep = bool(line.strip()) and indent >= cut - 4
        soon = any(_GAP.search(x.strip()) or _deep(x, cut) for x in ahead)
        if gapped or deep or ((not line.strip() or indent < 4) and soon):
            block.append(line)
            index += 1
            continue
        break
    rows: list[list[list[str]]] = [[[], []]]
    for line in block:
        if not line.strip():
            if any(rows[-1]):
                rows.append([[], []])
            continue
        left, right = line[:cut].strip(), line[cut:].strip()
        if left:
            rows[-1][0].append(" ".join(left.split()))
        if right:
            rows[-1][1].append(" ".join(right.split()))
    cells = [[" ".join(c) for c in row] for row in rows if any(row[0] + row[1])]
    return ["\t".join(c for c in row if c) for row in cells], index


def reflow(lines: list[str]) -> str:
    """Paragraphs and headings back from printed lines (see the module docstring)."""
    width = sorted(len(x) for x in lines)[int(len(lines) * 0.9)] if lines else 0
    out: list[str] = []
    printed = ""  # the previous printed line, as printed (out[-1] may be several joined)
    for index, line in enumerate(lines):
        after = lines[index + 1] if index + 1 < len(lines) else ""
        heading = _is_heading(line, printed, after, width)
        if _BULLET.match(line) or _ITEM.match(line) or "\t" in line:
            out.append(line)
        elif out and out[-1] and not heading and _continues(printed, line, width):
            hyphenated = re.search(r"[a-z]-$", out[-1]) and line[:1].islower()
            out[-1] = f"{out[-1][:-1]}{line}" if hyphenated else f"{out[-1]} {line}"
        elif heading:
            out += ["", line, ""]
        else:
            if out and out[-1]:
                out.append("")
            out.append(line)
        printed = line
    return "\n".join(out)


def _continues(before: str, line: str, width: int) -> bool:
    """The previous printed line was wrapped: it fills the width or stops mid-sentence."""
    if not before or before.endswith(":"):
        return False
    full = len(before) >= width * 0.8
    ended = bool(_END.search(before))
    lower = line[:1].islower() or line[:1] in "(&"
    mid_sentence = before.split()[-1].lower() in _CONNECTORS
    return not ended and (full or lower or mid_sentence) or (full and lower)


def _is_heading(line: str, before: str, after: str, width: int) -> bool:
    """A known heading, or a short capitalised line after a finished one, before a new one."""
    words = line.split()
    if not words or len(words) > 12 or _BULLET.match(line) or _ITEM.match(line):
        return False
    if not line[0].isupper() or line[-1] in ".;,:" or re.search(r"@|https?://|www\.|\d{5,}", line):
        return False
    finished = not before or bool(_END.search(before)) or len(before) < width * 0.8
    known = is_known_heading(line) and (")" not in line or "(" in line)
    wrapped = after[:1].islower() and len(after.split()) <= 3  # "... share" / "include:"
    opens = after[:1].isupper() or bool(_BULLET.match(after)) or after.endswith(":")
    if known and not wrapped and (finished or opens):
        return True
    if not finished:
        return False
    if words[-1].lower() in _CONNECTORS:
        return False
    return bool(after) and (after[:1].isupper() or bool(_BULLET.match(after)))
