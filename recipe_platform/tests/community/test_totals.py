"""A recipe's rating and comment totals live on its own row and stay right on every path that
changes a rating or a comment: the services, a deletion in the admin, the cascade of deleting
a user, and an edit of the recipe made from a copy read before someone rated it."""

from decimal import Decimal

import pytest

from community import services
from community.models import Comment, Rating
from recipes.models import Recipe
from tests.community.conftest import make_user

pytestmark = pytest.mark.django_db


def _totals(recipe: Recipe) -> tuple[int, int, Decimal, int]:
    recipe.refresh_from_db()
    return recipe.rating_count, recipe.rating_total, recipe.rating_average, recipe.comment_count


def test_a_new_recipe_has_no_ratings_and_no_comments(recipe):
    assert _totals(recipe) == (0, 0, Decimal("0.00"), 0)


def test_rating_and_changing_a_rating_move_the_totals(recipe, cooks):
    services.rate(recipe=recipe, user=cooks[0], stars=2)
    services.rate(recipe=recipe, user=cooks[1], stars=5)
    assert _totals(recipe)[:3] == (2, 7, Decimal("3.50"))

    services.rate(recipe=recipe, user=cooks[0], stars=4)

    assert _totals(recipe)[:3] == (2, 9, Decimal("4.50"))


def test_deleting_a_rating_recounts_the_recipe(recipe, cooks):
    services.rate(recipe=recipe, user=cooks[0], stars=2)
    services.rate(recipe=recipe, user=cooks[1], stars=5)

    Rating.objects.get(user=cooks[1]).delete()

    assert _totals(recipe)[:3] == (1, 2, Decimal("2.00"))


def test_deleting_the_last_rating_makes_the_recipe_unrated_again(recipe, cooks):
    services.rate(recipe=recipe, user=cooks[0], stars=3)

    Rating.objects.all().delete()

    assert _totals(recipe)[:3] == (0, 0, Decimal("0.00"))


def test_deleting_a_user_recounts_the_recipes_they_rated_and_commented_on(recipe, cooks):
    leaving = cooks[0]
    services.rate(recipe=recipe, user=leaving, stars=1)
    services.rate(recipe=recipe, user=cooks[1], stars=5)
    services.add_comment(recipe=recipe, author=leaving, body="Meh.")
    services.add_comment(recipe=recipe, author=cooks[1], body="Great.")

    leaving.delete()

    assert _totals(recipe) == (1, 5, Decimal("5.00"), 1)


def test_deleting_a_rating_in_the_admin_recounts_the_recipe(superuser_client, recipe, cooks):
    services.rate(recipe=recipe, user=cooks[0], stars=1)
    services.rate(recipe=recipe, user=cooks[1], stars=4)
    rating = Rating.objects.get(user=cooks[0])

    response = superuser_client.post(
        "/admin/community/rating/",
        {"action": "delete_selected", "_selected_action": [rating.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert _totals(recipe)[:3] == (1, 4, Decimal("4.00"))


def test_deleting_a_comment_in_the_admin_recounts_the_recipe(superuser_client, recipe, cooks):
    comment = services.add_comment(recipe=recipe, author=cooks[0], body="Spam")
    services.add_comment(recipe=recipe, author=cooks[1], body="Nice")

    response = superuser_client.post(
        f"/admin/community/comment/{comment.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert _totals(recipe)[3] == 1


def test_deleting_a_rated_recipe_takes_its_ratings_without_recounting_it(
    recipe, cooks, django_assert_max_num_queries
):
    for cook in cooks:
        services.rate(recipe=recipe, user=cook, stars=4)

    # The recipe's own deletion: five ratings gone, and no recount of the recipe going with them.
    with django_assert_max_num_queries(25) as queries:
        recipe.delete()

    assert not Rating.objects.exists()
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert not [sql for sql in updates if "rating_total" in sql]


def test_an_edit_saved_from_an_old_copy_keeps_the_totals_made_meanwhile(recipe, cooks):
    """The cook's edit form loaded the recipe before a neighbour rated it."""
    stale = Recipe.objects.get(pk=recipe.pk)
    services.rate(recipe=recipe, user=cooks[0], stars=5)
    services.add_comment(recipe=recipe, author=cooks[0], body="Lovely.")

    stale.title = "Red lentil soup"
    stale.save()

    assert _totals(recipe) == (1, 5, Decimal("5.00"), 1)
    assert recipe.title == "Red lentil soup"


def test_every_total_matches_a_recount_after_many_changes(recipe, cooks):
    """The invariant itself: what the row says is what the tables say."""
    for n, cook in enumerate(cooks):
        services.rate(recipe=recipe, user=cook, stars=n % 5 + 1)
        services.add_comment(recipe=recipe, author=cook, body=f"Comment {n}")
    services.rate(recipe=recipe, user=cooks[0], stars=5)
    services.hide_comment(comment=Comment.objects.earliest("id"), moderator=make_user())
    cooks[1].delete()
    Rating.objects.filter(user=cooks[2]).delete()

    stars = list(Rating.objects.filter(recipe=recipe).values_list("stars", flat=True))
    visible = Comment.objects.visible().filter(recipe=recipe).count()
    count, total, average, comments = _totals(recipe)
    assert (count, total, comments) == (len(stars), sum(stars), visible)
    assert average == (Decimal(sum(stars)) / len(stars)).quantize(Decimal("0.01"))
