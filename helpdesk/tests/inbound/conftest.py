"""Both ways in, over the same RFC 5322 files in ``messages/``.

``deliver`` is parametrised: every test that uses it runs once through ``manage.py
receive_email`` (the message on standard input, as Postfix or Exim pipes it) and once through
the Mailgun webhook (a request signed with the configured key, the message as ``body-mime``),
and asserts the same outcome. Files that name a ticket carry ``$reply_address``,
``$message_id`` and ``$ticket_id`` placeholders: the token in them is made for the test's
ticket under the test's secret key.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import sys
from pathlib import Path
from string import Template

import pytest
from django.core.management import call_command
from django.test import Client
from shared.factories import StaffUserFactory, UserFactory

from mail import threading

MESSAGES = Path(__file__).parent / "messages"
SIGNING_KEY = "key-test-signing-0123456789abcdef"
MAILGUN_MIME_URL = "/inbound/mailgun/mime/"
MAILGUN_PARSED_URL = "/inbound/mailgun/"


def eml(name: str, ticket=None) -> bytes:
    """The bytes of ``messages/<name>``, with the ticket placeholders filled in."""
    raw = (MESSAGES / name).read_bytes()
    if ticket is None:
        return raw
    values = {
        "reply_address": threading.reply_address(ticket.pk),
        "message_id": threading.message_id(ticket.pk, f"ticket-{ticket.pk}-comment-1"),
        "ticket_id": str(ticket.pk),
    }
    return Template(raw.decode("latin-1")).safe_substitute(values).encode("latin-1")


def mailgun_signature(timestamp: str, token: str, key: str = SIGNING_KEY) -> str:
    return hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()


def signed_fields(**fields: object) -> dict[str, object]:
    timestamp, token = "1733220000", hashlib.sha256(repr(fields).encode()).hexdigest()[:50]
    return {
        **fields,
        "timestamp": timestamp,
        "token": token,
        "signature": mailgun_signature(timestamp, token),
    }


@pytest.fixture(autouse=True)
def _inbound_settings(settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY}
    settings.SUPPORT_EMAIL = "support@help.example.org"
    settings.DEFAULT_FROM_EMAIL = "Helpdesk <helpdesk@help.example.org>"
    settings.HELPDESK_EMAIL_CREATES_ACCOUNTS = False


def pipe(raw: bytes, monkeypatch) -> str:
    """``manage.py receive_email`` with ``raw`` on standard input; its output."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    out = io.StringIO()
    call_command("receive_email", stdout=out)
    return out.getvalue()


def webhook(raw: bytes, client: Client) -> int:
    """Mailgun's raw-MIME form, correctly signed; the response's status."""
    fields = signed_fields(
        **{"body-mime": raw.decode("utf-8", errors="replace"), "recipient": "support@x"}
    )
    return client.post(MAILGUN_MIME_URL, fields).status_code


@pytest.fixture(params=["pipe", "webhook"])
def deliver(request, monkeypatch, client):
    """Deliver raw bytes one way in; the webhook must answer 200 whatever became of them."""

    def send(raw: bytes) -> None:
        if request.param == "pipe":
            pipe(raw, monkeypatch)
        else:
            assert webhook(raw, client) == 200

    return send


@pytest.fixture
def alice(db):
    return UserFactory.create(username="alice", email="alice@example.com")


@pytest.fixture
def agent(db):
    return StaffUserFactory.create(username="agent", email="agent@help.example.org")
