"""Inserting a saved reply on the ticket page without JavaScript: ``?canned=<id>``."""

import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from shared.factories import UserFactory

from canned.models import CannedReply
from tests.factories import TicketFactory
from tickets.models import Comment, Ticket

pytestmark = pytest.mark.django_db

BODY = "Hello {customer_name},\n\nTicket #{ticket_number} is in hand."


@pytest.fixture
def ticket():
    creator = UserFactory.create(username="ada", first_name="Ada", last_name="Lovelace")
    return TicketFactory.create(creator=creator, title="Broken printer")


@pytest.fixture
def reply():
    return CannedReply.objects.create(title="In hand", body=BODY)


def _reply_box(response) -> str:
    return response.context["comment_form"]["body"].value() or ""


def test_staff_get_the_reply_box_filled_for_this_ticket(staff_client, ticket, reply):
    response = staff_client.get(f"/tickets/{ticket.pk}/?canned={reply.pk}")

    expected = f"Hello Ada Lovelace,\n\nTicket #{ticket.pk} is in hand."
    assert response.status_code == 200
    assert _reply_box(response) == expected
    # The textarea itself holds the text (Django's Textarea starts with a newline, dropped by
    # the browser), escaped as HTML like every value.
    textarea = re.search(r'<textarea name="body"[^>]*>\n(.*?)</textarea>', response.text, re.S)
    assert textarea is not None
    assert html.unescape(textarea[1]) == expected
    assert f'<option value="{reply.pk}" data-text="' in response.text


def test_another_tickets_data_never_appears(staff_client, ticket, reply):
    other = TicketFactory.create(
        creator=UserFactory.create(username="grace", first_name="Grace", last_name="Hopper")
    )

    response = staff_client.get(f"/tickets/{ticket.pk}/?canned={reply.pk}")

    assert "Grace" not in response.text
    assert f"#{other.pk} is in hand" not in response.text


@pytest.mark.parametrize(
    "value", ["", "999999", "abc", "1.5", "-1", "%00", "99999999999999999999999999", "٣"]
)
def test_an_unknown_or_garbage_choice_is_ignored(staff_client, ticket, reply, value):
    response = staff_client.get(f"/tickets/{ticket.pk}/", {"canned": value})

    assert response.status_code == 200
    assert _reply_box(response) == ""


def test_a_repeated_choice_uses_the_last_one(staff_client, ticket, reply):
    other = CannedReply.objects.create(title="Other", body="Other text")

    response = staff_client.get(f"/tickets/{ticket.pk}/?canned={reply.pk}&canned={other.pk}")

    assert _reply_box(response) == "Other text"


def test_customers_get_no_picker_and_no_prefill(user_client, user, reply):
    own = TicketFactory.create(creator=user)

    response = user_client.get(f"/tickets/{own.pk}/?canned={reply.pk}")

    assert response.status_code == 200
    assert _reply_box(response) == ""
    assert "Insert a saved reply" not in response.text
    assert "In hand" not in response.text


def test_inserting_changes_nothing(staff_client, ticket, reply):
    before = (
        list(Ticket.objects.values()),
        Comment.objects.count(),
        list(CannedReply.objects.values()),
    )

    staff_client.get(f"/tickets/{ticket.pk}/?canned={reply.pk}")

    after = (
        list(Ticket.objects.values()),
        Comment.objects.count(),
        list(CannedReply.objects.values()),
    )
    assert after == before


def test_without_saved_replies_there_is_no_picker(staff_client, ticket):
    response = staff_client.get(f"/tickets/{ticket.pk}/")

    assert "Insert a saved reply" not in response.text


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("prefill", [False, True])
def test_the_ticket_page_costs_the_same_queries_for_any_number_of_replies(
    staff_client, ticket, prefill
):
    first = CannedReply.objects.create(title="First", body=BODY)
    url = f"/tickets/{ticket.pk}/" + (f"?canned={first.pk}" if prefill else "")
    with_one = _queries(staff_client, url)
    # Session, user, ticket with its people, saved replies, opening attachments, conversation,
    # staff for the assignee field, history, tickets linked by a follow-up.

    CannedReply.objects.bulk_create(CannedReply(title=f"Reply {n}", body=BODY) for n in range(30))

    assert _queries(staff_client, url) == with_one == 9
