"""Photo uploads a pipeline must refuse: recipe_platform's and ecommerce_api's both check them.

Besides ordinary files from :mod:`shared.images`, real files crafted byte by byte: each is small
and well formed, and would cost seconds and gigabytes to decode if a limit let it through.
:func:`refused_uploads` pairs each with the error code the two projects' pipelines give it, so
both refuse the same hostile files for the same reasons.
"""

from __future__ import annotations

import io
import struct
import zlib
from functools import cache

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shared.images import make_image, make_uploaded_image


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data)
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_claiming_size(width: int, height: int) -> bytes:
    """A PNG whose header claims ``width`` x ``height`` but whose data is a few bytes.

    Decoding it would allocate width x height x 3 bytes: a decompression bomb in miniature.
    """
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + _png_chunk(b"IEND", b"")
    )


@cache
def black_png(width: int, height: int) -> bytes:
    """A complete, valid 8-bit grey PNG of ``width`` x ``height`` black pixels.

    Zeros compress about a thousand to one, so a 40,000,000 x 1 image is a 40 KB file that
    Pillow decodes for real (and, unchecked, resizes in seconds and gigabytes).
    """
    raw_size = height * (width + 1)  # each row: a filter byte, then one byte a pixel
    compressor = zlib.compressobj(9)
    block = b"\x00" * (1 << 20)
    compressed = bytearray()
    for start in range(0, raw_size, len(block)):
        compressed += compressor.compress(block[: raw_size - start])
    compressed += compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", bytes(compressed))
        + _png_chunk(b"IEND", b"")
    )


def _jpeg_segment(marker: int, payload: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


class _BitWriter:
    """Huffman-coded bits for a JPEG scan, with the 0xFF byte stuffing JPEG requires."""

    def __init__(self) -> None:
        self.output = bytearray()
        self.byte = 0
        self.filled = 0

    def write(self, value: int, length: int) -> None:
        for shift in reversed(range(length)):
            self.byte = (self.byte << 1) | ((value >> shift) & 1)
            self.filled += 1
            if self.filled == 8:
                self.output += b"\xff\x00" if self.byte == 0xFF else bytes([self.byte])
                self.byte = self.filled = 0

    def flush(self) -> bytes:
        while self.filled:
            self.write(1, 1)
        return bytes(self.output)


@cache
def jpeg_with_scans(width: int, height: int, scans: int) -> bytes:
    """A valid grey progressive JPEG (plain mid-grey) with ``scans`` scans.

    One DC scan, then ``scans - 1`` copies of an AC scan that ends every block at once (a
    run of 32,767 empty blocks is 15 bits). Each is a few dozen bytes, yet the decoder walks
    every block of the image for each one: 1,000 of them on 40 megapixels are about 6 seconds
    of CPU in a 150 KB file, and 10 MB would hold 70,000.
    """
    blocks = -(-width // 8) * -(-height // 8)
    quantisation = _jpeg_segment(0xDB, b"\x00" + bytes([1] * 64))
    frame = _jpeg_segment(0xC2, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
    # Huffman tables with one one-bit code each: DC "no difference", AC "EOB run of 2^14+".
    tables = _jpeg_segment(0xC4, b"\x00" + bytes([1] + [0] * 15) + b"\x00") + _jpeg_segment(
        0xC4, b"\x10" + bytes([1] + [0] * 15) + b"\xe0"
    )
    dc = _BitWriter()
    for _ in range(blocks):
        dc.write(0, 1)
    dc_scan = _jpeg_segment(0xDA, b"\x01\x01\x00\x00\x00\x00") + dc.flush()
    ac = _BitWriter()
    for _ in range(-(-blocks // 32767)):
        ac.write(0, 1)
        ac.write(0x3FFF, 14)
    ac_scan = _jpeg_segment(0xDA, b"\x01\x01\x00\x01\x3f\x00") + ac.flush()
    return (
        b"\xff\xd8" + quantisation + frame + tables + dc_scan + ac_scan * (scans - 1) + b"\xff\xd9"
    )


def _riff_chunk(kind: bytes, data: bytes) -> bytes:
    padding = b"\x00" if len(data) % 2 else b""
    return kind + struct.pack("<I", len(data)) + data + padding


def _u24(number: int) -> bytes:
    return struct.pack("<I", number)[:3]


@cache
def webp_with_canvas(width: int, height: int) -> bytes:
    """A valid animated WebP of under 100 bytes: a ``width`` x ``height`` canvas, one 1 x 1 frame.

    libwebp's animation decoder (the one Pillow uses) fills and copies the whole canvas for the
    first frame: a 10,000 x 8,000 canvas costs about 4 seconds and 1.3 GB to decode.
    """
    buffer = io.BytesIO()
    Image.new("RGB", (1, 1), (200, 30, 30)).save(buffer, "WEBP", lossless=True)
    frame = buffer.getvalue()[12:]  # the VP8L chunk, after "RIFF", its size and "WEBP"
    canvas = _riff_chunk(b"VP8X", b"\x02\x00\x00\x00" + _u24(width - 1) + _u24(height - 1))
    animation = _riff_chunk(b"ANIM", b"\xff\xff\xff\xff\x00\x00")
    first_frame = _riff_chunk(b"ANMF", _u24(0) * 4 + _u24(100) + b"\x00" + frame)
    body = b"WEBP" + canvas + animation + first_frame
    return b"RIFF" + struct.pack("<I", len(body)) + body


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
        "40,000,000 x 1": (
            SimpleUploadedFile("photo.png", black_png(40_000_000, 1), "image/png"),
            "side_too_long",
        ),
        "webp canvas of 80 megapixels": (
            SimpleUploadedFile("photo.webp", webp_with_canvas(10_000, 8_000), "image/webp"),
            "too_many_pixels",
        ),
        "jpeg with 101 scans": (
            SimpleUploadedFile("photo.jpg", jpeg_with_scans(64, 64, 101), "image/jpeg"),
            "too_many_scans",
        ),
        "decompression bomb": (
            SimpleUploadedFile("photo.png", png_claiming_size(10_000, 10_000), "image/png"),
            "too_many_pixels",
        ),
    }
