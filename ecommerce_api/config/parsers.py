"""Request body parsing that answers malformed input with a 4xx, whatever the input."""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO, Any

from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with deep nesting answered 400 instead of 500.

    ``json`` raises ``RecursionError``, not ``ValueError``, on input such as ``[[[[...`` a few
    thousand levels deep, and DRF only turns ``ValueError`` into a parse error. (The body size
    is bounded by Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE``, which DRF applies to JSON.)
    """

    def parse(
        self,
        stream: IO[bytes],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError("JSON parse error - the document is nested too deeply.") from exc
