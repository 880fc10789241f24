"""The customer-facing pages: home, my tickets, new ticket, ticket page and replies."""

import re

import pytest
from django.urls import reverse
from shared.factories import UserFactory

from tests.factories import CommentFactory, InternalNoteFactory, TicketFactory
from tickets.models import Comment, Priority, Status, Ticket

pytestmark = pytest.mark.django_db


# --- Home ---------------------------------------------------------------------------------


def test_home_sends_anonymous_visitors_to_the_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/"


def test_home_sends_customers_to_their_tickets(user_client):
    assert user_client.get("/").url == "/tickets/"


def test_home_sends_staff_to_the_dashboard(staff_client):
    assert staff_client.get("/").url == "/dashboard/"


# --- My tickets ---------------------------------------------------------------------------


def test_my_tickets_lists_only_my_own_newest_first(user_client, user, other_user):
    older = TicketFactory.create(creator=user, title="Older")
    newer = TicketFactory.create(creator=user, title="Newer")
    TicketFactory.create(creator=other_user, title="Someone else's")

    response = user_client.get("/tickets/")

    assert [row.pk for row in response.context["tickets"]] == [newer.pk, older.pk]
    assert b"Someone else" not in response.content


def test_my_tickets_filters_by_status(user_client, user):
    pending = TicketFactory.create(creator=user, status=Status.PENDING)
    TicketFactory.create(creator=user, status=Status.OPEN)

    response = user_client.get("/tickets/", {"status": "pending"})

    assert [row.pk for row in response.context["tickets"]] == [pending.pk]


def test_my_tickets_reports_an_unknown_status_filter_and_lists_everything(user_client, user):
    TicketFactory.create_batch(2, creator=user)

    response = user_client.get("/tickets/", {"status": "closed' OR 1=1"})

    assert response.status_code == 200
    assert len(response.context["tickets"]) == 2
    assert response.context["filter_form"].errors["status"]


def test_my_tickets_is_paginated_and_a_page_past_the_end_shows_the_last(user_client, user):
    TicketFactory.create_batch(25, creator=user)

    first = user_client.get("/tickets/")
    past_the_end = user_client.get("/tickets/", {"page": 99})
    junk = user_client.get("/tickets/", {"page": "abc"})

    assert len(first.context["tickets"]) == 20
    assert past_the_end.context["page_obj"].number == 2
    assert junk.context["page_obj"].number == 1


def test_my_tickets_shows_badges_and_an_empty_state(user_client, user):
    empty = user_client.get("/tickets/")
    TicketFactory.create(creator=user, status=Status.PENDING, priority=Priority.URGENT)
    filled = user_client.get("/tickets/")

    assert b"You have no tickets yet" in empty.content
    assert b'badge-pending">Pending' in filled.content
    assert b'badge-urgent">Urgent' in filled.content


@pytest.mark.parametrize("count", [5, 200])
def test_my_tickets_query_count_does_not_grow_with_tickets(
    user_client, user, django_assert_num_queries, count
):
    TicketFactory.create_batch(count, creator=user, assignee=None)
    TicketFactory.create(creator=user, assignee=UserFactory.create(is_staff=True))

    # session, user, page count, page rows (assignee joined)
    with django_assert_num_queries(4):
        response = user_client.get("/tickets/")

    assert response.status_code == 200


# --- New ticket ---------------------------------------------------------------------------


def test_new_ticket_form_has_the_three_fields_and_attachments(user_client):
    response = user_client.get("/tickets/new/")

    assert list(response.context["form"].fields) == [
        "title",
        "description",
        "priority",
        "attachments",
    ]
    assert b"<title>New ticket" in response.content


def test_creating_a_ticket_redirects_to_it_with_a_message(user_client, user):
    response = user_client.post(
        "/tickets/new/",
        {"title": "Cannot print", "description": "Nothing comes out.", "priority": "high"},
        follow=True,
    )

    ticket = Ticket.objects.get()
    assert response.redirect_chain == [(ticket.get_absolute_url(), 302)]
    assert ticket.creator == user
    assert ticket.priority == Priority.HIGH
    assert ticket.status == Status.OPEN
    assert f"Ticket #{ticket.pk} created" in response.content.decode()


def test_the_creator_comes_from_the_session_not_the_form(user_client, user, other_user):
    user_client.post(
        "/tickets/new/",
        {
            "title": "Forged",
            "description": "Trying.",
            "priority": "low",
            "creator": other_user.pk,
            "status": "resolved",
            "assignee": other_user.pk,
        },
    )

    ticket = Ticket.objects.get()
    assert ticket.creator == user
    assert ticket.status == Status.OPEN
    assert ticket.assignee is None


def test_missing_fields_are_shown_next_to_the_form(user_client):
    response = user_client.post("/tickets/new/", {"title": "", "priority": "critical"})

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"title", "description", "priority"}
    assert not Ticket.objects.exists()


# --- Ticket page --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title", ["Printer\r\nBcc: everyone@example.com", "Tab\there", "\u202eexe.txt"]
)
def test_a_title_with_a_control_character_is_a_form_error(user_client, title):
    response = user_client.post(
        "/tickets/new/", {"title": title, "description": "Details.", "priority": "normal"}
    )

    assert response.status_code == 200
    assert "Use a single line of plain text" in response.context["form"].errors["title"][0]
    assert not Ticket.objects.exists()


