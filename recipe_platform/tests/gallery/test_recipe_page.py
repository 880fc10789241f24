"""The recipe page's gallery: the cover first, thumbnails linking to the display size, lazily
loaded, in one query whatever the number of photos."""

from __future__ import annotations

import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from gallery import services

pytestmark = pytest.mark.django_db

URL = "/recipes/lemon-tart/"


def _gallery(html: str) -> str:
    match = re.search(r'<section id="gallery" class="gallery".*?</section>', html, re.DOTALL)
    assert match, "the page shows no gallery"
    return match.group(0)


def test_the_gallery_shows_the_cover_first_then_the_photos_in_order(client, recipe, add_photos):
    photos = add_photos(recipe, 3)
    services.move_photo(photo=photos[2], offset=-1)

    gallery = _gallery(client.get(URL).content.decode())

    links = re.findall(r'<a href="([^"]+)"><img src="([^"]+)"[^>]*alt="([^"]*)"', gallery)
    assert [alt for _link, _src, alt in links] == [
        "A photo of Lemon tart",
        "Photo 1",
        "Photo 3",
        "Photo 2",
    ]
    assert links[0][:2] == (recipe.image.url, recipe.thumbnail.url)
    assert links[1][:2] == (photos[0].image.url, photos[0].thumbnail.url)


def test_every_thumbnail_is_lazy_with_its_size(client, recipe, add_photos):
    add_photos(recipe, 2)

    gallery = _gallery(client.get(URL).content.decode())

    images = re.findall(r"<img [^>]*>", gallery)
    assert len(images) == 3
    assert all('loading="lazy"' in tag and 'width="' in tag and 'height="' in tag for tag in images)


def test_a_recipe_with_its_cover_alone_shows_no_gallery(client, recipe):
    assertNotContains(client.get(URL), 'class="gallery"')


def test_the_author_and_staff_get_a_link_to_manage_the_photos(
    client, user_client, other_user_client, staff_client, recipe, add_photos
):
    add_photos(recipe, 1)

    for visitor in (user_client, staff_client):
        assertContains(visitor.get(URL), 'href="/gallery/lemon-tart/"')
    for visitor in (client, other_user_client):
        assertNotContains(visitor.get(URL), "/gallery/")


def test_the_author_is_offered_to_add_photos_to_a_recipe_without_a_gallery(user_client, recipe):
    assertContains(user_client.get(URL), "Add more photos</a> (up to 8, the cover included)")


@pytest.mark.parametrize("photos", [0, 7])
def test_the_recipe_page_costs_six_queries_whatever_the_number_of_photos(
    client, recipe, add_photos, django_assert_num_queries, photos
):
    add_photos(recipe, photos)

    # The recipe, its categories, ingredients, more from the author, the community section,
    # and the gallery's photos.
    with django_assert_num_queries(6):
        client.get(URL)


def test_making_a_photo_the_cover_shows_on_the_cached_list_at_once(client, recipe, add_photos):
    (photo,) = add_photos(recipe, 1)
    client.get("/recipes/")  # cached for anonymous visitors
    new_cover = photo.thumbnail.url

    services.make_cover(photo=photo)

    assertContains(client.get("/recipes/"), f'src="{new_cover}"')
