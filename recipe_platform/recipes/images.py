"""The only way a photo reaches storage: checked, decoded safely, re-encoded, stored.

Each step exists because a recipe site we measure ourselves against got it wrong:

- The format is decided by the file's content, never its name or declared type, and only the
  JPEG, PNG and WebP decoders are ever tried: an SVG or HTML page is refused before any decoder
  runs and can never be served back from the media folder (Mealie's stored XSS).
- Limits come before decoding, from what ``Image.open`` reads (it is lazy: the header only), so
  the work and memory a photo can cost are bounded whatever its shape:
  the byte size of the upload (10 MB); each side (10,000 px), so a 40,000,000 x 1 PNG, which a
  pixel count alone lets through and whose resize takes seconds and gigabytes, is refused; the
  aspect ratio (10:1), since nothing longer and thinner is a photo of a dish; the pixel count,
  per format, because decoding costs differ: a JPEG is decoded at reduced size (``draft``) but a
  progressive one keeps every DCT coefficient (up to 8 bytes a pixel, CMYK), a PNG is decoded
  whole (4 bytes a pixel, twice with transparency while resizing), and Pillow decodes WebP through
  libwebp's animation decoder, which holds the canvas twice plus a copy (16 bytes a pixel): 40
  megapixels for a JPEG, 16 for a PNG or WebP keep every accepted photo under 400 MB peak
  (``benchmarks/``). What a header does not say is bounded too: a progressive JPEG may have at
  most 100 scans (each one is a pass over every block; 10 MB of tiny scans would be minutes of
  CPU), counted in the raw bytes before decoding; only the first frame of an animated WebP or
  PNG is ever decoded; Pillow caps PNG text chunks itself (64 MB). Pillow's own bomb check only
  warns below twice its ~89 MP limit: its warning is a refusal here too.
- The photo is shrunk first, then turned upright (EXIF orientation), so no full-size copy is
  ever made; then the pixels are encoded into fresh WebP files with no metadata at all: no
  sideways photos (Tandoor, Mealie), no GPS position, and nothing of the uploaded bytes survives
  (an image header followed by HTML passes ``verify()``, not this).
- Files get random names; the original upload is never stored.

A photo that passed while another form field failed is kept as a *held* upload: stored as usual
and referenced by a signed token in the re-displayed form, so the cook need not choose it again.

Every file is recorded as unused (``UnusedPhotoFile``) before it is written, until a recipe takes
it: whatever happens next, the clean-up (``recipes.cleanup``) knows it is there. A storage that
fails while the files are written (a full disk, S3 refusing or unreachable) is a form error, and
what was written is removed: no recipe ever points at a file that is not there.
"""

from __future__ import annotations

import io
import logging
import uuid
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from botocore.exceptions import BotoCoreError, ClientError
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from PIL import ExifTags, Image, JpegImagePlugin, UnidentifiedImageError

from recipes.models import UnusedPhotoFile

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_SIDE = 10_000
MAX_ASPECT_RATIO = 10
# Megapixels by decoder (an MPO, a camera's multi-picture JPEG, is decoded as a JPEG).
MAX_PIXELS = {"JPEG": 40_000_000, "PNG": 16_000_000, "WEBP": 16_000_000}
MAX_JPEG_SCANS = 100
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
DISPLAY_SIZE = 1600
THUMBNAIL_SIZE = 400
STORAGE_FOLDER = "recipes"
HELD_MAX_AGE = timedelta(hours=24)
# How long after storing a file no recipe took it may be deleted, beyond a hold: far longer
# than any request (gunicorn stops one after 30 s), so a save in progress never loses its file.
UNCLAIMED_MARGIN = timedelta(hours=1)

_OUTPUT_FORMAT = "WEBP"
_OUTPUT_EXTENSION = "webp"
_OUTPUT_OPTIONS = {"quality": 82, "method": 4}
_HELD_SALT = "recipes.images.held"
# Modes Pillow resizes as they are; anything else (palette, 16-bit, CMYK...) is converted first.
_RESIZABLE_MODES = frozenset({"RGB", "RGBA", "L", "LA"})
# With a reducing gap of 3, Pillow first shrinks by a whole factor (cheap), then resamples:
# "indistinguishable from fair resampling in most cases", and far less work for large photos.
_REDUCING_GAP = 3.0
_START_OF_SCAN = b"\xff\xda"
# EXIF orientation -> the transposition that turns the picture upright (as ImageOps does).
_UPRIGHT: dict[object, Image.Transpose] = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}

