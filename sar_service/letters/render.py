"""Render a letter to ``.docx`` bytes, and check a school's edited template.

A letter is composed first as plain blocks (letterhead, address, date,
reference, subject, body, signature) and only then written with python-docx.
The same blocks give the plain text the legal content checks read, so what
is checked is exactly what is printed.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from docx import Document
from jinja2 import Template, TemplateSyntaxError
from jinja2.exceptions import SecurityError, UndefinedError

from sar_service.resources import LETTER_TEMPLATES_DIR

from .context import LetterContext, Letterhead
from .docx_writer import write_docx
from .kinds import get_kind, missing_content
from .samples import sample_context, validation_variants
from .templating import (
    Block,
    Run,
    clean_text,
    compile_template,
    longdate,
    render_blocks,
    template_vars,
    unknown_fields,
)

__all__ = [
    "Letter",
    "compose",
    "default_template",
    "letter_text",
    "render_letter",
    "sample_context",
    "template_dir",
    "validate_template",
]


def template_dir() -> Path:
    """The default letter wording shipped in the package (``sar_service/templates/letters``)."""
    return LETTER_TEMPLATES_DIR


@lru_cache(maxsize=64)
def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def default_template(kind: str, directory: Path | str | None = None) -> str:
    """The default wording for ``kind``, read once per process."""
    get_kind(kind)
    return _read(Path(directory or template_dir()) / f"{kind}.txt")


@dataclass(frozen=True)
class Letter:
    """A composed letter: what goes in the page header and in the body."""

    header: tuple[Block, ...]
    body: tuple[Block, ...]

    @property
    def text(self) -> str:
        """Paragraph texts, one per line: the same as :func:`letter_text`."""
        return "\n".join(block.text for block in self.header + self.body)


def _block(style: str, text: str, bold: bool = False) -> Block:
    return Block(style, (Run(clean_text(text), bold),))


def _header(head: Letterhead) -> tuple[Block, ...]:
    contact = [
        f"Telephone {head.phone}" if head.phone else "",
        head.email,
        head.website,
    ]
    blocks = [
        _block("school", head.school_name, bold=True),
        _block("letterhead", ", ".join(line for line in head.address_lines if line)),
        _block("letterhead", " | ".join(part for part in contact if part)),
    ]
    return tuple(b for b in blocks if b.text)


def _opening(ctx: LetterContext, title: str) -> list[Block]:
    """Address block, date, reference and subject line."""
    address = [ctx.requester_name, *ctx.requester_address_lines]
    if not ctx.requester_address_lines and ctx.requester_email:
        address.append(ctx.requester_email)
    blocks = [_block("address", line) for line in address if line.strip()]
    pupil = f"Pupil: {ctx.subject_name}"
    if ctx.subject_dob:
        pupil += f" (date of birth {longdate(ctx.subject_dob)})"
    blocks += [
        _block("date", longdate(ctx.today)),
        _block("reference", f"Our reference: {ctx.reference}"),
        _block("subject", title, bold=True),
        _block("pupil", pupil, bold=True),
    ]
    return blocks


def _closing(ctx: LetterContext) -> list[Block]:
    lines = [
        _block("closing", "Yours sincerely"),
        _block("signature", ctx.signatory_name, bold=True),
        _block("signature", ctx.signatory_role),
        _block("signature", ctx.letterhead.school_name),
    ]
    return [b for b in lines if b.text.strip()]


def compose(
    ctx: LetterContext,
    template_text: str | None = None,
    template_directory: Path | str | None = None,
) -> Letter:
    """Render the wording and put the letter together (no docx yet)."""
    kind = get_kind(ctx.kind)
    text = (
        template_text
        if template_text is not None
        else default_template(ctx.kind, template_directory)
    )
    return _compose(ctx, kind.title, compile_template(text))


def _compose(ctx: LetterContext, title: str, template: Template) -> Letter:
    body = render_blocks(template, template_vars(ctx))
    return Letter(
        header=_header(ctx.letterhead),
        body=tuple(_cover(ctx) + _opening(ctx, title) + body + _closing(ctx)),
    )


def _cover(ctx: LetterContext) -> list[Block]:
    """A first page in the parent's language saying the English letter that follows counts."""
    from sar_service.i18n.cover import cover

    page = cover(
        ctx.language, school=ctx.letterhead.school_name, reference=ctx.reference, on=ctx.today
    )
    if page is None:
        return []
    suffix = "-rtl" if page["rtl"] else ""
    blocks = [_block("subject" + suffix, page["title"], bold=True)]
    blocks += [_block("cover" + suffix, line) for line in page["lines"]]
    return blocks + [Block("pagebreak", ())]


