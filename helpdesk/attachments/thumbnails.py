"""Image attachments' previews: the only form in which an upload is ever shown inline.

Limits come before decoding, from the header ``Image.open`` reads (it is lazy): at most 10,000
pixels a side, 40 megapixels for a JPEG (decoded at reduced size with ``draft``) and 16 for
the other formats (decoded whole). Pillow's own decompression-bomb warning is a refusal too.
Only the first frame of an animation is decoded. The preview is turned upright (EXIF
orientation), shrunk, copied into a fresh image (no EXIF, GPS, ICC or comment survives) and
encoded anew: JPEG, or PNG when it has transparency. Nothing of the uploaded bytes reaches a
browser inline, so an image header followed by HTML (which passes ``verify()``) is harmless.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import IO

from PIL import ExifTags, Image, UnidentifiedImageError

from attachments.models import Kind

MAX_SIDE = 10_000
MAX_PIXELS = {Kind.JPEG: 40_000_000, Kind.PNG: 16_000_000, Kind.GIF: 16_000_000}
DEFAULT_MAX_PIXELS = 16_000_000
THUMBNAIL_SIZE = 320
_PILLOW_FORMATS = {Kind.PNG: "PNG", Kind.JPEG: "JPEG", Kind.GIF: "GIF", Kind.WEBP: "WEBP"}
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


class UnreadableImage(Exception):
    """Not a sound image of its format, or one too large to decode safely."""


@dataclass(frozen=True)
class Thumbnail:
    content: bytes
    extension: str  # "jpg" or "png"
    width: int
    height: int


def make_thumbnail(file: IO[bytes], kind: Kind) -> Thumbnail:
    """Decode ``file`` (of image ``kind``) within the limits and encode its preview."""
    file.seek(0)
    try:
        with (
            warnings.catch_warnings(action="error", category=Image.DecompressionBombWarning),
            Image.open(file, formats=[_PILLOW_FORMATS[kind]]) as image,
        ):
            width, height = image.size
            if max(width, height) > MAX_SIDE:
                raise UnreadableImage(f"wider or taller than {MAX_SIDE:,} pixels")
            if width * height > MAX_PIXELS.get(kind, DEFAULT_MAX_PIXELS):
                raise UnreadableImage("an image with too many pixels")
            if kind == Kind.JPEG:
                image.draft("RGB", (THUMBNAIL_SIZE * 2, THUMBNAIL_SIZE * 2))
            image.load()
            return _encode(image, _UPRIGHT.get(image.getexif().get(ExifTags.Base.Orientation)))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise UnreadableImage("an image with too many pixels") from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise UnreadableImage("a damaged image") from error


def _encode(image: Image.Image, upright: Image.Transpose | None) -> Thumbnail:
    """Shrink first and turn upright after, so no full-size copy is ever made."""
    transparent = image.has_transparency_data
    mode = "RGBA" if transparent else "RGB"
    preview = image.convert(mode)
    preview.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
    if upright is not None:
        preview = preview.transpose(upright)
    clean = Image.new(mode, preview.size)
    clean.paste(preview)
    buffer = io.BytesIO()
    if transparent:
        clean.save(buffer, format="PNG", optimize=True)
    else:
        clean.save(buffer, format="JPEG", quality=85)
    return Thumbnail(
        content=buffer.getvalue(),
        extension="png" if transparent else "jpg",
        width=clean.width,
        height=clean.height,
    )