def test_a_line_break_around_a_title_is_trimmed_not_refused(user_client):
    user_client.post(
        "/tickets/new/",
        {"title": "\r\nPrinter on fire\n", "description": "Details.", "priority": "normal"},
    )

    assert Ticket.objects.get().title == "Printer on fire"


def test_ticket_page_shows_the_ticket_conversation_and_history(user_client, ticket, staff_user):
    CommentFactory.create(ticket=ticket, author=staff_user, body="Have you tried water?")
    from tickets import services

    services.update_ticket(ticket=ticket, actor=staff_user, status=Status.PENDING)

    response = user_client.get(ticket.get_absolute_url())

    content = response.content.decode()
    assert "Printer on fire" in content
    assert "Have you tried water?" in content
    assert "changed status" in content
    assert "from <em>Open</em> to <em>Pending</em>" in content
    assert f"<title>#{ticket.pk} Printer on fire" in content


def test_internal_notes_are_hidden_from_the_creator(user_client, ticket):
    InternalNoteFactory.create(ticket=ticket, body="Customer seems confused.")
    CommentFactory.create(ticket=ticket, body="Public reply.")

    response = user_client.get(ticket.get_absolute_url())

    content = response.content.decode()
    assert "Public reply." in content
    assert "Customer seems confused." not in content
    assert "Internal note" not in content
    assert response.context["comments"].rows == [Comment.objects.get(is_internal=False)]


def test_staff_see_internal_notes_and_their_actions(staff_client, ticket):
    InternalNoteFactory.create(ticket=ticket, body="Customer seems confused.")

    response = staff_client.get(ticket.get_absolute_url())

    content = response.content.decode()
    assert "Customer seems confused." in content
    assert "Internal note · staff only" in content
    assert "Staff actions" in content
    assert 'name="is_internal"' in content


def test_customers_see_no_staff_controls(user_client, ticket):
    content = user_client.get(ticket.get_absolute_url()).content.decode()

    assert "Staff actions" not in content
    assert 'name="is_internal"' not in content
    assert reverse("tickets:status", args=[ticket.pk]) not in content


def test_missing_ticket_is_404(user_client):
    response = user_client.get("/tickets/999999/")

    assert response.status_code == 404
    assert b"We couldn't find that" in response.content


def test_other_users_ticket_is_the_same_404(other_user_client, ticket):
    response = other_user_client.get(ticket.get_absolute_url())
    missing = other_user_client.get("/tickets/999999/")

    assert response.status_code == missing.status_code == 404
    assert _without_csrf_tokens(response) == _without_csrf_tokens(missing)


def _without_csrf_tokens(response):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@pytest.mark.parametrize("count", [1, 60])  # 60: more than a page (50) of each
def test_ticket_page_query_count_does_not_grow_with_the_conversation(
    staff_client, ticket, staff_user, django_assert_num_queries, count
):
    from tickets import services

    CommentFactory.create_batch(count, ticket=ticket)
    for _ in range(count):
        services.update_ticket(
            ticket=ticket,
            actor=staff_user,
            status=Status.PENDING if ticket.status == Status.OPEN else Status.OPEN,
        )

    # session, user, ticket (+people), comments (+authors), their attachments, the opening
    # message's attachments, history (+actors), assignable staff, saved replies (canned/),
    # the tickets it follows up or that follow it up (tickets.reopening)
    with django_assert_num_queries(10):
        staff_client.get(ticket.get_absolute_url())


# --- Replies ------------------------------------------------------------------------------


def test_creator_replies_and_is_sent_back_to_the_reply(user_client, ticket):
    response = user_client.post(
        reverse("tickets:comment", args=[ticket.pk]), {"body": "Still on fire."}
    )

    comment = Comment.objects.get()
    assert response.url == f"{ticket.get_absolute_url()}#comment-{comment.pk}"
    assert comment.author == ticket.creator
    assert comment.is_internal is False


def test_a_customer_cannot_forge_an_internal_note(user_client, ticket):
    user_client.post(
        reverse("tickets:comment", args=[ticket.pk]), {"body": "Hidden?", "is_internal": "on"}
    )

    assert Comment.objects.get().is_internal is False


def test_staff_post_an_internal_note(
    staff_client, ticket, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("tickets:comment", args=[ticket.pk]),
            {"body": "Escalate to hardware.", "is_internal": "on"},
            follow=True,
        )

    assert Comment.objects.get().is_internal is True
    assert "Internal note added." in response.content.decode()
    assert mailoutbox == []


def test_public_staff_reply_emails_the_creator(
    staff_client, ticket, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(reverse("tickets:comment", args=[ticket.pk]), {"body": "On our way."})

    (message,) = mailoutbox
    assert message.to == [ticket.creator.email]
    assert "On our way." in message.body


def test_empty_reply_is_a_form_error(user_client, ticket):
    response = user_client.post(reverse("tickets:comment", args=[ticket.pk]), {"body": "  "})

    assert response.status_code == 400
    assert response.context["comment_form"].errors["body"]
    assert not Comment.objects.exists()
