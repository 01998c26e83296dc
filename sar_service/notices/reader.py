"""Turn an uploaded privacy notice (.pdf, .docx, .html, .txt or .md) into plain text.

Schools upload whatever they have: a PDF saved from Word, a Word document, a
web page saved from their site, a Markdown page, or a text file saved by
Notepad (often in Windows-1252). PDFs and web pages are read by ``pdf`` and
``html``.
The parser wants one shape, so every format comes out as plain text where:

- a heading stands alone on its line, with a blank line before and after
  (Markdown ``#`` lines, Word heading styles and numbered headings such as
  "3. Who we share with" all end up like this, without a trailing colon);
- every list item is a line starting ``"- "``, whatever glyph or number it had;
- a table row becomes a list item with its cells joined by " – "; the first
  row of a table with several rows is its header and becomes a lead-in line
  ending with ":".

Anything unreadable raises :class:`NoticeFormatError` with a message a school
administrator can act on (the web form and the CLI show it as it is).
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import PurePath

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from lxml import etree

from sar_service.notices.errors import NoticeFormatError
from sar_service.notices.html import html_to_text, looks_like_html
from sar_service.notices.pdf import pdf_to_text
from sar_service.zipcheck import bomb_reason

__all__ = ["NoticeFormatError", "read_notice", "read_pasted", "normalise_text"]

ACCEPTED = (
    "a PDF, a Word document (.docx), a web page (.html), a text file (.txt) or a Markdown file"
)
MAX_BYTES = 10 * 1024 * 1024


def read_notice(data: bytes, filename: str) -> str:
    """Plain text of a notice, ready for :func:`parse_notice`; raises NoticeFormatError."""
    suffix = PurePath(filename or "").suffix.lower()
    convert = _CONVERTERS.get(suffix)
    if convert is None:
        raise NoticeFormatError(_unknown_extension_message(suffix))
    if not data or not data.strip():
        raise NoticeFormatError("The file is empty. Please upload the privacy notice itself.")
    if len(data) > MAX_BYTES:
        raise NoticeFormatError("The file is larger than 10 MB; is it really a privacy notice?")
    text = normalise_text(convert(data))
    if not re.search(r"[^\W\d_]{2}", text):
        raise NoticeFormatError("No readable text was found in the file.")
    return text


def read_pasted(text: str) -> str:
    """Text pasted into the settings page: web text as it is, or page source as HTML."""
    if not text or not text.strip():
        raise NoticeFormatError("Paste the text of the privacy notice.")
    data = text.encode("utf-8")
    return read_notice(data, "pasted.html" if looks_like_html(text) else "pasted.txt")


def _unknown_extension_message(suffix: str) -> str:
    """Say what to do instead, for the formats people most often try."""
    if suffix in {".doc", ".rtf", ".odt", ".pages"}:
        return f"{suffix} files can't be read. Please open it and save it as a Word .docx file."
    if not suffix:
        return f"The file name has no extension. Please upload {ACCEPTED}."
    return f"Files ending {suffix} can't be read. Please upload {ACCEPTED}."


# --- plain text --------------------------------------------------------------

_SIGNATURES = (
    (b"%PDF", "This file is a PDF, not a text file. Please name it .pdf and upload it again."),
    (b"PK\x03\x04", "This file is a Word document or zip file. If it is Word, name it .docx."),
    (b"\xd0\xcf\x11\xe0", "This file is an old Word (.doc) file. Please save it as .docx."),
)
_BINARY = "This file does not contain readable text. Please upload the notice as .txt or .docx."


def _decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM, or UTF-16 with a BOM), else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise NoticeFormatError(_BINARY) from exc
    for signature, message in _SIGNATURES:
        if data.lstrip().startswith(signature):
            raise NoticeFormatError(message)
    if b"\x00" in data:
        raise NoticeFormatError(_BINARY)
    for encoding in ("utf-8", "cp1252"):
        try:
            text = data.removeprefix(codecs.BOM_UTF8).decode(encoding)
        except UnicodeDecodeError:
            continue
        if _control_ratio(text) > 0.01:
            break
        return text
    raise NoticeFormatError(_BINARY)


def _control_ratio(text: str) -> float:
    """Share of control characters: near zero for text, high for binary junk."""
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\r\t\f")
    return controls / max(len(text), 1)


# --- Markdown ----------------------------------------------------------------

_MD_HEADING = re.compile(r"^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_MD_RULE = re.compile(r"^ {0,3}([-*_=])(?:\s*\1){2,}\s*$")
_MD_LIST = re.compile(r"^(\s*(?:[-*+]|\d{1,3}[.)])\s+)(.*)$")
_MD_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_MD_TABLE_SEP = re.compile(r"^\s*\|?(?:\s*:?-+:?\s*\|)+\s*(?::?-+:?)?\s*\|?\s*$")
# Bounded quantifiers throughout: an upload must not be able to make a regex crawl.
_EMPHASIS = re.compile(r"(?<![\w*])(\*{1,3}|_{1,3})(?=\S)(.{1,300}?)(?<=\S)\1(?![\w*])")
_IMAGE = re.compile(r"!\[([^\]\n]{0,300})\]\([^)\n]{0,500}\)")
_LINK = re.compile(r"\[([^\]\n]{1,300})\]\(\s*<?([^)\s>]{1,500})>?(?:\s+\"[^\"\n]{0,200}\")?\s*\)")
_AUTOLINK = re.compile(
    r"<((?:https?|ftp)://[^>\s]{1,500}|mailto:[^>\s]{1,300}|[^>\s@]{1,64}@[^>\s]{1,255})>"
)
_TAG = re.compile(r"</?[A-Za-z][^<>\n]{0,200}>")
_CODE = re.compile(r"`([^`\n]{0,500})`")


def _markdown_to_text(data: bytes) -> str:
    """Markdown without its markup: headings, emphasis, links, tables, rules."""
    out: list[str] = []
    table: list[str] = []
    for line in _decode_text(data).splitlines():
        if _MD_TABLE_ROW.match(line):
            table.append(line)
            continue
        if table:
            out += _markdown_table(table)
            table = []
        out += _markdown_line(line, out)
    return "\n".join(out + _markdown_table(table))


def _markdown_line(line: str, previous: list[str]) -> list[str]:
    """One Markdown line as output lines (a setext underline rewrites the line above)."""
    stripped = line.strip()
    if stripped.startswith(("```", "~~~")):
        return []
    heading = _MD_HEADING.match(line)
    if heading:
        return _heading_lines(inline_markdown(heading[1]))
    if _MD_RULE.match(line):
        above = previous[-1].strip() if previous else ""
        if stripped[0] in "=-" and above and not above.startswith("- "):
            return _heading_lines(previous.pop())
        return [""]
    line = re.sub(r"^\s*>\s?", "", line)
    item = _MD_LIST.match(line)
    if item:
        return [item[1] + inline_markdown(item[2])]
    return [inline_markdown(line)]


def _markdown_table(rows: list[str]) -> list[str]:
    """A pipe table: the row above the |---| separator is the header."""
    if not rows:
        return []
    has_header = len(rows) > 1 and bool(_MD_TABLE_SEP.match(rows[1]))
    cells = [
        [inline_markdown(c.strip()) for c in row.strip().strip("|").split("|")]
        for row in rows
        if not _MD_TABLE_SEP.match(row)
    ]
    return _table_lines(cells, has_header)


def inline_markdown(text: str) -> str:
    """Links become "text (url)", autolinks their url; emphasis, code and tags go."""
    text = _IMAGE.sub(r"\1", text)
    text = _LINK.sub(_link, text)
    text = _AUTOLINK.sub(_autolink, text)
    text = _TAG.sub("", text)
    text = _CODE.sub(r"\1", text)
    text = strip_emphasis(text)
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!|>])", r"\1", text)


def _link(match: re.Match[str]) -> str:
    label, url = match[1].strip(), match[2].removeprefix("mailto:")
    return label if label in (url, match[2]) else f"{label} ({url})"


def _autolink(match: re.Match[str]) -> str:
    return match[1].removeprefix("mailto:")


def strip_emphasis(text: str) -> str:
    """Remove *italic*, **bold** and _underscore_ markers, leaving snake_case alone."""
    for _ in range(3):  # ***bold italic*** nests at most three deep
        text, changed = _EMPHASIS.subn(r"\2", text)
        if not changed:
            break
    return text


# --- Word --------------------------------------------------------------------


def _docx_to_text(data: bytes) -> str:
    """Paragraphs and tables in document order; headings and list items marked."""
    if not data.startswith(b"PK\x03\x04"):
        old_word = data.startswith(b"\xd0\xcf\x11\xe0")
        raise NoticeFormatError(
            "This is an old Word (.doc) file. Please save it as .docx."
            if old_word
            else "This file is not a Word .docx document, although its name ends .docx."
        )
    if why := bomb_reason(data):
        raise NoticeFormatError(f"This Word document cannot be read: {why}.")
    try:
        document = docx.Document(io.BytesIO(data))
        blocks = list(document.iter_inner_content())
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.Error) as exc:
        raise NoticeFormatError("This Word document is damaged and can't be read.") from exc
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Table):
            out += _table_lines(_docx_rows(block), _docx_has_header(block))
        else:
            out += _docx_paragraph_lines(block)
    return "\n".join(out)


def _docx_paragraph_lines(paragraph: Paragraph) -> list[str]:
    text = _docx_text(paragraph).strip()
    if not text:
        return [""]
    style = (paragraph.style.name if paragraph.style is not None else "") or ""
    if _docx_is_heading(paragraph, style, text):
        return _heading_lines(text)
    p_pr = paragraph._p.pPr
    if style.lower().startswith("list") or (p_pr is not None and p_pr.numPr is not None):
        return ["- " + " ".join(text.split())]
    return [text, ""]


def _docx_text(paragraph: Paragraph) -> str:
    """Paragraph text, with each hyperlink's address after its words."""
    parts = []
    for piece in paragraph.iter_inner_content():
        if isinstance(piece, Hyperlink):
            url = piece.url
            parts.append(f"{piece.text} ({url})" if url and url not in piece.text else piece.text)
        else:
            parts.append(piece.text)
    return "".join(parts)


