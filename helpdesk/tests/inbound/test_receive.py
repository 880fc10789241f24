"""Inbound e-mail, specified over real messages, each delivered both ways in (pipe and webhook)."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth import get_user_model
from shared.factories import StaffUserFactory, UserFactory

from attachments.models import Attachment
from inbound.models import InboundEmail, Outcome
from mail import threading
from mail.models import OutboundEmail
from tests.factories import TicketFactory
from tests.inbound.conftest import eml
from tickets.models import Comment, Ticket, TicketChannel

pytestmark = pytest.mark.django_db


# --- Opening a ticket ------------------------------------------------------------------------


def test_a_customer_opens_a_ticket_by_writing_to_the_support_address(deliver, alice):
    deliver(eml("plain.eml"))

    ticket = Ticket.objects.get()
    assert ticket.creator == alice
    assert ticket.channel == TicketChannel.EMAIL
    assert ticket.title == "The printer on the third floor prints blank pages"
    assert ticket.description == (
        "Hello,\n\nsince this morning the printer on the third floor only prints blank pages.\n"
        "I already replaced the toner cartridge.\n\nThanks,\nAlice"
    )
    log = InboundEmail.objects.get()
    assert (log.outcome, log.ticket, log.author) == (Outcome.OPENED, ticket, alice)
    assert log.message_id == "<CAB1x2y3-plain-0001@mail.example.net>"


def test_the_sender_address_is_matched_to_the_account_ignoring_case(deliver, db):
    alice = UserFactory.create(email="Alice@Example.COM")

    deliver(eml("plain.eml"))

    assert Ticket.objects.get().creator == alice


def test_html_only_mail_becomes_plain_text_without_scripts_styles_or_markup(deliver, alice):
    deliver(eml("html_only.eml"))

    description = Ticket.objects.get().description
    assert description == (
        "Hi team,\n\nThe VPN drops every ten minutes & I have to log in again.\n"
        "It started after the update.\n\n- Laptop: ThinkPad\n- Client: 5.2\n\nClick here\n\nAlice"
    )
    for leftover in ("<", "alert", "cookie", "injected", "color", "ignored title", "tracker"):
        assert leftover not in description


def test_the_html_of_a_message_is_shown_escaped_on_the_ticket_page(deliver, alice, client):
    deliver(eml("html_only.eml"))
    client.force_login(alice)

    page = client.get(Ticket.objects.get().get_absolute_url()).content.decode()

    assert "VPN drops every ten minutes &amp; I have to log in again." in page
    assert "<script>alert" not in page
    assert "by e-mail" in page


def test_attachments_are_stored_through_the_attachment_rules(deliver, alice):
    deliver(eml("multipart_attachments.eml"))

    ticket = Ticket.objects.get()
    stored = Attachment.objects.filter(ticket=ticket, comment=None)
    assert sorted(stored.values_list("name", "content_type")) == [
        ("error-screenshot.png", "image/png"),
        ("invoice-2024-117.pdf", "application/pdf"),
    ]
    assert all(attachment.uploaded_by == alice for attachment in stored)
    # The program is refused by content, as an upload would be; the text says so.
    assert ticket.description.startswith(
        "The accounting tool shows an error when I open the invoice.\n"
        "Screenshot and invoice attached.\n\n[Not attached: “viewer.pdf.exe”: "
    )


def test_a_forwarded_message_is_kept_as_content_not_trimmed_as_history(deliver, alice):
    deliver(eml("forwarded.eml"))

    ticket = Ticket.objects.get()
    assert ticket.title == "Fwd: Your password expires in 3 days"
    assert ticket.description.endswith(
        "From: IT Department <it-notices@example.biz>\nDate: Thu, 5 Dec 2024 at 17:02\n"
        "Subject: Your password expires in 3 days\nTo: <alice@example.com>\n\n"
        "Your password expires in 3 days. Keep it here: http://example.biz/keep"
    )


def test_a_message_in_a_legacy_charset_is_decoded(deliver, db):
    bernd = UserFactory.create(email="bernd@example.de")

    deliver(eml("non_utf8.eml"))

    ticket = Ticket.objects.get(creator_id=bernd.pk)
    assert ticket.title == "Drücker im Büro grüßt nicht"
    assert "der Drücker im Büro druckt nur noch Streßen. Können Sie helfen?" in ticket.description


def test_an_unknown_charset_and_invalid_bytes_are_decoded_with_replacement(monkeypatch, db):
    from tests.inbound.conftest import pipe

    UserFactory.create(email="bernd@example.de")

    pipe(eml("unknown_charset_8bit.eml"), monkeypatch)

    assert Ticket.objects.get().description == "Der Dr\ufffdcker \ufffdchzt. Café \ufffd\ufffd end."


# --- Replies ---------------------------------------------------------------------------------


@pytest.fixture
def alices_ticket(alice):
    return TicketFactory.create(creator=alice, title="Printer on fire")


def test_a_reply_to_the_reply_address_joins_the_ticket_without_the_quoted_history(
    deliver, alices_ticket, alice
):
    deliver(eml("reply.eml", alices_ticket))

    comment = Comment.objects.get()
    assert (comment.ticket, comment.author, comment.is_internal) == (alices_ticket, alice, False)
    assert comment.body == "Thanks, it works again after the restart."
    assert Ticket.objects.count() == 1
    assert InboundEmail.objects.get().outcome == Outcome.REPLIED


def test_a_reply_is_matched_by_the_message_id_chain_alone(deliver, alices_ticket):
    # To is the bare support address; only In-Reply-To/References carry the token.
    deliver(eml("outlook_reply.eml", alices_ticket))

    comment = Comment.objects.get()
    assert comment.ticket == alices_ticket
    assert comment.body == "Still smoking a bit, should I unplug it?"


def test_a_staff_reply_by_e_mail_is_a_public_reply_the_customer_is_told_about(
    deliver, alices_ticket, agent
):
    raw = eml("reply.eml", alices_ticket).replace(
        b"From: Alice Example <alice@example.com>", b"From: Agent <AGENT@help.example.org>"
    )

    deliver(raw)

    comment = Comment.objects.get()
    assert (comment.author, comment.is_internal) == (agent, False)
    assert OutboundEmail.objects.filter(
        recipient="alice@example.com", event_key=f"ticket-{alices_ticket.pk}-comment-{comment.pk}"
    ).exists()


def test_a_reply_with_a_valid_token_from_a_stranger_does_not_join_the_ticket(
    deliver, alices_ticket
):
    mallory = UserFactory.create(email="mallory@example.net")
    raw = eml("reply.eml", alices_ticket).replace(
        b"From: Alice Example <alice@example.com>", b"From: <mallory@example.net>"
    )

    deliver(raw)

    assert not alices_ticket.comments.exists()
    # Handled as Mallory's own message: a ticket of hers, which Alice never sees.
    own = Ticket.objects.get(creator_id=mallory.pk)
    assert own.description == "Thanks, it works again after the restart."


def test_a_reply_from_an_unknown_stranger_does_not_join_the_ticket(deliver, alices_ticket):
    raw = eml("reply.eml", alices_ticket).replace(
        b"From: Alice Example <alice@example.com>", b"From: <stranger@example.net>"
    )

    deliver(raw)

    assert not alices_ticket.comments.exists()
    assert Ticket.objects.count() == 1
    assert InboundEmail.objects.get().outcome == Outcome.REFUSED


@pytest.mark.parametrize(
    "forgery",
    [
        # Another ticket's number with this ticket's token, and a token made up.
        lambda ticket, raw: raw.replace(f"+t{ticket.pk}.".encode(), f"+t{ticket.pk - 1}.".encode()),
        lambda ticket, raw: raw.replace(
            threading.reply_address(ticket.pk).encode(), b"support+t1.aaaaaaaaaaaaaaaaaaaa@x.org"
        ),
    ],
    ids=["other-ticket-number", "made-up-token"],
)
def test_a_forged_token_matches_no_ticket(deliver, alice, forgery):
    other = TicketFactory.create(creator=alice)
    ticket = TicketFactory.create(creator=alice)
    assert other.pk == ticket.pk - 1
    raw = eml("reply.eml", ticket)
    raw = raw.replace(b"In-Reply-To:", b"X-Old-In-Reply-To:").replace(b"References:", b"X-Ref:")

    deliver(forgery(ticket, raw))

    assert not Comment.objects.exists()
    assert Ticket.objects.count() == 3  # a new ticket, never one chosen by the forger


def test_a_subject_naming_a_ticket_matches_nothing(deliver, alices_ticket):
    raw = eml("plain.eml").replace(
        b"Subject: The printer", f"Subject: Re: [#{alices_ticket.pk}] The printer".encode()
    )

    deliver(raw)

    assert not alices_ticket.comments.exists()
    assert Ticket.objects.count() == 2


# --- Mail that is dropped ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("auto_reply.eml", "Auto-Submitted: auto-replied"),
        ("bounce.eml", "Auto-Submitted: auto-replied"),
    ],
)
def test_auto_replies_and_bounces_are_dropped_logged_and_never_answered(
    deliver, alices_ticket, name, reason, caplog
):
    with caplog.at_level(logging.INFO, logger="inbound"):
        deliver(eml(name, alices_ticket))

    assert not Comment.objects.exists()
    assert Ticket.objects.count() == 1
    assert not OutboundEmail.objects.exists()
    log = InboundEmail.objects.get()
    assert (log.outcome, log.reason) == (Outcome.DROPPED, reason)
    assert f"dropped: {reason}" in caplog.text


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (b"Auto-Submitted: auto-generated", "Auto-Submitted: auto-generated"),
        (b"Precedence: bulk", "Precedence: bulk"),
        (b"Precedence: junk", "Precedence: junk"),
        (b"Precedence: list", "Precedence: list"),
        (b"List-Id: <announce.lists.example.net>", "a List-Id header"),
        (b"X-Autorespond: vacation", "a X-Autorespond header"),
        (b"X-Autoreply: yes", "a X-Autoreply header"),
    ],
)
def test_each_mark_of_automatic_mail_drops_it(deliver, alice, header, reason):
    raw = eml("plain.eml").replace(b"MIME-Version: 1.0", header + b"\nMIME-Version: 1.0")

    deliver(raw)

    assert not Ticket.objects.exists()
    assert InboundEmail.objects.get().reason == reason


def test_auto_submitted_no_is_a_person_writing(deliver, alice):
    raw = eml("plain.eml").replace(b"MIME-Version: 1.0", b"Auto-Submitted: no\nMIME-Version: 1.0")

    deliver(raw)

    assert Ticket.objects.count() == 1


def test_an_empty_return_path_is_a_bounce(deliver, alice):
    raw = eml("plain.eml").replace(b"Return-Path: <alice@example.com>", b"Return-Path: <>")

    deliver(raw)

    assert not Ticket.objects.exists()
    assert InboundEmail.objects.get().reason == "an empty Return-Path (a bounce)"


@pytest.mark.parametrize(
    "loop",
    [
        lambda ticket, raw: raw.replace(
            b"<reply-0010@mail.example.net>",
            threading.message_id(ticket.pk, "status-change").encode(),
        ),
        lambda ticket, raw: raw.replace(
            b"From: Alice Example <alice@example.com>",
            b"From: Helpdesk <support@help.example.org>",
        ),
        lambda ticket, raw: raw.replace(
            b"<reply-0010@mail.example.net>", b"<signup.0a1b2c@help.example.org>"
        ),
    ],
    ids=["our-message-id", "our-address", "our-domain"],
)
def test_our_own_mail_coming_back_is_dropped(deliver, alices_ticket, loop):
    deliver(loop(alices_ticket, eml("reply.eml", alices_ticket)))

    assert not Comment.objects.exists()
    assert "a mail loop" in InboundEmail.objects.get().reason


def test_malformed_mime_is_dropped_with_a_log_line(deliver, alice, caplog):
    with caplog.at_level(logging.WARNING, logger="inbound"):
        deliver(eml("malformed.eml"))

    assert not Ticket.objects.exists()
    assert InboundEmail.objects.get().reason == "malformed: 2 From headers"
    assert "dropped, malformed: 2 From headers" in caplog.text


def test_a_message_over_the_size_limit_is_dropped_before_parsing(deliver, alice, settings, caplog):
    raw = eml("multipart_attachments.eml")
    settings.INBOUND_EMAIL_MAX_BYTES = len(raw) - 1

    with caplog.at_level(logging.WARNING, logger="inbound"):
        deliver(raw)

    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()
    log = InboundEmail.objects.get()
    assert log.reason == f"too large: {len(raw)} bytes, over the limit of {len(raw) - 1}"
    assert log.sender == ""  # never parsed
    assert "over the limit" in caplog.text


def test_a_message_without_text_or_attachments_is_dropped(deliver, alice):
    raw = eml("plain.eml").split(b"\n\n", 1)[0] + b"\n\n\n"

    deliver(raw)

    assert not Ticket.objects.exists()
    assert InboundEmail.objects.get().reason == "no text and no attachment"


# --- Once only ------------------------------------------------------------------------------


def test_a_message_delivered_twice_makes_one_ticket(deliver, alice):
    raw = eml("multipart_attachments.eml")

    deliver(raw)
    deliver(raw)

    assert Ticket.objects.count() == 1
    assert Attachment.objects.count() == 2
    assert InboundEmail.objects.count() == 1


def test_a_message_piped_and_then_posted_by_the_webhook_makes_one_reply(
    alices_ticket, monkeypatch, client
):
    from tests.inbound.conftest import pipe, webhook

    raw = eml("reply.eml", alices_ticket)

    pipe(raw, monkeypatch)
    assert webhook(raw, client) == 200

    assert alices_ticket.comments.count() == 1


def test_a_message_without_message_id_is_recognised_by_its_bytes(deliver, alice):
    raw = eml("plain.eml").replace(b"Message-ID: <CAB1x2y3-plain-0001@mail.example.net>\n", b"")

    deliver(raw)
    deliver(raw)

    assert Ticket.objects.count() == 1
    assert InboundEmail.objects.get().message_id.startswith("sha256:")


# --- Unknown senders -------------------------------------------------------------------------


def test_an_unknown_sender_is_invited_to_sign_up_once_a_day(deliver, db, settings):
    settings.SITE_URL = "https://help.example.org"
    first = eml("non_utf8.eml")
    second = first.replace(b"latin1-0007", b"latin1-0008")
    third = first.replace(b"latin1-0007", b"latin1-0009")

    for raw in (first, second, third):
        deliver(raw)

    assert not Ticket.objects.exists()
    assert not get_user_model().objects.exists()
    invitation = OutboundEmail.objects.get()
    assert invitation.recipient == "bernd@example.de"
    assert invitation.subject == "Re: Drücker im Büro grüßt nicht"
    assert "https://help.example.org/accounts/signup/" in invitation.body
    assert list(InboundEmail.objects.order_by("pk").values_list("outcome", "reason")) == [
        (Outcome.REFUSED, "unknown sender, invited to sign up"),
        (Outcome.REFUSED, "unknown sender, already invited today"),
        (Outcome.REFUSED, "unknown sender, already invited today"),
    ]


def test_an_auto_reply_from_an_unknown_sender_gets_no_invitation(deliver, db):
    deliver(eml("auto_reply.eml"))

    assert not OutboundEmail.objects.exists()


def test_with_accounts_from_e_mail_an_unknown_sender_gets_an_account_and_a_ticket(
    deliver, settings
):
    settings.HELPDESK_EMAIL_CREATES_ACCOUNTS = True

    deliver(eml("non_utf8.eml"))

    bernd = get_user_model().objects.get()
    assert (bernd.username, bernd.email, bernd.is_staff) == (
        "bernd@example.de",
        "bernd@example.de",
        False,
    )
    assert not bernd.has_usable_password()  # claimed through the password reset
    assert Ticket.objects.get().creator == bernd
    assert InboundEmail.objects.get().reason == "new account"


def test_an_account_from_e_mail_takes_a_free_username(deliver, settings):
    settings.HELPDESK_EMAIL_CREATES_ACCOUNTS = True
    UserFactory.create(username="bernd@example.de", email="someone-else@example.com")

    deliver(eml("non_utf8.eml"))

    assert get_user_model().objects.get(email="bernd@example.de").username == "bernd@example.de-2"


def test_a_disabled_account_gets_no_ticket_and_no_new_account(deliver, settings):
    settings.HELPDESK_EMAIL_CREATES_ACCOUNTS = True
    UserFactory.create(email="bernd@example.de", is_active=False)

    deliver(eml("non_utf8.eml"))

    assert not Ticket.objects.exists()
    assert get_user_model().objects.count() == 1
    assert InboundEmail.objects.get().reason == "the account with this address is disabled"


def test_an_address_shared_by_two_accounts_is_not_guessed(deliver, db):
    UserFactory.create(email="bernd@example.de")
    StaffUserFactory.create(email="BERND@example.de")

    deliver(eml("non_utf8.eml"))

    assert not Ticket.objects.exists()
    assert InboundEmail.objects.get().reason == "several accounts have this address"


# --- All or nothing ---------------------------------------------------------------------------


def test_a_failure_while_attaching_leaves_no_ticket_no_file_and_no_log(alice, monkeypatch):
    from django.db import OperationalError

    from attachments import services as attachments
    from tests.inbound.conftest import pipe

    def broken_attach(**kwargs):
        raise OperationalError("the database went away")

    monkeypatch.setattr(attachments, "attach", broken_attach)

    with pytest.raises(SystemExit) as exit_info:
        pipe(eml("multipart_attachments.eml"), monkeypatch)

    assert exit_info.value.code == 75  # EX_TEMPFAIL: the MTA keeps the message and retries
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()
    assert not InboundEmail.objects.exists()


def test_a_failure_while_attaching_is_a_5xx_for_the_webhook_to_retry(alice, monkeypatch, client):
    from django.db import OperationalError

    from attachments import services as attachments
    from tests.inbound.conftest import webhook

    monkeypatch.setattr(
        attachments, "attach", lambda **kwargs: (_ for _ in ()).throw(OperationalError("gone"))
    )
    client.raise_request_exception = False

    assert webhook(eml("multipart_attachments.eml"), client) >= 500
    assert not Ticket.objects.exists()
    assert not InboundEmail.objects.exists()


@pytest.mark.parametrize(
    ("sender", "name"),
    [
        ("ann@example.com", "<m1@example.com> from ann@example.com (Opened a ticket)"),
        ("", "<m1@example.com> from unknown (Opened a ticket)"),
    ],
)
def test_a_received_message_is_named_by_its_key_its_sender_and_what_became_of_it(sender, name):
    """As the admin's change page and history name it."""
    received = InboundEmail(message_id="<m1@example.com>", sender=sender, outcome=Outcome.OPENED)

    assert str(received) == name
