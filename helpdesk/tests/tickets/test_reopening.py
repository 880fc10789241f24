"""Reopen rules: a customer's reply to a resolved ticket reopens it within 14 days of its
resolution; a later one opens a new ticket that links back. Staff never reopen by replying."""

from datetime import UTC, datetime, timedelta
from typing import cast

import pytest
from shared.factories import StaffUserFactory, UserFactory

from accounts.models import User
from attachments.models import Attachment
from tests.attachments.files import image_bytes, upload
from tests.factories import TicketFactory
from tickets import reopening, services
from tickets.models import Comment, Status, Ticket, TicketChange, TrackedField

pytestmark = pytest.mark.django_db

RESOLVED_AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
#: The README's window, as a literal: changing the default must change this test too.
WINDOW = timedelta(days=14)


@pytest.fixture
def resolved(user):
    return TicketFactory.create(
        creator=user,
        title="Printer on fire",
        status=Status.RESOLVED,
        resolved_at=RESOLVED_AT,
    )


def test_the_default_window_is_fourteen_days():
    assert reopening.reopen_window() == timedelta(days=14)


def test_a_reply_exactly_at_the_end_of_the_window_reopens_the_ticket(resolved, user):
    landed = reopening.reply(
        ticket=resolved, author=user, body="Still broken.", now=RESOLVED_AT + WINDOW
    )

    resolved.refresh_from_db()
    assert (resolved.status, resolved.resolved_at) == (Status.OPEN, None)
    assert landed.reopened
    assert landed.ticket == resolved
    assert Comment.objects.get().ticket == resolved
    assert Ticket.objects.count() == 1


def test_the_reopening_is_the_customers_change_in_the_history(resolved, user):
    reopening.reply(ticket=resolved, author=user, body="Still broken.", now=RESOLVED_AT)

    change = TicketChange.objects.get(ticket=resolved)
    assert (change.field, change.old_value, change.new_value, change.actor) == (
        TrackedField.STATUS,
        Status.RESOLVED,
        Status.OPEN,
        user,
    )


def test_a_failure_after_the_reopening_leaves_the_ticket_resolved(resolved, user, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the comment could not be written")

    monkeypatch.setattr(services, "add_comment", broken)

    with pytest.raises(RuntimeError):
        reopening.reply(ticket=resolved, author=user, body="Still broken.", now=RESOLVED_AT)

    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED
    assert not TicketChange.objects.exists()


def test_a_reply_one_second_after_the_window_opens_a_new_linked_ticket(resolved, user):
    landed = reopening.reply(
        ticket=resolved,
        author=user,
        body="It is on fire again.",
        now=RESOLVED_AT + WINDOW + timedelta(seconds=1),
    )

    follow_up = Ticket.objects.exclude(pk=resolved.pk).get()
    assert (landed.ticket, landed.comment) == (follow_up, None)
    assert (follow_up.creator, follow_up.title, follow_up.description) == (
        user,
        "Re: Printer on fire",
        "It is on fire again.",
    )
    assert (follow_up.status, follow_up.follows_up) == (Status.OPEN, resolved)
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED
    assert not Comment.objects.exists()
    assert not TicketChange.objects.exists()


def test_the_new_tickets_title_stays_within_the_field_and_is_not_re_re(user):
    assert reopening.follow_up_title("Re: Printer") == "Re: Printer"
    long_title = reopening.follow_up_title("x" * 200)
    assert len(long_title) == 200
    assert long_title.startswith("Re: x")
    assert long_title.endswith("…")


def test_deleting_the_old_ticket_keeps_the_follow_up(resolved, user):
    landed = reopening.reply(
        ticket=resolved, author=user, body="Again.", now=RESOLVED_AT + timedelta(days=30)
    )
    resolved.delete()

    landed.ticket.refresh_from_db()
    assert landed.ticket.follows_up is None


def test_a_staff_reply_to_a_resolved_ticket_does_not_reopen_it(resolved):
    agent = cast(User, StaffUserFactory.create())

    landed = reopening.reply(ticket=resolved, author=agent, body="Glad it works.", now=RESOLVED_AT)

    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED
    assert not landed.reopened
    assert landed.comment is not None
    assert not TicketChange.objects.exists()


def test_an_internal_note_on_a_resolved_ticket_does_not_reopen_it(resolved):
    agent = cast(User, StaffUserFactory.create())

    reopening.reply(ticket=resolved, author=agent, body="Root cause: toner.", internal=True)

    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED


@pytest.mark.parametrize("status", [Status.OPEN, Status.PENDING])
def test_a_reply_to_an_unresolved_ticket_changes_nothing_but_the_conversation(user, status):
    ticket = TicketFactory.create(creator=user, status=status)

    landed = reopening.reply(ticket=ticket, author=user, body="Any news?")

    ticket.refresh_from_db()
    assert ticket.status == status
    assert landed.ticket == ticket
    assert not landed.reopened
    assert Comment.objects.get().ticket == ticket
    assert not TicketChange.objects.exists()


# --- The web reply form ----------------------------------------------------------------------


def test_replying_on_the_page_within_the_window_reopens_and_says_so(user_client, user):
    ticket = TicketFactory.create(creator=user, status=Status.RESOLVED)

    response = user_client.post(
        f"/tickets/{ticket.pk}/comments/", {"body": "Not fixed."}, follow=True
    )

    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert "the ticket is open again" in response.content.decode()


def test_an_old_resolved_ticket_warns_before_the_customer_writes(user_client, user):
    old = TicketFactory.create(
        creator=user, status=Status.RESOLVED, resolved_at=datetime.now(UTC) - timedelta(days=15)
    )
    recent = TicketFactory.create(creator=user, status=Status.RESOLVED)

    assert "will open a new ticket" in user_client.get(old.get_absolute_url()).content.decode()
    assert (
        "will open a new ticket" not in user_client.get(recent.get_absolute_url()).content.decode()
    )


def test_replying_on_the_page_after_the_window_redirects_to_the_new_linked_ticket(
    user_client, user
):
    old = TicketFactory.create(
        creator=user,
        title="Printer on fire",
        status=Status.RESOLVED,
        resolved_at=datetime.now(UTC) - timedelta(days=15),
    )

    response = user_client.post(
        f"/tickets/{old.pk}/comments/",
        {"body": "On fire again.", "attachments": [upload("fire.png", image_bytes())]},
    )

    new = Ticket.objects.get(follows_up=old)
    assert response.status_code == 302
    assert response.url == new.get_absolute_url()
    assert Attachment.objects.get().ticket == new
    page = user_client.get(new.get_absolute_url()).content.decode()
    assert f"opened this new ticket, #{new.pk}" in page
    assert f'href="{old.get_absolute_url()}"' in page
    assert (
        f'href="{new.get_absolute_url()}"'
        in user_client.get(old.get_absolute_url()).content.decode()
    )


def test_a_link_to_a_ticket_the_viewer_may_not_see_is_not_shown(client, user):
    old = TicketFactory.create(creator=user, status=Status.RESOLVED)
    # Staff moved the follow-up to someone else: its link is theirs alone.
    stranger = UserFactory.create()
    other = TicketFactory.create(creator=stranger, follows_up=old)
    client.force_login(user)

    page = client.get(old.get_absolute_url()).content.decode()

    assert other.get_absolute_url() not in page
    client.force_login(StaffUserFactory.create())
    assert (
        f'href="{other.get_absolute_url()}"' in client.get(old.get_absolute_url()).content.decode()
    )
