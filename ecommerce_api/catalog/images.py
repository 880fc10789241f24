"""The only way a product photo reaches storage: checked by content, decoded safely,
re-encoded, then cut into the sizes the API serves.

The checks are the ones recipe_platform's photo uploads pass (copied, not imported: the
projects are independent), each there because a site we measure ourselves against got it wrong:

- The format is decided by the file's content, never its name or declared type, and only the
  JPEG, PNG and WebP decoders are ever tried: an SVG or HTML page is refused before any decoder
  runs and can never be served back from the media folder (Mealie's stored XSS).
- Limits come before decoding, from what ``Image.open`` reads (the header only): the byte size
  (10 MB); each side (10,000 px), so a 40,000,000 x 1 PNG is refused; the aspect ratio (10:1);
  the pixel count per decoder (40 megapixels for a JPEG, which is decoded at reduced size; 16
  for a PNG or WebP, decoded whole); at most 100 scans in a progressive JPEG (each is a pass
  over every block), counted in the raw bytes. Pillow's own bomb warning is a refusal too.
- The photo is shrunk first, then turned upright (EXIF orientation), then its pixels are encoded
  into a fresh WebP with no metadata at all: no sideways photos, no GPS position, and nothing of
  the uploaded bytes survives (an image header followed by HTML passes ``verify()``, not this).

The cleaned photo (at most :data:`SOURCE_SIZE` a side) is what ``ProductImage.image`` stores;
django-imagekit makes the thumbnail, card and full sizes from it when it is saved
(``catalog.models.ProductImage``), so every file served was written by this project.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from PIL import ExifTags, Image, JpegImagePlugin, UnidentifiedImageError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 10_000
MAX_ASPECT_RATIO = 10
# Megapixels by decoder (an MPO, a camera's multi-picture JPEG, is decoded as a JPEG).
MAX_PIXELS = {"JPEG": 40_000_000, "PNG": 16_000_000, "WEBP": 16_000_000}
MAX_JPEG_SCANS = 100
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
#: The longest side of the cleaned photo the sizes are made from (the largest, "full", is 1600).
SOURCE_SIZE = 2000

_OUTPUT_OPTIONS = {"quality": 90, "method": 4}
_RESIZABLE_MODES = frozenset({"RGB", "RGBA", "L", "LA"})
_REDUCING_GAP = 3.0
_START_OF_SCAN = b"\xff\xda"
_UPRIGHT: dict[object, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

_MAX_UPLOAD_MB = MAX_UPLOAD_BYTES // (1024 * 1024)
UNSUPPORTED_MESSAGE = "Choose a JPEG, PNG or WebP photo. This file is not one."
UNREADABLE_MESSAGE = "This photo is damaged or incomplete and cannot be read. Try another file."
TOO_LARGE_MESSAGE = f"Choose a photo of at most {_MAX_UPLOAD_MB} MB."
SIDE_TOO_LONG_MESSAGE = (
    f"This photo is too wide or too tall (the limit is {MAX_SIDE:,} pixels a side)."
)
TOO_NARROW_MESSAGE = (
    f"This photo is too long and narrow (one side may be at most {MAX_ASPECT_RATIO} times the "
    "other)."
)
TOO_MANY_PIXELS_MESSAGE = (
    f"This photo has too many pixels (the limit is {MAX_PIXELS['JPEG'] // 1_000_000} megapixels "
    f"for a JPEG, {MAX_PIXELS['PNG'] // 1_000_000} for a PNG or WebP)."
)
TOO_MANY_SCANS_MESSAGE = (
    f"This JPEG is saved in too many progressive passes (the limit is {MAX_JPEG_SCANS}). "
    "Save it again as an ordinary JPEG."
)
LIMITS_HELP_TEXT = (
    f"JPEG, PNG or WebP, up to {_MAX_UPLOAD_MB} MB and {MAX_SIDE:,} pixels a side; "
    f"{MAX_PIXELS['JPEG'] // 1_000_000} megapixels for a JPEG, "
    f"{MAX_PIXELS['PNG'] // 1_000_000} for a PNG or WebP."
)


@dataclass(frozen=True)
class CleanPhoto:
    """A photo re-encoded from its pixels alone, ready to store."""

    content: bytes
    width: int
    height: int


def clean_upload(upload: File[bytes]) -> CleanPhoto:
    """Check an uploaded file and re-encode it as a clean WebP of at most ``SOURCE_SIZE``.

    Raises ``ValidationError`` (codes ``too_large``, ``side_too_long``, ``too_narrow``,
    ``too_many_pixels``, ``too_many_scans``, ``unsupported``, ``unreadable``) for anything that
    is not a sound JPEG, PNG or WebP photo within the limits; never any other exception for bad
    input. Every limit is checked before a single pixel is decoded.
    """
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_LARGE_MESSAGE, code="too_large")
    upload.seek(0)
    try:
        with (
            warnings.catch_warnings(action="error", category=Image.DecompressionBombWarning),
            Image.open(upload, formats=ACCEPTED_FORMATS) as image,
        ):
            _check_shape(image)
            if _is_jpeg(image) and _count_scans(upload) > MAX_JPEG_SCANS:
                raise ValidationError(TOO_MANY_SCANS_MESSAGE, code="too_many_scans")
            return _render(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(TOO_MANY_PIXELS_MESSAGE, code="too_many_pixels") from error
    except UnidentifiedImageError as error:
        raise ValidationError(UNSUPPORTED_MESSAGE, code="unsupported") from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        # Truncated data, a body that is not image data, a mode Pillow cannot convert.
        raise ValidationError(UNREADABLE_MESSAGE, code="unreadable") from error


def delete_on_commit(names: list[str]) -> None:
    """Delete these files once the transaction that stopped using them commits (a photo
    removed or replaced in the admin); nothing is deleted if it rolls back."""

    def delete() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete)


def _is_jpeg(image: Image.Image) -> bool:
    # Image.open(formats=["JPEG"]) also opens MPO files (a JPEG with more pictures after it).
    return isinstance(image, JpegImagePlugin.JpegImageFile)


def _check_shape(image: Image.Image) -> None:
    """Refuse, from the header alone, a photo whose decoding would cost too much."""
    width, height = image.size
    if max(width, height) > MAX_SIDE:
        raise ValidationError(SIDE_TOO_LONG_MESSAGE, code="side_too_long")
    if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        raise ValidationError(TOO_NARROW_MESSAGE, code="too_narrow")
    decoder = "JPEG" if _is_jpeg(image) else str(image.format)
    if width * height > MAX_PIXELS[decoder]:
        raise ValidationError(TOO_MANY_PIXELS_MESSAGE, code="too_many_pixels")


def _count_scans(upload: File[bytes]) -> int:
    """Start-of-scan markers (FF DA) in a JPEG, read in chunks, nothing decoded; may count a
    little high (a marker inside metadata), never low."""
    count = 0
    carried = b""
    for chunk in upload.chunks():
        count += (carried + chunk).count(_START_OF_SCAN)
        carried = chunk[-1:]
    return count


def _render(image: Image.Image) -> CleanPhoto:
    if _is_jpeg(image):
        # Let the JPEG decoder scale down while decoding: a 40 MP photo never exists in memory
        # at full size.
        image.draft("RGB", _fit(image.size, SOURCE_SIZE))
    image.load()
    orientation = image.getexif().get(ExifTags.Base.Orientation)
    mode = "RGBA" if image.has_transparency_data else "RGB"
    if image.mode not in _RESIZABLE_MODES or "transparency" in image.info:
        image = image.convert(mode)
    # Shrink first, turn upright after: the fit is a square, so only the cost changes.
    photo = _resized(image, SOURCE_SIZE)
    if transposition := _UPRIGHT.get(orientation):
        photo = photo.transpose(transposition)
    photo = photo.convert(mode)
    # A fresh image holds pixels only: no EXIF, XMP, ICC profile or comment can ride along.
    clean = Image.new(photo.mode, photo.size)
    clean.paste(photo)
    buffer = io.BytesIO()
    clean.save(buffer, format="WEBP", **_OUTPUT_OPTIONS)
    return CleanPhoto(content=buffer.getvalue(), width=clean.width, height=clean.height)


def _fit(size: tuple[int, int], longest: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, longest / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _resized(image: Image.Image, longest: int) -> Image.Image:
    if max(image.size) <= longest:
        return image
    return image.resize(
        _fit(image.size, longest), Image.Resampling.LANCZOS, reducing_gap=_REDUCING_GAP
    )
