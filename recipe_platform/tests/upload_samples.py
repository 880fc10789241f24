"""Files a photo upload must refuse, shared by the pipeline tests and the view tests."""

from __future__ import annotations

import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from shared.images import make_image, make_uploaded_image


def png_claiming_size(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` but whose data is a few bytes.

    Decoding it would allocate width x height x 3 bytes: a decompression bomb in miniature.
    """

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"></svg>'
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"


def refused_uploads() -> dict[str, tuple[SimpleUploadedFile, str]]:
    """Each kind of file to refuse, with the error code the pipeline gives it."""
    jpeg = make_image("JPEG", (320, 240))
    png = make_image("PNG", (320, 240))
    return {
        "svg": (SimpleUploadedFile("photo.svg", SVG, "image/svg+xml"), "unsupported"),
        "svg named .jpg": (SimpleUploadedFile("photo.jpg", SVG, "image/jpeg"), "unsupported"),
        "html named .jpg": (SimpleUploadedFile("photo.jpg", HTML, "image/jpeg"), "unsupported"),
        "gif": (make_uploaded_image(fmt="GIF"), "unsupported"),
        "gif named .png": (
            make_uploaded_image("photo.png", fmt="GIF", content_type="image/png"),
            "unsupported",
        ),
        "text named .jpg": (
            SimpleUploadedFile("photo.jpg", b"Not a photo at all.\n", "image/jpeg"),
            "unsupported",
        ),
        "jpeg header, html body": (
            SimpleUploadedFile("photo.jpg", jpeg[:300] + HTML * 20, "image/jpeg"),
            "unreadable",
        ),
        "truncated png": (SimpleUploadedFile("photo.png", png[:120], "image/png"), "unreadable"),
        "over 10 MB": (
            SimpleUploadedFile("photo.jpg", jpeg + b"\x00" * (10 * 1024 * 1024), "image/jpeg"),
            "too_large",
        ),
        "48 megapixels": (
            SimpleUploadedFile("photo.png", png_claiming_size(8000, 6000), "image/png"),
            "too_many_pixels",
        ),
        "decompression bomb": (
            SimpleUploadedFile("photo.png", png_claiming_size(10_000, 10_000), "image/png"),
            "too_many_pixels",
        ),
    }
