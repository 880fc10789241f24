import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from demo.seed import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _authenticate(username, password):
    # django-axes' backend needs the request, as every real login has one.
    request = RequestFactory().post("/accounts/login/")
    return authenticate(request, username=username, password=password)


def _counts() -> dict[str, int]:
    from django.apps import apps

    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in {"sessions", "admin", "contenttypes", "auth"}
        and model._meta.managed  # django-rq's admin-only "Dashboard" (with REDIS_URL) has no table
    }


def test_demo_data_creates_a_staff_user_and_an_ordinary_user():
    call_command("load_demo_data", stdout=None)

    users = get_user_model().objects.all()
    assert users.filter(is_staff=True).exists()
    assert users.filter(is_staff=False).exists()


def test_every_demo_account_logs_in_with_the_documented_password():
    call_command("load_demo_data")

    for account in DEMO_ACCOUNTS:
        assert _authenticate(account.username, DEMO_PASSWORD) is not None


def test_loading_demo_data_twice_creates_nothing_twice():
    call_command("load_demo_data")
    first = _counts()

    call_command("load_demo_data")

    assert _counts() == first


def test_demo_data_leaves_a_changed_password_alone():
    call_command("load_demo_data")
    admin = get_user_model().objects.get(username="admin")
    admin.set_password("changed-by-the-developer")
    admin.save()

    call_command("load_demo_data")

    assert _authenticate("admin", "changed-by-the-developer") is not None


def test_demo_data_has_about_twenty_recipes_in_every_category():
    from recipes.models import Category, Recipe

    call_command("load_demo_data")

    assert Recipe.objects.count() >= 20
    for category in Category.objects.all():
        assert category.recipes.exists(), f"no demo recipe in {category}"


def test_every_demo_recipe_has_a_processed_photo_with_alt_text(media_files):
    from recipes.models import Recipe

    call_command("load_demo_data")

    recipes = list(Recipe.objects.all())
    assert all(recipe.has_image and recipe.image_alt for recipe in recipes)
    assert media_files() == sorted(name for recipe in recipes for name in recipe.image_files)
    assert all(name.endswith(".webp") for name in media_files())


def test_the_demo_cook_and_the_admin_both_have_recipes():
    from recipes.models import Recipe

    call_command("load_demo_data")

    assert Recipe.objects.filter(author__username="cook").exists()
    assert Recipe.objects.filter(author__username="admin").exists()


def test_loading_demo_data_twice_stores_no_more_photos(media_files):
    call_command("load_demo_data")
    first = media_files()

    call_command("load_demo_data")

    assert media_files() == first


def test_demo_recipes_have_ingredient_rows_and_the_cook_a_shopping_list():
    from fractions import Fraction

    from recipes.models import Ingredient, Recipe
    from shopping.models import ShoppingItem

    call_command("load_demo_data")

    assert not Recipe.objects.filter(ingredients__isnull=True).exists()
    assert Ingredient.objects.exclude(unit="").exists()
    flour = ShoppingItem.objects.get(owner__username="cook", key="flour", unit="g")
    assert (flour.quantity, flour.ticked) == (Fraction(375), True)  # the pancakes, for six
    eggs = ShoppingItem.objects.get(owner__username="cook", key="egg")
    assert eggs.quantity is not None
    assert eggs.quantity > 3  # three for the pancakes, plus the shakshuka's
