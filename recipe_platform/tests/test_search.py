"""The recipe list's search (``Recipe.objects.search``, ``?q=``) answers from the database's
trigram index (recipes.search, migration 0010) with the results of the ``icontains`` scan it
replaced, and the index follows every write to recipes and their ingredient rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from recipes import search
from recipes.models import Ingredient, Recipe
from recipes.search import contains_anywhere
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db

needs_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the FTS5 table and its triggers are SQLite's index"
)
needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the pg_trgm GIN indexes are PostgreSQL's"
)


def found(text: str) -> set[str]:
    return set(Recipe.objects.search(text).values_list("title", flat=True))


def reference(text: str) -> set[str]:
    """What the ``icontains`` scan finds: the behaviour the index must keep."""
    return set(
        Recipe.objects.filter(contains_anywhere(text.strip())).values_list("title", flat=True)
    )


@pytest.fixture
def pantry() -> None:
    """Recipes whose words sit in each searched place, in several cases, and with the
    characters FTS5 would read as syntax."""
    RecipeFactory.create(title="Smoky Aubergine", description="", ingredients="aubergine")
    RecipeFactory.create(title="Lentil stew", description="Smoky and rich", ingredients="lentils")
    RecipeFactory.create(title="Chilli", description="", ingredients="2 SMOKY paprika\n1 onion")
    RecipeFactory.create(title="Crème brûlée", description="Café classic", ingredients="cream")
    RecipeFactory.create(title='The "best" pie', description="Pie OR tart", ingredients="flour")
    RecipeFactory.create(title="Star*fruit salad", description="NEAR(fruit", ingredients="kiwi")
    RecipeFactory.create(title="Half-baked", description="-minus sign", ingredients="egg")
    RecipeFactory.create(title="Olive bread", description="", ingredients="olive oil\nsalt")
    RecipeFactory.create(title="Plain rice", description="", ingredients="rice\nwater")


@pytest.mark.parametrize(
    ("text", "titles"),
    [
        ("smoky", {"Smoky Aubergine", "Lentil stew", "Chilli"}),  # title, description, item
        ("SMOKY", {"Smoky Aubergine", "Lentil stew", "Chilli"}),  # any case (ASCII)
        ("  smoky  ", {"Smoky Aubergine", "Lentil stew", "Chilli"}),  # stripped
        ("gine", {"Smoky Aubergine"}),  # a substring, not a word
        ("lentils", {"Lentil stew"}),  # only in an ingredient
        ("ri", {"Plain rice", "Lentil stew", "Chilli"}),  # 2 characters: the scan
        ("crème", {"Crème brûlée"}),  # unicode, same case
        ("café", {"Crème brûlée"}),
        ('"best"', {'The "best" pie'}),  # quotes are characters
        ('"', {'The "best" pie'}),
        ('""', set()),
        ("r*f", {"Star*fruit salad"}),  # * is no prefix operator
        ("star*", {"Star*fruit salad"}),
        ("sta*", set()),
        ("pie or tart", {'The "best" pie'}),  # OR is a word
        ("pie OR bread", set()),
        ("NEAR(", {"Star*fruit salad"}),
        ("NEAR(pie tart)", set()),
        ("-minus", {"Half-baked"}),  # - is no NOT
        ("f-b", {"Half-baked"}),
        ("oil salt", set()),  # two ingredient lines are not one text
        ("oil\nsalt", set()),
        ("Aubergine Lentil", set()),  # nor are two recipes' or two columns' texts
        ("no such words", set()),
    ],
)
def test_search_finds_what_the_icontains_scan_finds(pantry, text, titles):
    assert found(text) == titles
    assert found(text) == reference(text)


def test_search_for_blank_text_is_everything(pantry):
    assert Recipe.objects.search("   ").count() == Recipe.objects.count()


def test_search_combines_with_the_lists_other_filters_and_orders(pantry):
    smoky = Recipe.objects.search("smoky")

    assert list(smoky.order_by("title").values_list("title", flat=True)) == [
        "Chilli",
        "Lentil stew",
        "Smoky Aubergine",
    ]
    assert smoky.filter(description="").count() == 2


# --- The index follows every write --------------------------------------------------------------


def test_a_new_recipe_is_found():
    RecipeFactory.create(title="Saffron risotto")

    assert found("saffron") == {"Saffron risotto"}


def test_an_edited_title_or_description_is_found_by_its_new_text_only():
    recipe = RecipeFactory.create(title="Saffron risotto", description="Golden")
    recipe.title = "Pumpkin risotto"
    recipe.description = "Orange"
    recipe.save()

    assert found("saffron") == set()
    assert found("golden") == set()
    assert found("pumpkin") == found("orange") == {"Pumpkin risotto"}


def test_ingredient_rows_added_edited_and_deleted_are_followed():
    recipe = RecipeFactory.create(title="Soup", ingredients="")
    Ingredient.objects.create(recipe=recipe, position=1, item="fennel")
    Ingredient.objects.create(recipe=recipe, position=2, item="leek")
    assert found("fennel") == found("leek") == {"Soup"}

    Ingredient.objects.filter(item="fennel").update(item="celeriac")
    assert found("fennel") == set()
    assert found("celeriac") == {"Soup"}

    Ingredient.objects.filter(item="leek").delete()
    assert found("leek") == set()
    assert found("celeriac") == {"Soup"}


def test_an_ingredient_row_moved_to_another_recipe_moves_in_the_index():
    soup = RecipeFactory.create(title="Soup", ingredients="fennel")
    stew = RecipeFactory.create(title="Stew", ingredients="")
    Ingredient.objects.filter(recipe=soup).update(recipe=stew)

    assert found("fennel") == {"Stew"}


def test_a_deleted_recipe_is_no_longer_found():
    RecipeFactory.create(title="Saffron risotto", ingredients="saffron")
    Recipe.objects.get().delete()

    assert found("saffron") == set()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM recipes_recipe_search")
            assert cursor.fetchone() == (0,)


def test_bulk_writes_are_followed(pantry):
    author = Recipe.objects.values_list("author", flat=True)[0]
    created = Recipe.objects.bulk_create(
        Recipe(
            title=f"Bulk tagine {n}",
            slug=f"bulk-tagine-{n}",
            author_id=author,
            instructions="Cook.",
            prep_minutes=5,
            cook_minutes=5,
            servings=2,
        )
        for n in range(3)
    )
    Ingredient.objects.bulk_create(
        Ingredient(recipe=recipe, position=1, item="preserved lemon") for recipe in created
    )
    assert found("tagine") == found("preserved lemon") == {f"Bulk tagine {n}" for n in range(3)}

    Recipe.objects.filter(title__startswith="Bulk").update(description="Slow cooked")
    assert found("slow cooked") == {f"Bulk tagine {n}" for n in range(3)}
    assert found("slow cooked") == reference("slow cooked")


# --- The index is used -------------------------------------------------------------------------


def _plan(text: str) -> str:
    with CaptureQueriesContext(connection) as queries:
        list(Recipe.objects.search(text)[:12])
    sql = queries.captured_queries[-1]["sql"]  # on SQLite, after the count that picks the plan
    explain = "EXPLAIN" if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN"
    with connection.cursor() as cursor:
        cursor.execute(f"{explain} {sql}")
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@needs_sqlite
def test_on_sqlite_the_search_reads_the_fts5_table_not_every_recipe(pantry):
    plan = _plan("smoky")

    assert "SCAN recipes_recipe_search VIRTUAL TABLE INDEX" in plan, plan
    assert "SCAN recipes_ingredient" not in plan, plan


@needs_sqlite
def test_on_sqlite_a_text_most_recipes_contain_is_scanned_in_the_lists_order(pantry, monkeypatch):
    # Looking every match up and sorting them costs more than walking the newest-first index
    # until the page is full (0.5 s against 17 ms for "soup" among 100,000 recipes).
    monkeypatch.setattr(search, "MANY_MATCHES", 2)
    plan = _plan("smoky")  # three recipes

    assert "recipes_recipe_search" not in plan, plan
    assert "INDEX recipe_newest_idx" in plan, plan
    assert found("smoky") == reference("smoky") == {"Smoky Aubergine", "Lentil stew", "Chilli"}


@needs_postgresql
def test_on_postgresql_a_text_most_recipes_contain_is_scanned_too(pantry, monkeypatch):
    monkeypatch.setattr(search, "MANY_MATCHES", 2)
    plan = _plan("smoky")  # three recipes

    assert "trgm_idx" not in plan, plan
    assert found("smoky") == reference("smoky") == {"Smoky Aubergine", "Lentil stew", "Chilli"}


@needs_postgresql
def test_on_postgresql_each_column_is_read_through_its_trigram_index(pantry):
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # nine rows: a scan would be cheaper
    plan = _plan("smoky")

    for index in (
        "recipe_title_trgm_idx",
        "recipe_description_trgm_idx",
        "ingredient_item_trgm_idx",
    ):
        assert index in plan, plan
