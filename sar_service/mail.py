"""Compose and send one message: over SMTP when configured, else to an .eml file.

The embedded default writes messages to ``$SAR_INSTANCE_DIR/outbox`` so a
school trying the service locally can open them in any mail program.
"""

from __future__ import annotations

import hashlib
import smtplib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, getaddresses, make_msgid

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


class DeliveryError(Exception):
    """An SMTP conversation that did not end in "250 OK" for the message.

    ``permanent``: the server refused for good (a 5xx reply to MAIL, RCPT or DATA): a bounce,
    not worth retrying. ``uncertain``: the conversation broke after DATA began and before the
    server answered, so the server may or may not have the message. Otherwise it is a
    temporary failure (a 4xx reply, a refused or dropped connection before DATA): retry.
    """

    def __init__(self, reply: str, *, permanent: bool = False, uncertain: bool = False):
        super().__init__(reply)
        self.reply, self.permanent, self.uncertain = reply, permanent, uncertain


def _nothing(*_args) -> None:
    return None


def send(settings: Settings, msg: Message) -> str:
    """Send and return the Message-ID. Raises ``DeliveryError`` on failure."""
    return deliver(settings, msg)


def deliver(
    settings: Settings,
    msg: Message,
    before_data: Callable[[], None] = _nothing,
    accepted: Callable[[str], None] = _nothing,
) -> str:
    """Send ``msg``, calling ``before_data()`` once the server has agreed to take it (connect,
    EHLO, STARTTLS, AUTH, MAIL and RCPT all succeeded) and just before DATA, and
    ``accepted(message_id)`` as soon as the server answered "250" to the message.

    The caller records the two moments (``notify.sending`` commits "sending" and "sent"):
    only a failure between them leaves it unsure whether the server has the message.
    Without ``SMTP_HOST`` the message is written to the outbox folder between the two calls.
    """
    email = compose(settings, msg)
    message_id = str(email["Message-ID"])
    if not settings.smtp_host:
        before_data()
        _write_outbox_file(settings, msg, email)
        accepted(message_id)
        return message_id
    try:
        smtp = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=30)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"Could not connect to the mail server: {exc}") from exc
    try:
        _envelope(settings, smtp, email)
        before_data()
        _data(smtp, email)
        accepted(message_id)
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()
    return message_id


def _reply(code: int, text: bytes | str) -> str:
    words = text.decode(errors="replace") if isinstance(text, bytes) else text
    return f"{code} {words}".strip()


def _envelope(settings: Settings, smtp: smtplib.SMTP, email: EmailMessage) -> None:
    """Everything up to (not including) DATA; a refusal here means nothing was sent."""
    try:
        smtp.ehlo_or_helo_if_needed()
        if settings.smtp_starttls:
            smtp.starttls()
            smtp.ehlo()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password or "")
        code, text = smtp.mail(settings.mail_from)
        if code != 250:
            raise DeliveryError(_reply(code, text), permanent=code >= 500)
        refused = []
        for _name, address in getaddresses([str(email["To"])]):
            code, text = smtp.rcpt(address)
            if code not in (250, 251):
                refused.append((address, code, text))
    except smtplib.SMTPResponseException as exc:
        reply = _reply(exc.smtp_code, exc.smtp_error)
        raise DeliveryError(reply, permanent=exc.smtp_code >= 500) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"The mail server connection failed: {exc}") from exc
    if refused:  # one good address among several is enough, as with any mail program
        total = len(getaddresses([str(email["To"])]))
        if len(refused) == total:
            reply = "; ".join(f"{a}: {_reply(c, t)}" for a, c, t in refused)
            raise DeliveryError(reply, permanent=all(c >= 500 for _a, c, _t in refused))


def _data(smtp: smtplib.SMTP, email: EmailMessage) -> None:
    """DATA and the message. A reply we read is definite; a broken connection is not."""
    body = email.as_bytes(policy=email.policy.clone(linesep="\r\n"))
    try:
        code, text = smtp.data(body)
    except smtplib.SMTPDataError as exc:  # DATA itself refused: the message was never sent
        raise DeliveryError(
            _reply(exc.smtp_code, exc.smtp_error), permanent=exc.smtp_code >= 500
        ) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(
            f"The connection broke while the mail server was receiving the message: {exc}",
            uncertain=True,
        ) from exc
    if code != 250:
        raise DeliveryError(_reply(code, text), permanent=code >= 500)


def _write_outbox_file(settings: Settings, msg: Message, email: EmailMessage) -> None:
    make_dir(settings.outbox_dir)
    if msg.message_id:  # a retry overwrites its own earlier copy
        name = msg.message_id.strip("<>").replace("@", "_").replace("/", "_") + ".eml"
    else:
        name = f"{now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
    write_private(settings.outbox_dir / name, bytes(email))
