"""The shopping list (shopping/): adding recipes up, ticking off, clearing, printing; who may do
what; and what each page costs."""

from fractions import Fraction as F

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects
from shared.bulk import Numbered, insert_rows
from shared.factories import UserFactory

from shopping import services
from shopping.models import ShoppingItem
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/shopping/"


def items(owner):
    return [
        (item.item, item.quantity, item.unit, item.ticked)
        for item in ShoppingItem.objects.owned_by(owner).order_by("key", "unit")
    ]


@pytest.fixture
def pancakes():
    return RecipeFactory.create(
        title="Pancakes",
        slug="pancakes",
        servings=4,
        ingredients="250 g flour\n2 eggs\n1 ½ cups milk\n2-3 tbsp sugar\nsalt, to taste",
    )


@pytest.fixture
def cake():
    return RecipeFactory.create(
        title="Cake", slug="cake", servings=8, ingredients="3 Eggs\n200 g flour\n1 cup flour"
    )


# --- Adding up ---------------------------------------------------------------------------------


def test_a_recipe_is_added_at_the_servings_chosen_ranges_at_their_upper_bound(user, pancakes):
    services.add_recipe(owner=user, recipe=pancakes, servings=6)

    assert items(user) == [
        ("eggs", F(3), "", False),
        ("flour", F(375), "g", False),
        ("milk", F(9, 4), "cup", False),
        ("salt", None, "", False),
        ("sugar", F(9, 2), "tbsp", False),
    ]


def test_the_same_item_in_the_same_unit_is_added_up(user, pancakes, cake):
    services.add_recipe(owner=user, recipe=pancakes, servings=4)
    services.add_recipe(owner=user, recipe=cake, servings=8)

    listed = items(user)
    assert ("eggs", F(5), "", False) in listed  # "2 eggs" and "3 Eggs"
    assert ("flour", F(450), "g", False) in listed
    assert ("flour", F(1), "cup", False) in listed  # another unit: a row of its own
    assert ShoppingItem.objects.count() == 6


def test_adding_more_of_a_ticked_item_puts_it_back_on_the_list(user, pancakes):
    services.add_recipe(owner=user, recipe=pancakes, servings=4)
    services.set_ticked(item=ShoppingItem.objects.get(key="egg"), ticked=True)

    services.add_recipe(owner=user, recipe=pancakes, servings=2)

    assert ShoppingItem.objects.get(key="egg").quantity == 3
    assert not ShoppingItem.objects.get(key="egg").ticked


@pytest.mark.parametrize("rows", [10, 60])
def test_adding_costs_the_same_queries_whatever_the_number_of_ingredients(
    user, django_assert_num_queries, rows
):
    recipe = RecipeFactory.create(ingredients="\n".join(f"{n} g thing {n}" for n in range(rows)))

    # A savepoint and its release; the lock on the owner, the rows, the matching items; then
    # the count and an insert when every item is new, or one update when every item is there.
    with django_assert_num_queries(7):
        services.add_recipe(owner=user, recipe=recipe, servings=4)
    with django_assert_num_queries(6):
        services.add_recipe(owner=user, recipe=recipe, servings=4)
    assert ShoppingItem.objects.get(key="thing 1").quantity == 2


def test_a_list_holds_at_most_500_items(user):
    ShoppingItem.objects.bulk_create(
        [ShoppingItem(owner=user, key=f"thing {n}", item=f"thing {n}") for n in range(499)]
    )
    recipe = RecipeFactory.create(ingredients="1 apple\n1 pear")

    with pytest.raises(ValidationError, match="at most 500 items"):
        services.add_recipe(owner=user, recipe=recipe, servings=4)
    assert ShoppingItem.objects.count() == 499  # nothing half-added


def test_an_amount_past_a_million_is_refused(user):
    recipe = RecipeFactory.create(servings=1, ingredients="10000 g flour")
    services.add_recipe(owner=user, recipe=recipe, servings=100)  # exactly a million grams

    with pytest.raises(ValidationError, match="larger than any shop sells"):
        services.add_recipe(owner=user, recipe=recipe, servings=1)
    assert ShoppingItem.objects.get().quantity == 1_000_000


def test_the_database_refuses_a_second_row_for_the_same_item_and_unit(user):
    ShoppingItem.objects.create(owner=user, key="egg", item="eggs")

    with pytest.raises(IntegrityError), transaction.atomic():
        ShoppingItem.objects.create(owner=user, key="egg", item="Eggs")


def test_clear_ticked_removes_only_the_owners_ticked_items(user, other_user, pancakes):
    services.add_recipe(owner=user, recipe=pancakes, servings=4)
    services.add_recipe(owner=other_user, recipe=pancakes, servings=4)
    ShoppingItem.objects.update(ticked=True)
    ShoppingItem.objects.filter(owner=user, key="salt").update(ticked=False)

    assert services.clear_ticked(owner=user) == 4

    assert [item[0] for item in items(user)] == ["salt"]
    assert len(items(other_user)) == 5


