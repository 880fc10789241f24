"""Ratings in the admin: readable by staff with the permission, never written there."""

import pytest

from satisfaction.models import Rating, Score

pytestmark = pytest.mark.django_db


@pytest.fixture
def rating(resolved_ticket):
    return Rating.objects.create(
        ticket=resolved_ticket,
        score=Score.GOOD,
        comment="Thanks!",
        rated_by=resolved_ticket.creator,
    )


def test_the_list_shows_ratings_with_a_score_filter(superuser_client, rating):
    response = superuser_client.get("/admin/satisfaction/rating/?score__exact=good")

    assert response.status_code == 200
    assert f"#{rating.ticket_id} Printer on fire" in response.content.decode()


def test_a_rating_is_shown_read_only(superuser_client, rating):
    response = superuser_client.get(f"/admin/satisfaction/rating/{rating.pk}/change/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "Thanks!" in content
    assert 'name="comment"' not in content
    assert 'name="_save"' not in content


def test_ratings_cannot_be_added_changed_or_deleted_in_the_admin(superuser_client, rating):
    assert superuser_client.get("/admin/satisfaction/rating/add/").status_code == 403
    superuser_client.post(
        f"/admin/satisfaction/rating/{rating.pk}/change/", {"score": "bad", "comment": "Forged."}
    )
    assert (
        superuser_client.post(f"/admin/satisfaction/rating/{rating.pk}/delete/").status_code == 403
    )

    rating.refresh_from_db()
    assert (rating.score, rating.comment) == (Score.GOOD, "Thanks!")
