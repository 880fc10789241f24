"""Recipe cards (``recipes.cards``): built once per page, they print what the recipe itself
would, and cost one ``reverse()`` per kind of link and one query per page, whatever the rows."""

from decimal import Decimal
from unittest import mock

import pytest
from django.template.defaultfilters import truncatechars
from django.urls import clear_script_prefix, reverse, set_script_prefix
from django.utils.text import Truncator
from pytest_django.asserts import assertContains

from recipes.cards import Card, _description, card_html, cards
from recipes.models import Recipe
from tests.factories import CategoryFactory, RecipeFactory

pytestmark = pytest.mark.django_db


def _loaded(*recipes: Recipe) -> list[Recipe]:
    """The recipes as a list page loads them."""
    return list(Recipe.objects.for_cards().filter(pk__in=[r.pk for r in recipes]).order_by("pk"))


def test_a_card_links_the_recipe_and_its_categories_as_they_link_themselves():
    zesty, aromatic = CategoryFactory.create(name="Zesty"), CategoryFactory.create(name="Aromatic")
    recipe = RecipeFactory.create(categories=[zesty, aromatic])

    [card] = cards(_loaded(recipe))

    assert card["url"] == recipe.get_absolute_url()
    assert card["categories"] == [  # by name, as Category's ordering has it
        {"name": "Aromatic", "url": aromatic.get_absolute_url()},
        {"name": "Zesty", "url": zesty.get_absolute_url()},
    ]


def test_card_links_keep_the_script_prefix_the_site_is_served_under():
    category = CategoryFactory.create()
    recipe = RecipeFactory.create(categories=[category])
    set_script_prefix("/kitchen/")
    try:
        [card] = cards(_loaded(recipe))
        assert card["url"] == f"/kitchen/recipes/{recipe.slug}/" == recipe.get_absolute_url()
        assert card["categories"][0]["url"] == category.get_absolute_url()
    finally:
        clear_script_prefix()


def test_a_card_prints_what_the_recipe_and_the_filters_would(settings):
    recipe = RecipeFactory.create(
        photo=True, description="Slow-cooked. " * 20, prep_minutes=30, cook_minutes=60, servings=6
    )
    Recipe.objects.filter(pk=recipe.pk).update(
        rating_count=2, rating_total=9, rating_average=Decimal("4.50"), comment_count=1
    )
    recipe.refresh_from_db()

    [card] = cards(_loaded(recipe))

    assert card["title"] == recipe.title
    assert card["description"] == truncatechars(recipe.description, 140)
    assert card["description"].endswith("…")
    assert card["duration"] == "1 h 30 min"
    assert card["servings"] == "6"
    assert card["author"] == recipe.author.username
    assert (card["rating_average"], card["ratings_label"]) == ("4.5", "2 ratings")
    assert card["comments_label"] == "1 comment"
    assert card["photo"] == {
        "src": recipe.thumbnail.url,
        "srcset": recipe.image_srcset,
        "width": str(recipe.thumbnail_width),
        "height": str(recipe.thumbnail_height),
        "alt": recipe.image_alt,
    }


@pytest.mark.parametrize(
    ("ratings", "comments", "average", "ratings_label", "comments_label"),
    [(0, 0, "", "0 ratings", ""), (1, 3, "5.0", "1 rating", "3 comments")],
)
def test_a_card_without_ratings_or_comments_says_so(
    ratings, comments, average, ratings_label, comments_label
):
    recipe = RecipeFactory.create()
    Recipe.objects.filter(pk=recipe.pk).update(
        rating_count=ratings,
        rating_total=5 * ratings,
        rating_average=Decimal(5 if ratings else 0),
        comment_count=comments,
    )

    [card] = cards(_loaded(recipe))

    assert (card["rating_average"], card["ratings_label"]) == (average, ratings_label)
    assert card["comments_label"] == comments_label
    assert card["photo"] is None


def test_a_page_of_cards_costs_one_query_and_compact_cards_none(django_assert_num_queries):
    category = CategoryFactory.create()
    recipes = _loaded(*(RecipeFactory.create(categories=[category]) for _ in range(5)))

    with django_assert_num_queries(1):  # the categories of all five
        full = cards(recipes)
    with django_assert_num_queries(0):
        compact = cards(recipes, compact=True)

    assert [len(card["categories"]) for card in full] == [1] * 5
    assert [set(card) for card in compact] == [{"url", "slug", "title", "photo"}] * 5


