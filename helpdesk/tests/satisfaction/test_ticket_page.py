"""The ticket page shows the rating to staff and to the customer whose ticket it is, nobody else."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from satisfaction.models import Rating, Score
from tests.factories import TicketFactory
from tickets.models import Status

pytestmark = pytest.mark.django_db


def _rate(ticket, score=Score.BAD, comment="Took <b>three</b> days."):
    return Rating.objects.create(
        ticket=ticket, score=score, comment=comment, rated_by_id=ticket.creator_id
    )


def test_staff_see_the_customers_rating_and_comment(staff_client, resolved_ticket):
    _rate(resolved_ticket)

    content = staff_client.get(resolved_ticket.get_absolute_url()).content.decode()

    assert "Customer's rating" in content
    assert '<span class="badge badge-bad">Bad</span>' in content
    assert "Took &lt;b&gt;three&lt;/b&gt; days." in content


def test_the_customer_sees_their_own_rating(user_client, resolved_ticket):
    _rate(resolved_ticket, Score.GOOD, comment="")

    content = user_client.get(resolved_ticket.get_absolute_url()).content.decode()

    assert "Your rating" in content
    assert '<span class="badge badge-good">Good</span>' in content
    assert "No comment." in content


def test_a_ticket_without_a_rating_shows_no_rating_card(user_client, resolved_ticket):
    content = user_client.get(resolved_ticket.get_absolute_url()).content.decode()

    assert "rating-card" not in content


def test_another_customer_never_sees_the_rating(other_user_client, other_user, resolved_ticket):
    _rate(resolved_ticket, comment="Secret complaint.")
    their_own = TicketFactory.create(creator=other_user, status=Status.RESOLVED)

    assert other_user_client.get(resolved_ticket.get_absolute_url()).status_code == 404
    content = other_user_client.get(their_own.get_absolute_url()).content.decode()
    assert "Secret complaint." not in content
    assert "rating-card" not in content


def test_one_tickets_rating_is_not_shown_on_another_ticket(staff_client, resolved_ticket):
    _rate(resolved_ticket, comment="About the printer.")
    other = TicketFactory.create(creator=resolved_ticket.creator, status=Status.RESOLVED)
    _rate(other, Score.GOOD, comment="About the VPN.")

    content = staff_client.get(other.get_absolute_url()).content.decode()

    assert "About the VPN." in content
    assert "About the printer." not in content


def test_the_rating_costs_the_ticket_page_no_query(
    staff_client, resolved_ticket, django_assert_num_queries
):
    """The rating is joined to the ticket's own query: a rated page costs what an unrated one
    does."""
    unrated = TicketFactory.create(creator=resolved_ticket.creator, status=Status.RESOLVED)
    _rate(resolved_ticket)
    staff_client.get(unrated.get_absolute_url())  # warm the session and caches

    with CaptureQueriesContext(connection) as unrated_queries:
        staff_client.get(unrated.get_absolute_url())
    with django_assert_num_queries(len(unrated_queries)):
        staff_client.get(resolved_ticket.get_absolute_url())