# --- Pages -------------------------------------------------------------------------------------


def test_adding_from_the_recipe_page_lands_on_the_list_with_a_message(user_client, user, pancakes):
    page = user_client.get("/recipes/pancakes/", {"servings": "6"})
    assertContains(page, 'action="/shopping/add/pancakes/"')
    assertContains(
        page, 'name="servings" value="6" min="1" max="100" required id="id_shop_servings"'
    )

    response = user_client.post("/shopping/add/pancakes/", {"servings": "6"}, follow=True)

    assertRedirects(response, LIST_URL)
    assertContains(response, "“Pancakes” for 6 is on your shopping list.")
    assertContains(response, '<span class="shopping-amount">375 g</span>', html=True)
    assertContains(response, '<span class="shopping-amount">2 ¼ cups</span>', html=True)


@pytest.mark.parametrize("servings", ["0", "101", "six", "", "1e309", "٣", "\x00"])
def test_bad_servings_are_a_400_with_the_fields_error(user_client, user, pancakes, servings):
    response = user_client.post("/shopping/add/pancakes/", {"servings": servings})

    assert response.status_code == 400
    assertContains(response, "The recipe was not added.", status_code=400)
    assert not ShoppingItem.objects.exists()


def test_a_full_list_is_a_400_with_the_reason(user_client, user, pancakes):
    ShoppingItem.objects.bulk_create(
        [ShoppingItem(owner=user, key=f"thing {n}", item=f"thing {n}") for n in range(500)]
    )

    response = user_client.post("/shopping/add/pancakes/", {"servings": "4"})

    assertContains(response, "at most 500 items", status_code=400)


def test_ticking_off_and_back_is_a_post_that_returns_to_the_page(user_client, user, pancakes):
    services.add_recipe(owner=user, recipe=pancakes, servings=4)
    eggs = ShoppingItem.objects.get(key="egg")

    response = user_client.post(f"/shopping/{eggs.pk}/tick/", {"ticked": "on", "page": "1"})

    assertRedirects(response, f"{LIST_URL}#item-{eggs.pk}", fetch_redirect_response=False)
    eggs.refresh_from_db()
    assert eggs.ticked
    page = user_client.get(LIST_URL)
    assertContains(page, "“eggs” is ticked off.")
    assertContains(page, "5 items, 1 ticked off.")
    assertContains(page, 'aria-pressed="true"')
    user_client.post(f"/shopping/{eggs.pk}/tick/", {"ticked": ""})
    eggs.refresh_from_db()
    assert not eggs.ticked


@pytest.mark.parametrize("page", ["0", "two", "1_0"])
def test_a_tick_from_a_page_that_cannot_exist_changes_nothing_and_says_why(
    user_client, user, pancakes, page
):
    services.add_recipe(owner=user, recipe=pancakes, servings=4)
    eggs = ShoppingItem.objects.get(key="egg")

    response = user_client.post(f"/shopping/{eggs.pk}/tick/", {"ticked": "on", "page": page})

    assertRedirects(response, LIST_URL, fetch_redirect_response=False)
    eggs.refresh_from_db()
    assert not eggs.ticked
    assertContains(user_client.get(LIST_URL), "That page number is not one of the list")


def test_an_item_is_named_by_what_it_is():
    assert str(ShoppingItem(key="egg", item="eggs")) == "eggs"


def test_the_clear_button_appears_only_with_ticked_items(user_client, user, pancakes):
    services.add_recipe(owner=user, recipe=pancakes, servings=4)
    assertNotContains(user_client.get(LIST_URL), "ticked item")
    ShoppingItem.objects.filter(key="egg").update(ticked=True)

    assertContains(user_client.get(LIST_URL), "Remove the 1 ticked item")
    response = user_client.post("/shopping/clear-ticked/", follow=True)

    assertContains(response, "Removed 1 ticked item.")
    assert not ShoppingItem.objects.filter(key="egg").exists()


def test_the_print_page_lists_what_is_left_to_buy_without_forms(user_client, user, pancakes):
    services.add_recipe(owner=user, recipe=pancakes, servings=4)
    ShoppingItem.objects.filter(key="egg").update(ticked=True)

    response = user_client.get("/shopping/print/")

    assertContains(response, "<title>Shopping list to print · Community Kitchen</title>")
    assertContains(
        response,
        '<li><span class="print-box" aria-hidden="true"></span><strong>250 g</strong> flour</li>',
    )
    assertNotContains(response, "eggs")
    assertNotContains(response, "tick-form")
    assertContains(response, "/static/css/shopping.css")


def test_an_empty_list_says_how_to_fill_it(user_client):
    assertContains(user_client.get(LIST_URL), "Your shopping list is empty.")


