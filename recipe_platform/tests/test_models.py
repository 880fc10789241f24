import pytest
from django.db import IntegrityError, transaction
from shared.factories import UserFactory

from recipes.models import Category, Ingredient, Recipe
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db

DEFAULT_CATEGORIES = {
    "Vegetarian",
    "Vegan",
    "Dessert",
    "Breakfast",
    "Main course",
    "Soup",
    "Salad",
}


def test_a_fresh_database_has_the_seven_default_categories():
    assert set(Category.objects.values_list("name", flat=True)) == DEFAULT_CATEGORIES


def test_a_category_links_to_the_filtered_list(categories):
    assert categories["dessert"].get_absolute_url() == "/recipes/?category=dessert"
    assert str(categories["dessert"]) == "Dessert"


def test_a_recipe_lives_at_its_slug():
    recipe = RecipeFactory.create(slug="pancakes", title="Pancakes")

    assert recipe.get_absolute_url() == "/recipes/pancakes/"
    assert str(recipe) == "Pancakes"


def test_free_slug_is_made_from_the_title():
    assert Recipe.objects.free_slug("Crème Brûlée, the easy way!") == "creme-brulee-the-easy-way"


def test_free_slug_adds_a_suffix_when_the_slug_is_taken():
    RecipeFactory.create(slug="pancakes")
    RecipeFactory.create(slug="pancakes-2")
    RecipeFactory.create(slug="pancakes-with-jam")

    assert Recipe.objects.free_slug("Pancakes") == "pancakes-3"


def test_free_slug_never_shadows_a_page_under_recipes():
    assert Recipe.objects.free_slug("New") == "new-recipe"
    assert Recipe.objects.free_slug("Mine") == "mine-recipe"


def test_free_slug_falls_back_for_titles_without_latin_letters():
    assert Recipe.objects.free_slug("寿司") == "recipe"


def test_free_slug_fits_the_field_even_for_a_very_long_title():
    slug = Recipe.objects.free_slug("a" * 300)

    max_length = Recipe._meta.get_field("slug").max_length
    assert max_length is not None
    assert len(slug) <= max_length


def test_ingredients_are_rows_in_their_order_one_per_non_blank_line():
    recipe = RecipeFactory.create(ingredients="  200 g flour \n\n2 eggs\r\n   \n300 ml milk")

    assert recipe.ingredient_list == ["200 g flour", "2 eggs", "300 ml milk"]
    assert [row.position for row in recipe.ingredients.all()] == [1, 2, 3]


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"item": ""}, "ingredient_has_item"),
        (
            {"quantity_numerator": 0, "quantity_denominator": 1},
            "ingredient_quantity_is_positive_fraction",
        ),
        (
            {"quantity_numerator": 1, "quantity_denominator": None},
            "ingredient_quantity_is_positive_fraction",
        ),
        (
            {
                "quantity_numerator": 3,
                "quantity_denominator": 1,
                "quantity_max_numerator": 5,
                "quantity_max_denominator": 2,
            },
            "ingredient_range_is_increasing",
        ),
        (
            {"quantity_max_numerator": 3, "quantity_max_denominator": 1},
            "ingredient_range_is_increasing",
        ),
    ],
)
def test_the_database_refuses_an_impossible_ingredient_row(fields, constraint):
    recipe = RecipeFactory.create(ingredients="")

    with (
        pytest.raises(IntegrityError, match=constraint),
        transaction.atomic(),
    ):
        Ingredient.objects.create(recipe=recipe, position=1, **{"item": "eggs", **fields})


def test_two_rows_cannot_share_a_position():
    recipe = RecipeFactory.create(ingredients="1 egg")

    with pytest.raises(IntegrityError), transaction.atomic():
        Ingredient.objects.create(recipe=recipe, position=1, item="milk")


def test_steps_drop_the_numbers_the_cook_typed():
    recipe = RecipeFactory.build(
        instructions="1. Whisk.\n2) Rest 30 minutes.\n\nStep 3: Cook.\n10 eggs go in last."
    )

    assert recipe.steps == ["Whisk.", "Rest 30 minutes.", "Cook.", "10 eggs go in last."]


def test_total_minutes_adds_preparation_and_cooking():
    assert RecipeFactory.build(prep_minutes=15, cook_minutes=30).total_minutes == 45


def test_srcset_lists_the_thumbnail_and_the_display_size():
    recipe = RecipeFactory.create(photo=True)

    assert recipe.image_srcset == (
        f"{recipe.thumbnail.url} 400w, {recipe.image.url} {recipe.image_width}w"
    )


def test_srcset_has_one_candidate_when_the_photo_was_small():
    recipe = RecipeFactory.build(
        image="recipes/a.webp",
        thumbnail="recipes/a-thumb.webp",
        image_width=300,
        thumbnail_width=300,
    )

    assert recipe.image_srcset == f"{recipe.image.url} 300w"


def test_srcset_is_empty_without_a_photo():
    assert RecipeFactory.build().image_srcset == ""


def test_clear_image_forgets_the_photo():
    recipe = RecipeFactory.create(photo=True)

    recipe.clear_image()
    recipe.save()

    recipe.refresh_from_db()
    assert not recipe.has_image
    assert recipe.image_files == []


def test_the_database_refuses_servings_out_of_range():
    with pytest.raises(IntegrityError):
        RecipeFactory.create(servings=0)


def test_the_database_refuses_absurd_times():
    with pytest.raises(IntegrityError):
        RecipeFactory.create(cook_minutes=10_000)


def test_the_database_refuses_a_photo_without_alt_text():
    recipe = RecipeFactory.create(photo=True)
    recipe.image_alt = ""

    with pytest.raises(IntegrityError):
        recipe.save()


def test_the_database_refuses_a_photo_without_its_thumbnail():
    recipe = RecipeFactory.create(photo=True)
    recipe.thumbnail = ""

    with pytest.raises(IntegrityError):
        recipe.save()


def test_the_database_refuses_two_recipes_sharing_a_photo_file():
    first = RecipeFactory.create(photo=True)
    second = RecipeFactory.create(photo=True)
    second.image = first.image.name

    with pytest.raises(IntegrityError):
        second.save()


def test_owned_by_is_the_users_own_recipes_only():
    cook = UserFactory.create()
    mine = RecipeFactory.create(author=cook)
    RecipeFactory.create()

    assert list(Recipe.objects.owned_by(cook)) == [mine]


def test_owned_by_is_empty_for_an_anonymous_visitor():
    from django.contrib.auth.models import AnonymousUser

    RecipeFactory.create()

    assert list(Recipe.objects.owned_by(AnonymousUser())) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "Smoky Aubergine"), ("description", "smoky and rich"), ("ingredients", "SMOKY")],
)
def test_search_looks_in_title_description_and_ingredients(field, value):
    match = RecipeFactory.create(**{field: value})
    RecipeFactory.create(title="Plain rice", description="", ingredients="rice\nwater")

    assert list(Recipe.objects.search("smoky")) == [match]


def test_search_for_blank_text_is_everything():
    RecipeFactory.create_batch(2)

    assert Recipe.objects.search("  ").count() == 2


def test_in_category_keeps_the_recipes_of_that_category(categories):
    soup = RecipeFactory.create(categories=[categories["soup"], categories["vegan"]])
    RecipeFactory.create(categories=[categories["dessert"]])

    assert list(Recipe.objects.in_category(categories["soup"])) == [soup]
    assert Recipe.objects.in_category(None).count() == 2


def test_newest_recipes_come_first():
    older = RecipeFactory.create()
    newer = RecipeFactory.create()

    assert list(Recipe.objects.all()) == [newer, older]
