"""The service-level table in the admin: edit the hours of the four fixed rows, nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from config.admin import CheckedChangeListMixin
from sla.models import ServiceLevel

if TYPE_CHECKING:
    from django.http import HttpRequest


@admin.register(ServiceLevel)
class ServiceLevelAdmin(CheckedChangeListMixin, admin.ModelAdmin[ServiceLevel]):
    """One row per priority, seeded by a migration: rows are edited, never added or deleted,
    so every priority always has its targets.

    A ticket stores its deadlines when they are set, so an edit here applies to tickets opened
    or re-prioritised after it (the hours' help text says so next to each field).
    """

    list_display = ["priority", "first_response_hours", "resolution_hours"]
    list_editable = ["first_response_hours", "resolution_hours"]
    list_display_links = ["priority"]
    fields = ["priority", "first_response_hours", "resolution_hours"]
    readonly_fields = ["priority"]
    ordering = ["first_response_hours", "resolution_hours", "priority"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ServiceLevel | None = None) -> bool:
        return False
