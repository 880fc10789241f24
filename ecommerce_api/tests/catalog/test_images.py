"""The product photo pipeline (catalog.images): it refuses the same hostile files as
recipe_platform's photo uploads, and stores only a clean re-encoding of the pixels."""

import io
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageFile
from shared.hostile_images import jpeg_with_scans, png_claiming_size, refused_uploads
from shared.images import make_image, make_uploaded_image

from catalog import images

REFUSED_KINDS = list(refused_uploads())


def _open(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


@pytest.mark.parametrize("kind", REFUSED_KINDS)
def test_hostile_and_oversized_files_are_refused_with_their_code(kind):
    upload, code = refused_uploads()[kind]

    with pytest.raises(ValidationError) as error:
        images.clean_upload(upload)

    assert error.value.code == code


@pytest.mark.parametrize(("width", "height"), [(8000, 6000), (10_000, 10_000), (20_000, 20_000)])
def test_a_decompression_bomb_is_refused_from_its_header_without_decoding(width, height):
    upload = SimpleUploadedFile("photo.png", png_claiming_size(width, height), "image/png")

    with (
        mock.patch.object(ImageFile.ImageFile, "load", autospec=True) as load,
        pytest.raises(ValidationError) as error,
    ):
        images.clean_upload(upload)

    assert error.value.code == "too_many_pixels"
    load.assert_not_called()


@pytest.mark.parametrize("size", [(10_001, 1_001), (1_001, 10_001)])
def test_a_side_over_10000_pixels_is_refused(size):
    upload = SimpleUploadedFile("photo.png", png_claiming_size(*size), "image/png")

    with pytest.raises(ValidationError) as error:
        images.clean_upload(upload)

    assert error.value.code == "side_too_long"


def test_a_photo_longer_than_10_to_1_is_refused():
    upload = SimpleUploadedFile("photo.png", png_claiming_size(1100, 100), "image/png")

    with pytest.raises(ValidationError) as error:
        images.clean_upload(upload)

    assert error.value.code == "too_narrow"


def test_a_progressive_jpeg_of_100_scans_is_accepted_and_101_refused():
    accepted = SimpleUploadedFile("a.jpg", jpeg_with_scans(64, 64, 100), "image/jpeg")
    refused = SimpleUploadedFile("b.jpg", jpeg_with_scans(64, 64, 101), "image/jpeg")

    assert images.clean_upload(accepted).width == 64
    with pytest.raises(ValidationError) as error:
        images.clean_upload(refused)
    assert error.value.code == "too_many_scans"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_each_accepted_format_is_re_encoded_as_webp_without_metadata(fmt):
    upload = make_uploaded_image(fmt=fmt, size=(320, 240), gps=True)

    photo = images.clean_upload(upload)

    stored = _open(photo.content)
    assert stored.format == "WEBP"
    assert (photo.width, photo.height) == (320, 240)
    assert not stored.getexif()
    assert "icc_profile" not in stored.info


def test_the_format_is_read_from_the_content_not_the_name():
    upload = make_uploaded_image("photo.gif", fmt="PNG", content_type="image/gif")

    assert _open(images.clean_upload(upload).content).format == "WEBP"


def test_html_after_a_valid_image_does_not_survive_re_encoding():
    upload = SimpleUploadedFile(
        "photo.png", make_image("PNG", (64, 48)) + b"<script>alert(1)</script>", "image/png"
    )

    assert b"<script>" not in images.clean_upload(upload).content


def test_the_exif_orientation_is_applied():
    """Orientation 6 (a phone held upright): the red left half ends up on top."""
    upload = make_uploaded_image(fmt="JPEG", size=(80, 40), orientation=6)

    photo = images.clean_upload(upload)

    stored = _open(photo.content).convert("RGB")
    assert (photo.width, photo.height) == (40, 80)
    pixel = stored.getpixel((20, 5))  # the top: the red left half before turning
    assert isinstance(pixel, tuple)
    red, _green, blue = pixel
    assert red > 150
    assert blue < 100


def test_a_large_photo_is_kept_at_2000_pixels_at_most():
    upload = make_uploaded_image(fmt="JPEG", size=(4000, 3000))

    photo = images.clean_upload(upload)

    assert (photo.width, photo.height) == (2000, 1500)


def test_a_file_over_10_mb_is_refused_before_it_is_read():
    upload = SimpleUploadedFile("photo.jpg", b"\xff" * (10 * 1024 * 1024 + 1), "image/jpeg")

    with pytest.raises(ValidationError) as error:
        images.clean_upload(upload)

    assert error.value.code == "too_large"
