"""Photos on S3-compatible object storage (django-storages), against a local S3 server.

moto's server mode answers the S3 API on a loopback port, in this process, so the whole path is
real: boto3 signs requests, django-storages uploads, lists and deletes objects, and the pages
link URLs that a browser can fetch.
"""

from __future__ import annotations

import io
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from unittest import mock

import boto3
import pytest
from django.core.management import call_command
from django.utils import timezone
from moto.server import ThreadedMotoServer
from PIL import Image
from pytest_django.asserts import assertContains
from shared.images import make_uploaded_image

from recipes import images
from recipes.models import Recipe, UnusedPhotoFile
from tests.factories import RecipeFactory

pytestmark = pytest.mark.django_db

ACCESS_KEY = SECRET_KEY = "testing"
REGION = "us-east-1"


@dataclass(frozen=True)
class Bucket:
    name: str
    endpoint: str
    client: Any

    def keys(self) -> list[str]:
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def head(self, key: str) -> dict[str, Any]:
        return self.client.head_object(Bucket=self.name, Key=key)


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """A local S3-compatible server on a free loopback port, for this module's tests."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any) -> Bucket:
    """A new, empty bucket, and STORAGES["default"] pointing at it as the environment would."""
    name = f"recipe-photos-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                "access_key": ACCESS_KEY,
                "secret_key": SECRET_KEY,
                "addressing_style": "path",
                "signature_version": "s3v4",
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        },
    }
    return Bucket(name=name, endpoint=s3_endpoint, client=client)


def _publish(client, recipe_data) -> Recipe:
    photo = make_uploaded_image(size=(1200, 900))
    response = client.post("/recipes/new/", recipe_data(image=photo, image_alt="Pancakes"))
    assert response.status_code == 302
    return Recipe.objects.get()


def _fetch(url: str) -> tuple[str, Image.Image]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - the local S3 server
        content_type = response.headers["Content-Type"]
        image = Image.open(io.BytesIO(response.read()))
        image.load()
    return content_type, image


def test_an_uploaded_photo_is_stored_in_the_bucket_in_both_sizes(
    bucket, user_client, recipe_data, media_root
):
    recipe = _publish(user_client, recipe_data)

    assert bucket.keys() == sorted(recipe.image_files)
    assert recipe.image.name.startswith("recipes/")
    assert list(media_root.iterdir()) == []


def test_stored_objects_are_webp_and_cacheable_for_a_year(bucket, user_client, recipe_data):
    recipe = _publish(user_client, recipe_data)

    for key in recipe.image_files:
        head = bucket.head(key)
        assert head["ContentType"] == "image/webp"
        assert head["CacheControl"] == "public, max-age=31536000, immutable"


def test_the_recipe_page_links_signed_urls_a_browser_can_fetch(bucket, user_client, recipe_data):
    recipe = _publish(user_client, recipe_data)

    response = user_client.get(recipe.get_absolute_url())

    image_url = recipe.image.url
    thumbnail_url = recipe.thumbnail.url
    assert image_url.startswith(f"{bucket.endpoint}/{bucket.name}/recipes/")
    assert "X-Amz-Signature=" in image_url
    assertContains(response, f'src="{image_url.replace("&", "&amp;")}"')
    assert _fetch(image_url)[0] == "image/webp"
    assert _fetch(image_url)[1].size == (recipe.image_width, recipe.image_height)
    assert _fetch(thumbnail_url)[1].size == (recipe.thumbnail_width, recipe.thumbnail_height)


def test_the_list_shows_thumbnails_from_the_bucket(bucket, user_client, recipe_data):
    recipe = _publish(user_client, recipe_data)

    response = user_client.get("/recipes/")

    assertContains(response, recipe.thumbnail.url.split("?")[0])


def test_a_custom_domain_gives_plain_public_urls(bucket, settings):
    settings.STORAGES["default"]["OPTIONS"]["custom_domain"] = "photos.example.org"
    settings.STORAGES = {**settings.STORAGES}  # tell Django the storages changed
    recipe = RecipeFactory.create(photo=True)

    assert recipe.image.url == f"https://photos.example.org/{recipe.image.name}"


def _img_src(response) -> str:
    directives = dict(d.split(" ", 1) for d in response["Content-Security-Policy"].split("; "))
    return directives["img-src"]


def test_the_content_security_policy_lets_pages_load_photos_from_the_bucket_only(
    bucket, user_client, recipe_data
):
    recipe = _publish(user_client, recipe_data)

    response = user_client.get(recipe.get_absolute_url())

    assert _img_src(response) == f"'self' data: {bucket.endpoint}"
    assert recipe.image.url.startswith(f"{bucket.endpoint}/")


def test_the_content_security_policy_follows_a_custom_domain(bucket, settings, client):
    settings.STORAGES["default"]["OPTIONS"]["custom_domain"] = "photos.example.org"
    settings.STORAGES = {**settings.STORAGES}

    assert _img_src(client.get("/recipes/")) == "'self' data: https://photos.example.org"


def test_a_replaced_photo_stays_for_the_history_and_goes_with_the_recipe(
    bucket, user_client, recipe_data, django_capture_on_commit_callbacks
):
    recipe = _publish(user_client, recipe_data)
    old_keys = recipe.image_files

    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(
            f"/recipes/{recipe.slug}/edit/",
            recipe_data(image=make_uploaded_image(), image_alt="New pancakes"),
        )
    recipe.refresh_from_db()
    assert bucket.keys() == sorted([*old_keys, *recipe.image_files])  # the first version's

    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(f"/recipes/{recipe.slug}/delete/")

    assert bucket.keys() == []


def test_deleting_a_recipe_deletes_its_objects(
    bucket, user_client, recipe_data, django_capture_on_commit_callbacks
):
    recipe = _publish(user_client, recipe_data)

    with django_capture_on_commit_callbacks(execute=True):
        user_client.post(f"/recipes/{recipe.slug}/delete/")

    assert not Recipe.objects.exists()
    assert bucket.keys() == []


def test_a_photo_kept_after_a_form_error_waits_in_the_bucket(bucket, user_client, recipe_data):
    photo = make_uploaded_image()

    response = user_client.post(
        "/recipes/new/", recipe_data(title="", image=photo, image_alt="Pancakes")
    )

    held = response.context["form"].held_photo
    assert bucket.keys() == sorted(held.names)
    assertContains(response, held.thumbnail_url.split("?")[0])


def test_orphan_cleanup_deletes_unused_objects_only(bucket, capsys):
    recipe = RecipeFactory.create(photo=True)
    abandoned = images.store(images.process_upload(make_uploaded_image()))
    later = timezone.now() + images.UNCLAIMED_MARGIN

    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("delete_orphaned_images")

    assert bucket.keys() == sorted(recipe.image_files)
    assert not set(abandoned.names) & set(bucket.keys())
    assert "Deleted 2 unused photo file(s)." in capsys.readouterr().out


def test_a_storage_scan_lists_the_bucket_for_objects_no_record_knows(bucket, capsys):
    recipe = RecipeFactory.create(photo=True)
    legacy = images.store(images.process_upload(make_uploaded_image()))
    UnusedPhotoFile.objects.filter(name__in=legacy.names).delete()  # stored before the records

    call_command("delete_orphaned_images", "--scan-storage", "--older-than-hours", "0")

    assert bucket.keys() == sorted(recipe.image_files)
    assert capsys.readouterr().out.splitlines() == [
        "Found 2 unrecorded unused photo file(s).",
        "Deleted 2 unused photo file(s).",
    ]


def test_a_bucket_that_refuses_the_photo_is_a_form_error(bucket, user_client, recipe_data):
    """S3 answers an error (here the bucket is gone): the cook gets the form back, and no
    recipe points at an object that does not exist."""
    bucket.client.delete_bucket(Bucket=bucket.name)

    response = user_client.post(
        "/recipes/new/", recipe_data(image=make_uploaded_image(), image_alt="Pancakes")
    )

    assertContains(response, images.NOT_STORED_MESSAGE)
    assert not Recipe.objects.exists()
