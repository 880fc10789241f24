"""The upload pipeline (recipes.images): what is accepted, what is refused, what is stored."""

import io
import logging
from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageFile, JpegImagePlugin
from shared.hostile_images import (
    black_png,
    jpeg_with_scans,
    png_claiming_size,
    refused_uploads,
    webp_with_canvas,
)
from shared.images import LEFT_COLOUR, RIGHT_COLOUR, make_image, make_uploaded_image

from recipes import images

REFUSED_KINDS = list(refused_uploads())


def _open(content: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(content))
    image.load()
    return image


def _pixel(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    """The colour at ``xy`` of an image with bands (RGB, RGBA): a tuple, one value a band."""
    pixel = image.getpixel(xy)
    assert isinstance(pixel, tuple)
    return pixel


def _is_red(pixel: tuple[int, ...]) -> bool:
    return pixel[0] > 150 and pixel[2] < 100


def _is_blue(pixel: tuple[int, ...]) -> bool:
    return pixel[2] > 150 and pixel[0] < 100


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_each_accepted_format_is_re_encoded_as_webp(fmt):
    upload = make_uploaded_image(fmt=fmt, size=(640, 480))

    processed = images.process_upload(upload)

    display = _open(processed.display.content)
    assert display.format == "WEBP"
    assert display.size == (640, 480)
    assert processed.display.content != upload.read()


@pytest.mark.parametrize("kind", REFUSED_KINDS)
def test_refused_kinds_raise_a_validation_error_with_their_code(kind):
    upload, code = refused_uploads()[kind]

    with pytest.raises(ValidationError) as error:
        images.process_upload(upload)

    assert error.value.code == code


def test_the_format_is_read_from_the_content_not_the_name():
    upload = make_uploaded_image("photo.gif", fmt="PNG", content_type="image/gif")

    processed = images.process_upload(upload)

    assert _open(processed.display.content).format == "WEBP"


def test_html_after_a_valid_image_does_not_survive_re_encoding():
    payload = b"<script>alert(document.cookie)</script>"
    upload = SimpleUploadedFile("photo.png", make_image("PNG", (64, 48)) + payload, "image/png")

    processed = images.process_upload(upload)

    assert b"<script>" not in processed.display.content
    assert b"<script>" not in processed.thumbnail.content


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (8000, 6000),  # 48 MP: over our limit, under Pillow's warning (about 89 MP)
        (10_000, 10_000),  # 100 MP: Pillow only warns
        (20_000, 20_000),  # 400 MP: Pillow raises DecompressionBombError
    ],
)
def test_a_decompression_bomb_is_refused_from_its_header_without_decoding(width, height):
    upload = SimpleUploadedFile("photo.png", png_claiming_size(width, height), "image/png")

    with (
        mock.patch.object(ImageFile.ImageFile, "load", autospec=True) as load,
        pytest.raises(ValidationError) as error,
    ):
        images.process_upload(upload)

    assert error.value.code == "too_many_pixels"
    load.assert_not_called()


# --- Limits read from the header, before anything is decoded (the README's numbers) ----------


def _upload(content: bytes, name: str = "photo") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/octet-stream")


def _refused_without_decoding(content: bytes) -> str:
    """The error code for ``content``; fails if any pixel was decoded on the way."""
    with (
        mock.patch.object(ImageFile.ImageFile, "load", autospec=True) as load,
        pytest.raises(ValidationError) as error,
    ):
        images.process_upload(_upload(content))
    load.assert_not_called()
    return str(error.value.code)


def _passes_the_checks(content: bytes) -> bool:
    """Whether ``content`` gets past every limit (rendering is skipped: only the checks run)."""
    with mock.patch.object(images, "_render", return_value="rendered") as render:
        images.process_upload(_upload(content))
    return render.called


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(lambda: black_png(40_000_000, 1), id="png-40000000x1"),
        pytest.param(lambda: black_png(1, 40_000_000), id="png-1x40000000"),
        pytest.param(lambda: black_png(10_001, 1), id="png-10001x1"),
        pytest.param(lambda: black_png(1, 10_001), id="png-1x10001"),
        pytest.param(lambda: black_png(10_001, 1_001), id="png-10001x1001"),
        pytest.param(lambda: make_image("JPEG", (65_500, 1)), id="jpeg-65500x1"),
        pytest.param(lambda: make_image("JPEG", (1, 65_500)), id="jpeg-1x65500"),
        pytest.param(lambda: make_image("WEBP", (16_383, 1)), id="webp-16383x1"),
        pytest.param(lambda: webp_with_canvas(10_001, 1_001), id="webp-canvas-10001x1001"),
    ],
)
def test_a_side_over_10000_pixels_is_refused_from_the_header(content):
    assert _refused_without_decoding(content()) == "side_too_long"


