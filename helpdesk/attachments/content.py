"""What a file is, decided by opening it with the parser of the format it claims at its start.

Never by its name or the type the browser or mail client declared: each allowed kind is proven
by its own structure, and anything else is refused.

- Images (PNG, JPEG, GIF, WebP): their signature, then Pillow, restricted to that one decoder,
  reads the header; the preview is re-encoded by :mod:`attachments.thumbnails`.
- PDF: ``%PDF-1.x`` / ``%PDF-2.x`` at the start and ``%%EOF`` at the end.
- Office Open XML (docx, xlsx, pptx): a zip starting at byte 0 whose ``[Content_Types].xml``
  declares the document's main part with the exact content type of that format (so a
  macro-enabled ``docm`` is refused, as is any other zip), and that part exists.
- OpenDocument (odt, ods, odp): a zip whose first entry is ``mimetype``, stored uncompressed,
  holding one of the three types, with a ``META-INF/manifest.xml``.
- Plain text: valid UTF-8 (a BOM allowed) without NUL bytes.

The name must then agree with the content: "invoice.pdf" that is really text, or an HTML page
called "photo.png", is refused, so a file is never saved on someone's disk under a name that
would make their computer open it with the wrong program. Only the XML of the two small parts
named above is ever decompressed (at most 256 KB, no DTD), so a zip bomb costs nothing.
"""

from __future__ import annotations

import codecs
import zipfile
from typing import IO
from xml.etree import ElementTree

from attachments.models import IMAGE_KINDS, Kind

# The extensions a name may have for each kind; an image may carry any image extension (people
# rename JPEGs .png all the time and nothing opens an image as anything else).
_IMAGE_EXTENSIONS = frozenset({"png", "jpg", "jpeg", "jpe", "jfif", "gif", "webp"})
_TEXT_EXTENSIONS = frozenset(
    {"", "txt", "text", "log", "csv", "tsv", "md", "json", "yaml", "yml", "ini", "cfg", "conf"}
)
EXTENSIONS: dict[Kind, frozenset[str]] = {
    **dict.fromkeys(IMAGE_KINDS, _IMAGE_EXTENSIONS),
    Kind.PDF: frozenset({"pdf"}),
    Kind.TEXT: _TEXT_EXTENSIONS,
    Kind.DOCX: frozenset({"docx"}),
    Kind.XLSX: frozenset({"xlsx"}),
    Kind.PPTX: frozenset({"pptx"}),
    Kind.ODT: frozenset({"odt"}),
    Kind.ODS: frozenset({"ods"}),
    Kind.ODP: frozenset({"odp"}),
}
#: What the file input offers to pick (a hint for the browser's dialog, checked by nothing).
ACCEPT = ",".join(
    f".{extension}" for extension in sorted(set().union(*EXTENSIONS.values())) if extension
)

_IMAGE_SIGNATURES: tuple[tuple[bytes, Kind], ...] = (
    (b"\x89PNG\r\n\x1a\n", Kind.PNG),
    (b"\xff\xd8\xff", Kind.JPEG),
    (b"GIF87a", Kind.GIF),
    (b"GIF89a", Kind.GIF),
)
_ZIP_SIGNATURE = b"PK\x03\x04"
_PDF_VERSIONS = (b"%PDF-1.", b"%PDF-2.")
_PDF_TAIL_BYTES = 1024
_XML_PART_MAX_BYTES = 256 * 1024
_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# The main part each Office Open XML format must declare, with its exact content type.
_OOXML_MAIN_PARTS: dict[str, Kind] = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": Kind.DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": Kind.XLSX,
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": (
        Kind.PPTX
    ),
}
_ODF_TYPES = frozenset({Kind.ODT.value, Kind.ODS.value, Kind.ODP.value})
_READ_CHUNK = 64 * 1024


class NotAllowed(Exception):
    """The content is none of the allowed kinds (or is damaged)."""


def sniff(file: IO[bytes]) -> Kind:
    """The kind of ``file`` by its content alone; raises :class:`NotAllowed` otherwise.

    Images are only recognised here by their signature; :mod:`attachments.thumbnails` then
    decodes them, and refuses what Pillow cannot read.
    """
    file.seek(0)
    head = file.read(16)
    for signature, kind in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return kind
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return Kind.WEBP
    if head.startswith(_PDF_VERSIONS):
        return _pdf(file)
    if head.startswith(_ZIP_SIGNATURE):
        return _office_document(file)
    return _text(file)


def extension_of(name: str) -> str:
    stem, dot, extension = name.rpartition(".")
    return extension.lower() if dot and stem else ""


def name_fits(name: str, kind: Kind) -> bool:
    return extension_of(name) in EXTENSIONS[kind]


def _pdf(file: IO[bytes]) -> Kind:
    file.seek(0, 2)
    size = file.tell()
    file.seek(max(0, size - _PDF_TAIL_BYTES))
    if b"%%EOF" not in file.read():
        raise NotAllowed("an incomplete PDF")
    return Kind.PDF


def _office_document(file: IO[bytes]) -> Kind:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                return _open_document(archive)
            if "[Content_Types].xml" in names:
                return _office_open_xml(archive, set(names))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, NotImplementedError) as error:
        raise NotAllowed("a damaged archive") from error
    except RuntimeError as error:  # an encrypted entry
        raise NotAllowed("an encrypted archive") from error
    raise NotAllowed("an archive that is not an office document")


def _open_document(archive: zipfile.ZipFile) -> Kind:
    info = archive.getinfo("mimetype")
    if info.compress_type != zipfile.ZIP_STORED or info.file_size > 100:
        raise NotAllowed("an OpenDocument with a malformed type")
    mimetype = archive.read(info).decode("ascii", errors="replace").strip()
    if mimetype not in _ODF_TYPES or "META-INF/manifest.xml" not in archive.namelist():
        raise NotAllowed("an OpenDocument of another type")
    return Kind(mimetype)


def _office_open_xml(archive: zipfile.ZipFile, names: set[str]) -> Kind:
    root = _xml_part(archive, "[Content_Types].xml")
    for override in root.iter(f"{_CONTENT_TYPES_NS}Override"):
        kind = _OOXML_MAIN_PARTS.get(override.get("ContentType", ""))
        part = override.get("PartName", "").lstrip("/")
        if kind is not None and part in names:
            return kind
    raise NotAllowed("an Office Open XML package of another type")


def _xml_part(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    info = archive.getinfo(name)
    if info.file_size > _XML_PART_MAX_BYTES:
        raise NotAllowed("an office document with an oversized part")
    with archive.open(info) as part:
        data = part.read(_XML_PART_MAX_BYTES + 1)
    # No document type declaration, so no entity expansion ("billion laughs") can happen.
    if len(data) > _XML_PART_MAX_BYTES or b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise NotAllowed("an office document with an unusual part")
    try:
        return ElementTree.fromstring(data)  # noqa: S314 - bounded, and refused above with a DTD
    except ElementTree.ParseError as error:
        raise NotAllowed("an office document with a damaged part") from error


def _text(file: IO[bytes]) -> Kind:
    """UTF-8 without NUL bytes, decoded incrementally so a 10 MB file never doubles in memory."""
    file.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")
    try:
        while chunk := file.read(_READ_CHUNK):
            if b"\x00" in chunk:
                raise NotAllowed("a binary file")
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise NotAllowed("a binary file or text that is not UTF-8") from error
    return Kind.TEXT
