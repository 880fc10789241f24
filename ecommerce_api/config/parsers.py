"""Request body parsing that answers malformed input with a 4xx, whatever the input."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from config.api_errors import RequestTooLarge


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with two holes closed.

    DRF reads the body straight from the stream, so Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``
    never applies: this parser enforces it (413). And ``json`` raises ``RecursionError``, not
    ``ValueError``, on deeply nested input such as ``[[[[...``, which DRF would let through as
    a 500: this parser turns it into a 400.
    """

    def parse(
        self,
        stream: IO[bytes],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read() if limit is None else stream.read(limit + 1)
        if limit is not None and len(body) > limit:
            raise RequestTooLarge
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON parse error - the document is nested too deeply.") from exc
