"""The only way a photo reaches storage: checked, decoded safely, re-encoded, stored.

Each step exists because a recipe site we measure ourselves against got it wrong:

- The format is decided by the file's content, never its name or declared type, and only the
  JPEG, PNG and WebP decoders are ever tried: an SVG or HTML page is refused before any decoder
  runs and can never be served back from the media folder (Mealie's stored XSS).
- Limits come before decoding: the byte size from the upload, the pixel count from the header
  (``Image.open`` is lazy). Pillow's own bomb check only warns below twice its ~89 MP limit; we
  refuse at 40 MP, and turn its warning into a refusal too.
- The EXIF orientation is applied, then the pixels are encoded into fresh WebP files with no
  metadata at all: no sideways photos (Tandoor, Mealie), no GPS position, and nothing of the
  uploaded bytes survives (an image header followed by HTML passes ``verify()``, not this).
- Files get random names; the original upload is never stored.

A photo that passed while another form field failed is kept as a *held* upload: stored as usual
and referenced by a signed token in the re-displayed form, so the cook need not choose it again.
"""

from __future__ import annotations

import io
import logging
import uuid
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
DISPLAY_SIZE = 1600
THUMBNAIL_SIZE = 400
STORAGE_FOLDER = "recipes"
HELD_MAX_AGE = timedelta(hours=24)

_OUTPUT_FORMAT = "WEBP"
_OUTPUT_EXTENSION = "webp"
_OUTPUT_OPTIONS = {"quality": 82, "method": 4}
_HELD_SALT = "recipes.images.held"

UNSUPPORTED_MESSAGE = "Choose a JPEG, PNG or WebP photo. This file is not one."
UNREADABLE_MESSAGE = "This photo is damaged or incomplete and cannot be read. Try another file."
TOO_LARGE_MESSAGE = f"Choose a photo smaller than {filesizeformat(MAX_UPLOAD_BYTES)}."
TOO_MANY_PIXELS_MESSAGE = (
    f"This photo has too many pixels (the limit is {MAX_PIXELS // 1_000_000} megapixels). "
    "Choose a smaller one."
)
HELD_EXPIRED_MESSAGE = "The photo you chose earlier has expired. Please choose it again."


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

    Raises ``ValidationError`` (codes ``too_large``, ``too_many_pixels``, ``unsupported``,
    ``unreadable``) for anything that is not a sound JPEG, PNG or WebP photo within the limits;
    never any other exception for bad input.
    """
    if upload.size is None or upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(TOO_LARGE_MESSAGE, code="too_large")
    upload.seek(0)
    try:
        # Pillow only warns about a bomb between 1x and 2x its ~89 MP limit: make that a refusal
        # too. (Belt and braces: the 40 MP check below refuses such an image anyway.)
        with (
            warnings.catch_warnings(action="error", category=Image.DecompressionBombWarning),
            Image.open(upload, formats=ACCEPTED_FORMATS) as image,
        ):
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(TOO_MANY_PIXELS_MESSAGE, code="too_many_pixels")
            return _render(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(TOO_MANY_PIXELS_MESSAGE, code="too_many_pixels") from error
    except UnidentifiedImageError as error:
        raise ValidationError(UNSUPPORTED_MESSAGE, code="unsupported") from error
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        # Truncated data, a body that is not image data, a mode Pillow cannot convert.
        raise ValidationError(UNREADABLE_MESSAGE, code="unreadable") from error


def _render(image: Image.Image) -> ProcessedImage:
    if image.format == "JPEG":
        # Let the JPEG decoder scale down while decoding: a 40 MP photo never exists in memory
        # at full size when a 1600 px one is all we keep.
        image.draft("RGB", _fit(image.size, DISPLAY_SIZE))
    image.load()
    upright = ImageOps.exif_transpose(image)
    has_alpha = upright.mode in {"RGBA", "LA", "PA"} or "transparency" in upright.info
    upright = upright.convert("RGBA" if has_alpha else "RGB")
    display = _resized(upright, DISPLAY_SIZE)
    thumbnail = _resized(display, THUMBNAIL_SIZE)
    return ProcessedImage(display=_encode(display), thumbnail=_encode(thumbnail))


def _fit(size: tuple[int, int], longest: int) -> tuple[int, int]:
    width, height = size
    scale = min(1.0, longest / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _resized(image: Image.Image, longest: int) -> Image.Image:
    if max(image.size) <= longest:
        return image
    return image.resize(_fit(image.size, longest), Image.Resampling.LANCZOS)


def _encode(image: Image.Image) -> Rendition:
    # A fresh image holds pixels only: no EXIF, XMP, ICC profile or comment can ride along.
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    buffer = io.BytesIO()
    clean.save(buffer, format=_OUTPUT_FORMAT, **_OUTPUT_OPTIONS)
    return Rendition(content=buffer.getvalue(), width=clean.width, height=clean.height)


def store(processed: ProcessedImage) -> StoredImage:
    """Save both sizes through the default storage (``STORAGES["default"]``) under random names."""
    stem = f"{STORAGE_FOLDER}/{uuid.uuid4().hex}"
    display_name = default_storage.save(
        f"{stem}.{_OUTPUT_EXTENSION}", ContentFile(processed.display.content)
    )
    thumbnail_name = default_storage.save(
        f"{stem}-thumb.{_OUTPUT_EXTENSION}", ContentFile(processed.thumbnail.content)
    )
    return StoredImage(
        display_name=display_name,
        display_size=(processed.display.width, processed.display.height),
        thumbnail_name=thumbnail_name,
        thumbnail_size=(processed.thumbnail.width, processed.thumbnail.height),
    )


def delete_files(names: Iterable[str]) -> None:
    """Delete stored photo files; a failure is logged, never raised (the data is already saved)."""
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("Could not delete the photo file %s.", name)


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