def render_letter(
    ctx: LetterContext,
    template_text: str | None = None,
    *,
    template_directory: Path | str | None = None,
) -> bytes:
    """The letter as ``.docx`` bytes on the school's letterhead.

    ``template_text`` is a school's edited wording (already checked with
    :func:`validate_template` when saved); ``None`` uses the default file
    from ``template_directory`` or the package's ``templates/letters``.
    """
    letter = compose(ctx, template_text, template_directory)
    return _write_docx(letter, ctx)


def letter_text(docx_bytes: bytes) -> str:
    """Header and body paragraph texts of a .docx, one per line."""
    document = Document(io.BytesIO(docx_bytes))
    header = document.sections[0].header.paragraphs
    lines = [p.text for p in header if p.text] + [p.text for p in document.paragraphs]
    return "\n".join(lines)


def _write_docx(letter: Letter, ctx: LetterContext) -> bytes:
    head = ctx.letterhead
    dpo = ", ".join(part for part in (head.dpo_name, head.dpo_email, head.dpo_phone) if part)
    return write_docx(
        letter.header,
        letter.body,
        logo=head.logo_png,
        footer_lines=[f"Data Protection Officer: {dpo}"] if dpo else [],
        reference=ctx.reference,
        title=f"{get_kind(ctx.kind).title} ({ctx.reference})",
        author=head.school_name,
    )


# --- validation --------------------------------------------------------------


def validate_template(kind: str, text: str) -> list[str]:
    """Human error messages for a school's edited template; [] when it is fine.

    Run when the template is saved: syntax errors and unknown fields (in any
    branch), errors when rendering the sample letters (including sandbox
    refusals), and any legal item the kind requires that the wording lost.
    """
    get_kind(kind)
    try:
        unknown = unknown_fields(text)
    except TemplateSyntaxError as error:
        return [f"Line {error.lineno}: {_sentence(error.message or str(error))}"]
    if unknown:
        return [f"Line {line}: unknown field '{name}'" for line, name in unknown]
    template = compile_template(text)
    errors: list[str] = []
    missing: dict[str, str] = {}
    for when, ctx in validation_variants(kind):
        try:
            letter = _compose(ctx, get_kind(kind).title, template)
        except Exception as error:  # noqa: BLE001 - any failure is the template's
            message = _describe(error)
            if message not in errors:
                errors.append(message)
            continue
        for item in missing_content(ctx, letter.text):
            missing.setdefault(item, when)
    for item, when in missing.items():
        suffix = f" (when {when})" if when else ""
        errors.append(f"Missing required content{suffix}: {item}")
    return errors


def describe_error(error: Exception) -> str:
    """A rendering failure as a sentence for staff ("Line 3: unknown field 'x'")."""
    return _describe(error)


def _sentence(message: str) -> str:
    return message[:1].lower() + message[1:]


def _template_line(error: BaseException) -> int | None:
    """The template line an error came from (Jinja rewrites tracebacks)."""
    line, tb = None, error.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _describe(error: Exception) -> str:
    if isinstance(error, SecurityError):
        message = f"not allowed: {error}"
    elif isinstance(error, UndefinedError):
        match = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", str(error))
        name = next((g for g in match.groups() if g), "") if match else str(error)
        message = f"unknown field '{name}'"
    else:
        message = f"{type(error).__name__}: {error}"
    line = _template_line(error)
    return f"Line {line}: {message}" if line else message[:1].upper() + message[1:]
