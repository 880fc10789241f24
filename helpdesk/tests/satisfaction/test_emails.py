"""The resolution e-mail carries the rating links; following them end to end records a rating."""

import re

import pytest
from django.test import Client

from mail.models import OutboundEmail
from satisfaction.models import Rating, Score
from tests.factories import TicketFactory
from tickets import services as ticket_services
from tickets.models import Status

from .links import csrf_token_of, path_of
from .people import staff_member

pytestmark = pytest.mark.django_db

RATE_LINK = re.compile(r"https://help\.example\.com/rate/[^/\s\"]+/\?score=(?:good|bad)")


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = "https://help.example.com/"


def _resolve(ticket, status=Status.RESOLVED):
    ticket_services.update_ticket(ticket=ticket, actor=staff_member(), status=status)


def _links(text: str) -> dict[str, str]:
    found = RATE_LINK.findall(text)
    return {link.rsplit("=", 1)[1]: link for link in found}


def test_the_resolution_email_carries_a_good_and_a_bad_link_in_both_parts(ticket):
    _resolve(ticket)

    email = OutboundEmail.objects.get()
    text_links = _links(email.body)
    html_links = _links(email.html_body)
    assert sorted(text_links) == ["bad", "good"]
    assert html_links == text_links
    assert f'<a href="{text_links["good"]}">Good</a>' in email.html_body
    assert "How did we do?" in email.body


def test_other_status_changes_carry_no_rating_link(ticket):
    _resolve(ticket, Status.PENDING)

    assert "/rate/" not in OutboundEmail.objects.get().body


def test_a_creator_who_turned_status_changes_off_gets_no_links(ticket, user):
    user.notify_status_change = False
    user.save()

    _resolve(ticket)

    assert not OutboundEmail.objects.exists()


def test_from_the_sent_email_to_a_recorded_rating(
    staff_client, user_client, user, mailoutbox, django_capture_on_commit_callbacks
):
    """Staff resolve on the page; the worker sends the e-mail; its link, followed by a
    logged-out browser, shows the form; only the form's POST records the rating."""
    ticket = TicketFactory.create(creator=user)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(f"/tickets/{ticket.pk}/status/", {"status": "resolved"})
    (message,) = mailoutbox
    good = _links(message.body)["good"]
    html, _ = message.alternatives[0]
    assert good in html

    customer = Client(enforce_csrf_checks=True)
    page = customer.get(path_of(good))
    assert page.status_code == 200
    assert not Rating.objects.exists()

    response = customer.post(
        path_of(good),
        {
            "score": "good",
            "comment": "Quick and kind.",
            "csrfmiddlewaretoken": csrf_token_of(page.content.decode()),
        },
        follow=True,
    )

    assert "Thank you: your rating is recorded." in response.content.decode()
    rating = Rating.objects.get()
    assert (rating.ticket, rating.score, rating.comment, rating.rated_by) == (
        ticket,
        Score.GOOD,
        "Quick and kind.",
        user,
    )

    # The customer writes back: the ticket reopens, the rating goes, the old link is dead.
    user_client.post(f"/tickets/{ticket.pk}/comments/", {"body": "It broke again."})
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert not Rating.objects.exists()
    assert customer.get(path_of(good)).status_code == 404
