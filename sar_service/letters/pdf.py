"""A print-ready A4 PDF of a stored letter (for post, and attached to the letter email).

Made with fpdf2 from the frozen ``.docx`` (``reading.read``), so the PDF says exactly what
the Word file says: the school's letterhead on every page, the date, the text, the DPO
footer with "Page n of m". Fonts come from ``sar_service.pdf_text`` (shared with the
governors' report).
"""

from __future__ import annotations

from sar_service.pdf_text import Fonts

from .reading import Para, ReadLetter

PDF = "application/pdf"
BODY_PT, LINE_MM = 11, 5.5


def letter_pdf(letter: ReadLetter) -> bytes:
    """The letter as PDF bytes (A4, 20 mm margins, letterhead and footer on every page)."""
    from fpdf import FPDF

    class _LetterPDF(FPDF):
        def header(self) -> None:
            for p in letter.header:
                bold = p.role == "school"
                self.set_font(fonts.family, "B" if bold else "", 15 if bold else 9)
                self.multi_cell(
                    0,
                    7 if bold else 4.5,
                    fonts.text(p.text),
                    align="C",
                    new_x="LMARGIN",
                    new_y="NEXT",
                )
            self.ln(6)

        def footer(self) -> None:
            self.set_y(-18)
            self.set_font(fonts.family, "", 8)
            lines = [p.text for p in letter.footer if not p.text.startswith("Reference ")]
            for line in lines:
                self.cell(0, 4, fonts.text(line), align="C", new_x="LMARGIN", new_y="NEXT")
            self.cell(0, 4, fonts.text(f"{reference} | Page {self.page_no()} of {{nb}}"), align="C")

    pdf = _LetterPDF(format="A4")
    fonts = Fonts(pdf)
    reference = next(
        (p.text.split("|")[0].strip() for p in letter.footer if p.text.startswith("Reference ")),
        "",
    )
    pdf.set_title(fonts.text(letter.title))
    pdf.set_margins(20, 15, 20)
    pdf.set_auto_page_break(True, margin=25)
    pdf.add_page()
    for p in letter.body:
        _paragraph(pdf, fonts, p)
    return bytes(pdf.output())


def _paragraph(pdf, fonts: Fonts, p: Para) -> None:
    if p.role == "pagebreak":
        pdf.add_page()
        return
    if not p.text:
        pdf.ln(LINE_MM)
        return
    align = "R" if p.rtl else "L"
    if p.role == "heading":
        pdf.ln(2)
        pdf.set_font(fonts.family, "B", 12.5)
        pdf.multi_cell(0, 6.5, fonts.text(p.text), align=align, new_x="LMARGIN", new_y="NEXT")
        return
    if p.role == "date":
        pdf.ln(4)
    if p.rtl:  # a cover line in Arabic or Urdu: one right-aligned block
        pdf.set_font(fonts.family, "", BODY_PT)
        pdf.multi_cell(0, LINE_MM, fonts.text(p.text), align="R", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1.5)
        return
    if p.role == "bullet":
        pdf.set_font(fonts.family, "", BODY_PT)
        pdf.write(LINE_MM, "\u2022  " if fonts.unicode else "-  ")
    for text, bold in p.runs:  # run by run (never markup: a parent's "**" prints as typed)
        pdf.set_font(fonts.family, "B" if bold else "", BODY_PT)
        pdf.write(LINE_MM, fonts.text(text))
    pdf.ln(LINE_MM if p.role == "tight" else LINE_MM + 1.5)