UNSUPPORTED_MESSAGE = "Choose a JPEG, PNG or WebP photo. This file is not one."
UNREADABLE_MESSAGE = "This photo is damaged or incomplete and cannot be read. Try another file."
_MAX_UPLOAD_MB = MAX_UPLOAD_BYTES // (1024 * 1024)
TOO_LARGE_MESSAGE = f"Choose a photo of at most {_MAX_UPLOAD_MB} MB."
SIDE_TOO_LONG_MESSAGE = (
    f"This photo is too wide or too tall (the limit is {MAX_SIDE:,} pixels a side). "
    "Choose a smaller one."
)
TOO_NARROW_MESSAGE = (
    f"This photo is too long and narrow (one side may be at most {MAX_ASPECT_RATIO} times the "
    "other). Crop it closer to the dish."
)
TOO_MANY_PIXELS_MESSAGE = (
    f"This photo has too many pixels (the limit is {MAX_PIXELS['JPEG'] // 1_000_000} megapixels "
    f"for a JPEG, {MAX_PIXELS['PNG'] // 1_000_000} for a PNG or WebP). Choose a smaller one."
)
TOO_MANY_SCANS_MESSAGE = (
    f"This JPEG is saved in too many progressive passes (the limit is {MAX_JPEG_SCANS}). "
    "Save it again as an ordinary JPEG."
)
HELD_EXPIRED_MESSAGE = "The photo you chose earlier has expired. Please choose it again."
NOT_STORED_MESSAGE = "The photo could not be stored, please try again."
#: What a storage raises when it cannot write: the file system's errors (a full disk, a
#: read-only or missing folder) and botocore's (S3 refusing the request, or unreachable).
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)
LIMITS_HELP_TEXT = (
    f"JPEG, PNG or WebP, up to {_MAX_UPLOAD_MB} MB and {MAX_SIDE:,} pixels a "
    f"side; {MAX_PIXELS['JPEG'] // 1_000_000} megapixels for a JPEG, "
    f"{MAX_PIXELS['PNG'] // 1_000_000} for a PNG or WebP."
)


@dataclass(frozen=True)
class Rendition:
    """One encoded size of a photo, not stored yet."""

    content: bytes
    width: int
    height: int


@dataclass(frozen=True)
class ProcessedImage:
    display: Rendition
    thumbnail: Rendition


@dataclass(frozen=True)
class StoredImage:
    """A photo in storage: what a recipe records about it."""

    display_name: str
    display_size: tuple[int, int]
    thumbnail_name: str
    thumbnail_size: tuple[int, int]

    @property
    def names(self) -> list[str]:
        return [self.display_name, self.thumbnail_name]

    @property
    def thumbnail_url(self) -> str:
        return default_storage.url(self.thumbnail_name)


def process_upload(upload: File[bytes]) -> ProcessedImage:
    """Check an uploaded file and re-encode it into a display size and a thumbnail.

    Raises ``ValidationError`` (codes ``too_large``, ``side_too_long``, ``too_narrow``,
    ``too_many_pixels``, ``too_many_scans``, ``unsupported``, ``unreadable``) for anything that
    is not a sound JPEG, PNG or WebP photo within the limits; never any other exception for bad
    input. Every limit is checked before a single pixel is decoded.
    """
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_LARGE_MESSAGE, code="too_large")
    upload.seek(0)
    try:
        # Pillow only warns about a bomb between 1x and 2x its ~89 MP limit: make that a refusal
        # too. (Belt and braces: the limits below refuse such an image anyway.)
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
    """The number of start-of-scan markers (FF DA) in a JPEG, read in chunks, nothing decoded.

    In entropy-coded data a 0xFF byte is always followed by 0x00 or a restart marker, so FF DA
    only occurs as a real marker or inside a metadata segment (an EXIF thumbnail has a scan of
    its own): the count may be a little high, never low. A marker split between two chunks is
    found by carrying the last byte over.
    """
    count = 0
    carried = b""
    for chunk in upload.chunks():
        count += (carried + chunk).count(_START_OF_SCAN)
        carried = chunk[-1:]
    return count


def _render(image: Image.Image) -> ProcessedImage:
    if _is_jpeg(image):
        # Let the JPEG decoder scale down while decoding: a 40 MP photo never exists in memory
        # at full size when a 1600 px one is all we keep.
        image.draft("RGB", _fit(image.size, DISPLAY_SIZE))
    image.load()
    orientation = image.getexif().get(ExifTags.Base.Orientation)
    mode = "RGBA" if image.has_transparency_data else "RGB"
    if image.mode not in _RESIZABLE_MODES or "transparency" in image.info:
        image = image.convert(mode)
    # Shrink first, turn upright after: the fit is a square, so the order changes nothing but
    # the cost (a full-size transposed copy would double the memory of a large PNG or WebP).
    display = _resized(image, DISPLAY_SIZE)
    if transposition := _UPRIGHT.get(orientation):
        display = display.transpose(transposition)
    display = display.convert(mode)
    thumbnail = _resized(display, THUMBNAIL_SIZE)
    return ProcessedImage(display=_encode(display), thumbnail=_encode(thumbnail))


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