def _docx_is_heading(paragraph: Paragraph, style: str, text: str) -> bool:
    """Heading and title styles, or a short paragraph set entirely in bold."""
    if style.lower().startswith(("heading", "title", "subtitle")):
        return True
    runs = [r for r in paragraph.runs if r.text.strip()]
    bold = bool(runs) and all(r.bold for r in runs)
    return bold and len(text.split()) <= 12 and "\n" not in text and not text.endswith(".")


def _docx_rows(table: Table) -> list[list[str]]:
    """Cell texts per row; a merged cell (the same cell repeated) is kept once."""
    rows = []
    for row in table.rows:
        seen: list[object] = []
        cells = []
        for cell in row.cells:
            if any(cell._tc is other for other in seen):
                continue
            seen.append(cell._tc)
            cells.append(" ".join(cell.text.split()))
        rows.append(cells)
    return rows


def _docx_has_header(table: Table) -> bool:
    """Word marks the first row as a header by default (tblLook firstRow)."""
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook")) if properties is not None else None
    if look is None:
        return True
    first_row = look.get(qn("w:firstRow"))
    if first_row is not None:
        return first_row in ("1", "true", "on")
    value = look.get(qn("w:val")) or "0020"
    return not re.fullmatch(r"[0-9A-Fa-f]{1,4}", value) or bool(int(value, 16) & 0x0020)


