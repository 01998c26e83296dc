"""Mailbox exports into messages: mbox, .eml, Outlook .msg, and zips of them, read defensively.

Everything here is a generator over a file on disk, so a 40 MB mbox or a zip
of thousands of messages never sits in memory whole. Whatever cannot be read
(a malformed message, a zip bomb, an archive nested too deep, an attachment too
large) becomes a ``Skipped`` item with the reason, and the rest carries on.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import email
import email.parser
import io
import quopri
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import BinaryIO

from sar_service.records.extract import html_to_text
from sar_service.records.filecheck import MAX_BYTES

#: Limits on archives: total unpacked bytes, entries, compression ratio, zips inside zips.
MAX_UNPACKED = 2 * 1024**3
MAX_ENTRIES = 100_000
MAX_RATIO = 200
MAX_DEPTH = 2
#: A single message larger than this (attachments included) is skipped.
MAX_MESSAGE = 100 * 1024 * 1024
MAX_ATTACHMENT = MAX_BYTES

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
_HEADERS = ("From", "To", "Cc", "Date", "Subject")
_QUOTE_START = re.compile(
    r"^(?:On .{4,300}wrote:[ \t]*$|-{2,}[ \t]*Original Message[ \t]*-{2,}"
    r"|From: .{1,300}\n(?:Sent|Date): |>)",
    re.M,
)


@dataclass(frozen=True)
class Skipped:
    """Something in the upload that was not imported, and why (shown to staff)."""

    item: str
    reason: str


@dataclass
class Attachment:
    filename: str
    data: bytes


@dataclass
class ParsedMessage:
    """One message: the headers people read, the body, attachments, and threading headers."""

    label: str
    headers: dict[str, str]
    body: str
    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    sent_at: datetime | None = None
    attachments: list[Attachment] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def subject(self) -> str:
        return self.headers.get("Subject", "")

    @property
    def sender(self) -> str:
        return self.headers.get("From", "")

    def text(self) -> str:
        """The document staff review: headers, the attachments' names, then the body."""
        lines = [f"{name}: {self.headers[name]}" for name in _HEADERS if self.headers.get(name)]
        if self.attachments:
            lines.append("Attachments: " + ", ".join(a.filename for a in self.attachments))
        return "\n".join(lines) + "\n\n" + self.body.strip("\n") + "\n"


# ---------------------------------------------------------------- headers and bodies


def _raw_8bit(value: str) -> str:
    """Undo the parser's surrogate escapes: 8-bit headers are UTF-8 or Windows-1252 in practice."""
    if not any("\udc80" <= ch <= "\udcff" for ch in value):
        return value
    return _decode(value.encode("ascii", "surrogateescape"), None)


def _header(message: Message, name: str) -> str:
    wanted = name.lower()
    raw = next((v for k, v in message.raw_items() if k.lower() == wanted), None)
    if raw is None:
        return ""
    raw = _raw_8bit(str(raw))
    try:
        value = str(make_header(decode_header(raw)))
    except (LookupError, UnicodeError, ValueError, email.errors.HeaderParseError):
        value = str(raw)
    return re.sub(r"\s+", " ", value).strip()


def _decode(payload: bytes, charset: str | None) -> str:
    for encoding in (charset, "utf-8", "cp1252"):
        if not encoding:
            continue
        try:
            return payload.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("utf-8", errors="replace")


def _filename(part: Message) -> str:
    name = part.get_filename()
    if name:
        with contextlib.suppress(
            LookupError, UnicodeError, ValueError, email.errors.HeaderParseError
        ):
            name = str(make_header(decode_header(name)))
    return re.sub(r"[\x00-\x1f/\\]", "_", name or "").strip()


def _ids(value: str) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value or "")


