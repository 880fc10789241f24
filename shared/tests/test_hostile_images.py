"""``shared.hostile_images``: each crafted file is what its name says, small and well formed."""

from __future__ import annotations

import io

import pytest
from PIL import Image, UnidentifiedImageError

from shared.hostile_images import (
    black_png,
    jpeg_with_scans,
    png_claiming_size,
    refused_uploads,
    webp_with_canvas,
)


def header(data: bytes) -> Image.Image:
    """The image as Pillow sees it from its header, without decoding a pixel."""
    return Image.open(io.BytesIO(data))


def test_a_png_can_claim_a_size_its_few_bytes_do_not_hold():
    data = png_claiming_size(8000, 6000)

    assert len(data) < 200
    assert header(data).format == "PNG"
    assert header(data).size == (8000, 6000)


def test_a_black_png_is_complete_and_decodes_to_its_size():
    image = header(black_png(300, 2))

    image.load()
    assert image.size == (300, 2)
    assert image.getextrema() == (0, 0)


def test_a_long_black_png_stays_a_small_file():
    assert len(black_png(40_000_000, 1)) < 100_000


def test_a_progressive_jpeg_carries_the_scans_it_was_asked_for():
    few, many = jpeg_with_scans(64, 64, 2), jpeg_with_scans(64, 64, 101)
    image = header(many)

    assert image.format == "JPEG"
    assert image.size == (64, 64)
    assert image.info.get("progressive") == 1
    assert many.count(b"\xff\xda") == 101  # one Start-of-Scan marker a scan
    assert few.count(b"\xff\xda") == 2
    image.load()  # and it decodes: a real file, not garbage


def test_an_animated_webp_declares_a_canvas_far_larger_than_its_frame():
    data = webp_with_canvas(10_000, 8_000)

    assert len(data) < 100
    assert header(data).size == (10_000, 8_000)


def test_every_refused_upload_names_the_error_code_a_pipeline_gives_it():
    uploads = refused_uploads()

    assert {code for _upload, code in uploads.values()} == {
        "unsupported",
        "unreadable",
        "too_large",
        "too_many_pixels",
        "side_too_long",
        "too_many_scans",
    }
    for name, (upload, _code) in uploads.items():
        assert upload.size, name


@pytest.mark.parametrize("name", ["svg named .jpg", "html named .jpg", "text named .jpg"])
def test_files_that_are_not_images_are_named_and_typed_as_jpegs(name):
    upload, _code = refused_uploads()[name]

    assert upload.name == "photo.jpg"
    assert upload.content_type == "image/jpeg"
    with pytest.raises(UnidentifiedImageError):
        header(upload.read())
