import pytest
from django.forms import ModelMultipleChoiceField

from recipes.forms import RecipeForm, RecipeSearchForm
from recipes.models import Category
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db


def _search(data):
    return RecipeSearchForm(data, categories=list(Category.objects.all()))


def test_the_search_form_trims_the_query_and_finds_the_category(categories):
    form = _search({"q": "  soup  ", "category": "soup"})

    assert form.is_valid()
    assert form.cleaned_data == {"q": "soup", "category": categories["soup"], "sort": ""}


def test_the_search_form_refuses_an_overlong_query():
    assert not _search({"q": "x" * 101}).is_valid()


def test_the_search_form_refuses_a_category_that_is_not_a_slug():
    assert not _search({"category": "<script>"}).is_valid()


def test_the_recipe_form_lists_categories_by_name(user):
    form = RecipeForm(user=user)

    field = form.fields["categories"]
    assert isinstance(field, ModelMultipleChoiceField)
    assert field.queryset is not None
    names = [category.name for category in field.queryset]
    assert names == sorted(names)


def test_the_recipe_form_has_no_author_or_slug_field(user):
    assert {"author", "slug"}.isdisjoint(RecipeForm(user=user).fields)


def test_an_edit_of_a_recipe_without_a_photo_needs_no_alt_text(user, recipe_data):
    # Only recipes from before photos were required have none; editing one asks for no photo.
    recipe = RecipeFactory.create(author=user)
    form = RecipeForm(recipe_data(image="", image_alt=""), instance=recipe, user=user)

    assert form.is_valid(), form.errors
    assert form.new_image is None


def _bound(data, user):
    """The form bound as a request binds it: the photo among the files."""
    files = {"image": data.pop("image")}
    return RecipeForm(data, files, user=user)


@pytest.mark.parametrize(
    "number",
    ["1_0", "\u0663", "\uff11", "1e2", "15.0", "0x10", "+5", str(2**64), "-1"],
    ids=[
        "underscore",
        "arabic-indic",
        "fullwidth",
        "exponent",
        "decimal",
        "hex",
        "plus",
        "huge",
        "negative",
    ],
)
def test_times_and_servings_take_ascii_digits_only(user, recipe_data, number):
    form = _bound(recipe_data(prep_minutes=number, servings=number), user)

    assert not form.is_valid()
    assert set(form.errors) == {"prep_minutes", "servings"}


def test_a_number_with_spaces_around_it_is_read(user, recipe_data):
    form = _bound(recipe_data(prep_minutes=" 15 ", servings="4"), user)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["prep_minutes"] == 15