def parse_message(raw: bytes, label: str) -> ParsedMessage:
    """Headers, the readable body and the attachments of one RFC 822 message.

    Raises ValueError for bytes that are not an email at all.
    """
    split = _split_head(raw)
    if split is not None:  # most messages are one text part: skip the full MIME parser
        message = _HEADER_PARSER.parsebytes(split[0])
        if message.get_content_maintype() == "multipart":
            message = email.message_from_bytes(raw)
    else:
        message = email.message_from_bytes(raw)
    headers = {name: _header(message, name) for name in _HEADERS}
    if not any(headers[h] for h in ("From", "To", "Subject", "Date")):
        raise ValueError("not an email (no From, To, Subject or Date)")
    parsed = ParsedMessage(label, {k: v for k, v in headers.items() if v}, "")
    parsed.message_id = (_ids(message.get("Message-ID", "")) or [""])[0][:300]
    parsed.in_reply_to = (_ids(message.get("In-Reply-To", "")) or [""])[0][:300]
    parsed.references = _ids(message.get("References", ""))[-50:]
    try:
        sent = parsedate_to_datetime(headers["Date"]) if headers["Date"] else None
        parsed.sent_at = sent.astimezone(UTC) if sent and sent.tzinfo else sent
    except (TypeError, ValueError, IndexError):
        parsed.sent_at = None
    plain, html = None, None
    if not message.is_multipart() and split is not None:
        body = _decode_body(message, split[1])
        if message.get_content_type() == "text/html":
            html = body
        else:
            plain = body
    for part in message.walk() if message.is_multipart() else ():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        disposition = (part.get("Content-Disposition") or "").lower()
        name = _filename(part)
        is_body = not name and "attachment" not in disposition
        if is_body and ctype == "text/plain" and plain is None:
            plain = _decode(_payload(part), part.get_content_charset())
        elif is_body and ctype == "text/html" and html is None:
            html = _decode(_payload(part), part.get_content_charset())
        elif name or "attachment" in disposition:
            payload = _payload(part)
            name = name or f"attachment.{ctype.split('/')[-1]}"
            if len(payload) > MAX_ATTACHMENT:
                mb = MAX_ATTACHMENT // 2**20
                parsed.skipped.append(Skipped(f"{label}: {name}", f"attachment over {mb}MB"))
            elif payload:
                parsed.attachments.append(Attachment(name[:200], payload))
    if plain is not None:
        parsed.body = plain.replace("\r\n", "\n")
    elif html is not None:
        parsed.body = html_to_text(html)
    return parsed


_HEADER_PARSER = email.parser.BytesHeaderParser()


def _split_head(raw: bytes) -> tuple[bytes, bytes] | None:
    """(headers, body) at the first blank line, or None if there is none."""
    ends = [i for i in (raw.find(b"\n\n"), raw.find(b"\r\n\r\n")) if i >= 0]
    if not ends:
        return None
    end = min(ends)
    gap = 4 if raw.startswith(b"\r\n\r\n", end) else 2
    return raw[: end + gap], raw[end + gap :]


def _decode_body(message: Message, payload: bytes) -> str:
    """A single-part body: transfer encoding undone, then the charset (with fallbacks)."""
    encoding = (message.get("Content-Transfer-Encoding") or "").strip().lower()
    try:
        if encoding == "base64":
            payload = base64.b64decode(payload, validate=False)
        elif encoding == "quoted-printable":
            payload = quopri.decodestring(payload)
    except (ValueError, binascii.Error):
        pass
    return _decode(payload, message.get_content_charset()).replace("\r\n", "\n")


# ---------------------------------------------------------------- containers


def _mbox_messages(stream: BinaryIO) -> Iterator[bytes]:
    """Messages of an mbox (mboxo or mboxrd), split on "From " lines after a blank line."""
    lines: list[bytes] = []
    previous_blank = True
    for line in stream:
        if line.startswith(b"From ") and previous_blank:
            if lines:
                yield b"".join(lines)
            lines = []
        elif line.startswith(b">") and line.lstrip(b">").startswith(b"From "):
            lines.append(line[1:])
        else:
            lines.append(line)
        previous_blank = line in (b"\n", b"\r\n")
    if lines and any(x.strip() for x in lines):
        yield b"".join(lines)


def count_mbox(path: Path) -> int:
    count, previous_blank = 0, True
    with open(path, "rb") as stream:
        for line in stream:
            count += line.startswith(b"From ") and previous_blank
            previous_blank = line in (b"\n", b"\r\n")
    return count


def msg_to_eml(data: bytes) -> bytes:
    """An Outlook .msg as RFC 822 bytes, via the maintained extract-msg parser."""
    import extract_msg  # imported here: only Outlook files need it

    try:
        msg = extract_msg.openMsg(data)
    except Exception as exc:  # extract-msg raises many types for damaged files
        raise ValueError("not a readable Outlook .msg file") from exc
    try:
        return msg.asEmailMessage().as_bytes()  # type: ignore[attr-defined]  # a MessageBase
    except Exception as exc:
        raise ValueError("the Outlook .msg file could not be converted") from exc
    finally:
        msg.close()


