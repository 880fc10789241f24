"""Moderation of comments in the admin: every comment, hidden ones included, with who hid them.

Ratings are read-only here (a rating is a cook's own) but can be deleted; the recipe's totals
follow every deletion in the same transaction (``community.receivers``). Staff hide comments
with an action that goes through the same service (who and when are recorded, the count
follows).
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts.models import User
from community import services
from community.models import Comment, Rating
from config.admin import CheckedChangeListMixin


class HiddenFilter(admin.SimpleListFilter):
    title = "visibility"
    parameter_name = "hidden"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        return [("yes", "Hidden"), ("no", "Visible")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Comment]) -> QuerySet[Comment]:
        if self.value() in ("yes", "no"):
            return queryset.filter(hidden_at__isnull=self.value() == "no")
        return queryset


@admin.register(Comment)
class CommentAdmin(CheckedChangeListMixin, admin.ModelAdmin[Comment]):
    list_display = ["body_start", "recipe", "author", "created", "hidden_at", "hidden_by"]
    list_filter = [HiddenFilter]
    list_select_related = ["recipe", "author", "hidden_by"]
    search_fields = ["body", "author__username", "recipe__title"]
    ordering = ["-created", "-id"]
    show_full_result_count = False
    readonly_fields = ["recipe", "author", "body", "created", "hidden_at", "hidden_by"]
    actions = ["hide"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="comment")
    def body_start(self, comment: Comment) -> str:
        return comment.body[:80]

    @admin.action(description="Hide the selected comments", permissions=["change"])
    def hide(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        moderator = cast(User, request.user)
        hidden = sum(
            services.hide_comment(comment=comment, moderator=moderator)
            for comment in queryset.select_related("recipe")
        )
        messages.success(request, f"{hidden} comment{'s' if hidden != 1 else ''} hidden.")


@admin.register(Rating)
class RatingAdmin(CheckedChangeListMixin, admin.ModelAdmin[Rating]):
    list_display = ["recipe", "user", "stars", "updated"]
    list_select_related = ["recipe", "user"]
    search_fields = ["recipe__title", "user__username"]
    ordering = ["-updated", "-id"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Rating | None = None) -> bool:
        return False
