"""The demo data shows ratings: good and bad, with a comment on the ticket page."""

import pytest
from django.core.management import call_command

from satisfaction.models import Rating, Score

pytestmark = pytest.mark.django_db


def test_the_demo_has_good_and_bad_ratings_and_a_comment(client):
    call_command("load_demo_data", stdout=None)

    assert set(Rating.objects.values_list("score", flat=True)) == {Score.GOOD, Score.BAD}
    alices = Rating.objects.get(ticket__title="Export to CSV times out")
    assert alices.comment.startswith("Fixed the same day")
    assert alices.rated_by is not None
    assert alices.rated_by.username == "alice"

    client.force_login(alices.rated_by)
    content = client.get(alices.ticket.get_absolute_url()).content.decode()
    assert "Your rating" in content
    assert "Fixed the same day" in content