def kind_of(data: bytes, filename: str) -> str:
    """mbox, eml, msg, zip, or "file" (anything else: a document to gather as it is)."""
    name = filename.lower()
    if data.startswith(ZIP_MAGIC) and not name.endswith(".docx"):
        return "zip"
    if data.startswith(OLE_MAGIC) and name.endswith(".msg"):
        return "msg"
    if name.endswith((".mbox", ".mbx")) or data.startswith(b"From "):
        return "mbox"
    if name.endswith(".eml"):
        return "eml"
    return "file"


@dataclass
class Item:
    """One thing found in an upload: a message's raw bytes, or another file to gather."""

    label: str
    kind: str  # "message" or "file"
    data: bytes


def _zip_items(source, label: str, depth: int, budget: list[int]) -> Iterator[Item | Skipped]:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        yield Skipped(label, "not a readable zip file")
        return
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > MAX_ENTRIES:
            yield Skipped(label, f"zip has {len(infos)} files; the limit is {MAX_ENTRIES}")
            return
        declared = sum(i.file_size for i in infos)
        if declared > budget[0]:
            gb = MAX_UNPACKED / 1024**3
            yield Skipped(label, f"zip would unpack to more than {gb:g} GB (a zip bomb?)")
            return
        for info in infos:
            name = f"{label}/{info.filename}"
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 1024**2 and ratio > MAX_RATIO:
                yield Skipped(
                    name, f"compressed {ratio:.0f} to 1, beyond {MAX_RATIO} (a zip bomb?)"
                )
                continue
            if info.file_size > MAX_MESSAGE:
                yield Skipped(name, f"over {MAX_MESSAGE // 2**20}MB unpacked")
                continue
            if info.flag_bits & 0x1:
                yield Skipped(name, "the file in the zip is password-protected")
                continue
            try:
                with archive.open(info) as member:
                    data = member.read(MAX_MESSAGE + 1)
            except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError) as exc:
                yield Skipped(name, f"could not be unpacked ({exc.__class__.__name__})")
                continue
            budget[0] -= len(data)
            if len(data) > info.file_size or budget[0] < 0:
                yield Skipped(name, "unpacked to more than the zip declared (a zip bomb?)")
                return
            yield from _items(data, info.filename, name, depth + 1, budget)


def _items(data: bytes, filename: str, label: str, depth: int, budget) -> Iterator[Item | Skipped]:
    kind = kind_of(data, filename)
    if kind == "zip":
        if depth >= MAX_DEPTH:
            yield Skipped(label, f"zip inside a zip more than {MAX_DEPTH} deep")
            return
        yield from _zip_items(io.BytesIO(data), label, depth, budget)
    elif kind == "mbox":
        for n, raw in enumerate(_mbox_messages(io.BytesIO(data)), start=1):
            yield Item(f"{label} #{n}", "message", raw)
    elif kind == "msg":
        try:
            yield Item(label, "message", msg_to_eml(data))
        except ValueError as exc:
            yield Skipped(label, str(exc))
    elif kind == "eml":
        yield Item(label, "message", data)
    elif not data:
        yield Skipped(label, "empty file")
    else:
        yield Item(label, "file", data)


def iter_items(path: Path, filename: str) -> Iterator[Item | Skipped]:
    """Every message (or other file) in the upload at ``path``, streaming an mbox from disk."""
    with open(path, "rb") as stream:
        head = stream.read(8)
    kind = kind_of(head, filename)
    budget = [MAX_UNPACKED]
    if kind == "mbox":
        with open(path, "rb") as stream:
            for n, raw in enumerate(_mbox_messages(stream), start=1):
                yield Item(f"{filename} #{n}", "message", raw)
    elif kind == "zip":
        yield from _zip_items(path, filename, 0, budget)
    else:
        yield from _items(path.read_bytes(), filename, filename, 0, budget)


def estimate_total(path: Path, filename: str) -> int:
    """How many items the progress bar counts to (messages in an mbox, entries in a zip)."""
    with open(path, "rb") as stream:
        head = stream.read(8)
    kind = kind_of(head, filename)
    if kind == "mbox":
        return count_mbox(path)
    if kind == "zip":
        try:
            with zipfile.ZipFile(path) as archive:
                return sum(1 for i in archive.infolist() if not i.is_dir())
        except (zipfile.BadZipFile, OSError):
            return 1
    return 1


def _payload(part) -> bytes:
    """The decoded bytes of a leaf part (``get_payload(decode=True)`` is bytes for those)."""
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""
