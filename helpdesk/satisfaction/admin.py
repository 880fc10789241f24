"""Ratings in the admin, read-only: a rating is the customer's word, recorded by their link."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib import admin

from config.admin import CheckedChangeListMixin
from satisfaction.models import Rating

if TYPE_CHECKING:
    from django.http import HttpRequest


@admin.register(Rating)
class RatingAdmin(CheckedChangeListMixin, admin.ModelAdmin[Rating]):
    list_display = ["ticket", "score", "rated_by", "created_at"]
    list_filter = ["score"]
    list_select_related = ["ticket", "rated_by"]
    date_hierarchy = "created_at"
    search_fields = ["comment", "ticket__title"]
    fields = ("ticket", "score", "comment", "rated_by", "created_at")
    readonly_fields = ("ticket", "score", "comment", "rated_by", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Rating | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Rating | None = None) -> bool:
        return False