@pytest.mark.parametrize("size", [(10_000, 1_000), (1_000, 10_000)])
def test_a_photo_of_10000_pixels_a_side_at_10_to_1_is_processed(size):
    processed = images.process_upload(_upload(black_png(*size)))

    assert {processed.display.width, processed.display.height} == {1600, 160}


@pytest.mark.parametrize("size", [(10_000, 999), (999, 10_000), (11, 1), (1, 11)])
def test_a_photo_longer_than_10_to_1_is_refused_from_the_header(size):
    assert _refused_without_decoding(black_png(*size)) == "too_narrow"


def test_the_aspect_ratio_limit_is_inclusive():
    assert _passes_the_checks(black_png(10, 1))
    assert _passes_the_checks(black_png(1, 10))


@pytest.mark.parametrize(
    ("allowed", "refused"),
    [
        pytest.param(
            lambda: jpeg_with_scans(8_000, 5_000, 1),
            lambda: jpeg_with_scans(8_000, 5_001, 1),
            id="jpeg-40-megapixels",
        ),
        pytest.param(
            lambda: black_png(4_000, 4_000),
            lambda: black_png(4_000, 4_001),
            id="png-16-megapixels",
        ),
        pytest.param(
            lambda: webp_with_canvas(4_000, 4_000),
            lambda: webp_with_canvas(4_000, 4_001),
            id="webp-16-megapixels",
        ),
    ],
)
def test_the_pixel_limit_of_each_format_is_inclusive(allowed, refused):
    assert _passes_the_checks(allowed())
    assert _refused_without_decoding(refused()) == "too_many_pixels"


def test_a_tiny_webp_whose_canvas_claims_80_megapixels_is_refused_before_decoding():
    content = webp_with_canvas(10_000, 8_000)

    assert len(content) < 100
    assert _refused_without_decoding(content) == "too_many_pixels"


def test_a_gif_is_never_decoded_whatever_it_claims():
    assert _refused_without_decoding(make_image("GIF", (65_535, 1))) == "unsupported"


def test_a_progressive_jpeg_of_100_scans_is_processed():
    processed = images.process_upload(_upload(jpeg_with_scans(64, 64, 100)))

    assert (processed.display.width, processed.display.height) == (64, 64)


def test_a_progressive_jpeg_of_101_scans_is_refused_before_decoding():
    assert _refused_without_decoding(jpeg_with_scans(64, 64, 101)) == "too_many_scans"


def test_scans_are_counted_across_the_chunks_a_large_upload_is_read_in():
    content = jpeg_with_scans(64, 64, 101)
    upload = _upload(content)
    upload.DEFAULT_CHUNK_SIZE = 7  # every marker is split between two chunks somewhere

    assert images._count_scans(upload) == 101


@pytest.mark.parametrize(("fmt", "extension"), [("WEBP", "webp"), ("PNG", "png")])
def test_only_the_first_frame_of_an_animation_is_decoded(fmt, extension):
    first = Image.new("RGB", (64, 48), LEFT_COLOUR)
    colours = [RIGHT_COLOUR, (30, 200, 30)]
    later = [Image.new("RGB", (64, 48), colours[frame % 2]) for frame in range(20)]
    buffer = io.BytesIO()
    first.save(buffer, format=fmt, save_all=True, append_images=later, duration=100)
    assert getattr(Image.open(io.BytesIO(buffer.getvalue())), "n_frames", 1) == 21

    processed = images.process_upload(_upload(buffer.getvalue(), f"photo.{extension}"))

    assert _is_red(_pixel(_open(processed.display.content).convert("RGB"), (32, 24)))


def test_a_multi_picture_jpeg_is_decoded_at_reduced_size_like_any_jpeg():
    first = Image.open(io.BytesIO(make_image("JPEG", (3200, 2400))))
    buffer = io.BytesIO()
    first.save(buffer, format="MPO", save_all=True, append_images=[first.copy()])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"

    with mock.patch.object(
        JpegImagePlugin.JpegImageFile, "draft", autospec=True, wraps=Image.Image.draft
    ) as draft:
        processed = images.process_upload(_upload(buffer.getvalue()))

    draft.assert_called_once()
    assert (processed.display.width, processed.display.height) == (1600, 1200)


