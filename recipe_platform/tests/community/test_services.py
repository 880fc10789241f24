"""Ratings, comments and favourites as the services write them, with their totals."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from community import services
from community.models import Comment, Favourite, Rating
from recipes.models import Recipe

pytestmark = pytest.mark.django_db


def test_the_average_and_count_follow_every_rating(recipe, cooks):
    for cook, stars in zip(cooks[:3], [5, 4, 4], strict=True):
        services.rate(recipe=recipe, user=cook, stars=stars)

    recipe.refresh_from_db()
    assert (recipe.rating_count, recipe.rating_total, recipe.rating_average) == (
        3,
        13,
        Decimal("4.33"),
    )


def test_rating_again_replaces_the_stars_and_never_adds_a_second_rating(recipe, cooks):
    services.rate(recipe=recipe, user=cooks[0], stars=1)
    services.rate(recipe=recipe, user=cooks[0], stars=5)

    assert Rating.objects.filter(recipe=recipe).count() == 1
    recipe.refresh_from_db()
    assert (recipe.rating_count, recipe.rating_average) == (1, Decimal("5.00"))


def test_a_half_star_average_is_kept_to_two_places(recipe, cooks):
    services.rate(recipe=recipe, user=cooks[0], stars=4)
    services.rate(recipe=recipe, user=cooks[1], stars=5)

    recipe.refresh_from_db()
    assert recipe.rating_average == Decimal("4.50")


def test_nobody_rates_their_own_recipe(recipe, user):
    with pytest.raises(ValidationError, match=r"You cannot rate your own recipe\."):
        services.rate(recipe=recipe, user=user, stars=5)

    assert not Rating.objects.exists()
    with pytest.raises(ValidationError):
        Rating(recipe=recipe, user=user, stars=5).full_clean()


@pytest.mark.parametrize("stars", [0, 6])
def test_the_database_refuses_stars_out_of_range(recipe, cooks, stars):
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(recipe=recipe, user=cooks[0], stars=stars)


def test_the_database_refuses_a_second_rating_by_the_same_cook(recipe, cooks):
    Rating.objects.create(recipe=recipe, user=cooks[0], stars=3)

    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(recipe=recipe, user=cooks[0], stars=4)


@pytest.mark.parametrize(
    "totals",
    [
        {"rating_count": 1, "rating_total": 6, "rating_average": 5},
        {"rating_count": 2, "rating_total": 1, "rating_average": 1},
        {"rating_count": 0, "rating_total": 0, "rating_average": 3},
        {"rating_count": 1, "rating_total": 5, "rating_average": Decimal("5.01")},
        {"rating_count": 1, "rating_total": 1, "rating_average": Decimal("0.50")},
    ],
)
def test_the_database_refuses_totals_that_cannot_be(recipe, totals):
    with pytest.raises(IntegrityError), transaction.atomic():
        Recipe.objects.filter(pk=recipe.pk).update(**totals)


def test_hiding_a_comment_records_who_and_when_and_lowers_the_count(recipe, user, cooks):
    kept = services.add_comment(recipe=recipe, author=cooks[0], body="Lovely.")
    hidden = services.add_comment(recipe=recipe, author=cooks[1], body="Spam spam.")
    recipe.refresh_from_db()
    assert recipe.comment_count == 2

    assert services.hide_comment(comment=hidden, moderator=user) is True
    assert services.hide_comment(comment=hidden, moderator=user) is False

    hidden.refresh_from_db()
    assert hidden.hidden_by == user
    assert hidden.hidden_at is not None
    assert list(Comment.objects.visible()) == [kept]
    recipe.refresh_from_db()
    assert recipe.comment_count == 1


def test_a_hider_implies_a_moment_in_the_database(recipe, user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(recipe=recipe, author=user, body="x", hidden_by=user)


def test_saving_a_favourite_twice_keeps_one_and_removing_it_is_idempotent(recipe, cooks):
    services.save_favourite(recipe=recipe, user=cooks[0])
    services.save_favourite(recipe=recipe, user=cooks[0])
    assert Favourite.objects.count() == 1

    services.remove_favourite(recipe=recipe, user=cooks[0])
    services.remove_favourite(recipe=recipe, user=cooks[0])
    assert not Favourite.objects.exists()


def test_the_database_refuses_a_duplicate_favourite(recipe, cooks):
    Favourite.objects.create(recipe=recipe, user=cooks[0])

    with pytest.raises(IntegrityError), transaction.atomic():
        Favourite.objects.create(recipe=recipe, user=cooks[0])


def test_deleting_a_recipe_takes_its_ratings_comments_and_favourites(recipe, cooks):
    services.rate(recipe=recipe, user=cooks[0], stars=4)
    services.add_comment(recipe=recipe, author=cooks[0], body="Yum.")
    services.save_favourite(recipe=recipe, user=cooks[0])

    recipe.delete()

    for model in (Rating, Comment, Favourite):
        assert not model.objects.exists()


def test_staff_hide_comments_from_the_admin_with_the_audit(superuser_client, recipe, cooks):
    comment = services.add_comment(recipe=recipe, author=cooks[0], body="Buy my pills")

    response = superuser_client.post(
        "/admin/community/comment/",
        {"action": "hide", "_selected_action": [comment.pk]},
        follow=True,
    )

    assert b"1 comment hidden." in response.content
    comment.refresh_from_db()
    assert comment.hidden_by is not None
    assert comment.hidden_by.is_superuser
    recipe.refresh_from_db()
    assert recipe.comment_count == 0
    hidden_list = superuser_client.get("/admin/community/comment/?hidden=yes")
    assert list(hidden_list.context["cl"].result_list) == [comment]


def test_the_database_refuses_a_comment_longer_than_two_thousand_characters(recipe, cooks):
    Comment.objects.create(recipe=recipe, author=cooks[0], body="x" * 2000)

    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(recipe=recipe, author=cooks[0], body="x" * 2001)
