"""A ticket page shows its conversation and its history 50 entries at a time, the newest first."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import CommentFactory, InternalNoteFactory
from tickets.conversation import page_number
from tickets.models import Comment, TicketChange

pytestmark = pytest.mark.django_db


def _replies(ticket, count):
    """``count`` public replies, "Reply 000" the oldest, one minute apart."""
    start = timezone.now() - timedelta(days=1)
    for number in range(count):
        reply = CommentFactory.create(ticket=ticket, body=f"Reply {number:03}")
        Comment.objects.filter(pk=reply.pk).update(created_at=start + timedelta(minutes=number))


def _shown(response):
    return [comment.body for comment in response.context["comments"].rows]


def _changes(ticket, actor, count):
    """``count`` priority changes, one minute apart, the oldest first."""
    start = timezone.now() - timedelta(days=1)
    return TicketChange.objects.bulk_create(
        TicketChange(
            ticket=ticket,
            actor=actor,
            field="priority",
            old_value="low" if number % 2 else "high",
            new_value="high" if number % 2 else "low",
            created_at=start + timedelta(minutes=number),
        )
        for number in range(count)
    )


# --- Page numbers ---------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "page"), [("1", 1), ("2", 2), ("1000000", 1_000_000)])
def test_a_page_number_is_a_plain_number_up_to_a_million(raw, page):
    assert page_number(raw) == page


@pytest.mark.parametrize(
    "raw", [None, "", "0", "-1", "+2", " 2", "2.0", "02", "1_0", "٣", "1000001", str(2**64), "x"]
)
def test_anything_a_page_link_never_writes_is_the_newest_page(raw):
    assert page_number(raw) == 1


# --- The conversation -----------------------------------------------------------------------


def test_the_page_shows_the_newest_50_replies_oldest_first_and_links_the_earlier_ones(
    staff_client, ticket
):
    _replies(ticket, 120)

    response = staff_client.get(ticket.get_absolute_url())

    assert _shown(response) == [f"Reply {number:03}" for number in range(70, 120)]
    content = response.content.decode()
    assert 'href="?messages=2#conversation-title" rel="prev">Earlier messages</a>' in content
    assert "Later messages" not in content


def test_earlier_pages_step_back_fifty_replies_at_a_time_to_the_first(staff_client, ticket):
    _replies(ticket, 120)
    url = ticket.get_absolute_url()

    second = staff_client.get(f"{url}?messages=2")
    third = staff_client.get(f"{url}?messages=3")

    assert _shown(second) == [f"Reply {number:03}" for number in range(20, 70)]
    assert _shown(third) == [f"Reply {number:03}" for number in range(20)]
    assert 'href="?messages=3#conversation-title" rel="prev"' in second.content.decode()
    third_page = third.content.decode()
    assert "Earlier messages" not in third_page
    assert 'href="?messages=2#conversation-title" rel="next">Later messages</a>' in third_page
    assert '<a href="?#reply">Newest messages</a>' in third_page


def test_a_page_past_the_first_reply_says_so_and_links_the_newest(staff_client, ticket):
    _replies(ticket, 3)

    response = staff_client.get(f"{ticket.get_absolute_url()}?messages=2")

    assert response.status_code == 200
    assert _shown(response) == []
    content = response.content.decode()
    assert "No earlier messages." in content
    assert "No replies yet." not in content
    assert '<a href="?#reply">Newest messages</a>' in content


@pytest.mark.parametrize("raw", ["0", "-1", "abc", str(2**64)])
def test_a_junk_page_number_shows_the_newest_replies(staff_client, ticket, raw):
    _replies(ticket, 60)

    response = staff_client.get(f"{ticket.get_absolute_url()}?messages={raw}")

    assert response.status_code == 200
    assert _shown(response)[-1] == "Reply 059"


def test_a_customers_pages_count_only_the_replies_they_may_read(user_client, ticket):
    _replies(ticket, 10)
    InternalNoteFactory.create_batch(60, ticket=ticket)

    response = user_client.get(ticket.get_absolute_url())

    assert _shown(response) == [f"Reply {number:03}" for number in range(10)]
    assert "Earlier messages" not in response.content.decode()


def test_a_reply_lands_on_the_newest_page_where_its_anchor_is(user_client, ticket):
    _replies(ticket, 60)

    response = user_client.post(f"{ticket.get_absolute_url()}comments/", {"body": "Any news?"})
    page = user_client.get(response.url.split("#")[0])

    assert f'id="{response.url.split("#")[1]}"' in page.content.decode()


# --- The history ----------------------------------------------------------------------------


def test_the_history_shows_its_newest_50_changes_and_pages_apart_from_the_replies(
    staff_client, ticket, staff_user
):
    changes = _changes(ticket, staff_user, 60)
    _replies(ticket, 60)
    url = ticket.get_absolute_url()

    newest = staff_client.get(url)
    earlier = staff_client.get(f"{url}?messages=2&history=2")

    assert [change.pk for change in newest.context["history"].rows] == [
        change.pk for change in changes[10:]
    ]
    assert 'href="?history=2#history-title" rel="prev">Earlier changes</a>' in (
        newest.content.decode()
    )
    assert [change.pk for change in earlier.context["history"].rows] == [
        change.pk for change in changes[:10]
    ]
    # Each list keeps the other's page in its links.
    assert 'href="?messages=2&amp;history=1#history-title" rel="next">Later changes' in (
        earlier.content.decode()
    )
    assert _shown(earlier) == [f"Reply {number:03}" for number in range(10)]


# --- The admin's inlines --------------------------------------------------------------------


def _admin_rows(response):
    return {
        f.formset.prefix: [form.instance.pk for form in f.formset.forms]
        for f in response.context["inline_admin_formsets"]
    }


def test_the_ticket_admin_shows_the_newest_50_replies_and_changes_newest_first(
    superuser_client, ticket, superuser
):
    _replies(ticket, 60)
    changes = _changes(ticket, superuser, 60)

    response = superuser_client.get(reverse("admin:tickets_ticket_change", args=[ticket.pk]))

    rows = _admin_rows(response)
    newest_replies = Comment.objects.filter(ticket=ticket).order_by("-created_at", "-pk")[:50]
    assert rows["comments"] == [reply.pk for reply in newest_replies]
    assert rows["history"] == [change.pk for change in reversed(changes[10:])]
    content = response.content.decode()
    assert "Reply 059" in content
    assert "Reply 009" not in content


def test_the_ticket_admin_reads_the_same_queries_for_1_and_600_replies(superuser_client, ticket):
    url = reverse("admin:tickets_ticket_change", args=[ticket.pk])
    counted = []
    for total, shown in ((1, 1), (600, 50)):
        _replies(ticket, total - ticket.comments.count())
        superuser_client.get(url)  # the session and the admin's caches settle
        with CaptureQueriesContext(connection) as queries:
            response = superuser_client.get(url)
        counted.append(len(queries))
        assert len(_admin_rows(response)["comments"]) == shown

    assert counted[0] == counted[1]
