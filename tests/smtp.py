"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import asyncio
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


class Inbox:
    """The aiosmtpd handler: stores each message; can hold the first one, or refuse all."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse = False
        self.hold: threading.Event | None = None  # set: let the held message through
        #: Keep the held message even if the client vanishes before our reply (the worst
        #: case for duplicates). Otherwise aiosmtpd drops it when the connection is lost.
        self.keep_unanswered = False
        self.holding = threading.Event()  # set once a message is being held
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse:
            return "451 4.3.0 Mail server temporarily unavailable"
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        if self.hold is not None and not self.holding.is_set():
            if self.keep_unanswered:
                self._keep(message)
            self.holding.set()
            # The whole message has arrived; the client is waiting for our "250 OK".
            await asyncio.get_running_loop().run_in_executor(None, self.hold.wait)
            if self.keep_unanswered:
                return "250 OK"
        self._keep(message)
        return "250 OK"

    def _keep(self, message: EmailMessage) -> None:
        with self._lock:
            self.messages.append(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(inbox: Inbox) -> Controller:
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller
