"""A real SMTP server on 127.0.0.1 for tests: mail crosses a socket, as it does in production.

Django's locmem backend never builds the bytes an SMTP server sees, so a header injection, an
encoding fault or a server going away cannot show up with it. :class:`SmtpServer` runs aiosmtpd
(the Python ecosystem's SMTP server) in a background thread and keeps every message it receives,
parsed by the standard library with the modern ``email.policy.default``.

``stop()`` and ``start()`` take the server away and bring it back on the same port, for tests of
what a project does while its mail server is down.
"""

from __future__ import annotations

import socket
import threading
import time
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default
from typing import Any

HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


class _Collector:
    """aiosmtpd handler: parse each message and wake whoever waits for it."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.arrived = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        # policy=default makes the parser build EmailMessage objects (the modern API).
        message: EmailMessage = message_from_bytes(envelope.content, policy=default)
        with self.arrived:
            self.messages.append(message)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 and a port of its own, collecting what it receives."""

    def __init__(self) -> None:
        self.host = HOST
        self.port = _free_port()
        self._collector = _Collector()
        self._controller: Any = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self._collector.messages

    @property
    def envelopes(self) -> list[tuple[str, list[str]]]:
        """``(MAIL FROM, RCPT TO list)`` of each message, in arrival order."""
        return self._collector.envelopes

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        if self._controller is None:
            controller = Controller(self._collector, hostname=self.host, port=self.port)
            controller.start()
            self._controller = controller

    def stop(self) -> None:
        """Close the port: a client now gets "connection refused", as from a server that is down."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        """Block until ``count`` messages have arrived; fail with what did arrive otherwise."""
        deadline = time.monotonic() + timeout
        with self._collector.arrived:
            while len(self.messages) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    subjects = [str(message["Subject"]) for message in self.messages]
                    raise AssertionError(
                        f"expected {count} message(s) within {timeout}s, got {subjects}"
                    )
                self._collector.arrived.wait(remaining)
        return list(self.messages)

    def django_settings(self) -> dict[str, object]:
        """The settings that send Django's mail to this server with the real SMTP backend."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": self.port,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_TIMEOUT": 5,
        }
