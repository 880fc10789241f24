"""The OpenAPI schema, generated once per process instead of on every request.

drf-spectacular builds the schema by introspecting every view and serializer: about 65 ms of
CPU for this API, paid by each ``GET /api/schema/``, so by every visit to the API docs (Swagger
UI fetches it) and every client generator. The public schema (``SERVE_PUBLIC``, the default)
depends only on the code, the API version and the language, none of which changes while a
process runs, so it is built once per process for each version and language and copied out
(a copy, so a caller that changes its schema cannot change the next caller's).
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any, ClassVar

from django.utils import translation
from drf_spectacular import generators
from rest_framework.request import Request


class SchemaGenerator(generators.SchemaGenerator):
    """drf-spectacular's generator, remembering the public schema for the process."""

    _public_schemas: ClassVar[dict[tuple[str | None, str | None, str], dict[str, Any]]] = {}

    def get_schema(self, request: Request | None = None, public: bool = False) -> dict[str, Any]:
        # drf-spectacular's get_schema has no annotations: hence the ignores below.
        if not public:  # filtered by the permissions of the request's user: never shared
            schema: dict[str, Any] = super().get_schema(request, public)  # type: ignore[no-untyped-call]
            return schema
        key = (self.api_version, translation.get_language(), repr(self.urlconf))
        if key not in self._public_schemas:
            self._public_schemas[key] = super().get_schema(request, public)  # type: ignore[no-untyped-call]
        return deepcopy(self._public_schemas[key])
