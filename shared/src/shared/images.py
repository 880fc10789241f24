"""Real image files for upload tests, made with Pillow in memory.

Each image is split into a red left half and a blue right half, so a test can tell after
processing whether an EXIF rotation was applied (the colours move) or ignored (they do not).
"""

from __future__ import annotations

import io
from typing import Literal

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

ImageFormat = Literal["JPEG", "PNG", "WEBP", "GIF"]

LEFT_COLOUR = (220, 30, 30)
RIGHT_COLOUR = (30, 30, 220)

_CONTENT_TYPES = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "WEBP": "image/webp",
    "GIF": "image/gif",
}
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}

# EXIF tag numbers (see the EXIF 2.3 specification).
_ORIENTATION_TAG = 0x0112
_GPS_IFD_TAG = 0x8825
_GPS_LATITUDE_REF = 1
_GPS_LATITUDE = 2
_GPS_LONGITUDE_REF = 3
_GPS_LONGITUDE = 4


def make_image(
    fmt: ImageFormat = "JPEG",
    size: tuple[int, int] = (64, 48),
    *,
    orientation: int | None = None,
    gps: bool = False,
) -> bytes:
    """Return the bytes of an encoded image.

    ``orientation`` writes the EXIF Orientation tag (1-8) without touching the pixels, as a
    phone camera does; ``gps`` adds a GPS block (a position in Paris) to the EXIF data.
    """
    width, height = size
    image = Image.new("RGB", size, RIGHT_COLOUR)
    image.paste(LEFT_COLOUR, (0, 0, max(width // 2, 1), height))
    exif = Image.Exif()
    if orientation is not None:
        exif[_ORIENTATION_TAG] = orientation
    if gps:
        exif[_GPS_IFD_TAG] = {
            _GPS_LATITUDE_REF: "N",
            _GPS_LATITUDE: (48.0, 51.0, 24.0),
            _GPS_LONGITUDE_REF: "E",
            _GPS_LONGITUDE: (2.0, 21.0, 8.0),
        }
    buffer = io.BytesIO()
    save_options: dict[str, object] = {}
    if len(exif):
        save_options["exif"] = exif.tobytes()
    image.save(buffer, format=fmt, **save_options)
    return buffer.getvalue()


def make_uploaded_image(
    name: str | None = None,
    fmt: ImageFormat = "JPEG",
    size: tuple[int, int] = (64, 48),
    *,
    orientation: int | None = None,
    gps: bool = False,
    content_type: str | None = None,
) -> SimpleUploadedFile:
    """Wrap :func:`make_image` in an uploaded file, as a form or the test client receives it.

    ``name`` and ``content_type`` default to the real format's, and can be set to lie about it.
    """
    return SimpleUploadedFile(
        name or f"photo.{_EXTENSIONS[fmt]}",
        make_image(fmt, size, orientation=orientation, gps=gps),
        content_type=content_type or _CONTENT_TYPES[fmt],
    )
