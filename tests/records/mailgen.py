"""A generated school mailbox with known answers: threads, duplicates, attachments, names.

Used by the end-to-end mailbox test and by ``bench/mailbox.py``. Every message
is built from templates with planted names, so the test knows which names must
be suggested (on the roll or not), which messages are about the pupil, which
are duplicates and which replies quote earlier messages in full.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from functools import lru_cache

SUBJECT = "Amelia Hart"
REQUESTER = "Sarah Hart"
#: Names on the roll (imported as a roll CSV by the test).
ROLL_PUPILS = ["Jake Turner", "Priya Sharma", "Oliver Bennett", "Tobias Okoro", "Zofia Nowak"]
ROLL_PARENTS = ["Karen Turner", "Paul Bennett"]
ROLL_STAFF = ["Helen Okafor", "Rebecca Hall"]
#: Names not on the roll: other children, parents, a social worker.
UNLISTED = [
    "Noah Fletcher", "Isla Morgan", "Mrs Kowalski", "Mr Patel", "Dawn Riley", "Ethan Price",
    "Mia Clarke", "Mrs Davies", "Leo Harrison", "Grace Evans", "Dr Singh", "Freya O'Connor",
]  # fmt: skip
STAFF_DOMAIN = "oakfield.example.sch.uk"

RELEVANT = [
    "Hi {staff_first},\n\n{subject_first} had a difficult lunchtime today. {pupil} and {other} "
    "were involved in an argument near the library.\n{unlisted} saw what happened and told "
    "{staff}.\n\nCould you call {requester}?",
    "Dear {staff},\n\nI spoke with {parent} this morning about {subject} and {pupil}. "
    "{unlisted} is also worried about the seating plan in maths.\n\nThanks,",
    "{subject_first} worked with {pupil} and {unlisted} on the science project. "
    "Their poster is on the wall outside Year 6.",
]
IRRELEVANT = [
    "Reminder: the staff meeting is moved to Thursday at 3.30pm in the hall.",
    "The photocopier on the first floor is out of toner again. Please use the office one.",
    "{pupil}'s reading book needs returning to the library by Friday. {unlisted} has a spare.",
    "Parking on Meadow Lane will be closed for resurfacing next week.",
]


@dataclass
class Planted:
    """The answers for one message."""

    subject: str
    relevant: bool
    roll_names: list[str] = field(default_factory=list)
    unlisted_names: list[str] = field(default_factory=list)
    duplicate: str = ""  # "" or a COLLAPSE_REASONS key


@dataclass
class Mailbox:
    data: bytes
    planted: list[Planted]
    threads: int


def _first(name: str) -> str:
    return name.split()[0]


def _message(n: int, sender: str, to: str, subject: str, body: str, when: datetime, **headers):
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = headers.pop("message_id", f"<m{n}@{STAFF_DOMAIN}>")
    for key, value in headers.items():
        msg[key.replace("_", "-")] = value
    msg.set_content(body)
    return msg


@lru_cache(maxsize=512)
def _docx(text: str) -> bytes:
    from docx import Document

    doc = Document()
    for line in text.split("\n"):
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@lru_cache(maxsize=512)
def _pdf(text: str) -> bytes:
    from tests.records.helpers import text_pdf

    return text_pdf(text)


DOCX_SUBTYPE = "vnd.openxmlformats-officedocument.wordprocessingml.document"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def generate(
    messages: int = 60,
    seed: int = 15,
    attachments: bool = True,
    pad: int = 0,
    wrong_person: bool = False,
) -> Mailbox:
    """An mbox of about ``messages`` messages; ``pad`` adds that many filler characters each;
    ``wrong_person`` adds a message about another Amelia Hart (another date of birth)."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 5, 8, 30, tzinfo=UTC)
    out = io.BytesIO()
    planted: list[Planted] = []
    threads = 0
    n = 0
    filler = ""
    if pad:
        filler = "\n\n" + " ".join(rng.choice(["the", "class", "today", "we", "will", "meet",
                                              "homework", "after", "lunch", "please"])
                                   for _ in range(pad // 6))  # fmt: skip

    def write(msg: EmailMessage, plant: Planted) -> None:
        out.write(b"From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n")
        data = msg.as_bytes().replace(b"\nFrom ", b"\n>From ")
        out.write(data if data.endswith(b"\n") else data + b"\n")
        out.write(b"\n")
        planted.append(plant)

    while n < messages:
        threads += 1
        relevant = rng.random() < 0.6
        staff = rng.choice(ROLL_STAFF)
        pupil = rng.choice(ROLL_PUPILS)
        other = rng.choice([p for p in ROLL_PUPILS if p != pupil])
        parent = rng.choice(ROLL_PARENTS)
        unlisted = rng.choice(UNLISTED)
        template = rng.choice(RELEVANT if relevant else IRRELEVANT)
        body = template.format(
            staff=staff, staff_first=_first(staff), subject=SUBJECT, subject_first="Amelia",
            pupil=pupil, other=other, parent=parent, unlisted=unlisted, requester=REQUESTER,
        ) + f"\n\n(ref {threads})" + filler  # fmt: skip
        sender = f"{staff} <{staff.split()[0].lower()}@{STAFF_DOMAIN}>"
        to = f"Office <office@{STAFF_DOMAIN}>"
        subject = f"{'Amelia - ' if relevant and rng.random() < 0.3 else ''}Note {threads}"
        when = start + timedelta(hours=3 * threads)
        roll_names = [x for x in (pupil, other, parent, staff) if x in body]
        roll_names.append(staff)  # the display name in From:
        if f"Hi {_first(staff)}," in body:
            roll_names.append(_first(staff))
        unl = [unlisted] if unlisted in body else []
        msg = _message(n, sender, to, subject, body, when)
        if attachments and relevant and rng.random() < 0.3:
            kind = rng.choice(["docx", "pdf", "txt", "png"])
            note = f"Incident form: {SUBJECT} and {pupil}. Witness {unlisted}."
            data = {"docx": _docx, "pdf": _pdf, "txt": str.encode, "png": lambda t: PNG}[kind](note)
            maintype, subtype = {
                "docx": ("application", DOCX_SUBTYPE),
                "pdf": ("application", "pdf"), "txt": ("text", "plain"), "png": ("image", "png"),
            }[kind]  # fmt: skip
            if maintype == "text":
                msg.add_attachment(note, filename="incident.txt")
            else:
                msg.add_attachment(data, maintype=maintype, subtype=subtype,
                                   filename=f"incident.{kind}")  # fmt: skip
        first = Planted(subject, relevant, roll_names, unl)
        write(msg, first)
        n += 1
        root_id = msg["Message-ID"]
        # The same message from another mailbox: an exact duplicate.
        if rng.random() < 0.15 and n < messages:
            write(msg, Planted(subject, relevant, roll_names, unl, "exact_duplicate"))
            n += 1
        # The same text sent again under a new Message-ID (a copy): a near duplicate.
        elif rng.random() < 0.1 and n < messages:
            copy = _message(n, sender, to, subject, body, when + timedelta(minutes=1))
            write(copy, Planted(subject, relevant, roll_names, unl, "near_duplicate"))
            n += 1
        # A reply quoting the whole message: the original is collapsed into it.
        if rng.random() < 0.35 and n < messages:
            reply_body = (
                f"Thanks, I will pick this up.\n\nOn {format_datetime(when)}, {sender} wrote:\n"
                + "\n".join("> " + line for line in body.split("\n"))
            )
            reply = _message(
                n, to, sender, "Re: " + subject, reply_body, when + timedelta(minutes=20),
                In_Reply_To=root_id, References=root_id,
            )  # fmt: skip
            planted[-1 if not planted[-1].duplicate else -2].duplicate = (
                planted[-1 if not planted[-1].duplicate else -2].duplicate or "quoted_in_later"
            )
            write(reply, Planted("Re: " + subject, relevant, roll_names, unl))
            n += 1
    if wrong_person:
        threads += 1
        body = (
            "Transfer note: Amelia Hart (date of birth 12/03/2014) joins Year 7 from Hill "
            "Primary. Her previous teacher, Mrs Davies, has sent the file."
        )
        msg = _message(n, f"Admissions <admissions@{STAFF_DOMAIN}>", "Office <office@x.example>",
                       "Transfer file", body, start + timedelta(days=90))  # fmt: skip
        write(msg, Planted("Transfer file", True, [], ["Mrs Davies"]))
    return Mailbox(out.getvalue(), planted, threads)
