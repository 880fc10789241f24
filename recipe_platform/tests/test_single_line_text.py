"""Single-line text (a recipe's title and photo description, a category's name, a username)
refuses control and format characters with a field error, on the site and in the admin."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from recipes.models import Category, Recipe
from recipes.validators import validate_single_line

pytestmark = pytest.mark.django_db

STRONG_PASSWORD = "a-long-kitchen-password-42"
CONTROL_CHARACTERS = {
    "line feed": "\n",
    "carriage return": "\r",
    "tab": "\t",
    "nul": "\x00",
    "escape": "\x1b",
    "delete": "\x7f",
    "right-to-left override": "\u202e",
    "zero-width space": "\u200b",
    "line separator": "\u2028",
    "byte order mark": "\ufeff",
}
CASES = list(CONTROL_CHARACTERS.values())
IDS = list(CONTROL_CHARACTERS)


@pytest.mark.parametrize("character", CASES, ids=IDS)
def test_the_validator_refuses_each_control_or_format_character(character):
    with pytest.raises(ValidationError) as error:
        validate_single_line(f"Pancakes{character}Bcc: everyone")

    assert error.value.code == "control_character"
    assert f"U+{ord(character):04X}" in error.value.messages[0]


@pytest.mark.parametrize(
    "text",
    [
        "Crème brûlée",
        "Phở bò",
        "Борщ",
        "麻婆豆腐",
        "Shakshuka 🍳",
        'Mum\'s "best" pie',
        "\U0001f469\u200d\U0001f373 Chef's special",  # a cook: woman + joiner + frying pan
        "\u0646\u0627\u0646\u200c\u0647\u0627",  # Persian "breads", with a non-joiner
    ],
)
def test_ordinary_text_in_any_script_passes(text):
    validate_single_line(text)


@pytest.mark.parametrize("character", CASES, ids=IDS)
def test_the_recipe_form_refuses_a_title_with_a_control_character(
    user_client, recipe_data, character
):
    response = user_client.post(
        "/recipes/new/", recipe_data(title=f"Pancakes{character}Bcc: everyone")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert {error.code for error in errors["title"]} <= {
        "control_character",
        "null_characters_not_allowed",
    }
    assert not Recipe.objects.exists()


def test_the_recipe_form_refuses_a_photo_description_with_a_line_break(user_client, recipe_data):
    response = user_client.post("/recipes/new/", recipe_data(image_alt="A stack\r\nof pancakes"))

    assert [e.code for e in response.context["form"].errors.as_data()["image_alt"]] == [
        "control_character"
    ]


def test_multi_line_fields_still_take_line_breaks(user_client, recipe_data):
    response = user_client.post(
        "/recipes/new/",
        recipe_data(paste_ingredients="flour\r\neggs\tor tofu", instructions="Mix.\nBake."),
    )

    assert response.status_code == 302
    # Each pasted line is a row; the spaces inside a line are a single space.
    assert Recipe.objects.get().ingredient_list == ["flour", "eggs or tofu"]


def test_the_admin_refuses_a_category_name_with_a_line_break(superuser_client):
    response = superuser_client.post(
        "/admin/recipes/category/add/", {"name": "Soup\nstews", "slug": "soup-stews"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["name"]
    assert not Category.objects.filter(slug="soup-stews").exists()


@pytest.mark.parametrize(
    "character", ["\n", "\t", "\u202e", "\u200b"], ids=["lf", "tab", "rlo", "zwsp"]
)
def test_sign_up_refuses_a_username_with_a_control_character(client, character):
    response = client.post(
        "/accounts/signup/",
        {
            "username": f"cook{character}admin",
            "email": "",
            "password1": STRONG_PASSWORD,
            "password2": STRONG_PASSWORD,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not get_user_model().objects.exists()
