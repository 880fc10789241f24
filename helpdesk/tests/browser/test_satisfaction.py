"""A customer follows a rating link from the e-mail, logged out, in a real browser."""

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from shared.browser import assert_accessible

from satisfaction.models import Rating, Score
from satisfaction.tokens import make_token
from tests.factories import TicketFactory
from tickets.models import Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_logged_out_customer_confirms_a_rating_with_a_comment(live_server, page, user):
    ticket = TicketFactory.create(
        creator=user, title="Printer on fire", status=Status.RESOLVED, resolved_at=timezone.now()
    )
    url = live_server.url + reverse("satisfaction:rate", kwargs={"token": make_token(ticket)})

    page.goto(f"{url}?score=bad")

    expect(page.get_by_role("heading", name="How did we do?")).to_be_visible()
    expect(page.get_by_label("Bad")).to_be_checked()
    assert not Rating.objects.exists()  # opening the page is not a vote
    assert_accessible(page)

    # The browser stops typing at the field's maxlength; the server's rule is what is tested.
    page.get_by_label("Comment (optional)").evaluate("box => box.removeAttribute('maxlength')")
    page.get_by_label("Comment (optional)").fill("x" * 2001)
    page.get_by_role("button", name="Send my rating").click()
    expect(page.get_by_text("Ensure this value has at most 2000 characters")).to_be_visible()
    assert not Rating.objects.exists()
    assert_accessible(page)

    page.get_by_label("Comment (optional)").fill("Fixed, but it took three days.")
    page.get_by_role("button", name="Send my rating").click()

    expect(page.get_by_text("Thank you: your rating is recorded.")).to_be_visible()
    expect(page.get_by_text("is already rated")).to_be_visible()
    assert_accessible(page)
    rating = Rating.objects.get()
    assert (rating.score, rating.comment) == (Score.BAD, "Fixed, but it took three days.")