def test_a_large_photo_is_shrunk_before_it_is_turned_upright():
    upload = make_uploaded_image(fmt="PNG", size=(3200, 2400), orientation=6)

    turned_sizes = []
    transpose = Image.Image.transpose

    def recording_transpose(image, method):
        turned_sizes.append(image.size)
        return transpose(image, method)

    with mock.patch.object(Image.Image, "transpose", recording_transpose):
        processed = images.process_upload(upload)

    assert turned_sizes == [(1600, 1200)]
    display = _open(processed.display.content).convert("RGB")
    assert display.size == (1200, 1600)
    assert _is_red(_pixel(display, (600, 50)))
    assert _is_blue(_pixel(display, (600, 1550)))


def test_a_file_of_exactly_the_size_limit_is_checked_not_refused(monkeypatch):
    upload = make_uploaded_image(size=(64, 48))
    monkeypatch.setattr(images, "MAX_UPLOAD_BYTES", upload.size)

    images.process_upload(upload)


def test_a_file_of_exactly_10_mb_is_checked_and_one_byte_more_is_refused():
    photo = make_image("PNG", (64, 48))
    exactly_10_mb = photo + b"\x00" * (10 * 1024 * 1024 - len(photo))  # ignored after IEND

    images.process_upload(_upload(exactly_10_mb))
    with pytest.raises(ValidationError) as error:
        images.process_upload(_upload(exactly_10_mb + b"\x00"))

    assert error.value.code == "too_large"


def test_a_file_without_a_known_size_is_refused():
    upload = make_uploaded_image()
    upload.size = None

    with pytest.raises(ValidationError) as error:
        images.process_upload(upload)

    assert error.value.code == "too_large"


def test_a_mode_pillow_cannot_convert_is_refused_as_unreadable():
    with (
        mock.patch.object(Image.Image, "convert", side_effect=ValueError("conversion")),
        pytest.raises(ValidationError) as error,
    ):
        images.process_upload(make_uploaded_image())

    assert error.value.code == "unreadable"


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_stored_files_carry_no_exif_and_no_gps(fmt):
    upload = make_uploaded_image(fmt=fmt, orientation=1, gps=True)
    assert _open(upload.read()).getexif()  # the upload does have EXIF with GPS

    processed = images.process_upload(upload)

    for rendition in (processed.display, processed.thumbnail):
        stored = _open(rendition.content)
        assert "exif" not in stored.info
        assert not stored.getexif()
        assert b"Exif" not in rendition.content


def test_a_photo_without_orientation_keeps_its_layout():
    processed = images.process_upload(make_uploaded_image(size=(64, 48)))

    display = _open(processed.display.content).convert("RGB")
    assert display.size == (64, 48)
    assert _is_red(_pixel(display, (4, 24)))
    assert _is_blue(_pixel(display, (60, 24)))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_the_exif_orientation_is_applied(fmt):
    # Orientation 6: the camera was turned; the picture must be turned 90 degrees clockwise,
    # which moves the red left half to the top and the blue right half to the bottom.
    upload = make_uploaded_image(fmt=fmt, size=(64, 48), orientation=6)

    processed = images.process_upload(upload)

    display = _open(processed.display.content).convert("RGB")
    assert display.size == (48, 64)
    assert _is_red(_pixel(display, (24, 4)))
    assert _is_blue(_pixel(display, (24, 60)))


def test_an_upside_down_photo_is_turned_the_right_way_up():
    processed = images.process_upload(make_uploaded_image(size=(64, 48), orientation=3))

    display = _open(processed.display.content).convert("RGB")
    assert _is_blue(_pixel(display, (4, 24)))
    assert _is_red(_pixel(display, (60, 24)))


@pytest.mark.parametrize(("fmt", "size"), [("JPEG", (3200, 2400)), ("PNG", (2000, 4000))])
def test_large_photos_get_a_1600_display_size_and_a_400_thumbnail(fmt, size):
    processed = images.process_upload(make_uploaded_image(fmt=fmt, size=size))

    assert max(_open(processed.display.content).size) == 1600
    assert max(_open(processed.thumbnail.content).size) == 400
    assert processed.display.width / processed.display.height == pytest.approx(
        size[0] / size[1], rel=0.01
    )