@pytest.mark.parametrize("rows", [1, 12])
def test_the_list_reverses_each_kind_of_link_once_whatever_the_cards(client, rows):
    categories = [CategoryFactory.create(), CategoryFactory.create()]
    for _ in range(rows):
        RecipeFactory.create(categories=categories)

    with mock.patch("recipes.cards.reverse", wraps=reverse) as reversed_urls:
        response = client.get("/recipes/")

    assertContains(response, '<article class="card">', count=rows)
    assert sorted(call.args[0] for call in reversed_urls.call_args_list) == [
        "recipes:detail",
        "recipes:list",
    ]


# --- The card's markup (recipes.cards.card_html, the {% card %} tag) ------------------------

HOSTILE = "<script>alert(\"x\")</script> & 'quoted'"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;quoted&#x27;"


def _card(**overrides):
    card = {
        "url": "/recipes/soup/",
        "slug": "soup",
        "title": "Soup",
        "photo": {
            "src": "/media/t.webp",
            "srcset": "/media/t.webp 400w, /media/m.webp 800w",
            "width": "400",
            "height": "300",
            "alt": "A bowl",
        },
        "description": "Warm.",
        "duration": "45 min",
        "servings": "4",
        "author": "cook",
        "rating_average": "4.5",
        "ratings_label": "2 ratings",
        "comments_label": "1 comment",
        "categories": [{"name": "Soup", "url": "/recipes/?category=soup"}],
    }
    return {**card, **overrides}


def test_every_text_of_a_card_is_escaped():
    photo = {"src": HOSTILE, "srcset": HOSTILE, "width": HOSTILE, "height": HOSTILE, "alt": HOSTILE}
    hostile = _card(
        url=HOSTILE,
        title=HOSTILE,
        photo=photo,
        description=HOSTILE,
        duration=HOSTILE,
        servings=HOSTILE,
        author=HOSTILE,
        rating_average=HOSTILE,
        ratings_label=HOSTILE,
        comments_label=HOSTILE,
        categories=[{"name": HOSTILE, "url": HOSTILE}],
    )

    html = card_html(hostile)

    assert "<script>" not in html
    assert html.count(ESCAPED) == 16  # each of the sixteen texts above


def test_a_full_card_shows_its_photo_title_details_and_categories():
    html = card_html(_card())

    assert html.startswith('<article class="card"><a class="card-link" href="/recipes/soup/">')
    assert 'alt="A bowl" loading="lazy" decoding="async">' in html
    assert '<h2 class="card-title">Soup</h2>' in html
    assert '<p class="card-text">Warm.</p>' in html
    assert "<span>Serves 4</span><span>by cook</span>" in html
    assert '★ 4.5<span class="muted"> (2 ratings)</span>' in html
    assert "<span>1 comment</span>" in html
    assert '<li><a href="/recipes/?category=soup">Soup</a></li>' in html


def test_a_card_without_photo_rating_comments_or_categories_says_so_and_omits_them():
    html = card_html(
        _card(photo=None, description="", rating_average="", comments_label="", categories=[])
    )

    assert '<div class="card-image card-image-empty" role="img" aria-label="No photo yet">' in html
    assert '<span class="muted">Not rated yet</span>' in html
    assert "card-text" not in html
    assert "comment" not in html
    assert "tags" not in html


def test_a_compact_card_is_its_photo_and_title_under_the_heading_level_asked():
    compact: Card = {"url": "/recipes/soup/", "slug": "soup", "title": "Soup", "photo": None}

    html = card_html(compact, compact=True, heading_level=3)

    assert '<h3 class="card-title">Soup</h3></a></article>' in html
    assert "card-meta" not in html


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Short and sweet.",
        "x" * 139,
        "x" * 140,
        "x" * 141,
        "A long description of a stew. " * 9,
        # Decomposed accents: Django returns them composed (NFC), short or long.
        "Cr\u00e8me bru\u0302le\u0301e",
        "e\u0301" * 100,
        # Combining marks with no composed form count for nothing in Django's length.
        "a\u0323\u0302\u0307" * 60,
        "🍲 " * 80,
        "é" * 139 + "e\u0301e\u0301",
    ],
)
def test_a_cards_description_is_djangos_truncation_of_it(text):
    assert _description(text) == Truncator(text).chars(140)
