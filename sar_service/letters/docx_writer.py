"""Write a composed letter as a .docx with python-docx.

Speed matters (a DPO service may produce hundreds of letters in a batch), so
two things are done once per process: python-docx's default document is made
lean (its 164 styles and 440 kB ``stylesWithEffects`` part dominated every
save), and the letter's named paragraph styles are defined in it. Body
paragraphs are then appended as ``w:p`` elements through python-docx's oxml
layer, which is several times faster than ``add_paragraph`` + ``style =``;
the result is the same WordprocessingML. Named styles (not direct
formatting) also let a school restyle letters in Word in one place.
"""

from __future__ import annotations

import io
import logging
import re
import threading
from collections.abc import Iterable
from copy import deepcopy
from functools import lru_cache

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from .templating import Block, Run, clean_text

log = logging.getLogger(__name__)
FONT = "Arial"

# name: (based on, size pt, bold, centred, space before pt, space after pt)
_CUSTOM_STYLES = {
    "Letterhead Name": ("Normal", 15, True, True, 0, 0),
    "Letterhead": ("Normal", 9, False, True, 0, 0),
    "Letter Footer": ("Normal", 8, False, True, 0, 0),
    "Letter Tight": ("Normal", None, False, False, 0, 0),
    "Letter Date": ("Normal", None, False, False, 18, 6),
    "Letter Pupil": ("Normal", None, False, False, 0, 12),
    "Letter Closing": ("Normal", None, False, False, 12, 30),
}
#: Block style (see render.py) -> Word paragraph style name.
BLOCK_STYLES = {
    "school": "Letterhead Name",
    "letterhead": "Letterhead",
    "address": "Letter Tight",
    "subject": "Letter Tight",
    "signature": "Letter Tight",
    "date": "Letter Date",
    "pupil": "Letter Pupil",
    "closing": "Letter Closing",
    "heading": "Heading 2",
    "bullet": "List Bullet",
}
_KEEP_STYLES = {"Normal", "Heading2", "ListBullet", "Header", "Footer"}
_DEFAULT_STYLES = {"DefaultParagraphFont", "TableNormal", "NoList"}
_BREAKS = re.compile(r"(\n|\t)")
_SPACE = qn("xml:space")


@lru_cache(maxsize=1)
def _base() -> tuple[bytes, dict[str, str]]:
    """The lean, styled base document and the style ids of its styles."""
    document = Document()
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.rsplit("/", 1)[-1] in {"stylesWithEffects", "customXml"}:
            document.part.drop_rel(rel_id)
    package_rels = document.part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            package_rels.pop(rel_id)
    _prune_styles(document.styles.element)
    _page_setup(document)
    ids = _define_styles(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), ids


def _prune_styles(styles) -> None:
    """Drop every style a letter does not use (nor its used styles build on)."""
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    keep, todo = set(), list(_KEEP_STYLES | _DEFAULT_STYLES)
    while todo:
        style_id = todo.pop()
        if style_id in keep or style_id not in by_id:
            continue
        keep.add(style_id)
        for tag in ("w:basedOn", "w:link", "w:next"):
            ref = by_id[style_id].find(qn(tag))
            if ref is not None:
                todo.append(ref.get(qn("w:val")))
    for style_id, element in by_id.items():
        if style_id not in keep:
            styles.remove(element)


def _page_setup(document) -> None:
    """A4 with 2.5 cm margins; the letterhead sits in the header band."""
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(4.2), Cm(2.5)
    section.header_distance = section.footer_distance = Cm(1.2)


def _define_styles(document) -> dict[str, str]:
    """Arial 11 pt body; headings bold and black (built-in Heading 2, so
    screen readers can navigate them); the letter's own named styles."""
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    heading = styles["Heading 2"]
    heading.font.name, heading.font.size = FONT, Pt(12)
    heading.font.bold, heading.font.color.rgb = True, RGBColor(0, 0, 0)
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(3)
    styles["List Bullet"].font.name = FONT
    for name, (base, size, bold, centred, before, after) in _CUSTOM_STYLES.items():
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.quick_style = True
        if size:
            style.font.size = Pt(size)
        style.font.bold = bold or None
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        if centred:
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    names = set(BLOCK_STYLES.values()) | {"Letter Footer"}
    return {name: styles[name].style_id for name in names}