def test_small_photos_are_not_enlarged():
    processed = images.process_upload(make_uploaded_image(size=(300, 200)))

    assert (processed.display.width, processed.display.height) == (300, 200)
    assert (processed.thumbnail.width, processed.thumbnail.height) == (300, 200)


def test_transparency_is_kept():
    image = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    image.paste((*LEFT_COLOUR, 255), (0, 0, 20, 40))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")

    processed = images.process_upload(SimpleUploadedFile("a.png", buffer.getvalue(), "image/png"))

    display = _open(processed.display.content)
    assert display.mode == "RGBA"
    assert _pixel(display, (30, 20))[3] == 0


def test_a_palette_png_becomes_rgb():
    image = Image.new("RGB", (40, 40), RIGHT_COLOUR).convert("P")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")

    processed = images.process_upload(SimpleUploadedFile("a.png", buffer.getvalue(), "image/png"))

    assert _open(processed.display.content).mode == "RGB"


@pytest.mark.django_db  # a stored file is recorded as unused
def test_store_saves_both_sizes_under_random_names(media_files):
    processed = images.process_upload(make_uploaded_image("holiday-at-home.jpg"))

    first = images.store(processed)
    second = images.store(processed)

    assert media_files() == sorted([*first.names, *second.names])
    assert set(first.names).isdisjoint(second.names)
    assert all(name.startswith("recipes/") and name.endswith(".webp") for name in first.names)
    assert "holiday" not in first.display_name
    assert first.display_size == (64, 48)
    assert first.thumbnail_url == default_storage.url(first.thumbnail_name)


@pytest.mark.django_db  # a stored file is recorded as unused
def test_store_goes_through_the_storages_setting(settings, media_files):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }
    processed = images.process_upload(make_uploaded_image())

    stored = images.store(processed)

    assert media_files() == []
    assert default_storage.exists(stored.display_name)


@pytest.mark.django_db  # a stored file is recorded as unused
def test_delete_files_removes_them_and_says_which(media_files):
    stored = images.store(images.process_upload(make_uploaded_image()))

    deleted = images.delete_files(stored.names)

    assert deleted == stored.names
    assert media_files() == []


def test_delete_files_logs_a_failure_instead_of_raising(caplog):
    with (
        mock.patch.object(default_storage, "delete", side_effect=OSError("read-only")),
        caplog.at_level(logging.ERROR, logger="recipes.images"),
    ):
        deleted = images.delete_files(["recipes/a.webp"])

    assert deleted == []
    assert "recipes/a.webp" in caplog.text


@pytest.mark.django_db  # a stored file is recorded as unused
def test_stored_before_lists_files_older_than_the_moment():
    stored = images.store(images.process_upload(make_uploaded_image()))

    assert images.stored_before(timezone.now() + timedelta(minutes=1)) == sorted(stored.names)
    assert images.stored_before(timezone.now() - timedelta(minutes=1)) == []


def test_stored_before_is_empty_before_any_upload():
    assert images.stored_before(timezone.now()) == []


@pytest.mark.django_db  # a stored file is recorded as unused
def test_a_held_photo_token_gives_back_the_same_photo_to_its_uploader():
    stored = images.store(images.process_upload(make_uploaded_image()))

    token = images.hold(stored, user_id=7)

    assert images.unhold(token, user_id=7) == stored


@pytest.mark.django_db  # a stored file is recorded as unused
def test_a_held_photo_token_is_refused_for_another_user():
    stored = images.store(images.process_upload(make_uploaded_image()))
    token = images.hold(stored, user_id=7)

    with pytest.raises(ValidationError) as error:
        images.unhold(token, user_id=8)

    assert error.value.code == "held_expired"


@pytest.mark.django_db  # a stored file is recorded as unused
def test_a_tampered_held_photo_token_is_refused():
    stored = images.store(images.process_upload(make_uploaded_image()))
    token = images.hold(stored, user_id=7)

    with pytest.raises(ValidationError):
        images.unhold(token.replace(":", ":x", 1), user_id=7)


@pytest.mark.django_db  # a stored file is recorded as unused
def test_a_held_photo_token_expires():
    stored = images.store(images.process_upload(make_uploaded_image()))
    token = images.hold(stored, user_id=7)
    later = timezone.now() + images.HELD_MAX_AGE + timedelta(minutes=1)

    with (
        mock.patch("django.core.signing.time.time", return_value=later.timestamp()),
        pytest.raises(ValidationError) as error,
    ):
        images.unhold(token, user_id=7)

    assert error.value.code == "held_expired"
