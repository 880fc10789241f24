"""Refuse a deployment that lets URL imports reach loopback addresses."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def loopback_imports_refused(**kwargs: Any) -> list[checks.CheckMessage]:
    if getattr(settings, "RECIPE_IMPORT_ALLOW_LOOPBACK", False):
        return [
            checks.Error(
                "RECIPE_IMPORT_ALLOW_LOOPBACK is on: a URL import could reach this server's "
                "own services.",
                hint="It exists for the test suite's local pages; remove it.",
                id="importer.E001",
            )
        ]
    return []
