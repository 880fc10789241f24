"""What a mail client receives: threading headers, Reply-To, and text with an HTML alternative.

Every message about a ticket goes over a real SMTP server (aiosmtpd, the ``smtp_server``
fixture) and is read back as the client would read it. A conversation must thread: the first
e-mail's Message-ID is the root, every later one names it in ``In-Reply-To`` and
``References``, and a reply lands on the ticket through the token in ``Reply-To``.

``transaction=True``: the service's transaction commits and the delivery task runs on that
commit, as in production (the test settings' task backend runs it at once).
"""

import re

import pytest
from shared.factories import StaffUserFactory, UserFactory

from mail import threading
from mail.services import queue_email
from tickets import services

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGE_ID = r"<t{ticket}\.[a-z2-7]{{20}}\.[0-9a-f]{{16}}@example\.com>"


@pytest.fixture(autouse=True)
def _support_address(settings):
    settings.SUPPORT_EMAIL = "support@example.com"


@pytest.fixture
def customer():
    return UserFactory.create(username="carol")


@pytest.fixture
def agent():
    return StaffUserFactory.create(username="ana")


def _parts(message):
    return {part.get_content_type(): part.get_content() for part in message.iter_parts()}


def test_a_tickets_messages_thread_under_the_first_ones_message_id(customer, agent, smtp_server):
    ticket = services.open_ticket(
        creator=customer, title="Printer on fire", description="Smoke", priority="high"
    )
    services.add_comment(ticket=ticket, author=agent, body="On my way")

    opened, reply = smtp_server.wait_for(2)
    root = threading.thread_root(ticket.pk)
    assert opened["Message-ID"] == root
    assert re.fullmatch(MESSAGE_ID.format(ticket=ticket.pk), opened["Message-ID"])
    assert opened["In-Reply-To"] is None
    assert re.fullmatch(MESSAGE_ID.format(ticket=ticket.pk), reply["Message-ID"])
    assert reply["Message-ID"] != root
    assert reply["In-Reply-To"] == root
    assert reply["References"] == root
    assert threading.ticket_id_from_message_id(reply["Message-ID"]) == ticket.pk
    assert smtp_server.envelopes[0][1] == ["ana@example.com"]
    assert smtp_server.envelopes[1][1] == ["carol@example.com"]


def test_every_ticket_message_names_the_tickets_reply_address(customer, agent, smtp_server):
    ticket = services.open_ticket(
        creator=customer, title="Printer on fire", description="Smoke", priority="high"
    )
    services.add_comment(ticket=ticket, author=customer, body="Still smoking")

    messages = smtp_server.wait_for(2)
    for message in messages:
        assert message["Reply-To"] == threading.reply_address(ticket.pk)
        assert threading.ticket_id_from_address(message["Reply-To"]) == ticket.pk
        assert message["From"] == "helpdesk@localhost"


def test_a_message_has_a_text_part_and_an_html_part_with_the_user_text_escaped(
    customer, agent, smtp_server
):
    ticket = services.open_ticket(
        creator=customer,
        title="<b>Bold</b> title",
        description="x",
        priority="normal",
        notify=False,
    )
    services.add_comment(
        ticket=ticket, author=agent, body='<script>alert("x")</script>\n<img src=https://evil/>'
    )

    (message,) = smtp_server.wait_for(1)
    assert message.get_content_type() == "multipart/alternative"
    parts = _parts(message)
    assert set(parts) == {"text/plain", "text/html"}
    assert '<script>alert("x")</script>' in parts["text/plain"]
    html = parts["text/html"]
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; title" in html
    assert "<script" not in html
    assert "<img" not in html
    assert "https://evil" not in re.findall(r'(?:src|href)="([^"]*)"', html)
    # Nothing in the HTML is fetched from anywhere: its only URLs are links to the site.
    assert all(
        url.startswith("http://127.0.0.1:8001/")
        for url in re.findall(r'(?:src|href)="([^"]*)"', html)
    )


def test_mail_about_no_ticket_answers_the_message_it_replies_to(smtp_server):
    queue_email(
        event_key="inbound-refused-1",
        to="stranger@example.org",
        subject="Please sign up",
        body="We could not open a ticket.",
        in_reply_to="<CAF123@mail.example.org>",
    )

    (message,) = smtp_server.wait_for(1)
    assert message["In-Reply-To"] == "<CAF123@mail.example.org>"
    assert message["References"] == "<CAF123@mail.example.org>"
    assert message["Reply-To"] is None
    assert message.get_content_type() == "text/plain"


@pytest.mark.parametrize(
    "parent",
    [
        "<a@b>\r\nBcc: everyone@example.com",
        "no brackets@example.org",
        "<a b@c>",
        "<" + "x" * 300 + ">",
    ],
)
def test_an_in_reply_to_that_is_not_one_clean_message_id_is_dropped(parent, smtp_server):
    queue_email(
        event_key="inbound-refused-2",
        to="stranger@example.org",
        subject="Please sign up",
        body="We could not open a ticket.",
        in_reply_to=parent,
    )

    (message,) = smtp_server.wait_for(1)
    assert message["In-Reply-To"] is None
    assert message["References"] is None
    assert message["Bcc"] is None