def test_the_list_is_paginated_50_a_page(user_client, user):
    ShoppingItem.objects.bulk_create(
        [ShoppingItem(owner=user, key=f"thing {n:03}", item=f"thing {n:03}") for n in range(51)]
    )

    assert len(user_client.get(LIST_URL).context["items"]) == 50
    assert len(user_client.get(LIST_URL, {"page": "2"}).context["items"]) == 1
    assert user_client.get(LIST_URL, {"page": "3"}).status_code == 404


@pytest.mark.parametrize("rows", [10, 10_000])
@pytest.mark.parametrize(("url", "queries"), [(LIST_URL, 5), ("/shopping/print/", 4)])
def test_the_pages_cost_the_same_queries_at_10_and_10000_rows(
    user_client, user, django_assert_num_queries, rows, url, queries
):
    insert_rows(
        ShoppingItem,
        rows,
        owner=user,
        key=Numbered("thing {n}"),
        item=Numbered("thing {n}"),
        ticked=[n % 3 == 0 for n in range(rows)],
    )

    # Session, user, count, the page; the list also counts the ticked items.
    with django_assert_num_queries(queries):
        response = user_client.get(url)
    assert response.status_code == 200


# --- Who may do what ---------------------------------------------------------------------------

WHO = ["anonymous", "owner", "other", "staff"]


@pytest.fixture
def clients(client, user_client, other_user_client, staff_client):
    return {
        "anonymous": client,
        "owner": user_client,
        "other": other_user_client,
        "staff": staff_client,
    }


@pytest.fixture
def eggs(user, pancakes):
    services.add_recipe(owner=user, recipe=pancakes, servings=4)
    return ShoppingItem.objects.get(key="egg")


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("owner", 200), ("other", 200), ("staff", 200)]
)
@pytest.mark.parametrize("url", [LIST_URL, "/shopping/print/", "/shopping/add/pancakes/"])
def test_the_pages_are_for_logged_in_cooks_each_seeing_their_own(clients, eggs, who, status, url):
    response = clients[who].get(url)

    assert response.status_code == status
    if who == "anonymous":
        assertRedirects(response, f"/accounts/login/?next={url}")
    elif url != "/shopping/add/pancakes/":
        assert ("eggs" in response.content.decode()) == (who == "owner")


@pytest.mark.parametrize(
    ("who", "status", "ticked"),
    [("anonymous", 302, False), ("owner", 302, True), ("other", 404, False), ("staff", 404, False)],
)
def test_only_the_owner_ticks_an_item(clients, eggs, who, status, ticked):
    response = clients[who].post(f"/shopping/{eggs.pk}/tick/", {"ticked": "on"})

    eggs.refresh_from_db()
    assert response.status_code == status
    assert eggs.ticked == ticked


@pytest.mark.parametrize("who", WHO)
def test_clearing_touches_only_ones_own_list(clients, eggs, who):
    ShoppingItem.objects.update(ticked=True)

    clients[who].post("/shopping/clear-ticked/")

    assert ShoppingItem.objects.filter(pk=eggs.pk).exists() == (who != "owner")


@pytest.mark.parametrize(
    ("who", "added"), [("anonymous", 0), ("owner", 5), ("other", 5), ("staff", 5)]
)
def test_any_cook_may_add_any_recipe_to_their_own_list(clients, pancakes, user, who, added):
    clients[who].post("/shopping/add/pancakes/", {"servings": "4"})

    assert ShoppingItem.objects.count() == added


@pytest.mark.parametrize("url", [f"{LIST_URL}1/tick/", "/shopping/clear-ticked/"])
def test_get_changes_nothing(user_client, eggs, url):
    ShoppingItem.objects.update(ticked=True)

    assert user_client.get(url.replace("1", str(eggs.pk))).status_code == 405
    assert ShoppingItem.objects.filter(ticked=True).count() == 5


def test_an_unknown_recipe_or_item_is_a_404(user_client):
    assert user_client.post("/shopping/add/no-such-recipe/", {"servings": "4"}).status_code == 404
    assert user_client.post("/shopping/999999/tick/", {"ticked": "on"}).status_code == 404


def test_deleting_a_cook_deletes_their_list(user, pancakes):
    services.add_recipe(owner=user, recipe=pancakes, servings=4)

    user.delete()

    assert not ShoppingItem.objects.exists()


def test_a_new_cook_starts_with_an_empty_list():
    assert not ShoppingItem.objects.owned_by(UserFactory.create()).exists()


def test_a_recipe_without_ingredient_rows_adds_nothing_and_says_so(user_client):
    RecipeFactory.create(title="Toast", slug="toast", ingredients="")

    response = user_client.post("/shopping/add/toast/", {"servings": "2"}, follow=True)

    assertContains(response, "“Toast” lists no ingredients to add.")
    assert not ShoppingItem.objects.exists()
