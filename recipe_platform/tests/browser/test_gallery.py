"""The photo gallery in a real browser, without JavaScript: a cook adds a photo, reorders,
makes one the cover and deletes one; the recipe page shows the gallery. axe-core checks the
management page, and the README's screenshot of a recipe with several photos is taken here."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import Browser, Page, expect
from shared.browser import assert_accessible, save_screenshots
from shared.images import make_image, make_uploaded_image

from gallery import services
from gallery.models import RecipePhoto
from recipes import images
from recipes.models import Recipe
from tests.browser.pages import BROWSER_TEST, assert_image_loaded
from tests.factories import RecipeFactory

pytestmark = BROWSER_TEST


@pytest.fixture
def no_script_page(chromium: Browser, live_server, user) -> Iterator[Page]:
    """A tab with JavaScript switched off, logged in as ``user``."""
    client = Client()
    client.force_login(user)
    context = chromium.new_context(java_script_enabled=False, locale="en-US")
    context.set_default_timeout(10_000)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    yield context.new_page()
    context.close()


def _photos(page):
    return page.get_by_role("list", name="More photos").get_by_role("listitem")


def test_a_cook_manages_the_gallery_without_javascript(no_script_page, live_server, user):
    page = no_script_page
    recipe = RecipeFactory.create(author=user, title="Plum cake", slug="plum-cake", photo=True)
    gallery = f"{live_server.url}/gallery/plum-cake/"

    page.goto(gallery)
    for alt in ("A slice on a plate", "The cake whole"):
        page.get_by_label("Photo:", exact=True).set_input_files(
            {"name": "plum.jpg", "mimeType": "image/jpeg", "buffer": make_image("JPEG", (640, 480))}
        )
        page.get_by_label("Photo description:", exact=True).fill(alt)
        page.get_by_role("button", name="Add the photo").click()
        expect(page.get_by_role("status")).to_contain_text("The photo is added to the gallery.")
    expect(_photos(page)).to_have_count(2)

    page.get_by_role("button", name="Move up “The cake whole”").click()
    expect(page.get_by_role("status")).to_contain_text("The photo “The cake whole” moved up.")
    expect(_photos(page).first).to_contain_text("The cake whole")
    expect(page.get_by_role("button", name="Move up “The cake whole”")).to_have_count(0)

    page.get_by_role("button", name="Make this the cover (“The cake whole”)").click()
    expect(page.get_by_role("status")).to_contain_text("“The cake whole” is now the cover.")
    expect(page.get_by_role("figure")).to_contain_text("The cake whole")
    expect(_photos(page).first).to_contain_text("A photo of Plum cake")

    page.get_by_role("button", name="Delete “A slice on a plate”").click()
    expect(page.get_by_role("status")).to_contain_text("“A slice on a plate” is deleted.")
    expect(_photos(page)).to_have_count(1)

    page.get_by_role("link", name="Back to the recipe").click()
    expect(page).to_have_url(f"{live_server.url}{recipe.get_absolute_url()}")
    gallery_section = page.get_by_role("region", name="Photos")
    expect(gallery_section.get_by_role("img")).to_have_count(2)
    expect(gallery_section.get_by_role("img").first).to_have_attribute("alt", "The cake whole")
    assert RecipePhoto.objects.filter(recipe=recipe).count() == 1


def test_the_gallery_page_is_accessible_and_its_photos_load(page, live_server, log_in, user):
    recipe = RecipeFactory.create(author=user, title="Plum cake", slug="plum-cake", photo=True)
    for number in (1, 2, 3):
        services.add_photo(
            recipe=recipe,
            image=images.process_upload(make_uploaded_image(size=(640, 480))),
            alt=f"Plum cake, photo {number}",
        )
    log_in(user)

    page.goto(f"{live_server.url}/gallery/plum-cake/")

    expect(_photos(page)).to_have_count(3)
    for image in page.get_by_role("img").all():
        assert_image_loaded(image)
    assert_accessible(page)


def test_a_refused_photo_is_explained_beside_its_field(page, live_server, log_in, user):
    RecipeFactory.create(author=user, title="Plum cake", slug="plum-cake", photo=True)
    log_in(user)

    page.goto(f"{live_server.url}/gallery/plum-cake/")
    page.get_by_label("Photo:", exact=True).set_input_files(
        {"name": "page.jpg", "mimeType": "image/jpeg", "buffer": b"<html>not a photo</html>"}
    )
    page.get_by_label("Photo description:", exact=True).fill("Not a photo")
    page.get_by_role("button", name="Add the photo").click()

    expect(page.get_by_role("alert")).to_contain_text("The photo was not added")
    expect(page.locator(".field-error")).to_contain_text("Choose a JPEG, PNG or WebP photo.")
    assert_accessible(page)


@pytest.mark.screenshots
def test_recipe_with_a_gallery(page, live_server, screenshot_dir):
    call_command("load_demo_data", stdout=None)
    recipe = Recipe.objects.get(title="Fluffy buttermilk pancakes")

    page.goto(f"{live_server.url}{recipe.get_absolute_url()}#gallery")

    gallery_section = page.get_by_role("region", name="Photos")
    expect(gallery_section.get_by_role("img")).to_have_count(5)
    for image in gallery_section.get_by_role("img").all():
        assert_image_loaded(image)
    assert_accessible(page)
    if screenshot_dir is not None:
        # Each width's reload then scrolls to #gallery, not back to the other width's offset.
        page.evaluate("history.scrollRestoration = 'manual'")
        save_screenshots(page, "recipe-gallery", screenshot_dir)
