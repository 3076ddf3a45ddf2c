"""A real SMTP server for the email tests: aiosmtpd on a free local port, recording every
message it accepts; it can be stopped and started again (the mail server down, then back) and
told to refuse recipients with 550 (registered in tests/conftest.py)."""

import logging
import socket
from email import message_from_bytes, policy

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    """aiosmtpd handler: keeps what arrives; answers 550 for the addresses in ``reject``."""

    def __init__(self):
        self.messages = []
        self.reject: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SmtpServer:
    def __init__(self):
        from aiosmtpd.controller import Controller

        self._controller_class = Controller
        self.port = _free_port()
        self.recorder = Recorder()
        self.controller = None

    def start(self):
        self.controller = self._controller_class(self.recorder, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        """(envelope recipients, parsed message) for every message accepted, in order."""
        return list(self.recorder.messages)

    def reject(self, address: str):
        self.recorder.reject.add(address)


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server, and Django's SMTP backend pointed at it (what
    EMAIL_URL=smtp://127.0.0.1:<port> configures)."""
    pytest.importorskip("aiosmtpd", reason="aiosmtpd is not installed (pip install '.[test]')")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "shop@example.com"
    yield server
    server.stop()