def _encode(image: Image.Image) -> Rendition:
    # A fresh image holds pixels only: no EXIF, XMP, ICC profile or comment can ride along.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    buffer = io.BytesIO()
    clean.save(buffer, format=_OUTPUT_FORMAT, **_OUTPUT_OPTIONS)
    return Rendition(content=buffer.getvalue(), width=clean.width, height=clean.height)


def store(processed: ProcessedImage, *, held: bool = False) -> StoredImage:
    """Save both sizes through the default storage (``STORAGES["default"]``) under random names.

    The files are recorded as unused first, for the save that follows (:data:`UNCLAIMED_MARGIN`),
    or, ``held`` for a re-displayed form, for as long as its token lasts as well
    (:data:`HELD_MAX_AGE`); a recipe takes them with ``UnusedPhotoFile.objects.claim``. Called
    outside any transaction: a rolled-back one would take the record back but not the file.

    Raises ``ValidationError`` (``not_stored``) when the storage fails, after removing what it
    had written (or, if even that fails, leaving it recorded for the clean-up).
    """
    stem = f"{STORAGE_FOLDER}/{uuid.uuid4().hex}"
    names = [f"{stem}.{_OUTPUT_EXTENSION}", f"{stem}-thumb.{_OUTPUT_EXTENSION}"]
    keep_for = UNCLAIMED_MARGIN + (HELD_MAX_AGE if held else timedelta(0))
    UnusedPhotoFile.objects.register(names, keep_for=keep_for)
    try:
        display_name = default_storage.save(names[0], ContentFile(processed.display.content))
        thumbnail_name = default_storage.save(names[1], ContentFile(processed.thumbnail.content))
    except STORAGE_ERRORS as error:
        logger.exception("Could not store the photo files %s.", names)
        UnusedPhotoFile.objects.filter(name__in=delete_files(names)).delete()
        raise ValidationError(NOT_STORED_MESSAGE, code="not_stored") from error
    return StoredImage(
        display_name=display_name,
        display_size=(processed.display.width, processed.display.height),
        thumbnail_name=thumbnail_name,
        thumbnail_size=(processed.thumbnail.width, processed.thumbnail.height),
    )


def delete_files(names: Iterable[str]) -> list[str]:
    """Delete stored photo files; returns those deleted (or already gone).

    A failure is logged, never raised: the caller keeps the others' record and tries again.
    """
    deleted = []
    for name in names:
        try:
            default_storage.delete(name)
        except STORAGE_ERRORS:
            logger.exception("Could not delete the photo file %s.", name)
        else:
            deleted.append(name)
    return deleted


def stored_before(moment: datetime) -> list[str]:
    """Names of the photo files last written before ``moment``."""
    try:
        _folders, files = default_storage.listdir(STORAGE_FOLDER)
    except FileNotFoundError:
        return []
    names = (f"{STORAGE_FOLDER}/{file}" for file in files)
    return sorted(name for name in names if default_storage.get_modified_time(name) < moment)


def hold(stored: StoredImage, *, user_id: int) -> str:
    """A signed token for a stored photo that no recipe uses yet, valid for its uploader only."""
    payload = {
        "user": user_id,
        "display": [stored.display_name, *stored.display_size],
        "thumbnail": [stored.thumbnail_name, *stored.thumbnail_size],
    }
    return signing.dumps(payload, salt=_HELD_SALT, compress=True)


def unhold(token: str, *, user_id: int) -> StoredImage:
    """The photo a :func:`hold` token stands for; ``ValidationError`` if it is not this user's,
    has been tampered with, or is older than ``HELD_MAX_AGE`` (its files may be gone by then).
    """
    try:
        payload = signing.loads(token, salt=_HELD_SALT, max_age=HELD_MAX_AGE)
    except signing.BadSignature as error:
        raise ValidationError(HELD_EXPIRED_MESSAGE, code="held_expired") from error
    if payload["user"] != user_id:
        raise ValidationError(HELD_EXPIRED_MESSAGE, code="held_expired")
    display_name, display_width, display_height = payload["display"]
    thumbnail_name, thumbnail_width, thumbnail_height = payload["thumbnail"]
    return StoredImage(
        display_name=display_name,
        display_size=(display_width, display_height),
        thumbnail_name=thumbnail_name,
        thumbnail_size=(thumbnail_width, thumbnail_height),
    )