# --- shared shaping ----------------------------------------------------------


def _heading_lines(text: str) -> list[str]:
    """A heading alone between blank lines, its trailing colon dropped."""
    text = " ".join(text.split()).rstrip(":").strip()
    return ["", text, ""] if text else []


def _table_lines(rows: list[list[str]], has_header: bool) -> list[str]:
    """Rows as list items; a header row becomes the lead-in line of that list."""
    rows = [[c for c in row if c] for row in rows]
    rows = [row for row in rows if row]
    if not rows:
        return []
    out = [""]
    if has_header and len(rows) > 1:
        out.append(" – ".join(rows[0]) + ":")
        rows = rows[1:]
    return out + ["- " + " – ".join(row) for row in rows] + [""]


def _pdf(data: bytes) -> str:
    if not data.lstrip().startswith(b"%PDF"):
        raise NoticeFormatError("This file is not a PDF, although its name ends .pdf.")
    return pdf_to_text(data)


def _html(data: bytes) -> str:
    head = data[:2048].decode("ascii", "ignore").lower()
    charset = re.search(r"charset=[\"']?([\w-]+)", head)
    try:
        text = data.decode(charset[1]) if charset else _decode_text(data)
    except (LookupError, UnicodeDecodeError):
        text = _decode_text(data)
    return html_to_text(text)


