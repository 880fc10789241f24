"""Import from a URL, end to end: the page, the pre-filled create form, the photo."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from pytest_django.asserts import assertContains
from shared.images import make_image

from importer import photos, safe_fetch
from importer.scraping import NoRecipeFound, parse
from recipes.forms import RecipeForm
from recipes.models import UnusedPhotoFile
from tests.importer.recipe_site import recipe_page

pytestmark = pytest.mark.django_db

IMPORT_URL = "/import/"


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("author", 200), ("other", 200), ("staff", 200)]
)
def test_the_import_page_is_for_logged_in_cooks(
    client, user_client, other_user_client, staff_client, who, status
):
    clients = {
        "anonymous": client,
        "author": user_client,
        "other": other_user_client,
        "staff": staff_client,
    }
    response = clients[who].get(IMPORT_URL)

    assert response.status_code == status
    if status == 200:
        assertContains(response, "Address of the recipe page")


def test_an_anonymous_post_changes_nothing(client, site):
    response = client.post(IMPORT_URL, {"url": site.url("/recipe")})

    assert response["Location"].startswith("/accounts/login/")
    assert site.requests == []


def test_an_import_pre_fills_the_create_form_with_the_photo_kept(user_client, site, media_files):
    response = user_client.post(IMPORT_URL, {"url": site.url("/recipe")})

    assert response.status_code == 302
    assert response["Location"].startswith("/recipes/new/?import=")
    form_page = user_client.get(response["Location"])
    form = form_page.context["form"]
    assert form.initial["title"] == "Grandma's plum cake"
    assert form.initial["description"] == "A tray bake for the plum season."
    assert form.initial["paste_ingredients"] == "250 g flour\n1 ½ cups sugar\n12 plums"
    assert form.initial["instructions"] == "Cream the butter and sugar.\nBake for 45 minutes."
    assert (
        form.initial["servings"],
        form.initial["prep_minutes"],
        form.initial["cook_minutes"],
    ) == (
        8,
        20,
        45,
    )
    assertContains(form_page, "Imported. Check every field, then publish.")
    assertContains(form_page, "Your photo is uploaded and kept.")
    # Through the pipeline: two WebP files, recorded as unused until a recipe takes them.
    stored = [name for name in media_files() if name.startswith("recipes/")]
    assert len(stored) == 2
    assert all(name.endswith(".webp") for name in stored)
    assert UnusedPhotoFile.objects.filter(name__in=stored).count() == 2


def test_the_plain_create_form_stays_empty_after_an_import(user_client, site):
    user_client.post(IMPORT_URL, {"url": site.url("/recipe")})

    form = user_client.get("/recipes/new/").context["form"]

    assert "title" not in form.initial


def test_another_cook_cannot_open_the_draft(user_client, other_user_client, site):
    location = user_client.post(IMPORT_URL, {"url": site.url("/recipe")})["Location"]

    form = other_user_client.get(location).context["form"]

    assert "title" not in form.initial


def test_the_imported_photo_satisfies_the_create_form_once(user, other_user, site):
    photo = photos.import_photo(site.url("/photo.jpg"))
    token = photos.reference(photo, user)
    data = {
        "title": "Plum cake",
        "instructions": "Bake.",
        "prep_minutes": 1,
        "cook_minutes": 1,
        "servings": 2,
        "image_alt": "A cake",
        "imported_photo": token,
    }

    mine = RecipeForm(data=data, user=user)
    theirs = RecipeForm(data=data, user=other_user)
    mine.is_valid()
    theirs.is_valid()

    assert "image" not in mine.errors
    assert mine.new_image == photo
    assert "image" in theirs.errors  # bound to the cook who imported it
    # A recipe takes the files once; a second submit of the same form cannot.
    assert UnusedPhotoFile.objects.claim(photo.names) is True
    assert UnusedPhotoFile.objects.claim(photo.names) is False


def test_a_reference_is_refused_when_tampered_with_or_for_someone_else(user, other_user, site):
    photo = photos.import_photo(site.url("/photo.jpg"))
    token = photos.reference(photo, user)

    assert photos.resolve(token, user) == photo
    assert photos.resolve(token, other_user) is None
    assert photos.resolve(token[:-2] + "xx", user) is None
    assert photos.resolve("", user) is None


def test_a_reference_expires_with_the_hold(user, site, monkeypatch):
    from datetime import timedelta

    from recipes import images

    token = photos.reference(photos.import_photo(site.url("/photo.jpg")), user)
    monkeypatch.setattr(images, "HELD_MAX_AGE", timedelta(seconds=-1))

    assert photos.resolve(token, user) is None


def test_a_photo_that_fails_the_pipeline_leaves_the_recipe_to_review(user_client, site):
    site.page("/recipe", recipe_page(image="/photo.gif"))
    site.page("/photo.gif", make_image("GIF"), content_type="image/jpeg")

    response = user_client.post(IMPORT_URL, {"url": site.url("/recipe")}, follow=True)

    assertContains(response, "The recipe&#x27;s photo could not be imported (Choose a JPEG, PNG")
    assert response.context["form"].initial["title"] == "Grandma's plum cake"
    assert response.context["form"].held_photo is None


def test_a_photo_on_a_private_address_is_not_fetched(user_client, site):
    site.page("/recipe", recipe_page(image="http://169.254.169.254/latest/meta-data/"))

    response = user_client.post(IMPORT_URL, {"url": site.url("/recipe")}, follow=True)

    assertContains(response, "private network")
    assert response.context["form"].initial["title"] == "Grandma's plum cake"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/cake", "Only http:// and https:// addresses can be imported."),
        ("http://10.0.0.1/cake", "This address is on a private network"),
        ("http://[::1]/cake", "This address is on a private network"),
        ("not an address", "Enter a valid URL."),
    ],
)
def test_a_refused_address_is_a_form_error(user_client, url, message):
    response = user_client.post(IMPORT_URL, {"url": url})

    assertContains(response, message, status_code=400)


def test_loopback_is_refused_without_the_test_setting(user_client, site, settings):
    settings.RECIPE_IMPORT_ALLOW_LOOPBACK = False

    response = user_client.post(IMPORT_URL, {"url": site.url("/recipe")})

    assertContains(response, "private network", status_code=400)
    assert site.requests == []


def test_a_page_without_recipe_data_is_a_form_error(user_client, site):
    site.page("/about", b"<html><head><title>About</title></head><body>Hi</body></html>")

    response = user_client.post(IMPORT_URL, {"url": site.url("/about")})

    assertContains(response, "No recipe was found on this page", status_code=400)


def test_a_page_that_is_not_html_is_a_form_error(user_client, site):
    site.page("/data", b"{}", content_type="application/json")

    response = user_client.post(IMPORT_URL, {"url": site.url("/data")})

    assertContains(response, "This address is not a web page.", status_code=400)


def test_the_eleventh_import_in_ten_minutes_is_refused(user_client, site):
    site.page("/about", b"<html></html>")
    for _ in range(10):
        user_client.post(IMPORT_URL, {"url": site.url("/about")})

    response = user_client.post(IMPORT_URL, {"url": site.url("/recipe")})

    assertContains(response, "You have done that 10 times in the last 10 minutes.", status_code=429)
    assert len(site.requests) == 10


def test_a_cache_outage_does_not_stop_imports(user_client, site, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "add", broken)

    assert user_client.post(IMPORT_URL, {"url": site.url("/recipe")}).status_code == 302


def test_parse_reads_each_field_on_its_own():
    html = recipe_page().decode().replace('"prepTime": "PT20M", ', "")

    recipe = parse(html, "https://cakes.example/plum")

    assert recipe.prep_minutes is None
    assert recipe.cook_minutes == 45
    assert recipe.image_url == "https://cakes.example/photo.jpg"  # made absolute


@pytest.mark.parametrize(
    "html",
    ["", "<html></html>", '<script type="application/ld+json">{"@type": "Recipe"}</script>'],
)
def test_parse_refuses_a_page_without_a_title_and_ingredients(html):
    with pytest.raises(NoRecipeFound):
        parse(html, "https://cakes.example/plum")


def test_parse_drops_control_characters_and_out_of_range_numbers():
    html = recipe_page(title="Cake\u202e\x07 deluxe").decode().replace("8 servings", "900 servings")

    recipe = parse(html, "https://cakes.example/plum")

    assert recipe.title == "Cake deluxe"
    assert recipe.servings is None


def test_the_deployment_check_refuses_the_loopback_setting(settings):
    settings.RECIPE_IMPORT_ALLOW_LOOPBACK = True

    with pytest.raises(SystemCheckError, match=r"importer\.E001"):
        call_command("check", "--deploy", "--tag", "security")


def test_the_fetch_limits_are_the_documented_ones():
    from importer import views

    assert safe_fetch.MAX_REDIRECTS == 3
    assert safe_fetch.TOTAL_SECONDS == 10
    assert views.MAX_HTML_BYTES == 2 * 1024 * 1024
