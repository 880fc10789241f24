"""The API's documentation page: Swagger UI from drf-spectacular's sidecar (no CDN)."""

from __future__ import annotations

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerUIView(SpectacularSwaggerSplitView):
    """drf-spectacular's Swagger UI page, answering the methods a page has: GET and HEAD.

    Its only renderer is an HTML template. DRF answers ``OPTIONS`` on every view with
    metadata, which that renderer has no template for: a 500. Any other method is a 405
    whose ``Allow`` names GET and HEAD; the API's own endpoints keep DRF's ``OPTIONS``.
    """

    http_method_names = ["get", "head"]