_CONVERTERS: dict[str, Callable[[bytes], str]] = {
    ".pdf": _pdf,
    ".html": _html,
    ".htm": _html,
    ".txt": _decode_text,
    ".text": _decode_text,
    ".md": _markdown_to_text,
    ".markdown": _markdown_to_text,
    ".docx": _docx_to_text,
}


# --- normalising (also used by the parser on text that skipped the reader) ---

_CHARS = str.maketrans(
    {
        "\xa0": " ",
        "\t": " ",
        "\f": "\n",
        "\x00": None,
        "\u200b": None,
        "\ufeff": None,
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2028": "\n",
    }
)
_GLYPHS = "•◦▪▫●○■□►▸‣⁃∙·➢✓\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0a8"
_BULLET = re.compile(rf"^(?:[{_GLYPHS}]\s*|[-–—*+]\s+|[-–—*+]$|o\s+(?=\S))")
# Bullets run together in one paragraph: "We hold: • name • address • photos".
_INLINE = re.compile(rf"\s+[{_GLYPHS}]\s+")
# An item that ends with ";" (or "; and"/"; or") on a line of its own, without a bullet.
_SEMICOLON_ITEM = re.compile(r";(?:\s+(?:and|or))?$")
_NUMBERED = re.compile(r"^(?:\(?\d{1,2}(?:\.\d{1,2})*[.)]|\d{1,2}(?:\.\d{1,2})+)\s+(?=\S)")
_LETTERED = re.compile(r"^(?:\(?[a-zA-Z][.)]|\([ivxIVX]{1,4}\)|[ivxIVX]{1,4}[.)])\s+(?=\S)")


