import smtplib

import pytest
from django.core.mail import send_mail

from shared.smtp import SmtpServer


def test_django_mail_arrives_as_a_parsed_rfc5322_message(smtp_server):
    send_mail("Héllo", "Body text", "from@example.com", ["to@example.com"])

    (message,) = smtp_server.wait_for(1)
    assert message["Subject"] == "Héllo"
    assert message.get_content().strip() == "Body text"
    assert smtp_server.envelopes == [("from@example.com", ["to@example.com"])]


def test_a_stopped_server_refuses_connections_and_comes_back_on_its_port(smtp_server):
    smtp_server.stop()
    assert not smtp_server.running
    with pytest.raises(ConnectionRefusedError):
        send_mail("Lost", "Body", "from@example.com", ["to@example.com"])

    smtp_server.start()
    send_mail("Back", "Body", "from@example.com", ["to@example.com"])

    assert [m["Subject"] for m in smtp_server.wait_for(1)] == ["Back"]


def test_waiting_for_mail_that_never_comes_fails_with_what_came():
    server = SmtpServer()
    server.start()
    try:
        with smtplib.SMTP(server.host, server.port) as client:
            client.sendmail("a@example.com", ["b@example.com"], b"Subject: only one\r\n\r\nx")
        with pytest.raises(AssertionError, match="only one"):
            server.wait_for(2, timeout=0.2)
    finally:
        server.stop()