def write_docx(
    header: Iterable[Block],
    body: Iterable[Block],
    *,
    logo: bytes | None,
    footer_lines: list[str],
    reference: str,
    title: str,
    author: str,
) -> bytes:
    """Bytes of a .docx: header (logo + blocks) and footer on every page."""
    base, style_ids = _base()
    document = Document(io.BytesIO(base))
    section = document.sections[0]
    _write_header(section.header, list(header), logo, style_ids)
    _write_footer(section.footer, footer_lines, reference, style_ids)
    body_element = document.element.body
    for block in body:
        body_element._insert_p(_paragraph(block, style_ids))
    document.core_properties.title = clean_text(title)
    document.core_properties.author = clean_text(author)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _prototype(style_id: str | None, tag: str = "w:p"):
    """An empty ``w:p`` with its style (or a bold ``w:r``), built once and
    deep-copied per use: lxml copies in C, python-docx's builders are slow.
    Kept per thread, because lxml trees should not be shared across threads."""
    return _thread_prototype(style_id, tag, threading.get_ident())


@lru_cache(maxsize=256)
def _thread_prototype(style_id: str | None, tag: str, _thread: int):
    element = OxmlElement(tag)
    if tag == "w:p" and style_id:
        element.get_or_add_pPr().style = style_id
    if tag == "w:r":
        element.get_or_add_rPr().append(OxmlElement("w:b"))
    return element


def _paragraph(block: Block, style_ids: dict[str, str]):
    """A ``w:p`` element for one block (``pagebreak`` starts a new page; a style ending
    in ``-rtl`` is a right-to-left paragraph, for a cover page in Arabic or Urdu)."""
    rtl = block.style.endswith("-rtl")
    style = BLOCK_STYLES.get(block.style.removesuffix("-rtl"))
    p = deepcopy(_prototype(style_ids[style] if style else None))
    if block.style == "pagebreak":
        r = OxmlElement("w:r")
        br = OxmlElement("w:br")
        br.set(qn("w:type"), "page")
        r.append(br)
        p.append(r)
        return p
    if rtl:
        p.get_or_add_pPr().append(OxmlElement("w:bidi"))
    for run in block.runs:
        _add_run(p, run)
        if rtl:
            p[-1].get_or_add_rPr().append(OxmlElement("w:rtl"))
    return p


def _add_run(p, run: Run) -> None:
    """A ``w:r``; newlines in the text (from a parent's message) become line
    breaks and tabs become tabs, as python-docx's ``run.text`` would do."""
    r = deepcopy(_prototype(None, "w:r")) if run.bold else OxmlElement("w:r")
    p.append(r)
    for part in _BREAKS.split(run.text):
        if part == "\n":
            r.append(OxmlElement("w:br"))
        elif part == "\t":
            r.append(OxmlElement("w:tab"))
        elif part:
            t = OxmlElement("w:t")
            t.text = part
            if part != part.strip():
                t.set(_SPACE, "preserve")
            r.append(t)


def _write_header(header, blocks: list[Block], logo: bytes | None, style_ids) -> None:
    """Logo, school name, address and contacts: repeated on every page."""
    element = header._element
    first = header.paragraphs[0]
    if logo and _add_logo(first, logo):
        first._p.get_or_add_pPr().style = style_ids["Letterhead"]
    else:
        element.remove(first._p)
    for block in blocks:
        element.append(_paragraph(block, style_ids))
    if element.find(qn("w:p")) is None:  # a header must hold a paragraph
        element.append(OxmlElement("w:p"))


def _add_logo(paragraph, logo: bytes) -> bool:
    """An inline picture. A logo python-docx cannot read is left out rather
    than stopping a statutory letter from going (the upload form checks it)."""
    try:
        paragraph.add_run().add_picture(io.BytesIO(logo), height=Cm(1.8))
    except Exception:  # noqa: BLE001 - any unreadable image: the letter still goes
        log.warning("letter logo could not be read; letter rendered without it")
        return False
    return True


def _write_footer(footer, lines: list[str], reference: str, style_ids) -> None:
    """Contact lines, then "Reference … | Page n of m" (Word fields)."""
    element = footer._element
    element.remove(footer.paragraphs[0]._p)
    for line in lines:
        element.append(_paragraph(Block("footer", (Run(clean_text(line)),)), style_ids))
    p = _paragraph(Block("footer", (Run(f"Reference {clean_text(reference)} | Page "),)), style_ids)
    _field(p, "PAGE")
    _add_run(p, Run(" of "))
    _field(p, "NUMPAGES")
    element.append(p)
    for paragraph in element.findall(qn("w:p")):
        paragraph.get_or_add_pPr().style = style_ids["Letter Footer"]


def _field(p, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out."""
    r = p.add_r()
    for tag, attrs, text in (
        ("w:fldChar", {"w:fldCharType": "begin"}, None),
        ("w:instrText", {"xml:space": "preserve"}, f" {instruction} "),
        ("w:fldChar", {"w:fldCharType": "separate"}, None),
        ("w:t", {}, "1"),
        ("w:fldChar", {"w:fldCharType": "end"}, None),
    ):
        child = OxmlElement(tag)
        for name, value in attrs.items():
            child.set(qn(name), value)
        if text is not None:
            child.text = text
        r.append(child)
