"""A real SMTP server on loopback (aiosmtpd) for the outbox's tests: it keeps what it
accepts, and can refuse recipients or hang before answering, as real servers do."""

import asyncio
import email
import email.policy
import socket
import threading

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailServer:
    """`refuse` maps an address to the reply its RCPT gets ("550 No such user");
    `hang_first` makes the first RCPT wait that many seconds before answering (a
    server that stalls while the worker talks to it)."""

    def __init__(self, port: int | None = None, refuse=None, hang_first: float = 0):
        self.port = port or free_port()
        self.received: list[email.message.EmailMessage] = []
        self.envelopes: list[list[str]] = []  # the recipients of each mail accepted
        self.refuse = refuse or {}
        self.hang_first = hang_first
        self.hanging = threading.Event()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.hang_first:
            delay, self.hang_first = self.hang_first, 0
            self.hanging.set()
            await asyncio.sleep(delay)
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        self.envelopes.append(list(envelope.rcpt_tos))
        return "250 OK"

    def to(self) -> list[str]:
        return sorted(to for rcpt_tos in self.envelopes for to in rcpt_tos)

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc):
        self._controller.stop()

    def settings(self) -> dict[str, object]:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
        }


def _refused(self, messages):
    raise ConnectionRefusedError("Connection refused")


def refuse_connections(monkeypatch) -> None:
    """The test's mail backend as a mail server that is down: every connection refused
    (undone with `monkeypatch`, or its `context()`)."""
    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", _refused)
