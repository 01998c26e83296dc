"""Compose and send one message: over SMTP when configured, else to an .eml file.

The embedded default writes messages to ``$SAR_INSTANCE_DIR/outbox`` so a
school trying the service locally can open them in any mail program.
"""

from __future__ import annotations

import hashlib
import smtplib
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from sar_service.clock import now
from sar_service.config import Settings
from sar_service.private_files import make_dir, write_private


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message (a letter's .docx and PDF)."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    text: str
    html: str | None = None
    sender_name: str | None = None
    reply_to: str | None = None
    #: Fixed by the caller when a retry must carry the same Message-ID as the first attempt
    #: (a copy the SMTP server already took is then recognisable); fresh otherwise.
    message_id: str | None = None
    attachments: tuple[Attachment, ...] = ()


def new_message_id(settings: Settings, idstring: str | None = None) -> str:
    return make_msgid(idstring=idstring, domain=settings.mail_from.partition("@")[2] or "localhost")


def stable_message_id(settings: Settings, idstring: str) -> str:
    """The same Message-ID every time for the same ``idstring`` (an outbox row, say).

    A retry after a worker died mid-send then carries the Message-ID of the copy the SMTP
    server may already have taken, so receiving servers and mail programs fold the two.
    The digest of the secret key keeps IDs from two deployments (or guessers) apart.
    """
    digest = hashlib.sha256(f"{settings.secret_key}:{idstring}".encode()).hexdigest()[:20]
    domain = settings.mail_from.partition("@")[2] or "localhost"
    return f"<{idstring}.{digest}@{domain}>"


def absolute_url(settings: Settings, endpoint: str, **values) -> str:
    """``BASE_URL`` + the path Flask's URL map builds for ``endpoint`` (for links in emails).

    Built from the route itself, so a link cannot drift from it: a wrong endpoint or a
    missing value raises ``werkzeug.routing.BuildError`` instead of mailing a dead link.
    Needs only an app context, not a request, so workers can use it.
    """
    from flask import current_app

    return settings.base_url + current_app.url_map.bind("").build(endpoint, values)


def templated(name: str, context: dict, **fields) -> Message:
    """A message whose plain-text and HTML parts come from ``templates/email/<name>.txt|.html``.

    Every email the service sends has both parts: the HTML one for most mail
    programs, the text one for screen readers and plain-text readers.
    """
    from flask import render_template

    return Message(
        text=render_template(f"email/{name}.txt", **context),
        html=render_template(f"email/{name}.html", **context),
        **fields,
    )


def compose(settings: Settings, msg: Message) -> EmailMessage:
    email = EmailMessage()
    email["From"] = formataddr((msg.sender_name or "SAR Service", settings.mail_from))
    email["To"] = msg.to
    email["Subject"] = msg.subject
    email["Date"] = now()
    email["Message-ID"] = msg.message_id or new_message_id(settings)
    if msg.reply_to:
        email["Reply-To"] = msg.reply_to
    email.set_content(msg.text)
    if msg.html:
        email.add_alternative(msg.html, subtype="html")
    for item in msg.attachments:
        maintype, _, subtype = item.content_type.partition("/")
        email.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=item.filename)
    return email


def send(settings: Settings, msg: Message) -> str:
    """Send and return the Message-ID. Raises on SMTP failure so the job retries."""
    email = compose(settings, msg)
    if settings.smtp_host:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username:
                smtp.login(settings.smtp_username, settings.smtp_password or "")
            smtp.send_message(email)
    else:
        make_dir(settings.outbox_dir)
        if msg.message_id:  # a retry overwrites its own earlier copy
            name = msg.message_id.strip("<>").replace("@", "_").replace("/", "_") + ".eml"
        else:
            name = f"{now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
        write_private(settings.outbox_dir / name, bytes(email))
    return str(email["Message-ID"])
