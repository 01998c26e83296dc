"""Render the sample letters in this folder from the demo data.

One .docx per kind, from ``sar_service.letters.samples.sample_context`` (a
made-up school, Oakfield Primary, and a made-up family), with the default
wording in ``sar_service/templates/letters/``. Run after a wording change and commit the
result, so a school can read every letter before installing anything:

    .venv/bin/python docs/letters/make.py

The files are written reproducibly: the same wording gives byte-identical
files (fixed timestamps inside the .docx), so git shows only real changes.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

from sar_service.letters.kinds import KIND_NAMES, get_kind
from sar_service.letters.render import render_letter, sample_context

HERE = Path(__file__).resolve().parent
FIXED_TIME = (2026, 1, 1, 0, 0, 0)
_CORE_DATES = (b"<dcterms:created", b"<dcterms:modified")


def reproducible(data: bytes) -> bytes:
    """Rewrite the zip with fixed member timestamps and no creation dates."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                body = _strip_dates(body)
            info = zipfile.ZipInfo(item.filename, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, body)
    return out.getvalue()


def _strip_dates(xml: bytes) -> bytes:
    for tag in _CORE_DATES:
        start = xml.find(tag)
        if start == -1:
            continue
        end_tag = b"</" + tag[1:] + b">"
        end = xml.find(end_tag, start)
        if end != -1:
            xml = xml[:start] + xml[end + len(end_tag) :]
    return xml


LAW = """\
## The law the letters are held to (issue 11, items 12–16)

- **Checked every time.** The legal-content checks (`sar_service/letters/kinds.py`) run
  when a school saves wording *and* on every generated letter. A letter that fails is
  marked on the case ("Fails the legal checks: cannot be issued", with what it lacks) and
  cannot be downloaded to send (staff page or API: 409), bundled or released until it is
  fixed and made again, or the DPO overrides the checks with a reason (recorded as the
  case event `letter_checks_overridden`).
- **Withheld information.** A letter says that information was withheld and the grounds
  in general terms, never what it was. For serious harm and child-abuse data the school
  may choose to say nothing; the choice is ticked on the review page and kept on the
  withholding (`say_nothing`). A letter that prints a withheld note is refused.
- **Article 15 in full.** Automated decision-making (15(1)(h)) and transfer safeguards
  (15(2)) are the school's own facts (settings page, "What access responses say");
  purposes, categories, recipients and retention come from the imported privacy notice;
  sources come from the gathering record and the notice. While any item is missing an
  access response cannot be made, and the refusal names the item: "available on
  request" is not Article 15.
- **Identity letters** never say "we cannot take any further action" for a withdrawal of
  consent or a complaint (`RequestType.without_identity`).
- **Other rights.** A correction letter mentions a restriction only when staff record
  one, and says what was corrected; an objection to direct marketing cannot be refused;
  erasure of published data includes the Article 17(2) step; an educational-record
  refusal points to the school's complaints procedure and the DfE, not the ICO
  (`RequestType.complaints_route`).

## Sending a letter (issue 10, item 1)

- **Part of the step.** On the case page, "Ask for proof of identity", "Ask what is wanted",
  "Extend by two months", "Refuse" and "Sign off and record response sent" each show the
  letter: a preview ("Preview the letter" applies nothing), the wording for this case
  (editable; the checks run again, and a failing edit is sent only on a DPO override with
  a reason) and how it goes. One confirm applies the step, writes the letter from the
  step's own record and sends it; the background job then finds it written. At sign-off
  the response letters are sent *before* the case is marked responded.
- **By email** the email *is* the letter (accessible HTML, `lang` marked, with a plain-text
  part) with the `.docx` and a print-ready PDF attached, sent once through a notification
  row (kind `letter`); the timeline shows "sent by email", to whom (DPO and caseworkers
  only) and the SMTP server's acceptance with the Message-ID. **By post or by hand** staff
  download the PDF (A4, letterhead, "Page n of m"), post it and record the date.
- **Dated the day it is sent, then frozen.** Sending makes the letter again dated that day;
  a sent letter never changes, and a correction is a new version (both kept). API:
  `POST /api/v1/cases/<reference>/letters/<id>/send`.
- PDFs are made with fpdf2 (pure Python). A Unicode font (DejaVu Sans) is used when
  installed, else the built-in Latin-1 font with plain equivalents (`sar_service/pdf_text.py`,
  shared with the governors' report).

"""


def readme() -> str:
    lines = [
        "# Sample letters",
        "",
        "Every letter the service writes, rendered from the demo data (Oakfield Primary",
        "School, a made-up school, and a made-up family) with the default wording.",
        "Open them in Word or LibreOffice to see what parents receive. A school's DPO",
        "can change the wording in the staff workspace (`/staff/settings/<school>/letters`,",
        "also linked from each case's Letters section); the service checks that each",
        "letter still says what the law requires when a change is saved and on every",
        "letter it makes.",
        "",
        *LAW.splitlines(),
        "Regenerate after a wording change: `.venv/bin/python docs/letters/make.py`.",
        "",
        "| Letter | File | What it is for |",
        "| --- | --- | --- |",
    ]
    for kind in KIND_NAMES:
        spec = get_kind(kind)
        lines.append(f"| {spec.title} | [{kind}.docx]({kind}.docx) | {spec.description} |")
    return "\n".join(lines) + "\n"


def main(directory: Path = HERE) -> int:
    directory.mkdir(parents=True, exist_ok=True)
    for kind in KIND_NAMES:
        path = directory / f"{kind}.docx"
        path.write_bytes(reproducible(render_letter(sample_context(kind))))
        print(f"wrote {path}")
    (directory / "README.md").write_text(readme(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE))
