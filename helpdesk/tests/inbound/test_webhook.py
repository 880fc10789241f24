"""The Mailgun webhook: only a correctly signed request reaches the inbound service."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from attachments.models import Attachment
from inbound.models import InboundEmail
from tests.inbound.conftest import (
    MAILGUN_MIME_URL,
    MAILGUN_PARSED_URL,
    SIGNING_KEY,
    eml,
    mailgun_signature,
    signed_fields,
)
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "tamper",
    [
        lambda fields: {**fields, "signature": "0" * 64},
        lambda fields: {**fields, "token": fields["token"] + "x"},
        lambda fields: {**fields, "timestamp": "1733220001"},
        lambda fields: {k: v for k, v in fields.items() if k != "signature"},
        lambda fields: {
            **fields,
            "signature": mailgun_signature(fields["timestamp"], fields["token"], key="other"),
        },
    ],
    ids=["zeros", "token-changed", "timestamp-changed", "no-signature", "other-key"],
)
def test_a_request_with_a_bad_signature_is_a_400_and_stores_nothing(client, alice, tamper):
    fields = signed_fields(**{"body-mime": eml("plain.eml").decode()})
    client.raise_request_exception = False

    response = client.post(MAILGUN_MIME_URL, tamper(fields))

    assert response.status_code == 400
    assert not InboundEmail.objects.exists()
    assert not Ticket.objects.exists()


def test_the_same_request_correctly_signed_opens_the_ticket(client, alice):
    fields = signed_fields(**{"body-mime": eml("plain.eml").decode()})

    assert client.post(MAILGUN_MIME_URL, fields).status_code == 200
    assert Ticket.objects.get().creator == alice


def test_without_a_signing_key_the_webhook_does_not_exist(client, alice, settings):
    settings.ANYMAIL = {"MAILGUN_WEBHOOK_SIGNING_KEY": ""}
    # With an empty key, an empty-key HMAC would "verify": the URL must refuse first.
    fields = {"body-mime": eml("plain.eml").decode(), "timestamp": "1", "token": "t"}
    fields["signature"] = mailgun_signature("1", "t", key="")

    assert client.post(MAILGUN_MIME_URL, fields).status_code == 404
    assert not InboundEmail.objects.exists()


def test_a_request_larger_than_the_limit_is_refused_before_parsing(client, alice, settings):
    settings.INBOUND_EMAIL_MAX_BYTES = 10
    fields = signed_fields(**{"body-mime": "x" * (70 * 1024)})

    response = client.post(MAILGUN_MIME_URL, fields)

    assert response.status_code == 406  # Mailgun does not retry a 406
    assert not InboundEmail.objects.exists()


def test_get_is_not_allowed(client):
    assert client.get(MAILGUN_MIME_URL).status_code == 405


def test_mailguns_fully_parsed_form_with_an_uploaded_attachment_reaches_the_same_service(
    client, alice
):
    png = eml("multipart_attachments.eml")  # the PNG, from the same real message
    from email import policy
    from email.parser import BytesParser

    message = BytesParser(policy=policy.default).parsebytes(png)
    image = next(
        part for part in message.iter_attachments() if (part.get_filename() or "").endswith("png")
    )
    headers = [
        ["From", "Alice Example <alice@example.com>"],
        ["To", "support@help.example.org"],
        ["Subject", "Screenshot attached"],
        ["Message-Id", "<parsed-form-0001@mail.example.net>"],
    ]
    fields = signed_fields(
        **{
            "message-headers": json.dumps(headers),
            "body-plain": "See the screenshot.",
            "attachment-count": "1",
            "sender": "alice@example.com",
            "recipient": "support@help.example.org",
        }
    )
    fields["attachment-1"] = SimpleUploadedFile(
        "error-screenshot.png", image.get_content(), content_type="image/png"
    )

    assert client.post(MAILGUN_PARSED_URL, fields).status_code == 200

    ticket = Ticket.objects.get()
    assert (ticket.title, ticket.description) == ("Screenshot attached", "See the screenshot.")
    assert Attachment.objects.get(ticket=ticket).name == "error-screenshot.png"
    assert InboundEmail.objects.get().channel == "mailgun"


@pytest.mark.parametrize(
    "junk",
    [
        {"body-mime": "\x00" * 100},
        {"body-mime": ""},
        {"body-mime": "From: \r\n\r\n"},
        {"message-headers": "not json"},
        {"message-headers": json.dumps([["From", "a@b.example"]]), "attachment-count": "x"},
        {"event": "delivered"},
        {"attachments": "[]"},
    ],
)
def test_signed_junk_never_answers_a_server_error_and_opens_no_ticket(client, alice, junk):
    client.raise_request_exception = False

    response = client.post(MAILGUN_MIME_URL, signed_fields(**junk))

    assert response.status_code < 500
    assert not Ticket.objects.exists()


def test_the_signing_key_is_read_from_the_documented_setting(settings):
    assert settings.ANYMAIL["MAILGUN_WEBHOOK_SIGNING_KEY"] == SIGNING_KEY
