import io

import pytest
from PIL import Image

from shared.images import LEFT_COLOUR, RIGHT_COLOUR, make_image, make_uploaded_image

ORIENTATION = 0x0112
GPS_IFD = 0x8825


def _open(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_image_is_encoded_in_the_requested_format(fmt):
    image = _open(make_image(fmt, (40, 30)))

    assert image.format == fmt
    assert image.size == (40, 30)


def test_left_half_is_red_and_right_half_blue():
    image = _open(make_image("PNG", (40, 30))).convert("RGB")

    assert image.getpixel((5, 15)) == LEFT_COLOUR
    assert image.getpixel((35, 15)) == RIGHT_COLOUR


def test_no_exif_unless_asked():
    assert len(_open(make_image("JPEG")).getexif()) == 0


def test_orientation_is_written_to_exif_without_rotating_pixels():
    image = _open(make_image("JPEG", (40, 30), orientation=6))

    assert image.getexif()[ORIENTATION] == 6
    assert image.size == (40, 30)


def test_gps_block_is_written_to_exif():
    exif = _open(make_image("JPEG", gps=True)).getexif()

    gps = exif.get_ifd(GPS_IFD)
    assert gps[1] == "N"
    assert gps[3] == "E"


def test_uploaded_image_names_itself_after_its_real_format():
    upload = make_uploaded_image(fmt="WEBP")

    assert upload.name == "photo.webp"
    assert upload.content_type == "image/webp"
    assert _open(upload.read()).format == "WEBP"


def test_uploaded_image_can_lie_about_its_name_and_type():
    upload = make_uploaded_image("cat.jpg", fmt="PNG", content_type="image/jpeg")

    assert (upload.name, upload.content_type) == ("cat.jpg", "image/jpeg")
    assert _open(upload.read()).format == "PNG"
