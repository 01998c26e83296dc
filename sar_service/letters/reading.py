"""A stored letter read back from its frozen ``.docx``: as accessible HTML (the email body,
the portal) and as plain paragraphs (the PDF, the plain-text email).

What the parent reads online is what was sent: the text comes from the stored file, never
from re-rendering the template (which may have changed since).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from docx import Document as DocxDocument
from docx.oxml.ns import qn
from markupsafe import Markup, escape

from sar_service.models import Document

#: Word paragraph style -> what the paragraph is (see docx_writer.BLOCK_STYLES).
_ROLES = {
    "Heading 2": "heading",
    "List Bullet": "bullet",
    "Letterhead Name": "school",
    "Letterhead": "letterhead",
    "Letter Footer": "footer",
    "Letter Date": "date",
    "Letter Tight": "tight",  # address, subject and signature lines: no space between
}


@dataclass(frozen=True)
class Para:
    """One paragraph of a letter: its role, its runs (text, bold) and its direction."""

    role: str  # heading|bullet|paragraph|tight|school|letterhead|footer|date|pagebreak
    runs: tuple[tuple[str, bool], ...]
    rtl: bool = False

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.runs)


@dataclass(frozen=True)
class ReadLetter:
    """Letterhead, body and footer paragraphs of a stored letter."""

    header: tuple[Para, ...]
    body: tuple[Para, ...]
    footer: tuple[Para, ...]
    title: str

    @property
    def text(self) -> str:
        """Plain text, a blank line between paragraphs (the text part of the email)."""
        lines = [p.text for p in self.header if p.text]
        for p in self.body:
            if p.role == "pagebreak":
                lines.append("")
            elif p.text:
                lines.append(("- " if p.role == "bullet" else "") + p.text)
        return "\n\n".join(lines).strip() + "\n"


def _para(p) -> Para:
    element = p._p
    if element.find(f".//{qn('w:br')}[@{qn('w:type')}='page']") is not None and not p.text:
        return Para("pagebreak", ())
    style = p.style.name if p.style is not None else ""
    ppr = element.pPr
    rtl = ppr is not None and ppr.find(qn("w:bidi")) is not None
    runs = tuple((r.text, bool(r.bold)) for r in p.runs if r.text)
    return Para(_ROLES.get(style, "paragraph"), runs, rtl)


def read(data: bytes) -> ReadLetter:
    """The paragraphs of a letter's ``.docx`` bytes."""
    document = DocxDocument(io.BytesIO(data))
    section = document.sections[0]
    header = tuple(_para(p) for p in section.header.paragraphs if p.text)
    footer = tuple(_para(p) for p in section.footer.paragraphs if p.text)
    body = tuple(_para(p) for p in document.paragraphs)
    return ReadLetter(header, body, footer, document.core_properties.title or "")


def stored_bytes(document: Document) -> bytes:
    from sar_service.storage import storage

    return storage().get(document.storage_key)


def _runs_html(para: Para) -> Markup:
    out = Markup("")
    for text, bold in para.runs:
        piece = escape(text).replace("\n", Markup("<br>"))
        out += Markup("<strong>%s</strong>") % piece if bold else piece
    return out


def _attrs(para: Para) -> Markup:
    return Markup(' dir="rtl"') if para.rtl else Markup("")


def to_html(letter: ReadLetter, *, language: str = "en") -> Markup:
    """The letter as accessible HTML: the school as the heading, headings for the letter's
    sections, lists for bullets, and the parent's-language cover page marked as such."""
    parts: list[Markup] = [Markup('<article class="letter" lang="en">')]
    school = [p for p in letter.header if p.role == "school"]
    rest = [p for p in letter.header if p.role != "school"]
    if school:
        parts.append(Markup("<h1>%s</h1>") % school[0].text)
    for p in rest:
        parts.append(Markup('<p class="letterhead">%s</p>') % p.text)
    body = list(letter.body)
    if any(p.role == "pagebreak" for p in body):  # a cover page in the parent's language
        cut = next(i for i, p in enumerate(body) if p.role == "pagebreak")
        cover, body = body[:cut], body[cut + 1 :]
        parts.append(Markup('<section class="cover" lang="%s">') % language)
        parts += _blocks(cover)
        parts.append(Markup("</section>"))
    parts += _blocks(body)
    for p in letter.footer:
        parts.append(Markup('<p class="footer">%s</p>') % _without_page_count(p.text))
    parts.append(Markup("</article>"))
    return Markup("\n").join(parts)


def _without_page_count(text: str) -> str:
    """ "Reference X | Page 1 of 1" -> "Reference X": a web page has no pages, and the
    .docx's page fields hold Word's placeholder "1", not the letter's real count."""
    head, sep, tail = text.rpartition(" | Page ")
    return head if sep and text.startswith("Reference ") else text


def _blocks(paras: list[Para]) -> list[Markup]:
    out: list[Markup] = []
    in_list = False
    for p in paras:
        if p.role == "bullet" and not in_list:
            out.append(Markup("<ul>"))
            in_list = True
        elif p.role != "bullet" and in_list:
            out.append(Markup("</ul>"))
            in_list = False
        if not p.text:
            continue
        if p.role == "heading":
            out.append(Markup("<h2%s>%s</h2>") % (_attrs(p), _runs_html(p)))
        elif p.role == "bullet":
            out.append(Markup("<li>%s</li>") % _runs_html(p))
        else:
            css = Markup(' class="date"') if p.role == "date" else Markup("")
            out.append(Markup("<p%s%s>%s</p>") % (css, _attrs(p), _runs_html(p)))
    if in_list:
        out.append(Markup("</ul>"))
    return out


def letter_html(document: Document) -> Markup:
    """A sent letter's text as safe HTML, read from its stored ``.docx`` (for the portal)."""
    from sar_service.db import session
    from sar_service.models import Case

    case = session().get(Case, document.case_id)
    return to_html(read(stored_bytes(document)), language=case.language if case else "en")
