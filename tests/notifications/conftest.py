"""A real SMTP server (aiosmtpd) and a chat-webhook receiver, both on 127.0.0.1."""

from __future__ import annotations

import email
import socket
import threading
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from tests.webhook_receiver import SignedReceiver


class _Mailbox:
    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=default_policy)
        with self.lock:
            self.messages.append(msg)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        with self.lock:
            return [m for m in self.messages if address in m["To"]]


@pytest.fixture
def smtp_server(settings):
    """Points Django's SMTP backend at a local aiosmtpd server; yields its mailbox."""
    mailbox = _Mailbox()
    with socket.socket() as probe:  # a free port (aiosmtpd's start() cannot use port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "desk@claims.test"
    yield mailbox
    controller.stop()


@pytest.fixture
def chat(settings):
    settings.CLAIMTRACKER_FETCH = {
        **settings.CLAIMTRACKER_FETCH,
        "ALLOWED_PRIVATE_NETWORKS": ("127.0.0.1/32",),
    }
    # Always 200, like a chat service: the signature is recorded for the tests to check.
    receiver = SignedReceiver(path="/hooks/desk", reject_invalid=False)
    yield receiver
    receiver.close()
