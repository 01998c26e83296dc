"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable
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
        #: A reply to every RCPT instead of "250 OK", e.g. "550 5.1.1 No such user" (a bounce).
        self.refuse_rcpt: str | None = None
        #: Called (once, in a thread) when a whole message has arrived and been KEPT, before the
        #: server answers: a test kills the sending worker here. ``on_quit``: called at the
        #: QUIT after a message, i.e. once the "250" has gone back.
        self.on_data: Callable[[], None] | None = None
        self.on_quit: Callable[[], None] | None = None
        self.on_rcpt: Callable[[], None] | None = None  # at RCPT, before answering it
        self.rcpt_seen = threading.Event()  # set once a client got as far as RCPT
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        self.rcpt_seen.set()
        if self.on_rcpt is not None:  # before DATA: nothing can have been sent
            hook, self.on_rcpt = self.on_rcpt, None
            await asyncio.get_running_loop().run_in_executor(None, hook)
            return "451 4.3.0 Try again later"  # to a client that is gone by now
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_QUIT(self, server, session, envelope) -> str:
        hook, self.on_quit = self.on_quit, None
        if hook is not None and self.messages:
            await asyncio.get_running_loop().run_in_executor(None, hook)
        return "221 Bye"

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse:
            return "451 4.3.0 Mail server temporarily unavailable"
        if self.on_data is not None:
            hook, self.on_data = self.on_data, None
            self._keep(message_from_bytes(envelope.original_content, policy=policy.default))
            await asyncio.get_running_loop().run_in_executor(None, hook)
            return "250 OK"  # to a client that is gone by now
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
