"""Alerts in the admin: who waits for what. Read and deleted here, created only by customers."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from alerts.models import StockAlert
from config.admin import BoundedChangeListMixin


@admin.register(StockAlert)
class StockAlertAdmin(BoundedChangeListMixin, admin.ModelAdmin[StockAlert]):
    list_display = ["product", "user", "created_at"]
    list_select_related = ["product", "user"]
    search_fields = ["product__name", "user__username", "user__email"]
    date_hierarchy = "created_at"
    fields = readonly_fields = ("user", "product", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