def normalise_text(text: str) -> str:
    """One bullet style ("- "), numbered headings as plain headings, tidy blank lines.

    Idempotent, so the parser can call it on text that came from read_notice.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").splitlines()
    lines = _tab_tables(_indented_items(lines))
    lines = [line.strip() for line in "\n".join(lines).translate(_CHARS).splitlines()]
    lines = _semicolon_items(_split_inline_bullets(lines))
    out: list[str] = []
    pending_bullet = False
    for index, line in enumerate(lines):
        heading = _MD_HEADING.match(line)
        if heading:
            out += _heading_lines(heading[1])
        elif _MD_RULE.match(line):
            out.append("")
        elif _BULLET.match(line):
            rest = _BULLET.sub("", line, count=1).strip()
            pending_bullet = not rest
            if rest:
                out.append("- " + rest)
        elif _NUMBERED.match(line) or _LETTERED.match(line):
            out += _numbered_line(lines, index)
        else:
            out.append("- " + line if pending_bullet and line else line)
            pending_bullet = pending_bullet and not line
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def _split_inline_bullets(lines: list[str]) -> list[str]:
    """A paragraph with two or more bullet glyphs inside it becomes a lead-in and items."""
    out: list[str] = []
    for line in lines:
        parts = _INLINE.split(line)
        if len(parts) >= 3 and all(p.strip() for p in parts[1:]):
            lead, items = parts[0].strip(), parts[1:]
            out += ([lead] if lead and not _BULLET.match(lead) else []) + ["- " + x for x in items]
            if lead and _BULLET.match(lead):
                out.insert(len(out) - len(items), "- " + _BULLET.sub("", lead, count=1))
        else:
            out.append(line)
    return out


def _semicolon_items(lines: list[str]) -> list[str]:
    """Runs of two or more lines ending ";" (and the line that ends the run) are list items."""
    out = list(lines)
    index = 0
    while index < len(out):
        run = index
        while run < len(out) and out[run] and _SEMICOLON_ITEM.search(out[run]):
            run += 1
        if run - index >= 2 or (run - index == 1 and index and out[index - 1].endswith(":")):
            last = run if run < len(out) and out[run] and not out[run].endswith(":") else run - 1
            for i in range(index, last + 1):
                if not (
                    _BULLET.match(out[i]) or _NUMBERED.match(out[i]) or _LETTERED.match(out[i])
                ):
                    out[i] = "- " + out[i]
            index = last + 1
        else:
            index += 1
    return out


def _tab_tables(lines: list[str]) -> list[str]:
    """Tab-separated rows (a table copied out of Word): header as lead-in, rows as items."""
    out: list[str] = []
    index = 0
    while index < len(lines):
        run = index
        while run < len(lines) and _is_tab_row(lines[run]):
            run += 1
        if run - index >= 2:
            rows = [[c.strip() for c in x.split("\t") if c.strip()] for x in lines[index:run]]
            out += _table_lines(rows, has_header=True)
            index = run
        else:
            out.append(lines[index])
            index += 1
    return out


_MARKER_CELL = re.compile(r"^(?:\(?[a-zA-Z0-9]{1,3}[.)]|[-–*·•o\uf0b7\uf0a7])$")


def _is_tab_row(line: str) -> bool:
    """Cells separated by tabs; not "a)<tab>item" or "•<tab>item" (a list item with a tab)."""
    cells = [c for c in line.strip().split("\t") if c.strip()]
    if len(cells) < 2 or _MARKER_CELL.match(cells[0].strip()):
        return False
    return not _BULLET.match(line.strip()) and not line.startswith("\t")


def _indented_items(lines: list[str]) -> list[str]:
    """Lines indented by a tab are list items whose bullet glyph was lost in copying from Word."""
    out = []
    for line in lines:
        text = line.strip()
        if line.startswith("\t") and text and not _BULLET.match(text) and "\t" not in text:
            out.append("- " + text)
        else:
            out.append(line)
    return out


def _next_number(one: str, other: str) -> bool:
    """Two numbered lines one apart ("2." and "3."), as in a list spread over blank lines."""
    first, second = (re.match(r"\(?(\d+)", x) for x in (one, other))
    if first is None or second is None or not all(_NUMBERED.match(x) for x in (one, other)):
        return False
    return abs(int(first[1]) - int(second[1])) == 1


def _numbered_line(lines: list[str], index: int) -> list[str]:
    """A numbered line is a heading when it stands alone and reads like one, else an item."""
    line = lines[index]
    numbered = _NUMBERED.match(line)
    marker = numbered or _LETTERED.match(line)
    assert marker is not None, "called only for numbered or lettered lines"
    rest = marker.re.sub("", line, count=1)
    before = next((x for x in reversed(lines[:index]) if x), "")
    after = next((x for x in lines[index + 1 :] if x), "")
    adjacent = [lines[i] for i in (index - 1, index + 1) if 0 <= i < len(lines)]
    in_list = (
        before.endswith(":")
        or any(_NUMBERED.match(x) for x in adjacent)
        or any(_next_number(x, line) for x in (before, after))
    )
    words = rest.split()
    looks_like_heading = (
        len(words) <= 12 and rest[0].isupper() and rest[-1] not in ".;," and "@" not in rest
    )
    if numbered and not in_list and looks_like_heading:
        return _heading_lines(rest)
    return ["- " + rest]
