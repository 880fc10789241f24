"""A page's photo URLs (``recipes.storage_urls``): the very strings the storage returns, from
the file system without a call to it per file, and from any other storage by asking it."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.files.storage import FileSystemStorage, Storage, default_storage

from recipes.storage_urls import StorageUrls

#: Bases urljoin leaves alone, and bases it rewrites (dot and empty segments, a query, a
#: scheme it does not join relative URLs in, no trailing slash: FileSystemStorage adds one).
BASES = [
    "/media/",
    "https://cdn.example.com/media/",
    "//cdn.example.com/m/",
    "/",
    "media",
    "/a/./b/",
    "/a/../b/",
    "/media//x/",
    "/media/?v=1",
    "/media/#top",
    "s3://bucket/x/",
    "/mé dia/",
]
NAMES = [
    "recipes/0123456789abcdef0123456789abcdef.webp",
    "recipes/0123456789abcdef0123456789abcdef-thumb.webp",
    "a_b-c/D9.JPG",
    "top.webp",
    # Names the shortcut must leave to the storage: quoted, dot segments, more dots, a
    # leading slash, a scheme, parameters, a query, non-ASCII.
    "recipes/with space.webp",
    "recipes/crème.webp",
    "recipes/../x.webp",
    "./x.webp",
    "x.tar.gz",
    "/abs.webp",
    "c:x.webp",
    "a;b.webp",
    "a?b.webp",
    "%41.webp",
    "recipes/",
    "noextension",
]


def _counting_urls() -> mock._patch[mock.MagicMock]:
    """``FileSystemStorage.url`` as it is, counting its calls."""
    return mock.patch.object(
        FileSystemStorage, "url", autospec=True, side_effect=FileSystemStorage.url
    )


@pytest.mark.parametrize("base", BASES)
def test_every_url_is_the_string_the_file_system_storage_returns(base):
    storage = FileSystemStorage(base_url=base)
    urls = StorageUrls(storage)

    assert [urls.url(name) for name in NAMES] == [storage.url(name) for name in NAMES]


def test_the_file_system_is_asked_once_for_a_page_of_plain_names_not_once_a_file():
    storage = FileSystemStorage(base_url="/media/")
    names = [f"recipes/{n:032x}.webp" for n in range(24)]
    expected = [storage.url(name) for name in names]

    with _counting_urls() as url:
        urls = StorageUrls(storage)
        answered = [urls.url(name) for name in names]

    assert answered == expected
    assert url.call_count == 1  # the probe of the base


def test_the_default_storage_behind_its_lazy_object_takes_the_same_shortcut(settings):
    settings.MEDIA_URL = "/photos/"
    name = "recipes/0123456789abcdef0123456789abcdef.webp"

    with _counting_urls() as url:
        urls = StorageUrls(default_storage)
        assert urls.url(name) == "/photos/" + name

    assert url.call_count == 1


def test_a_base_urljoin_rewrites_asks_the_storage_for_every_name():
    storage = FileSystemStorage(base_url="/a/./b/")

    with _counting_urls() as url:
        urls = StorageUrls(storage)
        assert urls.url("recipes/x.webp") == "/a/b/recipes/x.webp"

    assert url.call_count == 2


class SignedStorage(Storage):
    """Stands for S3: each URL is signed, so no two need be alike."""

    def __init__(self) -> None:
        self.signed = 0

    def url(self, name: str | None) -> str:
        self.signed += 1
        return f"https://bucket.example.com/{name}?signature={self.signed}"


class VersionedFileSystemStorage(FileSystemStorage):
    """Versions its photos' URLs only: any other file's URL is the file system's."""

    def url(self, name: str | None) -> str:
        url = super().url(name)
        return f"{url}?v=2" if url.endswith(".webp") else url


def test_a_storage_that_is_not_the_file_system_is_asked_for_every_url():
    storage = SignedStorage()
    urls = StorageUrls(storage)

    assert urls.url("recipes/a.webp") == "https://bucket.example.com/recipes/a.webp?signature=1"
    assert urls.url("recipes/a.webp") == "https://bucket.example.com/recipes/a.webp?signature=2"


def test_a_file_system_storage_with_its_own_url_method_is_asked_for_every_url():
    urls = StorageUrls(VersionedFileSystemStorage(base_url="/media/"))

    assert urls.url("recipes/a.webp") == "/media/recipes/a.webp?v=2"
