"""What the staff letter pages show: the case panel, the preview, the logo check.

Kept apart from the views so the views stay a list of routes, and so the
case page (rendered by the staff workspace) can ask for its letters panel
through a template global without importing any view.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.models import Case, Document, School
from sar_service.models.notification import Notification
from workflows.states import STAFF as ACTING_ROLES

from .build import OUTCOME_KINDS, available_kinds, letterhead
from .inputs import FLAGS, MAX_TEXT, OUTCOME_WORDS
from .kinds import KINDS
from .render import compose, sample_context
from .sending import delivery
from .service import letters_of
from .templating import DERIVED_FIELDS, Block

#: The "Create letter" form's fields (kept on the page after an error).
FORM_FIELDS = (
    "kind",
    "outcome",
    "outcome_reasons",
    "corrected",
    "recipients_notified",
    "withheld",
    *FLAGS,
)
MAX_LOGO = 1024 * 1024
LOGO_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG"}


@dataclass
class Panel:
    """The letters section of a case page."""

    documents: list[Document]
    kinds: list[tuple[str, str]] = field(default_factory=list)
    can_create: bool = False
    is_dpo: bool = False
    outcome_kinds: frozenset[str] = OUTCOME_KINDS
    outcomes: dict[str, str] = field(default_factory=lambda: dict(OUTCOME_WORDS))

    #: document id -> the notification row carrying an emailed letter
    emails: dict[int, Notification] = field(default_factory=dict)

    def title(self, kind: str) -> str:
        return KINDS[kind].title if kind in KINDS else kind

    def delivery(self, document: Document) -> str | None:
        """queued / sent / failed for an emailed letter (see ``sending.delivery``)."""
        return delivery(document, self.emails.get(document.id))


def panel(session: Session, case: Case, role: str | None) -> Panel:
    """Letters on the case, and (for those who may) the kinds that can be created now."""
    result = Panel(documents=letters_of(session, case), is_dpo=role == "dpo")
    ids = [d.notification_id for d in result.documents if d.notification_id]
    if ids:
        rows = {
            n.id: n for n in session.scalars(select(Notification).where(Notification.id.in_(ids)))
        }
        result.emails = {
            d.id: rows[d.notification_id] for d in result.documents if d.notification_id in rows
        }
    if role in ACTING_ROLES:
        result.can_create = True
        result.kinds = [(k, KINDS[k].title) for k in available_kinds(session, case)]
    return result


def form_extra(form) -> tuple[dict, dict[str, str]]:
    """The staff form's outcome fields in the shape ``inputs.parse_extra`` takes.

    Withheld items are typed one per line as "exemption | description".
    """
    body: dict = {
        "outcome": (form.get("outcome") or "").strip(),
        # One character over the limit is kept, so parse_extra says it is too long.
        "outcome_reasons": (form.get("outcome_reasons") or "")[: MAX_TEXT + 1],
        "recipients_notified": (form.get("recipients_notified") or "")[:20000],
        "corrected": (form.get("corrected") or "")[: MAX_TEXT + 1],
        **{name: form.get(name) == "1" for name in FLAGS},
    }
    errors: dict[str, str] = {}
    pairs = []
    for line in (form.get("withheld") or "")[:20000].splitlines():
        if not line.strip():
            continue
        exemption, bar, description = line.partition("|")
        if not bar or not exemption.strip() or not description.strip():
            errors["withheld"] = (
                "Write each withheld item on its own line as: exemption | what was withheld."
            )
            break
        pairs.append([exemption.strip(), description.strip()])
    body["withheld"] = pairs
    return body, errors


# --- the settings pages ------------------------------------------------------------


@dataclass(frozen=True)
class PreviewGroup:
    """A heading, a paragraph or a bulleted list, for the HTML preview."""

    kind: str  # "heading" | "paragraph" | "bullets"
    items: tuple[Block, ...]


def preview(school: School, kind: str, text: str) -> list[PreviewGroup]:
    """The wording rendered against the demo case on this school's letterhead."""
    ctx = replace(sample_context(kind), letterhead=letterhead(school, with_logo=False))
    groups: list[PreviewGroup] = []
    for block in compose(ctx, text).body:
        kind_of = {"heading": "heading", "bullet": "bullets"}.get(block.style, "paragraph")
        if kind_of == "bullets" and groups and groups[-1].kind == "bullets":
            groups[-1] = PreviewGroup("bullets", groups[-1].items + (block,))
        else:
            groups.append(PreviewGroup(kind_of, (block,)))
    return groups


def field_help() -> list[tuple[str, str]]:
    """The names a template can use, for the help beside the editor."""
    plain = [
        ("requester_name", "the requester's name"),
        ("subject_name", "the pupil's name"),
        ("reference", "our case reference"),
        ("received_on", "the date we received the request"),
        ("due_date", "the date we will reply by"),
        ("extended_due_date", "the new date, if the time limit was extended"),
        ("extension_reason", "why we extended"),
        ("clarification_question", "what we asked the requester"),
        ("refusal_reasons", "why we refused"),
        ("outcome_reasons", "what we did, or why not"),
        ("recipients_notified", "who we told about a change (a list)"),
        ("notice.purposes", "from the privacy notice (also categories, recipients, ...)"),
        ("today", "the date of the letter"),
    ]
    return plain + sorted(DERIVED_FIELDS.items())


def check_logo(data: bytes) -> str | None:
    """Why this upload cannot be the letterhead logo, or None if it can."""
    import filetype
    from docx.image.image import Image

    if not data:
        return "Choose a PNG or JPEG image of the school's logo."
    if len(data) > MAX_LOGO:
        return "The logo must be 1 MB or smaller."
    guessed = filetype.guess(data)
    if guessed is None or guessed.mime not in LOGO_TYPES:
        return "The logo must be a PNG or JPEG image."
    try:
        Image.from_blob(data)
    except Exception:  # noqa: BLE001 - any failure means Word could not show it either
        return "That image could not be read. Save it again as PNG and upload it."
    return None
