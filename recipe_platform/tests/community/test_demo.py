"""The demo shows ratings, comments (one hidden by its recipe's author) and favourites."""

import pytest
from django.core.management import call_command
from django.db.models import F

from community.models import Comment, Favourite, Rating
from demo.community import HIDDEN_COMMENT
from recipes.models import Recipe

pytestmark = pytest.mark.django_db


def test_the_demo_has_ratings_comments_and_favourites_and_loads_twice():
    call_command("load_demo_data")
    counts = [model.objects.count() for model in (Rating, Comment, Favourite)]

    call_command("load_demo_data")

    assert [model.objects.count() for model in (Rating, Comment, Favourite)] == counts
    assert all(count > 0 for count in counts)
    assert Recipe.objects.filter(rating_count__gt=0, comment_count__gt=0).exists()
    assert not Rating.objects.filter(user=F("recipe__author")).exists()  # never one's own
    assert Favourite.objects.filter(user__username="cook").exists()
    hidden = Comment.objects.get(body=HIDDEN_COMMENT)
    assert hidden.hidden_by is not None
    assert hidden.hidden_by.username == "cook"
    assert hidden.recipe.author.username == "cook"
